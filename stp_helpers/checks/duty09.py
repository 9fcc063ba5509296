"""Exercise check for duty 9: test an assumption, the value of a contact avoided, on Wiltshire's robust choice.

Wiltshire's options are run under its four futures on the model; the payoff
is the value of the crisis contacts each avoids, less its cost.  The value of
a contact avoided is an assumption (synthetic): halve it and ask which option
is still the robust (minimax-regret) choice.

Examples
--------
>>> halved_value_choice("do nothing", prediction="yes")
Correct. With half the value of a contact avoided, Do nothing has the smallest largest regret (0.050 £m); at the value as written it is Early help at scale. You predicted yes, and the choice does change. Which assumption would the partners most want to see tested next?
>>> halved_value_choice("Early help at scale")
Not yet. That is the robust choice at the value as written. Halve what each option's benefit is worth, keep its cost, and compare each option with the best in each future again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from stp_helpers import case
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice
from stp_helpers.checks.matching import canonical
from stp_helpers.futures import assumptions, robustness

__all__ = ["halved_value_choice", "halved_value_exercise", "wiltshire_options"]

_CASE = "wiltshire-complex-needs"
_FACTOR = 0.5


@lru_cache(maxsize=1)
def _payoffs() -> tuple[pd.DataFrame, tuple[tuple[str, float], ...], str]:
    # the model runs once per kernel: 16 runs of Wiltshire's model
    from stp_helpers import sd  # heavy (PySD): only this exercise needs the runs

    found = case.load(_CASE)
    futures = found.read("futures.yaml")
    model = sd.load_model(found.artefact_path("model.mdl"))
    policies = sd.load_scenarios(found.artefact_path("scenarios.yaml"))
    pay = robustness.futures_payoffs(futures, model, policies)
    assert futures.robustness is not None
    return pay.table, tuple((o.name, o.cost) for o in futures.robustness.options), pay.unit


def wiltshire_options() -> list[str]:
    """The options of Wiltshire's robustness table, in order."""
    return [name for name, _ in _payoffs()[1]]


def halved_value_choice(answer: Any, prediction: Any = None) -> Feedback:
    """Check the robust (minimax-regret) choice when the value of a contact avoided is halved.

    Parameters
    ----------
    answer : str
        An option's name (case and articles do not count).
    prediction : str, optional
        "yes" or "no": did the learner expect the robust choice to change?

    Raises
    ------
    TypeError
        When ``answer`` is not a string.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be an option\'s name, e.g. "Early help"')
    table, costs, unit = _payoffs()
    written = robustness.robust_choice(table, unit=unit)
    halved = robustness.robust_choice(assumptions.scale_value(table, dict(costs), value_factor=_FACTOR), unit=unit)
    names = {canonical(n): n for n, _ in costs}
    given = names.get(canonical(answer))
    question = "Which assumption would the partners most want to see tested next?"
    if given is None:
        return Feedback(False, fix=f"{answer.strip()!r} is not one of the options: {', '.join(names.values())}.")
    if given == halved.robust:
        said = [f"With half the value of a contact avoided, {given} has the smallest largest regret "
                f"({halved.max_regret:.3f} {unit}); at the value as written it is {written.robust}."]
        changed = halved.robust != written.robust
        if isinstance(prediction, str) and prediction.strip().lower() in ("yes", "no"):
            expected = "yes" if changed else "no"
            said.append(f"You predicted {prediction.strip().lower()}, and the choice does "
                        f"{'' if changed else 'not '}change." if prediction.strip().lower() == expected
                        else f"You predicted {prediction.strip().lower()}; what did you not expect?")
        return Feedback(True, right=said, question=question)
    if given == written.robust:
        return Feedback(False, fix="That is the robust choice at the value as written. Halve what each option's "
                                  "benefit is worth, keep its cost, and compare each option with the best in each "
                                  "future again.")
    return Feedback(False, fix=f"{given} does not have the smallest largest regret. Work out each option's regret "
                               "in each future (the best payoff there less its own), then take each option's "
                               "largest.")


def halved_value_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which option is robust if a contact avoided is worth half as much?"."""
    table, costs, unit = _payoffs()
    halved = robustness.robust_choice(assumptions.scale_value(table, dict(costs), value_factor=_FACTOR), unit=unit)
    app = Exercise("halved_value", lambda a, p: halved_value_choice(a, prediction=p),
                   Choice("Robust choice", wiltshire_options()), halved.robust,
                   explanation=halved.sentence() + ". Halving the value halves every benefit but not the costs, "
                               "so the dearer options lose most.",
                   predict=Choice("Will the robust choice change?", ["yes", "no"]),
                   title="Name the minimax-regret option when a contact avoided is worth half as much.",
                   notebook="duty09.ipynb")
    return app.submit(answer, prediction)
