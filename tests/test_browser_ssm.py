"""The root definition builder in Voilà (Chromium, network cut off): type, see the sentence and feedback change."""

from __future__ import annotations

import pytest
from conftest import Visit, open_app, wait_for_chart_title

from stp_helpers import catalogue

pytestmark = pytest.mark.browser

ENTRY = "methods/ssm.ipynb"


def test_typing_a_transformation_updates_sentence_and_feedback(voila_server: str, visit: Visit) -> None:
    open_app(visit, voila_server, catalogue.entry(ENTRY))
    page = visit.page
    sentence = page.locator(".ssm-sentence .ssm-pqr").first
    sentence.wait_for(timeout=60_000)
    assert "people with complex needs supported as partners" in sentence.inner_text()
    feedback = page.locator(".ssm-feedback-box").first
    assert "8 of 8" in feedback.inner_text()
    t_input = page.locator(".ssm-t-input input").first
    t_input.fill("funding")
    t_input.press("Enter")
    output = page.locator(".ssm-t-output input").first
    output.fill("services")
    output.press("Enter")
    page.get_by_text("to turn funding into services by").first.wait_for(timeout=30_000)
    page.locator(".ssm-feedback-box", has_text="T-error: 'funding' is a resource").first.wait_for(timeout=30_000)
    assert "7 of 8" in feedback.inner_text()
    wait_for_chart_title(page, "provider has the most to look at: 1 of 8 checks")
    page.get_by_role("button", name="Save to case").click()
    page.get_by_text("is a case shipped with the workbook").first.wait_for(timeout=30_000)
    assert visit.external == [] and visit.failed == []
    assert visit.console_errors == [], visit.console_errors
