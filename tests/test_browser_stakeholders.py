"""Browser journeys for the stakeholder and CSH apps in Voilà, offline."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app

from stp_helpers import catalogue
from stp_helpers.stakeholders import csh

pytestmark = pytest.mark.browser


def test_power_score_changes_the_grid_title(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/stakeholders.ipynb"))
    page = visit.page
    page.get_by_text("5 of 8 stakeholders are key players").first.wait_for(timeout=30_000)
    page.locator(".widget-dropdown select").first.select_option("Frontline workers")
    handle = page.locator(".widget-slider .ui-slider-handle, .widget-slider .noUi-handle").first
    page.wait_for_timeout(1000)
    handle.focus()
    page.keyboard.press("ArrowLeft")
    page.get_by_text("4 of 8 stakeholders are key players").first.wait_for(timeout=30_000)
    assert visit.external == [] and visit.failed == []


def test_csh_answer_changes_the_gap_chart(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/csh.ipynb"))
    page = visit.page
    before = csh.gap_finding(csh.load_csh("plymouth-alliance"))
    page.get_by_text(before).first.wait_for(timeout=30_000)
    box = page.locator(".widget-textarea textarea").first
    box.fill("Commissioners and the targets they set")
    box.press("Tab")
    after = csh.gap_finding(csh.set_answer(csh.load_csh("plymouth-alliance"), "Commissioners", 1, "ought",
                                           "Commissioners and the targets they set"))
    assert after != before
    page.get_by_text(after).first.wait_for(timeout=30_000)
    assert visit.external == [] and visit.failed == []
