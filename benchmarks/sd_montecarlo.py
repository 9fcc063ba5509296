"""1,000 Monte Carlo runs of the Wiltshire model (target < 5 s on 2 cores).

Compares ``sd.monte_carlo`` (Latin hypercube, ProcessPoolExecutor, model
loaded once per worker) with a plain loop over ``model.run``.  Prints the
median of the repeats, the ratio and the machine.

Run: ``python benchmarks/sd_montecarlo.py [n] [repeats]``
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from stp_helpers.sd import load_model, monte_carlo, sample_parameters, triangular, uniform

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl"
DISTRIBUTIONS = {
    "early help reach": uniform(0.2, 0.9),
    "early help effectiveness": triangular(0.1, 0.4, 0.6),
    "crisis onset rate": triangular(0.03, 0.05, 0.08),
    "crisis duration": uniform(2, 8),
}
OUTPUTS = ["In crisis", "total agency contacts"]


def main(n: int = 1000, repeats: int = 3) -> None:
    model = load_model(MODEL)
    params = {"early help switch": 1}
    print(f"sd_montecarlo: {n} runs of {model.name}, median of {repeats} repeats "
          f"(target < 5 s on 2 cores)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = monte_carlo(model, DISTRIBUTIONS, n=n, seed=2024, outputs=OUTPUTS, workers=2,
                             params=params)
        times.append(time.perf_counter() - start)
    parallel = statistics.median(times)
    assert result.n_failed == 0
    samples = sample_parameters(DISTRIBUTIONS, n, seed=2024)
    loop_n = min(n, 200)
    start = time.perf_counter()
    for _, row in samples.iloc[:loop_n].iterrows():
        model.run(params={**params, **row.to_dict()}, return_columns=OUTPUTS)
    loop = (time.perf_counter() - start) * n / loop_n
    print(f"  monte_carlo (2 workers): {parallel:6.2f} s  "
          f"{'ok' if parallel < 5 else 'SLOW'}")
    print(f"  plain loop over model.run (timed on {loop_n} runs, scaled to {n}): {loop:6.2f} s")
    print(f"  speed-up: {loop / parallel:4.1f}x")
    bands = result.bands()
    last = bands[bands.variable == "In crisis"].iloc[-1]
    print(f"  In crisis at month 240: median {last.p50:.1f}, 5-95% {last.p5:.1f} to "
          f"{last.p95:.1f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
