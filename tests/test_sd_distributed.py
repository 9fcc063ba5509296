"""Monte Carlo at scale: Dask executor, Parquet streaming, bands from the file."""

from __future__ import annotations

import contextlib
import signal
import time
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sd_models import SCALED_OUTPUT, growth_mdl, loaded

from stp_helpers.errors import CaseExistsError, ModelError
from stp_helpers.sd import distributed as dist
from stp_helpers.sd import monte_carlo, parquet, triangular, uniform
from stp_helpers.sd.parquet import (
    monte_carlo_to_parquet,
    parquet_bands,
    read_monte_carlo,
    read_parquet_info,
)

GROWTH = growth_mdl(*SCALED_OUTPUT)
DISTS = {"growth rate": uniform(0.05, 0.15), "scale": triangular(1, 2, 3)}
OUTPUTS = ["output", "Population"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    with loaded(tmp_path_factory, GROWTH) as found:
        yield found


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (rather than hang) if the block takes longer than ``seconds``."""
    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def assert_same_runs(a, b):
    assert a.variables == b.variables and a.seed == b.seed and a.errors == b.errors
    pd.testing.assert_frame_equal(a.samples, b.samples, check_exact=True)
    np.testing.assert_array_equal(a.times, b.times)
    np.testing.assert_array_equal(a.values, b.values)  # bit for bit, NaN == NaN


def test_dask_local_cluster_equals_local_run(model, tmp_path):
    import distributed
    local = monte_carlo(model, DISTS, n=60, seed=11, outputs=OUTPUTS, workers=1)
    start = time.monotonic()
    with deadline(180), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1") as cluster, distributed.Client(cluster) as client:
        assert dist.is_dask_client(client) and dist.resolve_workers(client, None) == 2
        on_dask = monte_carlo(model, DISTS, n=60, seed=11, outputs=OUTPUTS, executor=client)
        stored = monte_carlo_to_parquet(model, DISTS, 60, 11, tmp_path / "runs.parquet",
                                        outputs=OUTPUTS, executor=client, chunk_size=7,
                                        progress=False)
        # each worker (one thread) opened the model once and kept it for every chunk
        per_worker = client.run(dist.cached_models)
    assert time.monotonic() - start < 180
    assert_same_runs(on_dask, local)
    assert_same_runs(stored.load(), local)
    assert len(per_worker) == 2
    assert all(models == [str(model.cache)] for models in per_worker.values())


def test_parquet_round_trip_and_bands(model, tmp_path):
    calls = []
    path = tmp_path / "out" / "runs.parquet"
    stored = monte_carlo_to_parquet(model, DISTS, 50, 3, path, outputs=OUTPUTS, workers=1,
                                    chunk_size=12, progress=lambda d, t: calls.append((d, t)))
    ref = monte_carlo(model, DISTS, n=50, seed=3, outputs=OUTPUTS, workers=1)
    assert_same_runs(read_monte_carlo(path), ref)
    assert calls == [(12, 50), (24, 50), (36, 50), (48, 50), (50, 50)]
    # one row group per chunk, in run order
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [12, 12, 12,
                                                                                  12, 2]
    table = pq.read_table(path, columns=["run", "scale", "output @ 10"]).to_pandas()
    assert table.run.tolist() == list(range(50))
    row = ref.samples.iloc[7]
    assert table["output @ 10"][7] == pytest.approx(
        row["scale"] * 100 * (1 + row["growth rate"]) ** 10)
    # exact bands, whatever the column batch
    for batch in (1, 4, 64):
        pd.testing.assert_frame_equal(parquet_bands(path, batch_columns=batch), ref.bands(),
                                      check_exact=True)
    assert parquet_bands(path, (50,), variables=["output"]).columns.tolist() == [
        "variable", "time", "p50"]
    info = read_parquet_info(path)
    assert (info.n, info.n_failed, info.seed, info.parameters) == (
        50, 0, 3, ["growth rate", "scale"])
    assert repr(stored).endswith("50 runs, 0 failed, 2 variables x 11 times, seed 3)")
    # a process pool gives the same file contents
    pooled = monte_carlo_to_parquet(model, DISTS, 50, 3, tmp_path / "pool.parquet",
                                    outputs=OUTPUTS, workers=2, chunk_size=9, progress=False)
    assert_same_runs(pooled.load(), ref)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "out", "out/runs.parquet", "pool.parquet"]  # no temporary files left


def test_failed_runs_are_stored_as_nan_with_their_error(model, tmp_path):
    # growth at rate r for 2000 years overflows above r ≈ 0.42
    wide = {"growth rate": uniform(0.05, 0.9)}
    ref = monte_carlo(model, wide, n=12, seed=5, outputs=["Population"], workers=1,
                      final_time=2000)
    assert 0 < ref.n_failed < 12
    stored = monte_carlo_to_parquet(model, wide, 12, 5, tmp_path / "f.parquet",
                                    outputs=["Population"], workers=1, final_time=2000,
                                    chunk_size=1, progress=False)
    assert stored.n_failed == ref.n_failed
    assert_same_runs(stored.load(), ref)


def _fake_chunk(n_times: int, fail_below: int = -1):
    """A stand-in for a model run: big results, made instantly."""
    def run(spec, names, values, columns, final_time, fixed=None, vectorise=True):
        first = round(values[0, 0])
        runs = first + np.arange(len(values))
        arr = np.repeat(runs[:, None, None], n_times, axis=1).astype(float)
        arr = np.repeat(arr, len(columns), axis=2) + np.arange(n_times)[None, :, None]
        errors = ["boom" if r < fail_below else "" for r in runs]
        arr[runs < fail_below] = np.nan
        if (runs < fail_below).all():
            return np.array([]), np.full((len(runs), 0, len(columns)), np.nan), errors, ""
        return np.arange(n_times, dtype=float), arr, errors, ""

    return run


def test_writer_holds_one_chunk_at_a_time(model, tmp_path, monkeypatch):
    # 4000 runs × 400 times × 2 variables = 25.6 MB of results; chunks of 100 runs: 0.64 MB
    monkeypatch.setattr(dist, "run_chunk", _fake_chunk(400, fail_below=250))
    runs = pd.DataFrame({"growth rate": np.arange(4000.0)}, index=pd.RangeIndex(4000, name="run"))
    monkeypatch.setattr(parquet, "plan_study", lambda *a: (
        ["growth rate"], runs, ["output", "Population"], {}, ("", "", ())))
    written = []
    real = pq.ParquetWriter.write_table
    monkeypatch.setattr(pq.ParquetWriter, "write_table",
                        lambda self, table, **kw: (written.append(table.num_rows),
                                                   real(self, table, **kw))[1])
    tracemalloc.start()
    try:
        # per run, one chunk at a time (the ensemble engine holds one block of chunks)
        stored = monte_carlo_to_parquet(model, DISTS, 4000, 0, tmp_path / "big.parquet",
                                        workers=1, chunk_size=100, progress=False,
                                        vectorise=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert written == [100] * 40 and stored.n_failed == 250
    assert peak < 6e6, f"peak {peak / 1e6:.1f} MB: the writer held more than a few chunks"
    # the first chunks all failed before the time axis was known: still stored, as NaN
    bands = parquet_bands(stored.path, (0, 100), variables=["output"], batch_columns=500)
    assert bands.p0.iloc[0] == 250 and bands.p100.iloc[-1] == 3999 + 399


def test_existing_file_needs_overwrite(model, tmp_path):
    path = tmp_path / "runs.parquet"
    path.write_bytes(b"keep me")
    with pytest.raises(CaseExistsError, match="already exists; it was left unchanged"):
        monte_carlo_to_parquet(model, DISTS, 10, 1, path, workers=1, progress=False)
    assert path.read_bytes() == b"keep me"
    stored = monte_carlo_to_parquet(model, DISTS, 10, 1, path, workers=1, progress=False,
                                    overwrite=True)
    assert stored.n == 10 and [p.name for p in tmp_path.iterdir()] == ["runs.parquet"]


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "100", None])
def test_bad_chunk_size(model, tmp_path, bad):
    with pytest.raises(ModelError, match="chunk_size=.* is not a number of runs"):
        monte_carlo_to_parquet(model, DISTS, 10, 1, tmp_path / "r.parquet", chunk_size=bad,
                               workers=1, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_bad_paths_and_failures_leave_nothing(model, tmp_path):
    with pytest.raises(ModelError, match="is a folder"):
        monte_carlo_to_parquet(model, DISTS, 10, 1, tmp_path, workers=1, progress=False)
    with pytest.raises(ModelError, match="outside its declared range"):
        monte_carlo_to_parquet(model, {"growth rate": uniform(0.5, 1.5)}, 10, 1,
                               tmp_path / "r.parquet", workers=1, progress=False)
    with pytest.raises(ModelError, match="every Monte Carlo run failed"):
        monte_carlo_to_parquet(model, {"growth rate": uniform(0.9, 1)}, 4, 1,
                               tmp_path / "r.parquet", outputs=["Population"],
                               final_time=5000, workers=1, progress=False)
    with pytest.raises(ModelError, match="name a variable twice"):
        monte_carlo_to_parquet(model, DISTS, 4, 1, tmp_path / "r.parquet",
                               outputs=["output", "output"], workers=1, progress=False)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "other.parquet").write_bytes(b"not parquet")
    with pytest.raises(ModelError, match="not a Parquet file"):
        parquet_bands(tmp_path / "other.parquet")
    stored = monte_carlo_to_parquet(model, DISTS, 5, 1, tmp_path / "r.parquet", workers=1,
                                    progress=False)
    with pytest.raises(ModelError, match="holds no variable 'nope'"):
        read_monte_carlo(stored.path, variables=["nope"])


def test_worker_without_the_cache_gets_the_model_from_the_bundle(model, tmp_path,
                                                                 monkeypatch):
    spec = (str(model.cache), str(model.source), tuple(model.data_files))
    bundle = dist._bundle(spec)
    assert "model.py" in dict(bundle.files)
    monkeypatch.setenv("STP_CACHE", str(tmp_path / "worker-cache"))
    elsewhere = (str(tmp_path / "client-only" / model.cache.name), spec[1], spec[2])
    values = np.array([[0.1, 2.0], [0.12, 1.5]])
    _, arr, errors, note = dist._run_remote(bundle, elsewhere, ["growth rate", "scale"],
                                            values, ["output"], None, {})
    local_copy = tmp_path / "worker-cache" / "models" / model.cache.name
    assert str(local_copy) in dist.cached_models()
    assert (local_copy / "model.py").is_file() and errors == ["", ""] and note == ""
    assert arr[0, -1, 0] == pytest.approx(2 * 100 * 1.1 ** 10)
