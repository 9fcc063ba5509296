"""Feedback loops of a causal loop diagram: bounded listing, naming and polarity.

Loops are elementary cycles, listed with a length bound and a time limit
(truncation is flagged, never silent) and named R1…/B1… by polarity (CLD-6);
a loop with an unknown ``?`` link is U1…, never guessed.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> graph, warnings = build_cld([("rabbits", "foxes", "+"), ("foxes", "rabbits", "-")])
>>> loops = find_loops(graph)
>>> print(loops[0].sentence())
B1 (balancing, 2 links, 1 negative link): foxes → rabbits → foxes
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from stp_helpers.io.cld_graph import as_cld
from stp_helpers.errors import GraphError

__all__ = ["Loop", "LoopList", "find_loops", "loop_polarity"]


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
        import pandas as pd  # heavy (about 100 MB with pyarrow): only tables need it

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
    >>> from stp_helpers.cld import build_cld
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
    graph, _ = as_cld(graph)
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
