"""Monte Carlo at scale: the Wiltshire model streamed to Parquet, local vs Dask.

Runs ``monte_carlo_to_parquet`` (Latin hypercube, seed 2024, chunks of
1,000 runs) of ``data/cases/wiltshire-complex-needs/model.mdl`` with

* ``ensemble``: the default, every chunk at once on the ensemble engine in
  the calling process;
* ``local``: a 2-process ``ProcessPoolExecutor`` running one run at a time
  (``vectorise=False``, the path the engine replaces);
* ``dask``: a ``distributed.Client`` on a ``LocalCluster`` of 2 worker
  processes × 1 thread (dashboard off, 127.0.0.1 only), each chunk on the
  engine in a worker;
* ``memory`` (for contrast): in-memory ``monte_carlo`` on the engine,
  which holds every run.

Each mode runs in a fresh Python process, so the client's peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, a lifetime high-water
mark) is its own: "before" after loading the model, "run" after the
study, "+bands" after computing percentile bands (from the file, or in
memory).  For ``dask`` the client process also hosts the scheduler;
worker processes are not counted.  Prints wall time, runs
per second, peak RSS, the time to compute percentile bands from the file
and the machine, and a linear extrapolation to 100,000 runs when fewer
were run.  Asserts nothing.

Run: ``python benchmarks/sd_scale.py [n] [modes]``, e.g.
``python benchmarks/sd_scale.py 100000 ensemble,dask,memory`` (``local`` takes
about 9 minutes for 100,000 runs).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl"
OUTPUTS = ["In crisis", "total agency contacts"]
PARAMS = {"early help switch": 1}
SEED = 2024
CHUNK = 1000
WORKERS = 2


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _distributions():
    from stp_helpers.sd import triangular, uniform

    return {
        "early help reach": uniform(0.2, 0.9),
        "early help effectiveness": triangular(0.1, 0.4, 0.6),
        "crisis onset rate": triangular(0.03, 0.05, 0.08),
        "crisis duration": uniform(2, 8),
    }


def child(mode: str, n: int, folder: Path) -> dict:
    """Run one mode in this process; return its figures."""
    from stp_helpers.sd import load_model, monte_carlo
    from stp_helpers.sd.parquet import monte_carlo_to_parquet, parquet_bands

    model = load_model(MODEL)
    dists = _distributions()
    before = _peak_mb()
    out: dict = {"mode": mode, "n": n}
    path = folder / f"{mode}.parquet"
    if mode == "memory":
        start = time.perf_counter()
        result = monte_carlo(model, dists, n=n, seed=SEED, outputs=OUTPUTS, params=PARAMS,
                             progress=True)
        out["wall"] = time.perf_counter() - start
        out["failed"] = result.n_failed
        out["rss_run"] = _peak_mb()
        start = time.perf_counter()
        result.bands()
        out["bands"] = time.perf_counter() - start
    else:
        cluster = client = None
        if mode == "dask":
            from distributed import Client, LocalCluster

            start = time.perf_counter()
            cluster = LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                   dashboard_address=None, host="127.0.0.1")
            client = Client(cluster)
            out["startup"] = time.perf_counter() - start
        try:
            start = time.perf_counter()
            stored = monte_carlo_to_parquet(
                model, dists, n, SEED, path, outputs=OUTPUTS, executor=client,
                workers=None if mode == "ensemble" else WORKERS, chunk_size=CHUNK,
                params=PARAMS, progress=True, vectorise=mode != "local")
            out["wall"] = time.perf_counter() - start
        finally:
            if client is not None:
                client.close()
                cluster.close()
        out["failed"] = stored.n_failed
        out["file_mb"] = path.stat().st_size / 1e6
        out["rss_run"] = _peak_mb()
        start = time.perf_counter()
        parquet_bands(path)
        out["bands"] = time.perf_counter() - start
    out["rss_before"] = before
    out["rss_peak"] = _peak_mb()
    return out


def main(n: int = 100_000, modes: str = "ensemble,dask,memory") -> None:
    print(f"sd_scale: {n:,} runs of the Wiltshire model ({MODEL.relative_to(REPO)}), "
          f"{WORKERS} workers (local, dask), chunks of {CHUNK:,}, seed {SEED}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"{os.getloadavg()[0]:.1f} load, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="sd-scale-") as tmp:
        for mode in modes.split(","):
            proc = subprocess.run([sys.executable, __file__, "--child", mode, str(n), tmp],
                                  capture_output=True, text=True, check=False)
            line = next((x for x in proc.stdout.splitlines() if x.startswith("{")), None)
            if line is None:
                print(f"  {mode}: failed\n{proc.stderr[-2000:]}")
                continue
            rows.append(json.loads(line))
    print(f"  {'mode':<8}{'wall s':>9}{'runs/s':>9}{'RSS MB: before':>16}{'run':>6}"
          f"{'+bands':>8}{'file MB':>9}{'bands s':>9}{'failed':>8}")
    for r in rows:
        extra = f"  (+{r['startup']:.1f} s cluster start)" if "startup" in r else ""
        print(f"  {r['mode']:<8}{r['wall']:9.1f}{r['n'] / r['wall']:9.0f}{r['rss_before']:16.0f}"
              f"{r['rss_run']:6.0f}{r['rss_peak']:8.0f}{r.get('file_mb', float('nan')):9.1f}"
              f"{r['bands']:9.2f}{r['failed']:8d}{extra}")
    base = next((r for r in rows if r["mode"] == "ensemble"), None)
    for r in rows:
        if base is not None and r is not base:
            print(f"  {r['mode']} vs ensemble: {(r['n'] / r['wall']) / (base['n'] / base['wall']):.2f}"
                  f"x the runs per second")
    if n < 100_000:
        for r in rows:
            print(f"  extrapolated to 100,000 runs ({r['mode']}, linear in runs): "
                  f"{r['wall'] * 100_000 / n / 60:.1f} min")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))))
    else:
        main(*(int(a) if i == 0 else a for i, a in enumerate(sys.argv[1:3])))
