"""The archetype predicates ARC-1 … ARC-9 (methods.md §2.5), searched over a loop list.

:class:`ArchetypeSearch` tests each archetype's loop signature on pairs (or
triples) of loops and records every raw match with its role bindings, a fit
score, a confidence and a reason.  Grouping, ranking and capping (ARC-10) are
done by :func:`stp_helpers.cld.archetypes.find_archetypes`.

Every search loop checks the deadline; steps that need a delayed link are
skipped when the map has none.

Examples
--------
>>> from stp_helpers.cld import build_cld, find_loops
>>> g, _ = build_cld([("backlog", "overtime", "+"), ("overtime", "backlog", "-"),
...                   ("overtime", "fatigue", "+", True), ("fatigue", "backlog", "+")])
>>> search = ArchetypeSearch(g, find_loops(g), raw_limit=100, deadline=float("inf"))
>>> search.fixes_that_fail()
>>> search.matches[0].roles
{'problem': 'backlog', 'fix': 'overtime', 'side effect': 'fatigue'}
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from stp_helpers.cld.loops import Loop, LoopList

__all__ = ["ARCHETYPES", "ArchetypeMatch", "ArchetypeSearch", "LoopFacts"]

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

_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class ArchetypeMatch:
    """One archetype instance found in a diagram.

    Parameters
    ----------
    archetype : str
        Key in :data:`ARCHETYPES`, e.g. ``"fixes_that_fail"``.
    roles : dict
        Template role → variable id, e.g. ``{"problem": "U", "fix": "C"}``; no
        variable plays two roles.
    loops : tuple of str
        Ids of the loops in the best-fitting signature.
    why : str
        Why the predicate holds, in a sentence.
    confidence, reason : str
        ``"high"``, ``"medium"`` or ``"low"``, and why, in a short phrase.
    fit : float
        Ranking score: signature size, the template's delay, constraints.
    variants : tuple of tuple of str
        Loop ids of every path through which the same instance was found.
    """

    archetype: str
    roles: dict[str, Any]
    loops: tuple[str, ...]
    why: str
    confidence: str = "medium"
    reason: str = ""
    fit: float = 0.0
    variants: tuple[tuple[str, ...], ...] = field(default=())

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

    @property
    def paths(self) -> int:
        """How many loop combinations show this same instance."""
        return max(1, len(self.variants))

    def sentence(self) -> str:
        """Return the name, loops, confidence and reason as one line."""
        more = f"; also through {self.paths - 1} other path(s)" if self.paths > 1 else ""
        return (f"{self.name} ({', '.join(self.loops)}; {self.confidence} confidence: "
                f"{self.reason}{more}): {self.why}")


class LoopFacts:
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
        """The variable after ``v`` on the loop."""
        return self.loop.variables[(self.pos[v] + 1) % len(self.loop.variables)]

    def before(self, v: Any) -> Any:
        """The variable before ``v`` on the loop."""
        seq = self.loop.variables
        return seq[self.pos[v] - 1]

    def walk(self, start: Any) -> list[Any]:
        """The loop's variables starting at ``start``."""
        seq = self.loop.variables
        i = self.pos[start]
        return list(seq[i:] + seq[:i])


def _sign(signs: Sequence[str]) -> str:
    return "-" if sum(s == "-" for s in signs) % 2 else "+"


