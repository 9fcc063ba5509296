"""Formative checks for the logic model and measures exercises.

Each check calls the method's own function and puts the first difference
into words, with a hint rather than the answer.  A ``...`` answer returns
:func:`your_turn`.

Examples
--------
>>> from stp_helpers.evaluation import spc
>>> target_verdict(..., spc.xmr_limits(spc.EXAMPLE_SERIES, 12), 35)
Your turn: fill in the cell above, then run this one.
>>> target_verdict("chance", spc.xmr_limits(spc.EXAMPLE_SERIES, 12), 35)
Not yet. A target of 35 lies below the lower natural process limit (38.98). Compare the target with the limits, not with the latest point. What would have to change in the system for 35 to be met?
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from stp_helpers import evaluation
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.checks import Feedback, is_placeholder, your_turn

__all__ = ["logic_model_errors", "smart_indicator", "fragile_weight", "xmr_limits", "target_verdict",
           "failure_share"]


def logic_model_errors(answer: Any, model: evaluation.LogicModel) -> Feedback:
    """Check a learner's list of rule breaches: ``{"LM-2": ["A3"], ...}``.

    Raises
    ------
    TypeError
        ``answer`` is not a dict of rule id → list of element ids.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError(f"answer should be a dict such as {{'LM-2': ['A3']}}, not {type(answer).__name__}.")
    truth: dict[str, set[str]] = {}
    for f in evaluation.check_logic_model(model):
        if f.severity == "error":
            truth.setdefault(f.rule, set()).add(f.element)
    given = {str(k).upper(): {str(e) for e in (v if isinstance(v, (list, tuple, set)) else [v])}
             for k, v in answer.items()}
    right = [f"{rule} at {', '.join(sorted(given[rule] & els))}" for rule, els in sorted(truth.items())
             if given.get(rule, set()) & els]
    said = [f"You found {', '.join(right)}."] if right else []
    for rule, els in sorted(given.items()):
        wrong = els - truth.get(rule, set())
        if wrong:
            return Feedback(False, said, f"{rule} does not apply to {', '.join(sorted(wrong))}: reread what {rule} "
                            "asks and trace that element's links.", "Which elements have no arrow in or out?")
    for rule, els in sorted(truth.items()):
        missing = els - given.get(rule, set())
        if missing:
            return Feedback(False, said, f"One more breach of {rule} is still to find. Hint: "
                            f"{_RULE_HINTS.get(rule, 'follow the links from each element.')}",
                            "Which elements have no arrow in or out?")
    return Feedback(True, said, question="Which of these breaches would an evaluator notice first, and why?")


_RULE_HINTS = {
    "LM-1": "look for an arrow pointing to an earlier stage.",
    "LM-2": "follow each activity's arrows: does it reach a short, medium or long-term outcome?",
    "LM-3": "follow each outcome's arrows back: does an activity lead to it?",
    "LM-4": "look at the indicators: does every outcome have a SMART one?",
    "LM-5": "which activity has no input pointing to it?",
    "LM-6": "can you reach the impact from an outcome?",
}


def smart_indicator(answer: Any) -> Feedback:
    """Check that a learner's indicator (a dict) passes ``SM-1``."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, (Mapping, evaluation.Indicator)):
        raise TypeError(f"answer should be a dict of indicator fields, not {type(answer).__name__}.")
    result = evaluation.smart_check(dict(answer) if isinstance(answer, Mapping) else answer)
    if result.passed:
        return Feedback(True, ["Every SM-1 field is there: definition, unit, source, baseline, direction or "
                               "target with a date, frequency, owner and outcome."],
                        question="Who would game this indicator if it became a target, and how?")
    filled = 12 - len(result.missing)
    return Feedback(False, [f"{filled} of 12 SM-1 fields are filled."],
                    f"Still {result.explain().split(': ', 1)[1]}",
                    "Could someone else collect this indicator from your definition alone?")


def fragile_weight(answer: Any, appraisal: options.Appraisal) -> Feedback:
    """Check the criterion whose weight needs the smallest move to change the first choice."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError(f"answer should be a criterion name (str), not {type(answer).__name__}.")
    sens = options.weight_sensitivity(appraisal, which="top").dropna(subset=["move"])
    if sens.empty:
        return Feedback(answer == "none", [], None if answer == "none" else
                        "No single weight changes the first choice here; answer \"none\".")
    best = sens.sort_values("move", kind="stable").iloc[0]
    ties = set(sens.loc[sens["move"] == best["move"], "criterion"])
    if answer in ties:
        return Feedback(True, [f"{answer}: a move of {best['move']:.2f} changes the first choice ({best['change']})."],
                        question="Would the people affected by this choice weigh it the same way?")
    if answer not in appraisal.criteria:
        return Feedback(False, [], f"{answer!r} is not a criterion; use one of: {', '.join(appraisal.criteria)}.")
    mine = sens.loc[sens["criterion"] == answer, "move"]
    how = f"its weight must move {float(mine.iloc[0]):.2f}" if not mine.empty else "no move of its weight does it"
    return Feedback(False, [], f"For {answer}, {how}; another criterion needs a smaller move. "
                    "Hint: options.weight_sensitivity(appraisal, which=\"top\") lists the move for each.")


