"""Known answers for every VSM pathology check (methods.md §4.3): a description that has it, one that does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stp_helpers import vsm
from stp_helpers.vsm.diagnosis import RULES, checklist, diagnose, diagnosis_view

FIXTURES = Path(__file__).parent / "fixtures" / "vsm"
UNITS = [("a", "A", "customers"), ("b", "B", "suppliers")]
#: A description with no pathology: every system present and wired.
HEALTHY_BODIES = [("s2", "Rota", ["S2"]), ("s3", "Managers", ["S3"]), ("audit", "Audit", ["S3*"]),
                  ("s4", "Strategy", ["S4"]), ("s5", "Board", ["S5"])]
HEALTHY_CHANNELS: list[Any] = [
    ("operations", "a", "b"), ("coordination", "s2", "a"), ("coordination", "s2", "b"),
    ("resource-bargain", "s3", "a"), ("resource-bargain", "s3", "b"), ("audit", "audit", "a"),
    ("homeostat", "s3", "s4"), ("homeostat", "s5", "s3"), ("environment", "s4", "environment"),
    {"kind": "algedonic", "from": "a", "to": "s5", "threshold": "a person at risk of harm", "escalation_days": 2},
]


def healthy(**changes: Any) -> vsm.VsmDescription:
    units = changes.get("units", UNITS)
    bodies = changes.get("bodies", HEALTHY_BODIES)
    drop = changes.get("drop", ())
    channels = [c for c in HEALTHY_CHANNELS if (c["kind"] if isinstance(c, dict) else c[0]) not in drop
                and c not in changes.get("remove", ())] + changes.get("add", [])
    return vsm.build_description("Org", units, bodies=bodies, channels=channels)


def test_the_healthy_description_has_no_pathology() -> None:
    found = diagnose(healthy())
    assert found.rules() == []
    assert found.warnings() == ["VSM-11", "VSM-11"]
    assert repr(found) == "No pathology found by the checklist. 2 warnings (VSM-11)."


def test_vsm_t1_known_answer() -> None:
    found = diagnose(vsm.read_vsm(FIXTURES / "vsm_t1.yaml"))
    assert found.rules() == ["VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8"]
    assert found.warnings() == ["VSM-11"] * 3
    assert sorted(f.elements[0] for f in found if f.rule == "VSM-11") == ["children", "housing", "police"]


CASES = {
    "VSM-1": (healthy(units=[("a", "A", "customers"), ("b", "B", "")]), "B has no environment"),
    "VSM-2": (healthy(remove=[("coordination", "s2", "b")]), "A and B interact"),
    "VSM-3": (healthy(remove=[("resource-bargain", "s3", "b")]), "B has no resource-bargain"),
    "VSM-4": (healthy(drop=("audit",), bodies=[b for b in HEALTHY_BODIES if b[0] != "audit"]), "No audit channel"),
    "VSM-5": (healthy(drop=("environment",)), "Strategy (System 4) has no channel to the environment"),
    "VSM-6": (healthy(bodies=[b for b in HEALTHY_BODIES if b[0] != "s5"] + [("s5", "Board", ["S3", "S5"])]),
              "Board performs both System 3 and System 5"),
    "VSM-7": (healthy(remove=[("homeostat", "s3", "s4")], add=[("homeostat", "s5", "s4")]),
              "no channel between System 3 and System 4"),
    "VSM-8": (healthy(drop=("algedonic",)), "no algedonic channel"),
    "VSM-9": (healthy(bodies=[b for b in HEALTHY_BODIES if b[0] != "s2"], drop=("coordination",),
                      remove=[("operations", "a", "b")], add=[("command", "s3", "a")]),
              "Managers commands 1 unit(s)"),
    "VSM-10": (healthy(bodies=HEALTHY_BODIES + [("committee", "Committee", ["S4"])]),
               "Committee (S4) has no channel"),
    "VSM-12": (healthy(add=[{"kind": "coordination", "from": "s2", "to": "a", "disturbance_variety": 12,
                             "response_variety": 4}]), "carries 12 states against 4 responses"),
}


@pytest.mark.parametrize("rule", sorted(CASES, key=lambda r: int(r.split("-")[1])))
def test_each_rule_fires_on_its_case_and_only_there(rule: str) -> None:
    desc, evidence = CASES[rule]
    found = diagnose(desc)
    assert found.rules() == [rule], found.to_frame()
    finding = next(f for f in found if f.rule == rule)
    assert evidence in finding.evidence
    assert finding.explanation == RULES[rule][1] and finding.question.endswith("?")
    assert "{" not in finding.question


def test_vsm_1_with_no_units_at_all() -> None:
    assert "VSM-1" in diagnose(vsm.build_description("Empty", [])).rules()


def test_vsm_3_and_5_and_6_when_the_system_is_missing() -> None:
    desc = healthy(bodies=[("s2", "Rota", ["S2"]), ("audit", "Audit", ["S3*"])],
                   drop=("resource-bargain", "homeostat", "environment", "algedonic"))
    found = diagnose(desc)
    assert {"VSM-3", "VSM-5", "VSM-6", "VSM-7"} <= set(found.rules())
    assert "No body performs System 3." in found.to_frame()["evidence"].tolist()


def test_vsm_8_alarm_without_threshold_or_time() -> None:
    loose = {"kind": "algedonic", "from": "a", "to": "s5"}
    found = diagnose(healthy(drop=("algedonic",), add=[loose]))
    assert found.rules() == ["VSM-8"] and "has no threshold" in found[0].evidence
    timed = dict(loose, threshold="harm")
    assert "escalation time" in diagnose(healthy(drop=("algedonic",), add=[timed]))[0].evidence


def test_vsm_12_not_when_an_attenuator_is_declared() -> None:
    channel = {"kind": "coordination", "from": "s2", "to": "a", "disturbance_variety": 12, "response_variety": 4,
               "attenuators": ["triage"]}
    assert diagnose(healthy(add=[channel])).rules() == []
    desc = healthy()
    desc.system().units[0].variety = vsm.Variety(environment=12, operations=4)
    assert diagnose(desc).rules() == ["VSM-12"]
    desc.system().units[0].attenuators = [vsm.Device(name="triage", between="environment-operations")]
    assert diagnose(desc).rules() == []


def test_vsm_11_not_when_unfolded() -> None:
    text = vsm.vsm_yaml(healthy()).replace("environment: customers", "environment: customers\n    unfolds: sub")
    text += "- id: sub\n  name: Sub\n  units:\n  - {id: s, name: S, environment: e}\n"
    desc = vsm.parse_vsm(text)
    assert [f.elements[0] for f in diagnose(desc, "org") if f.rule == "VSM-11"] == ["b"]
    assert [sid for sid in {f.system for f in diagnose(desc)}] and diagnose(desc).of("sub").rules()


def test_case_diagnoses() -> None:
    assert diagnose(vsm.from_case("plymouth-alliance"), "plymouth-alliance").rules() == ["VSM-4", "VSM-8", "VSM-12"]
    wilts = diagnose(vsm.from_case("wiltshire-complex-needs"), "wiltshire-response")
    assert wilts.rules() == ["VSM-2", "VSM-3", "VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8", "VSM-9", "VSM-12"]


def test_checklist_and_view() -> None:
    assert checklist()["rule"].tolist() == [f"VSM-{i}" for i in range(1, 14)]
    found = diagnose(vsm.read_vsm(FIXTURES / "vsm_t1.yaml"))
    view = diagnosis_view(found)
    assert view.html.count('class="vsm-finding"') == len(found) == 8
    assert repr(view).splitlines()[0] == "5 pathologies found: VSM-4, VSM-5, VSM-6, VSM-7, VSM-8. 3 warnings (VSM-11)."


def test_vsm_10_cascades_when_a_body_is_cut_off() -> None:
    # an S4 that talks only to the environment serves no operation: VSM-7 and VSM-10 together
    found = diagnose(healthy(remove=[("homeostat", "s3", "s4")]))
    assert found.rules() == ["VSM-7", "VSM-10"]


def test_diagnose_rejects_other_things() -> None:
    with pytest.raises(vsm.VsmError, match="needs a VSM description"):
        diagnose({"units": []})  # type: ignore[arg-type]


# Beer (1979, 1985); Pérez Ríos (2012): S5 (or S4) giving orders straight to an S1 unit is meddling (VSM-13).
@pytest.mark.parametrize("source,fires", [("s5", True), ("s4", True), ("s3", False)])
def test_s5_or_s4_commanding_a_unit_is_meddling(source: str, fires: bool) -> None:
    found = diagnose(healthy(add=[("command", source, "a")]))
    assert ("VSM-13" in found.rules()) is fires
    if fires:
        finding = next(f for f in found if f.rule == "VSM-13")
        assert "commands A directly, bypassing System 3" in finding.evidence
        assert RULES["VSM-13"][0] == "S5 meddling in operations"


def test_vsm6_name_text_and_trigger_agree() -> None:
    name, text, _ = RULES["VSM-6"]
    absent = diagnose(healthy(bodies=[b for b in HEALTHY_BODIES if b[0] != "s5"], drop=("homeostat", "algedonic")))
    assert "No body performs System 5" in next(f.evidence for f in absent if f.rule == "VSM-6")
    assert "absent" in name and "collapsed into S3" in name
    assert "no body holds policy" in text and "also the only policy body" in text


def test_homeostat_reads_s3_and_s4_capacity() -> None:
    bodies = [(b[0], b[1], b[2]) for b in HEALTHY_BODIES]
    desc = healthy(bodies=bodies)
    data = desc.model_dump(by_alias=True)
    system = data["systems"][0] if "systems" in data else data
    for body in system["bodies"]:
        body["capacity"] = {"s3": 160.0, "s4": 8.0}.get(body["id"])
    lopsided = vsm.VsmDescription.model_validate(data)
    found = next(f for f in diagnose(lopsided) if f.rule == "VSM-7")
    assert "System 4 has 8 units of capacity against System 3's 160" in found.evidence
    for body in system["bodies"]:
        body["capacity"] = {"s3": 160.0, "s4": 40.0}.get(body["id"])
    assert "VSM-7" not in diagnose(vsm.VsmDescription.model_validate(data)).rules()
