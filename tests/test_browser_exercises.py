"""Exercise apps in Voilà (as `stp serve` runs them): one journey per notebook.

For each exercise app of a notebook: the model answer is not in the page before an
attempt, a wrong answer gives "Not yet" with its hint, the right answer gives
"Correct", and then the model answer opens.  Offline, with no console errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import Visit

from stp_helpers import catalogue

pytestmark = pytest.mark.browser

Step = Callable[[object], None]


def text(value: str, nth: int = 0) -> Step:
    """Type into the app's nth text box and send it (Enter)."""
    def act(app: object) -> None:
        box = app.locator(".widget-text input").nth(nth)
        box.fill(value)
        box.press("Enter")
    return act


def selects(*values: str, start: int = 0) -> Step:
    """Choose values in the app's drop-downs, from the ``start``-th on ("" leaves one as it is)."""
    def act(app: object) -> None:
        for i, value in enumerate(values):
            if value:
                app.locator("select").nth(start + i).select_option(value=value)
    return act


def ticks(*labels: str, clear: tuple[str, ...] = ()) -> Step:
    """Tick (and untick) the app's check boxes by their labels."""
    def act(app: object) -> None:
        for label in clear:
            box = app.locator(f".widget-checkbox:has(label:text-is('{label}')) input")
            if box.is_checked():
                box.click()
        for label in labels:
            box = app.locator(f".widget-checkbox:has(label:text-is('{label}')) input")
            if not box.is_checked():
                box.click()
    return act


def press(name: str) -> Step:
    def act(app: object) -> None:
        app.get_by_role("button", name=name, exact=True).click()
    return act


@dataclass
class Journey:
    """One exercise app: how to predict, a wrong answer and its hint, the right answer, a line of the model answer."""

    predict: Step
    wrong: Step
    hint: str
    right: Step
    model: str
    also: list[str] = field(default_factory=list)


CRISIS_ROWS = [("unmet_need", "housing_instability", "+", "no"), ("housing_instability", "crisis_contacts", "+", "no"),
               ("housing_instability", "unmet_need", "+", "yes"), ("unmet_need", "mental_health_crises", "+", "no"),
               ("mental_health_crises", "crisis_contacts", "+", "no"), ("unmet_need", "police_incidents", "+", "no"),
               ("police_incidents", "crisis_contacts", "+", "no")]

JOURNEYS: dict[str, list[Journey]] = {
    "methods/cld.ipynb": [
        Journey(text("3"), selects("B", "B", "B", "B", "B"), "count the negative links on it",
                selects("B", "B", "R", "R", "R"), "loop 1 balancing (1 negative link)"),
        Journey(selects("yes"), text("Limits to Growth"), "Limits to Growth needs a reinforcing loop that drives growth",
                text("fix that fails"), "The balancing loop backlog → overtime → backlog is the fix"),
        Journey(text("5"), selects(), "reference variable(s) are missing",
                selects(*[v for row in CRISIS_ROWS for v in row], start=12), "unmet_need → crisis_contacts (+)"),
    ],
    "methods/csh.ipynb": [
        Journey(selects("control"), selects(*(["motivation"] * 12), start=1), "Look again at control",
                selects(*(["motivation"] * 3 + ["control"] * 3 + ["knowledge"] * 3 + ["legitimacy"] * 3), start=1),
                "motivation: 1, 2, 3; control: 4, 5, 6"),
        Journey(selects("control"), press("10"), "Another question's is and ought answers share more words",
                press("4"), "question 4 or question 5"),
        Journey(selects("yes"), text("council leadership"), "is among those in control",
                text("An independent advocate"), "People with lived experience and independent advocates"),
    ],
    "methods/measures.ipynb": [
        Journey(selects("yes"), selects(), "", lambda app: None, ""),
        Journey(selects("yes"), text("chance"), "Compare the target with the limits, not with the latest point",
                text("needs a change to the system"), "Only a change to the system, not more pressure, can."),
        Journey(text("0.3", 0), text("0.4", 1), "That is the value-demand share", text("60%", 1), "0.60 (720 of 1200)"),
    ],
}
# Measures exercise 1 asks for two numbers in a table of text boxes.
JOURNEYS["methods/measures.ipynb"][0] = Journey(
    selects("yes"), lambda app: (text("30", 0)(app), text("70", 1)(app)), "Check the limits: centre ± 2.66",
    lambda app: (text("38.976", 0)(app), text("62.191", 1)(app)), "lower 38.976, upper 62.191")


def _feedback(app: object, start: str, line: str) -> None:
    panel = app.locator(".stp-exercise-feedback")
    panel.locator(f"text={start}").first.wait_for(timeout=60_000)
    said = panel.inner_text()
    assert said.startswith(start) and line in said, said


@pytest.mark.parametrize("path", sorted(JOURNEYS))
def test_each_exercise_app_checks_answers_and_keeps_the_model_answer_back(path: str, voila_server: str,
                                                                         visit: Visit) -> None:
    item = catalogue.entry(path)
    page = visit.page
    page.goto(item.voila_url(voila_server), wait_until="domcontentloaded", timeout=180_000)
    apps = page.locator(".stp-exercise")
    apps.nth(len(JOURNEYS[path]) - 1).wait_for(timeout=180_000)
    assert apps.count() == len(JOURNEYS[path])
    html = page.content()
    assert "Show a solution" not in html
    for journey in JOURNEYS[path]:
        assert journey.model not in html, journey.model
    for index, journey in enumerate(JOURNEYS[path]):
        app = apps.nth(index)
        app.scroll_into_view_if_needed()
        assert app.locator(".stp-model-answer").inner_text().strip() == ""
        journey.predict(app)
        press("Lock my prediction")(app)
        check = app.get_by_role("button", name="Check", exact=True)
        page.wait_for_function("b => !b.disabled", arg=check.element_handle(), timeout=30_000)
        journey.wrong(app)
        check.click()
        _feedback(app, "Not yet.", journey.hint)
        journey.right(app)
        check.click()
        _feedback(app, "Correct.", "")
        model = app.locator(".stp-model-answer")
        model.locator("text=Model answer.").wait_for(timeout=30_000)
        assert journey.model in model.inner_text()
    assert visit.external == [] and visit.failed == []
    assert visit.console_errors == []
