"""Exercise checks for stock-and-flow models (the stock-and-flow notebook).

Each check calls the method's own comparator (:func:`sd.classify_behaviour`,
:func:`sd.oat_elasticities`, :func:`sd.validate`) and puts the result into words.

Examples
--------
>>> import numpy as np
>>> t = np.arange(0, 50, 0.25)
>>> behaviour_mode(..., 1000 / (1 + 99 * np.exp(-0.3 * t)))
Your turn: fill in the cell above, then run this one.
>>> behaviour_mode("S-shaped", 1000 / (1 + 99 * np.exp(-0.3 * t)), prediction="exponential")
Correct. The series shows S-shaped growth. Your prediction (exponential) did not match: which loop took over as the stock grew? What in the system's structure produces this shape?
>>> behaviour_mode("exponential", 1000 / (1 + 99 * np.exp(-0.3 * t)))
Not yet. Look at the second half of the run: does the growth keep speeding up, or slow down towards a limit? Then name the shape of the whole run, start to end. What in the system's structure produces this shape?
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from stp_helpers import sd
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice
from stp_helpers.checks.prediction import choice_note

__all__ = ["behaviour_mode", "policy_lever", "validation_flaw", "mode_exercise", "lever_exercise", "flaw_exercise"]

_HINTS = {
    "exponential": "does the change keep speeding up, or slow down towards a limit?",
    "goal seeking": "does the change slow down as the stock nears a goal?",
    "S-shaped": "does the growth keep speeding up, or slow down towards a limit?",
    "linear": "is the change per time step the same all along?",
    "oscillation": "does the stock turn round more than once?",
    "overshoot and collapse": "does the stock rise, peak and fall back?",
    "S-shaped with overshoot": "does the stock overshoot its limit, then settle?",
    "equilibrium": "does the stock change at all?",
}


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("growth", "").split())


def _series(values: Any) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise TypeError("give one variable, e.g. run['Population'], not a whole run")
        return values.iloc[:, 0]
    if isinstance(values, pd.Series | np.ndarray | list | tuple):
        return pd.Series(np.asarray(values, dtype=float))
    raise TypeError("series should be a pandas Series or an array of numbers")


def _mode_name(mode: str) -> str:
    return {"S-shaped": "S-shaped growth"}.get(mode, mode)


def behaviour_mode(answer: Any, series: Any, prediction: Any = None) -> Feedback:
    """Check a behaviour mode (e.g. ``"goal seeking"``) named for ``series``.

    ``prediction``, made before running, is compared with the result.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a mode as text, e.g. "goal seeking"')
    actual = sd.classify_behaviour(_series(series))
    question = "What in the system's structure produces this shape?"
    if _norm(answer) != _norm(actual):
        known = {_norm(m) for m in sd.MODES}
        if _norm(answer) not in known:
            return Feedback(False, fix=f"{answer!r} is not one of the modes; choose from: {', '.join(sd.MODES)}.",
                            question=question)
        hint = _HINTS.get(actual, "how does the slope change over the run?")
        return Feedback(False, fix=f"Look at the second half of the run: {hint} "
                                   "Then name the shape of the whole run, start to end.", question=question)
    right = [f"The series shows {_mode_name(actual)}."]
    if isinstance(prediction, str):
        if _norm(prediction) == _norm(actual):
            right.append(f"Your prediction ({prediction}) matched.")
        else:
            right.append(f"Your prediction ({prediction}) did not match: which loop took over as the stock grew?")
    return Feedback(True, right=right, question=question)


