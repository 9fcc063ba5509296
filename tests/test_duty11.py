"""Duty 11: the ethics record read against CSH and power (EI-1 to EI-5), its form and exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty11 as check
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.stakeholders import engagement_strategy as strategy
from stp_helpers.stakeholders import ethics_review as review
from stp_helpers.stakeholders.ethics import Check
from stp_helpers.widgets.engagement_forms import EthicsForm

WILTS = case.load("wiltshire-complex-needs")


def test_wiltshire_conflicts_rest_on_different_ought_answers_and_one_power_gap() -> None:
    csh, register, record = review.case_csh(WILTS), strategy.case_register(WILTS), WILTS.read("ethics.yaml")
    table = review.conflict_answers(record, csh, register)
    assert table["CSH group"].tolist() == ["Council leadership", "Frontline agencies", "Frontline agencies",
                                           "People with complex needs"]
    assert table.loc[3, "ought answer"] == "A real say in the support they get" and table.loc[3, "power"] == 0.4
    witness = review.witness_table(csh).set_index("group")["witness is the decision-maker"]
    assert witness.to_dict() == {"Council leadership": "is mode", "Frontline agencies": "no",
                                 "People with complex needs": "no"}
    assert review.unheard(csh, register) == ["Ambulance and hospital", "Benefits and DWP", "Mental health services",
                                             "Primary health"]
    assert [(f.rule, f.field) for f in review.check_ethics(record, csh, register)] == [("EI-3", "conflicts[1].note")]


def test_each_rule_on_hand_made_records() -> None:
    csh, register, draft = review.example_draft()
    assert [(f.rule, f.field) for f in review.check_ethics(draft, csh, register)] == [
        ("EI-1", "conflicts[0]"), ("EI-3", "conflicts[1].note"), ("EI-5", "checks.confidentiality")]
    first, second = draft.conflicts
    mended = draft.model_copy(update={
        "conflicts": [first.model_copy(update={"question": "4", "options": []}),
                      second.model_copy(update={"note": "An independent advocate sits in every review."})],
        "checks": {**draft.checks, "confidentiality": Check(status="done", evidence="Roles and groups only.")}})
    assert [(f.rule, f.field) for f in review.check_ethics(mended, csh, register)] == [("EI-2", "conflicts[0].options")]
    # the witness question: no conflict on Q10 or Q11 while today's witness is the decision-maker
    no_voice = mended.model_copy(update={"conflicts": [mended.conflicts[0]]})
    assert [f.rule for f in review.check_ethics(no_voice, csh, register)] == ["EI-2", "EI-4"]
    # a party no group answers for; no CSH at all
    stranger = draft.model_copy(update={"conflicts": [first.model_copy(update={
        "parties": ["Council leadership", "Nobody"], "values": {"Council leadership": "x", "Nobody": "y"}})]})
    assert str(review.check_ethics(stranger, csh, None)[0]).startswith("EI-1 conflicts[0].parties: Nobody has no")
    assert [f.field for f in review.check_ethics(draft, None, None)][:1] == ["csh.yaml"]


def test_texts_round_trip_and_bad_text_names_field_and_fix() -> None:
    record, register = WILTS.read("ethics.yaml"), strategy.case_register(WILTS)
    assert review.parse_ethics(review.ethics_text(record), register) == record
    with pytest.raises(CaseFileError, match=r"^ethics.yaml"):
        review.parse_ethics(review.ethics_text(record).replace("approach: accommodation", "approach: war", 1))
    with pytest.raises(CaseFileError, match="'Mayor' is not in stakeholders.csv"):
        review.parse_ethics(review.ethics_text(record).replace("  - Council leadership\n", "  - Mayor\n", 1),
                            register)
    with pytest.raises(StpError, match="ethics.yaml is empty"):
        review.check_text("", None, None)
    hostile = record.model_copy(update={"conflicts": [record.conflicts[0].model_copy(update={"note": "<img src=x>"})]})
    assert "<img" not in review.conflicts_markdown(hostile).text
    assert repr(review.findings_markdown([])) == "Every rule (EI-1 to EI-5) passes."


def test_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = EthicsForm.from_case("wiltshire-complex-needs")
    assert form.summary == "2 value conflicts; 1 point to work on: EI-3."
    form.save.click()
    assert "read-only" in form.status.value and "stp new-case mine --from" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    blank = EthicsForm.from_case(case.load(case.new_case("blank", root=tmp_path)))
    assert blank.summary == "1 value conflict; 5 points to work on: EI-1, EI-5."
    folder = case.new_case("mine", template="wiltshire-complex-needs", root=tmp_path)
    mine = EthicsForm.from_case("mine")
    mine.text.value = mine.text.value.replace("approach: accommodation\n  source: synthetic",
                                              "approach: accommodation\n  note: An independent advocate\n"
                                              "  source: synthetic")
    mine.check.click()
    assert mine.summary == "2 value conflicts; every rule passes.", mine.status.value
    mine.save.click()
    assert "Saved ethics.yaml" in mine.status.value
    assert review.parse_ethics((folder / "ethics.yaml").read_text()).conflicts[1].note == "An independent advocate"


ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    (["EI-1", "EI-3", "EI-5"], 3, "Correct.", "You predicted 3; as you expected."),
    (["ei 5", "EI-3", "Ei-1"], None, "Correct.", "The draft breaks 3 rules"),
    (["EI-3", "EI-5"], 2, "Not yet.", "parties' 'ought' answers to each conflict's question"),  # near miss: Q6
    (["EI-1", "EI-3", "EI-4", "EI-5"], 4, "Not yet.", "EI-4 holds in the draft: reread its witness answers"),
    (["EI-1", "EI-5"], 2, "Not yet.", "parties' power in each conflict, and its note"),
    (["EI-2"], 1, "Not yet.", "EI-2 holds in the draft"),
    (["EI-7"], 1, "Not yet.", "EI-7 is not a rule here"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_ethics_rules_answer_table(answer: list[str], prediction: int | None, verdict: str, line: str) -> None:
    assert_answer_row(check.ethics_rules_exercise, answer, prediction, verdict, line)


def test_ethics_rules_placeholder_and_misuse() -> None:
    assert_placeholder_waits(check.ethics_rules_exercise, 3)
    with pytest.raises(TypeError, match="list of rule ids"):
        check.ethics_rules("EI-1")
