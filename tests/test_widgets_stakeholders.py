"""The register editor and CSH explorer without a browser: controls redraw charts, bad input is shown, saving is safe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from stp_helpers import case, charts, stakeholders as st
from stp_helpers.stakeholders import csh, csh_judged
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


def test_csh_answer_changes_the_judged_chart_and_clears_its_reading() -> None:
    record = csh.load_csh("plymouth-alliance")
    app = CshExplorer.from_case("plymouth-alliance")
    first = app.title
    assert first == csh_judged.judged_finding(record) != csh.gap_finding(record)
    assert (app.group.value, app.question.value, app.mode.value) == ("People using services", 1, "ought")
    assert "Judged gap in values: wide" in app.reading.value and "targets and thresholds" in app.reading.value
    app.answer.value = "Services meeting their own targets and thresholds"  # the ought now repeats the is
    assert app.record.group("People using services").answers[1].gap == ""
    assert app.title == csh_judged.judged_finding(app.record) != first
    assert app.title.startswith("Commissioners")
    assert app.gap_view.chart.to_dict()["description"].startswith(app.title)
    assert "judged reading (wide)" in app.status.value
    assert "Words shared: 1.00 (a prompt: words, not values)" in app.status.value
    assert "No judged reading for this answer yet" in app.reading.value
    app.group.value, app.question.value = "Commissioners", 4
    assert app.answer.value == "Alliance participants deciding together"
    assert "Judged gap in values: wide" in app.reading.value
    app.mode.value = "is"
    assert app.answer.value == "Commissioners" and "Who controls" in app.prompt.value


@pytest.mark.parametrize("slug", ["plymouth-alliance", "salford-spotlight", "wiltshire-complex-needs", "stoke-neet"])
def test_csh_explorer_leads_with_the_judged_reading_not_the_words(slug: str) -> None:
    record = csh.load_csh(slug)
    app = CshExplorer.from_case(slug)
    start = (app.group.value, app.question.value)
    assert app.title == csh_judged.judged_finding(record) and app.title.startswith(start[0])
    assert start == csh_judged.judged_start(record)
    assert csh_judged.extreme_gap(record, start[0]) == ("wide", csh_judged.extreme_gap(record, start[0])[1])
    assert start[1] == csh_judged.extreme_gap(record, start[0])[1][0]
    assert "Judged gap in values: wide" in app.reading.value


def test_stoke_opens_on_young_people_not_where_words_differ_most() -> None:
    # The words differ most for the partners (Q3); the judged reading finds young people want most change.
    record = csh.load_csh("stoke-neet")
    assert csh.widest_gap(record) == ("Partners at the table", 3)
    app = CshExplorer.from_case("stoke-neet")
    assert (app.group.value, app.question.value) == ("Young people and families", 1)
    assert app.title.startswith("Young people and families want the most change in values")
    assert "mean is/ought gap" not in app.title


def test_csh_explorer_without_judged_readings_labels_the_word_prompt() -> None:
    record = csh.build_csh({"Residents": {1: ("agency targets", "people who live here"), 2: ("care", "care")},
                            "Agencies": {1: ("targets", "targets")}})
    app = CshExplorer(record)
    assert app.title.startswith("No gap judged yet. Words, not values: Residents")
    assert (app.group.value, app.question.value) == csh.widest_gap(record) == ("Residents", 1)
    assert "words, not values" in app.reading.value and "Judged gap" not in app.reading.value
    mixed = csh_judged.judge(record, "Agencies", 1, "none", "Both answers name targets.")
    app = CshExplorer(mixed)
    assert (app.group.value, app.question.value) == ("Agencies", 1)
    assert app.title == csh_judged.judged_finding(mixed)
    assert "Judged gap in values: none" in app.reading.value and "Both answers name targets." in app.reading.value
    app.group.value = "Residents"  # a group with no judged reading falls back to the labelled word prompt
    assert "No judged reading for this answer yet" in app.reading.value and "words, not values" in app.reading.value


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
