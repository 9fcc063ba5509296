"""Case text never runs as script: every catalogue notebook under ``stp serve`` with hostile cases.

Every shipped case is copied into a temporary ``STP_DATA`` (searched before the
shipped cases, so every notebook opens the hostile copy) with a payload in every
text field of every artefact (see ``hostile_case.py``): an ``<img onerror>``, a
``<script>``, a ``javascript:`` Markdown link and an ``<svg onload>``.  One
Chromium visits the pages in sequence.  A page fails on any dialog, on
``window.__pwned`` being set, or on any element the payload would inject.
The payload must also be visible *as text*, which shows that the hostile
case reached the page (escaped) rather than being skipped.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CHART, LOCAL, _free_port
from hostile_case import INJECTED, hostile_fields, make_hostile

from stp_helpers import case as cases
from stp_helpers import catalogue

pytestmark = pytest.mark.browser

ENTRIES = catalogue.entries()
#: Pages that show no case text at all (the gallery lists notebooks; teacher mode shows a lesson file;
#: the portfolio shows the learner's own records, which the portfolio tests make hostile).
NO_CASE_TEXT = {"index.ipynb", "teaching/class.ipynb", "teaching/teacher.ipynb", "portfolio.ipynb"}
FOUND_JS = f"""() => {{
  const found = Array.from(document.querySelectorAll({INJECTED!r}))
    .filter(e => e.tagName !== 'SCRIPT' || e.textContent.includes('__pwned'));
  return {{pwned: window.__pwned === 1, injected: found.map(e => e.outerHTML.slice(0, 120))}};
}}"""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-cases")
    for slug in cases.list_cases():
        folder = make_hostile(slug, root)
        assert hostile_fields(folder) >= 60, f"{slug}: too few text fields carry the payload"
    return root


@pytest.fixture(scope="module")
def hostile_server(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``stp serve``'s Voilà with STP_DATA pointing at the hostile cases."""
    from stp_helpers.cli import voila_command, voila_env

    port = _free_port()
    env = voila_env()
    env["STP_DATA"] = str(hostile_data)
    env["STP_PROGRESS"] = str(tmp_path_factory.mktemp("progress"))
    log = tmp_path_factory.mktemp("voila-hostile") / "voila.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(voila_command(port), env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            assert proc.poll() is None, f"Voilà exited: {log.read_text()}"
            assert time.monotonic() < deadline, f"Voilà did not start within 90 s: {log.read_text()}"
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def page(browser: object) -> Iterator[tuple[object, list[str]]]:
    """One page for the whole module; every dialog is recorded and dismissed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
    try:
        yield page, dialogs
    finally:
        context.close()


def _settle(page: object) -> None:
    """Wait until Voilà has run every cell: the first chart (when any) and a quiet network."""
    try:
        page.wait_for_selector(CHART, timeout=90_000)
    except Exception:  # a page may legitimately show no chart with a hostile case; the checks still run
        pass
    page.wait_for_load_state("networkidle", timeout=60_000)
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("item", ENTRIES, ids=[e.path for e in ENTRIES])
def test_case_text_never_runs_as_script(hostile_server: str, page: tuple[object, list[str]],
                                        item: catalogue.Entry) -> None:
    tab, dialogs = page
    dialogs.clear()
    tab.goto(item.voila_url(hostile_server), wait_until="domcontentloaded", timeout=120_000)
    _settle(tab)
    found = tab.evaluate(FOUND_JS)
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert not found["pwned"], "case text ran as script"
    assert found["injected"] == [], f"case text became elements: {found['injected']}"
    if item.path not in NO_CASE_TEXT:
        text = tab.inner_text("body")
        assert 'onerror="window.__pwned=1;alert(1)"' in text, "the hostile case text is not on the page"
    tab.goto("about:blank")
