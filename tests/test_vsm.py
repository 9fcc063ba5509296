"""VSM descriptions: reading, round trip, bad input, recursion levels and variety arithmetic."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from stp_helpers import case, vsm
from stp_helpers.errors import CaseFileError
from stp_helpers.vsm.model import VsmError
from stp_helpers.vsm.variety import min_outcomes, variety_balance, variety_from_demand, variety_gap_bits

FIXTURES = Path(__file__).parent / "fixtures" / "vsm"
CASES = ["plymouth-alliance", "wiltshire-complex-needs"]


def test_reads_the_t1_fixture() -> None:
    desc = vsm.read_vsm(FIXTURES / "vsm_t1.yaml")
    system = desc.focus_system()
    assert [u.id for u in system.units] == ["housing", "children", "police"]
    assert system.body("board").systems == ["S3", "S5"]
    assert system.channels[0].from_ == "protocol"


@pytest.mark.parametrize("slug", CASES)
def test_case_descriptions_read_cite_their_seed_and_round_trip(slug: str, tmp_path: Path) -> None:
    loaded = case.load(slug)
    desc = vsm.from_case(loaded)
    assert desc.source in {s.id for s in loaded.meta.sources}
    assert all(u.source == desc.source for u in desc.focus_system().units)
    text = vsm.vsm_yaml(desc)
    assert vsm.parse_vsm(text) == desc
    (tmp_path / "vsm.yaml").write_text(text, encoding="utf-8")
    assert vsm.read_vsm(tmp_path / "vsm.yaml") == desc
    # the writer leaves defaults out and keeps 'from' as the field name
    assert "from_" not in text and "synthetic: false" not in text
    assert yaml.safe_load(text)["focus"] == desc.focus


def test_plymouth_description_carries_the_seed_facts() -> None:
    desc = vsm.from_case("plymouth-alliance")
    s5 = desc.focus_system().performers("S5")[0]
    for principle in ("collective responsibility", "best for people using services", "no fault, no blame",
                      "open-book accounting"):
        assert principle in " ".join(s5.policy.split())
    assert "70+" in desc.focus_system().units[0].note
    assert vsm.levels(desc) == [(0, "plymouth-alliance", None), (1, "plymouth-housing", "plymouth-alliance/housing")]


def test_unit_with_no_name_is_reported_with_its_line() -> None:
    with pytest.raises(CaseFileError) as info:
        vsm.read_vsm(FIXTURES / "unit_without_name.yaml")
    (problem,) = info.value.problems
    assert problem.line == 7 and problem.column == "systems[0].units[0].name"
    assert "needs a name" in problem.problem and "name:" in problem.fix


def test_channel_to_a_unit_that_does_not_exist() -> None:
    with pytest.raises(CaseFileError) as info:
        vsm.read_vsm(FIXTURES / "channel_to_nowhere.yaml")
    (problem,) = info.value.problems
    assert problem.column == "systems[0].channels[1].to"
    assert "'ghost'" in problem.problem and "a, board" in problem.fix
    assert problem.line == 12


def test_recursion_that_loops_back_is_refused() -> None:
    with pytest.raises(CaseFileError) as info:
        vsm.read_vsm(FIXTURES / "recursion_loop.yaml")
    text = str(info.value)
    assert "loops back on itself" in text and "systems[1].units[0].unfolds" in text


def test_cycle_away_from_the_focus_is_refused() -> None:
    text = """title: T
focus: org
systems:
  - {id: org, name: Org, units: [{id: a, name: A, environment: e}]}
  - {id: x, name: X, units: [{id: x1, name: X1, environment: e, unfolds: y}]}
  - {id: y, name: Y, units: [{id: y1, name: Y1, environment: e, unfolds: x}]}
