"""Exercise checks of the VSM notebook: solutions pass, wrong answers get a hint, not the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import vsm
from stp_helpers.checks import vsm as check

FIXTURES = Path(__file__).parent / "fixtures" / "vsm"
T1 = vsm.read_vsm(FIXTURES / "vsm_t1.yaml")
WILTSHIRE_UNITS = ["housing", "childrens", "benefits", "police", "mental-health", "ambulance-hospital"]


def test_pathologies() -> None:
    assert repr(check.pathologies(..., T1)).startswith("Your turn")
    good = check.pathologies(["VSM-4", "vsm-5", "VSM-6", "VSM-7", "VSM-8", "VSM-11"], T1, prediction=3)
    assert good.passed and "You predicted 3 pathologies; there are 5." in repr(good)
    missing = check.pathologies(["VSM-4", "VSM-5", "VSM-6", "VSM-7"], T1)
    assert missing.passed is False and "alarm" in missing.fix and "VSM-8" not in missing.fix
    extra = check.pathologies(["VSM-2", "VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8"], T1)
    assert extra.passed is False and extra.fix.startswith("VSM-2 (oscillation between units) does not fire")
    assert "not a rule" in check.pathologies(["VSM-99"], T1).fix
    with pytest.raises(TypeError):
        check.pathologies("VSM-4", T1)
    with pytest.raises(TypeError):
        check.pathologies(["VSM-4"], {"not": "a description"})


def test_system_roles() -> None:
    plymouth = vsm.from_case("plymouth-alliance")
    answer = {"learning-exchange": ["S2"], "alliance-leadership": ["S3"], "enquiry": ["S4"],
              "alliance-participants": ["S5"]}
    assert check.system_roles(answer, plymouth).passed
    assert check.system_roles({**answer, "enquiry": "s4"}, plymouth).passed
    wrong = check.system_roles({**answer, "alliance-leadership": ["S3", "S5"]}, plymouth)
    assert wrong.passed is False and "does it really set identity and policy?" in wrong.fix
    short = check.system_roles({k: v for k, v in answer.items() if k != "enquiry"}, plymouth)
    assert "not given Appreciative enquiry" in short.fix
    assert "no body 'ghost'" in check.system_roles({**answer, "ghost": ["S2"]}, plymouth).fix
    assert "S9 is not one of" in check.system_roles({**answer, "enquiry": ["S9"]}, plymouth).fix
    with pytest.raises(TypeError):
        check.system_roles(["S2"], plymouth)


def test_coordination() -> None:
    wiltshire = vsm.from_case("wiltshire-complex-needs")
    assert repr(check.coordination(..., wiltshire)).startswith("Your turn")
    good = check.coordination(vsm.add_coordination(wiltshire, "Panel", WILTSHIRE_UNITS), wiltshire)
    assert good.passed and "5 before, 0 after" in repr(good) and "Gone: VSM-2, VSM-9." in repr(good)
    partial = check.coordination(vsm.add_coordination(wiltshire, "Panel", WILTSHIRE_UNITS[:4]), wiltshire)
    assert partial.passed is False and "Mental health (AWP) and Ambulance and hospital" in partial.fix
    with pytest.raises(TypeError):
        check.coordination("panel", wiltshire)


def test_pathologies_accept_names_as_well_as_rule_ids() -> None:
    named = check.pathologies(["Reports unverified", "headless chicken", "S5 collapsed into S3",
                               "No homeostat", "alarms cannot reach policy"], T1)
    assert named.passed, repr(named)
    assert not check.pathologies(["Reports unverified", "nonsense"], T1).passed
