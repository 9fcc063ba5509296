"""Exercise check for duty 4: which quality rules (ES-1 to ES-5) a draft engagement plan breaks.

Examples
--------
>>> strategy_rules(["ES-1", "ES-2", "ES-3"], prediction=2)
Correct. The draft breaks 3 rules: ES-1, ES-2, ES-3. You predicted 2; what did you not expect? Who would you ask to check that the board seat feels safe to the people offered it?
>>> strategy_rules(["ES-2", "ES-4"])
Not yet. 1 of your 2 rules is right. ES-4 holds in the draft: reread its influence links and workshops.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.rules import rules_exercise, rules_feedback
from stp_helpers.stakeholders import engagement_strategy as strategy

__all__ = ["strategy_rules", "strategy_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"ES-1": "register at its latest snapshot, stakeholder by stakeholder",
          "ES-2": "methods for the most powerful stakeholders",
          "ES-3": "method for anyone with a legitimate, urgent claim but little power",
          "ES-4": "influence links and workshops", "ES-5": "snapshots and workshop outputs"}


def strategy_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (ES-1 to ES-5) the example draft engagement plan breaks.

    ``answer`` is the rule ids the learner ticks, ``prediction`` how many they expected; see
    :func:`stp_helpers.checks.rules.rules_feedback`.
    """
    if is_placeholder(answer):
        return your_turn()
    register, draft = strategy.example_draft()
    expected = {f.rule for f in strategy.check_strategy(draft, register)}
    return rules_feedback(answer, expected, strategy.RULES, _WHERE,
                          question="Who would you ask to check that the board seat feels safe to the people offered it?",
                          prediction=prediction)


def strategy_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft engagement plan break?"."""
    register, draft = strategy.example_draft()
    found = strategy.check_strategy(draft, register)
    return rules_exercise("engagement_rules", "duty04.ipynb", lambda a, p: strategy_rules(a, prediction=p),
                          strategy.RULES, found, answer, prediction)
