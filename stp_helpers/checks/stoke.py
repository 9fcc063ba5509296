"""Exercise checks for the Stoke-on-Trent case thread (``notebooks/cases/stoke.ipynb``).

The check runs the case's own stock-and-flow model under its scenarios, so the
known answer is the model's, never a number typed into the notebook.

Examples
--------
>>> from stp_helpers import case
>>> stoke = case.load("stoke-neet")
>>> neet_reduction(..., stoke)
Your turn: fill in the cell above, then run this one.
>>> neet_reduction(15.9, stoke, scenario="january starts without follow-up", prediction=25)
Correct. With january starts without follow-up the model ends with 15.9% fewer young people NEET than with september starts only (621 against 739 after 48 months). Your prediction (25%) was 9.1 points too high. The seed reports a 25% reduction in NEET. Which part of the package does the rest of the work, and how would you find out in Stoke?
>>> neet_reduction(30, stoke, scenario="january starts without follow-up")
Not yet. Compare the final NEET of the scenario with the first scenario's: the fall as a percentage of the first scenario's final value, a positive number. Which part of the package does the rest of the work, and how would you find out in Stoke?
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from stp_helpers import sd
from stp_helpers.case import Case
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Number
from stp_helpers.checks.prediction import as_number

__all__ = ["TOLERANCE", "model_reduction", "neet_reduction", "reduction_exercise"]

#: How far (percentage points) an answer may be from the model's reduction.
TOLERANCE = 0.5
#: The id of the case fact that states the reported reduction.
REPORTED_FACT = "neet-reduction"


def model_reduction(the_case: Case, scenario: str = "january starts", variable: str = "NEET"
                    ) -> tuple[float, float, float, str, float]:
    """The fall in ``variable``'s final value under ``scenario``, against the case's first scenario.

    Parameters
    ----------
    the_case : Case
        A case with ``model.mdl`` and ``scenarios.yaml``.
    scenario : str
        The name of a scenario in ``scenarios.yaml``.
    variable : str
        A model variable, e.g. ``"NEET"``.

    Returns
    -------
    tuple
        ``(reduction_pct, final, first_final, first_name, final_time)``: the fall as a
        percentage of the first scenario's final value (positive when lower).

    Raises
    ------
    KeyError
        If ``scenario`` is not in the case's scenarios.

    Examples
    --------
    >>> from stp_helpers import case
    >>> pct, final, base, name, end = model_reduction(case.load("stoke-neet"))
    >>> round(pct, 1), round(final), round(base), name, end
    (25.0, 555, 739, 'september starts only', 48.0)
    """
    model = sd.case_model(the_case)
    scenarios = sd.case_scenarios(the_case)
    names = [s.name for s in scenarios]
    if scenario not in names:
        raise KeyError(f"no scenario {scenario!r}; the case has: {', '.join(names)}")
    chosen = [scenarios[0]] + [s for s in scenarios if s.name == scenario and s is not scenarios[0]]
    runs, outcomes = sd.run_scenarios(model, chosen, variables=[model.resolve(variable)])
    first = float(outcomes["final"].iloc[0])
    final = float(outcomes["final"].iloc[-1])
    end = float(runs["time"].max())
    pct = (first - final) / abs(first) * 100 if first else math.nan
    return pct, final, first, scenarios[0].name, end


def _reported(the_case: Case) -> float | None:
    for fact in the_case.meta.facts:
        if fact.id == REPORTED_FACT and fact.value is not None:
            return float(fact.value)
    return None


def neet_reduction(answer: Any, the_case: Case, scenario: str = "january starts", variable: str = "NEET",
                   prediction: Any = None) -> Feedback:
    """Check the percentage fall in NEET that the case model gives under ``scenario``.

    Parameters
    ----------
    answer : float
        The fall as a positive percentage of the first scenario's final value, e.g. ``12.5``.
    the_case : Case
        The case whose model and scenarios are run.
    scenario, variable : str
        The scenario compared with the first one, and the model variable.
    prediction : float, optional
        The learner's prediction, made before running; compared with the result.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        If ``answer`` is not a number.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str):
        read = as_number(answer.strip().rstrip("%"))
        if read is None:
            return Feedback(False, fix=f"{answer.strip()!r} is not a number: give the fall in per cent, e.g. 12.5.")
        answer = read
    if isinstance(answer, bool) or not isinstance(answer, Real):
        raise TypeError("answer should be a number: the fall in per cent, e.g. 12.5")
    guess = as_number(prediction.strip().rstrip("%") if isinstance(prediction, str) else prediction)
    pct, final, first, first_name, end = model_reduction(the_case, scenario, variable)
    question = "Which part of the package does the rest of the work, and how would you find out in Stoke?"
    if abs(float(answer) - pct) > TOLERANCE:
        hint = ("Compare the final NEET of the scenario with the first scenario's: the fall as a percentage "
                "of the first scenario's final value, a positive number.")
        if abs(float(answer) + pct) <= TOLERANCE:
            hint = "Give the fall as a positive number."
        elif guess is not None and abs(float(answer) - guess) <= TOLERANCE:
            hint += " Your answer is your prediction: run the scenarios to test it."
        return Feedback(False, fix=hint, question=question)
    right = [f"With {scenario} the model ends with {pct:.1f}% fewer young people {variable} than with "
             f"{first_name} ({final:,.0f} against {first:,.0f} after {end:g} months)."]
    if guess is not None:
        diff = guess - pct
        if abs(diff) <= 2:
            right.append(f"Your prediction ({guess:g}%) was close.")
        else:
            right.append(f"Your prediction ({guess:g}%) was {abs(diff):.1f} points too "
                         f"{'high' if diff > 0 else 'low'}.")
    reported = _reported(the_case)
    if reported is not None:
        right.append(f"The seed reports a {reported:g}% reduction in NEET.")
    return Feedback(True, right=right, question=question)


def reduction_exercise(the_case: Case, scenario: str, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "estimate the fall in NEET": a number in per cent, after predicting one."""
    pct, final, first, first_name, end = model_reduction(the_case, scenario)
    app = Exercise(
        "neet_reduction", lambda a, p: neet_reduction(a, the_case, scenario=scenario, prediction=p),
        Number("Fall in final NEET", units="%"), f"{pct:.1f}%",
        explanation=f"Final NEET after {end:g} months: {final:,.0f} under {scenario}, {first:,.0f} under "
                    f"{first_name}; the fall is ({first:,.0f} − {final:,.0f}) / {first:,.0f}.",
        predict=Number("Fall you expect", units="%"), notebook="cases/stoke.ipynb",
        title=f"By what percentage does {scenario} lower the final NEET, against {first_name}?")
    return app.submit(answer, prediction)
