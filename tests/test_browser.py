"""Every catalogue notebook as a Voilà app in Chromium, with the network cut off.

Each page must draw at least one chart, show no error output or traceback,
make no request that fails, and make no request to any host but 127.0.0.1:
every other request is aborted, which proves the apps work offline.
"""

from __future__ import annotations

import pytest
from conftest import CHART, Visit, open_app, wait_for_chart_title

from stp_helpers import catalogue

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("item", catalogue.entries(), ids=[e.path for e in catalogue.entries()])
def test_app_renders_offline(voila_server: str, visit: Visit, item: catalogue.Entry) -> None:
    open_app(visit, voila_server, item)
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
    open_app(visit, voila_server, catalogue.entry("index.ipynb"))
    hrefs = visit.page.eval_on_selector_all(".stp-gallery a", "els => els.map(e => e.href)")
    expected = [e.voila_url(voila_server) for e in catalogue.entries() if e.kind != "gallery"]
    assert sorted(hrefs) == sorted(expected)


def test_scale_slider_redraws_the_chart(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("cases/wiltshire.ipynb"))
    page = visit.page
    title = "If 300 people live similar lives, agencies record about 307,200 contacts"
    wait_for_chart_title(page, title)
    handle = page.locator(".widget-slider .ui-slider-handle, .widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    wait_for_chart_title(page, "If 325 people live similar lives, agencies record about 332,800 contacts")
    assert visit.external == [] and visit.failed == []