def policy_lever(answer: Any, model: sd.Model, outcome: str, parameters: Sequence[str] | None = None,
                 prediction: Any = None, policy: Mapping[str, float] | None = None) -> Feedback:
    """Check the lever named as moving ``outcome``'s final value most across its range.

    Levers are tested with ``policy`` on (e.g. a scenario's ``params``), each
    moved across the range the model declares for it
    (:func:`stp_helpers.sd.lever_effects`); parameters with base value 0, such
    as a policy switch, are tested too.

    Examples
    --------
    >>> bath = sd.teaching_model("bathtub")
    >>> policy_lever("tap flow", bath, "Water in tub", parameters=["tap flow", "drain time"])
    Correct. Across its range (0 to 30), tap flow moves Water in tub's final value by 150 (300% of 49.9), the most of the levers tested. Its elasticity, the sensitivity to a 10% change, is 1.0. Meadows (2008) ranks changing a number like this as the weakest leverage point: which change to the structure (a flow, a loop, a rule) would do more?
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a parameter name as text, e.g. "crisis duration"')
    table = sd.lever_effects(model, outcome, levers=parameters, policy=policy)
    names = list(table["parameter"])
    lowered = [n.lower() for n in names]
    top = table.iloc[0]
    target = model.resolve(outcome)
    question = ("Meadows (2008) ranks changing a number like this as the weakest leverage point: "
                "which change to the structure (a flow, a loop, a rule) would do more?")
    if answer.strip().lower() == lowered[0]:
        elasticity = ("not defined (its base value is 0)" if math.isnan(top["elasticity"])
                      else f"{top['elasticity']:.1f}")
        right = [f"Across its range ({top['low']:g} to {top['high']:g}), {top['parameter']} moves "
                 f"{target}'s final value by {abs(top['effect']):,.3g} "
                 f"({abs(top['effect_pct']):.0f}% of {top['outcome_base']:,.3g}), the most of the "
                 f"levers tested.",
                 f"Its elasticity, the sensitivity to a 10% change, is {elasticity}."]
        if isinstance(prediction, str) and prediction.strip():
            verdict = "matched" if prediction.strip().lower() == lowered[0] else "did not match"
            right.append(f"Your prediction ({prediction}) {verdict}.")
        return Feedback(True, right=right, question=question)
    if answer.strip().lower() in lowered:
        rank = lowered.index(answer.strip().lower())
        row = table.iloc[rank]
        return Feedback(False, right=[f"{row['parameter']} does move it (by {abs(row['effect']):,.3g} "
                                      f"across its range), but it ranks number {rank + 1}."],
                        fix="Sort the levers by the size of their effect, ignoring its sign, with the "
                            "policy on.",
                        question="Why might the strongest lever not be the easiest to pull?")
    return Feedback(False, fix=f"{answer!r} is not one of the levers tested ({', '.join(names)}).",
                    question="Which constants could a policy change?")


def validation_flaw(answer: Any, model_or_report: Any, *, prediction: Any = ...) -> Feedback:
    """Check the name of the validation test that a flawed model fails.

    ``model_or_report`` is a :class:`sd.Model` (validated here) or a
    :class:`sd.ValidationReport`; ``prediction`` is the test the learner expected to fail.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be the name of a test as text, e.g. "Flow units"')
    if isinstance(model_or_report, sd.ValidationReport):
        report = model_or_report
    elif isinstance(model_or_report, sd.Model):
        report = sd.validate(model_or_report)
    else:
        raise TypeError("give the flawed model or its validation report")
    failed = [c for c in report.checks if c.status == "fail"]
    if not failed:
        return Feedback(False, fix=f"{report.model} passes every automated test; is it the flawed model?")
    given = _norm(answer)
    for check in failed:
        if given and (given in _norm(check.test) or _norm(check.test) in given):
            note = choice_note(prediction, check.test, "the test it fails", "What did you picture the model doing?")
            return Feedback(True, right=[f"{check.test} fails: {check.sentence}"],
                            question=note or "What change to the model's structure would stop the stock going "
                                             "below its limit, and which loop would that add?")
    names = [c.test for c in report.checks]
    if any(given and given in _norm(n) for n in names):
        return Feedback(False, right=[f"{answer} is one of the tests, and the model passes it."],
                        fix="Picture the model at the edges: with a flow switched off, or a stock at zero. Which test looks there?",
                        question="Why can a model pass its unit checks and still be wrong?")
    return Feedback(False, fix=f"Name a test from the report: {', '.join(names)}.",
                    question="Which test pushes parameters to values nobody would choose?")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def mode_exercise(series: Any, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "name the behaviour mode": one of the modes of the methods reference (BM-1)."""
    modes = [m for m in sd.modes.MODES if m != "other"]
    actual = sd.classify_behaviour(_series(series))
    app = Exercise(
        "behaviour_mode", lambda a, p: behaviour_mode(a, series, prediction=None if p is ... else p),
        Choice("Mode", modes), actual,
        explanation="Early on the reinforcing loop (more people, more births) dominates; later the balancing loop "
                    "(crowding as the population nears capacity) takes over.",
        predict=Choice("Which mode do you expect?", modes), title="Which behaviour mode does the population show?")
    return app.submit(answer, prediction)


def lever_exercise(model: sd.Model, outcome: str, answer: Any = ..., prediction: Any = ...,
                   parameters: Sequence[str] | None = None, policy: Mapping[str, float] | None = None) -> Exercise:
    """The app for "find the policy lever": one of the model's levers (listed alphabetically)."""
    table = sd.lever_effects(model, outcome, levers=parameters, policy=policy)
    names = sorted(table["parameter"])
    app = Exercise(
        "policy_lever", lambda a, p: policy_lever(a, model, outcome, parameters, prediction=None if p is ... else p,
                                                  policy=policy),
        Choice("Lever", names), str(table["parameter"].iloc[0]),
        explanation="The strongest lever is not always one a service controls: ask who could change it, and how.",
        predict=Choice("Which do you expect to move the outcome most?", names),
        title=f"Which lever moves {outcome}'s final value most across its range?")
    return app.submit(answer, prediction)


def flaw_exercise(model: sd.Model, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "spot the flaw a validation test finds": one of the automated tests."""
    report = sd.validate(model)
    tests = [c.test for c in report.checks]
    failed = [c.test for c in report.checks if c.status == "fail"]
    app = Exercise(
        "validation_flaw", lambda a, p: validation_flaw(a, report, prediction=p), Choice("Test", tests),
        ", ".join(failed) or "none",
        explanation="With the tap off, a fixed outflow keeps draining an empty bath and the water goes below zero. "
                    "Making the outflow depend on the water in the tub (a balancing loop) removes the flaw.",
        predict=Choice("Which test will it fail?", tests), title="Which automated test does the flawed model fail?")
    return app.submit(answer, prediction)
