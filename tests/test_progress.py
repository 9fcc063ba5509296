"""Progress records survive a restart; tracking records checks (the portfolio: tests/test_portfolio*.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from conftest import IpcKernelManager

from stp_helpers import cli
from stp_helpers.checks import Feedback
from stp_helpers.errors import StpError
from stp_helpers.learner.progress import ProgressStore


def test_progress_survives_a_restart(tmp_path: Path) -> None:
    script = (
        "from stp_helpers.learner.progress import ProgressStore\n"
        "from stp_helpers.checks import Feedback\n"
        "s = ProgressStore('ada')\n"
        "s.record('cases/wiltshire.ipynb', 'contact_share', Feedback(False, fix='x'))\n"
        "s.record('cases/wiltshire.ipynb', 'contact_share', Feedback(True))\n"
    )
    env = {"STP_PROGRESS": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=120)
    summary = ProgressStore("ada", root=tmp_path).summary()
    assert summary.to_dict("records") == [{"notebook": "cases/wiltshire.ipynb", "exercise": "contact_share",
                                           "attempts": 2, "passed": True, "attempts_to_pass": 2}]
    assert [p.name for p in tmp_path.iterdir()] == ["ada.json"]


def test_bad_learner_names_and_files(tmp_path: Path) -> None:
    for bad in ("", "../evil", "a b", "x" * 80):
        with pytest.raises(StpError, match="not a usable learner name"):
            ProgressStore(bad, root=tmp_path)
    (tmp_path / "bob.json").write_text("{not json")
    with pytest.raises(StpError, match="cannot be read"):
        ProgressStore("bob", root=tmp_path).summary()
    assert (tmp_path / "bob.json").read_text() == "{not json"


def test_reflections_are_validated(tmp_path: Path) -> None:
    store = ProgressStore("cy", root=tmp_path)
    with pytest.raises(StpError, match="empty"):
        store.reflect("  ")
    with pytest.raises(StpError, match="not a KSB"):
        store.reflect("text", ksbs=("Z9",))
    with pytest.raises(StpError, match="not a duty"):
        store.reflect("text", duty=13)
    assert store.reflections().empty


def _run_in_kernel(cells: tuple[str, ...], env: dict[str, str]) -> Any:
    """Run code cells in a fresh kernel with ``env``; return the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    # The kernel spec `stp lab` and `stp serve` use: it loads the progress extension.
    workbook_env = cli.voila_env({k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"})
    with mock.patch.dict(os.environ, {"JUPYTER_PATH": workbook_env["JUPYTER_PATH"]}):
        NotebookClient(nb, kernel_name="python3", timeout=120, kernel_manager_class=IpcKernelManager).execute(env={**os.environ, **env})
    return nb


def test_the_workbooks_kernels_load_the_progress_extension_and_importing_checks_records_nothing() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    with mock.patch.dict(os.environ, {"JUPYTER_PATH": cli.voila_env({})["JUPYTER_PATH"]}):
        spec = KernelSpecManager().get_kernel_spec("python3")
    assert "--ext=stp_helpers.learner.ipython" in spec.argv
    probe = ("import sys, stp_helpers.checks, stp_helpers.checks.exercise as ex; "
             "print('stp_helpers.learner.progress' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "STP_LEARNER": "ada"},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"  # no side effects at import: only the extension starts recording


def test_tracking_records_checks_in_a_kernel(tmp_path: Path) -> None:
    _run_in_kernel((
        "from stp_helpers import case\nfrom stp_helpers.learner import progress\nfrom stp_helpers.checks import scoping as check\n"
        "wilts = case.load('wiltshire-complex-needs')\nstore = progress.track('dee', notebook='cases/wiltshire.ipynb')",
        "check.largest_agency(..., wilts)",
        "check.largest_agency('Police', wilts)",
        "check.largest_agency('Housing services', wilts)",
    ), {"STP_PROGRESS": str(tmp_path)})
    data = json.loads((tmp_path / "dee.json").read_text())
    assert [(a["exercise"], a["passed"]) for a in data["attempts"]] == [("largest_agency", False), ("largest_agency", True)]


def test_naming_a_learner_records_checks_and_the_index_shows_them(tmp_path: Path) -> None:
    """STP_LEARNER alone starts recording (no code in the notebook); the gallery's overview counts it."""
    import nbformat

    from stp_helpers import paths
    from stp_helpers.learner import progress

    session = str(paths.NOTEBOOKS_DIR / "cases" / "wiltshire.ipynb")
    _run_in_kernel((
        "from stp_helpers import case\nfrom stp_helpers.checks import scoping as check\n"
        "wilts = case.load('wiltshire-complex-needs')",
        "check.largest_agency('Police', wilts)",
        "check.largest_agency('Housing services', wilts)",
        "check.contact_share(10.0, wilts)",
    ), {"STP_PROGRESS": str(tmp_path), "STP_LEARNER": "eve", "JPY_SESSION_NAME": session})
    data = json.loads((tmp_path / "eve.json").read_text())
    assert [(a["notebook"], a["exercise"], a["passed"]) for a in data["attempts"]] == [
        ("cases/wiltshire.ipynb", "largest_agency", False),
        ("cases/wiltshire.ipynb", "largest_agency", True),
        ("cases/wiltshire.ipynb", "contact_share", False),
    ]
    text = progress.overview("eve", root=tmp_path).text.splitlines()
    assert text[0] == "Progress of eve: 1 exercise passed, 1 more tried, in 1 notebook."
    total = sum(1 for cell in nbformat.read(session, as_version=4).cells
                if any(t.startswith("check:") for t in cell.metadata.get("tags", [])))
    assert text[1:] == [f"Wiltshire: complex needs across agencies: 1 of {total} passed, 2 tried"]


def test_an_unusable_learner_name_warns_and_the_notebook_runs(tmp_path: Path) -> None:
    # The kernel started (its extension warned and recorded nothing); loading the extension again warns again.
    nb = _run_in_kernel(("import warnings\nwith warnings.catch_warnings(record=True) as seen:\n"
                         "    warnings.simplefilter('always')\n"
                         "    %reload_ext stp_helpers.learner.ipython\n"
                         "    from stp_helpers.checks import scoping\n"
                         "print([str(w.message) for w in seen])",), {"STP_PROGRESS": str(tmp_path), "STP_LEARNER": "../etc"})
    out = nb.cells[0].outputs[-1]["text"]
    assert "Progress is not recorded" in out and "not a usable learner name" in out
    assert list(tmp_path.iterdir()) == []


def _record_many(args: tuple[str, int]) -> None:
    root, worker = args
    store = ProgressStore("zoe", root=root)
    for i in range(10):
        store.record("cases/wiltshire.ipynb", f"ex{worker}", Feedback(i % 2 == 0))


def test_two_kernels_of_one_learner_lose_nothing(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=4) as pool:
        list(pool.map(_record_many, [(str(tmp_path), w) for w in range(4)]))
    assert len(ProgressStore("zoe", root=tmp_path).attempts()) == 40
