"""Browser journeys in Voilà (network cut off): move the XmR baseline, see the chart's finding change."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app, wait_for_chart_title

from stp_helpers import catalogue
from stp_helpers.widgets.evaluation import XmrExplorer

pytestmark = pytest.mark.browser


def test_xmr_baseline_slider_redraws_the_chart(voila_server: str, visit: Visit) -> None:
    app = XmrExplorer.from_case("stoke-neet")
    first = app.title
    app.baseline.value += 1
    second = app.title
    assert first != second
    open_app(visit, voila_server, catalogue.entry("methods/measures.ipynb"))
    page = visit.page
    wait_for_chart_title(page, first)
    handle = page.locator(".widget-slider .ui-slider-handle, .widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    wait_for_chart_title(page, second)
    assert visit.external == [] and visit.failed == []


def test_logic_model_editor_shows_the_rule_broken(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/logic_model.ipynb"))
    page = visit.page
    box = page.locator("textarea").first
    text = box.input_value()
    box.fill(text.replace("  - {from: I2, to: A2}\n", ""))
    box.blur()
    page.get_by_text("LM-5").first.wait_for(timeout=30_000)
    assert visit.external == [] and visit.failed == []
