"""Every catalogue notebook as a Voilà app in Chromium, with the network cut off.

Each page must draw at least one chart, show no error output or traceback,
make no request that fails, and make no request to any host but 127.0.0.1:
every other request is aborted, which proves the apps work offline.
"""

from __future__ import annotations

import pytest
from conftest import Visit, assert_fits, assert_rendered_offline, open_app, wait_for_chart_title
from test_browser_exercises import JOURNEYS

from stp_helpers import catalogue

pytestmark = pytest.mark.browser


#: Notebooks with exercise apps are opened, and checked the same way, by their exercise journey
#: (tests/test_browser_exercises.py), so each page is loaded once.
WITHOUT_JOURNEY = [e for e in catalogue.entries() if e.path not in JOURNEYS]


@pytest.mark.parametrize("item", WITHOUT_JOURNEY, ids=[e.path for e in WITHOUT_JOURNEY])
def test_app_renders_offline(voila_server: str, visit: Visit, item: catalogue.Entry) -> None:
    open_app(visit, voila_server, item)
    assert_rendered_offline(visit)
    assert_fits(visit)


def test_every_notebook_is_opened_offline_by_one_browser_test() -> None:
    assert {e.path for e in WITHOUT_JOURNEY} | set(JOURNEYS) == {e.path for e in catalogue.entries()}


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
