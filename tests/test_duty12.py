"""Duty 12: the monitoring plan (MP-1 to MP-5), first signals, the feedback loop, its form and the two exercises."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_notebook

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case, report
from stp_helpers.checks import duty12 as check
from stp_helpers.errors import CaseFileError
from stp_helpers.evaluation import logic_model, monitoring, spc
from stp_helpers.widgets.duty12 import MonitoringPlanForm

STOKE = case.load("stoke-neet")


def test_stoke_plan_passes_and_names_the_links_each_indicator_tests() -> None:
    model, rows = monitoring.case_plan(STOKE)
    assert monitoring.check_monitoring_plan(model, rows) == []
    plan = monitoring.monitoring_plan(model, rows).set_index("indicator")
    assert plan.loc["neet_rate", "tests"].startswith("S1 → L1: Students who stay on progress")
    assert plan.loc["neet_rate", "tracked"] == "36 points, baseline 16"
    assert plan.loc["january_reengaged", "tracked"] == "not tracked yet"
    assert monitoring.links_tested(model, "course_leavers") == [
        ("O1", "S1", "Knowing where dropout happens changes course advice at enrolment."),
        ("O3", "S1", "Regular contact catches disillusion before a student leaves.")]


def test_each_rule_on_shipped_and_hand_made_plans() -> None:
    for slug, rules in (("wiltshire-complex-needs", []), ("plymouth-alliance", ["MP-2"]),
                        ("salford-spotlight", ["MP-1", "MP-1", "MP-1", "MP-2"])):
        assert [f.rule for f in monitoring.check_monitoring_plan(*monitoring.case_plan(case.load(slug)))] == rules
    model, rows = monitoring.case_plan(STOKE)
    stray = rows + [spc.IndicatorValue(indicator="mood", period="2007-01", value=3)]
    assert [str(f) for f in monitoring.check_monitoring_plan(model, stray)] == [
        "MP-3 indicators.csv (mood): the series 'mood' is not an indicator of the logic model. Define it under "
        "'indicators:' with the same id, or rename the series to an indicator's id."]
    neet = next(i for i in model.indicators if i.id == "neet_rate")
    for points, problem in ((None, "not recorded"), (4, "does not fit"), (40, "does not fit")):
        changed = model.model_copy(update={"indicators": [i if i is not neet else neet.model_copy(
            update={"baseline_points": points}) for i in model.indicators]})
        found = monitoring.check_monitoring_plan(changed, rows)
        assert [(f.rule, f.where) for f in found] == [("MP-4", "indicators[3] (neet_rate)")] and problem in found[0].problem
    silent = model.model_copy(update={"links": [l if l.target != "L1" else l.model_copy(update={"assumption": None})
                                                for l in model.links]})
    assert [(f.rule, f.where) for f in monitoring.check_monitoring_plan(silent, rows)] == [
        ("MP-5", "indicators[3] (neet_rate)")]
    starter = logic_model.parse_logic_model(monitoring.STARTER_LOGIC_MODEL)
    found = monitoring.check_monitoring_plan(starter, monitoring.parse_indicator_values(monitoring.STARTER_INDICATORS))
    assert [f.rule for f in found] == ["MP-2", "MP-4"] and "'tbc' says nothing yet" in found[0].problem
    assert [f.rule for f in monitoring.check_monitoring_plan(starter, [])] == ["MP-2", "MP-3"]


def test_first_signal_follows_the_methods_reference_and_the_stoke_series() -> None:
    limits = spc.xmr_limits(spc.EXAMPLE_SERIES, baseline=12)
    assert monitoring.first_signal(spc.EXAMPLE_SERIES, limits) == (13, "1")  # SPC-T1: rule 1 at point 13
    summary = monitoring.signals_summary(STOKE).set_index("indicator")
    assert summary.loc["neet_rate", "first signal"] == "2007-07" and summary.loc["neet_rate", "rule"].startswith("3:")
    assert summary.loc["course_leavers", "first signal"] == "2007-08"  # the run of eight completes at its 8th point
    assert summary.loc["neet_rate", "reading"] == "lower, as the plan hopes"
    wrong_way = case.load("wiltshire-complex-needs")
    assert "no signal" in monitoring.signals_summary(wrong_way).set_index("indicator").loc["crisis_onsets", "reading"]


def test_feedback_loop_hears_and_tells_back() -> None:
    table = monitoring.feedback_loop(case.load("wiltshire-complex-needs"))
    assert table["step"].value_counts().to_dict() == {"hear": 6, "tell back": 4}
    assert "The loop is open" in repr(monitoring.feedback_markdown(STOKE))
    flamingos = case.load("wolverhampton-flamingos")
    assert monitoring.feedback_loop(flamingos).empty
    assert "records no way yet" in repr(monitoring.feedback_markdown(flamingos))


def test_indicator_text_round_trips_and_bad_text_names_row_column_and_fix() -> None:
    rows = report.case_indicators(STOKE)
    assert monitoring.parse_indicator_values(monitoring.indicator_values_text(rows)) == rows
    with pytest.raises(CaseFileError, match=r'^indicators.csv, row 3, column "period"'):
        monitoring.parse_indicator_values("indicator,period,value\nneet,2007-01,9\nneet,2007-01,8\n")
    hostile = [monitoring.PlanFinding("MP-1", "<b>S1</b>", "[x](javascript:alert(1))", "fix")]
    assert "<b>" not in monitoring.plan_findings_markdown(hostile).text


def test_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = MonitoringPlanForm.from_case("stoke-neet")
    assert repr(form) == "MonitoringPlanForm: 4 indicators, 2 tracked; every rule passes."
    assert "S1 → L1" in form.plan.value
    form.save.click()
    assert "read-only" in form.status.value and "stp new-case mine --from stoke-neet" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    case.new_case("mine", template="stoke-neet")
    mine = MonitoringPlanForm.from_case("mine")
    mine.editor.text.value = mine.editor.text.value.replace("baseline_points: 16\n    frequency: monthly\n    owner: "
                                                            "Local", "frequency: monthly\n    owner: Local")
    assert mine.summary.endswith("1 point to work on: MP-4.")
    mine.save.click()
    assert "Saved logic_model.yaml and indicators.csv" in mine.status.value
    saved = case.load("mine")
    assert [f.rule for f in monitoring.check_monitoring_plan(*monitoring.case_plan(saved))] == ["MP-4"]
    mine.series.value = "indicator,period,value\nneet_rate,2007-01,lots\n"
    mine.save.click()
    assert "not a number" in mine.status.value
    assert monitoring.case_plan(case.load("mine"))[1] == report.case_indicators(STOKE), "a bad save changes nothing"
    blank = MonitoringPlanForm.from_case(case.new_case("blank").name)
    assert blank.summary == "1 indicator, 1 tracked; 2 points to work on: MP-2, MP-4."
    blank.save.click()
    assert "List logic_model.yaml and indicators.csv under 'artefacts:'" in blank.status.value


SIGNAL = [
    ({"period": "2007-07", "rule": "3"}, "no", "Correct.", "Later, rule 4 at 2007-08 and rule 1 at 2007-09"),
    (("July 2007", "rule 3"), "yes", "Correct.", "You predicted January 2007 would be a signal: it is not"),
    ({"period": "2007-01", "rule": "1"}, "yes", "Not yet.", "on its own it was noise"),
    ({"period": "2007-09", "rule": "1"}, "no", "Not yet.", "At 2007-09 rule 1 is complete. A rule is complete earlier"),
    ({"period": "2007-08", "rule": "4"}, "no", "Not yet.", "fewer points than eight"),
    ({"period": "2007-07", "rule": "4"}, "no", "Not yet.", "The period 2007-07 is right."),
    ({"period": "2007-05", "rule": "3"}, "no", "Not yet.", "No rule is complete yet at 2007-05"),
    ({"period": "2006-12", "rule": "1"}, "no", "Not yet.", "is in the baseline"),
    ({"period": "soon", "rule": "3"}, "no", "Not yet.", "give it as YYYY-MM"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), SIGNAL)
def test_signal_answer_table(answer: object, prediction: str, verdict: str, line: str) -> None:
    assert_answer_row(check.signal_exercise, answer, prediction, verdict, line)


def test_signal_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.signal_exercise, "no")
    with pytest.raises(TypeError):
        check.first_signal("2007-07")


OPTIONS = check.blocker_options()
RIVALS = [o for o in OPTIONS if o.startswith("rival")]
BLOCKERS = [
    (RIVALS, "plausible, needs more evidence", "Correct.", "2 are not yet assessed, and 1 was found"),
    (list(reversed(RIVALS)), "credible", "Correct.", "You expected 'credible'"),
    (RIVALS[:2], "credible", "Not yet.", "One rival was assessed, and still holds the claim back"),
    (RIVALS[1:], "credible", "Not yet.", "has not been assessed holds the claim back too"),
    (OPTIONS, "credible", "Not yet.", "Link A2 → O2 has strong evidence, which is enough"),
    (RIVALS + ["link M1 → L1 (moderate evidence)"], "credible", "Not yet.", "Link M1 → L1 has moderate evidence"),
    (["the 25% figure"], "credible", "Not yet.", "is not a part of the story"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), BLOCKERS)
def test_blockers_answer_table(answer: object, prediction: str, verdict: str, line: str) -> None:
    assert_answer_row(check.blockers_exercise, answer, prediction, verdict, line)


def test_blockers_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.blockers_exercise, "credible")
    with pytest.raises(TypeError):
        check.claim_blockers("rival")


@pytest.mark.parametrize("slug", [*case.list_cases(), "fresh-case"])
def test_duty12_notebook_runs_on_every_case(slug: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat

    from stp_helpers import catalogue, paths

    if slug == "fresh-case":
        monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
        case.new_case(slug)
    monkeypatch.setenv("STP_PROGRESS", str(tmp_path / "progress"))
    out = tmp_path / "out.ipynb"
    run_notebook(catalogue.notebook_path(catalogue.entry("duty12.ipynb")), out, slug, paths.NOTEBOOKS_DIR)
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    assert "MonitoringPlanForm:" in text
    assert "Every rule (MP-1 to MP-5) passes." in text, "the exemplar is shown whatever the case"
