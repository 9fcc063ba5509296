"""Every catalogue notebook as a Voilà app in Chromium, with the network cut off.

Each page must draw at least one chart, show no error output or traceback,
make no request that fails, and make no request to any host but 127.0.0.1:
every other request is aborted, which proves the apps work offline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from stp_helpers import catalogue

pytestmark = pytest.mark.browser

CHART = ".vega-embed svg, .vega-embed canvas"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


@dataclass
class Visit:
    page: object
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record = Visit(page)

    def route(r: object) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            record.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: record.failed.append(f"{r.url} {r.failure}"))
    page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    try:
        yield record
    finally:
        context.close()


def _open(visit: Visit, base: str, item: catalogue.Entry) -> None:
    visit.page.goto(item.voila_url(base), wait_until="domcontentloaded", timeout=120_000)
    visit.page.wait_for_selector(CHART, timeout=120_000)
    visit.page.wait_for_load_state("networkidle", timeout=60_000)


@pytest.mark.parametrize("item", catalogue.entries(), ids=[e.path for e in catalogue.entries()])
def test_app_renders_offline(voila_server: str, visit: Visit, item: catalogue.Entry) -> None:
    _open(visit, voila_server, item)
    page = visit.page
    assert page.locator(CHART).count() >= 1
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error')
    assert errors.count() == 0, errors.first.inner_text()
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("References")[0].replace("StpError", "")
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0, "code sources are stripped"
    assert visit.external == [], f"requests left 127.0.0.1: {visit.external}"
    assert visit.failed == [], f"failed requests: {visit.failed}"
    assert visit.console_errors == [], visit.console_errors


def test_gallery_links_open_each_notebook(voila_server: str, visit: Visit) -> None:
    _open(visit, voila_server, catalogue.entry("index.ipynb"))
    hrefs = visit.page.eval_on_selector_all(".stp-gallery a", "els => els.map(e => e.href)")
    expected = [e.voila_url(voila_server) for e in catalogue.entries() if e.kind != "gallery"]
    assert sorted(hrefs) == sorted(expected)


def test_scale_slider_redraws_the_chart(voila_server: str, visit: Visit) -> None:
    _open(visit, voila_server, catalogue.entry("cases/wiltshire.ipynb"))
    page = visit.page
    title = "If 300 people live similar lives, agencies record about 307,200 contacts"
    page.get_by_text(title).first.wait_for(timeout=30_000)
    handle = page.locator(".widget-slider .ui-slider-handle, .widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text("If 325 people live similar lives, agencies record about 332,800 contacts").first.wait_for(
        timeout=30_000)
    assert visit.external == [] and visit.failed == []
