"""Answer tables of the CLD notebook's exercises, run through their apps (methods/cld.ipynb)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from conftest import CLD_T1_LABELS, CLD_T1_LINKS
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import case, cld
from stp_helpers.charts import cld_draw
from stp_helpers.checks import cld as check
from stp_helpers.io.cld_csv import read_case_cld

T1 = cld.build_cld(CLD_T1_LINKS, CLD_T1_LABELS)[0]
OVERTIME = cld.build_cld([("backlog", "overtime", "+"), ("overtime", "backlog", "-"), ("overtime", "fatigue", "+", True),
                          ("fatigue", "errors", "+"), ("errors", "backlog", "+"), ("fatigue", "sickness", "+")])[0]


def crisis_reference() -> nx.DiGraph:
    graph = read_case_cld(case.load("wiltshire-complex-needs").artefact_path("cld.csv")).graph
    return cld_draw.focus(graph, ["unmet_need", "crisis_contacts", "reactive_interventions", "housing_instability",
                                  "mental_health_crises", "police_incidents"])


CRISIS = [("unmet_need", "crisis_contacts", "+"), ("crisis_contacts", "reactive_interventions", "+"),
          ("reactive_interventions", "unmet_need", "-"), ("unmet_need", "housing_instability", "+"),
          ("housing_instability", "crisis_contacts", "+"), ("housing_instability", "unmet_need", "+", True),
          ("unmet_need", "mental_health_crises", "+"), ("mental_health_crises", "crisis_contacts", "+"),
          ("unmet_need", "police_incidents", "+"), ("police_incidents", "crisis_contacts", "+")]
POLARITIES = {1: "B", 2: "B", 3: "R", 4: "R", 5: "R"}

# (exercise, answer, prediction, verdict, a line the feedback must hold)
TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("polarities", POLARITIES, 3, "Correct.", "You predicted 3 reinforcing loops, and there are 3."),
    ("polarities", {"1": "balancing", "2": "negative", "3": "positive", "4": "reinforcing", "5": "R loop"}, 2,
     "Correct.", "You predicted 2 reinforcing loops; there are 3. Which one did you not expect?"),
    ("polarities", {"B1": "b", "B2": "B", "R1": "r", "R2": "R", "R3": "R"}, ..., "Correct.", "5 of 5"),
    ("polarities", {**POLARITIES, 4: "B"}, 3, "Not yet.",
     "Loop 4 (crisis interventions → staff workload → prevention capacity → unmet need → crisis interventions): "
     "you have B; count the negative links on it. You predicted 3 reinforcing loops; your answer has 2."),
    ("polarities", {1: "B", 2: "B", 3: "R", 4: "R"}, ..., "Not yet.",
     "You have not classified loop 5 yet"),
    ("polarities", {**POLARITIES, 9: "R"}, ..., "Not yet.", "There is no loop 9; the loops are numbered 1 to 5."),
    ("archetype", "Fixes that Fail", "yes", "Correct.",
     "You predicted overtime would keep the problem down; the delayed reinforcing loop brings it back."),
    ("archetype", "fix that fails", "no", "Correct.", "You predicted the problem would come back, and it does."),
    ("archetype", "Fixes-that-backfire archetype", ..., "Correct.", "Fixes that Fail fits"),
    ("archetype", "Limits to Growth", "yes", "Not yet.",
     "Limits to Growth needs a reinforcing loop that drives growth, and a balancing loop that slows it as it meets "
     "a limit; its loops are in this map, but they are not the structure that explains it. What does overtime do "
     "to the backlog this week"),
    ("archetype", "shifting the burden", ..., "Not yet.",
     "Shifting the Burden needs two balancing loops through one symptom"),
    ("archetype", "vicious circle", ..., "Not yet.", "'vicious circle' is not one of the nine archetypes"),
    ("crisis", CRISIS, 5, "Correct.", "All 5 reference loops are there. You predicted 5 loops, and there are 5."),
    ("crisis", [(u, v, "−" if p == "-" else p, "yes" if extra else "no") for u, v, p, *extra in reversed(CRISIS)],
     ..., "Correct.", "10 of 10 links match the reference."),
    ("crisis", [link for link in CRISIS if link[:2] != ("housing_instability", "unmet_need")], 4, "Not yet.",
     "1 link(s) are missing; one of them ends at unmet complex needs. Read the text again: what else leads to it?"),
    ("crisis", [(u, v, "+" if (u, v) == ("reactive_interventions", "unmet_need") else p, *d)
                for u, v, p, *d in CRISIS], ..., "Not yet.",
     "reactive interventions → unmet complex needs: you have +. If reactive interventions rises, does unmet "
     "complex needs end up higher or lower"),
    ("crisis", [link[:3] for link in CRISIS], ..., "Not yet.", "Check the delay mark on housing instability → unmet complex needs"),
]


def app(exercise: str) -> Any:
    return {"polarities": lambda: check.polarity_exercise(T1), "archetype": lambda: check.overtime_archetype(OVERTIME),
            "crisis": lambda: check.crisis_map(crisis_reference())}[exercise]()


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(lambda: app(exercise), answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", ["polarities", "archetype", "crisis"])
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(lambda: app(exercise), 3)


def test_the_starters_example_is_not_a_right_answer() -> None:
    exercise = app("archetype")
    assert exercise.answer.control.placeholder == "an archetype's name"
    assert repr(exercise.submit("Limits to Growth")).startswith("Not yet.")


def test_the_crisis_table_starts_from_the_three_given_links() -> None:
    exercise = app("crisis")
    assert exercise.answer.value() == [(*link, "no") for link in check.CRISIS_GIVEN]
    assert repr(exercise.submit(exercise.answer.value())).startswith("Not yet. 3 of 6 variables matched.")


def test_polarity_rows_name_loops_by_path_not_by_id() -> None:
    rows = check.polarity_exercise(T1).answer.row_names
    assert rows[0] == "Loop 1: crisis interventions → unmet need → crisis interventions"
    assert not any(lid in " ".join(rows) for lid in ("B1", "R1", "B2"))
