"""Duty 6: engagement findings analysed (who was heard on what) with the confirmation-bias monitor CB-1..5, the
session planner, the findings form and the exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty06 as check
from stp_helpers.practice import findings, perspectives
from stp_helpers.practice.findings import EngagementFinding
from stp_helpers.widgets.duty06 import FindingsForm, SessionPlanner

WILTS = case.load("wiltshire-complex-needs")


def _row(stakeholder: str, theme: str = "t", source: str = "w1", basis: str = "f1") -> EngagementFinding:
    return EngagementFinding(finding=f"{stakeholder} on {theme}", theme=theme, stakeholder=stakeholder, source=source,
                             basis=basis, implication="x")


def test_each_bias_point_on_hand_made_findings() -> None:
    balanced = [_row("Police"), _row("Residents"), _row("Police", "u"), _row("Housing", "u")]
    assert perspectives.monitor_bias(balanced, ["Police", "Residents", "Housing"]) == []
    loud = [_row("Police"), _row("Police", "u"), _row("Residents"), _row("Housing", "u"), _row("Police", "t")]
    assert [f.rule for f in perspectives.monitor_bias(loud)] == ["CB-1"]
    # the people served heard only through a record about them (CB-2); an interview would do
    recorded = [_row("Police"), _row("People with complex needs", source="seed-000")]
    assert [f.rule for f in perspectives.monitor_bias(recorded)] == ["CB-2"]
    assert perspectives.monitor_bias([_row("Police"), _row("People with complex needs", source="interview")]) == []
    guessed = [_row("Police", basis="inference"), _row("Residents", basis="Inference")]
    assert [f.rule for f in perspectives.monitor_bias(guessed)] == ["CB-3"]
    assert [str(f) for f in perspectives.monitor_bias(balanced, ["Police", "Carers", "Housing", "Schools"])] == [
        "CB-4 stakeholder Carers: 2 planned stakeholders are not heard in any finding. Record what they said, or note "
        "why they did not take part and how their view will reach the next round."]
    assert [(f.rule, f.field) for f in perspectives.monitor_bias(balanced + [_row("Housing", "v")])] == [
        ("CB-5", "theme v")]
    assert perspectives.monitor_bias([]) == []


def test_wiltshire_findings_pass_fi_and_show_three_bias_points() -> None:
    rows = WILTS.read("findings.csv")
    assert findings.check_findings(rows) == []
    assert [(f.rule, f.field) for f in perspectives.case_bias(WILTS)] == [
        ("CB-2", "row 8 (Her life shows ten placements in six years, three overdoses and at least one eviction: "
                 "help arrived at crises)"),
        ("CB-4", "stakeholder Voluntary and community sector"), ("CB-5", "theme concentrated demand")]
    matrix = perspectives.perspective_matrix(rows)
    assert matrix["theme"].tolist() == ["concentrated demand", "crisis-driven demand", "fragmentation",
                                        "missed early help"]
    assert matrix["voices"].tolist() == [1, 2, 2, 2] and int(matrix["Council leadership"].sum()) == 3
    assert perspectives.case_bias(case.load("plymouth-alliance")) == []  # no findings.csv: nothing to monitor
    assert "Voluntary" in repr(perspectives.bias_markdown(perspectives.case_bias(WILTS)))
    assert repr(perspectives.bias_markdown([])) == "No bias point fires (CB-1 to CB-5)."


def test_session_planner_agendas() -> None:
    planner = SessionPlanner("rich_picture", 90)
    assert planner.summary == "Rich-picture session, 90 minutes: 5 steps."
    assert "Gallery walk" in planner.agenda.value and "Who was not in the room" in planner.children[2].value
    planner.format.value = "spotlight"
    assert planner.summary == "SPOTlight (Salford), 42 days: 4 steps."


def test_findings_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    form = FindingsForm.from_case("wiltshire-complex-needs")
    assert form.summary == "8 findings under 4 themes; 3 points to work on: CB-2, CB-4, CB-5."
    assert "Who was heard on what" in form.matrix.value
    form.save.click()
    assert "read-only" in form.status.value and "stp new-case mine --from" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", root=tmp_path)
    mine = FindingsForm.from_case("mine")
    assert mine.summary.startswith("2 findings under 1 theme;")  # the template's two rows
    mine.text.value = findings.findings_text([_row("Police"), _row("Residents")])
    mine.check.click()
    assert mine.summary == "2 findings under 1 theme; every rule passes."
    mine.save.click()
    assert "Saved findings.csv" in mine.status.value
    assert [r.stakeholder for r in findings.read_findings(folder / "findings.csv")] == ["Police", "Residents"]
    mine.text.value = "finding,colour\nx,red\n"
    mine.check.click()
    assert "Unknown column" in mine.status.value


ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    (["FI-1", "FI-3", "FI-4", "FI-5", "CB-4", "CB-5"], 6, "Correct.", "You predicted 6; as you expected."),
    (["cb 5", "Cb-4", "fi-5", "FI 4", "FI-3", "FI-1"], None, "Correct.", "The draft breaks 6 rules"),
    (["FI-1", "FI-3", "FI-4", "FI-5"], 4, "Not yet.", "check the draft's voices against the engagement plan"),
    (["FI-1", "FI-3", "FI-4", "FI-5", "CB-2", "CB-4", "CB-5"], 7, "Not yet.", "CB-2 holds in the draft"),  # near miss
    (["FI-2"], 1, "Not yet.", "FI-2 holds in the draft: reread its themes."),
    (["CB-9"], 1, "Not yet.", "CB-9 is not a rule here"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_findings_rules_answer_table(answer: list[str], prediction: int | None, verdict: str, line: str) -> None:
    assert_answer_row(check.findings_rules_exercise, answer, prediction, verdict, line)


def test_findings_rules_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.findings_rules_exercise, 6)
    with pytest.raises(TypeError, match="list of rule ids"):
        check.findings_rules("FI-1")
