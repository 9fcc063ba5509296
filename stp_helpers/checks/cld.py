"""Formative checks for causal loop diagram exercises.

Each check is thin: it calls :mod:`stp_helpers.cld.model` or
:mod:`stp_helpers.cld.archetypes` and puts the first difference into words, with
a hint rather than the answer.  A ``...`` answer returns :func:`your_turn`.

Examples
--------
>>> from stp_helpers.cld.model import build_cld
>>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
>>> loop_polarities(..., g)
Your turn: fill in the cell above, then run this one.
>>> loop_polarities({"B1": "R"}, g)
Not yet. 0 of 1 loop polarities right. B1's polarity: you have R; count the negative links on it (a → b → a). An odd number of negative links makes a loop balancing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from stp_helpers import cld
from stp_helpers.cld.archetypes import ARCHETYPES, find_archetypes
from stp_helpers.checks import Feedback, is_placeholder, your_turn

__all__ = ["loop_polarities", "archetype", "diagram"]

_POLARITY_WORDS = {"r": "R", "reinforcing": "R", "b": "B", "balancing": "B", "?": "?",
                   "undetermined": "?"}
_ARCHETYPE_WORDS = {
    "fixes that backfire": "fixes_that_fail",
    "burden shifting": "shifting_the_burden",
    "shifting the burden to the intervenor": "shifting_the_burden",
    "limits to success": "limits_to_growth",
    "tragedy of the commons": "tragedy_of_the_commons",
    "drifting goals": "eroding_goals",
    "eroding drifting goals": "eroding_goals",
    "growth and under investment": "growth_and_underinvestment",
}


def _need_graph(graph: Any, what: str) -> None:
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"{what} should be a CLD (networkx.DiGraph), not {type(graph).__name__}.")


def loop_polarities(answer: Any, graph: nx.DiGraph, *, length_bound: int = 8) -> Feedback:
    """Check a learner's polarity (R or B) for each loop of a diagram.

    Parameters
    ----------
    answer : dict or ...
        Loop id → ``"R"``/``"B"`` (``"reinforcing"``/``"balancing"`` also
        accepted), e.g. ``{"B1": "B", "R1": "R"}``.
    graph : networkx.DiGraph
        The CLD whose loops (from :func:`stp_helpers.cld.loops.find_loops`) are asked about.
    length_bound : int
        Longest loop included.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a dict or ``graph`` is not a DiGraph.

    Examples
    --------
    >>> from stp_helpers.cld.model import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
    >>> loop_polarities({"B1": "balancing"}, g).passed
    True
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError('answer should be a dict of loop id → "R" or "B", e.g. {"B1": "B"}.')
    _need_graph(graph, "graph")
    loops = cld.find_loops(graph, length_bound=length_bound)
    given = {str(k).strip(): _POLARITY_WORDS.get(str(v).strip().lower(), str(v))
             for k, v in answer.items()}
    right = sum(given.get(lp.id) == lp.polarity for lp in loops)
    summary = f"{right} of {len(loops)} loop polarities right."
    unknown = [k for k in given if k not in loops.ids()]
    if unknown:
        return Feedback(False, [summary], f"There is no loop {unknown[0]}; the loops are "
                        f"{', '.join(loops.ids())}.", None)
    for lp in loops:
        mine = given.get(lp.id)
        if mine is None:
            return Feedback(False, [summary], f"You have not classified {lp.id} yet "
                            f"({lp.path()}).", "How many negative links does it have?")
        if mine != lp.polarity:
            return Feedback(False, [summary], f"{lp.id}'s polarity: you have {mine}; count the "
                            f"negative links on it ({lp.path()}).",
                            "An odd number of negative links makes a loop balancing.")
    delayed = [lp.id for lp in loops if lp.delayed]
    question = (f"{', '.join(delayed)} carr{'ies' if len(delayed) == 1 else 'y'} a delay: what "
                "might that do to behaviour over time?" if delayed
                else "Which loop would you expect to dominate first, and why?")
    return Feedback(True, [summary], None, question)


def _archetype_key(text: str) -> str | None:
    words = " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())
    for key, (name, rule) in ARCHETYPES.items():
        if words in (key.replace("_", " "), name.lower(), rule.lower().replace("-", " ")):
            return key
    return _ARCHETYPE_WORDS.get(words)


