"""Answer tables of the scenarios and stock-and-flow notebooks' exercises, run through their apps."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import case, paths, sd
from stp_helpers.checks import scenarios as futures_check
from stp_helpers.checks import sd as sd_check
from stp_helpers.checks import stock_flow as structure_check
from stp_helpers.checks.exercise import APP_YOUR_TURN
from stp_helpers.futures import robustness, scenarios
from stp_helpers.sd import passage as sd_passage
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
    "structure": lambda: structure_check.structure_exercise(case.load("wiltshire-complex-needs")),
}

#: The Wiltshire passage's quantities as its model has them (model.mdl, worked by hand from the INTEG equations).
STRUCTURE = [("Stable", "stock"), ("At risk", "stock"), ("In crisis", "stock"),
             ("becoming at risk", "flow", "At risk", "in"), ("stabilising", "flow", "Stable", "in"),
             ("entering crisis", "flow", "In crisis", "in"), ("returning to risk", "flow", "At risk", "in"),
             ("recovering from crisis", "flow", "Stable", "in"), ("crisis onset rate", "parameter or auxiliary"),
             ("crisis duration", "parameter or auxiliary"), ("total agency contacts", "parameter or auxiliary")]
#: The same in other words: synonyms, levels and rates, each flow from the stock it drains.
STRUCTURE_ALT = [("stable people", "level"), ("People at risk", "Stock"), ("people in crisis", "stock"),
                 ("becoming at-risk", "outflow", "stable"), ("stabilizing", "flow", "At risk", "out"),
                 ("tipping into crisis", "rate", "at risk", "out"), ("revolving door", "inflow", "people at risk"),
                 ("recovery", "flow", "in crisis", "out"), ("crisis onset rate", "parameter"),
                 ("length of a crisis", "constant"), ("agency contacts", "auxiliary")]


def _with(rows: list[tuple[str, ...]], index: int, row: tuple[str, ...]) -> list[tuple[str, ...]]:
    return rows[:index] + [row] + rows[index + 1:]


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
    ("structure", STRUCTURE, 3, "Correct.", "All 11 quantities the passage names are classified as the model has "
     "them: 3 stocks, 5 flows and 3 parameters or auxiliaries. You predicted 3 stocks, and there are 3."),
    ("structure", STRUCTURE_ALT, 2, "Correct.", "You predicted 2 stocks; there are 3."),
    ("structure", _with(STRUCTURE, 3, ("becoming at risk", "flow", "At risk", "out")), ..., "Not yet.",
     "becoming at risk is a flow into At risk, not out of it."),
    ("structure", _with(STRUCTURE, 8, ("crisis onset rate", "flow", "In crisis", "in")), ..., "Not yet.",
     "crisis onset rate is a parameter, though its name says rate: the model holds it fixed over a run (1/Month)"),
    ("structure", _with(STRUCTURE, 1, ("At risk", "flow", "Stable", "in")), 3, "Not yet.",
     "You predicted 3 stocks; your answer has 2. At risk is a stock: it would still have a value if time stopped, "
     "and only its flows change it (Sterman 2000, ch. 6)."),
    ("structure", _with(STRUCTURE, 3, ("becoming at risk", "flow", "In crisis", "in")), ..., "Not yet.",
     "becoming at risk does not fill or drain In crisis"),
    ("structure", STRUCTURE[:-2], ..., "Not yet.", "The passage names 2 more quantities you have not listed; look "
     "again at: \"A crisis lasts four months on average: that is the crisis duration.\""),
    ("structure", [("early help", "parameter")] + STRUCTURE, ..., "Not yet.",
     "'early help' is not a quantity in the case model: use the passage's own words"),
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


def test_structure_answer_is_the_model_read_through_pysd() -> None:
    the_case = case.load("wiltshire-complex-needs")
    roles = sd_passage.quantity_roles(sd.case_model(the_case), sd_passage.case_passage(the_case).quantities)
    assert sd_passage.answer_rows(roles) == STRUCTURE
    assert [r.out_of for r in roles if r.kind == "flow"] == [("Stable",), ("At risk",), ("At risk",), ("In crisis",),
                                                             ("In crisis",)]


def test_structure_app_reads_its_table_and_says_when_a_case_has_no_model() -> None:
    app = structure_check.structure_exercise(case.load("wiltshire-complex-needs"))
    app.predict.control.value = "3"
    app.lock_button.click()
    for cells, row in zip(app.answer.cells, STRUCTURE):
        for cell, value in zip(cells, row + ("",) * (4 - len(row))):
            cell.value = value
    app.check_button.click()  # a stock's row leaves the stock and direction blank, and still counts
    assert repr(app).startswith("Correct. All 11 quantities"), repr(app)
    none = structure_check.structure_exercise(case.load("plymouth-alliance"))
    assert "has no stock-and-flow model" in repr(none)
