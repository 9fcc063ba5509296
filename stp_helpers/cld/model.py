"""Causal loop diagrams: the model, validation and bounded loop listing.

A causal loop diagram (CLD) is a :class:`networkx.DiGraph` whose nodes are
variables and whose edges are causal links (methods.md §2.1):

* node attributes: ``label`` (text shown to people; defaults to the id) and
  ``description``;
* edge attributes: ``polarity`` (``"+"``, ``"-"`` or ``"?"`` for unknown,
  CLD-1/CLD-4), ``delay`` (bool, the ``‖`` mark) and ``note``.

Readers in :mod:`stp_helpers.io` build such graphs from files; this module
never parses files.  Structure and leverage live in
:mod:`stp_helpers.cld.structure` and the learner/reference comparison in
:mod:`stp_helpers.cld.compare`; both are re-exported here so a notebook only
needs ``from stp_helpers import cld``.

Examples
--------
>>> graph, warnings = build_cld([("rabbits", "foxes", "+"), ("foxes", "rabbits", "-")])
>>> loops = find_loops(graph)
>>> print(loops[0].sentence())
B1 (balancing, 2 links, 1 negative link): foxes → rabbits → foxes
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from stp_helpers.errors import MAX_REPORTED, GraphError, Problem

__all__ = [
    "MAX_VARIABLES",
    "POLARITY_LABELS",
    "normalise_polarity",
    "parse_delay",
    "build_cld",
    "validate_cld",
    "Loop",
    "LoopList",
    "find_loops",
    "loop_polarity",
    # re-exported from cld_structure and cld_compare (bottom of this module)
    "rank_variables",
    "loop_overlaps",
    "feedback_vertex_set",
    "FeedbackVertexSet",
    "independent_loop_count",
    "independent_loops",
    "compare",
    "CldComparison",
]

#: Largest map the analysis accepts; beyond it loop listing and betweenness
#: stop being interactive.  Readers and :func:`validate_cld` refuse bigger maps.
MAX_VARIABLES = 5_000

_PLUS = ("+", "s", "same", "positive", "pos", "+1", "1")
_MINUS = ("-", "\u2212", "\u2013", "\u2014", "o", "opposite", "negative", "neg", "-1", "\u22121")
_UNKNOWN = ("?", "unknown")

#: Every polarity label accepted (case-insensitive) and its canonical symbol
#: (CLD-1: S → +, O → −; CLD-4: ``?`` stays undetermined).
POLARITY_LABELS: Mapping[str, str] = {
    **{k: "+" for k in _PLUS},
    **{k: "-" for k in _MINUS},
    **{k: "?" for k in _UNKNOWN},
}

_TRUE = ("yes", "y", "true", "t", "1", "delay", "delayed", "‖", "||", "x")
_FALSE = ("", "no", "n", "false", "f", "0", "none", "nan")

POLARITY_FIX = (
    'Use "+" (the two variables move the same way), "-" (they move opposite ways) '
    'or "?" (not yet known).'
)


def normalise_polarity(label: Any) -> str | None:
    """Return the canonical polarity for a label people write, or None.

    Parameters
    ----------
    label : Any
        What was written: ``"+"``, ``"S"``, ``"same"``, ``"positive"``,
        ``"pos"``, ``"-"``, ``"−"`` (Unicode minus), ``"–"`` (en dash),
        ``"O"``, ``"opposite"``, ``"negative"``, ``"neg"``, ``"?"``; also the
        numbers 1 and -1.  Case and surrounding spaces are ignored.

    Returns
    -------
    str or None
        ``"+"``, ``"-"`` or ``"?"``; None when the label is not a polarity
        (including an empty cell).

    Examples
    --------
    >>> [normalise_polarity(x) for x in ["S", " opposite ", "\u2212", "?", 1, "++"]]
    ['+', '-', '-', '?', '+', None]
    """
    if label is None or isinstance(label, bool):
        return None
    if isinstance(label, (int, float)):
        if isinstance(label, float) and math.isnan(label):
            return None
        return {1: "+", -1: "-"}.get(int(label)) if label in (1, -1) else None
    text = unicodedata.normalize("NFKC", str(label)).strip().lower()
    # NFKC leaves the Unicode minus and the dashes alone, which is what we want.
    return POLARITY_LABELS.get(text)


def parse_delay(value: Any) -> bool | None:
    """Return True/False for a delay cell, or None when it cannot be read.

    Parameters
    ----------
    value : Any
        ``True``/``False``, ``"yes"``/``"no"``, ``"1"``/``"0"``, ``"‖"``,
        ``"||"``, ``"delay"`` or an empty cell (no delay).

    Returns
    -------
    bool or None

    Examples
    --------
    >>> parse_delay("yes"), parse_delay(""), parse_delay("||"), parse_delay("maybe")
    (True, False, True, None)
    """
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return False
        return {1: True, 0: False}.get(int(value)) if value in (0, 1) else None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _raise_problems(problems: Sequence[str], fix: str) -> None:
    shown = list(problems[:MAX_REPORTED])
    if len(problems) > MAX_REPORTED:
        shown.append(f"... and {len(problems) - MAX_REPORTED} more problem(s).")
    raise GraphError("\n".join(shown), fix)


def _link_fields(link: Any) -> tuple[Any, Any, Any, Any, Any]:
    if isinstance(link, Mapping):
        source = link.get("from", link.get("source"))
        target = link.get("to", link.get("target"))
        return source, target, link.get("polarity"), link.get("delay"), link.get("note", "")
    items = tuple(link)
    if len(items) < 2:
        return (items[0] if items else None), None, None, None, ""
    padded = items + (None,) * (5 - len(items))
    return padded[0], padded[1], padded[2], padded[3], padded[4] or ""


def _variable_fields(variable: Any) -> tuple[Any, Any, Any]:
    if isinstance(variable, Mapping):
        vid = variable.get("id", variable.get("label"))
        return vid, variable.get("label") or vid, variable.get("description") or ""
    if isinstance(variable, str):
        return variable, variable, ""
    items = tuple(variable) + (None, None, None)
    return items[0], items[1] or items[0], items[2] or ""


def build_cld(
    links: Iterable[Any],
    variables: Iterable[Any] | None = None,
    *,
    name: str | None = None,
    source: str = "links",
    max_variables: int = MAX_VARIABLES,
) -> tuple[nx.DiGraph, list[Problem]]:
    """Build a causal loop diagram from links, refusing what cannot be analysed.

    Parameters
    ----------
    links : iterable
        Each link is a tuple ``(source, target, polarity[, delay[, note]])`` or
        a mapping with keys ``from``/``to`` (or ``source``/``target``),
        ``polarity`` and optionally ``delay`` and ``note``.  Polarity labels
        are read by :func:`normalise_polarity`.
    variables : iterable or None
        Ids (str), ``(id, label[, description])`` tuples or mappings with
        ``id``, ``label``, ``description``.  When given, every link must name
        one of them (by id or label); when None they are inferred from links.
    name : str or None
        Stored as ``graph.graph["name"]``.
    source : str
        Where the links came from, used in messages.
    max_variables : int
        Largest number of variables accepted.

    Returns
    -------
    graph : networkx.DiGraph
        The CLD with the documented node and edge attributes.
    warnings : list of Problem
        Self-links (CLD-3), repeated links, conflicting polarities (the link
        is kept with polarity ``"?"``: never guess, CLD-4) and variables with
        no links.

    Raises
    ------
    GraphError
        A link without a polarity or with an unknown label, a link to a
        variable not in ``variables``, or more than ``max_variables``.

    Examples
    --------
    >>> graph, warnings = build_cld([("a", "b", "same"), ("b", "a", "O"), ("b", "a", "-")])
    >>> graph.edges["b", "a"]["polarity"], len(warnings)
    ('-', 1)
    >>> build_cld([("a", "b", "")])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.GraphError: Link a → b has no polarity. Use "+" ...
    """
    graph = nx.DiGraph(name=name) if name else nx.DiGraph()
    errors: list[str] = []
    warnings: list[Problem] = []
    by_label: dict[str, str] = {}
    if variables is not None:
        for var in variables:
            vid, label, description = _variable_fields(var)
            if vid is None or str(vid).strip() == "":
                errors.append("A variable has no id.")
                continue
            vid = str(vid).strip()
            graph.add_node(vid, label=str(label).strip(), description=str(description))
            by_label.setdefault(_norm(str(label)), vid)
    declared = variables is not None
    for link in links:
        u, v, pol, delay, note = _link_fields(link)
        ends = []
        for end in (u, v):
            text = "" if end is None else str(end).strip()
            if not text:
                errors.append(f"A link has an empty end: {u!r} → {v!r}.")
                ends.append(None)
            elif declared and text not in graph:
                match = by_label.get(_norm(text))
                if match is None:
                    errors.append(f"Link {u} → {v} names {text!r}, which is not a variable.")
                ends.append(match)
            else:
                ends.append(text)
        symbol = normalise_polarity(pol)
        if symbol is None:
            what = "has no polarity" if pol is None or str(pol).strip() == "" else (
                f"has polarity {pol!r}, which is not a link polarity")
            errors.append(f"Link {u} → {v} {what}.")
        flag = parse_delay(delay)
        if flag is None:
            errors.append(f"Link {u} → {v} has delay {delay!r}; use yes or no.")
        if None in ends or symbol is None or flag is None:
            continue
        a, b = ends
        for end in (a, b):
            if end not in graph:
                graph.add_node(end, label=end, description="")
        if graph.has_edge(a, b):
            old = graph.edges[a, b]
            if old["polarity"] != symbol:
                warnings.append(Problem(source, (
                    f"Link {a} → {b} appears with polarities {old['polarity']} and {symbol}; "
                    "kept as '?' (CLD-2)."), fix="Keep one row per link with the sign you mean."))
                old["polarity"] = "?"
            else:
                warnings.append(Problem(source, f"Link {a} → {b} appears twice; kept once.",
                                        fix="Delete the repeated row."))
            old["delay"] = old["delay"] or flag
            continue
        graph.add_edge(a, b, polarity=symbol, delay=flag, note=str(note or ""))
    if errors:
        _raise_problems(errors, POLARITY_FIX if any("polarity" in e for e in errors) else
                        "Correct the links so each joins two known variables.")
    warnings += validate_cld(graph, source=source, max_variables=max_variables)
    return graph, warnings


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def validate_cld(
    graph: nx.DiGraph, *, source: str = "graph", max_variables: int = MAX_VARIABLES
) -> list[Problem]:
    """Check that a graph is an analysable CLD; return warnings.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD with the documented attributes.
    source : str
        Name used in messages (file path or ``"graph"``).
    max_variables : int
        Largest number of variables accepted.

    Returns
    -------
    list of Problem
        Warnings: self-links (CLD-3) and variables without links.  Missing
        ``label``/``description``/``delay``/``note`` attributes are filled in
        and polarity labels such as ``"S"`` are normalised, in place.

    Raises
    ------
    GraphError
        Not a simple directed graph, a link without a valid polarity or a
        non-boolean delay, or more than ``max_variables`` variables.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "a", polarity="+", delay=False, note="")
    >>> [p.problem for p in validate_cld(g)]
    ['a has a link to itself (CLD-3); it counts as a loop of length 1.']
    """
    if not isinstance(graph, nx.DiGraph) or graph.is_multigraph():
        raise GraphError(
            f"{source}: a CLD must be a networkx.DiGraph, not {type(graph).__name__}.",
            "Build it with cld.build_cld(links) or read it with stp_helpers.io.")
    n = graph.number_of_nodes()
    if n > max_variables:
        raise GraphError(
            f"{source}: the map has {n:,} variables; the workbook analyses up to "
            f"{max_variables:,}.",
            "Split it into views (sub-maps) of related variables, or pass a larger "
            "max_variables if you accept slow analysis.")
    errors = []
    for u, v, data in graph.edges(data=True):
        pol = data.get("polarity")
        if pol not in ("+", "-", "?"):
            fixed = normalise_polarity(pol)
            if fixed is None:
                errors.append(f"Link {u} → {v} has polarity {pol!r}.")
                continue
            data["polarity"] = fixed
        if not isinstance(data.get("delay", False), bool):
            flag = parse_delay(data.get("delay"))
            if flag is None:
                errors.append(f"Link {u} → {v} has delay {data.get('delay')!r}.")
                continue
            data["delay"] = flag
        data.setdefault("delay", False)
        data.setdefault("note", "")
    if errors:
        _raise_problems([f"{source}: {e}" for e in errors], POLARITY_FIX)
    warnings = []
    for node in graph.nodes:
        graph.nodes[node].setdefault("label", str(node))
        graph.nodes[node].setdefault("description", "")
        if graph.has_edge(node, node):
            warnings.append(Problem(
                source, f"{node} has a link to itself (CLD-3); it counts as a loop of length 1.",
                fix="Check whether an intermediate variable is missing."))
        elif graph.degree(node) == 0:
            warnings.append(Problem(source, f"{node} has no links.",
                                    fix="Link it to the map or remove it."))
    return warnings


@dataclass(frozen=True)
class Loop:
    """One feedback loop: an elementary cycle with its polarity.

    Parameters
    ----------
    id : str
        ``R1``, ``B2`` … by CLD-6 naming (``U1`` … when undetermined).
    variables : tuple of str
        Variable ids in order, rotated to start at the smallest id.
    polarity : str
        ``"R"`` (even number of negative links), ``"B"`` (odd) or ``"?"``
        (a link of unknown polarity, CLD-4).
    negatives : int
        Number of negative links.
    delays : tuple of (str, str)
        The delayed links on the loop.
    labels : tuple of str
        Labels of ``variables`` for sentences.
    signs : tuple of str
        Polarity of each link, ``signs[i]`` for ``variables[i] → variables[i+1]``.
    name : str or None
        A human name stored beside the id.
    """

    id: str
    variables: tuple[str, ...]
    polarity: str
    negatives: int
    delays: tuple[tuple[str, str], ...] = ()
    labels: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    name: str | None = None

    @property
    def length(self) -> int:
        """Number of links (= number of variables)."""
        return len(self.variables)

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """The links ``(u, v)`` in loop order, closing back to the start."""
        seq = self.variables
        return tuple((seq[i], seq[(i + 1) % len(seq)]) for i in range(len(seq)))

    @property
    def delayed(self) -> bool:
        """True when at least one link on the loop is delayed."""
        return bool(self.delays)

    @property
    def kind(self) -> str:
        """``"reinforcing"``, ``"balancing"`` or ``"undetermined"``."""
        return {"R": "reinforcing", "B": "balancing"}.get(self.polarity, "undetermined")

    def sign_of(self, link: tuple[str, str]) -> str:
        """Return the polarity of one of the loop's links."""
        return self.signs[self.links.index(link)]

    def path(self, use_labels: bool = True) -> str:
        """Return the loop as ``a → b → a`` (labels by default)."""
        names = self.labels if use_labels and self.labels else self.variables
        return " → ".join((*names, names[0]))

    def sentence(self) -> str:
        """Return a readable sentence about the loop."""
        if self.polarity == "?":
            neg = "a link of unknown sign"
        elif self.negatives == 0:
            neg = "no negative links"
        else:
            neg = f"{self.negatives} negative link{'s' if self.negatives > 1 else ''}"
        delay = ", delayed" if self.delayed else ""
        named = f" '{self.name}'" if self.name else ""
        return (f"{self.id}{named} ({self.kind}, {self.length} link"
                f"{'s' if self.length != 1 else ''}, {neg}{delay}): {self.path()}")


