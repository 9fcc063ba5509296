"""Exercise check for duty 8: which quality rules (FS-1 to FS-5) a draft futures brief breaks.

Examples
--------
>>> futures_rules(["FS-1", "FS-2", "FS-3"], prediction=2)
Correct. The draft breaks 3 rules: FS-1, FS-2, FS-3. You predicted 2; what did you not expect? Which of its futures would the partners find hardest to take seriously?
>>> futures_rules(["FS-2", "FS-4"])
Not yet. 1 of your 2 rules is right. FS-4 holds in the draft: reread its signposts.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.rules import rules_exercise, rules_feedback
from stp_helpers.futures import brief

__all__ = ["futures_rules", "futures_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"FS-1": "axes and the drivers' scores", "FS-2": "success statements",
          "FS-3": "risks and opportunities", "FS-4": "signposts", "FS-5": "claims"}


def futures_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (FS-1 to FS-5) the example draft futures brief breaks.

    ``answer`` is the rule ids the learner ticks, ``prediction`` how many they expected; see
    :func:`stp_helpers.checks.rules.rules_feedback`.
    """
    if is_placeholder(answer):
        return your_turn()
    drivers, futures = brief.example_draft()
    expected = {f.rule for f in brief.check_brief(futures, drivers)}
    return rules_feedback(answer, expected, brief.RULES, _WHERE,
                          question="Which of its futures would the partners find hardest to take seriously?",
                          prediction=prediction)


def futures_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft futures brief break?"."""
    drivers, futures = brief.example_draft()
    found = brief.check_brief(futures, drivers)
    return rules_exercise("futures_rules", "duty08.ipynb", lambda a, p: futures_rules(a, prediction=p), brief.RULES,
                          found, answer,
                          prediction)
