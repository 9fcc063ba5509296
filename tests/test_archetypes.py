"""Tests for stp_helpers.cld.archetypes: ARC-1 … ARC-10 and ARC-T1 … ARC-T3 (methods.md §2.5).

The nine templates are transcribed from methods.md into
tests/fixtures/cld/archetype_templates.json.  Each archetype has a positive
case (its template) and a negative case (a near miss that breaks exactly the
predicate's distinguishing condition).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stp_helpers import cld
from stp_helpers.cld.archetypes import ARCHETYPES, find_archetypes
from stp_helpers.errors import GraphError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cld"
TEMPLATES = {k: v for k, v in json.loads(
    (FIXTURES / "archetype_templates.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")}


def template(key: str, change: dict | None = None, drop: tuple = ()) -> cld.nx.DiGraph:
    """Build a template, optionally changing (source, target) → (polarity, delay) or dropping links."""
    links = []
    for u, v, pol, delay in TEMPLATES[key]:
        if (u, v) in drop:
            continue
        pol, delay = (change or {}).get((u, v), (pol, delay))
        links.append((u, v, pol, delay))
    graph, _ = cld.build_cld(links)
    return graph


# ARC-T1: loops in each template (R count, B count), by hand from the templates.
ARC_T1 = {
    "fixes_that_fail": (1, 1),
    "shifting_the_burden": (1, 2),
    "limits_to_growth": (1, 1),
    "tragedy_of_the_commons": (2, 2),
    "success_to_the_successful": (2, 0),
    "escalation": (0, 2),
    "eroding_goals": (0, 2),
    "growth_and_underinvestment": (1, 2),
    "accidental_adversaries": (4, 2),
}


@pytest.mark.parametrize("key", list(ARC_T1))
def test_arc_t1_loop_counts(key):
    loops = cld.find_loops(template(key))
    assert (loops.count("R"), loops.count("B")) == ARC_T1[key]


def test_arc_t1_details():
    burden = cld.find_loops(template("shifting_the_burden"))
    r_loop = [lp for lp in burden if lp.polarity == "R"][0]
    assert (r_loop.length, r_loop.negatives) == (4, 2)
    success = cld.find_loops(template("success_to_the_successful"))
    assert sorted(lp.negatives for lp in success) == [0, 2]


@pytest.mark.parametrize("key", list(ARCHETYPES))
def test_each_template_matches_its_archetype(key):
    found = find_archetypes(template(key))
    assert found.of(key), f"{key} not found; found {found.names()}"
    match = found.of(key)[0]
    assert match.why and match.roles
    assert all(v in template(key) for v in match.roles.values())


EXPECTED_ROLES = {
    "fixes_that_fail": {"problem": "problem", "fix": "fix", "side effect": "side effect"},
    "shifting_the_burden": {"problem symptom": "symptom", "symptomatic fix": "symptomatic fix",
                            "fundamental solution": "fundamental fix",
                            "side effect": "side effect"},
    "limits_to_growth": {"performance": "performance", "growing action": "effort",
                         "slowing action": "slowing action", "constraint": "constraint"},
    "tragedy_of_the_commons": {"activity A": "A activity", "activity B": "B activity",
                               "total activity": "total activity",
                               "gain per activity": "gain per activity"},
    "success_to_the_successful": {"allocation": "allocation", "resources A": "resources A",
                                  "success A": "success A", "resources B": "resources B",
                                  "success B": "success B"},
    "escalation": {"relative position": "relative position", "activity A": "A activity",
                   "result A": "A result", "activity B": "B activity", "result B": "B result"},
    "eroding_goals": {"gap": "gap", "corrective action": "corrective action", "state": "state",
                      "pressure to lower goal": "pressure to lower goal", "goal": "goal"},
    "growth_and_underinvestment": {"growing action": "growth effort", "demand": "demand",
                                   "performance": "performance", "capacity": "capacity",
                                   "standard": "standard"},
    "accidental_adversaries": {"success A": "A success", "own fix A": "A self-fix",
                               "success B": "B success", "own fix B": "B self-fix",
                               "help A to B": "A-to-B help", "help B to A": "B-to-A help"},
}


@pytest.mark.parametrize("key", list(EXPECTED_ROLES))
def test_template_role_bindings(key):
    match = find_archetypes(template(key)).of(key)[0]
    assert match.roles == EXPECTED_ROLES[key]


# Negative cases: the near miss breaks the distinguishing condition.
NEGATIVE = {
    # ARC-1: the R loop has no delay that the B loop lacks.
    "fixes_that_fail": dict(change={("fix", "side effect"): ("+", False)}),
    # ARC-2: both balancing loops delayed ("only one is delayed" fails).
    "shifting_the_burden": dict(change={("symptomatic fix", "symptom"): ("-", True)}),
    # ARC-3: without the link performance → slowing action, the R and B loops share nothing.
    "limits_to_growth": dict(drop=(("performance", "slowing action"),)),
    # ARC-4: each actor has its own gain-per-activity, so the B loops share one node only.
    "tragedy_of_the_commons": dict(drop=(("gain per activity", "B gain"),)),
    # ARC-5: allocation feeds both sides (+), so the signs leaving it are equal.
    "success_to_the_successful": dict(change={("allocation", "resources B"): ("+", False),
                                              ("success B", "allocation"): ("+", False)}),
    # ARC-6: relative position lowers both activities: leaving signs equal.
    "escalation": dict(change={("relative position", "B activity"): ("-", False),
                               ("B result", "relative position"): ("+", False)}),
    # ARC-7: no delay on the state loop.
    "eroding_goals": dict(change={("corrective action", "state"): ("+", False)}),
    # ARC-8: the investment loop is not delayed.
    "growth_and_underinvestment": dict(change={("investment", "capacity"): ("+", False)}),
    # ARC-9: the own fixes do not harm the other party, so no loop with two negatives.
    "accidental_adversaries": dict(drop=(("A self-fix", "B success"), ("B self-fix", "A success"))),
}


@pytest.mark.parametrize("key", list(NEGATIVE))
def test_near_miss_does_not_match(key):
    options = dict(NEGATIVE[key])
    options.setdefault("change", {})
    graph = template(key, **options)
    assert not find_archetypes(graph).of(key)


def test_limits_to_growth_negative_has_disjoint_loops():
    graph, _ = cld.build_cld([("effort", "performance", "+"), ("performance", "effort", "+"),
                              ("slowing action", "limit", "+"), ("limit", "slowing action", "-")])
    assert not find_archetypes(graph).of("limits_to_growth")


# ARC-T2: Fixes that Fail found on loops although no edge-for-edge match exists.
def test_arc_t2_backlog_overtime():
    graph, _ = cld.build_cld([
        ("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
        ("overtime", "fatigue", "+", True), ("fatigue", "errors", "+"),
        ("errors", "backlog", "+"), ("fatigue", "sickness", "+")])
    matches = find_archetypes(graph).of("fixes_that_fail")
    assert len(matches) == 1
    assert matches[0].roles["problem"] == "backlog"
    assert matches[0].roles["fix"] == "overtime"


# ARC-T3: Fixes that Fail in CLD-T1 matches exactly four (B, R) pairs.
def test_arc_t3_cld_t1_four_pairs(cld_t1):
    matches = find_archetypes(cld_t1).of("fixes_that_fail")
    assert sorted(m.loops for m in matches) == [("B1", "R2"), ("B1", "R3"), ("B2", "R2"),
                                                 ("B2", "R3")]
    shared = {m.loops: (m.roles["problem"], m.roles["fix"]) for m in matches}
    assert shared[("B1", "R2")] == shared[("B1", "R3")] == ("U", "C")
    assert shared[("B2", "R2")] == shared[("B2", "R3")] == ("P", "U")
    b1_r2 = next(m for m in matches if m.loops == ("B1", "R2"))
    assert "crisis interventions is the fix that fails" in b1_r2.why


# ARC-10: every match reported, largest signature first.
def test_arc_10_largest_signature_first():
    found = find_archetypes(template("shifting_the_burden"))
    sizes = [m.size for m in found]
    assert sizes == sorted(sizes, reverse=True)
    assert found[0].archetype == "shifting_the_burden"
    assert found.of("fixes_that_fail")  # nested inside Shifting the Burden


def test_only_and_unknown_archetype():
    graph = template("escalation")
    assert find_archetypes(graph, only=["escalation"]).names() == ["Escalation"]
    with pytest.raises(GraphError, match="Unknown archetype"):
        find_archetypes(graph, only=["tragedy"])


def test_no_loops_no_archetypes():
    graph, _ = cld.build_cld([("a", "b", "+")])
    result = find_archetypes(graph)
    assert len(result) == 0 and result.summary() == "No archetype signature found."


def test_max_matches_truncates():
    result = find_archetypes(template("accidental_adversaries"), max_matches=2)
    assert result.truncated and len(result.of("limits_to_growth")) == 2
    assert "Limits to Growth (max_matches)" in result.reason
    assert result.of("accidental_adversaries")  # other archetypes are still searched