@dataclass(frozen=True)
class LoopList:
    """The result of :func:`find_loops`: loops plus whether the list is complete.

    Parameters
    ----------
    loops : tuple of Loop
        In CLD-6 order: by length, then by variable sequence.
    truncated : bool
        True when a bound on count or time stopped the search.
    reason : str or None
        Why the search stopped early, in a sentence.
    length_bound : int
        The longest loop searched for.
    elapsed : float
        Seconds spent listing.
    """

    loops: tuple[Loop, ...]
    truncated: bool = False
    reason: str | None = None
    length_bound: int = 8
    elapsed: float = field(default=0.0, compare=False)

    def __len__(self) -> int:
        return len(self.loops)

    def __iter__(self) -> Iterator[Loop]:
        return iter(self.loops)

    def __getitem__(self, key: int | str) -> Loop:
        if isinstance(key, str):
            for loop in self.loops:
                if loop.id == key:
                    return loop
            raise KeyError(f"No loop {key!r}; the loops are {', '.join(self.ids())}.")
        return self.loops[key]

    def ids(self) -> list[str]:
        """Return the loop ids in order."""
        return [loop.id for loop in self.loops]

    def count(self, polarity: str) -> int:
        """Return how many loops have ``polarity`` (``"R"``, ``"B"`` or ``"?"``)."""
        return sum(loop.polarity == polarity for loop in self.loops)

    def summary(self) -> str:
        """Return one sentence: counts by polarity and any truncation."""
        text = (f"{len(self)} loops up to length {self.length_bound}: "
                f"{self.count('R')} reinforcing, {self.count('B')} balancing")
        if self.count("?"):
            text += f", {self.count('?')} undetermined"
        text += "."
        if self.truncated:
            text += f" The list is incomplete: {self.reason}"
        return text

    def to_frame(self) -> Any:
        """Return a pandas DataFrame, one row per loop."""
        import pandas as pd

        return pd.DataFrame([{
            "id": lp.id, "polarity": lp.polarity, "length": lp.length,
            "negatives": lp.negatives, "delayed": lp.delayed, "loop": lp.path(),
        } for lp in self.loops])

    def __repr__(self) -> str:
        return self.summary()


