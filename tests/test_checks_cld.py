"""Tests for stp_helpers.checks.cld: feedback for CLD exercises (CLD-T1, ARC-T2)."""

from __future__ import annotations

import networkx as nx
import pytest
from conftest import CLD_T1_LABELS, CLD_T1_LINKS

from stp_helpers import cld
from stp_helpers.checks import cld as checks

SOLUTION = {"B1": "B", "B2": "B", "R1": "R", "R2": "R", "R3": "R"}


@pytest.fixture()
def arc_t2() -> nx.DiGraph:
    return cld.build_cld([
        ("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
        ("overtime", "fatigue", "+", True), ("fatigue", "errors", "+"),
        ("errors", "backlog", "+"), ("fatigue", "sickness", "+")])[0]


@pytest.mark.parametrize("check", [checks.loop_polarities, checks.archetype])
def test_placeholder_is_your_turn(check, cld_t1):
    assert check(..., cld_t1).passed is None
    assert repr(check(..., cld_t1)) == "Your turn: fill in the cell above, then run this one."


def test_diagram_placeholder(cld_t1):
    assert checks.diagram(..., cld_t1).passed is None


def test_loop_polarities_solution_passes(cld_t1):
    feedback = checks.loop_polarities(SOLUTION, cld_t1)
    assert feedback.passed
    assert "5 of 5" in repr(feedback)
    assert "Loops 2, 3, 4, 5 carry a delay" in feedback.question


def test_loop_polarities_names_first_wrong_loop_with_hint(cld_t1):
    feedback = checks.loop_polarities({**SOLUTION, "B2": "reinforcing"}, cld_t1)
    assert feedback.passed is False
    assert "4 of 5" in feedback.right[0]
    assert feedback.fix.startswith("Loop 2 (prevention capacity → unmet need → prevention capacity): you have R; "
                                   "count the negative links")


def test_loop_polarities_missing_and_unknown(cld_t1):
    missing = checks.loop_polarities({"B1": "B"}, cld_t1)
    assert "not classified loop 2" in missing.fix
    unknown = checks.loop_polarities({**SOLUTION, "R9": "R"}, cld_t1)
    assert "no loop R9" in unknown.fix


def test_loop_polarities_misuse_raises(cld_t1):
    with pytest.raises(TypeError, match="dict"):
        checks.loop_polarities(["B", "B"], cld_t1)
    with pytest.raises(TypeError, match="DiGraph"):
        checks.loop_polarities(SOLUTION, "not a graph")


def test_archetype_right(arc_t2):
    feedback = checks.archetype("Fixes that Fail", arc_t2)
    assert feedback.passed
    assert "overtime is the fix that fails" in feedback.right[0]


@pytest.mark.parametrize("answer", ["fixes that backfire", "ARC-1", "fixes_that_fail"])
def test_archetype_accepts_other_names(answer, arc_t2):
    assert checks.archetype(answer, arc_t2).passed


def test_archetype_wrong_gives_hint_not_answer(arc_t2):
    feedback = checks.archetype("Escalation", arc_t2)
    assert feedback.passed is False
    assert feedback.fix.startswith("Escalation needs two balancing loops")
    assert "Fixes" not in feedback.fix


def test_archetype_unknown_name(arc_t2):
    feedback = checks.archetype("vicious circle", arc_t2)
    assert feedback.passed is False and "nine archetypes" in feedback.fix


def test_archetype_misuse(arc_t2):
    with pytest.raises(TypeError):
        checks.archetype(1, arc_t2)


def test_diagram_solution_passes(cld_t1):
    feedback = checks.diagram(cld.build_cld(CLD_T1_LINKS, CLD_T1_LABELS)[0], cld_t1)
    assert feedback.passed
    assert "All 5 reference loops are there." in repr(feedback)


def test_diagram_missing_variable_hint_does_not_name_it(cld_t1):
    learner = cld.build_cld([link for link in CLD_T1_LINKS if "S" not in link[:2]], CLD_T1_LABELS[:4])[0]
    feedback = checks.diagram(learner, cld_t1)
    assert feedback.passed is False
    assert "1 reference variable(s) are missing" in feedback.fix
    assert "sickness" not in feedback.fix


def test_diagram_wrong_polarity_asks_the_question(cld_t1):
    links = [(u, v, "+" if (u, v) == ("C", "U") else p, d) for u, v, p, d in CLD_T1_LINKS]
    feedback = checks.diagram(cld.build_cld(links, CLD_T1_LABELS)[0], cld_t1)
    assert feedback.fix == "crisis interventions → unmet need: you have +."
    assert feedback.question.startswith("If crisis interventions rises")


def test_diagram_synonyms_and_delay(cld_t1):
    links = [(u, v, p, False) for u, v, p, _ in CLD_T1_LINKS]
    labels = [(k, "caseload" if k == "W" else v) for k, v in CLD_T1_LABELS]
    learner = cld.build_cld(links, labels)[0]
    feedback = checks.diagram(learner, cld_t1, synonyms={"staff workload": "caseload"})
    assert "Check the delay mark" in feedback.fix


def test_diagram_feedback_is_deterministic(cld_t1):
    learner = cld.build_cld(CLD_T1_LINKS[:5], CLD_T1_LABELS)[0]
    assert repr(checks.diagram(learner, cld_t1)) == repr(checks.diagram(learner, cld_t1))
    assert "<div" in checks.diagram(learner, cld_t1)._repr_html_()
