"""Answer table of the measures notebook's demand exercise (classify the case's contacts), run through its app."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import case
from stp_helpers.checks import measures as check
from stp_helpers.checks.measures import Contact

#: The notebook's default case: three kinds of failure demand, two of value demand.
CONTACTS = check.case_contacts("stoke-neet")
MODEL = {1: ("failure", "progress chasing"), 2: ("failure", "not done right"), 3: ("failure", "not done right"),
         4: "value", 5: "value"}

APPS = {"classify": lambda: check.classify_exercise(CONTACTS)}

# (exercise, answer, prediction, verdict, a line the feedback must hold)
TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("classify", MODEL, 3, "Correct.", "You predicted 3 of the 5 would be failure demand, and 3 are."),
    ("classify", MODEL, 2, "Correct.",
     "In the records, failure demand is 2,262 of 6,060 contacts (37%). You predicted 2 of the 5 would be failure "
     "demand; 3 are. Which of them did you not expect?"),
    # usual wordings, keys by the contact's words, and the other defensible reading of row 2
    ("classify", {"Chasing a place on a course": ("Failure demand", "chasing"),
                  "re-applying after dropping out": ("F", "failure to do something"),
                  3: ("failure", "done wrong"), 4: ("value demand", ""), 5: ("Value", "n/a")}, "three", "Correct.",
     "3 failure demand (1: progress chasing, 2: not done, 3: not done right) and 2 value demand"),
    # numbers written as text, as a spreadsheet gives them
    ("classify", {str(k): v for k, v in MODEL.items()}, ..., "Correct.", "All 5 contacts classified"),
    # a list in the contacts' order
    ("classify", [("failure", "progress chase"), ("failure", "rework"), ("failure", "not right first time"),
                  ("value", ""), ("value", "")], ..., "Correct.", "Which failure demand would you design out first"),
    # typical wrong answers: a chase counted as value demand, because "someone asked"
    ("classify", {**MODEL, 1: ("value", "")}, 3, "Not yet.",
     "Row 1 (“chasing a place on a course”): you marked it value demand, but it comes only because of something "
     "earlier: failure demand is caused by a failure to do something, or do it right, for the person."),
    ("classify", {**MODEL, 1: ("value", "")}, 3, "Not yet.",
     "You predicted 3 of the 5 would be failure demand; your answer marks 2."),
    # every repeat called a chase
    ("classify", {**MODEL, 3: ("failure", "progress chasing")}, ..., "Not yet.",
     "Row 3 (“repeat advice after the wrong course”): failure demand, yes, but not progress chasing. Was something "
     "done for the person, but not right the first time, so it has to be done again?"),
    # value demand treated as failure because the service is busy
    ("classify", {**MODEL, 5: ("failure", "not done")}, ..., "Not yet.",
     "Row 5 (“course enrolment”): you marked it failure demand, but nothing has to have gone wrong before someone "
     "asks this: value demand is what the service exists to provide."),
    ("classify", {**MODEL, 1: ("failure", "")}, ..., "Not yet.",
     "Row 1 (“chasing a place on a course”): failure demand, yes; now name what failed: not done"),
    ("classify", {**MODEL, 2: ("failure", "the council")}, ..., "Not yet.",
     "Row 2 (“re-applying after dropping out”): 'the council' is not a kind of failure this check knows"),
    ("classify", {1: ("failure", "chasing")}, ..., "Not yet.",
     "1 of 5 contacts classified as Seddon would. Row 2 (“re-applying after dropping out”) is still to classify"),
    ("classify", {**MODEL, 4: ("value", "not done")}, ..., "Not yet.",
     "Row 4 (“first careers advice”): value demand, yes, but you named what failed ('not done')."),
    ("classify", {**MODEL, 4: ("maybe", "")}, ..., "Not yet.", "'maybe' is not a kind of demand; write value or failure."),
    ("classify", {"a new request": "value"}, ..., "Not yet.", "'a new request' is not one of the 5 contacts listed"),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], 3)


def test_the_table_in_the_app_reaches_the_check() -> None:
    app = APPS["classify"]()
    entries = [("failure", "chasing up"), ("failure", "not done right"), ("failure", "wrong"), ("value", ""),
               ("value", "")]
    for row, (kind, failed) in zip(app.answer.cells, entries):
        row[0].value, row[1].value = kind, failed
    app.predict.control.value = "3"
    app.lock_button.click()
    app.check_button.click()
    assert repr(app).startswith("Correct. All 5 contacts classified")
    assert "progress chasing" in app.model_panel.value


@pytest.mark.parametrize("slug", ["plymouth-alliance", "stoke-neet", "wiltshire-complex-needs"])
def test_every_case_with_demand_gets_an_app_its_model_answer_passes(slug: str) -> None:
    contacts = check.case_contacts(slug)
    assert 2 <= len(contacts) <= 8 and {c.kind for c in contacts} == {"failure", "value"}
    assert all(c.failed for c in contacts if c.kind == "failure"), "the shipped cases say what failed"
    model = {i: (c.kind, c.failed[-1] if c.failed else "") for i, c in enumerate(contacts, start=1)}
    assert repr(check.classify_exercise(contacts, model, ...)).startswith("Correct.")


def test_a_case_without_demand_says_so_and_names_the_cases_that_have_it() -> None:
    assert not case.load("salford-spotlight").has("demand.csv")
    contacts = check.case_contacts("salford-spotlight")
    said = check.classify_exercise(contacts)
    assert contacts == () and repr(said) == repr(check.contacts_list(contacts))
    assert "This case has no demand records" in repr(said)
    assert "stoke-neet" in repr(said) and "salford-spotlight" not in repr(said)


def test_a_failure_type_the_case_does_not_record_accepts_any_kind_of_failure() -> None:
    contacts = (Contact("chasing up my claim", "failure", (), 40), Contact("new claim", "value", (), 60))
    said = check.demand_classes({1: ("failure", "not done"), 2: "value"}, contacts)
    assert repr(said).startswith("Correct.") and "40 of 100 contacts (40%)" in repr(said)


def test_case_text_is_escaped_in_the_list_and_the_feedback() -> None:
    hostile = (Contact("<img src=x onerror=alert(1)> [link](javascript:x)", "failure", ("not done",), 5),
               Contact("*new* request", "value", (), 5))
    listed = check.contacts_list(hostile).text
    assert "<img" not in listed and "&lt;img" in listed and "\\[link\\]" in listed and "\\*new\\*" in listed
    feedback = check.demand_classes({1: "value", 2: "value"}, hostile)
    assert "<img" not in feedback._repr_html_() and "&lt;img" in feedback._repr_html_()
    rows = [line.children[0].value for line in check.classify_exercise(hostile).answer.box.children[2:]]
    assert all("<img" not in r and "&lt;img" in r for r in rows[:1]) and "*new* request" in rows[1]
    with pytest.raises(TypeError):
        check.demand_classes("failure", hostile)
