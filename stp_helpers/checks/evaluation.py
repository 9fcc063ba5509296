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

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from stp_helpers import evaluation
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Column, Number, ShortText, Table
from stp_helpers.checks.matching import TARGET_VERDICT, YES_NO, canonical
from stp_helpers.checks.prediction import as_number, choice_note, count_note
from stp_helpers.errors import CaseFileError

__all__ = ["logic_model_errors", "smart_indicator", "fragile_weight", "xmr_limits", "target_verdict",
           "failure_share", "breaches_exercise", "indicator_exercise", "weight_exercise", "limits_exercise",
           "verdict_exercise", "share_exercise", "INDICATOR_FIELDS"]


def logic_model_errors(answer: Any, model: evaluation.LogicModel, *, prediction: Any = ...) -> Feedback:
    """Check a learner's list of rule breaches: ``{"LM-2": ["A3"], ...}`` or ``[("LM-2", "A3"), ...]``.

    ``prediction`` is how many breaches (errors) the learner expected.

    Raises
    ------
    TypeError
        ``answer`` is not a dict of rule id → list of element ids.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, (list, tuple)) and all(isinstance(r, (list, tuple)) and len(r) == 2 for r in answer):
        pairs: dict[str, list[str]] = {}
        for rule, element in answer:
            pairs.setdefault(str(rule), []).append(str(element))
        answer = pairs
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
    for rule in given:
        if rule not in _RULE_HINTS:
            return Feedback(False, said, f"{rule} is not a logic-model rule; the rules are LM-1 to LM-6.")
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
    note = count_note(prediction, sum(len(v) for v in truth.values()), "breach")
    return Feedback(True, said, question=note or "Which of these breaches would an evaluator notice first, and why?")


_RULE_HINTS = {
    "LM-1": "look for an arrow pointing to an earlier stage.",
    "LM-2": "follow each activity's arrows: does it reach a short, medium or long-term outcome?",
    "LM-3": "follow each outcome's arrows back: does an activity lead to it?",
    "LM-4": "look at the indicators: does every outcome have a SMART one?",
    "LM-5": "which activity has no input pointing to it?",
    "LM-6": "can you reach the impact from an outcome?",
}


#: What a field must say to count (a lone "x" or "tbc" fills a field without saying anything).
_SAYS_NOTHING = {"x", "xx", "xxx", "tbc", "tbd", "na", "n a", "none", "todo", "to do", "something", "test", "?",
                 "-", "...", "blah", "abc"}
_FREQUENCIES = ("daily", "weekly", "fortnightly", "monthly", "quarterly", "termly", "yearly", "annually",
                "annual", "every", "each", "per", "twice", "biannually", "six monthly")
_FIELD_ASKS = {
    "name": "what it measures, in a few words", "definition": "how it is calculated, in a sentence someone "
    "else could follow", "numerator": "what is counted on top", "denominator": "what it is divided by",
    "unit": "the unit, e.g. '% of people referred'", "source": "where the data come from",
    "owner": "who is responsible for it (a role)", "outcome": "the id of the outcome it measures",
    "baseline_date": "when the baseline was measured, with its year", "target_date": "by when, with its year",
    "frequency": "how often it is measured, e.g. quarterly",
}


def _thin_field(answer: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first field that is filled but says nothing a collector could use, and why."""
    for name, asks in _FIELD_ASKS.items():
        value = answer.get(name)
        if value is None or str(value).strip() == "":
            continue
        text = canonical(value)
        letters = re.sub(r"[^a-z]", "", text)
        if name in ("baseline_date", "target_date"):
            if not re.search(r"(19|20)\d\d", str(value)):
                return name, asks
        elif name == "frequency":
            if not any(w in text.split() for w in _FREQUENCIES):
                return name, asks
        elif name == "outcome":
            continue
        elif text in _SAYS_NOTHING or len(letters) < 3 or (name == "definition" and len(text.split()) < 4):
            return name, asks
    return None