"""
    with pytest.raises(CaseFileError, match="not reached from the focus"):
        vsm.parse_vsm(text)


def test_five_hundred_units_get_a_clear_message(tmp_path: Path) -> None:
    units = [{"id": f"u{i}", "name": f"Unit {i}", "environment": "people"} for i in range(500)]
    path = tmp_path / "vsm.yaml"
    path.write_text(yaml.safe_dump({"title": "Big", "focus": "big",
                                    "systems": [{"id": "big", "name": "Big", "units": units}]}))
    with pytest.raises(CaseFileError) as info:
        vsm.read_vsm(path)
    assert "500 System 1 units" in str(info.value) and "unfolds" in str(info.value)


def test_other_bad_input() -> None:
    with pytest.raises(CaseFileError, match="not valid YAML"):
        vsm.parse_vsm("title: [unclosed")
    with pytest.raises(CaseFileError, match="top level"):
        vsm.parse_vsm("- just a list")
    with pytest.raises(CaseFileError, match="is not one of the allowed values"):
        vsm.parse_vsm("title: T\nfocus: t\nsystems:\n  - {id: t, name: T, bodies: [{id: b, name: B, systems: [S9]}]}")
    with pytest.raises(CaseFileError, match="focus 'nope'"):
        vsm.parse_vsm("title: T\nfocus: nope\nsystems:\n  - {id: t, name: T}")
    with pytest.raises(CaseFileError, match="used twice"):
        vsm.parse_vsm("title: T\nfocus: t\nsystems:\n  - {id: t, name: T, units: [{id: a, name: A}, {id: a, name: B}]}")
    with pytest.raises(VsmError, match="no system 'zz'"):
        vsm.build_description("T", [("a", "A", "e")]).system("zz")


def test_add_coordination_returns_a_new_description() -> None:
    desc = vsm.build_description("T", [("a", "A", "e"), ("b", "B", "f")], channels=[("operations", "a", "b")])
    new = vsm.add_coordination(desc, "Huddle", ["a", "b"])
    assert [b.systems for b in new.system().bodies] == [["S2"]]
    assert len(desc.system().bodies) == 0
    with pytest.raises(VsmError, match="not a System 1 unit"):
        vsm.add_coordination(desc, "Huddle", ["zz"])
    with pytest.raises(VsmError, match="needs a name"):
        vsm.add_coordination(desc, "  ", ["a"])


# ----- variety arithmetic (methods.md §4.2, VAR-T1) -----

def test_var_t1() -> None:
    assert min_outcomes(12, 4) == 3
    assert variety_gap_bits(12, 4) == pytest.approx(1.585, abs=0.0005)
    assert variety_gap_bits(12, 4) == pytest.approx(math.log2(12) - math.log2(4))


def test_variety_edges() -> None:
    assert min_outcomes(4, 12) == 1 and min_outcomes(12, 12) == 1 and min_outcomes(13, 4) == 4
    assert variety_gap_bits(1, 1) == 0
    for bad in (0, -3, "twelve", True):
        with pytest.raises(VsmError, match="at least 1"):
            min_outcomes(bad, 4)


def test_variety_from_demand() -> None:
    demand = pd.DataFrame({"need": ["housing", "housing", "debt", "debt"], "urgency": ["high", "low", "low", "low"]})
    assert variety_from_demand(demand, ["need", "urgency"]) == 3
    assert variety_from_demand(demand, ["need"]) == 2
    with pytest.raises(VsmError, match="'colour'"):
        variety_from_demand(demand, ["colour"])
    with pytest.raises(VsmError, match="no rows"):
        variety_from_demand(demand.iloc[0:0], ["need"])


def test_variety_balance_applies_attenuators_and_amplifiers() -> None:
    desc = vsm.build_description("T", [("a", "A", "e")])
    unit = desc.system().units[0]
    unit.variety = vsm.Variety(environment=96, operations=24, management=8)
    unit.attenuators = [vsm.Device(name="triage", between="environment-operations", factor=2)]
    unit.amplifiers = [vsm.Device(name="autonomy", between="environment-operations", factor=2),
                       vsm.Device(name="volunteers", between="operations-management", factor=1.5)]
    table = variety_balance(desc)
    # 96 / 2 = 48 against 24 × 2 = 48: balanced; 24 against 8 × 1.5 = 12: 1 bit short, 2 outcomes
    assert table["gap_bits"].tolist() == [0.0, 1.0]
    assert table["min_outcomes"].tolist() == [1, 2]
    assert table["balanced"].tolist() == [True, False]
    assert table["attenuators"].tolist() == ["triage", ""]
    assert variety_balance(vsm.build_description("T", [("a", "A", "e")])).empty
