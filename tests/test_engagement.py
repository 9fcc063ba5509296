"""Engagement plan, workshop planner, recorded outputs, ethics register, checklist and personal-details scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case, stakeholders as st
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders import engagement as en
from stp_helpers.stakeholders import ethics as et
from stp_helpers.errors import CaseExistsError, CaseFileError

CASES = ["plymouth-alliance", "wiltshire-complex-needs"]


@pytest.mark.parametrize("fmt", list(en.FORMATS))
@pytest.mark.parametrize("minutes", [45, 90, 120, 181])
def test_agenda_fills_the_time_in_order(fmt: str, minutes: int) -> None:
    agenda = en.plan_workshop(fmt, minutes)
    unit = "days" if en.FORMATS[fmt].unit == "days" else "minutes"
    assert int(agenda[unit].sum()) == minutes and (agenda[unit] > 0).all()
    assert agenda["activity"].tolist() == [s.activity for s in en.FORMATS[fmt].steps]


def test_world_cafe_agenda_hand_worked() -> None:
    # Weights 1,2,2,2,2,1 of 120 minutes: 12, 24, 24, 24, 24, 12 → 5-minute blocks 10/25/25/25/25/10 (largest remainders).
    agenda = en.plan_workshop("World Café".replace("é", "e"), 120)
    assert agenda["minutes"].tolist() == [10, 25, 25, 25, 25, 10]
    assert agenda["start"].tolist() == ["00:00", "00:10", "00:35", "01:00", "01:25", "01:50"]


def test_spotlight_stages_over_six_weeks() -> None:
    agenda = en.plan_workshop("spotlight", 42)
    assert agenda["activity"].tolist()[0] == "Problem analysis" and agenda["days"].sum() == 42
    assert agenda["start"].tolist()[0] == "day 1"


def test_bad_workshop_input() -> None:
    with pytest.raises(en.EngagementError, match="not a workshop format"):
        en.plan_workshop("open space")
    with pytest.raises(en.EngagementError, match="too short"):
        en.plan_workshop("rich_picture", 10)


def test_suggested_plan_gives_dependents_a_safe_space() -> None:
    reg = st.build_register([{"name": "Board", "power": 0.9, "interest": 0.9, "legitimacy": 0.9, "urgency": 0.9},
                             {"name": "Tenants", "power": 0.1, "interest": 0.9, "legitimacy": 0.9, "urgency": 0.9}])
    plan = en.suggest_plan(reg).set_index("stakeholder")
    assert plan.loc["Board", "frequency"] == "monthly" and "co-design" in plan.loc["Board", "method"]
    assert "named advocate" in plan.loc["Tenants", "method"]


@pytest.mark.parametrize("slug", CASES)
def test_case_engagement_round_trip_and_record_outputs(slug: str, tmp_path: Path) -> None:
    found = case.load(slug)
    record = en.load_engagement(found)
    reg = st.load_register(found)
    assert len(en.plan_table(record, reg)) == len(record.plan)
    updated = en.record_outputs(record, "w1", [("stakeholders.csv", "re-scored power")])
    assert updated.workshops[0].outputs[-1].note == "re-scored power"
    assert len(record.workshops[0].outputs) == len(updated.workshops[0].outputs) - 1
    (tmp_path / "engagement.yaml").write_text(en.engagement_yaml_text(updated))
    assert en.read_engagement(tmp_path / "engagement.yaml") == updated
    with pytest.raises(CaseExistsError):
        en.save_engagement(updated, found.path)
    with pytest.raises(en.EngagementError, match="no workshop"):
        en.record_outputs(record, "w9", [("cld.csv", "x")])
    with pytest.raises(en.EngagementError, match="artefact file and a note"):
        en.record_outputs(record, "w1", [("cld.csv", " ")])


def test_engagement_names_checked_against_register(tmp_path: Path) -> None:
    (tmp_path / "stakeholders.csv").write_text(st.register_csv_text(st.load_register("plymouth-alliance")))
    (tmp_path / "engagement.yaml").write_text(
        "plan:\n  - {stakeholder: Nobody, method: m, frequency: f, purpose: p}\n"
        "workshops:\n  - {id: w1, title: t, format: open_space}\n  - {id: w1, title: t, format: world_cafe}\n")
    with pytest.raises(CaseFileError) as err:
        en.read_engagement(tmp_path / "engagement.yaml")
    assert len(err.value.problems) == 3


@pytest.mark.parametrize("slug", CASES)
def test_case_ethics_and_checklist(slug: str, tmp_path: Path) -> None:
    found = case.load(slug)
    record = et.load_ethics(found)
    reg = st.load_register(found)
    table = et.conflicts_table(record, reg)
    assert len(table) == sum(len(c.parties) for c in record.conflicts) and table["power"].notna().all()
    checklist = et.ethics_checklist(record, csh.load_csh(found), reg, et.scan_personal_details(found))
    assert checklist["item"].tolist() == list(et.CHECK_ITEMS.values())
    assert set(checklist["status"]) <= {"done", "attention", "missing"}


def test_checklist_reads_csh3_and_dependents() -> None:
    record = et.EthicsRecord(checks={"safe_space": {"status": "done"}})
    reg = st.build_register([{"name": "Tenants", "power": 0.1, "interest": 0.9, "legitimacy": 0.9, "urgency": 0.9}])
    answers = csh.build_csh({"A": {4: ("the council", "x"), 10: ("the council", "tenants")}})
    table = et.ethics_checklist(record, answers, reg).set_index("item")
    assert table.loc[et.CHECK_ITEMS["safe_space"], "status"] == "attention"
    assert table.loc[et.CHECK_ITEMS["named_voice"], "status"] == "attention"
    assert table.loc[et.CHECK_ITEMS["consent"], "status"] == "missing"


def test_ethics_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "ethics.yaml"
    path.write_text("conflicts:\n  - id: c1\n    question: 14\n    parties: [A, B]\n    values: {A: x}\n"
                    "    approach: war\n")
    with pytest.raises(CaseFileError) as err:
        et.read_ethics(path)
    assert "question" in str(err.value) and "approach" in str(err.value)
    path.write_text("conflicts:\n  - id: c1\n    question: 3\n    parties: [A, B]\n    values: {A: x}\n"
                    "    approach: consensus\n")
    with pytest.raises(CaseFileError, match="'B' has no value recorded"):
        et.read_ethics(path)


def test_personal_details_found_and_case_data_clean() -> None:
    text = ("Call 07700 900123 or write to a.b@example.org\nMrs Smith, DOB 1/2/90, NI AB 12 34 56 C, SW1A 1AA\n"
            "NHS 943 476 5919\nFemale, age 26")
    kinds = [f.kind for f in et.find_personal_details(text)]
    for kind in ("phone number", "email address", "personal name with title", "date of birth",
                 "National Insurance number", "postcode", "NHS number", "age with sex (check anonymisation)"):
        assert kind in kinds
    for slug in CASES:
        found = et.scan_personal_details(slug)
        assert (found["severity"] != "warning").all(), found
    assert et.scan_personal_details("wiltshire-complex-needs")["severity"].tolist() == ["check"]