def smart_indicator(answer: Any, *, prediction: Any = ...) -> Feedback:
    """Check that a learner's indicator (a dict) passes ``SM-1`` and that each field says something.

    ``prediction`` is the field the learner expected practitioners to leave out most often.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, (Mapping, evaluation.Indicator)):
        raise TypeError(f"answer should be a dict of indicator fields, not {type(answer).__name__}.")
    fields = dict(answer) if isinstance(answer, Mapping) else answer.model_dump()
    fields = {k: v for k, v in fields.items() if not (isinstance(v, str) and not v.strip())}
    try:
        result = evaluation.smart_check(fields)
    except CaseFileError as err:
        problem = err.problems[0] if getattr(err, "problems", None) else None
        where = f"{problem.column}: {problem.problem}" if problem is not None else str(err)
        return Feedback(False, [], f"{where} {getattr(problem, 'fix', '') or ''}".strip(),
                        "Could someone else collect this indicator from your definition alone?")
    absent = [m for m in result.missing if m not in dict(result.why)]
    filled = 12 - len(absent)
    if absent:
        return Feedback(False, [f"{filled} of 12 SM-1 fields are filled."],
                        f"Still {result.explain().split(': ', 1)[1]}",
                        "Could someone else collect this indicator from your definition alone?")
    thin = _thin_field(fields) or next(((n, _FIELD_ASKS.get(n, "something a collector could use"))
                                        for n, _ in result.why), None)
    if thin is not None:
        name, asks = thin
        return Feedback(False, ["Every SM-1 field is filled."],
                        f"{name.replace('_', ' ')}: {str(fields[name]).strip()!r} says nothing yet; write {asks}.",
                        "Could someone else collect this indicator from your definition alone?")
    said = str(prediction).strip().replace("_", " ") if not is_placeholder(prediction) and str(prediction).strip() else None
    return Feedback(True, ["Every SM-1 field is there: definition, unit, source, baseline, direction or "
                           "target with a date, frequency, owner and outcome."],
                    question=(f"You predicted practitioners most often leave out the {said}: which field took you "
                              "longest to fill, and why?" if said else
                              "Who would game this indicator if it became a target, and how?"))


def fragile_weight(answer: Any, appraisal: options.Appraisal, *, prediction: Any = ...) -> Feedback:
    """Check the criterion whose weight needs the smallest move to change the first choice."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError(f"answer should be a criterion name (str), not {type(answer).__name__}.")
    sens = options.weight_sensitivity(appraisal, which="top").dropna(subset=["move"])
    if sens.empty:
        ok = canonical(answer) == "none"
        return Feedback(ok, [], None if ok else "No single weight changes the first choice here; answer \"none\".")
    best = sens.sort_values("move", kind="stable").iloc[0]
    ties = set(sens.loc[sens["move"] == best["move"], "criterion"])
    name = next((c for c in appraisal.criteria if canonical(c) == canonical(answer)), answer.strip())
    if name in ties:
        note = choice_note(prediction, name, "the weight the choice turns on",
                           "What in the ranking chart pointed you there?")
        return Feedback(True, [f"{name}: a move of {best['move']:.2f} changes the first choice ({best['change']})."],
                        question=note or "Would the people affected by this choice weigh it the same way?")
    if name not in appraisal.criteria:
        return Feedback(False, [], f"{answer!r} is not a criterion; use one of: {', '.join(appraisal.criteria)}.")
    mine = sens.loc[sens["criterion"] == name, "move"]
    how = f"its weight must move {float(mine.iloc[0]):.2f}" if not mine.empty else "no move of its weight does it"
    return Feedback(False, [], f"For {name}, {how}; another criterion needs a smaller move. Hint: the closer two "
                    "options score on a criterion, the more its weight must move to reorder them.")


