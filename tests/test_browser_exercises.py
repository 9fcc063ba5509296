"""Exercise apps in Voilà (as `stp serve` runs them): one journey per notebook.

For each exercise app of a notebook: the model answer is not in the page before an
attempt, a wrong answer gives "Not yet" with its hint, the right answer gives
"Correct", and then the model answer opens.  Offline, with no console errors.
Every catalogue notebook with an exercise app (a cell tagged ``check:exN``) has one
journey per exercise; a fast test (no browser) says which notebook lacks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import json
import re
from functools import cache

import pytest
from conftest import Visit, assert_fits, assert_rendered_offline, open_app

from stp_helpers import case, catalogue, report, sd
from stp_helpers.futures import options

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
                select = app.locator("select").nth(start + i)
                labels = [t.replace("\xa0", " ") for t in select.locator("option").all_text_contents()]
                select.select_option(index=labels.index(value))
    return act


def ticks(*indices: int, clear: tuple[int, ...] = ()) -> Step:
    """Tick (and untick) the app's check boxes by their place (0 first, in the order the app lists them)."""
    def act(app: object) -> None:
        boxes = app.locator("input[type=checkbox]")
        for index in clear:
            if boxes.nth(index).is_checked():
                boxes.nth(index).click()
        for index in indices:
            if not boxes.nth(index).is_checked():
                boxes.nth(index).click()
    return act


def both(*steps: Step) -> Step:
    def act(app: object) -> None:
        for step in steps:
            step(app)
    return act


def texts(*values: str) -> Step:
    """Type into the app's text boxes in order ("" leaves one as it is)."""
    def act(app: object) -> None:
        for i, value in enumerate(values):
            if value:
                text(value, i)(app)
    return act


def press(name: str) -> Step:
    def act(app: object) -> None:
        app.get_by_role("button", name=name, exact=True).click()
    return act


@cache
def lever_ranking() -> list[str]:
    """The Wiltshire model's levers, strongest first, as the stock-and-flow notebook tests them."""
    the_case = case.load("wiltshire-complex-needs")
    model, scenarios = sd.case_model(the_case), sd.case_scenarios(the_case)
    policy = scenarios[1].params if len(scenarios) > 1 else {}
    table = sd.lever_effects(model, sd.key_outcome(model, scenarios), levers=sd.default_levers(model, scenarios),
                             policy=policy)
    return list(table["parameter"])


@cache
def weight_answers() -> tuple[str, str]:
    """The logic model notebook's case (Stoke): the weight the first choice turns on, and another criterion."""
    appraisal = report.case_appraisal(case.load("stoke-neet"))
    moves = options.weight_sensitivity(appraisal, which="top").dropna(subset=["move"]).sort_values("move", kind="stable")
    best = moves.iloc[0]["criterion"]
    other = next(c for c in appraisal.criteria if c not in set(moves.loc[moves["move"] == moves.iloc[0]["move"], "criterion"]))
    return best, other


@dataclass
class Journey:
    """One exercise app: how to predict, a wrong answer and its hint, the right answer, a line of the model answer."""

    predict: Step | None
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
        Journey(selects("control"), selects(*(["motivation"] * 12), start=1), "Look again at motivation: which questions ask",
                selects(*(["motivation"] * 3 + ["control"] * 3 + ["knowledge"] * 3 + ["legitimacy"] * 3), start=1),
                "motivation: 1, 2, 3; control: 4, 5, 6"),
        Journey(selects("control"), press("4"), "the workbook judges its gap in values 'wide'",
                press("5"), "question 5 or question 7 (judged some)"),
        Journey(selects("yes"), text("council leadership"), "is among those in control",
                text("An independent advocate"), "People with lived experience and independent advocates"),
        Journey(selects("no"), texts("service users", "Commissioners", "workers", "nobody"),
                "Client (beneficiary), Q1: you have 'service users'", texts("Commissioners and their targets"),
                "witness: Nobody"),
    ],
    "methods/measures.ipynb": [
        Journey(selects("yes"), selects(), "", lambda app: None, ""),
        Journey(selects("yes"), text("chance"), "Compare the target with the limits, not with the latest point",
                text("needs a change to the system"), "Only a change to the system, not more pressure, can."),
        Journey(text("0.3", 0), text("0.4", 1), "That is the value-demand share", text("60%", 1), "0.60 (720 of 1200)"),
        Journey(text("3", 0), both(selects("value", "failure", "failure", "value", "value"),
                                   texts("", "", "not done right", "not done right")),
                "Row 1 (“chasing a place on a course”): you marked it value demand",
                both(selects("failure"), texts("", "chasing up")), "failure demand (progress chasing)"),
    ],
}
# Measures exercise 1 asks for two numbers in a table of text boxes.
JOURNEYS["methods/measures.ipynb"][0] = Journey(
    selects("yes"), texts("30", "70"), "Check the limits: centre ± 2.66", texts("38.976", "62.191"),
    "lower 38.976, upper 62.191")

