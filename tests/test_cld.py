"""Tests for stp_helpers.io.cld_graph, cld_structure and cld_compare.

Expected values are hand-worked in methods.md §2 (CLD-T1 … CLD-T3) and in
tests/data/cld/README.md (the LOOPY loop table).
"""

from __future__ import annotations

import time

import networkx as nx
import pytest
from conftest import CLD_T1_LABELS

from stp_helpers import cld
from stp_helpers.errors import GraphError, StpError

# CLD-T1 (methods.md §2.4) is CLD_T1_LINKS / CLD_T1_LABELS and the cld_t1 fixture in conftest.py.
# CLD-T1 table: id -> (loop from its smallest id, negatives, polarity, delayed)
CLD_T1_LOOPS = {
    "B1": (("C", "U"), 1, "B", False),
    "B2": (("P", "U"), 1, "B", True),
    "R1": (("S", "W"), 0, "R", True),
    "R2": (("C", "W", "P", "U"), 2, "R", True),
    "R3": (("C", "W", "S", "P", "U"), 2, "R", True),
}


# --- polarity labels and building --------------------------------------------

@pytest.mark.parametrize("label", ["+", "s", "S", "same", "positive", "pos", " Positive "])
def test_positive_labels(label):
    assert cld.normalise_polarity(label) == "+"


@pytest.mark.parametrize("label", ["-", "\u2212", "\u2013", "o", "O", "opposite", "negative",
                                   "neg"])
def test_negative_labels(label):
    assert cld.normalise_polarity(label) == "-"


@pytest.mark.parametrize("label", ["++", "", None, "x", True])
def test_not_polarities(label):
    assert cld.normalise_polarity(label) is None


def test_question_mark_stays_unknown():
    assert cld.normalise_polarity("?") == "?"


def test_build_refuses_link_without_polarity():
    with pytest.raises(GraphError, match="a → b has no polarity"):
        cld.build_cld([("a", "b", ""), ("b", "a", "+")])


def test_build_refuses_unknown_variable():
    with pytest.raises(GraphError, match="'c', which is not a variable"):
        cld.build_cld([("a", "c", "+")], variables=["a", "b"])


def test_build_accepts_links_by_label():
    graph, _ = cld.build_cld([("unmet need", "C", "+")], CLD_T1_LABELS)
    assert graph.has_edge("U", "C")


def test_build_warns_self_loop_duplicate_and_conflict():
    graph, warnings = cld.build_cld([
        ("a", "a", "+"), ("a", "b", "+"), ("a", "b", "+"), ("b", "a", "+"), ("b", "a", "-")])
    texts = " ".join(w.problem for w in warnings)
    assert "CLD-3" in texts and "appears twice" in texts and "CLD-2" in texts
    assert graph.edges["b", "a"]["polarity"] == "?"  # never guess (CLD-4)


def test_build_accepts_mappings():
    graph, _ = cld.build_cld([{"source": "x", "target": "y", "polarity": "O", "delay": "yes"}])
    assert graph.edges["x", "y"] == {"polarity": "-", "delay": True, "note": ""}


def test_validate_refuses_undirected_and_bad_polarity():
    with pytest.raises(GraphError, match="DiGraph"):
        cld.validate_cld(nx.Graph([("a", "b")]))
    g = nx.DiGraph()
    g.add_edge("a", "b")
    with pytest.raises(GraphError, match="polarity None"):
        cld.validate_cld(g)


def test_ten_thousand_variables_refused():
    g = nx.DiGraph()
    g.add_nodes_from(range(10_000))
    with pytest.raises(GraphError, match="10,000 variables"):
        cld.validate_cld(g)


# --- loops: CLD-T1, CLD-T2, CLD-T3 -------------------------------------------

def test_cld_t1_loops(cld_t1):
    loops = cld.find_loops(cld_t1)
    assert not loops.truncated
    assert loops.ids() == ["B1", "B2", "R1", "R2", "R3"]
    for lid, (seq, negatives, polarity, delayed) in CLD_T1_LOOPS.items():
        loop = loops[lid]
        assert loop.variables == seq
        assert (loop.negatives, loop.polarity, loop.delayed) == (negatives, polarity, delayed)
        assert loop.length == len(seq)


