"""Answer tables of the stakeholder and CSH notebooks' exercises, run through their apps."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import stakeholders
from stp_helpers.checks import csh as check_csh
from stp_helpers.checks import stakeholders as check
from stp_helpers.stakeholders import csh

PLYMOUTH_2012 = stakeholders.build_register([
    {"name": "Commissioners", "power": 0.9, "interest": 0.6, "legitimacy": 0.9, "urgency": 0.4},
    {"name": "People using services", "power": 0.1, "interest": 0.9, "legitimacy": 0.6, "urgency": 0.9},
    {"name": "Elected representatives", "power": 0.8, "interest": 0.4, "legitimacy": 0.9, "urgency": 0.3},
    {"name": "Families and communities", "power": 0.1, "interest": 0.3, "legitimacy": 0.5, "urgency": 0.3},
])
WILTSHIRE = stakeholders.load_register("wiltshire-complex-needs")
ATTRIBUTES = stakeholders.attributes_by_name(WILTSHIRE, ["People with complex needs", "Police", "Benefits and DWP",
                                                          "Primary health"], snapshot="2019-06-18")
PLYMOUTH_CSH = csh.load_csh("plymouth-alliance")
DECISION_MAKER = csh.answer_text(csh.load_csh("wiltshire-complex-needs"), "Council leadership", 4, "ought")
QUADRANTS = {"Commissioners": "key players", "People using services": "keep informed",
             "Elected representatives": "keep satisfied", "Families and communities": "monitor"}
CLASSES = {"People with complex needs": "dependent", "Police": "definitive", "Benefits and DWP": "dominant",
           "Primary health": "discretionary"}
SOURCES = {"motivation": [1, 2, 3], "control": [4, 5, 6], "knowledge": [7, 8, 9], "legitimacy": [10, 11, 12]}
ROLES = {"client": "Commissioners and their targets", "decision-maker": "Commissioners",
         "expert": "Workers with specialist expertise", "witness": "Nobody"}

APPS = {
    "quadrants": lambda: check.quadrant_exercise(PLYMOUTH_2012),
    "salience": lambda: check.salience_exercise(ATTRIBUTES),
    "broker": lambda: check.broker_exercise(WILTSHIRE),
    "sources": lambda: check.sources_exercise(),
    "gap": lambda: check_csh.gap_exercise(PLYMOUTH_CSH, "People using services"),
    "roles": lambda: check_csh.roles_exercise(PLYMOUTH_CSH.passage),
    "witness": lambda: check.witness_exercise(DECISION_MAKER),
}

# (exercise, answer, prediction, verdict, a line the feedback must hold)
TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("quadrants", QUADRANTS, 1, "Correct.", "You predicted 1 key player, and there are 1."),
    ("quadrants", {"commissioners": "Manage closely", "people using service": "keep them informed",
                   "Elected Representatives": "Keep satisfied.", "families & communities": "monitor"}, 2,
     "Correct.", "You predicted 2 key players; there are 1. What made you expect a second?"),
    ("quadrants", {**QUADRANTS, "Commissioners": "key player", "Elected representatives": "key players"}, ...,
     "Not yet.", "Elected representatives: you have 'key players'; its power is 0.8 and its "
     "interest 0.4, and 0.5 or more counts as high."),
    ("quadrants", {**QUADRANTS, "People using services": "monitor"}, 1, "Not yet.",
     "People using services: you have 'monitor'; its power is 0.1 and its interest 0.9"),
    ("quadrants", {"Councillors": "keep satisfied"}, ..., "Not yet.", "'Councillors' is not in the register"),
    ("salience", CLASSES, "Police", "Correct.", "You predicted Police as the definitive stakeholder, and it is."),
    ("salience", {"People with complex needs": "Dependent stakeholder", "police": "Definitive stakeholder",
                  "Benefits and DWP": "dominant stakeholders", "primary health": "Discretionary"}, "Benefits and DWP",
     "Correct.", "You predicted Benefits and DWP as the definitive stakeholder; it is Police."),
    ("salience", {**CLASSES, "People with complex needs": "dangerous"}, ..., "Not yet.",
     "People with complex needs: you have dangerous; it holds legitimacy and urgency, so look up that pair"),
    ("salience", {**CLASSES, "Police": "dominant"}, ..., "Not yet.",
     "Police: you have dominant; it holds legitimacy and power and urgency, so look up that row"),
    ("broker", "Council leadership", "Police", "Correct.",
     "You predicted Police as the broker; it is Council leadership. What made Police look central?"),
    ("broker", "the council leadership", "Council leadership", "Correct.",
     "You predicted Council leadership as the broker, and it is."),
    ("broker", "Voluntary and community sector", ..., "Not yet.", "Another stakeholder sits on more routes"),
    ("broker", "People with complex needs", ..., "Not yet.", "People with complex needs sits on no route between two"),
    ("sources", SOURCES, "legitimacy", "Correct.", "You predicted legitimacy as the source of the witness question, and it is."),
    ("sources", {"Motivation": (1, 2, 3), "Power": [4, 5, 6], "expertise": [7, 8, 9], "Sources of legitimacy": [10, 11, 12]},
     "control", "Correct.", "You predicted control as the source of the witness question; it is legitimacy."),
    ("sources", {n: s for s, ns in SOURCES.items() for n in ns}, ..., "Correct.", "4 of 4 sources right."),
    ("sources", {**SOURCES, "control": [4, 5, 10], "legitimacy": [6, 11, 12]}, ..., "Not yet.",
     "Look again at control: which questions ask who decides and over what resources?"),
    ("sources", {"motivation": [1, 2, 3], "knowledge": [4, 5, 6, 7, 8, 9], "legitimacy": [10, 11, 12]}, ..., "Not yet.",
     "Look again at control"),
    # Graded by the workbook's judged reading in values (csh.yaml gap and reason), not by shared words.
    ("gap", 5, "control", "Correct.", "Q5 (resources) shows the narrowest gap in values for People using services: "
     "the workbook judges it 'some': “Budgets and access stay the resources in both answers"),
    ("gap", 7, "knowledge", "Correct.", "Q7 (expert) shows the narrowest gap in values for People using services: "
     "the workbook judges it 'some'"),
    ("gap", 4, ..., "Not yet.", "Q4 (decision-maker): the workbook judges its gap in values 'wide': “Control moves "
     "from commissioners deciding top-down to commissioners deciding together with services and the people they "
     "serve.” Words shared, not values: its answers share 25% of their words."),
    ("gap", 10, ..., "Not yet.", "Q10 (witness): the workbook judges its gap in values 'wide': “Nobody speaks for "
     "people now; they ought to speak for themselves, with advocates.”"),
    ("roles", ROLES, "no", "Correct.", "4 of 4 roles right: client, decision-maker, expert, witness. "
     "Witness: Service users feel \"done to\""),
    ("roles", {"beneficiary": "the targets", "decision makers": "commissioning", "Expert": "professionals",
               "witness": "no one"}, "yes", "Correct.", "You predicted a witness; the passage names nobody. What would it take for those "
     "affected to be heard?"),
    ("roles", {**ROLES, "client": "service users"}, ..., "Not yet.", "Client (beneficiary), Q1: you have "
     "'service users'. Service users are whom the system ought to serve; in the \"is\" mode the passage says"),
    ("roles", {**ROLES, "witness": "the commissioners"}, ..., "Not yet.", "Witness, Q10: you have 'the "
     "commissioners', whom the passage casts as the decision-maker (Q4: who controls the conditions of success). "
     "The witness is who speaks for those affected but not involved. A witness is never the decision-maker (CSH-3)."),
    ("roles", {**ROLES, "expert": "the board", "client": ""}, ..., "Not yet.", "2 of 4 roles right: decision-maker, "
     "witness. Client (beneficiary), Q1: not filled in yet. Ulrich's client (beneficiary) is whose interests and "
     "purposes the system actually serves: who in the passage is that? Look again at: expert."),
    ("witness", "People with lived experience and independent advocates", "no", "Correct.",
     "You predicted the agencies would not do, and you chose someone outside them."),
    ("witness", "An independent advocate", "yes", "Correct.",
     "You predicted the agencies could be the witness; you chose someone outside them."),
    ("witness", "council leadership", ..., "Not yet.",
     "'council leadership' is among those in control: question 4 puts control with agencies deciding together as "
     "one system."),
    ("witness", "The police", ..., "Not yet.", "'The police' is among those in control"),
    ("witness", "a consultant", ..., "Not yet.", "Say whose experience this witness brings"),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], "yes")


def test_the_app_table_route_gives_the_check_the_same_answer() -> None:
    app = APPS["quadrants"]()
    for row, name in zip(app.answer.cells, app.answer.row_names):
        row[0].value = QUADRANTS[name]
    app.predict.control.value = "1"
    app.lock_button.click()
    app.check_button.click()
    assert repr(app).startswith("Correct. 4 of 4 quadrants right.")
    assert "Commissioners: key players" in app.model_panel.value


def test_the_roles_table_route_gives_the_check_the_same_answer() -> None:
    app = APPS["roles"]()
    for row, key in zip(app.answer.cells, app.answer.row_keys):
        row[0].value = ROLES[key]
    app.predict.control.value = "no"
    app.lock_button.click()
    app.check_button.click()
    assert repr(app).startswith("Correct. 4 of 4 roles right")
    assert "witness: Nobody" in app.model_panel.value


def test_gap_exercise_hides_the_judged_reading_until_an_attempt() -> None:
    app = APPS["gap"]()
    drawing = app.answer.box.children[0].value
    assert "Budgets and access stay" not in drawing and "Shared budgets and flexible access" in drawing
    assert app.model_panel.value == ""


def test_witness_exercise_refuses_a_decision_making_agency() -> None:
    from stp_helpers.checks import stakeholders as check_stakeholders
    said = repr(check_stakeholders.witness("the police", "the council cabinet"))
    assert said.startswith("Not yet.") and "among those in control" in said
    assert repr(check_stakeholders.witness("an independent advocate", "the council cabinet")).startswith("Correct.")
