"""Browser journeys for the stakeholder and CSH apps in Voilà, offline."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app, wait_for_chart_title

from stp_helpers import catalogue
from stp_helpers.stakeholders import csh, csh_judged

pytestmark = pytest.mark.browser


def test_power_score_changes_the_grid_title(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/stakeholders.ipynb"))
    page = visit.page
    wait_for_chart_title(page, "5 of 8 stakeholders are key players")
    page.locator(".widget-dropdown select").first.select_option("Frontline workers")
    handle = page.locator(".widget-slider .ui-slider-handle, .widget-slider .noUi-handle").first
    page.wait_for_timeout(1000)
    handle.focus()
    page.keyboard.press("ArrowLeft")
    wait_for_chart_title(page, "4 of 8 stakeholders are key players")
    assert visit.external == [] and visit.failed == []


def test_csh_answer_edit_clears_its_judged_reading(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/csh.ipynb"))
    page = visit.page
    record = csh.load_csh("plymouth-alliance")
    wait_for_chart_title(page, csh_judged.judged_finding(record))
    group, number = csh_judged.judged_start(record)
    text = "Commissioners and the targets they set"
    box = page.locator(".widget-textarea textarea").first
    box.fill(text)
    box.press("Tab")
    # The edited answer was judged as it stood; its reading is cleared and the title follows.
    after = csh_judged.judged_finding(csh.set_answer(record, group, number, "ought", text))
    wait_for_chart_title(page, after)
    page.get_by_text("clear", exact=False).first.wait_for(timeout=30_000)
    assert visit.external == [] and visit.failed == []