def archetype(answer: Any, graph: nx.DiGraph) -> Feedback:
    """Check which archetype a learner sees in a diagram.

    Parameters
    ----------
    answer : str or ...
        An archetype's name (``"Fixes that Fail"``), key or rule id (``"ARC-1"``).
    graph : networkx.DiGraph
        The CLD.

    Returns
    -------
    Feedback
        Passed when the archetype's loop signature is in the diagram.

    Raises
    ------
    TypeError
        ``answer`` is not a string or ``graph`` is not a DiGraph.

    Examples
    --------
    >>> from stp_helpers.cld.model import build_cld
    >>> g, _ = build_cld([("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
    ...                   ("overtime", "fatigue", "+", True), ("fatigue", "backlog", "+")])
    >>> archetype("fixes that fail", g).passed
    True
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be an archetype name, e.g. "Fixes that Fail".')
    _need_graph(graph, "graph")
    key = _archetype_key(answer)
    if key is None:
        names = ", ".join(name for name, _ in ARCHETYPES.values())
        return Feedback(False, [], f"{answer!r} is not one of the nine archetypes: {names}.",
                        None)
    found = find_archetypes(graph)
    mine = found.of(key)
    if mine:
        first = mine[0]
        role, var = next(iter(first.roles.items()))
        label = graph.nodes[var].get("label", var)
        return Feedback(True, [f"{first.name} fits: {first.why}"], None,
                        f"Why is {label} the {role} here, and what would you change first?")
    name = ARCHETYPES[key][0]
    hint = ("Look again at which loops share variables, which are reinforcing or balancing, "
            "and which carry a delay." if found.matches else
            "This diagram shows no archetype signature yet; check the loop polarities first.")
    return Feedback(False, [], f"The loops of this diagram do not have the {name} signature. "
                    + hint, None)


def diagram(
    learner_graph: Any,
    reference_graph: nx.DiGraph,
    synonyms: Mapping[str, str | Iterable[str]] | None = None,
) -> Feedback:
    """Check a learner's CLD against a reference, naming the first thing to fix.

    Parameters
    ----------
    learner_graph : networkx.DiGraph or ...
        The learner's diagram.
    reference_graph : networkx.DiGraph
        The reference diagram.
    synonyms : mapping or None
        Reference variable → alternative labels (see :func:`stp_helpers.cld.model.compare`).

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        Either graph is not a DiGraph.

    Examples
    --------
    >>> from stp_helpers.cld.model import build_cld
    >>> ref, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
    >>> mine, _ = build_cld([("a", "b", "+"), ("b", "a", "+")])
    >>> diagram(mine, ref)
    Not yet. All 2 variables matched. 1 of 2 links match the reference. b → a: you have +. If b rises, does a end up higher or lower than it would have been?
    """
    if is_placeholder(learner_graph):
        return your_turn()
    _need_graph(learner_graph, "learner_graph")
    _need_graph(reference_graph, "reference_graph")
    comp = cld.compare(learner_graph, reference_graph, synonyms)
    n_ref = reference_graph.number_of_nodes()
    m_ref = reference_graph.number_of_edges()
    good_links = m_ref - len(comp.missing_links) - len(comp.wrong_polarity)
    matched = len(comp.matched)
    right = [f"All {n_ref} variables matched." if matched == n_ref and not comp.extra_variables
             else f"{matched} of {n_ref} variables matched.",
             f"{good_links} of {m_ref} links match the reference."]
    lab = reference_graph.nodes
    fix: str | None = None
    question: str | None = None
    if comp.missing_variables:
        ref_var = comp.missing_variables[0]
        near = [u for u in reference_graph.predecessors(ref_var)
                if u not in comp.missing_variables] + [
                w for w in reference_graph.successors(ref_var) if w not in comp.missing_variables]
        hint = (f" Hint: what else does {lab[near[0]].get('label', near[0])} affect, or what "
                "affects it?" if near else "")
        fix = f"{len(comp.missing_variables)} reference variable(s) are missing.{hint}"
    elif comp.extra_variables:
        extra = comp.extra_variables[0]
        fix = (f"{learner_graph.nodes[extra].get('label', extra)} is not in the reference "
               "diagram: is it another name for one that is, or outside the boundary?")
    elif comp.wrong_polarity:
        u, v, mine, _ = comp.wrong_polarity[0]
        lu, lv = lab[u].get("label", u), lab[v].get("label", v)
        fix = f"{lu} → {lv}: you have {mine}."
        question = (f"If {lu} rises, does {lv} end up higher or lower than it would have "
                    "been?")
    elif comp.missing_links:
        _, v = comp.missing_links[0]
        fix = (f"{len(comp.missing_links)} link(s) are missing; one of them ends at "
               f"{lab[v].get('label', v)}.")
    elif comp.extra_links:
        u, v = comp.extra_links[0]
        fix = (f"The link {u} → {v} is not in the reference: is it direct, or does it run "
               "through another variable?")
    elif comp.delay_differences:
        u, v, mine, _ = comp.delay_differences[0]
        fix = (f"Check the delay mark on {lab[u].get('label', u)} → {lab[v].get('label', v)}: "
               "how long before the effect shows?")
    if fix is not None:
        return Feedback(False, right, fix, question)
    return Feedback(True, right + [f"All {len(comp.loops_found)} reference loops are there."],
                    None, "Which loop do you expect to dominate first, and why?")
