"""Progress records survive a restart; tracking records checks; the portfolio shows every KSB offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import LOCAL

from stp_helpers import case, cli
from stp_helpers.checks import Feedback
from stp_helpers.errors import StpError
from stp_helpers.learner.portfolio import build_portfolio, evidence_table, write_portfolio
from stp_helpers.learner.progress import ProgressStore
from stp_helpers.standard import KSB_IDS


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
    NotebookClient(nb, kernel_name="python3", timeout=120).execute(env=env)
    return nb


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
    nb = _run_in_kernel(("import warnings\nwith warnings.catch_warnings(record=True) as seen:\n"
                         "    warnings.simplefilter('always')\n"
                         "    from stp_helpers.checks import scoping\n"
                         "print([str(w.message) for w in seen])",), {"STP_PROGRESS": str(tmp_path), "STP_LEARNER": "../etc"})
    out = nb.cells[0].outputs[0]["text"]
    assert "Progress is not recorded" in out and "not a usable learner name" in out
    assert list(tmp_path.iterdir()) == []


def test_portfolio_evidence_and_gaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    mine = case.load(case.new_case("my-wilts", template="wiltshire-complex-needs"))
    store = ProgressStore("eve", root=tmp_path / "progress")
    store.record("cases/wiltshire.ipynb", "contact_share", Feedback(True))
    store.record("methods/cld.ipynb", "loop_polarities", Feedback(False, fix="x"))
    store.reflect("I learnt to hold back my own framing.", ksbs=("B1", "B9"))
    table = evidence_table(store, [mine])
    assert table["K1"][0] == "Exercise passed: contact_share (cases/wiltshire.ipynb)"
    assert "Reflection: I learnt to hold back my own framing." in table["B9"]
    assert "Reflection: I learnt to hold back my own framing." not in table["K1"]
    assert any(e == "Case artefact: Wiltshire: complex needs across agencies / cld.csv" for e in table["S3"])
    assert not any("loop_polarities" in e for items in table.values() for e in items), "failed exercises are not evidence"
    page = build_portfolio(store, [mine])
    for ksb in KSB_IDS:
        assert f"<td id='{ksb}'>" in page


def test_portfolio_command_refuses_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STP_PROGRESS", str(tmp_path))
    monkeypatch.delenv("STP_DATA", raising=False)
    out = tmp_path / "p.html"
    assert cli.main(["portfolio", "--learner", "fay", "--out", str(out)]) == 0
    before = out.read_text()
    assert cli.main(["portfolio", "--learner", "fay", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and out.read_text() == before
    monkeypatch.delenv("STP_LEARNER", raising=False)
    assert cli.main(["portfolio", "--out", str(tmp_path / "q.html")]) == 1
    assert "No learner named. Pass --learner NAME or set STP_LEARNER." in capsys.readouterr().err
    assert not (tmp_path / "q.html").exists()


@pytest.mark.browser
def test_portfolio_opens_offline_and_shows_every_ksb(tmp_path: Path, browser: object) -> None:
    store = ProgressStore("gus", root=tmp_path)
    store.record("methods/vsm.ipynb", "pathologies", Feedback(True))  # evidences K1, K2, S1, S3, S4, S6, B3
    target = write_portfolio(store, tmp_path / "portfolio.html", cases=())
    import http.server
    import threading
    from functools import partial

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        context = browser.new_context()
        page = context.new_page()
        external, failed = [], []
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else (external.append(r.request.url), r.abort()))
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{target.name}")
        cells = page.eval_on_selector_all("td[id]", "els => els.map(e => e.id)")
        assert cells == list(KSB_IDS)
        body = page.inner_text("body")
        assert "No evidence yet" in body and "pathologies" in body
        assert "pathologies" in page.inner_text("tr:has(td#S3)") and "No evidence yet" in page.inner_text("tr:has(td#S2)")
        assert external == [] and failed == []
        context.close()
        server.shutdown()


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