INDICATOR = ("Tenancies kept 12 months", "People still in their tenancy 12 months after referral, as a percentage",
             "people still in their tenancy after 12 months", "people referred 12 months earlier", "% of people referred",
             "Housing management system", "62", "2024-Q1", "higher", "2026-Q1", "quarterly", "Housing options manager")
CATWOE = ("people with complex needs using services", "a person with complex needs and their carers",
          "alliance providers", "workers they trust across services",
          "services commissioned in silos against targets", "a person with complex needs done to by services",
          "services commissioned as one alliance around the person", "a person with complex needs worked with as a partner",
          "Commissioning can buy outcomes only by sharing risk and learning with providers",
          "Warmth, persistence and being treated as a partner matter more than labels and thresholds",
          "Plymouth City Council cabinet", "the alliance board",
          "the council budget and procurement law", "the services and thresholds that exist")
SAME_W = CATWOE[:9] + (CATWOE[8],) + CATWOE[10:]
UNITS = ("housing", "childrens", "benefits", "police", "mental-health", "ambulance-hospital")

JOURNEYS.update({
    "methods/stakeholders.ipynb": [
        Journey(text("2"), selects("monitor", "monitor", "monitor", "monitor"), "Commissioners: you have 'monitor'",
                selects("key players", "keep satisfied", "keep informed", "monitor"), "Commissioners: key players"),
        Journey(selects("Police"), selects("definitive", "definitive", "definitive", "definitive", start=1),
                "People with complex needs: you have definitive",
                selects("dependent", "definitive", "dominant", "discretionary", start=1),
                "People with complex needs: dependent"),
        Journey(selects("Police"), selects("People with complex needs", start=1), "sits on no route between two others",
                selects("Council leadership", start=1), "The broker sits on the most shortest routes"),
    ],
    "methods/logic_model.ipynb": [
        Journey(text("3"), selects("LM-2", "A1"), "LM-2 does not apply to A1",
                selects("LM-2", "A3", "LM-4", "L1", "LM-5", "A3"), "LM-2 at A3; LM-4 at L1; LM-5 at A3"),
        Journey(selects("owner"), texts(*(["x"] * 12)), "baseline: 'x' is not a number.", texts(*INDICATOR),
                "numerator: people still in their tenancy after 12 months"),
        Journey(lambda app: selects(weight_answers()[1])(app), lambda app: selects(weight_answers()[1], start=1)(app),
                "another criterion needs a smaller move", lambda app: selects(weight_answers()[0], start=1)(app),
                "spend the discussion there"),
    ],
    "methods/ssm.ipynb": [
        Journey(text("4"), ticks(1, 3, 4), "Look again at number 6", ticks(5),
                "that the system uses rather than changes"),
        Journey(selects("W"), texts(*SAME_W), "The two worldviews (W) are the same words", texts(*CATWOE),
                "worked with as a partner; W warmth"),
        Journey(text("5"), selects(*(["yes"] * 9)), "you have 'yes'",
                selects("yes", "yes", "yes", "partly", "yes", "yes", "no", "yes", "yes"), "a4: partly"),
    ],
    "methods/vsm.ipynb": [
        Journey(text("5"), ticks(3, 4, 5, 6), "how would an alarm from the front line reach policy", ticks(7),
                "a body doing both control and policy, an alarm route"),
        Journey(selects("S3*"), texts("S2", "S3, S3*", "S4", "S5"), "does it really audit operations directly?",
                texts("S2", "S3", "S4", "S5"), "learning-exchange: S2"),
        Journey(selects("VSM-9"), both(text("Hub"), ticks(0, 3)), "Still uncoordinated:",
                ticks(*range(len(UNITS))), "One System 2 mechanism linking housing"),
    ],
    "methods/scenarios.ipynb": [
        Journey(selects("central funding settlement"), ticks(1, 0), "central funding settlement is one of the two axes",
                ticks(4, clear=(0,)), "make the axes; a driver"),
        Journey(selects("Do nothing"), selects("Do nothing", start=1), "Do nothing",
                selects("Early help at scale", start=1), "may never be the best in any single scenario"),
        Journey(selects("Steady ground"), selects("Steady ground", start=1), "Steady ground",
                selects("Housing bottleneck", start=1), "The story counted the same people twice"),
        Journey(selects("central funding settlement"), selects(*(["5"] * 12), start=1),
                "ageing population: you gave uncertainty 5; the briefing says",
                selects("5", "1", "5", "5", "4", "4", "3", "4", "4", "5", "2", "5", start=1),
                "ageing population: impact 5, uncertainty 1"),
    ],
    "cases/wiltshire.ipynb": [
        Journey(selects("less"), text("50"), "Divide Police's contacts by the total", text("23.2"),
                "counted contacts divided by the total of all counted contacts"),
        Journey(None, text("Police"), "Police is the second largest", text("housing"), "more than any other agency"),
        Journey(selects("Carry on as now"), selects("Carry on as now", start=1), "Multiply each criterion's score",
                selects("A multi-agency hub", start=1), "has the highest weighted score (0.63"),
    ],
    "cases/wolverhampton.ipynb": [
        Journey(selects("Ostrich"), selects("Ostrich", start=1), "Your answer is your prediction",
                selects("Lame Duck", start=1), "Answering yes, no in turn leads to Lame Duck"),
        Journey(selects("Big-bang joint service"), selects("Big-bang joint service", start=1),
                "was that for its best case", selects("Keep running Flamingos rounds", start=1),
                "may never be the best in any single scenario"),
    ],
    "cases/stoke.ipynb": [
        Journey(text("25", 0), text("25", 1), "Your answer is your prediction", text("15.9", 1), "the fall is ("),
        Journey(text("3"), ticks(0), "The case already has or does not need options.csv", ticks(1, 3, clear=(0,)),
                "Compare each of the duty's evidence artefacts with the case's folder"),
    ],
    "cases/plymouth.ipynb": [
        Journey(text("2"), ticks(0), "2 more artefact(s) of this duty are missing", ticks(0, 1, 2),
                "Compare each of the duty's evidence artefacts with the case's folder"),
    ],
    "cases/salford.ipynb": [
        Journey(selects("5"), press("5"), "Your answer is your prediction", press("2"),
                "question 2 or question 6 or question 8 or question 11 or question 12 (judged some)"),
        Journey(text("2"), ticks(1), "how would an alarm from the front line reach policy", ticks(7),
                "a body doing both control and policy, an alarm route"),
    ],
    "methods/stock_flow.ipynb": [
        Journey(text("3"), both(
            texts("", "Stable", "", "At risk", "", "In crisis", "", "becoming at risk", "At risk", "stabilising", "Stable",
                  "entering crisis", "In crisis", "returning to risk", "At risk", "recovering from crisis", "Stable",
                  "crisis onset rate", "", "crisis duration", "", "total agency contacts"),
            selects("stock", "", "stock", "", "stock", "", "flow", "out", "flow", "in", "flow", "in", "flow", "in", "flow",
                    "in", "parameter or auxiliary", "", "parameter or auxiliary", "", "parameter or auxiliary")),
            "becoming at risk is a flow into At risk, not out of it.", selects("in", start=7),
            "becoming at risk: flow into At risk and out of Stable"),
        Journey(selects("exponential"), selects("exponential", start=1), "does the growth keep speeding up",
                selects("S-shaped", start=1), "the balancing loop (crowding"),
        Journey(lambda app: selects(lever_ranking()[-1])(app), lambda app: selects(lever_ranking()[-1], start=1)(app),
                "Sort the levers by the size of their effect", lambda app: selects(lever_ranking()[0], start=1)(app),
                "not always one a service controls"),
        Journey(selects("Flow units"), selects("Flow units", start=1), "the model passes it",
                selects("Extreme conditions", start=1), "a fixed outflow keeps draining an empty bath"),
    ],
})


