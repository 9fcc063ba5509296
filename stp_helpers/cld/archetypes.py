"""System archetypes found as loop signatures (methods.md §2.5, ARC-1 … ARC-10).

Real diagrams put chains of variables where a template has one, so matching
works on **loops**, not edges: list the loops, then test each archetype's
predicate on pairs (or triples) of loops.  Each match binds the template's
roles to variables and says why it matched.  Matches are reported largest
signature (most loops) first (ARC-10); archetypes nest, so one structure can
match several (Fixes that Fail inside Shifting the Burden; Limits to Growth
inside Growth and Underinvestment).

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

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from stp_helpers.cld.loops import Loop, LoopList, find_loops
from stp_helpers.io.cld_graph import as_cld
from stp_helpers.errors import GraphError

__all__ = ["ARCHETYPES", "ArchetypeMatch", "ArchetypeResult", "find_archetypes"]

#: Key → (name, rule id), in the order of methods.md §2.5.
ARCHETYPES: Mapping[str, tuple[str, str]] = {
    "fixes_that_fail": ("Fixes that Fail", "ARC-1"),
    "shifting_the_burden": ("Shifting the Burden", "ARC-2"),
    "limits_to_growth": ("Limits to Growth", "ARC-3"),
    "tragedy_of_the_commons": ("Tragedy of the Commons", "ARC-4"),
    "success_to_the_successful": ("Success to the Successful", "ARC-5"),
    "escalation": ("Escalation", "ARC-6"),
    "eroding_goals": ("Eroding Goals", "ARC-7"),
    "growth_and_underinvestment": ("Growth and Underinvestment", "ARC-8"),
    "accidental_adversaries": ("Accidental Adversaries", "ARC-9"),
}


@dataclass(frozen=True)
class ArchetypeMatch:
    """One archetype found in a diagram.

    Parameters
    ----------
    archetype : str
        Key in :data:`ARCHETYPES`, e.g. ``"fixes_that_fail"``.
    roles : dict
        Template role → variable id, e.g. ``{"problem": "U", "fix": "C"}``.
    loops : tuple of str
        Ids of the loops in the signature.
    why : str
        Why the predicate holds, in a sentence.
    """

    archetype: str
    roles: dict[str, Any]
    loops: tuple[str, ...]
    why: str

    @property
    def name(self) -> str:
        """The archetype's name, e.g. ``"Fixes that Fail"``."""
        return ARCHETYPES[self.archetype][0]

    @property
    def rule(self) -> str:
        """The rule id, e.g. ``"ARC-1"``."""
        return ARCHETYPES[self.archetype][1]

    @property
    def size(self) -> int:
        """Number of loops in the signature."""
        return len(self.loops)

    def sentence(self) -> str:
        """Return the name, loops and reason as one line."""
        return f"{self.name} ({', '.join(self.loops)}): {self.why}"


@dataclass(frozen=True)
class ArchetypeResult:
    """Archetype matches, largest signature first, and whether the search was complete."""

    matches: tuple[ArchetypeMatch, ...]
    truncated: bool = False
    reason: str | None = None

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
            text = "Found " + "; ".join(f"{n} ×{c}" for n, c in counts.items()) + "."
        return text + (f" Incomplete: {self.reason}" if self.truncated else "")

    def __repr__(self) -> str:
        return self.summary()


class _Info:
    """Per-loop facts used by the predicates."""

    __slots__ = ("loop", "idx", "nodes", "links", "out", "into", "delayed_links", "pos")

    def __init__(self, loop: Loop, idx: int) -> None:
        self.loop, self.idx = loop, idx
        self.nodes = frozenset(loop.variables)
        self.links = frozenset(loop.links)
        self.pos = {v: i for i, v in enumerate(loop.variables)}
        n = loop.length
        self.out = {loop.variables[i]: loop.signs[i] for i in range(n)}
        self.into = {loop.variables[(i + 1) % n]: loop.signs[i] for i in range(n)}
        self.delayed_links = frozenset(loop.delays)

    def after(self, v: Any) -> Any:
        seq = self.loop.variables
        return seq[(self.pos[v] + 1) % len(seq)]

    def before(self, v: Any) -> Any:
        seq = self.loop.variables
        return seq[self.pos[v] - 1]

    def walk(self, start: Any) -> list[Any]:
        seq = self.loop.variables
        i = self.pos[start]
        return list(seq[i:] + seq[:i])


