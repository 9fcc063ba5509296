"""Answer tables of the SSM notebook's exercises, run through their apps (methods/ssm.ipynb)."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import ssm
from stp_helpers.checks import ssm as check
from stp_helpers.checks.exercise import APP_YOUR_TURN

COMMISSIONER = ssm.make_catwoe(
    "commissioner", stakeholder="commissioners in Plymouth City Council",
    customers="people with complex needs using services", actors="alliance providers",
    transformation=("services commissioned in silos against targets", "services commissioned as one alliance around the person"),
    worldview="Commissioning can buy outcomes only by sharing risk and learning with providers",
    owners="Plymouth City Council cabinet", environment="the council budget and procurement law")
PERSON = ssm.make_catwoe(
    "person", stakeholder="a person with complex needs",
    customers="a person with complex needs and their carers", actors="workers they trust across services",
    transformation=("a person with complex needs done to by services", "a person with complex needs worked with as a partner"),
    worldview="Warmth, persistence and being treated as a partner matter more than labels and thresholds",
    owners="the alliance board", environment="the services and thresholds that exist")
TABLE_ROWS = {"customers": (COMMISSIONER.customers, PERSON.customers), "actors": (COMMISSIONER.actors, PERSON.actors),
              "t_in": ("services commissioned in silos against targets", "a person with complex needs done to by services"),
              "t_out": ("services commissioned as one alliance around the person",
                        "a person with complex needs worked with as a partner"),
              "worldview": (COMMISSIONER.worldview, PERSON.worldview), "owners": (COMMISSIONER.owners, PERSON.owners),
              "environment": (COMMISSIONER.environment, PERSON.environment)}
COMPARISON = {"a1": "yes", "a2": "yes", "a3": "yes", "a4": "partly", "a5": "yes", "a6": "yes", "a7": "no",
              "m1": "yes", "c1": "yes"}

APPS = {"t": check.t_errors_exercise, "catwoe": check.catwoe_exercise, "compare": check.comparison_exercise}

TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("t", {2, 4, 5, 6}, 4, "Correct.", "You predicted 4 T-errors, and there are 4."),
    ("t", ["6", "5", "4", "2"], "three", "Correct.", "You predicted 3 T-errors; there are 4. Which one did you not expect?"),
    ("t", {2, 4, 5}, ..., "Not yet.", "Look again at number 6 (referrals → assessments)"),
    ("t", {2, 3, 4, 5, 6}, ..., "Not yet.", "Number 3 (residents at risk of eviction → residents securely housed) keeps its T"),
    ("catwoe", (COMMISSIONER, PERSON), "W", "Correct.", "You expected W to differ most"),
    ("catwoe", TABLE_ROWS, ..., "Correct.", "The person's CATWOE is complete and its T is valid."),
    ("catwoe", {**TABLE_ROWS, "worldview": (COMMISSIONER.worldview, COMMISSIONER.worldview)}, ..., "Not yet.",
     "The two worldviews (W) are the same words."),
    ("catwoe", {**TABLE_ROWS, "t_in": ("funding", "a person with complex needs done to by services")}, ..., "Not yet.",
     "In the commissioner's CATWOE, RD-3"),
    ("compare", COMPARISON, 5, "Correct.", "You predicted 5 activities, and there are 5."),
    ("compare", {**COMPARISON, "a4": "partially", "a7": "not at all", "a1": "Yes"}, 7, "Correct.",
     "You predicted 7 activities; there are 5."),
    ("compare", {**COMPARISON, "a4": "yes"}, ..., "Not yet.",
     "a4 (Ask residents of the neighbourhood what matters to them): you have 'yes'. Is it a stage of the process"),
    ("compare", {**COMPARISON, "a7": "yes"}, ..., "Not yet.", "a7"),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], 3)


def test_catwoe_coding_route_takes_two_catwoes() -> None:
    assert repr(check.catwoe_exercise(COMMISSIONER, PERSON, "T")).startswith("Correct.")
    assert repr(check.catwoe_exercise(COMMISSIONER, ..., "T")) == APP_YOUR_TURN
