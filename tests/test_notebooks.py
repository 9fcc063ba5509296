"""Notebooks: catalogue and files agree, house anatomy, tested solutions, papermill on a new case."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import IpcKernelManager, run_notebook
from nbclient import NotebookClient

from stp_helpers import case, catalogue, paths

NOTEBOOKS = sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
ENTRIES = catalogue.entries()
IDS = [e.path for e in ENTRIES]

ANATOMY = ["## Overview", "## Prerequisites", "**Time to learn:**", "## Imports and parameters",
           "## Summary", "### What's next?", "## References"]


def _read(item: catalogue.Entry) -> nbformat.NotebookNode:
    return nbformat.read(catalogue.notebook_path(item), as_version=4)


def test_catalogue_and_files_agree() -> None:
    on_disk = {p.relative_to(paths.NOTEBOOKS_DIR).as_posix() for p in NOTEBOOKS}
    assert on_disk == {e.path for e in ENTRIES}


def test_catalogue_entries_are_well_formed() -> None:
    assert len(set(IDS)) == len(IDS)
    for item in ENTRIES:
        assert item.kind in catalogue.KINDS
        assert item.duties and all(1 <= d <= 12 for d in item.duties)
        assert item.title and item.summary and item.method


@pytest.mark.parametrize("item", ENTRIES, ids=IDS)
def test_house_anatomy(item: catalogue.Entry) -> None:
    nb = _read(item)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = "\n".join(markdown)
    h1 = [line for cell in markdown for line in cell.splitlines() if re.match(r"^# ", line)]
    assert len(h1) == 1 and nb.cells[0].source.startswith("# "), "one H1, in the first cell"
    positions = [text.find(h) for h in ANATOMY]
    assert all(p >= 0 for p in positions), [h for h, p in zip(ANATOMY, positions) if p < 0]
    assert positions == sorted(positions), "anatomy headings out of order"
    assert re.search(r"\n1\. .+\n2\. .+\n3\. ", text), "numbered objectives under Overview"
    assert "Standard:" in text
    assert "| Concepts | Importance | Notes |" in text
    if item.kind in ("foundation", "case", "method", "duty"):
        assert text.find("## Exercises") > 0 and text.find("## Exercises") < text.find("## Summary")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    name = "LESSON" if item.kind == "teaching" else "CASE"
    assert len(params) == 1 and re.match(rf'^{name} = "[a-z0-9-]+"$', params[0].source.strip())
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), "no functions in notebooks"
            assert not any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def _exercises(nb: nbformat.NotebookNode) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for index, cell in enumerate(nb.cells):
        for tag in cell.metadata.get("tags", []):
            role, _, label = tag.partition(":")
            if role in {"starter", "check", "solution"} and label:
                found.setdefault(label, {})[role] = index
    return found


SOLVED = [(e, label) for e in ENTRIES for label in sorted(_exercises(_read(e)))]


def test_every_exercise_is_complete() -> None:
    for item in ENTRIES:
        for label, roles in _exercises(_read(item)).items():
            assert set(roles) == {"starter", "check", "solution"}, (item.path, label, roles)
            assert roles["starter"] < roles["check"] < roles["solution"]


@pytest.mark.parametrize("item,label", SOLVED, ids=[f"{e.path}::{label}" for e, label in SOLVED])
def test_solution_passes_its_check(item: catalogue.Entry, label: str) -> None:
    nb = _read(item)
    roles = _exercises(nb)[label]
    solution = nb.cells[roles["solution"]].source
    code = re.search(r"```python\n(.*?)```", solution, re.S)
    assert code, "the folded solution holds a ```python block"
    assert "<details>" in solution and "<summary>" in solution
    nb.cells[roles["starter"]].source = code.group(1)
    nb.cells = nb.cells[: roles["check"] + 1]
    NotebookClient(nb, timeout=300, kernel_name="python3", kernel_manager_class=IpcKernelManager,
                   resources={"metadata": {"path": str(catalogue.notebook_path(item).parent)}}).execute()
    outputs = nb.cells[roles["check"]].outputs
    text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert text.startswith("Correct."), text


def test_wiltshire_runs_with_papermill_on_a_copied_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    case.new_case("my-wiltshire", template="wiltshire-complex-needs")
    out = tmp_path / "out.ipynb"
    run_notebook(catalogue.notebook_path(catalogue.entry("cases/wiltshire.ipynb")), out, "my-wiltshire",
                 paths.NOTEBOOKS_DIR / "cases")
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'CASE = "my-wiltshire"' in injected[0].source
    text = "\n".join(o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    assert "Chart: Housing services recorded the most contacts: 488 of 1,024 counted (48%)" in text