def rules(*picked: str, of: tuple[str, ...]) -> Step:
    """Tick exactly the rules ``picked`` among the app's rule boxes ``of`` (in the order the app lists them)."""
    return ticks(*(of.index(r) for r in picked), clear=tuple(i for i, r in enumerate(of) if r not in picked))


def rows(answers: dict[str, str], start: int = 1) -> Step:
    """Choose one answer per row of a matching table, in the app's row order (after ``start`` other drop-downs)."""
    return selects(*answers.values(), start=start)


CONCEPTS = {"q1": "emergence", "q2": "boundary", "q3": "feedback", "q4": "purpose"}
TRADITIONS = {"t1": "hard", "t2": "soft", "t3": "critical", "t4": "hard"}
PHILOSOPHY = {"p1": "ontology", "p2": "epistemology", "p3": "ontology", "p4": "epistemology"}
EPISODES = {"call-centre": "single", "flamingos-housing": "double", "crisis-staff": "single",
            "plymouth-targets": "double", "leaflet-reprint": "single", "wiltshire-question": "double"}
JOURNAL = {"journal-1": "experience", "journal-2": "reflection", "journal-3": "conceptualisation",
           "journal-4": "experimentation"}
REGIMES = {"neighbour": "adult-safeguarding", "records": "data-protection", "closure": "equality",
           "cafe": "health-safety", "youth-group": "child-safeguarding", "birth-dates": "data-protection"}
