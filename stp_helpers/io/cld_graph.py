"""The causal loop diagram as a plain structure: building and validating it.

A causal loop diagram (CLD) is a :class:`networkx.DiGraph` whose nodes are
variables and whose edges are causal links (methods.md §2.1):

* node attributes: ``label`` (text shown to people; defaults to the id) and
  ``description``;
* edge attributes: ``polarity`` (``"+"``, ``"-"`` or ``"?"`` for unknown,
  CLD-1/CLD-4), ``delay`` (bool, the ``‖`` mark) and ``note``.

Readers in :mod:`stp_helpers.io` build such graphs from files; this module
never parses files.  Loops live in :mod:`stp_helpers.cld.loops`, structure and
leverage in :mod:`stp_helpers.cld.structure` and the learner/reference
comparison in :mod:`stp_helpers.cld.compare`; the package re-exports them all,
so a notebook only needs ``from stp_helpers import cld``.

Examples
--------
>>> graph, warnings = build_cld([("rabbits", "foxes", "+"), ("foxes", "rabbits", "-")])
>>> sorted(graph.edges(data="polarity"))
[('foxes', 'rabbits', '-'), ('rabbits', 'foxes', '+')]
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
    "as_cld",
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
    """Check that a graph is an analysable CLD; return warnings.  The graph is not changed.

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
        Warnings: self-links (CLD-3) and variables without links.  Use
        :func:`as_cld` for a copy with polarity labels such as ``"S"``
        normalised and missing attributes filled in.

    Raises
    ------
    GraphError
        Not a simple directed graph, a link without a valid polarity or a
        non-boolean delay, or more than ``max_variables`` variables.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "a", polarity="S")
    >>> [p.problem for p in validate_cld(g)]
    ['a has a link to itself (CLD-3); it counts as a loop of length 1.']
    >>> g.edges["a", "a"]
    {'polarity': 'S'}
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
        if pol not in ("+", "-", "?") and normalise_polarity(pol) is None:
            errors.append(f"Link {u} → {v} has polarity {pol!r}.")
        elif not isinstance(data.get("delay", False), bool) and parse_delay(data.get("delay")) is None:
            errors.append(f"Link {u} → {v} has delay {data.get('delay')!r}.")
    if errors:
        _raise_problems([f"{source}: {e}" for e in errors], POLARITY_FIX)
    warnings = []
    for node in graph.nodes:
        if graph.has_edge(node, node):
            warnings.append(Problem(
                source, f"{node} has a link to itself (CLD-3); it counts as a loop of length 1.",
                fix="Check whether an intermediate variable is missing."))
        elif graph.degree(node) == 0:
            warnings.append(Problem(source, f"{node} has no links.",
                                    fix="Link it to the map or remove it."))
    return warnings


def _is_complete(graph: nx.DiGraph) -> bool:
    return (all(d.get("polarity") in ("+", "-", "?") and isinstance(d.get("delay"), bool) and "note" in d
                for _, _, d in graph.edges(data=True))
            and all("label" in d and "description" in d for _, d in graph.nodes(data=True)))


def as_cld(
    graph: nx.DiGraph, *, source: str = "graph", max_variables: int = MAX_VARIABLES
) -> tuple[nx.DiGraph, list[Problem]]:
    """Validate a CLD and return it complete: the graph itself when it already is, else a completed copy.

    Polarity labels such as ``"S"`` become ``"+"``, delay flags become booleans and
    missing ``label``/``description``/``delay``/``note`` attributes are filled in, on
    a copy: the caller's graph is never changed.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b", {"polarity": "S"}), ("b", "a", {"polarity": "O", "delay": "yes"})])
    >>> complete, warnings = as_cld(g)
    >>> complete.edges["b", "a"], g.edges["b", "a"]
    ({'polarity': '-', 'delay': True, 'note': ''}, {'polarity': 'O', 'delay': 'yes'})
    >>> as_cld(complete)[0] is complete
    True
    """
    warnings = validate_cld(graph, source=source, max_variables=max_variables)
    if _is_complete(graph):
        return graph, warnings
    graph = graph.copy()
    for _, _, data in graph.edges(data=True):
        if data.get("polarity") not in ("+", "-", "?"):
            data["polarity"] = normalise_polarity(data.get("polarity"))
        if not isinstance(data.get("delay", False), bool):
            data["delay"] = parse_delay(data.get("delay"))
        data.setdefault("delay", False)
        data.setdefault("note", "")
    for node in graph.nodes:
        graph.nodes[node].setdefault("label", str(node))
        graph.nodes[node].setdefault("description", "")
    return graph, warnings
