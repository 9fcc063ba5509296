"""The VSM editor without a browser: edits redraw diagram, diagnosis and chart; bad input is reported; saving is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case, vsm
from stp_helpers.vsm.diagnosis import diagnose
from stp_helpers.widgets.vsm_editor import VsmEditor

FIXTURES = Path(__file__).parent / "fixtures" / "vsm"
ERROR = '<div class="stp-error"'


@pytest.fixture
def t1_app() -> VsmEditor:
    return VsmEditor(vsm.read_vsm(FIXTURES / "vsm_t1.yaml"))


def test_opens_a_case() -> None:
    app = VsmEditor.from_case("plymouth-alliance")
    assert app.desc == vsm.from_case("plymouth-alliance")
    assert [v for _, v in app.level.options] == ["plymouth-alliance", "plymouth-housing"]
    assert app.unit.value == "housing" and app.environment.value.startswith("People with complex needs")
    assert app.title.startswith("Drug and alcohol services: operations are 1.6 bits short")
    assert 'data-rule="VSM-4"' in app.diagnosis.value
    assert repr(app).startswith("VsmEditor: level 0 of 2, 4 units; 4 pathologies found")


def test_clearing_an_environment_shows_vsm_1(t1_app: VsmEditor) -> None:
    assert 'data-rule="VSM-1"' not in t1_app.diagnosis.value
    t1_app.environment.value = ""
    assert t1_app.desc.system().unit("housing").environment is None
    assert 'data-rule="VSM-1"' in t1_app.diagnosis.value
    assert "no environment given" in t1_app.drawing.value
    assert "VSM-1" in t1_app.status.value


def test_ticking_s4_and_s3_star_changes_the_diagnosis(t1_app: VsmEditor) -> None:
    t1_app.body.value = "board"
    assert t1_app.systems["S3"].value and t1_app.systems["S5"].value
    t1_app.systems["S5"].value = False
    assert t1_app.desc.system().body("board").systems == ["S3"]
    assert "No body performs System 5" in t1_app.diagnosis.value
    t1_app.systems["S4"].value = True
    assert "vsm-missing" not in t1_app.drawing.value.split('data-system="S4"')[1][:200]


def test_adding_a_channel_and_a_unit(t1_app: VsmEditor) -> None:
    t1_app.kind.value = "audit"
    t1_app.source.value, t1_app.target.value = "board", "police"
    t1_app.add_channel_button.click()
    assert "VSM-4" not in diagnose(t1_app.desc).rules()
    assert 'class="vsm-channel vsm-audit"' in t1_app.drawing.value
    t1_app.remove_channel_button.click()
    assert "VSM-4" in diagnose(t1_app.desc).rules()
    t1_app.unit_name.value = "Housing"  # unchanged name: no error
    t1_app.add_unit("Schools")
    assert t1_app.unit.value == "schools" and t1_app.environment.value == ""
    assert t1_app.drawing.value.count('class="vsm-unit') == 4
    t1_app.remove_unit("schools")
    assert len(t1_app.desc.system().units) == 3


def test_bad_input_is_reported_and_changes_nothing(t1_app: VsmEditor) -> None:
    before = t1_app.desc.model_copy(deep=True)
    t1_app.unit_name.value = "   "
    assert t1_app.status.value.startswith(ERROR) and "needs a name" in t1_app.status.value
    assert t1_app.desc == before
    t1_app.add_channel("coordination", "protocol", "nobody")
    assert t1_app.status.value.startswith(ERROR) and "nobody" in t1_app.status.value
    t1_app.add_unit("Housing")
    assert "already a unit" in t1_app.status.value
    t1_app.add_unit("")
    assert "Type the unit" in t1_app.status.value
    t1_app.add_channel("coordination", "protocol", "protocol")
    assert "two different" in t1_app.status.value
    assert t1_app.desc.system().units == before.system().units


def test_levels_navigate() -> None:
    app = VsmEditor.from_case("plymouth-alliance")
    app.level.value = "plymouth-housing"
    assert app.current == "plymouth-housing"
    assert "Level 1: Housing and homelessness services" in app.drawing.value
    assert app.unit.value == "outreach" and app.body.value == "housing-huddle"
    assert 'data-rule="VSM-6"' in app.diagnosis.value
    app.environment.value = "People sleeping rough in Plymouth"
    assert app.desc.system("plymouth-housing").unit("outreach").environment == "People sleeping rough in Plymouth"
    assert app.current == "plymouth-housing"


def test_saving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = VsmEditor.from_case("plymouth-alliance")
    shipped.save()
    assert shipped.status.value.startswith(ERROR) and "stp new-case" in shipped.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    folder = case.new_case("my-plymouth", template="plymouth-alliance")
    app = VsmEditor.from_case("my-plymouth")
    app.environment.value = "Everyone who needs a home"
    app.save()
    assert "Saved 2 level(s) to vsm.yaml" in app.status.value
    assert vsm.read_vsm(folder / "vsm.yaml") == app.desc
    unsaved = VsmEditor(vsm.read_vsm(FIXTURES / "vsm_t1.yaml"))
    unsaved.save()
    assert "no case folder" in unsaved.status.value


def test_wrong_type() -> None:
    with pytest.raises(TypeError):
        VsmEditor("plymouth-alliance")  # type: ignore[arg-type]