SC = ("SC-1", "SC-2", "SC-3", "SC-4", "SC-5", "SC-6", "SC-7")
IP = ("IP-1", "IP-2", "IP-3", "IP-4", "IP-5")
IL = ("IL-1", "IL-2", "IL-3", "IL-4", "IL-5")
ES = ("ES-1", "ES-2", "ES-3", "ES-4", "ES-5")
SA = ("SA-1", "SA-2", "SA-3", "SA-4", "SA-5")
FS = ("FS-1", "FS-2", "FS-3", "FS-4", "FS-5")
CP = ("CP-1", "CP-2", "CP-3", "CP-4")
FI_CB = ("FI-1", "FI-2", "FI-3", "FI-4", "FI-5", "CB-1", "CB-2", "CB-3", "CB-4", "CB-5")
EI = ("EI-1", "EI-2", "EI-3", "EI-4", "EI-5")
STOKE_STORY = ("link A2 → O2 (strong evidence)", "link O2 → M1 (moderate evidence)",
               "link M1 → L1 (moderate evidence)", "rival: More jobs for 17-year-olds in the local labour market",
               "rival: A change in how Connexions recorded NEET status",
               "rival: Weekly contact alone, without January starts, kept students on course")
BASES = "Consent (Article 6(1)(a))", "Public task (Article 6(1)(e))"

