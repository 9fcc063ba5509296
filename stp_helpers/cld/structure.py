"""Structure and leverage of a causal loop diagram.

Which variables sit on most loops, which loops share variables, the smallest
set of variables whose removal cuts every loop (a feedback vertex set), and
independent loop sets (Kampmann 2012; Oliva 2004).  Every result carries a
readable sentence.  Import these through :mod:`stp_helpers.io.cld_graph`.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("b", "c", "+"), ("c", "b", "+")])
>>> print(feedback_vertex_set(g).sentence())
Cutting the links through 1 variable (b) would break every feedback loop (exact minimum).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from stp_helpers.cld.loops import Loop, LoopList, find_loops
from stp_helpers.io.cld_graph import as_cld

__all__ = [
    "rank_variables",
    "loop_overlaps",
    "FeedbackVertexSet",
    "feedback_vertex_set",
    "independent_loop_count",
    "independent_loops",
]

#: Betweenness is sampled (k nodes, fixed seed) above this many variables.
EXACT_BETWEENNESS_LIMIT = 500


def _label(graph: nx.DiGraph, node: Any) -> str:
    label = str(graph.nodes[node].get("label", node))
    return label if label == str(node) else f"{label} ({node})"


def _loops_or_find(graph: nx.DiGraph, loops: LoopList | None) -> LoopList:
    return find_loops(graph) if loops is None else loops


def rank_variables(graph: nx.DiGraph, loops: LoopList | None = None) -> pd.DataFrame:
    """Rank variables by the number of loops through them, then betweenness.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    loops : LoopList or None
        Loops from :func:`stp_helpers.cld.loops.find_loops`; listed with its
        defaults when None.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``label``, ``loops``, ``reinforcing``,
        ``balancing``, ``betweenness`` and ``sentence``; most loops first.

    Raises
    ------
    GraphError
        The graph is not a valid CLD.

    Notes
    -----
    Betweenness centrality is exact up to 500 variables and sampled with a
    fixed seed above that, so rankings are reproducible.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("b", "c", "+"), ("c", "b", "+")])
    >>> rank_variables(g)[["variable", "loops", "reinforcing", "balancing"]].values.tolist()
    [['b', 2, 1, 1], ['a', 1, 0, 1], ['c', 1, 1, 0]]
    """
    loops = _loops_or_find(graph, loops)
    counts: dict[Any, dict[str, int]] = {v: {"R": 0, "B": 0, "?": 0} for v in graph}
    for loop in loops:
        for v in loop.variables:
            counts[v][loop.polarity] += 1
    n = graph.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        between = nx.betweenness_centrality(graph, k=200, seed=0)
    else:
        between = nx.betweenness_centrality(graph)
    total = len(loops)
    rows = []
    for v in graph:
        c = counts[v]
        on = c["R"] + c["B"] + c["?"]
        sentence = (f"{_label(graph, v)} sits on {on} of {total} loops "
                    f"({c['R']} reinforcing, {c['B']} balancing); "
                    f"betweenness {between[v]:.2f}.")
        rows.append({"variable": v, "label": graph.nodes[v].get("label", v), "loops": on,
                     "reinforcing": c["R"], "balancing": c["B"],
                     "betweenness": round(between[v], 4), "sentence": sentence})
    frame = pd.DataFrame(rows, columns=["variable", "label", "loops", "reinforcing",
                                        "balancing", "betweenness", "sentence"])
    if frame.empty:
        return frame
    frame["_key"] = frame["variable"].astype(str)
    frame = frame.sort_values(["loops", "betweenness", "_key"], ascending=[False, False, True])
    return frame.drop(columns="_key").reset_index(drop=True)


def loop_overlaps(loops: LoopList | Sequence[Loop], max_pairs: int = 10_000) -> pd.DataFrame:
    """List pairs of loops that share variables.

    Parameters
    ----------
    loops : LoopList or sequence of Loop
        Loops from :func:`stp_helpers.cld.loops.find_loops`.
    max_pairs : int
        Stop after this many pairs (large maps have many).

    Returns
    -------
    pandas.DataFrame
        Columns ``loop_a``, ``loop_b``, ``shared`` (tuple of variable ids),
        ``shared_links`` (tuple of links) and ``sentence``; most shared first.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld, find_loops
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("b", "c", "+"), ("c", "b", "+")])
    >>> loop_overlaps(find_loops(g))["sentence"].tolist()
    ['B1 and R1 share 1 variable: b.']
    """
    loops = list(loops)
    by_node: dict[Any, list[int]] = defaultdict(list)
    for i, loop in enumerate(loops):
        for v in loop.variables:
            by_node[v].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in by_node.values():
        for i, j in itertools.combinations(members, 2):
            pairs.add((i, j))
            if len(pairs) >= max_pairs:
                break
    rows = []
    for i, j in sorted(pairs):
        a, b = loops[i], loops[j]
        shared = tuple(v for v in a.variables if v in set(b.variables))
        links = tuple(lk for lk in a.links if lk in set(b.links))
        word = "variable" if len(shared) == 1 else "variables"
        text = f"{a.id} and {b.id} share {len(shared)} {word}: {', '.join(map(str, shared))}"
        if links:
            text += f" and {len(links)} link{'s' if len(links) > 1 else ''}"
        rows.append({"loop_a": a.id, "loop_b": b.id, "shared": shared,
                     "shared_links": links, "sentence": text + "."})
    frame = pd.DataFrame(rows, columns=["loop_a", "loop_b", "shared", "shared_links", "sentence"])
    if not frame.empty:
        frame["_n"] = frame["shared"].map(len)
        frame = frame.sort_values("_n", ascending=False, kind="stable").drop(columns="_n")
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class FeedbackVertexSet:
    """Variables whose removal leaves no feedback loop.

    Parameters
    ----------
    variables : tuple
        The variable ids, highest-scoring first.
    labels : tuple of str
        Their labels.
    exact : bool
        True when the set is a proven minimum; False for the greedy
        approximation used on large strongly connected parts.
    """

    variables: tuple[Any, ...]
    labels: tuple[str, ...]
    exact: bool

    def sentence(self) -> str:
        """Return the finding as one sentence."""
        if not self.variables:
            return "The map has no feedback loops, so there is nothing to cut."
        n = len(self.variables)
        names = ", ".join(self.labels)
        how = "exact minimum" if self.exact else "approximate: small, not proven smallest"
        return (f"Cutting the links through {n} variable{'s' if n > 1 else ''} ({names}) "
                f"would break every feedback loop ({how}).")

    def __repr__(self) -> str:
        return self.sentence()


def _score(graph: nx.DiGraph, v: Any) -> int:
    return graph.in_degree(v) * graph.out_degree(v)


def _cyclic_parts(graph: nx.DiGraph) -> list[set[Any]]:
    return [c for c in nx.strongly_connected_components(graph) if len(c) > 1]


def _exact_cut(part: nx.DiGraph, order: list[Any], score: dict[Any, int], upper: int,
               deadline: float) -> tuple[Any, ...] | None:
    """Smallest cut below ``upper`` variables, or None if there is none or the budget ran out."""
    checked = 0
    for size in range(1, upper):
        best, best_score = None, -1
        for combo in itertools.combinations(order, size):
            checked += 1
            if (checked & 255) == 0 and time.perf_counter() > deadline:
                raise _BudgetExceeded
            rest = part.subgraph(set(order) - set(combo))
            if nx.is_directed_acyclic_graph(rest):
                s = sum(score[v] for v in combo)
                if s > best_score:
                    best, best_score = combo, s
        if best is not None:
            return best
    return None


class _BudgetExceeded(Exception):
    pass


def _greedy_cut(part: nx.DiGraph, score: dict[Any, int]) -> list[Any]:
    work = part.copy()
    chosen: list[Any] = []
    while True:
        parts = _cyclic_parts(work)
        if not parts:
            break
        sub = work.subgraph(set().union(*parts))
        pick = min(sub, key=lambda v: (-sub.in_degree(v) * sub.out_degree(v), -score[v], str(v)))
        chosen.append(pick)
        work.remove_node(pick)
    for v in list(reversed(chosen)):  # drop any that are no longer needed
        trial = [c for c in chosen if c != v]
        if nx.is_directed_acyclic_graph(part.subgraph(set(part) - set(trial))):
            chosen = trial
    return chosen


def feedback_vertex_set(graph: nx.DiGraph, time_limit: float = 1.0) -> FeedbackVertexSet:
    """Find a smallest set of variables that cuts every feedback loop.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    time_limit : float
        Seconds the exact search may take.  A greedy rule (remove the
        variable with most in × out links, repeat, then drop any that became
        unnecessary) gives an upper bound; smaller sets are then searched
        exhaustively.  When time runs out, the greedy set is returned and
        marked approximate.

    Returns
    -------
    FeedbackVertexSet
        Among equally small sets, the one whose variables have the most
        in × out links is chosen, then the first by id.

    Raises
    ------
    GraphError
        The graph is not a valid CLD.

    Notes
    -----
    The minimum feedback vertex set problem is NP-hard (Karp 1972), hence the
    approximation on large parts.  A self-link always belongs to the set.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "c", "+"), ("c", "a", "-"), ("c", "c", "+")])
    >>> feedback_vertex_set(g).variables
    ('c',)
    """
    graph, _ = as_cld(graph)
    score = {v: _score(graph, v) for v in graph}
    work = nx.DiGraph(graph.edges)
    work.add_nodes_from(graph.nodes)
    chosen = [v for v in graph if graph.has_edge(v, v)]
    work.remove_nodes_from(chosen)
    exact = True
    deadline = time.perf_counter() + time_limit
    for part_nodes in _cyclic_parts(work):
        part = work.subgraph(part_nodes).copy()
        order = sorted(part_nodes, key=lambda v: (-score[v], str(v)))
        greedy = _greedy_cut(part, score)
        try:
            better = _exact_cut(part, order, score, len(greedy), deadline)
        except _BudgetExceeded:
            better, exact = None, False
        chosen += list(better) if better is not None else greedy
    chosen.sort(key=lambda v: (-score[v], str(v)))
    labels = tuple(_label(graph, v) for v in chosen)
    return FeedbackVertexSet(tuple(chosen), labels, exact)


def independent_loop_count(graph: nx.DiGraph) -> int:
    """Return the size of an independent loop set: e − n + 1 per cyclic part.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.

    Returns
    -------
    int
        The sum, over strongly connected parts that contain a loop, of links
        minus variables plus one (Kampmann 2012; Oliva 2004).

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("c", "d")])
    >>> independent_loop_count(g)
    2
    """
    total = 0
    for comp in nx.strongly_connected_components(graph):
        sub = graph.subgraph(comp)
        if len(comp) > 1 or sub.number_of_edges() > 0:
            total += sub.number_of_edges() - len(comp) + 1
    return total


def independent_loops(graph: nx.DiGraph, loops: LoopList | Iterable[Loop] | None = None
                      ) -> list[Loop]:
    """Pick loops, shortest first, each adding at least one new link.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    loops : LoopList, iterable of Loop, or None
        Candidate loops in CLD-6 order; listed with the defaults when None.

    Returns
    -------
    list of Loop
        An independent set; it reaches :func:`independent_loop_count` when
        the candidates include long enough loops (each loop with a new link is
        independent of those before it).

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("b", "c", "+"), ("c", "a", "+")])
    >>> [lp.id for lp in independent_loops(g)]
    ['B1', 'R1']
    """
    candidates = list(_loops_or_find(graph, None)) if loops is None else list(loops)
    seen: set[tuple[Any, Any]] = set()
    chosen = []
    for loop in candidates:
        new = set(loop.links) - seen
        if new:
            chosen.append(loop)
            seen |= set(loop.links)
    return chosen