class _Finder:
    def __init__(self, graph: nx.DiGraph, loops: LoopList, max_matches: int, deadline: float):
        self.g = graph
        self.info = [_Info(lp, i) for i, lp in enumerate(x for x in loops if x.polarity in "RB")]
        self.R = [i for i in self.info if i.loop.polarity == "R"]
        self.B = [i for i in self.info if i.loop.polarity == "B"]
        self.by_node: dict[Any, list[_Info]] = defaultdict(list)
        for inf in self.info:
            for v in inf.nodes:
                self.by_node[v].append(inf)
        on_loop = set(self.by_node)
        self.exogenous = {v for v in graph if v not in on_loop and graph.in_degree(v) == 0}
        self.matches: list[ArchetypeMatch] = []
        self.max_matches, self.deadline = max_matches, deadline
        self.counts: dict[str, int] = defaultdict(int)
        self.capped: set[str] = set()
        self.timed_out = False

    def lab(self, v: Any) -> str:
        return str(self.g.nodes[v].get("label", v))

    def add(self, key: str, roles: dict[str, Any], loops: Iterable[_Info], why: str) -> bool:
        """Record a match; return False when a bound says stop looking for ``key``."""
        if self.timed_out:
            return False
        if self.counts[key] >= self.max_matches:
            self.capped.add(key)
            return False
        self.matches.append(ArchetypeMatch(key, roles, tuple(i.loop.id for i in loops), why))
        self.counts[key] += 1
        if time.perf_counter() > self.deadline:
            self.timed_out = True
            return False
        return True

    def stopped(self) -> str | None:
        """Why the search is incomplete, or None."""
        if self.timed_out:
            return "stopped at the time limit (time_limit)."
        if self.capped:
            names = ", ".join(ARCHETYPES[k][0] for k in ARCHETYPES if k in self.capped)
            return f"stopped after {self.max_matches} matches of {names} (max_matches)."
        return None

    def touching(self, inf: _Info, polarity: str) -> list[_Info]:
        """Loops of ``polarity`` sharing at least one variable with ``inf``."""
        seen: dict[int, _Info] = {}
        for v in inf.loop.variables:
            for other in self.by_node[v]:
                if other is not inf and other.loop.polarity == polarity:
                    seen[other.idx] = other
        return [seen[k] for k in sorted(seen)]

    def pairs_sharing_one(self, pool: list[_Info]) -> Iterator[tuple[_Info, _Info, Any]]:
        for a, b in itertools.combinations(pool, 2):
            common = a.nodes & b.nodes
            if len(common) == 1:
                yield a, b, next(iter(common))

    # ARC-1
    def fixes_that_fail(self) -> None:
        for b in self.B:
            for r in self.touching(b, "R"):
                shared = b.links & r.links
                extra_delay = r.delayed_links - b.links
                if not shared or not extra_delay:
                    continue
                links = r.loop.links
                k = next(i for i, lk in enumerate(links)
                         if lk in shared and links[i - 1] not in shared)
                j = k
                while links[(j + 1) % len(links)] in shared:
                    j += 1
                problem, fix = links[k][0], links[j % len(links)][1]
                run = [links[(i) % len(links)][0] for i in range(k, j + 1)] + [fix]
                side = r.after(fix)
                d = sorted(extra_delay, key=str)[0]
                what = "link" if len(run) == 2 else "path"
                why = (f"{b.loop.id} and {r.loop.id} share the {what} "
                       f"{' → '.join(self.lab(v) for v in run)}: "
                       f"{self.lab(fix)} is the fix that fails. It relieves "
                       f"{self.lab(problem)} in {b.loop.id}, while {r.loop.id} feeds it back "
                       f"through {self.lab(side)} with a delay ({self.lab(d[0])} ‖ "
                       f"{self.lab(d[1])}) that {b.loop.id} lacks.")
                roles = {"problem": problem, "fix": fix, "side effect": side}
                if not self.add("fixes_that_fail", roles, (b, r), why):
                    return

    # ARC-2
    def shifting_the_burden(self) -> None:
        for a, b, x in self.pairs_sharing_one(self.B):
            if a.out[x] != b.out[x] or a.into[x] != b.into[x]:
                continue
            if a.loop.delayed == b.loop.delayed:
                continue
            fast, slow = (a, b) if b.loop.delayed else (b, a)
            for r in self.R:
                if (r.nodes & (fast.nodes - {x})) and (r.nodes & (slow.nodes - {x})):
                    sym, fund = fast.after(x), slow.after(x)
                    side = next((v for v in r.loop.variables
                                 if v not in fast.nodes | slow.nodes), None)
                    roles = {"problem symptom": x, "symptomatic fix": sym,
                             "fundamental solution": fund}
                    if side is not None:
                        roles["side effect"] = side
                    why = (f"{fast.loop.id} and {slow.loop.id} are balancing loops sharing only "
                           f"{self.lab(x)}, with the same signs leaving and entering it; only "
                           f"{slow.loop.id} (via {self.lab(fund)}) is delayed, and "
                           f"{r.loop.id} links the quick fix {self.lab(sym)} to the "
                           "fundamental solution, eroding it.")
                    if not self.add("shifting_the_burden", roles, (fast, slow, r), why):
                        return
                    break

    # ARC-3 and ARC-8
    def limits_to_growth(self, underinvestment: bool = False) -> None:
        key = "growth_and_underinvestment" if underinvestment else "limits_to_growth"
        for r in self.R:
            for b in self.touching(r, "B"):
                shared = [v for v in r.loop.variables if v in b.nodes]
                x = shared[0]
                grow = next((v for v in r.walk(x) if v not in b.nodes), None)
                slow = next((v for v in b.walk(x) if v not in r.nodes), None)
                roles = {"performance": x}
                if grow is not None:
                    roles["growing action"] = grow
                if slow is not None:
                    roles["slowing action"] = slow
                if underinvestment:
                    if not self._underinvestment(r, b, roles):
                        return
                    continue
                strength = []
                if b.loop.delayed:
                    strength.append(f"{b.loop.id} is delayed")
                limits = sorted((c for c in self.exogenous for v in b.nodes - r.nodes
                                 if self.g.has_edge(c, v)), key=str)
                if limits:
                    roles["constraint"] = limits[0]
                    strength.append(f"{self.lab(limits[0])} constrains it from outside")
                why = (f"Reinforcing {r.loop.id} and balancing {b.loop.id} share "
                       f"{self.lab(x)}: growth through {r.loop.id} meets the limit of "
                       f"{b.loop.id}")
                why += (" (" + " and ".join(strength) + ")." if strength
                        else " (a weak signature: no delay or outside constraint on the limit).")
                if not self.add(key, roles, (r, b), why):
                    return

    def _underinvestment(self, r: _Info, b: _Info, roles: dict[str, Any]) -> bool:
        for b2 in self.touching(b, "B"):
            if not b2.loop.delayed or b2.nodes & r.nodes:
                continue  # the underinvestment loop lies outside the growth engine
            perf = next(v for v in b.loop.variables if v in b2.nodes)
            d = sorted(b2.loop.delays, key=str)[0]
            full = {"growing action": roles.get("growing action"), "demand": roles["performance"],
                    "performance": perf, "capacity": d[1]}
            standard = sorted((c for c in self.exogenous for v in b2.nodes
                               if self.g.has_edge(c, v)), key=str)
            if standard:
                full["standard"] = standard[0]
            full = {k: v for k, v in full.items() if v is not None}
            why = (f"Limits to Growth ({r.loop.id} with {b.loop.id}) plus a second, delayed "
                   f"balancing loop {b2.loop.id} through {self.lab(perf)}: investment in "
                   f"{self.lab(d[1])} arrives late, so performance sags and growth stalls.")
            if not self.add("growth_and_underinvestment", full, (r, b, b2), why):
                return False
        return True

    # ARC-4
    def tragedy_of_the_commons(self) -> None:
        for b1, b2 in itertools.combinations(self.B, 2):
            common = b1.nodes & b2.nodes
            if len(common) < 2:
                continue
            for r1 in self.touching(b1, "R"):
                r2 = next((r for r in self.touching(b2, "R")
                           if r is not r1 and not (r.nodes & r1.nodes)), None)
                if r2 is None:
                    continue
                act1 = self._leaving(r1, b1)
                act2 = self._leaving(r2, b2)
                order = [v for v in b1.walk(act1) if v in common]
                roles = {"activity A": act1, "activity B": act2, "total activity": order[0],
                         "gain per activity": order[-1]}
                why = (f"Reinforcing loops {r1.loop.id} and {r2.loop.id} share no variable, "
                       f"but each drives its own balancing loop ({b1.loop.id}, {b2.loop.id}) "
                       f"and those share {len(common)} variables "
                       f"({', '.join(self.lab(v) for v in order)}): a common resource.")
                if not self.add("tragedy_of_the_commons", roles, (r1, r2, b1, b2), why):
                    return
                break

    @staticmethod
    def _leaving(r: _Info, b: _Info) -> Any:
        """The variable where loop ``b`` leaves loop ``r`` (else the first shared one)."""
        shared = [v for v in r.loop.variables if v in b.nodes]
        return next((v for v in shared if b.after(v) not in r.nodes), shared[0])

    # ARC-5, ARC-6, ARC-7
    def two_loop_pairs(self) -> None:
        for pool, polarity in ((self.R, "R"), (self.B, "B")):
            for a, b, x in self.pairs_sharing_one(pool):
                out_opp, in_opp = a.out[x] != b.out[x], a.into[x] != b.into[x]
                if polarity == "R" and out_opp and in_opp:
                    pa, pb = (a, b) if a.out[x] == "+" else (b, a)
                    roles = {"allocation": x, "resources A": pa.after(x),
                             "success A": pa.before(x), "resources B": pb.after(x),
                             "success B": pb.before(x)}
                    why = (f"Reinforcing {pa.loop.id} and {pb.loop.id} share only "
                           f"{self.lab(x)}, which feeds one side (+) and starves the other "
                           "(−): success in one loop takes resources from the other.")
                    ok = self.add("success_to_the_successful", roles, (pa, pb), why)
                elif polarity == "B" and out_opp and in_opp:
                    pa, pb = (a, b) if a.out[x] == "-" else (b, a)
                    roles = {"relative position": x, "activity A": pa.after(x),
                             "result A": pa.before(x), "activity B": pb.after(x),
                             "result B": pb.before(x)}
                    why = (f"Balancing {pa.loop.id} and {pb.loop.id} share only "
                           f"{self.lab(x)}, with opposite signs leaving and entering it: each "
                           "side answers the other's gain, so both escalate.")
                    ok = self.add("escalation", roles, (pa, pb), why)
                elif polarity == "B" and not out_opp and in_opp:
                    if a.loop.delayed and b.loop.delayed:
                        state, goal = (a, b) if a.into[x] == "-" else (b, a)
                    elif a.loop.delayed or b.loop.delayed:
                        state, goal = (a, b) if a.loop.delayed else (b, a)
                    else:
                        continue
                    roles = {"gap": x, "corrective action": state.after(x),
                             "state": state.before(x), "pressure to lower goal": goal.after(x),
                             "goal": goal.before(x)}
                    why = (f"Balancing {state.loop.id} (delayed, closing {self.lab(x)} by "
                           f"changing {self.lab(state.before(x))}) and {goal.loop.id} (closing "
                           f"it by lowering {self.lab(goal.before(x))}) share only "
                           f"{self.lab(x)}: the quick way to close the gap is to lower the goal.")
                    ok = self.add("eroding_goals", roles, (state, goal), why)
                else:
                    continue
                if not ok and (self.timed_out or {"success_to_the_successful", "escalation",
                                                  "eroding_goals"} <= self.capped):
                    return

    # ARC-9
    def accidental_adversaries(self) -> None:
        small = [r for r in self.R if r.loop.length == 2]
        for s1, s2 in itertools.combinations(small, 2):
            if s1.nodes & s2.nodes:
                continue
            four = s1.nodes | s2.nodes
            outer = next((r for r in self.R if r.loop.negatives == 0 and r.nodes & s1.nodes
                          and r.nodes & s2.nodes and r not in (s1, s2)
                          and len(r.nodes & four) == 2), None)
            cross = next((r for r in self.R if r.loop.negatives == 2 and four <= r.nodes), None)
            if outer is None or cross is None:
                continue
            sa = next(iter(outer.nodes & s1.nodes))
            sb = next(iter(outer.nodes & s2.nodes))
            roles = {"success A": sa, "own fix A": s1.after(sa), "success B": sb,
                     "own fix B": s2.after(sb), "help A to B": outer.after(sa),
                     "help B to A": outer.after(sb)}
            why = (f"{s1.loop.id} and {s2.loop.id} are each party's own reinforcing fix; "
                   f"{outer.loop.id} (no negative links) is their partnership through "
                   f"{self.lab(sa)} and {self.lab(sb)}; {cross.loop.id} (two negative links) "
                   "shows each party's own fix undermining the other's success.")
            if not self.add("accidental_adversaries", roles, (s1, s2, outer, cross), why):
                return