JOURNEYS.update({
    "foundations/concepts_and_schools.ipynb": [
        Journey(selects("feedback"), rows({**CONCEPTS, "q3": "purpose"}), "q3: you chose purpose", rows(CONCEPTS),
                "leaving voluntary groups out is a boundary judgement"),
        Journey(selects("hard"), rows({**TRADITIONS, "t2": "critical"}), "t2: the critical tradition asks",
                rows(TRADITIONS), "root definitions per worldview are soft"),
        Journey(selects("ontology"), rows({**PHILOSOPHY, "p2": "ontology"}), "p2: is the statement about",
                rows(PHILOSOPHY), "p1 and p3 say what there is"),
    ],
    "foundations/choosing_methods.ipynb": [
        Journey(selects("complex-pluralist"), selects("simple-pluralist", start=1), "Participants: you said pluralist",
                selects("simple-coercive", start=1), "Count the signs of complexity, then ask"),
        Journey(selects("no"), text("ssm"), "it fits complex–pluralist", text("vsm"),
                "The vignette is complex–unitary"),
    ],
    "foundations/learning_and_change.ipynb": [
        Journey(text("3"), rows({**EPISODES, "plymouth-targets": "single"}, start=0),
                "plymouth-targets: you said single", rows(EPISODES, start=0),
                "the Wiltshire partners question what governs it"),
        Journey(selects("conceptualisation"), rows({**JOURNAL, "journal-2": "experience"}),
                "journal-2: you chose Concrete experience", rows(JOURNAL), "a joint visit to try it"),
    ],
    "foundations/law_and_safety.ipynb": [
        Journey(selects("adult-safeguarding"), rows({**REGIMES, "closure": "data-protection"}),
                "closure: you chose UK GDPR", rows(REGIMES), "due regard before a decision; a risk assessment"),
        Journey(selects(BASES[0]), selects(BASES[0], start=1), "imbalance of power", selects(BASES[1], start=1),
                "consent is hard to make freely given"),
    ],
    "duty01.ipynb": [
        Journey(text("3"), rules("SC-1", "SC-2", of=SC), "SC-1 holds in the draft",
                rules("SC-2", "SC-3", "SC-4", "SC-6", "SC-7", of=SC), "SC-2, SC-3, SC-4, SC-6, SC-7"),
    ],
    "duty02.ipynb": [
        Journey(text("3"), rules("IP-1", "IP-3", of=IP), "One more rule is broken; check the draft's personal data",
                rules("IP-1", "IP-3", "IP-4", of=IP), "IP-1, IP-3, IP-4"),
    ],
    "duty03.ipynb": [
        Journey(text("3"), rules("IL-1", "IL-2", of=IL), "IL-1 holds in the draft: reread its numbering",
                rules("IL-2", "IL-3", "IL-5", of=IL), "IL-2, IL-3, IL-5"),
    ],
    "duty04.ipynb": [
        Journey(text("3"), rules("ES-1", "ES-4", of=ES), "ES-4 holds in the draft",
                rules("ES-1", "ES-2", "ES-3", of=ES), "ES-1, ES-2, ES-3"),
    ],
    "duty05.ipynb": [
        Journey(selects("shifts down"), text("2021-03"), "A point outside the limits is not where a change starts.",
                text("2021-01"), "From 2021-01 it ran below that level"),
    ],
    "duty06.ipynb": [
        Journey(text("4"), rules("FI-1", "FI-3", "FI-4", "FI-5", "CB-2", "CB-4", "CB-5", of=FI_CB),
                "CB-2 holds in the draft: the people served are not heard at all",
                rules("FI-1", "FI-3", "FI-4", "FI-5", "CB-4", "CB-5", of=FI_CB), "FI-1, FI-3, FI-4, FI-5, CB-4, CB-5"),
    ],
    "duty07.ipynb": [
        Journey(text("3"), rules("SA-1", "SA-2", of=SA), "SA-1 holds in the draft: reread its strategy and owner",
                rules("SA-2", "SA-3", "SA-4", "SA-5", of=SA), "SA-2, SA-3, SA-4, SA-5"),
    ],
    "duty08.ipynb": [
        Journey(text("3"), rules("FS-1", "FS-4", of=FS), "FS-4 holds in the draft: reread its signposts",
                rules("FS-1", "FS-2", "FS-3", of=FS), "FS-1, FS-2, FS-3"),
    ],
    "duty09.ipynb": [
        Journey(selects("yes"), selects("Early help at scale", start=1), "That is the robust choice at the value as written",
                selects("Do nothing", start=1), "so the dearer options lose most"),
    ],
    "duty10.ipynb": [
        Journey(text("3"), rules("CP-1", "CP-2", of=CP), "CP-1 holds in the draft: reread its messages and channels",
                rules("CP-2", "CP-3", "CP-4", of=CP), "CP-2, CP-3, CP-4"),
    ],
    "duty11.ipynb": [
        Journey(text("3"), rules("EI-3", "EI-5", of=EI), "parties' 'ought' answers to each conflict's question",
                rules("EI-1", "EI-3", "EI-5", of=EI), "EI-1, EI-3, EI-5"),
    ],
    "duty12.ipynb": [
        Journey(selects("no"), texts("2007-09", "1"), "At 2007-09 rule 1 is complete. A rule is complete earlier",
                texts("2007-07", "3"), "before the run of eight (rule 4)"),
        Journey(selects("credible"), rules(*STOKE_STORY[3:5], of=STOKE_STORY),
                "One rival was assessed, and still holds the claim back", rules(*STOKE_STORY[3:], of=STOKE_STORY),
                "until the labour market and the recording of NEET are assessed"),
    ],
})


