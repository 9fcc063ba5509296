"""Drivers, futures.yaml and scenario structures: known answers (FUT-1, FUT-T1, FUT-T2, TH-1) and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stp_helpers import case
from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios
from stp_helpers.charts import scenarios as scenario_charts
from stp_helpers.errors import CaseFileError
from stp_helpers.io.tables import csv_text

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"


def test_fut_t1_from_file() -> None:
    drivers = scenarios.read_drivers(FIXTURES / "fut_t1_drivers.csv")
    assert drivers[0].category == "social"  # "Social" is accepted
    assert scenarios.predetermined_elements(drivers) == ["ageing population"]
    assert scenarios.critical_uncertainties(drivers) == [
        "central funding settlement", "voluntary-sector capacity", "housing supply"]
    ranked = scenarios.rank_drivers(drivers).set_index("driver")
    assert ranked.loc[["central funding settlement", "voluntary-sector capacity", "housing supply"], "score"].tolist() \
        == [25, 20, 16]
    assert scenarios.choose_axes(drivers) == ("central funding settlement", "voluntary-sector capacity")


@pytest.mark.parametrize("impact, uncertainty, role", [
    (4, 2, "predetermined"), (5, 1, "predetermined"), (4, 4, "critical uncertainty"), (5, 5, "critical uncertainty"),
    (3, 5, "other"), (4, 3, "other"), (1, 1, "other")])
def test_fut_1_boundaries(impact: int, uncertainty: int, role: str) -> None:
    assert scenarios.classify_driver(impact, uncertainty) == role


def test_choose_axes_needs_two() -> None:
    one = [d for d in scenarios.example_drivers() if d.driver != "voluntary-sector capacity"
           and d.driver != "housing supply"]
    with pytest.raises(scenarios.ScenarioError, match="1 critical uncertainty found"):
        scenarios.choose_axes(one)
    with pytest.raises(scenarios.ScenarioError, match="no drivers"):
        scenarios.rank_drivers([])


def test_bad_drivers_report_every_problem() -> None:
    with pytest.raises(CaseFileError) as err:
        scenarios.read_drivers(FIXTURES / "bad_drivers.csv")
    lines = err.value.lines()
    assert any('row 2, column "impact"' in line and "(5)" in line and "1 (little impact) to 5" in line
               for line in lines)
    assert any('row 3, column "category"' in line and "social, technological" in line for line in lines)
    assert any('row 3, column "uncertainty"' in line and "(1)" in line for line in lines)


def test_duplicate_driver(tmp_path: Path) -> None:
    path = tmp_path / "drivers.csv"
    path.write_text("driver,category,impact,uncertainty,source\nx,social,1,1,s\nX,legal,2,2,s\n")
    with pytest.raises(CaseFileError, match="row 3.*appears twice"):
        scenarios.read_drivers(path)


def test_fut_t2_tree() -> None:
    fut = scenarios.read_futures(FIXTURES / "mont_fleur.yaml")
    paths = scenarios.tree_paths(fut)
    assert len(fut.tree) == 3 and len(paths) == 4  # three questions, four leaves (not 8)
    assert scenarios.walk_tree(fut, ["yes", "yes", "no"]) == "Icarus"
    assert scenarios.walk_tree(fut, [True, False]) == "Lame Duck"
    assert scenarios.walk_tree(fut, ["no"]) == "Ostrich"
    assert scenarios.walk_tree(scenarios.example_tree(), ["yes"] * 3) == "Flight of the Flamingos"
    drawing = scenario_charts.draw_tree(fut, highlight="Icarus")
    assert drawing.html.startswith("<svg") and "Icarus" in drawing.html and "#D55E00" in drawing.html


@pytest.mark.parametrize("answers, words", [
    (["yes"], "stop at a question"),
    (["no", "yes"], "left over"),
    (["maybe"], "not yes or no"),
])
def test_walk_tree_bad_answers(answers: list, words: str) -> None:
    with pytest.raises(scenarios.ScenarioError, match=words):
        scenarios.walk_tree(scenarios.example_tree(), answers)


def test_entered_payoffs_give_fut_t3() -> None:
    fut = scenarios.read_futures(FIXTURES / "mont_fleur.yaml")
    pay = robustness.futures_payoffs(fut)
    assert not pay.computed and list(pay.table.columns) == fut.names
    assert robustness.minimax_regret(pay.table) == "B" and robustness.maximin(pay.table) == "D"


def test_bad_futures_report_every_problem() -> None:
    with pytest.raises(CaseFileError) as err:
        scenarios.read_futures(FIXTURES / "bad_futures.yaml")
    text = str(err.value)
    for words in ["'Three' is not one of the scenarios", "Two quadrants sit at x=low, y=low",
                  "Both axes use the same driver", "'Nowhere' is neither a question id nor a scenario",
                  "The H2 item 'pilot' has no direction (rule TH-1)", "Only H2 items take a direction",
                  "'Zero' is not one of the scenarios",
                  "The options table has missing cells: option 'B' has no payoff under 'Two'"]:
        assert words in text, words
    assert "bad_futures.yaml, line" in text


def test_tree_loop_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "futures.yaml"
    path.write_text("focal_question: q\nsource: s\nscenarios:\n  - {name: A, narrative: a}\n"
                    "tree:\n  - {id: q1, question: one, 'yes': q2, 'no': A}\n"
                    "  - {id: q2, question: two, 'yes': q1, 'no': A}\n")
    with pytest.raises(CaseFileError, match="loops back to 'q1'"):
        scenarios.read_futures(path)


def test_schema_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "futures.yaml"
    path.write_text("focal_question: q\nsource: s\nscenarios:\n  - name: A\n    narrative: a\n    colour: red\n")
    with pytest.raises(CaseFileError, match=r'line 6, column "scenarios\[0\].colour"'):
        scenarios.read_futures(path)


@pytest.mark.parametrize("slug", ["wiltshire-complex-needs", "wolverhampton-flamingos"])
def test_shipped_futures_round_trip(slug: str, tmp_path: Path) -> None:
    found = case.load(slug)
    fut = scenarios.read_futures(found.artefact_path("futures.yaml"))
    copy = tmp_path / "futures.yaml"
    copy.write_text(yaml.safe_dump(fut.model_dump(exclude_none=True), allow_unicode=True, sort_keys=False))
    assert scenarios.read_futures(copy) == fut
    drivers = scenarios.read_drivers(found.artefact_path("drivers.csv"))
    rows = [[getattr(d, c) for c in scenarios.Driver.model_fields] for d in drivers]
    again = tmp_path / "drivers.csv"
    again.write_text(csv_text(list(scenarios.Driver.model_fields), rows))
    assert scenarios.read_drivers(again) == drivers


def test_shipped_cases_cite_their_sources() -> None:
    for slug, source in [("wiltshire-complex-needs", "seed-000"), ("wolverhampton-flamingos", "seed-003")]:
        found = case.load(slug)
        fut = scenarios.read_futures(found.artefact_path("futures.yaml"))
        assert fut.source == source and fut.synthetic
        assert {d.source for d in scenarios.read_drivers(found.artefact_path("drivers.csv"))} == {source}
        assert found.meta.source(source)


def test_wiltshire_structures() -> None:
    found = case.load("wiltshire-complex-needs")
    fut = scenarios.read_futures(found.artefact_path("futures.yaml"))
    drivers = scenarios.read_drivers(found.artefact_path("drivers.csv"))
    assert (fut.matrix.x.driver, fut.matrix.y.driver) == scenarios.choose_axes(drivers)
    assert set(scenarios.matrix_frame(fut)["scenario"]) == set(fut.names)
    assert all(s.signposts for s in fut.scenarios)  # FUT-2: each scenario has its own signposts
    horizons = scenarios.horizons_table(fut)
    assert horizons["horizon"].tolist() == ["H1", "H2+", "H2−", "H3"]
    signposts = scenarios.signposts_table(fut, indicators=["Rent arrears cases"])
    assert set(signposts["tracked"]) == {"yes", "no"}
    assert "2x2 matrix" in repr(scenario_charts.matrix_html(fut))


def test_wolverhampton_tree_is_mont_fleur() -> None:
    fut = scenarios.read_futures(case.load("wolverhampton-flamingos").artefact_path("futures.yaml"))
    assert scenarios.tree_paths(fut)["scenario"].tolist() == scenarios.tree_paths(scenarios.example_tree())[
        "scenario"].tolist()
    assert scenarios.walk_tree(fut, ["yes", "yes", "no"]) == "Icarus"
