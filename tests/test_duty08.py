"""Duty 8: the futures brief (drivers and scenarios with success, risks and opportunities), its form and exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty08 as check
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.futures import brief
from stp_helpers.widgets.futures_forms import FuturesBriefForm

WILTS = case.load("wiltshire-complex-needs")


def test_wiltshire_brief_passes_on_its_two_critical_uncertainties() -> None:
    futures, drivers = WILTS.read("futures.yaml"), WILTS.read("drivers.csv")
    assert brief.check_brief(futures, drivers) == []
    table = brief.success_table(futures)
    assert table["where"].tolist()[0] == "Finances ease; Housing available (short crises)"
    assert table["success"].nunique() == 4
    assert "budget-share" in table.loc[1, "risks"]  # the one risk resting on a fact of the talk
    assert all("inference" in r for r in table.loc[[0, 2, 3], "risks"])


def test_each_rule_on_hand_made_briefs() -> None:
    drivers, draft = brief.example_draft()
    assert [(f.rule, f.field) for f in brief.check_brief(draft, drivers)] == [
        ("FS-1", "matrix.y.driver"), ("FS-2", "scenarios[1].success"), ("FS-3", "scenarios[3].opportunities")]
    good = WILTS.read("futures.yaml")
    scores = WILTS.read("drivers.csv")
    # an axis that is not scored at all, and no drivers at all
    unknown = good.model_copy(update={"matrix": good.matrix.model_copy(update={
        "x": good.matrix.x.model_copy(update={"driver": "sunspots"})})})
    assert [str(f) for f in brief.check_brief(unknown, scores)] == [
        "FS-1 matrix.x.driver: 'sunspots' is not a driver in drivers.csv. Use the name of a scored driver, "
        "or add it to drivers.csv with its scores."]
    assert [f.field for f in brief.check_brief(good, None)] == ["drivers.csv"]
    # a question tree needs no axes; no structure at all does
    assert [f.rule for f in brief.check_brief(WILTS.read("futures.yaml").model_copy(update={"matrix": None}), scores)
            ] == ["FS-1"]
    flamingos = case.load("wolverhampton-flamingos")
    assert [f.rule for f in brief.check_brief(flamingos.read("futures.yaml"), flamingos.read("drivers.csv"))] == [
        "FS-2", "FS-3", "FS-5"]
    # one blank success, no risk, no signpost, no claim
    first = good.scenarios[0].model_copy(update={"success": " ", "risks": [], "signposts": [], "claims": []})
    bare = good.model_copy(update={"scenarios": [first, *good.scenarios[1:]]})
    assert [(f.rule, f.field) for f in brief.check_brief(bare, scores)] == [
        ("FS-2", "scenarios[0].success"), ("FS-3", "scenarios[0].risks"), ("FS-4", "scenarios[0].signposts"),
        ("FS-5", "scenarios[0].claims")]


def test_texts_round_trip_and_bad_text_names_file_line_and_fix() -> None:
    futures = WILTS.read("futures.yaml")
    assert brief.parse_futures(brief.futures_text(futures)) == futures
    assert brief.parse_drivers(brief.drivers_text(WILTS.read("drivers.csv"))) == WILTS.read("drivers.csv")
    with pytest.raises(CaseFileError, match=r'^drivers.csv, row 2, column "category"'):
        brief.parse_drivers("driver,category,impact,uncertainty,source\nfunding,weather,4,4,s1\n")
    with pytest.raises(CaseFileError, match=r"^futures.yaml, line \d+"):
        brief.parse_futures(brief.STARTER_FUTURES.replace("direction: higher", "direction: up", 1))
    with pytest.raises(StpError, match="futures.yaml is empty"):
        brief.check_texts("", "  ")
    drivers, _, found = brief.check_texts("", brief.STARTER_FUTURES)
    assert drivers is None and [f.rule for f in found] == ["FS-1", "FS-2", "FS-3"]
    markdown = brief.brief_markdown(*reversed(brief.example_draft()))
    assert "people with complex needs (4, 2)" in repr(markdown)
    hostile = futures.model_copy(update={"focal_question": "<script>alert(1)</script>"})
    assert "<script>" not in brief.brief_markdown(hostile).text
    assert repr(brief.findings_markdown([])) == "Every rule (FS-1 to FS-5) passes."


def test_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = FuturesBriefForm.from_case("wiltshire-complex-needs")
    assert form.summary == "9 drivers, 4 scenarios; every rule passes."
    form.save.click()
    assert "read-only" in form.status.value and "stp new-case mine --from" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", root=tmp_path)
    mine = FuturesBriefForm.from_case("mine")
    assert mine.summary == "3 drivers, 4 scenarios; 2 points to work on: FS-2, FS-3."
    mine.futures.value = (mine.futures.value.replace('success: ""', "success: Something that differs")
                          .replace("risks: []", "risks: [a risk]").replace("opportunities: []", "opportunities: [one]"))
    mine.check.click()
    assert mine.summary == "3 drivers, 4 scenarios; 1 point to work on: FS-2."  # the same words in every future
    mine.save.click()
    assert "Saved futures.yaml and drivers.csv" in mine.status.value and "under &#x27;artefacts:" in mine.status.value
    assert brief.parse_futures((folder / "futures.yaml").read_text(encoding="utf-8")).scenarios[0].risks == ["a risk"]
    mine.drivers.value = "driver,category\nx,y\n"
    mine.check.click()
    assert "The column" in mine.status.value and "drivers.csv" in mine.status.value


ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    (["FS-1", "FS-2", "FS-3"], 3, "Correct.", "You predicted 3; as you expected."),
    (["fs 3", "FS-2", "Fs-1"], None, "Correct.", "The draft breaks 3 rules"),
    (["FS-2", "FS-3"], 2, "Not yet.", "check the draft's axes and the drivers' scores"),  # near miss: scores
    (["FS-1", "FS-2", "FS-3", "FS-5"], 4, "Not yet.", "FS-5 holds in the draft: reread its claims."),
    (["FS-4"], 1, "Not yet.", "FS-4 holds in the draft: reread its signposts."),
    (["FS-9"], 1, "Not yet.", "FS-9 is not a rule here"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_futures_rules_answer_table(answer: list[str], prediction: int | None, verdict: str, line: str) -> None:
    assert_answer_row(check.futures_rules_exercise, answer, prediction, verdict, line)


def test_futures_rules_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.futures_rules_exercise, 3)
    with pytest.raises(TypeError, match="list of rule ids"):
        check.futures_rules("FS-1")
