"""System archetypes found as loop signatures (methods.md §2.5, ARC-1 … ARC-10).

Real diagrams put chains of variables where a template has one, so matching
works on **loops**, not edges: list the loops, then test each archetype's
predicate on pairs (or triples) of loops.  Each match binds the template's
roles to variables and says why it matched.  Matches that bind the same roles
through different paths are one instance (ARC-10); instances are ranked by
fit with a stated confidence.  Archetypes nest, so one structure can match
several (Fixes that Fail inside Shifting the Burden; Limits to Growth inside
Growth and Underinvestment).  The predicates live in
:mod:`stp_helpers.cld.archetype_rules`.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> g, _ = build_cld([("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
...                   ("overtime", "fatigue", "+", True), ("fatigue", "errors", "+"),
...                   ("errors", "backlog", "+")])
>>> ftf = find_archetypes(g, only=["fixes_that_fail"])[0]
>>> ftf.roles["problem"], ftf.roles["fix"]
('backlog', 'overtime')
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from stp_helpers.cld.archetype_rules import ARCHETYPES, ArchetypeMatch, ArchetypeSearch
from stp_helpers.cld.loops import LoopList, find_loops
from stp_helpers.io.cld_graph import as_cld
from stp_helpers.errors import GraphError

__all__ = ["ARCHETYPES", "CORE_ROLES", "ArchetypeMatch", "ArchetypeResult", "find_archetypes",
           "group_instances"]

#: Roles that identify one instance (ARC-10): matches binding these the same way are
#: the same structure through different paths.  Pairs in a tuple are unordered sides.
CORE_ROLES: Mapping[str, tuple[Any, ...]] = {
    "fixes_that_fail": ("problem", "fix"),
    "shifting_the_burden": ("problem symptom", "symptomatic fix", "fundamental solution"),
    "limits_to_growth": ("performance",),
    "tragedy_of_the_commons": (("activity A", "activity B"),),
    "success_to_the_successful": ("allocation", ("success A", "success B")),
    "escalation": ("relative position", ("activity A", "activity B")),
    "eroding_goals": ("gap", "goal"),
    "growth_and_underinvestment": ("demand", "capacity"),
    "accidental_adversaries": (("success A", "success B"),),
}


@dataclass(frozen=True)
class ArchetypeResult:
    """Distinct archetype instances, best fit first, and whether the search was complete.

    ``found`` counts the distinct instances of each archetype before the
    ``max_matches`` cut, so a report can say how many more there are.
    """

    matches: tuple[ArchetypeMatch, ...]
    truncated: bool = False
    reason: str | None = None
    found: Mapping[str, int] | None = None

    def __len__(self) -> int:
        return len(self.matches)

    def __iter__(self) -> Iterator[ArchetypeMatch]:
        return iter(self.matches)

    def __getitem__(self, index: int) -> ArchetypeMatch:
        return self.matches[index]

    def names(self) -> list[str]:
        """Return the distinct archetype names found, in report order."""
        return list(dict.fromkeys(m.name for m in self.matches))

    def of(self, archetype: str) -> list[ArchetypeMatch]:
        """Return the matches of one archetype key."""
        return [m for m in self.matches if m.archetype == archetype]

    def summary(self) -> str:
        """Return counts per archetype in a sentence."""
        if not self.matches:
            text = "No archetype signature found."
        else:
            counts = {n: sum(m.name == n for m in self.matches) for n in self.names()}
            total = {ARCHETYPES[k][0]: c for k, c in (self.found or {}).items()}
            text = "Found " + "; ".join(
                f"{n} ×{c}" + (f" (top {c} of {total[n]})" if total.get(n, c) > c else "")
                for n, c in counts.items()) + "."
        return text + (f" Incomplete: {self.reason}" if self.truncated else "")

    def __repr__(self) -> str:
        return self.summary()


_ORDER = list(ARCHETYPES)
_CONFIDENCE = ("high", "medium", "low")
#: Raw matches examined per archetype, per instance reported.
_RAW_PER_KEY = 5


def _identity(match: ArchetypeMatch) -> tuple[Any, ...]:
    """The roles that make an instance, sides unordered (ARC-10)."""
    ident: list[Any] = [match.archetype]
    for role in CORE_ROLES[match.archetype]:
        if isinstance(role, tuple):
            ident.append(frozenset(match.roles.get(r) for r in role))
        else:
            ident.append(match.roles.get(role))
    return tuple(ident)


def _best_first(match: ArchetypeMatch) -> tuple[Any, ...]:
    return (-match.fit, -len(match.roles), match.loops)


def group_instances(matches: Iterable[ArchetypeMatch]) -> list[ArchetypeMatch]:
    """Merge matches that are one instance through different paths; keep the best fit.

    Parameters
    ----------
    matches : iterable of ArchetypeMatch
        Raw matches.

    Returns
    -------
    list of ArchetypeMatch
        One per instance, its ``variants`` listing every path's loops.
    """
    groups: dict[tuple[Any, ...], list[ArchetypeMatch]] = {}
    for m in matches:
        groups.setdefault(_identity(m), []).append(m)
    out = []
    for group in groups.values():
        group.sort(key=_best_first)
        variants = tuple(sorted({v for m in group for v in m.variants}))
        out.append(replace(group[0], variants=variants))
    return out


def find_archetypes(
    graph: nx.DiGraph,
    loops: LoopList | None = None,
    *,
    only: Iterable[str] | None = None,
    max_matches: int = 200,
    time_limit: float = 5.0,
) -> ArchetypeResult:
    """Find the nine archetypes of methods.md §2.5 by their loop signatures.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD (see :mod:`stp_helpers.io.cld_graph`).
    loops : LoopList or None
        Loops from :func:`stp_helpers.cld.loops.find_loops`; listed with its defaults
        when None.  Loops of undetermined polarity are left out.
    only : iterable of str or None
        Archetype keys to look for (default: all nine).
    max_matches : int
        Report at most this many instances of one archetype (the best fits);
        ``found`` says how many there were.
    time_limit : float
        Seconds before stopping and reporting truncation.

    Returns
    -------
    ArchetypeResult
        One entry per distinct instance (ARC-10): role → variable bindings
        (no variable in two roles), a ``why`` sentence, a confidence with its
        reason; highest confidence first, then largest signature.

    Raises
    ------
    GraphError
        The graph is not a valid CLD, or ``only`` names an unknown archetype.

    Notes
    -----
    Senge (1990); Kim (1992); Kim & Lannon (1997).  Predicates ARC-1 … ARC-9
    are workbook rules; Limits to Growth is a weak signature that fires for
    every reinforcing loop sharing a variable with a balancing loop, so its
    instances are grouped by the shared variable and rated low unless the
    limit is delayed or constrained from outside.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("allocation", "resources A", "+"), ("resources A", "success A", "+"),
    ...                   ("success A", "allocation", "+"), ("allocation", "resources B", "-"),
    ...                   ("resources B", "success B", "+"), ("success B", "allocation", "-")])
    >>> find_archetypes(g).names()
    ['Success to the Successful']
    """
    keys = list(ARCHETYPES) if only is None else list(only)
    unknown = [k for k in keys if k not in ARCHETYPES]
    if unknown:
        raise GraphError(f"Unknown archetype {unknown[0]!r}.",
                         f"Use one of: {', '.join(ARCHETYPES)}.")
    graph, _ = as_cld(graph)
    loops = find_loops(graph) if loops is None else loops
    search = ArchetypeSearch(graph, loops, _RAW_PER_KEY * max(1, max_matches),
                             time.perf_counter() + time_limit)
    pair_keys = {"success_to_the_successful", "escalation", "eroding_goals"}
    for key in sorted(set(keys) - pair_keys, key=_ORDER.index):
        if search.late():
            break
        getattr(search, key)()
    if pair_keys & set(keys) and not search.late():
        search.two_loop_pairs(pair_keys & set(keys))
    instances = group_instances(m for m in search.matches if m.archetype in keys)
    found = {k: sum(m.archetype == k for m in instances) for k in _ORDER}
    instances.sort(key=lambda m: (_ORDER.index(m.archetype), _best_first(m)))
    shown: dict[str, int] = {}
    kept = []
    for m in instances:
        shown[m.archetype] = shown.get(m.archetype, 0) + 1
        if shown[m.archetype] <= max_matches:
            kept.append(m)
    kept.sort(key=lambda m: (_CONFIDENCE.index(m.confidence), -m.size,
                             _ORDER.index(m.archetype), _best_first(m)))
    reason = None
    if search.timed_out:
        reason = "stopped at the time limit (time_limit)."
    elif search.capped:
        names = ", ".join(ARCHETYPES[k][0] for k in _ORDER if k in search.capped)
        reason = f"stopped after {search.raw_limit} raw matches of {names}."
    elif loops.truncated:
        reason = f"the loop list was incomplete: {loops.reason}"
    return ArchetypeResult(tuple(kept), reason is not None, reason,
                           {k: c for k, c in found.items() if c})