def _feedback(app: object, start: str, line: str) -> None:
    panel = app.locator(".stp-exercise-feedback")
    panel.locator(f"text={start}").first.wait_for(timeout=60_000)
    said = panel.inner_text()
    assert said.startswith(start) and line in said, said


def exercise_numbers(path: str) -> set[int]:
    """The exercises of a catalogue notebook: N for each cell tagged ``check:exN`` (one app per exercise)."""
    notebook = json.loads(catalogue.notebook_path(catalogue.entry(path)).read_text(encoding="utf-8"))
    tags = (tag for cell in notebook["cells"] for tag in cell.get("metadata", {}).get("tags", []))
    return {int(found.group(1)) for tag in tags if (found := re.fullmatch(r"check:ex(\d+)", tag))}


def test_every_exercise_app_of_the_catalogue_has_a_browser_journey() -> None:
    """A notebook with exercise apps has one journey per exercise here, and no journey names a lost notebook."""
    paths = {item.path for item in catalogue.entries()}
    assert set(JOURNEYS) <= paths, f"journeys for notebooks not in the catalogue: {sorted(set(JOURNEYS) - paths)}"
    wrong = {path: f"{len(numbers)} exercise(s) {sorted(numbers)}, {len(JOURNEYS.get(path, []))} journey(s)"
             for path in sorted(paths) if len(numbers := exercise_numbers(path)) != len(JOURNEYS.get(path, []))}
    assert not wrong, f"add a Journey to JOURNEYS for each exercise app (check:exN cell): {wrong}"


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(JOURNEYS))
def test_each_exercise_app_checks_answers_and_keeps_the_model_answer_back(path: str, voila_server: str,
                                                                         visit: Visit) -> None:
    item = catalogue.entry(path)
    page = visit.page
    open_app(visit, voila_server, item)
    apps = page.locator(".stp-exercise")
    apps.nth(len(JOURNEYS[path]) - 1).wait_for(timeout=180_000)
    assert apps.count() == len(JOURNEYS[path])
    assert_rendered_offline(visit)  # the page as test_browser.py checks every other notebook
    html = page.content()
    assert "Show a solution" not in html
    for journey in JOURNEYS[path]:
        assert journey.model not in html, journey.model
    for index, journey in enumerate(JOURNEYS[path]):
        app = apps.nth(index)
        app.scroll_into_view_if_needed()
        assert app.locator(".stp-model-answer").inner_text().strip() == ""
        if journey.predict is not None:  # an exercise that asks for no prediction has no lock button
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
    assert_fits(visit)  # with every answer checked and every model answer open