def _pair(answer: Any) -> tuple[float, float] | None:
    if isinstance(answer, spc.XmRLimits):
        return (answer.lower, answer.upper)
    if isinstance(answer, Mapping):
        values = {canonical(k): v for k, v in answer.items()}
        lower = values.get("lower") or values.get("lower limit") or values.get("lnpl")
        upper = values.get("upper") or values.get("upper limit") or values.get("unpl")
        answer = (lower, upper)
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        numbers = tuple(as_number(v) for v in answer)
        if all(n is not None for n in numbers):
            return (float(numbers[0]), float(numbers[1]))
    return None


def xmr_limits(answer: Any, values: Any, baseline: int, *, prediction: Any = ..., point: int | None = None) -> Feedback:
    """Check XmR limits (an XmRLimits, a (lower, upper) pair, or a dict) against the baseline of ``values``.

    ``prediction`` ("yes"/"no") is whether the learner expected point ``point`` (1 first)
    to fall outside the limits.
    """
    if is_placeholder(answer):
        return your_turn()
    truth = spc.xmr_limits(values, baseline=baseline)
    pair = _pair(answer)
    if pair is None:
        if isinstance(answer, (spc.XmRLimits, tuple, list, Mapping)):
            return Feedback(False, [], "Give two numbers: the lower and the upper natural process limit.")
        raise TypeError("answer should be spc.xmr_limits(...) or a (lower, upper) pair.")
    ok = [abs(a - b) < 0.01 for a, b in zip(pair, (truth.lower, truth.upper))]
    if all(ok):
        question = "Which later points fall outside them?"
        said = YES_NO.match(prediction)
        if said is not None and point is not None:
            value = float(list(values)[point - 1])
            outside = not truth.lower <= value <= truth.upper
            question = (f"You predicted point {point} ({value:g}) would {'' if said == 'yes' else 'not '}fall outside; "
                        f"it falls {'outside' if outside else 'inside'}. "
                        + ("What told you?" if (said == "yes") == outside else "What made it look ordinary, or unusual?"))
        return Feedback(True, [f"Natural process limits {truth.lower:.3f} to {truth.upper:.3f} from the first "
                               f"{baseline} points."], question=question)
    if isinstance(answer, spc.XmRLimits) and answer.baseline != baseline:
        return Feedback(False, [], f"Your limits rest on {answer.baseline} points; use the first {baseline} (baseline={baseline}).")
    return Feedback(False, ["Lower limit right." if ok[0] else "Upper limit right." if ok[1] else ""],
                    "Check the limits: centre ± 2.66 × the mean moving range of the baseline points only.",
                    "Why does the moving range, not the standard deviation of all points, set the limits?")


