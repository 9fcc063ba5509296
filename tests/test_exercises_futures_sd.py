"""Answer tables of the scenarios and stock-and-flow notebooks' exercises, run through their apps."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import case, paths, sd
from stp_helpers.checks import scenarios as futures_check
from stp_helpers.checks import sd as sd_check
from stp_helpers.checks.exercise import APP_YOUR_TURN
from stp_helpers.futures import robustness, scenarios
from stp_helpers.widgets import scenarios as views

DRIVERS = scenarios.example_drivers()
PAYOFFS = robustness.example_payoffs()


@cache
def claims() -> Any:
    wiltshire = views.case_futures("wiltshire-complex-needs")
    return scenarios.check_claims(wiltshire.model, wiltshire.futures)


@cache
def population() -> Any:
    return sd.load_model(paths.DATA_DIR / "models" / "population_limits.mdl").run()["Population"]


@cache
def flawed() -> Any:
    return sd.load_model(paths.DATA_DIR / "models" / "flawed_bathtub.mdl")


APPS = {
    "axes": lambda: futures_check.axes_exercise(DRIVERS),
    "robust": lambda: futures_check.robust_exercise(PAYOFFS),
    "contradicted": lambda: futures_check.contradiction_exercise(claims()),
    "mode": lambda: sd_check.mode_exercise(population()),
    "flaw": lambda: sd_check.flaw_exercise(flawed()),
}

TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("axes", ("central funding settlement", "voluntary-sector capacity"), "central funding settlement", "Correct.",
     "Your prediction (central funding settlement) matched."),
    ("axes", {"Voluntary sector capacity", "Central Funding Settlement"}, "housing supply", "Correct.",
     "Your prediction (housing supply) did not match."),
    ("axes", ("central funding settlement", "ageing population"), ..., "Not yet.",
     "central funding settlement is one of the two axes."),
    ("axes", ("central funding settlement",), ..., "Not yet.", "Name exactly two different drivers"),
    ("robust", "B", "C", "Correct.", "Your prediction (C) did not match: C has the best best case"),
    ("robust", "b", "B", "Correct.", "Your prediction (B) matched."),
    ("robust", "C", ..., "Not yet.", "C"),
    ("robust", "D (do nothing)", ..., "Not yet.", "D (do nothing)"),
    ("contradicted", "Housing bottleneck", "Housing bottleneck", "Correct.", "Your prediction (Housing bottleneck) matched."),
    ("contradicted", "housing bottleneck", "Community resilience", "Correct.", "did not match"),
    ("mode", "S-shaped", "exponential", "Correct.", "Your prediction (exponential) did not match"),
    ("mode", "s shaped", "S-shaped", "Correct.", "Your prediction (S-shaped) matched."),
    ("mode", "exponential", ..., "Not yet.", ""),
    ("mode", "goal seeking", ..., "Not yet.", ""),
    ("flaw", "Extreme conditions", "Extreme conditions", "Correct.",
     "You predicted Extreme conditions as the test it fails, and it is."),
    ("flaw", "extreme condition", "Flow units", "Correct.", "You predicted Flow units as the test it fails; it is Extreme conditions."),
    ("flaw", "Flow units", ..., "Not yet.", "Flow units is one of the tests, and the model passes it."),
    ("flaw", "gremlins", ..., "Not yet.", "Name a test from the report"),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], "yes")


def test_lever_app_lists_parameters_alphabetically_and_checks_the_strongest() -> None:
    model = sd.case_model(case.load("wiltshire-complex-needs"))
    outcome = sd.key_outcome(model, sd.case_scenarios(case.load("wiltshire-complex-needs")))
    table = sd.lever_effects(model, outcome)
    app = sd_check.lever_exercise(model, outcome)
    assert list(app.answer.options) == sorted(table["parameter"])
    assert repr(app.submit(table["parameter"].iloc[0], table["parameter"].iloc[-1])).startswith("Correct.")
    assert repr(sd_check.lever_exercise(model, outcome, table["parameter"].iloc[-1])).startswith("Not yet.")


SCORES = {d.driver: (d.impact, d.uncertainty) for d in DRIVERS}
SCORE_TABLE: list[tuple[Any, Any, str, str]] = [
    (SCORES, "central funding settlement", "Correct.",
     "You predicted central funding settlement as the most critical uncertainty, and your scores put it first."),
    ({**{k.upper(): (str(i), str(u)) for k, (i, u) in SCORES.items()}, "housing supply": (5, 3)}, "severe weather",
     "Correct.", "your scores put central funding settlement first"),
    ({**SCORES, "ageing population": (5, 5)}, ..., "Not yet.",
     "ageing population: you gave uncertainty 5; the briefing says 'the projections have barely moved in twenty years'."),
    ({**SCORES, "severe weather": (5, 5)}, ..., "Not yet.",
     "severe weather: you gave impact 5; the briefing says 'it would add pressure for a few weeks'."),
    ({k: v for k, v in SCORES.items() if k != "digital adoption"}, ..., "Not yet.", "You have not scored digital adoption yet."),
]


@pytest.mark.parametrize("answer,prediction,verdict,line", SCORE_TABLE, ids=[str(i) for i in range(len(SCORE_TABLE))])
def test_driver_scores_answer_table(answer: Any, prediction: Any, verdict: str, line: str) -> None:
    said = repr(futures_check.scores_exercise(DRIVERS).submit(answer, prediction))
    assert said.startswith(verdict), said
    assert line in said, said


def test_driver_scores_app_reads_its_table_and_waits_when_empty() -> None:
    app = futures_check.scores_exercise(DRIVERS)
    assert repr(app.submit(..., "housing supply")) == APP_YOUR_TURN and app.model_panel.value == ""
    for row, driver in zip(app.answer.cells, app.answer.row_names):
        row[0].value, row[1].value = (str(n) for n in SCORES[driver])
    app.check_button.click()
    assert repr(app).startswith("Correct. 6 of 6 drivers scored as the briefing reads.")