def test_cld_t1_delays_and_sentence(cld_t1):
    loops = cld.find_loops(cld_t1)
    assert loops["R2"].delays == (("W", "P"),)
    assert loops["B1"].sentence() == ("B1 (balancing, 2 links, 1 negative link): crisis "
                                      "interventions → unmet need → crisis interventions")
    assert loops.summary() == "5 loops up to length 8: 3 reinforcing, 2 balancing."


def test_cld_t2_length_bound_two(cld_t1):
    assert cld.find_loops(cld_t1, length_bound=2).ids() == ["B1", "B2", "R1"]


def test_cld_t3_independent_loop_set(cld_t1):
    assert cld.independent_loop_count(cld_t1) == 9 - 5 + 1
    assert len(cld.independent_loops(cld_t1)) == 5


def test_loop_names_stored_beside_ids(cld_t1):
    loops = cld.find_loops(cld_t1, names={"B1": "crisis response"})
    assert loops["B1"].name == "crisis response"
    assert "'crisis response'" in loops["B1"].sentence()


def test_unknown_link_gives_undetermined_loop():
    graph, _ = cld.build_cld([("a", "b", "?"), ("b", "a", "-")])
    loop = cld.find_loops(graph)[0]
    assert (loop.id, loop.polarity) == ("U1", "?")


def test_self_loop_is_a_loop_of_length_one():
    graph, _ = cld.build_cld([("a", "a", "-")])
    loops = cld.find_loops(graph)
    assert [(lp.id, lp.length) for lp in loops] == [("B1", 1)]


def test_empty_graph_has_no_loops():
    loops = cld.find_loops(nx.DiGraph())
    assert len(loops) == 0 and not loops.truncated


@pytest.mark.parametrize("bound", [0, -1, 2.5, None, True])
def test_bad_length_bound(cld_t1, bound):
    with pytest.raises(GraphError, match="length_bound"):
        cld.find_loops(cld_t1, length_bound=bound)


def test_complete_graph_counts_match_formula():
    # methods.md §2.3: complete digraphs on 3, 4, 5 variables have 5, 20, 84 cycles.
    for n, expected in ((3, 5), (4, 20), (5, 84)):
        g = nx.complete_graph(n, create_using=nx.DiGraph)
        nx.set_edge_attributes(g, "+", "polarity")
        assert len(cld.find_loops(g, length_bound=n)) == expected


def test_complete_graph_with_millions_of_cycles_is_truncated_fast():
    g = nx.complete_graph(14, create_using=nx.DiGraph)
    nx.set_edge_attributes(g, "-", "polarity")
    start = time.perf_counter()
    loops = cld.find_loops(g, length_bound=14, max_loops=2_000)
    assert time.perf_counter() - start < 5
    assert loops.truncated and "max_loops" in loops.reason
    assert len(loops) == 2_000
    assert "incomplete" in loops.summary()


def test_time_limit_truncates():
    g = nx.complete_graph(14, create_using=nx.DiGraph)
    nx.set_edge_attributes(g, "+", "polarity")
    loops = cld.find_loops(g, length_bound=14, max_loops=10**9, time_limit=0.2)
    assert loops.truncated and "time_limit" in loops.reason


def test_strict_raises_on_truncation():
    g = nx.complete_graph(12, create_using=nx.DiGraph)
    nx.set_edge_attributes(g, "+", "polarity")
    with pytest.raises(GraphError, match="incomplete"):
        cld.find_loops(g, length_bound=12, max_loops=100, strict=True)


def test_loop_list_lookup_errors(cld_t1):
    with pytest.raises(KeyError, match="R9"):
        cld.find_loops(cld_t1)["R9"]


def test_loops_to_frame(cld_t1):
    frame = cld.find_loops(cld_t1).to_frame()
    assert frame["polarity"].tolist() == ["B", "B", "R", "R", "R"]


# --- structure and leverage ---------------------------------------------------

def test_rank_variables_cld_t1(cld_t1):
    ranking = cld.rank_variables(cld_t1)
    # By hand from the CLD-T1 table: U is on B1, B2, R2, R3.
    top = ranking.iloc[0]
    assert (top["variable"], top["loops"], top["reinforcing"], top["balancing"]) == ("U", 4, 2, 2)
    counts = dict(zip(ranking["variable"], ranking["loops"]))
    assert counts == {"U": 4, "C": 3, "W": 3, "P": 3, "S": 2}
    assert top["sentence"].startswith("unmet need (U) sits on 4 of 5 loops")