def target_verdict(answer: Any, limits: spc.XmRLimits, target: float, better: str = "lower", *,
                   prediction: Any = ...) -> Feedback:
    """Check a verdict on a target: ``"chance"``, ``"system change needed"`` or ``"met by the system as it is"``.

    Usual wordings are accepted ("needs a change to the system").  ``prediction``
    ("yes"/"no") is whether the learner expected more effort from staff to be enough.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError(f"answer should be a verdict (str), not {type(answer).__name__}.")
    truth = spc.judge_target(limits, target, better)
    mine = TARGET_VERDICT.match(answer)
    if mine == truth.verdict:
        said = YES_NO.match(prediction)
        effort = truth.verdict != "system change needed"
        note = None if said is None else (
            f"You predicted more effort {'would' if said == 'yes' else 'would not'} be enough; "
            + ("it is not: the system as it stands almost never produces this. What would you change instead?"
               if not effort else "the system as it stands can meet it. What would more pressure add?"))
        return Feedback(True, [truth.explanation], question=note or "Who in the system would feel the pressure of this target?")
    if mine is None:
        return Feedback(False, [], f"{answer.strip()!r} is not one of the three verdicts: chance, system change "
                        "needed, or met by the system as it is.")
    where = ("inside" if limits.lower <= target <= limits.upper else
             f"below the lower natural process limit ({limits.lower:.2f})" if target < limits.lower else
             f"above the upper natural process limit ({limits.upper:.2f})")
    return Feedback(False, [], f"A target of {target:g} lies {where}{' the limits' if where == 'inside' else ''}. "
                    "Compare the target with the limits, not with the latest point.",
                    f"What would have to change in the system for {target:g} to be met?")


def failure_share(answer: Any, records: pd.DataFrame, *, prediction: Any = ...) -> Feedback:
    """Check a failure-demand share (a number from 0 to 1, or a percentage) for classified demand records."""
    if is_placeholder(answer):
        return your_turn()
    number = as_number(answer) if isinstance(answer, str) else answer
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        if isinstance(answer, str):
            return Feedback(False, [], "Write the share as a number from 0 to 1, or a percentage.")
        raise TypeError(f"answer should be a number from 0 to 1, not {type(answer).__name__}.")
    share = float(number) / 100 if 1 < float(number) <= 100 else float(number)
    table = spc.failure_share_by_period(records)
    failure, total = int(table["failure"].sum()), int(table["total"].sum())
    truth = failure / total
    if abs(share - truth) < 0.005:
        guess = as_number(prediction)
        if guess is not None and guess > 1:
            guess /= 100
        note = None if guess is None else (
            f"You predicted {guess:.2f}; it is {truth:.2f}. " + (
                "What told you, before counting?" if abs(guess - truth) < 0.05 else
                "What made you expect less?" if guess < truth else "What made you expect more?"))
        return Feedback(True, [f"{failure:,} of {total:,} contacts are failure demand: {truth:.2f}."],
                        question=note or "Which failure demand would you remove first, and what would it free?")
    if abs(share - (1 - truth)) < 0.005:
        return Feedback(False, [], "That is the value-demand share. Failure share = failure / (failure + value).")
    return Feedback(False, [], "Count each kind: chasing, repeats and complaints are failure demand; a new request "
                    "is value demand. Then divide failure by all contacts.",
                    "Which contacts would disappear if the service worked first time?")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

_RULES = ("LM-1", "LM-2", "LM-3", "LM-4", "LM-5", "LM-6")


def breaches_exercise(model: evaluation.LogicModel, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "find what a logic model breaks": a table of (rule, element) rows."""
    elements = tuple(e.id for e in model.elements)
    truth = sorted((f.rule, f.element) for f in evaluation.check_logic_model(model) if f.severity == "error")
    app = Exercise(
        "logic_model_errors", lambda a, p: logic_model_errors(a, model, prediction=p),
        Table("Breaches: one row per rule and element", [Column("rule", _RULES), Column("element", elements)], rows=5),
        "; ".join(f"{r} at {e}" for r, e in truth),
        explanation="The leaflet (A3) has no input and leads nowhere, and better wellbeing (L1) has no indicator, so "
                    "nobody would know whether it changed.",
        predict=Number("Breaches you expect", units="errors", integer=True),
        title="List each rule the model breaks, with the element that breaks it.")
    return app.submit(answer, prediction)


#: The fields of the tenancy indicator, in the order a collector asks for them.
INDICATOR_FIELDS = ("name", "definition", "numerator", "denominator", "unit", "source", "baseline", "baseline_date",
                    "direction", "target_date", "frequency", "owner")