def loop_polarity(signs: Iterable[str]) -> str:
    """Return ``"R"``, ``"B"`` or ``"?"`` for a sequence of link signs.

    Parameters
    ----------
    signs : iterable of str
        ``"+"``, ``"-"`` or ``"?"`` for each link of a loop.

    Returns
    -------
    str
        ``"R"`` for an even number of negative links (zero is even), ``"B"``
        for an odd number, ``"?"`` if any link is unknown (CLD-4).

    Examples
    --------
    >>> loop_polarity("+-"), loop_polarity("--+"), loop_polarity("+?")
    ('B', 'R', '?')
    """
    signs = list(signs)
    if "?" in signs:
        return "?"
    return "R" if signs.count("-") % 2 == 0 else "B"


def _rotate(cycle: Sequence[Any]) -> tuple[Any, ...]:
    start = min(range(len(cycle)), key=lambda i: str(cycle[i]))
    return tuple(cycle[start:]) + tuple(cycle[:start])


def find_loops(
    graph: nx.DiGraph,
    length_bound: int = 8,
    max_loops: int = 10_000,
    time_limit: float = 5.0,
    *,
    strict: bool = False,
    names: Mapping[str, str] | None = None,
) -> LoopList:
    """List feedback loops, bounded in length, count and time (CLD-5).

    Uses :func:`networkx.simple_cycles` with ``length_bound`` (the
    Gupta–Suzumura algorithm), computes each loop's polarity from the product
    of its link signs and names loops by CLD-6.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD (see the module docstring).
    length_bound : int
        Longest loop (in links) to list; at least 1.
    max_loops : int
        Stop after this many loops and report truncation.
    time_limit : float
        Stop after this many seconds and report truncation.
    strict : bool
        If True, raise :class:`GraphError` instead of returning a truncated list.
    names : mapping or None
        Human names by loop id, stored beside the id (``{"B1": "crisis fix"}``).

    Returns
    -------
    LoopList
        Loops in CLD-6 order, with ``truncated`` and ``reason``.

    Raises
    ------
    GraphError
        The graph is not a valid CLD, ``length_bound`` is not a positive
        integer, or ``strict`` and a bound was hit.

    Notes
    -----
    Loops are elementary cycles (Johnson 1975); polarity follows Richardson
    (1995).  Numbering rotates each loop to its smallest variable id, sorts
    by (length, sequence) and numbers R and B loops separately.  When the
    list is truncated the ids number only the loops found.

    Examples
    --------
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "+"), ("b", "c", "+"), ("c", "b", "-")])
    >>> [lp.id + ":" + "".join(lp.variables) for lp in find_loops(g)]
    ['R1:ab', 'B1:bc']
    >>> big = nx.complete_graph(12, create_using=nx.DiGraph)
    >>> nx.set_edge_attributes(big, "+", "polarity")
    >>> result = find_loops(big, length_bound=12, max_loops=500)
    >>> result.truncated, len(result)
    (True, 500)
    """
    if isinstance(length_bound, bool) or not isinstance(length_bound, int) or length_bound < 1:
        raise GraphError(f"length_bound must be a whole number of links, at least 1; "
                         f"got {length_bound!r}.", "Try length_bound=8.")
    validate_cld(graph)
    start = time.perf_counter()
    deadline = start + time_limit
    found: list[tuple[Any, ...]] = []
    truncated, reason = False, None
    for cycle in nx.simple_cycles(graph, length_bound=length_bound):
        found.append(_rotate(cycle))
        if len(found) >= max_loops:
            truncated = True
            reason = (f"stopped after {max_loops:,} loops (max_loops). Use a smaller "
                      "length_bound or study one strongly connected part at a time.")
            break
        if (len(found) & 63) == 0 and time.perf_counter() > deadline:
            truncated = True
            reason = (f"stopped after {time_limit:g} s (time_limit) with {len(found):,} loops. "
                      "Use a smaller length_bound.")
            break
    if truncated and strict:
        raise GraphError(f"Loop listing incomplete: {reason}", None)
    found.sort(key=lambda c: (len(c), [str(v) for v in c]))
    counters = {"R": 0, "B": 0, "?": 0}
    prefix = {"R": "R", "B": "B", "?": "U"}
    loops = []
    for cycle in found:
        links = [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))]
        signs = tuple(graph.edges[u, v]["polarity"] for u, v in links)
        pol = loop_polarity(signs)
        counters[pol] += 1
        lid = f"{prefix[pol]}{counters[pol]}"
        loops.append(Loop(
            id=lid, variables=tuple(cycle), polarity=pol, negatives=signs.count("-"),
            delays=tuple(link for link in links if graph.edges[link].get("delay")),
            labels=tuple(str(graph.nodes[v].get("label", v)) for v in cycle),
            signs=signs, name=(names or {}).get(lid)))
    return LoopList(tuple(loops), truncated, reason, length_bound,
                    time.perf_counter() - start)


# Re-exports: structure, leverage and comparison live in their own modules.
from stp_helpers.cld.structure import (  # noqa: E402
    FeedbackVertexSet,
    feedback_vertex_set,
    independent_loop_count,
    independent_loops,
    loop_overlaps,
    rank_variables,
)
from stp_helpers.cld.compare import CldComparison, compare  # noqa: E402
