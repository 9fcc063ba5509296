"""Benchmark: loops, archetypes and rankings of a 110-variable CLD; CSV import.

Targets (style.md §11): all loops up to length 8 with polarities, archetypes
and rankings of a 110-variable, 300-link map in under 1 s, and of a
100-variable map shaped like published system maps (one large strongly
connected core, no delayed links; ~900 loops up to length 8); import of a
1,000-variable CSV in under 1 s.  Loop counts and times are also reported at
length bounds 6, 8 and 10 (bounded in count and time, so never hanging).

Run: ``python benchmarks/cld_loops.py [--repeats 5]``.  Prints the median of
the repeats and the machine.  Writes nothing outside a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from stp_helpers import cld
from stp_helpers.cld.archetypes import find_archetypes
from stp_helpers.io.cld_csv import read_cld_csv

SEED = 20240611


def random_cld(n: int, m: int, seed: int = SEED) -> nx.DiGraph:
    """Return a reproducible random CLD: ``n`` variables, ``m`` links, 40 % negative, 20 % delayed."""
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    out = nx.DiGraph()
    for v in graph:
        out.add_node(f"v{v:04d}", label=f"variable {v}", description="")
    for u, v in graph.edges:
        out.add_edge(f"v{u:04d}", f"v{v:04d}", polarity="-" if rng.random() < 0.4 else "+",
                     delay=rng.random() < 0.2, note="")
    return out


def core_cld(n: int = 100, m: int = 230, core: int = 70, seed: int = SEED + 2) -> nx.DiGraph:
    """Return a map like published system maps: one strongly connected core, no delays.

    ``core`` variables form a ring (so one large strongly connected component);
    the other ``n - core`` hang off it as causes or effects; further links join
    random core variables until there are ``m``.  35 % negative, none delayed.
    """
    rng = random.Random(seed)
    names = [f"v{i:03d}" for i in range(n)]
    out = nx.DiGraph()
    for i, v in enumerate(names):
        out.add_node(v, label=f"variable {i}", description="")

    def link(u: str, v: str) -> None:
        if u != v and not out.has_edge(u, v):
            out.add_edge(u, v, polarity="-" if rng.random() < 0.35 else "+", delay=False, note="")

    ring = names[:core]
    for i in range(core):
        link(ring[i], ring[(i + 1) % core])
    for v in names[core:]:
        if rng.random() < 0.5:
            link(v, rng.choice(ring))
        else:
            link(rng.choice(ring), v)
    while out.number_of_edges() < m:
        link(rng.choice(ring), rng.choice(ring))
    return out


def median_time(func: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def full_analysis(graph: nx.DiGraph) -> tuple[Any, Any, Any]:
    loops = cld.find_loops(graph, length_bound=8)
    archetypes = find_archetypes(graph, loops)
    ranking = cld.rank_variables(graph, loops)
    return loops, archetypes, ranking


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    r = args.repeats
    print(f"machine: {platform.platform()}; {platform.processor() or platform.machine()}; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}; "
          f"networkx {nx.__version__}")
    print(f"seed {SEED}; median of {r} repeats\n")

    graph = random_cld(110, 300)
    seconds, (loops, archetypes, ranking) = median_time(lambda: full_analysis(graph), r)
    print(f"110 variables, 300 links: loops ≤ 8 + polarities + archetypes + rankings: "
          f"{seconds:.3f} s (target < 1 s)")
    print(f"  {loops.summary()}")
    print(f"  {archetypes.summary()}")
    print(f"  top variable: {ranking.iloc[0]['sentence']}")
    t_all, every = median_time(lambda: find_archetypes(graph, loops, max_matches=10**9,
                                                       time_limit=60.0), 1)
    print(f"  all archetype matches without the per-archetype cap (1 run): {len(every):,} in "
          f"{t_all:.3f} s")
    t_fvs, cut = median_time(lambda: cld.feedback_vertex_set(graph), r)
    print(f"  feedback vertex set: {len(cut.variables)} variables "
          f"({'exact' if cut.exact else 'approximate'}) in {t_fvs:.3f} s\n")

    real = core_cld()
    scc = max(len(c) for c in nx.strongly_connected_components(real))
    seconds, (loops, archetypes, ranking) = median_time(lambda: full_analysis(real), r)
    print(f"{real.number_of_nodes()} variables, {real.number_of_edges()} links, core of {scc}, "
          f"no delayed links: loops ≤ 8 + archetypes + rankings: {seconds:.3f} s "
          f"(target < 1 s)")
    print(f"  {loops.summary()}")
    print(f"  {archetypes.summary()}\n")

    for bound in (6, 8, 10):
        t, found = median_time(lambda b=bound: cld.find_loops(graph, length_bound=b,
                                                             max_loops=200_000,
                                                             time_limit=10.0), r)
        flag = f" (truncated: {found.reason})" if found.truncated else ""
        print(f"length bound {bound:>2}: {len(found):>6} loops "
              f"({found.count('R')} R, {found.count('B')} B) in {t:.3f} s{flag}")

    big = random_cld(1_000, 3_000, seed=SEED + 1)
    with tempfile.TemporaryDirectory() as folder:
        path, variables = Path(folder) / "cld.csv", Path(folder) / "cld_variables.csv"
        lines = ["from,to,polarity,delay,note"] + [
            f"{u},{v},{d['polarity']},{'yes' if d['delay'] else 'no'},"
            for u, v, d in big.edges(data=True)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        variables.write_text("id,label,description\n" + "".join(
            f"{v},{d['label']},\n" for v, d in big.nodes(data=True)), encoding="utf-8")
        t_csv, imported = median_time(lambda: read_cld_csv(path, variables), r)
    g = imported.graph
    print(f"\nimport of a links CSV + variables CSV with {g.number_of_nodes():,} variables and "
          f"{g.number_of_edges():,} links: {t_csv:.3f} s (target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