def indicator_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "make an indicator SMART from the briefing": one text box per field."""
    def check(given: Any, said: Any) -> Feedback:
        if is_placeholder(given):
            return your_turn()
        fields = {"id": "tenancies_kept", "outcome": "M1", **dict(given)}
        number = as_number(fields.get("baseline")) if isinstance(fields.get("baseline"), str) else None
        if number is not None:
            fields["baseline"] = number
        if isinstance(fields.get("direction"), str):
            fields["direction"] = fields["direction"].strip().lower()
        return smart_indicator(fields, prediction=said)

    app = Exercise(
        "smart_indicator", check, Table("Indicator of sustained tenancies", [Column("value")], row_names=INDICATOR_FIELDS),
        "name: Tenancies kept 12 months; definition: people still in their tenancy 12 months after referral, as a "
        "percentage; numerator: people still in their tenancy after 12 months; denominator: people referred 12 months "
        "earlier; unit: % of people referred; source: housing management system; baseline: 62 (2024-Q1); direction: "
        "higher; target date: 2026-Q1; frequency: quarterly; owner: housing options manager",
        explanation="Each field answers a question someone collecting the indicator would otherwise have to ask: what "
                    "is counted, from where, since when, how often and by whom.",
        predict=Choice("Which field do practitioners most often leave out?", list(INDICATOR_FIELDS)),
        title="Fill in every field of the indicator from the briefing above.")
    return app.submit(answer, prediction)


def weight_exercise(appraisal: options.Appraisal, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "find the weight the choice turns on": a criterion from the appraisal."""
    sens = options.weight_sensitivity(appraisal, which="top").dropna(subset=["move"])
    model = sens.sort_values("move", kind="stable").iloc[0]["criterion"] if not sens.empty else "none"
    criteria = list(appraisal.criteria)
    app = Exercise(
        "fragile_weight", lambda a, p: fragile_weight(a, appraisal, prediction=p), Choice("Criterion", criteria), model,
        explanation="The smallest move is the weight whose disagreement among stakeholders matters most: spend the "
                    "discussion there.",
        predict=Choice("Which do you expect?", criteria),
        title="Which criterion's weight changes the first choice with the smallest move?")
    return app.submit(answer, prediction)


def limits_exercise(values: Any, baseline: int, point: int, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "compute the natural process limits": two numbers."""
    truth = spc.xmr_limits(values, baseline=baseline)
    app = Exercise(
        "xmr_limits", lambda a, p: xmr_limits(a, values, baseline, prediction=p, point=point),
        Table("Natural process limits", [Column("value")], row_names=("lower", "upper")),
        f"lower {truth.lower:.3f}, upper {truth.upper:.3f}",
        explanation="Centre ± 2.66 × the mean moving range, from the baseline points only; the limits rest on the "
                    "baseline, so a later shift does not widen them and can show up as a signal.",
        predict=Choice(f"Will point {point} fall outside the limits?", ["yes", "no"]),
        title=f"Compute the limits from the first {baseline} points.")
    return app.submit(answer, prediction)


def verdict_exercise(limits: spc.XmRLimits, target: float, better: str, answer: Any = ...,
                     prediction: Any = ...) -> Exercise:
    """The app for "judge a target": the verdict in the learner's words, read by the matcher."""
    truth = spc.judge_target(limits, target, better)
    app = Exercise(
        "target_verdict", lambda a, p: target_verdict(a, limits, target, better, prediction=p),
        ShortText("Verdict", placeholder="your verdict on the target"), truth.verdict, explanation=truth.explanation,
        predict=Choice("Will more effort from staff be enough to meet it?", ["yes", "no"]),
        title=f"Judge a target of {target:g}: chance, system change needed, or met by the system as it is?")
    return app.submit(answer, prediction)


def share_exercise(records: pd.DataFrame, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "compute a failure-demand share": a number (0 to 1, or a percentage)."""
    table = spc.failure_share_by_period(records)
    failure, total = int(table["failure"].sum()), int(table["total"].sum())
    app = Exercise(
        "failure_share", lambda a, p: failure_share(a, records, prediction=p),
        Number("Failure share", units="(0 to 1, or %)", percent=True), f"{failure / total:.2f} ({failure} of {total})",
        explanation="Chases, repeats and complaints exist only because something was not done, or not done right, "
                    "the first time.",
        predict=Number("Share you expect", units="(0 to 1, or %)", percent=True),
        title="What share of the contacts is failure demand?")
    return app.submit(answer, prediction)
