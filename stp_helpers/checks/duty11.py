"""Exercise check for duty 11: which quality rules (EI-1 to EI-5) a draft ethics record breaks.

Examples
--------
>>> ethics_rules(["EI-1", "EI-3", "EI-5"], prediction=3)
Correct. The draft breaks 3 rules: EI-1, EI-3, EI-5. You predicted 3; as you expected. Who bears the risk if the police's value wins the enforcement-versus-voice conflict, and who decided that was acceptable?
>>> ethics_rules(["EI-4"])
Not yet. 0 of your 1 rules are right. EI-4 holds in the draft: reread its witness answers (Q10) and the conflict on question 11.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.rules import rules_exercise, rules_feedback
from stp_helpers.stakeholders import ethics_review as review

__all__ = ["ethics_rules", "ethics_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"EI-1": "parties' 'ought' answers to each conflict's question",
          "EI-2": "options under each conflict",
          "EI-3": "parties' power in each conflict, and its note",
          "EI-4": "witness answers (Q10) and the conflict on question 11",
          "EI-5": "four engagement checks"}


def ethics_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (EI-1 to EI-5) the example draft ethics record breaks.

    ``answer`` is the rule ids the learner ticks, ``prediction`` how many they expected; see
    :func:`stp_helpers.checks.rules.rules_feedback`.
    """
    if is_placeholder(answer):
        return your_turn()
    csh, register, draft = review.example_draft()
    expected = {f.rule for f in review.check_ethics(draft, csh, register)}
    return rules_feedback(answer, expected, review.RULES, _WHERE,
                          question="Who bears the risk if the police's value wins the enforcement-versus-voice conflict, "
                                   "and who decided that was acceptable?",
                          prediction=prediction)


def ethics_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft ethics record break?"."""
    csh, register, draft = review.example_draft()
    found = review.check_ethics(draft, csh, register)
    return rules_exercise("ethics_rules", "duty11.ipynb", lambda a, p: ethics_rules(a, prediction=p), review.RULES,
                          found, answer,
                          prediction)
