"""Monte Carlo of the Wiltshire model: the ensemble engine against a plain loop over PySD.

Side by side, in one process:

1. 1,000 runs (Latin hypercube, seed 2024) with ``sd.monte_carlo`` on its
   default path, the ensemble engine (all runs at once over NumPy arrays,
   in the calling process), against a plain loop over PySD's own
   ``run`` on one loaded model (``model.pysd.run(params=...)``, no reload:
   every run sets the same parameters).  Goal: at least 50× faster.  The
   two are compared value by value (maximum relative difference).
2. 1,000 runs with the same study on 2 worker processes, one run at a time
   (``vectorise=False``): the path the engine replaces.
3. 100,000 runs streamed to a Parquet file by ``monte_carlo_to_parquet``
   on the engine (default chunks of 1,000 runs, one row group each).
   Goal: at most 30 s.

Prints wall times (median of ``repeats`` for the engine), the ratios, the
machine and its load average before and after.  Asserts nothing.

Run: ``python benchmarks/sd_montecarlo.py [n] [repeats] [n_parquet]``
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from stp_helpers.sd import load_model, monte_carlo, sample_parameters, triangular, uniform
from stp_helpers.sd.parquet import monte_carlo_to_parquet

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl"
DISTRIBUTIONS = {
    "early help reach": uniform(0.2, 0.9),
    "early help effectiveness": triangular(0.1, 0.4, 0.6),
    "crisis onset rate": triangular(0.03, 0.05, 0.08),
    "crisis duration": uniform(2, 8),
}
OUTPUTS = ["In crisis", "total agency contacts"]
PARAMS = {"early help switch": 1}
SEED = 2024


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def plain_loop(model, n: int) -> tuple[float, np.ndarray]:
    """A loop over PySD's own ``run`` on one loaded model; returns (seconds, values)."""
    samples = sample_parameters(DISTRIBUTIONS, n, seed=SEED)
    py = {k: model.info(k).py_name for k in [*samples.columns, *PARAMS]}
    columns = [model.info(c).py_name for c in OUTPUTS]
    pm = model.pysd
    out = np.empty((n, 0, len(OUTPUTS)))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, row in enumerate(samples.itertuples(index=False)):
            params = {py[k]: v for k, v in PARAMS.items()}
            params.update({py[k]: float(v) for k, v in zip(samples.columns, row)})
            frame = pm.run(params=params, return_columns=columns)
            if i == 0:
                out = np.empty((n, len(frame), len(OUTPUTS)))
            out[i] = frame.to_numpy(float)
    seconds = time.perf_counter() - start
    model.reset()
    return seconds, out


def main(n: int = 1000, repeats: int = 3, n_parquet: int = 100_000) -> None:
    print(f"sd_montecarlo: {n:,} runs of the Wiltshire model ({MODEL.relative_to(REPO)}), "
          f"seed {SEED}, outputs {', '.join(OUTPUTS)}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {load()} (1, 5, 15 min)")
    model = load_model(MODEL)
    monte_carlo(model, DISTRIBUTIONS, n=10, seed=SEED, outputs=OUTPUTS, params=PARAMS)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = monte_carlo(model, DISTRIBUTIONS, n=n, seed=SEED, outputs=OUTPUTS,
                             params=PARAMS)
        times.append(time.perf_counter() - start)
    engine = statistics.median(times)
    loop, looped = plain_loop(model, n)
    scale = np.maximum(np.abs(looped), 1e-300)
    rel = float(np.max(np.abs(result.values - looped) / scale))
    start = time.perf_counter()
    pooled = monte_carlo(model, DISTRIBUTIONS, n=n, seed=SEED, outputs=OUTPUTS, params=PARAMS,
                         workers=2, vectorise=False)
    pool = time.perf_counter() - start
    same = np.array_equal(pooled.values, result.values)
    print(f"  1. ensemble engine ({result.engine}, median of {repeats}): {engine:7.3f} s  "
          f"({n / engine:,.0f} runs/s, {result.n_failed} failed)")
    print(f"     plain loop over PySD's run (one model, no reload):   {loop:7.3f} s  "
          f"({loop / n * 1000:.2f} ms per run)")
    print(f"     speed-up: {loop / engine:5.0f}x  (goal >= 50x: "
          f"{'met' if loop / engine >= 50 else 'NOT met'}); largest relative difference "
          f"from PySD: {rel:.1e}")
    print(f"  2. per run on 2 worker processes (vectorise=False):    {pool:7.3f} s  "
          f"(engine {pool / engine:.0f}x faster; same numbers bit for bit: {same})")
    with tempfile.TemporaryDirectory(prefix="sd-mc-") as tmp:
        path = Path(tmp) / "runs.parquet"
        start = time.perf_counter()
        stored = monte_carlo_to_parquet(model, DISTRIBUTIONS, n_parquet, SEED, path,
                                        outputs=OUTPUTS, params=PARAMS, progress=False)
        wall = time.perf_counter() - start
        size = path.stat().st_size / 1e6
    print(f"  3. {n_parquet:,} runs streamed to Parquet on the engine: {wall:7.2f} s  "
          f"({n_parquet / wall:,.0f} runs/s, {size:.0f} MB, {stored.n_failed} failed; goal "
          f"<= 30 s: {'met' if wall <= 30 else 'NOT met'})")
    bands = result.bands()
    last = bands[bands.variable == "In crisis"].iloc[-1]
    print(f"  In crisis at month 240 ({n:,} runs): median {last.p50:.1f}, 5-95% {last.p5:.1f} "
          f"to {last.p95:.1f}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