def test_loop_overlaps_cld_t1(cld_t1):
    overlaps = cld.loop_overlaps(cld.find_loops(cld_t1))
    pairs = {(a, b) for a, b in zip(overlaps["loop_a"], overlaps["loop_b"])}
    # B1 and R1 share nothing; R2 and R3 share C, W, P, U.
    assert ("B1", "R1") not in pairs
    first = overlaps.iloc[0]
    assert (first["loop_a"], first["loop_b"], set(first["shared"])) == ("R2", "R3",
                                                                        {"C", "W", "P", "U"})


def test_feedback_vertex_set_cld_t1(cld_t1):
    cut = cld.feedback_vertex_set(cld_t1)
    # Every loop passes U except R1 (S, W); one of S, W must go too: size 2.
    assert cut.exact and len(cut.variables) == 2
    assert set(cut.variables) == {"U", "W"}
    rest = cld_t1.subgraph(set(cld_t1) - set(cut.variables))
    assert nx.is_directed_acyclic_graph(rest)
    assert "2 variables" in cut.sentence()


def test_feedback_vertex_set_approximate_on_big_part():
    g = nx.complete_graph(20, create_using=nx.DiGraph)
    nx.set_edge_attributes(g, "+", "polarity")
    cut = cld.feedback_vertex_set(g, time_limit=0.05)
    assert not cut.exact and len(cut.variables) == 19  # K20 needs 19
    assert "approximate" in cut.sentence()


def test_feedback_vertex_set_of_acyclic_map_is_empty():
    g, _ = cld.build_cld([("a", "b", "+")])
    assert cld.feedback_vertex_set(g).variables == ()


# --- compare ------------------------------------------------------------------

def test_compare_identical(cld_t1):
    result = cld.compare(cld_t1, cld_t1)
    assert result.same_structure and result.loops_missed == ()
    assert len(result.loops_found) == 5


def test_compare_differences(cld_t1):
    learner, _ = cld.build_cld([
        ("Unmet need", "Crisis interventions", "+"), ("Crisis interventions", "Unmet need", "+"),
        ("Crisis interventions", "caseload", "+"), ("caseload", "staff sickness absence", "+"),
        ("staff sickness absence", "caseload", "+"), ("caseload", "morale", "-")])
    result = cld.compare(learner, cld_t1, synonyms={"staff workload": ["caseload"]})
    assert result.matched["caseload"] == "W"
    assert result.extra_variables == ("morale",)
    assert result.missing_variables == ("P",)
    assert result.wrong_polarity == (("C", "U", "+", "-"),)
    assert ("caseload", "morale") in result.extra_links
    assert set(result.missing_links) == {("W", "P"), ("P", "U"), ("S", "P"), ("U", "P")}
    assert result.delay_differences == (("W", "S", False, True),)
    # C-U (now R in the learner's map) and S-W are found; the loops through P are missed.
    assert result.loops_found == ("B1", "R1")
    assert result.loops_missed == ("B2", "R2", "R3")
    assert any("you have +" in s for s in result.sentences())


def test_compare_rejects_invalid_graph(cld_t1):
    with pytest.raises(StpError):
        cld.compare(nx.Graph(), cld_t1)


def test_validation_never_writes_into_the_callers_graph() -> None:
    graph = nx.DiGraph([("a", "b", {"polarity": "S"}), ("b", "a", {"polarity": "O", "delay": "yes"})])
    before = (list(graph.nodes(data=True)), list(graph.edges(data=True)))
    cld.validate_cld(graph)
    loops = cld.find_loops(graph)
    assert [loop.polarity for loop in loops] == ["B"]
    assert (list(graph.nodes(data=True)), list(graph.edges(data=True))) == before
    bad = nx.DiGraph([("a", "b", {"polarity": "S"}), ("b", "c", {"polarity": "sideways"})])
    with pytest.raises(GraphError):
        cld.validate_cld(bad)
    assert bad.edges["a", "b"] == {"polarity": "S"}
