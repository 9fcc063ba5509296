"""Duty 4: the engagement strategy read against power (ES-1 to ES-5), its form and exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty04 as check
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.stakeholders import engagement_strategy as strategy
from stp_helpers.stakeholders.engagement import PlanItem
from stp_helpers.stakeholders.register import build_register
from stp_helpers.widgets.engagement_forms import EngagementStrategyForm

WILTS = case.load("wiltshire-complex-needs")


def test_engagement_levels_read_from_the_methods_words() -> None:
    assert strategy.engagement_level("Quarterly briefings") == "inform"
    assert strategy.engagement_level("One-to-one interviews") == "consult"
    assert strategy.engagement_level("A whole-system workshop and briefings") == "involve"  # the deepest named
    assert strategy.engagement_level("Co-production events") == "co-design"
    assert strategy.engagement_level("Lunch") is None


def test_wiltshire_plan_fits_its_grid_but_not_its_latest_snapshot() -> None:
    register, plan = strategy.case_register(WILTS), WILTS.read("engagement.yaml")
    table = strategy.plan_against_power(plan, register).set_index("stakeholder")
    assert table.loc["People with complex needs", ["quadrant", "salience", "depth", "verdict"]].tolist() == [
        "keep informed", "dependent", "consult", "fits"]
    assert table.loc["Primary health", "verdict"] == "optional (monitor)"
    moved = strategy.evolution_table(plan, register).set_index("stakeholder")
    assert moved["followed"].to_dict() == {"Mental health services": False, "Voluntary and community sector": True}
    found = strategy.check_strategy(plan, register)
    assert [(f.rule, f.field) for f in found] == [
        ("ES-1", "plan (Mental health services)"), ("ES-1", "plan (Benefits and DWP)"),
        ("ES-1", "plan (Ambulance and hospital)")]


def test_each_rule_on_hand_made_plans() -> None:
    register, draft = strategy.example_draft()
    assert [(f.rule, f.field) for f in strategy.check_strategy(draft, register)] == [
        ("ES-1", "plan (Mental health services)"), ("ES-2", "plan (Council leadership).method"),
        ("ES-3", "plan (People with complex needs).method")]
    # one snapshot, no link and no shared workshop: ES-4 and ES-5
    alone = build_register([{"name": "Board", "power": .9, "interest": .9, "legitimacy": .9, "urgency": .5},
                            {"name": "Tenants", "power": .1, "interest": .9, "legitimacy": .4, "urgency": .4}])
    plan = draft.model_copy(update={"plan": [
        PlanItem(stakeholder="Board", method="Co-design workshops", frequency="monthly", purpose="decide"),
        PlanItem(stakeholder="Tenants", method="Feedback survey", frequency="yearly", purpose="hear")],
        "workshops": []})
    assert [f.rule for f in strategy.check_strategy(plan, alone)] == ["ES-4", "ES-5"]
    linked = alone.with_link("Tenants", "Board")
    assert [f.rule for f in strategy.check_strategy(plan, linked)] == ["ES-5"]
    vague = plan.model_copy(update={"plan": [plan.plan[0].model_copy(update={"method": "Lunch"}), plan.plan[1]]})
    assert "names no depth" in str(strategy.check_strategy(vague, linked)[0])
    assert [f.field for f in strategy.check_strategy(plan, None)] == ["stakeholders.csv"]
    assert strategy.evolution_table(plan, alone).empty


def test_texts_round_trip_and_bad_text_names_field_and_fix() -> None:
    plan = WILTS.read("engagement.yaml")
    register = strategy.case_register(WILTS)
    assert strategy.parse_engagement(strategy.strategy_text(plan), register) == plan
    with pytest.raises(CaseFileError, match=r'^engagement.yaml, column "workshops\[0\].format"'):
        strategy.parse_engagement(strategy.strategy_text(plan).replace("world_cafe", "picnic"), register)
    with pytest.raises(StpError, match="engagement.yaml is empty"):
        strategy.check_text(" ", register)
    assert "Council leadership" in strategy.starter_text(register)
    assert strategy.starter_text(None) == strategy.STARTER
    hostile = plan.model_copy(update={"plan": [plan.plan[0].model_copy(update={"method": "<script>x</script>"})]})
    assert "<script>" not in strategy.plan_markdown(hostile).text
    assert repr(strategy.findings_markdown([])) == "Every rule (ES-1 to ES-5) passes."


def test_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = EngagementStrategyForm.from_case("wiltshire-complex-needs")
    assert form.summary == "6 plan items for 10 stakeholders; 3 points to work on: ES-1."
    form.save.click()
    assert "read-only" in form.status.value and "stp new-case mine --from" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    blank = EngagementStrategyForm.from_case(case.load(case.new_case("blank", root=tmp_path)))
    assert blank.summary == "1 plan item for 0 stakeholders; 1 point to work on: ES-1."
    folder = case.new_case("mine", template="plymouth-alliance", root=tmp_path)
    (folder / "engagement.yaml").unlink()
    listing = (folder / "case.yaml").read_text(encoding="utf-8")
    start = listing.index("  - file: engagement.yaml")
    end = listing.index("  - file:", start + 1)
    (folder / "case.yaml").write_text(listing[:start] + listing[end:], encoding="utf-8")
    mine = EngagementStrategyForm.from_case("mine")  # no plan yet: one suggested from the grid
    assert mine.summary.startswith("8 plan items for 8 stakeholders")
    mine.save.click()
    assert "Saved engagement.yaml" in mine.status.value
    assert [p.source for p in strategy.parse_engagement((folder / "engagement.yaml").read_text())
            .plan][:1] == ["suggested"]
    mine.text.value = "plan: [{stakeholder: Nobody, method: x, frequency: y, purpose: z}]\n"
    mine.check.click()
    assert "Nobody" in mine.status.value and "engagement.yaml" in mine.status.value


ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    (["ES-1", "ES-2", "ES-3"], 3, "Correct.", "You predicted 3; as you expected."),
    (["es 3", "ES-2", "Es-1"], None, "Correct.", "The draft breaks 3 rules"),
    (["ES-2", "ES-3"], 2, "Not yet.", "check the draft's register at its latest snapshot"),  # near miss: the 2020 row
    (["ES-1", "ES-2"], 2, "Not yet.", "legitimate, urgent claim but little power"),  # near miss: the board seat
    (["ES-1", "ES-2", "ES-3", "ES-4"], 4, "Not yet.", "ES-4 holds in the draft: reread its influence links"),
    (["ES-5"], 1, "Not yet.", "ES-5 holds in the draft"),
    (["ES-9"], 1, "Not yet.", "ES-9 is not a rule here"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_strategy_rules_answer_table(answer: list[str], prediction: int | None, verdict: str, line: str) -> None:
    assert_answer_row(check.strategy_rules_exercise, answer, prediction, verdict, line)


def test_strategy_rules_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.strategy_rules_exercise, 3)
    with pytest.raises(TypeError, match="list of rule ids"):
        check.strategy_rules("ES-1")
