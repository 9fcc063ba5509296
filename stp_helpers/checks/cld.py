"""Formative checks for causal loop diagram exercises, and their exercise apps.

Each check is thin: it calls :mod:`stp_helpers.cld` and puts the first
difference into words, with a hint rather than the answer, and sets the
learner's prediction beside the result.  A ``...`` answer returns
:func:`~stp_helpers.checks.your_turn`.  Answers are read by the one matcher
(:mod:`stp_helpers.checks.matching`): "positive", "reinforcing" and "R" are
one polarity; "fix that fails" is Fixes that Fail.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
>>> loop_polarities(..., g)
Your turn: fill in the cell above, then run this one.
>>> loop_polarities({1: "positive"}, g)
Not yet. 0 of 1 loop polarities right. Loop 1 (a → b → a): you have R; count the negative links on it. How many are there, and is that number odd or even?
>>> loop_polarities({1: "balancing"}, g, prediction=1)
Correct. 1 of 1 loop polarities right. You predicted 1 reinforcing loop; there are 0. What made you expect 1?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from stp_helpers import cld
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Column, Number, ShortText, Table
from stp_helpers.checks.matching import ARCHETYPE, LOOP_POLARITY, YES_NO
from stp_helpers.checks.prediction import count_note, own_count_note
from stp_helpers.cld.archetypes import ARCHETYPES, find_archetypes

__all__ = ["loop_polarities", "archetype", "diagram", "polarity_exercise", "overtime_archetype", "crisis_map",
           "ARCHETYPE_IDEAS", "CRISIS_GIVEN"]

#: What each archetype's loops look like: the idea a hint points at (methods reference §2.5).
ARCHETYPE_IDEAS = {
    "fixes_that_fail": "a balancing loop that fixes the problem quickly and a delayed reinforcing loop "
                       "through a side effect that brings it back",
    "shifting_the_burden": "two balancing loops through one symptom, a quick fix and a slower fundamental "
                           "one, with a side effect of the quick fix that weakens the fundamental one",
    "limits_to_growth": "a reinforcing loop that drives growth, and a balancing loop that slows it as it "
                        "meets a limit",
    "tragedy_of_the_commons": "the growth loops of two or more users drawing on one shared resource",
    "success_to_the_successful": "two reinforcing loops that compete for one allocation",
    "escalation": "two balancing loops, each side answering the other's position",
    "eroding_goals": "two balancing loops through one gap: one corrects the state, one lowers the goal",
    "growth_and_underinvestment": "a growth loop, a loop that slows it, and a delayed loop of investment "
                                  "in capacity",
    "accidental_adversaries": "two partners whose own fixes undermine each other's success",
}


def _need_graph(graph: Any, what: str) -> None:
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"{what} should be a CLD (networkx.DiGraph), not {type(graph).__name__}.")


def _loop_key(key: Any, loops: cld.LoopList) -> str | None:
    """A loop named by its number in the listing (1, "2") or by its id ("B1")."""
    text = str(key).strip()
    if text.isdigit() and 1 <= int(text) <= len(loops):
        return loops.loops[int(text) - 1].id
    return text.upper() if text.upper() in loops.ids() else None


def loop_polarities(answer: Any, graph: nx.DiGraph, *, prediction: Any = ..., length_bound: int = 8) -> Feedback:
    """Check a learner's polarity for each loop of a diagram.

    Parameters
    ----------
    answer : dict or ...
        Loop (its number in the listing, 1 first, or its id) → polarity, in any
        of the matcher's words: ``"R"``, ``"reinforcing"``, ``"positive"``;
        ``"B"``, ``"balancing"``, ``"negative"``.
    graph : networkx.DiGraph
        The CLD whose loops (from :func:`stp_helpers.cld.find_loops`) are asked about.
    prediction : int or ...
        How many loops the learner expected to be reinforcing.
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
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
    >>> loop_polarities({"B1": "balancing"}, g).passed
    True
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError('answer should be a dict of loop → "R" or "B", e.g. {1: "B", 2: "R"}.')
    _need_graph(graph, "graph")
    loops = cld.find_loops(graph, length_bound=length_bound)
    given: dict[str, str | None] = {}
    for key, value in answer.items():
        loop_id = _loop_key(key, loops)
        if loop_id is None:
            return Feedback(False, [], f"There is no loop {key}; the loops are numbered 1 to {len(loops)}.")
        given[loop_id] = LOOP_POLARITY.match(value) or str(value)
    number = {lp.id: i for i, lp in enumerate(loops, start=1)}
    right = sum(given.get(lp.id) == lp.polarity for lp in loops)
    summary = f"{right} of {len(loops)} loop polarities right."
    mine_r = sum(v == "R" for v in given.values())
    for lp in loops:
        mine = given.get(lp.id)
        if mine is None:
            return Feedback(False, [summary], f"You have not classified loop {number[lp.id]} yet "
                            f"({lp.path()}).", "How many negative links does it have?")
        if mine != lp.polarity:
            note = own_count_note(prediction, mine_r, "reinforcing loop")
            return Feedback(False, [summary], f"Loop {number[lp.id]} ({lp.path()}): you have {mine}; count the "
                            f"negative links on it." + (f" {note}" if note else ""),
                            "How many are there, and is that number odd or even?")
    note = count_note(prediction, loops.count("R"), "reinforcing loop")
    delayed = [str(number[lp.id]) for lp in loops if lp.delayed]
    question = note or (f"Loop{'s' * (len(delayed) > 1)} {', '.join(delayed)} carr{'ies' if len(delayed) == 1 else 'y'}"
                        " a delay: what might that do to behaviour over time?" if delayed
                        else "Which loop would you expect to dominate first, and why?")
    return Feedback(True, [summary], None, question)


