"""The VSM notebook in Voilà: change a field in the form, see the diagnosis and the drawing update (offline)."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app

from stp_helpers import catalogue

pytestmark = pytest.mark.browser


def test_clearing_an_environment_flags_vsm_1(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry("methods/vsm.ipynb"))
    page = visit.page
    page.locator("svg.stp-vsm").first.wait_for(timeout=60_000)
    assert page.locator('.vsm-finding[data-rule="VSM-1"]').count() == 0
    field = page.locator('.widget-text:has(label:text-is("Environment")) input').first
    field.wait_for(timeout=30_000)
    assert field.input_value().startswith("People with complex needs")
    field.fill("")
    field.press("Enter")
    page.locator('.vsm-finding[data-rule="VSM-1"]').first.wait_for(timeout=30_000)
    page.get_by_text("no environment given").first.wait_for(timeout=30_000)
    assert page.locator(".stp-status").first.inner_text().startswith("Updated.")
    field.fill("People sleeping rough")
    field.press("Enter")
    page.locator('.vsm-finding[data-rule="VSM-1"]').first.wait_for(state="detached", timeout=30_000)
    assert visit.external == [] and visit.failed == []
    assert visit.console_errors == []
