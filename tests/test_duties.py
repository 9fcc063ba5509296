"""The duty notebooks: guidance for every duty, apps that resolve, and runs on a fresh case."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import run_notebook

from stp_helpers import case, catalogue, duties, paths
from stp_helpers.checks import duties as check
from stp_helpers.duties import _resolve
from stp_helpers.errors import StpError


def test_guidance_for_every_duty_and_apps_resolve() -> None:
    for number in range(1, 13):
        guide = duties.guidance(number)
        assert guide.activity and guide.reflection and guide.evidence and guide.artefacts
        for app in guide.apps:
            assert callable(_resolve(app.factory)), app.factory
            assert app.artefact in case.ARTEFACT_KINDS
        assert set(guide.artefacts) <= set(case.ARTEFACT_KINDS)
    with pytest.raises(StpError, match="13 is not a duty"):
        duties.guidance(13)


def test_evidence_gaps_on_the_wiltshire_case() -> None:
    wilts = case.load("wiltshire-complex-needs")
    flamingos = case.load("wolverhampton-flamingos")
    # Duty 12's artefacts: indicators.csv, contribution.yaml, demand.csv, logic_model.yaml; Wolverhampton has none.
    assert duties.missing_artefacts(flamingos, 12) == ["indicators.csv", "contribution.yaml", "demand.csv",
                                                       "logic_model.yaml"]
    assert duties.missing_artefacts(wilts, 12) == []
    assert duties.missing_artefacts(wilts, 7) == []
    assert repr(check.missing_artefacts(["drivers.csv"], wilts, 8)).startswith("Not yet.")
    assert repr(check.missing_artefacts(..., wilts, 8)).startswith("Your turn")


def test_a_blank_case_gets_guidance_not_an_app(tmp_path: Path) -> None:
    blank = case.load(case.new_case("blank-case", root=tmp_path))
    shown = duties.activity_app(blank, 7)
    assert "has none of the artefacts" in repr(shown)
    status = duties.evidence_status(blank, 7).set_index("artefact")["in case"]
    assert status["strategy_assessment.yaml"] == "template: fill it in"  # stp new-case wrote the form
    assert status.drop("strategy_assessment.yaml").tolist() == ["not yet"] * 4
    blank.artefact_path("strategy_assessment.yaml").write_text("strategy: mine\n", encoding="utf-8")
    assert duties.evidence_status(blank, 7).set_index("artefact")["in case"]["strategy_assessment.yaml"] == "yes"


DUTIES = [e for e in catalogue.entries("duty")]


@pytest.mark.parametrize("item", DUTIES, ids=[e.path for e in DUTIES])
def test_duty_notebook_runs_on_a_fresh_case(item: catalogue.Entry, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    monkeypatch.setenv("STP_PROGRESS", str(tmp_path / "progress"))
    case.new_case("fresh-case")
    out = tmp_path / "out.ipynb"
    run_notebook(catalogue.notebook_path(item), out, "fresh-case", paths.NOTEBOOKS_DIR)
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    assert "New case: fresh-case" in text
    if item.path in ("duty01.ipynb", "duty02.ipynb"):  # their activity is a form on the case's own output
        assert "ScopingForm:" in text or "InformationPlanForm:" in text
    else:
        assert "has none of the artefacts this duty's apps work on" in text
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