class ArchetypeSearch:
    """Raw matches of the nine predicates on one loop list, within a deadline."""

    def __init__(self, graph: nx.DiGraph, loops: LoopList, raw_limit: int, deadline: float):
        self.g = graph
        self.info = [LoopFacts(lp, i) for i, lp in enumerate(x for x in loops if x.polarity in "RB")]
        self.R = [i for i in self.info if i.loop.polarity == "R"]
        self.B = [i for i in self.info if i.loop.polarity == "B"]
        self.by_node: dict[Any, list[LoopFacts]] = defaultdict(list)
        for inf in self.info:
            for v in inf.nodes:
                self.by_node[v].append(inf)
        on_loop = set(self.by_node)
        self.exogenous = {v for v in graph if v not in on_loop and graph.in_degree(v) == 0}
        self.has_delays = any(inf.delayed_links for inf in self.info)
        self.matches: list[ArchetypeMatch] = []
        self.raw_limit, self.deadline = raw_limit, deadline
        self.counts: dict[str, int] = defaultdict(int)
        self.capped: set[str] = set()
        self.timed_out = False
        self._touching: dict[tuple[int, str], list[LoopFacts]] = {}
        self._feeding: dict[frozenset, list[Any]] = {}

    def lab(self, v: Any) -> str:
        """A variable's label."""
        return str(self.g.nodes[v].get("label", v))

    def late(self) -> bool:
        """True (and remembered) once the deadline has passed."""
        if not self.timed_out and time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def add(self, key: str, roles: dict[str, Any], loops: Sequence[LoopFacts], why: str,
            level: int, reason: str, fit: float) -> bool:
        """Record a coherent match; return False when the search for ``key`` must stop."""
        if self.late():
            return False
        if len(set(roles.values())) < len(roles):
            return True  # a variable in two roles does not read as the archetype
        if self.counts[key] >= self.raw_limit:
            self.capped.add(key)
            return False
        ids = tuple(i.loop.id for i in loops)
        self.matches.append(ArchetypeMatch(key, roles, ids, why, _LEVELS[level], reason,
                                           fit + len(loops), (ids,)))
        self.counts[key] += 1
        return True

    def touching(self, inf: LoopFacts, polarity: str) -> list[LoopFacts]:
        """Loops of ``polarity`` sharing at least one variable with ``inf`` (cached)."""
        key = (inf.idx, polarity)
        if key not in self._touching:
            seen: dict[int, LoopFacts] = {}
            for v in inf.loop.variables:
                for other in self.by_node[v]:
                    if other is not inf and other.loop.polarity == polarity:
                        seen[other.idx] = other
            self._touching[key] = [seen[k] for k in sorted(seen)]
        return self._touching[key]

    def feeding(self, nodes: frozenset) -> list[Any]:
        """Exogenous variables with a link into ``nodes`` (cached)."""
        if nodes not in self._feeding:
            self._feeding[nodes] = sorted({c for c in self.exogenous for v in nodes
                                           if self.g.has_edge(c, v)}, key=str)
        return self._feeding[nodes]

    def pairs_sharing_one(self, pool: list[LoopFacts]) -> Iterator[tuple[LoopFacts, LoopFacts, Any]]:
        """Pairs of loops in ``pool`` sharing exactly one variable, until the deadline."""
        for a, b in itertools.combinations(pool, 2):
            if self.late():
                return
            common = a.nodes & b.nodes
            if len(common) == 1:
                yield a, b, next(iter(common))

    # ARC-1
    def fixes_that_fail(self) -> None:
        """Fixes that Fail: a B and an R loop share links; the R loop alone is delayed."""
        if not self.has_delays:
            return
        for b in self.B:
            if self.late():
                return
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
                fix = links[j % len(links)][1]
                run = [links[i % len(links)][0] for i in range(k, j + 1)] + [fix]
                signs = [r.loop.signs[i % len(links)] for i in range(k, j + 1)]
                # The problem prompts the fix (+): the latest start on the shared run with a
                # positive path to the fix, so an unmet need is never named as the fix.
                start = next((i for i in range(len(signs)) if _sign(signs[i:]) == "+"), None)
                if start is None:
                    continue
                problem, run = run[start], run[start:]
                side = r.after(fix)
                d = sorted(extra_delay, key=str)[0]
                on_side = (fix, side) in extra_delay
                what = "link" if len(run) == 2 else "path"
                why = (f"{b.loop.id} and {r.loop.id} share the {what} "
                       f"{' → '.join(self.lab(v) for v in run)}: {self.lab(problem)} calls for "
                       f"{self.lab(fix)}, and {self.lab(fix)} is the fix that fails: it relieves "
                       f"{self.lab(problem)} in {b.loop.id}, while {r.loop.id} brings it back "
                       f"through {self.lab(side)} with a delay "
                       f"({self.lab(d[0])} ‖ {self.lab(d[1])}) that {b.loop.id} lacks.")
                reason = ("the delay sits on the fix's side effect, as in the template" if on_side
                          else "the delay is further round the side-effect loop")
                roles = {"problem": problem, "fix": fix, "side effect": side}
                if not self.add("fixes_that_fail", roles, (b, r), why, 2 if on_side else 1,
                                reason, 1.0 if on_side else 0.5):
                    return

    # ARC-2
    def shifting_the_burden(self) -> None:
        """Shifting the Burden: two B loops share one variable; one is delayed; an R joins them."""
        if not self.has_delays:
            return
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
                    level, reason = ((2, "the quick fix has a side effect eroding the solution")
                                     if side is not None else
                                     (1, "no separate side-effect variable"))
                    if not self.add("shifting_the_burden", roles, (fast, slow, r), why, level,
                                    reason, float(level)):
                        return
                    break

    # ARC-3
    def limits_to_growth(self) -> None:
        """Limits to Growth: an R and a B loop share a variable (weak signature)."""
        for r in self.R:
            if self.late():
                return
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
                strength = []
                if b.loop.delayed:
                    strength.append(f"{b.loop.id} is delayed")
                limits = self.feeding(b.nodes - r.nodes)
                if limits:
                    roles["constraint"] = limits[0]
                    strength.append(f"{self.lab(limits[0])} constrains it from outside")
                why = (f"Reinforcing {r.loop.id} and balancing {b.loop.id} share "
                       f"{self.lab(x)}: growth through {r.loop.id} meets the limit of "
                       f"{b.loop.id}")
                why += (" (" + " and ".join(strength) + ")." if strength
                        else " (a weak signature: no delay or outside constraint on the limit).")
                reason = " and ".join(strength) if strength else "a shared variable only"
                if not self.add("limits_to_growth", roles, (r, b), why, len(strength), reason,
                                len(strength) - 0.1 * len(shared)):
                    return

    # ARC-8
    def growth_and_underinvestment(self) -> None:
        """Limits to Growth plus a delayed B loop (investment) through the first B loop."""
        if not self.has_delays:
            return
        for r in self.R:
            for b in self.touching(r, "B"):
                if self.late():
                    return
                x = next(v for v in r.loop.variables if v in b.nodes)
                grow = next((v for v in r.walk(x) if v not in b.nodes), None)
                for b2 in self.touching(b, "B"):
                    if not b2.loop.delayed or b2.nodes & r.nodes:
                        continue  # the underinvestment loop lies outside the growth engine
                    perf = next(v for v in b.loop.variables if v in b2.nodes)
                    d = sorted(b2.loop.delays, key=str)[0]
                    full = {"growing action": grow, "demand": x, "performance": perf,
                            "capacity": d[1]}
                    standard = self.feeding(b2.nodes)
                    if standard:
                        full["standard"] = standard[0]
                    full = {k: v for k, v in full.items() if v is not None}
                    why = (f"Limits to Growth ({r.loop.id} with {b.loop.id}) plus a second, "
                           f"delayed balancing loop {b2.loop.id} through {self.lab(perf)}: "
                           f"investment in {self.lab(d[1])} arrives late, so performance sags "
                           "and growth stalls.")
                    level = 2 if standard else 1
                    reason = ("a standard drives the investment" if standard
                              else "no outside standard for the investment")
                    if not self.add("growth_and_underinvestment", full, (r, b, b2), why, level,
                                    reason, float(level)):
                        return

    # ARC-4
    def tragedy_of_the_commons(self) -> None:
        """Two disjoint R loops, each with its own B loop; the B loops share two variables."""
        for b1, b2 in itertools.combinations(self.B, 2):
            if self.late():
                return
            common = b1.nodes & b2.nodes
            if len(common) < 2:
                continue
            for r1 in self.touching(b1, "R"):
                r2 = next((r for r in self.touching(b2, "R")
                           if r is not r1 and not (r.nodes & r1.nodes)), None)
                if r2 is None:
                    continue
                act1, act2 = self.leaving(r1, b1), self.leaving(r2, b2)
                order = [v for v in b1.walk(act1) if v in common]
                roles = {"activity A": act1, "activity B": act2, "total activity": order[0],
                         "gain per activity": order[-1]}
                why = (f"Reinforcing loops {r1.loop.id} and {r2.loop.id} share no variable, "
                       f"but each drives its own balancing loop ({b1.loop.id}, {b2.loop.id}) "
                       f"and those share {len(common)} variables "
                       f"({', '.join(self.lab(v) for v in order)}): a common resource.")
                delayed = b1.loop.delayed and b2.loop.delayed
                reason = ("the shared limit is delayed, as in the template" if delayed
                          else "the shared limit has no delay")
                if not self.add("tragedy_of_the_commons", roles, (r1, r2, b1, b2), why,
                                2 if delayed else 1, reason, 1.0 if delayed else 0.0):
                    return
                break

    @staticmethod
    def leaving(r: LoopFacts, b: LoopFacts) -> Any:
        """The variable where loop ``b`` leaves loop ``r`` (else the first shared one)."""
        shared = [v for v in r.loop.variables if v in b.nodes]
        return next((v for v in shared if b.after(v) not in r.nodes), shared[0])

    def sides_apart(self, a: LoopFacts, b: LoopFacts, x: Any) -> bool:
        """True when the two loops' variables other than ``x`` have no link between them."""
        return not any(self.g.has_edge(u, v) or self.g.has_edge(v, u)
                       for u in a.nodes - {x} for v in b.nodes - {x})

    # ARC-5, ARC-6, ARC-7
    def two_loop_pairs(self, keys: set[str]) -> None:
        """Success to the Successful, Escalation and Eroding Goals: two loops sharing one variable."""
        pools = [(self.R, "R")] if "success_to_the_successful" in keys else []
        if keys & {"escalation", "eroding_goals"}:
            pools.append((self.B, "B"))
        for pool, polarity in pools:
            for a, b, x in self.pairs_sharing_one(pool):
                out_opp, in_opp = a.out[x] != b.out[x], a.into[x] != b.into[x]
                if polarity == "R" and out_opp and in_opp:
                    pa, pb = (a, b) if a.out[x] == "+" else (b, a)
                    if pa.into[x] != "+":
                        continue  # success A must raise the allocation to A
                    roles = {"allocation": x, "resources A": pa.after(x),
                             "success A": pa.before(x), "resources B": pb.after(x),
                             "success B": pb.before(x)}
                    why = (f"Reinforcing {pa.loop.id} and {pb.loop.id} share only "
                           f"{self.lab(x)}, which feeds one side (+) and starves the other "
                           "(−): success in one loop takes resources from the other.")
                    apart = self.sides_apart(pa, pb, x)
                    ok = self.add("success_to_the_successful", roles, (pa, pb), why,
                                  2 if apart else 1, "the two sides meet only at the allocation"
                                  if apart else "the two sides are also linked directly",
                                  1.0 if apart else 0.0)
                elif polarity == "B" and out_opp and in_opp and "escalation" in keys:
                    pa, pb = (a, b) if a.out[x] == "-" else (b, a)
                    # x is "A's position over B": A's result raises it and it damps A's activity.
                    if pa.into[x] != "+" or not self.sides_apart(pa, pb, x):
                        continue  # one chain (e.g. a supply chain) is not two actors
                    roles = {"relative position": x, "activity A": pa.after(x),
                             "result A": pa.before(x), "activity B": pb.after(x),
                             "result B": pb.before(x)}
                    why = (f"Balancing {pa.loop.id} and {pb.loop.id} share only "
                           f"{self.lab(x)}, with opposite signs leaving and entering it: "
                           f"{self.lab(pa.after(x))} answers {self.lab(pb.before(x))} and "
                           f"{self.lab(pb.after(x))} answers {self.lab(pa.before(x))}, so both "
                           "escalate.")
                    ok = self.add("escalation", roles, (pa, pb), why, 2,
                                  "two sides meeting only at their relative position", 1.0)
                elif polarity == "B" and not out_opp and in_opp and "eroding_goals" in keys:
                    if not self.has_delays:
                        continue
                    if a.loop.delayed and b.loop.delayed:
                        state, goal = (a, b) if a.into[x] == "-" else (b, a)
                        level, reason = 1, "both loops are delayed"
                    elif a.loop.delayed or b.loop.delayed:
                        state, goal = (a, b) if a.loop.delayed else (b, a)
                        level, reason = 2, "only the state loop is delayed, as in the template"
                    else:
                        continue
                    roles = {"gap": x, "corrective action": state.after(x),
                             "state": state.before(x), "pressure to lower goal": goal.after(x),
                             "goal": goal.before(x)}
                    why = (f"Balancing {state.loop.id} (delayed, closing {self.lab(x)} by "
                           f"changing {self.lab(state.before(x))}) and {goal.loop.id} (closing "
                           f"it by lowering {self.lab(goal.before(x))}) share only "
                           f"{self.lab(x)}: the quick way to close the gap is to lower the goal.")
                    ok = self.add("eroding_goals", roles, (state, goal), why, level, reason,
                                  float(level))
                else:
                    continue
                if not ok and self.timed_out:
                    return

    # ARC-9
    def accidental_adversaries(self) -> None:
        """Two disjoint two-variable R loops joined by a positive R loop and a crossing one."""
        small = [r for r in self.R if r.loop.length == 2]
        for s1, s2 in itertools.combinations(small, 2):
            if self.late():
                return
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
            if not self.add("accidental_adversaries", roles, (s1, s2, outer, cross), why, 2,
                            "all six loops of the template", 2.0):
                return
