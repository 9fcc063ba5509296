"""Compare a learner's causal loop diagram with a reference diagram.

Variables are matched by id, then by normalised label (lower case, no
punctuation, no leading article), then through a synonym table.  Import
through :mod:`stp_helpers.io.cld_graph`.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> ref, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
>>> mine, _ = build_cld([("A", "B", "+"), ("B", "A", "+")])
>>> compare(mine, ref).wrong_polarity
(('b', 'a', '+', '-'),)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from stp_helpers.cld.loops import find_loops
from stp_helpers.io.cld_graph import as_cld

__all__ = ["CldComparison", "compare", "normalise_label"]

_ARTICLES = ("the ", "a ", "an ")


def normalise_label(text: Any) -> str:
    """Return a label folded for matching: lower case, no punctuation or article.

    Parameters
    ----------
    text : Any
        A variable label or id.

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_label("  The Staff-Workload ")
    'staff workload'
    """
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    folded = " ".join(re.sub(r"[^\w]+", " ", folded).split())
    for article in _ARTICLES:
        if folded.startswith(article):
            folded = folded[len(article):]
    return folded


@dataclass(frozen=True)
class CldComparison:
    """Differences between a learner's CLD and a reference CLD.

    Links and polarities are given in reference ids; extra variables and
    links in the learner's own ids.

    Parameters
    ----------
    matched : dict
        Learner variable id → reference variable id.
    missing_variables, extra_variables : tuple
        Reference variables not drawn; learner variables not in the reference.
    missing_links, extra_links : tuple of (u, v)
        Reference links not drawn (between matched variables or not);
        learner links absent from the reference.
    wrong_polarity : tuple of (u, v, learner, reference)
        Links drawn with another sign.
    delay_differences : tuple of (u, v, learner, reference)
        Links whose delay mark differs.
    loops_found, loops_missed : tuple of str
        Reference loop ids the learner's diagram does / does not contain.
    extra_loops : tuple of str
        Loops in the learner's diagram that the reference lacks (as paths).
    """

    matched: dict[Any, Any] = field(default_factory=dict)
    missing_variables: tuple[Any, ...] = ()
    extra_variables: tuple[Any, ...] = ()
    missing_links: tuple[tuple[Any, Any], ...] = ()
    extra_links: tuple[tuple[Any, Any], ...] = ()
    wrong_polarity: tuple[tuple[Any, Any, str, str], ...] = ()
    delay_differences: tuple[tuple[Any, Any, bool, bool], ...] = ()
    loops_found: tuple[str, ...] = ()
    loops_missed: tuple[str, ...] = ()
    extra_loops: tuple[str, ...] = ()

    @property
    def same_structure(self) -> bool:
        """True when variables, links and polarities all agree."""
        return not (self.missing_variables or self.extra_variables or self.missing_links
                    or self.extra_links or self.wrong_polarity)

    def sentences(self) -> list[str]:
        """Return the differences in words, most basic first."""
        out = []
        if self.missing_variables:
            out.append(f"Missing variables: {', '.join(map(str, self.missing_variables))}.")
        if self.extra_variables:
            out.append(f"Variables not in the reference: "
                       f"{', '.join(map(str, self.extra_variables))}.")
        if self.missing_links:
            out.append("Missing links: " + ", ".join(f"{u} → {v}" for u, v in self.missing_links)
                       + ".")
        if self.extra_links:
            out.append("Links not in the reference: "
                       + ", ".join(f"{u} → {v}" for u, v in self.extra_links) + ".")
        for u, v, mine, ref in self.wrong_polarity:
            out.append(f"{u} → {v}: you have {mine}, the reference has {ref}.")
        for u, v, mine, ref in self.delay_differences:
            out.append(f"{u} → {v}: {'a' if mine else 'no'} delay mark, the reference has "
                       f"{'one' if ref else 'none'}.")
        total = len(self.loops_found) + len(self.loops_missed)
        out.append(f"Loops: {len(self.loops_found)} of {total} reference loops found"
                   + (f"; missed {', '.join(self.loops_missed)}." if self.loops_missed else "."))
        return out

    def __repr__(self) -> str:
        return "\n".join(self.sentences())


def _lookup(reference: nx.DiGraph, synonyms: Mapping[str, str | Iterable[str]] | None
            ) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for v, data in reference.nodes(data=True):
        table.setdefault(normalise_label(v), v)
        table.setdefault(normalise_label(data.get("label", v)), v)
    by_label = {normalise_label(d.get("label", v)): v for v, d in reference.nodes(data=True)}
    for key, alternatives in (synonyms or {}).items():
        target = key if key in reference else by_label.get(normalise_label(key))
        if target is None:
            continue
        alts = [alternatives] if isinstance(alternatives, str) else list(alternatives)
        for alt in alts:
            table.setdefault(normalise_label(alt), target)
    return table


def _loop_keys(graph: nx.DiGraph, mapping: Mapping[Any, Any] | None, length_bound: int
               ) -> dict[tuple[Any, ...], str]:
    keys = {}
    for loop in find_loops(graph, length_bound=length_bound):
        seq = [mapping.get(v, ("extra", v)) if mapping is not None else v
               for v in loop.variables]
        start = min(range(len(seq)), key=lambda i: str(seq[i]))
        keys[tuple(seq[start:] + seq[:start])] = loop.id if mapping is None else loop.path()
    return keys


def compare(
    learner: nx.DiGraph,
    reference: nx.DiGraph,
    synonyms: Mapping[str, str | Iterable[str]] | None = None,
    *,
    length_bound: int = 8,
) -> CldComparison:
    """Compare a learner's CLD with a reference CLD.

    Parameters
    ----------
    learner, reference : networkx.DiGraph
        Two CLDs (see :mod:`stp_helpers.io.cld_graph`).
    synonyms : mapping or None
        Reference variable (id or label) → alternative label or labels, e.g.
        ``{"staff workload": ["caseload", "pressure on staff"]}``.
    length_bound : int
        Longest loop compared.

    Returns
    -------
    CldComparison

    Raises
    ------
    GraphError
        Either graph is not a valid CLD.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> ref, _ = build_cld([("workload", "sickness", "+"), ("sickness", "workload", "+")])
    >>> mine, _ = build_cld([("caseload", "sickness", "+")])
    >>> result = compare(mine, ref, synonyms={"workload": "caseload"})
    >>> result.missing_links, result.loops_missed
    ((('sickness', 'workload'),), ('R1',))
    """
    learner, _ = as_cld(learner, source="your diagram")
    reference, _ = as_cld(reference, source="the reference")
    table = _lookup(reference, synonyms)
    matched: dict[Any, Any] = {}
    for v, data in learner.nodes(data=True):
        target = v if v in reference else None
        for key in (data.get("label", v), v):
            if target is None:
                target = table.get(normalise_label(key))
        if target is not None and target not in matched.values():
            matched[v] = target
    extra_vars = tuple(v for v in learner if v not in matched)
    missing_vars = tuple(v for v in reference if v not in set(matched.values()))
    mapped_links = {}
    extra_links = []
    for u, v, data in learner.edges(data=True):
        if u in matched and v in matched and reference.has_edge(matched[u], matched[v]):
            mapped_links[(matched[u], matched[v])] = data
        else:
            extra_links.append((u, v))
    missing_links, wrong, delays = [], [], []
    for u, v, data in reference.edges(data=True):
        mine = mapped_links.get((u, v))
        if mine is None:
            missing_links.append((u, v))
            continue
        if mine["polarity"] != data["polarity"]:
            wrong.append((u, v, mine["polarity"], data["polarity"]))
        if bool(mine.get("delay")) != bool(data.get("delay")):
            delays.append((u, v, bool(mine.get("delay")), bool(data.get("delay"))))
    ref_loops = _loop_keys(reference, None, length_bound)
    mine_loops = _loop_keys(learner, matched, length_bound)
    found = tuple(lid for key, lid in ref_loops.items() if key in mine_loops)
    missed = tuple(lid for key, lid in ref_loops.items() if key not in mine_loops)
    extra_loops = tuple(path for key, path in mine_loops.items() if key not in ref_loops)
    return CldComparison(matched, missing_vars, extra_vars, tuple(missing_links),
                         tuple(extra_links), tuple(wrong), tuple(delays), found, missed,
                         extra_loops)
