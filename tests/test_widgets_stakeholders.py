"""The register editor and CSH explorer without a browser: controls redraw charts, bad input is shown, saving is safe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from stp_helpers import case, charts, stakeholders as st
from stp_helpers.stakeholders import csh
from stp_helpers.widgets.stakeholders import CshExplorer, RegisterEditor

ERROR = '<div class="stp-error"'


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("slug", ["plymouth-alliance", "wiltshire-complex-needs"])
def test_editor_opens_each_case(slug: str) -> None:
    app = RegisterEditor.from_case(slug)
    assert app.title == st.grid_finding(st.load_register(slug))
    assert repr(app) == f"RegisterEditor: {app.title}"
    assert "<table" in app.salience.value


def test_power_slider_moves_a_stakeholder_out_of_key_players() -> None:
    app = RegisterEditor.from_case("plymouth-alliance")
    assert app.title.startswith("5 of 8")
    app.stakeholder.value = "Frontline workers"
    assert app.sliders["power"].value == 0.5
    network_before = charts.chart_title(app.network_view.chart)
    app.sliders["power"].value = 0.45
    assert app.title == ("4 of 8 stakeholders are key players: Service providers, Commissioners, "
                         "Public health team, People using services")
    assert app.grid_view.chart.to_dict()["description"].startswith(app.title)  # title and subtitle carry the finding
    assert "keep informed" in app.status.value
    assert charts.chart_title(app.network_view.chart) == network_before
    app.stakeholder.value = "Commissioners"
    assert app.sliders["power"].value == 0.7  # sliders follow the chosen stakeholder


def test_add_stakeholder_and_link_and_bad_input() -> None:
    app = RegisterEditor.from_case("wiltshire-complex-needs")
    app.add_stakeholder("Carers")
    assert "Carers" in app.stakeholder.options and app.stakeholder.value == "Carers"
    app.add_link("Carers", "People with complex needs")
    assert app.register.links[-1].influencer == "Carers" and ERROR not in app.status.value
    before = app.register
    app.add_stakeholder("carers")
    assert app.status.value.startswith(ERROR) and "already in the register" in app.status.value
    app.add_link("Carers", "Carers")
    assert "linked to itself" in app.status.value
    app.add_stakeholder("  ")
    assert "Type the stakeholder" in app.status.value
    assert app.register is before


def test_save_refuses_shipped_case_then_writes_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = case.load("plymouth-alliance").path
    before = _hashes(shipped)
    app = RegisterEditor.from_case("plymouth-alliance")
    app.save()
    assert app.status.value.startswith(ERROR) and "stp new-case" in app.status.value
    assert _hashes(shipped) == before
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    case.new_case("my-plymouth", template="plymouth-alliance")
    mine = RegisterEditor.from_case("my-plymouth")
    mine.stakeholder.value = "Frontline workers"
    mine.sliders["power"].value = 0.45
    mine.save()
    assert "Saved stakeholders.csv and stakeholder_links.csv" in mine.status.value
    assert st.load_register("my-plymouth").get("Frontline workers").power == 0.45


def test_csh_answer_changes_the_gap_chart() -> None:
    app = CshExplorer.from_case("plymouth-alliance")
    first = app.title
    assert first == csh.gap_finding(csh.load_csh("plymouth-alliance"))
    assert (app.group.value, app.question.value, app.mode.value) == ("Commissioners", 1, "ought")
    app.question.value = 4
    assert app.answer.value == "Alliance participants deciding together"
    app.answer.value = "Commissioners"
    assert app.title != first and app.gap_view.chart.to_dict()["description"].startswith(app.title)
    assert csh.answer_text(app.record, "Commissioners", 4, "ought") == "Commissioners"
    assert "gap 0.00" in app.status.value
    app.mode.value = "is"
    assert app.answer.value == "Commissioners" and "Who controls" in app.prompt.value


def test_csh_save_refuses_shipped_then_writes_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = CshExplorer.from_case("wiltshire-complex-needs")
    app.save()
    assert app.status.value.startswith(ERROR)
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    case.new_case("my-wiltshire", template="wiltshire-complex-needs")
    mine = CshExplorer.from_case("my-wiltshire")
    mine.answer.value = "Everyone"
    mine.save()
    assert "Saved csh.yaml" in mine.status.value
    group, number = mine.group.value, mine.question.value
    assert csh.answer_text(csh.load_csh("my-wiltshire"), group, number, "ought") == "Everyone"