_ORDER = list(ARCHETYPES)


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
        Stop after this many matches of one archetype and report truncation.
    time_limit : float
        Seconds before stopping and reporting truncation.

    Returns
    -------
    ArchetypeResult
        Every match with role → variable bindings and a ``why`` sentence,
        largest signature first (ARC-10), then by archetype order and loop ids.

    Raises
    ------
    GraphError
        The graph is not a valid CLD, or ``only`` names an unknown archetype.

    Notes
    -----
    Senge (1990); Kim (1992); Kim & Lannon (1997).  Predicates ARC-1 … ARC-9
    are workbook rules; Limits to Growth is a weak signature that fires for
    every reinforcing loop sharing a variable with a balancing loop.

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
    finder = _Finder(graph, loops, max_matches, time.perf_counter() + time_limit)
    steps = {
        "fixes_that_fail": finder.fixes_that_fail,
        "shifting_the_burden": finder.shifting_the_burden,
        "limits_to_growth": finder.limits_to_growth,
        "growth_and_underinvestment": lambda: finder.limits_to_growth(underinvestment=True),
        "tragedy_of_the_commons": finder.tragedy_of_the_commons,
        "accidental_adversaries": finder.accidental_adversaries,
    }
    pair_keys = {"success_to_the_successful", "escalation", "eroding_goals"}
    for key in keys:
        if finder.timed_out:
            break
        if key in steps:
            steps[key]()
    if pair_keys & set(keys) and not finder.timed_out:
        finder.two_loop_pairs()
    matches = [m for m in finder.matches if m.archetype in keys]
    matches.sort(key=lambda m: (-m.size, -len(set(m.roles.values())),
                                _ORDER.index(m.archetype), m.loops))
    stopped = finder.stopped()
    truncated = bool(stopped) or loops.truncated
    reason = stopped or (f"the loop list was incomplete: {loops.reason}"
                                if loops.truncated else None)
    return ArchetypeResult(tuple(matches), truncated, reason)
