"""Answer tables of the VSM notebook's exercises, run through their apps (methods/vsm.ipynb)."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import vsm
from stp_helpers.checks import vsm as check

PARTNERSHIP = vsm.build_description(
    "Partnership", [("housing", "Housing", "tenants and people at risk of homelessness"),
                    ("children", "Children's services", "children at risk and their families"),
                    ("police", "Police", "the public")],
    bodies=[("protocol", "Case-conference protocol", ["S2"]), ("board", "Partnership Board", ["S3", "S5"])],
    channels=[("coordination", "protocol", "housing"), ("coordination", "protocol", "children"),
              ("coordination", "protocol", "police"), ("resource-bargain", "board", "housing"),
              ("resource-bargain", "board", "children"), ("resource-bargain", "board", "police")])
PLYMOUTH = vsm.from_case("plymouth-alliance")
WILTSHIRE = vsm.from_case("wiltshire-complex-needs")
UNITS = ["housing", "childrens", "benefits", "police", "mental-health", "ambulance-hospital"]
ROLES = {"learning-exchange": ["S2"], "alliance-leadership": ["S3"], "enquiry": ["S4"], "alliance-participants": ["S5"]}

APPS = {"pathologies": lambda: check.pathology_exercise(PARTNERSHIP), "roles": lambda: check.roles_exercise(PLYMOUTH),
        "coordination": lambda: check.coordination_exercise(WILTSHIRE)}

TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("pathologies", ["VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8"], 5, "Correct.", "You predicted 5 pathologies, and there are 5."),
    ("pathologies", ["vsm 4", "5", "VSM_6", "VSM-7", "VSM-8", "VSM-11"], 2, "Correct.",
     "You predicted 2 pathologies; there are 5. Which one did you not expect?"),
    ("pathologies", ["VSM-4", "VSM-5", "VSM-6", "VSM-7"], ..., "Not yet.",
     "One is missing: how would an alarm from the front line reach policy, and how fast?"),
    ("pathologies", ["VSM-2", "VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8"], ..., "Not yet.",
     "VSM-2 (oscillation between units) does not fire here"),
    ("roles", ROLES, "S3*", "Correct.", "You predicted S3* as the system no body performs, and it is."),
    ("roles", {"Learning spaces and the Learning Exchange": "s2", "alliance-leadership": "S3", "enquiry": "S4",
               "alliance-participants": ["S5"]}, "S4", "Correct.",
     "You predicted S4 as the system no body performs; it is S3*."),
    ("roles", {**ROLES, "alliance-leadership": ["S3", "S3*"]}, ..., "Not yet.",
     "Alliance leadership team (open-book accounting): you have S3, S3*; does it really audit operations directly?"),
    ("roles", {**ROLES, "alliance-participants": ["S3"]}, ..., "Not yet.",
     "All alliance participants, deciding unanimously: you have S3; does it also set identity and policy?"),
    ("coordination", vsm.add_coordination(WILTSHIRE, "Multi-agency complex needs panel", UNITS), "VSM-9", "Correct.",
     "You predicted VSM-9 would also stop firing, and it does."),
    ("coordination", {"name": "Complex needs hub", "units": set(UNITS)}, "VSM-5", "Correct.",
     "You predicted VSM-5 would also stop firing; VSM-9 did instead."),
    ("coordination", {"name": "Hub", "units": {"housing", "police"}}, ..., "Not yet.", "Still uncoordinated:"),
    ("coordination", {"name": ..., "units": set(UNITS)}, ..., "Not yet.", "Name the mechanism and tick the units it links."),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], 3)


def test_coordination_app_reads_the_name_and_the_ticked_units() -> None:
    app = APPS["coordination"]()
    app.predict.control.value = "VSM-9"
    app.lock_button.click()
    app.answer.fields["name"].control.value = "Panel"
    for box in app.answer.fields["units"].boxes:
        box.value = True
    app.check_button.click()
    assert repr(app).startswith("Correct. Uncoordinated pairs of units: ")
