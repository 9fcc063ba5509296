"""Exercise check for duty 6: which quality rules (FI-1 to FI-5) and bias points (CB-1 to CB-5) a draft of
engagement findings breaks, read against Wiltshire's engagement plan.

The expected rules are computed by the rules themselves
(:func:`stp_helpers.practice.findings.check_findings` and
:func:`stp_helpers.practice.perspectives.monitor_bias`), never typed in here.

Examples
--------
>>> findings_rules(["FI-1", "FI-3", "FI-4", "FI-5", "CB-4", "CB-5"], prediction=3)
Correct. The draft breaks 6 rules: CB-4, CB-5, FI-1, FI-3, FI-4, FI-5. You predicted 3; what did you not expect? Whose voice would you seek first before the next round?
>>> findings_rules(["FI-1", "CB-2"])
Not yet. 1 of your 2 rules is right. CB-2 holds in the draft: the people served are not heard at all, which is FI-4's point; CB-2 is about hearing them only through records.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from stp_helpers import case as cases
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.rules import rules_exercise, rules_feedback
from stp_helpers.practice import findings, perspectives
from stp_helpers.practice.scoping import Finding

__all__ = ["RULES", "draft_points", "findings_rules", "findings_rules_exercise"]

#: Every rule the exercise offers: the findings' quality rules, then the bias monitor.
RULES = {**findings.RULES, **perspectives.BIAS_RULES}
_WHERE = {"FI-1": "stakeholders and sources", "FI-2": "themes", "FI-3": "bases", "FI-4": "stakeholders heard",
          "FI-5": "implications", "CB-1": "share of each voice", "CB-2": "sources of the people served",
          "CB-3": "bases", "CB-4": "voices against the engagement plan", "CB-5": "voices on each theme"}
_WHY_NOT = {"CB-2": "the people served are not heard at all, which is FI-4's point; CB-2 is about hearing them "
                    "only through records."}


@lru_cache(maxsize=1)
def draft_points() -> tuple[Finding, ...]:
    """What the rules find in the example draft, read against Wiltshire's engagement plan."""
    draft = findings.example_draft_findings()
    planned = perspectives.planned_stakeholders(cases.load("wiltshire-complex-needs"))
    return (*findings.check_findings(draft), *perspectives.monitor_bias(draft, planned))


def findings_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (FI-1 to FI-5, CB-1 to CB-5) the example draft findings break.

    ``answer`` is the rule ids the learner ticks, ``prediction`` how many they expected; see
    :func:`stp_helpers.checks.rules.rules_feedback`.
    """
    if is_placeholder(answer):
        return your_turn()
    expected = {f.rule for f in draft_points()}
    return rules_feedback(answer, expected, RULES, _WHERE,
                          question="Whose voice would you seek first before the next round?", prediction=prediction,
                          known="FI-1 to FI-5 and CB-1 to CB-5", why_not=_WHY_NOT)


def findings_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules and bias points does the draft of findings break?"."""
    found = draft_points()
    return rules_exercise("findings_rules", "duty06.ipynb", lambda a, p: findings_rules(a, prediction=p), RULES, found,
                          answer, prediction, title="Tick every rule and bias point the draft breaks.")
