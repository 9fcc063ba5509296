"""Browser journey: move a scenario weight in the futures notebook's app and see the choice update."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app

from stp_helpers import catalogue
from stp_helpers.widgets.scenarios import RegretExplorer

pytestmark = pytest.mark.browser


def test_weight_slider_updates_the_choice(voila_server: str, visit: Visit) -> None:
    expected = RegretExplorer.from_case("wiltshire-complex-needs")
    before = expected.choice_text
    expected.sliders["Steady ground"].value = 10
    after = expected.choice_text
    assert before != after
    open_app(visit, voila_server, catalogue.entry("methods/scenarios.ipynb"))
    page = visit.page
    page.get_by_text(before).first.wait_for(timeout=60_000)
    slider = page.locator(".widget-slider", has_text="Steady ground").first
    handle = slider.locator(".ui-slider-handle, .noUi-handle").first
    handle.focus()
    page.keyboard.press("End")
    page.get_by_text(after).first.wait_for(timeout=60_000)
    assert visit.external == [] and visit.failed == [] and visit.console_errors == []
