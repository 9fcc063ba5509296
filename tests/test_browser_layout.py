"""The pages a teacher projects most, opened at 1280 px and at 412 px, and photographed.

Every app is checked at both widths after its exercise journey or its offline render
test (``conftest.assert_fits``, with the rules in ``tests/layout.py``): there the page
opens at 1280 px and is then narrowed.  Here the Wiltshire and Salford case threads, the
scenarios method with its regret explorer and the duty 7 app are opened at each width
from the start, as a phone opens them, and must meet the same rules: nothing wider than
the viewport, no text clipped, no chart labels overlapping, every chart named, no
console error.

Screenshots of these pages at both widths are written to ``tests/screenshots/``
(git-ignored) for review.
"""

from __future__ import annotations

from pathlib import Path

import layout
import pytest
from conftest import CHART, Visit

from stp_helpers import catalogue

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = layout.WIDTHS
#: Pages reviewed by eye: the notebook, and a selector for the part to photograph on its own.
REVIEWED = {
    "cases/wiltshire.ipynb": ("wiltshire", None),
    "cases/salford.ipynb": ("salford-grid", "stakeholders are key"),
    "methods/scenarios.ipynb": ("regret-explorer", "robust choice"),
    "duty07.ipynb": ("duty07-app", None),
}
ENTRIES = [catalogue.entry(path) for path in REVIEWED]

TALL_JS = """() => Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll('*'))
  .filter(e => /(auto|scroll)/.test(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""

@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("item", ENTRIES, ids=[e.path for e in ENTRIES])
def test_page_fits_and_nothing_is_cut_or_overlaps(voila_server: str, visit: Visit, item: catalogue.Entry,
                                                  width: int) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(item.voila_url(voila_server), wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(CHART, timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=60_000)
    page.wait_for_timeout(2000)  # charts redraw once their container has its width
    if item.path in REVIEWED:
        name, part = REVIEWED[item.path]
        SCREENSHOTS.mkdir(exist_ok=True)
        # Voilà scrolls inside a panel, so the whole page is photographed through a tall viewport.
        tall = page.evaluate(TALL_JS)
        page.set_viewport_size({"width": width, "height": max(900, min(int(tall), 16_000))})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"))
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(1000)
        if part is not None:
            chart = page.locator(".vega-embed", has_text=part).first
            chart.scroll_into_view_if_needed(timeout=30_000)
            chart.screenshot(path=str(SCREENSHOTS / f"{name}-chart-{width}.png"))
    found = layout.problems(page)
    found += [f"console errors: {visit.console_errors}"] if visit.console_errors else []
    assert found == [], "\n".join(found)