def xmr_limits(answer: Any, values: Any, baseline: int) -> Feedback:
    """Check XmR limits (an XmRLimits, or a (lower, upper) pair) against the baseline of ``values``."""
    if is_placeholder(answer):
        return your_turn()
    truth = spc.xmr_limits(values, baseline=baseline)
    if isinstance(answer, spc.XmRLimits):
        pair = (answer.lower, answer.upper)
    elif isinstance(answer, (tuple, list)) and len(answer) == 2:
        pair = (float(answer[0]), float(answer[1]))
    else:
        raise TypeError("answer should be spc.xmr_limits(...) or a (lower, upper) pair.")
    ok = [abs(a - b) < 0.01 for a, b in zip(pair, (truth.lower, truth.upper))]
    if all(ok):
        return Feedback(True, [f"Natural process limits {truth.lower:.3f} to {truth.upper:.3f} from the first "
                               f"{baseline} points."], question="Which later points fall outside them?")
    if isinstance(answer, spc.XmRLimits) and answer.baseline != baseline:
        return Feedback(False, [], f"Your limits rest on {answer.baseline} points; use the first {baseline} (baseline={baseline}).")
    return Feedback(False, ["Lower limit right." if ok[0] else "Upper limit right." if ok[1] else ""],
                    "Check the limits: centre ± 2.66 × the mean moving range of the baseline points only.",
                    "Why does the moving range, not the standard deviation of all points, set the limits?")


def target_verdict(answer: Any, limits: spc.XmRLimits, target: float, better: str = "lower") -> Feedback:
    """Check a verdict on a target: ``"chance"``, ``"system change needed"`` or ``"met by the system as it is"``."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError(f"answer should be a verdict (str), not {type(answer).__name__}.")
    truth = spc.judge_target(limits, target, better)
    if answer.strip().lower() == truth.verdict:
        return Feedback(True, [truth.explanation], question="Who in the system would feel the pressure of this target?")
    where = ("inside" if limits.lower <= target <= limits.upper else
             f"below the lower natural process limit ({limits.lower:.2f})" if target < limits.lower else
             f"above the upper natural process limit ({limits.upper:.2f})")
    return Feedback(False, [], f"A target of {target:g} lies {where}{' the limits' if where == 'inside' else ''}. "
                    "Compare the target with the limits, not with the latest point.",
                    f"What would have to change in the system for {target:g} to be met?")


def failure_share(answer: Any, records: pd.DataFrame) -> Feedback:
    """Check a failure-demand share (a number from 0 to 1) for classified demand records."""
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise TypeError(f"answer should be a number from 0 to 1, not {type(answer).__name__}.")
    table = spc.failure_share_by_period(records)
    failure, total = int(table["failure"].sum()), int(table["total"].sum())
    truth = failure / total
    if abs(float(answer) - truth) < 0.005:
        return Feedback(True, [f"{failure:,} of {total:,} contacts are failure demand: {truth:.2f}."],
                        question="Which failure demand would you remove first, and what would it free?")
    if abs(float(answer) - (1 - truth)) < 0.005:
        return Feedback(False, [], "That is the value-demand share. Failure share = failure / (failure + value).")
    return Feedback(False, [], "Count each kind: chasing, repeats and complaints are failure demand; a new request "
                    "is value demand. Then divide failure by all contacts.",
                    "Which contacts would disappear if the service worked first time?")