def archetype(answer: Any, graph: nx.DiGraph, *, expected: Iterable[str] | None = None, prediction: Any = ...,
              hint: str = "Which loop acts first, which acts later, and which one carries the delay?") -> Feedback:
    """Check which archetype a learner sees in a diagram.

    Parameters
    ----------
    answer : str or ...
        An archetype's name in any usual wording (``"Fixes that Fail"``, ``"fix that fails"``,
        ``"ARC-1"``).
    graph : networkx.DiGraph
        The CLD.
    expected : iterable of str, optional
        The archetype keys the exercise accepts (e.g. ``("fixes_that_fail",)``).  Without it
        any archetype whose loop signature is in the diagram passes.
    prediction : str or ...
        "yes" or "no": did the learner expect the first response to hold?
    hint : str
        Where to look in this diagram, said after a wrong archetype.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a string or ``graph`` is not a DiGraph.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
    ...                   ("overtime", "fatigue", "+", True), ("fatigue", "backlog", "+")])
    >>> archetype("fix that fails", g).passed
    True
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be an archetype name, e.g. "Shifting the Burden".')
    _need_graph(graph, "graph")
    key = ARCHETYPE.match(answer)
    if key is None:
        names = ", ".join(name for name, _ in ARCHETYPES.values())
        return Feedback(False, [], f"{answer.strip()!r} is not one of the nine archetypes: {names}.")
    found = find_archetypes(graph)
    mine = found.of(key)
    accepted = set(expected) if expected is not None else None
    name = ARCHETYPES[key][0]
    if mine and (accepted is None or key in accepted):
        first = mine[0]
        role, var = next(iter(first.roles.items()))
        label = graph.nodes[var].get("label", var)
        note = _first_response_note(prediction, first.roles)
        return Feedback(True, [f"{first.name} fits: {first.why}"], None,
                        note or f"Why is {label} the {role} here, and what would you change first?")
    why = ("its loops are in this map, but they are not the structure that explains it" if mine
           else "this map's loops do not have that shape")
    return Feedback(False, [], f"{name} needs {ARCHETYPE_IDEAS[key]}; {why}. {hint}")


def _first_response_note(prediction: Any, roles: Mapping[str, Any]) -> str | None:
    said = YES_NO.match(prediction)
    fix = roles.get("fix") or roles.get("symptomatic_fix")
    if said is None or fix is None:
        return None
    if said == "yes":
        return (f"You predicted {fix} would keep the problem down; the delayed reinforcing loop brings it back. "
                "What would you watch to see that coming?")
    return f"You predicted the problem would come back, and it does. What told you, before naming the loops?"


def diagram(learner_graph: Any, reference_graph: nx.DiGraph,
            synonyms: Mapping[str, str | Iterable[str]] | None = None, *, prediction: Any = ...) -> Feedback:
    """Check a learner's CLD against a reference, naming the first thing to fix.

    Parameters
    ----------
    learner_graph : networkx.DiGraph, list of links or ...
        The learner's diagram, or its links as ``(source, target, polarity[, delay])``.
    reference_graph : networkx.DiGraph
        The reference diagram.
    synonyms : mapping or None
        Reference variable → alternative labels (see :func:`stp_helpers.cld.compare`).
    prediction : int or ...
        How many feedback loops the learner expected.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        Either graph is not a DiGraph (or a list of links).

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> ref, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
    >>> mine, _ = build_cld([("a", "b", "+"), ("b", "a", "+")])
    >>> diagram(mine, ref)
    Not yet. All 2 variables matched. 1 of 2 links match the reference. b → a: you have +. If b rises, does a end up higher or lower than it would have been?
    >>> diagram([("a", "b", "+"), ("b", "a", "-")], ref, prediction=2)
    Correct. All 2 variables matched. 2 of 2 links match the reference. All 1 reference loops are there. You predicted 2 loops; there are 1. What made you expect a second?
    """
    if is_placeholder(learner_graph):
        return your_turn()
    if isinstance(learner_graph, (list, tuple)):
        learner_graph = cld.build_cld([_link(row) for row in learner_graph])[0]
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
        question = f"If {lu} rises, does {lv} end up higher or lower than it would have been?"
    elif comp.missing_links:
        _, v = comp.missing_links[0]
        fix = (f"{len(comp.missing_links)} link(s) are missing; one of them ends at "
               f"{lab[v].get('label', v)}. Read the text again: what else leads to it?")
    elif comp.extra_links:
        u, v = comp.extra_links[0]
        fix = (f"The link {u} → {v} is not in the reference: is it direct, or does it run "
               "through another variable?")
    elif comp.delay_differences:
        u, v, mine, _ = comp.delay_differences[0]
        fix = (f"Check the delay mark on {lab[u].get('label', u)} → {lab[v].get('label', v)}: "
               "how long before the effect shows?")
    if fix is not None:
        mine_loops = len(cld.find_loops(learner_graph, length_bound=8))
        note = own_count_note(prediction, mine_loops, "loop")
        return Feedback(False, right + ([note] if note else []), fix, question)
    n_loops = len(comp.loops_found)
    note = count_note(prediction, n_loops, "loop")
    return Feedback(True, right + [f"All {n_loops} reference loops are there."],
                    None, note or "Which loop do you expect to dominate first, and why?")


def _link(row: Any) -> tuple[Any, ...]:
    """A link row from the app's table: the delay column reads "yes"/"no"."""
    row = tuple(row)
    if len(row) == 4 and isinstance(row[3], str):
        return (*row[:3], YES_NO.match(row[3]) == "yes")
    return row


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def polarity_exercise(graph: nx.DiGraph, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "label the polarity of each loop": loops listed by number and path, not by id.

    The coding route's ``answer`` and ``prediction`` (from the starter cells) are checked
    with the same :func:`loop_polarities` and shown in the app.
    """
    loops = cld.find_loops(graph, length_bound=8)
    rows = [f"Loop {i}: {lp.path()}{' ‖' if lp.delayed else ''}" for i, lp in enumerate(loops, start=1)]
    model = "; ".join(f"loop {i} {lp.kind} ({lp.negatives} negative link{'s' * (lp.negatives != 1)})"
                      for i, lp in enumerate(loops, start=1))
    app = Exercise(
        "loop_polarities", lambda a, p: loop_polarities(a, graph, prediction=p),
        Table("Polarity of each loop", [Column("polarity", ("R", "B"))], row_names=rows,
              row_keys=range(1, len(loops) + 1)),
        model, explanation="A loop with an even number of negative links (zero counts) reinforces; "
                           "with an odd number it balances.",
        predict=Number("Reinforcing loops you expect", units=f"of {len(loops)}", integer=True),
        title=f"Give the polarity of each of the {len(loops)} loops: R (reinforcing) or B (balancing).")
    return app.submit(answer, prediction)


def overtime_archetype(graph: nx.DiGraph, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "name the archetype" on the overtime map: a typed name, read by the matcher."""
    expected = ("fixes_that_fail",)
    hint = "What does overtime do to the backlog this week, and what does it do to it months later?"
    app = Exercise(
        "archetype", lambda a, p: archetype(a, graph, expected=expected, prediction=p, hint=hint),
        ShortText("Archetype", placeholder="an archetype's name"), "Fixes that Fail",
        explanation="The balancing loop backlog → overtime → backlog is the fix; the reinforcing loop "
                    "through fatigue and errors brings the problem back, with a delay the fix does not have.",
        predict=Choice("Will overtime keep the backlog down over the coming months?", ["yes", "no"]),
        title="Which of the nine archetypes is this map? Type its name.")
    return app.submit(answer, prediction)


#: The crisis-demand paragraph's links the learner starts from.
CRISIS_GIVEN = (("unmet_need", "crisis_contacts", "+"), ("crisis_contacts", "reactive_interventions", "+"),
                ("reactive_interventions", "unmet_need", "-"))


def crisis_map(reference: nx.DiGraph, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "build the Wiltshire crisis-demand map from the text": a table of links."""
    ids = tuple(sorted(reference.nodes))
    table = Table("Links: source, target, polarity, delay", [
        Column("source", ids), Column("target", ids), Column("polarity", ("+", "-")),
        Column("delay", ("no", "yes"))], rows=11)
    table.show([(*link, "no") for link in CRISIS_GIVEN])
    model = "; ".join(f"{u} → {v} ({d['polarity']}{', delayed' if d.get('delay') else ''})"
                      for u, v, d in sorted(reference.edges(data=True)))
    app = Exercise(
        "diagram", lambda a, p: diagram(a, reference, prediction=p), table, model,
        explanation="Every route from unmet need to crisis contacts closes a balancing loop through reactive "
                    "interventions; the delayed housing loop reinforces need.",
        predict=Number("Feedback loops you expect", units="loops", integer=True),
        title="Add the links the text describes to the three given: one row per link.")
    return app.submit(answer, prediction)
