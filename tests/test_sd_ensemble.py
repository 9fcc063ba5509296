"""The ensemble engine: many runs at once over arrays, equal to PySD run by run.

Every comparison is against the per-run path (PySD's own ``run`` through
:meth:`Model.run`), to 1e-9, on the Wiltshire case model, the teaching
models in ``data/models`` and every third-party test model the manifest
marks as passing.  A model the engine cannot vectorise must say why, and
the studies then run per run with the same numbers.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import TEST_DATA
from sd_models import SCALED_OUTPUT, growth_mdl, loaded

from stp_helpers.errors import EnsembleUnsupported, ModelError
from stp_helpers.sd import (
    load_model,
    monte_carlo,
    oat_elasticities,
    sample_parameters,
    triangular,
    uniform,
)
from stp_helpers.sd.ensemble import Ensemble, ensemble_chunk_size, unsupported_reason
from stp_helpers.sd.parquet import monte_carlo_to_parquet

REPO = Path(__file__).resolve().parents[1]
WILTSHIRE = REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl"
TEACHING = sorted((REPO / "data" / "models").glob("*.mdl"))
ROOT = TEST_DATA / "test-models"
with open(ROOT / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
    PASS_ROWS = [r for r in csv.DictReader(fh) if r["pysd_status"] == "pass"]
RTOL, ATOL = 1e-9, 1e-12
#: Why the engine may decline a model (each names what it cannot vectorise).
REASONS = re.compile(r"subscripted \(arrayed\) variables|uses macros|delay time is below "
                     r"order × TIME STEP|a time setting depends on a sampled constant|"
                     r"time settings change during a run")
WILTSHIRE_DISTS = {
    "early help reach": uniform(0.2, 0.9),
    "early help effectiveness": triangular(0.1, 0.4, 0.6),
    "crisis onset rate": triangular(0.03, 0.05, 0.08),
    "crisis duration": uniform(2, 8),
}


@pytest.fixture(scope="module")
def test_cache():
    folder = os.environ.get("STP_TEST_CACHE") or str(
        Path(tempfile.gettempdir()) / "stp-workbook-test-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", folder)
        yield Path(folder)


@pytest.fixture(scope="module")
def growth(tmp_path_factory):
    with loaded(tmp_path_factory, growth_mdl(*SCALED_OUTPUT)) as found:
        yield found


def varied(model, n_runs: int, k: int = 3) -> tuple[list[str], np.ndarray]:
    """Up to ``k`` nonzero constants, each moved by -20 % … +20 % across the runs."""
    base = {name: v for name, v in model.base_values.items() if v != 0}
    names = list(base)[:k]
    values = np.array([[base[name] * (1 + 0.1 * ((i + j) % 5 - 2))
                        for j, name in enumerate(names)] for i in range(n_runs)])
    return names, values.reshape(n_runs, len(names))


def assert_equals_pysd(model, names, values, columns, fixed=None) -> int:
    """Compare the engine with one PySD run per row; return how many runs were compared."""
    runs = Ensemble(model).run(dict(zip(names, values.T)), columns, fixed=fixed,
                               n_runs=len(values))
    compared = 0
    for i, row in enumerate(values):
        params = {**(fixed or {}), **dict(zip(names, row))}
        try:
            ref = model.run(params=params, return_columns=columns, check_finite=False,
                            check_ranges=False)
        except ModelError:
            continue  # PySD itself fails on this run: nothing to compare
        np.testing.assert_array_equal(runs.times, ref.index.to_numpy(float))
        np.testing.assert_allclose(runs.values[i], ref[columns].to_numpy(float), rtol=RTOL,
                                   atol=ATOL, equal_nan=True, err_msg=f"run {i}: {params}")
        compared += 1
    return compared


def test_wiltshire_equals_pysd_run_by_run():
    model = load_model(WILTSHIRE)
    samples = sample_parameters(WILTSHIRE_DISTS, 40, seed=7)
    columns = [c for c in model.run().columns]
    assert len(columns) >= 30
    compared = assert_equals_pysd(model, list(samples.columns), samples.to_numpy(float), columns,
                                  fixed={"early help switch": 1.0})
    assert compared == 40


@pytest.mark.parametrize("path", TEACHING, ids=[p.stem for p in TEACHING])
def test_teaching_models_equal_pysd(path):
    model = load_model(path)
    names, values = varied(model, 6)
    assert names, "every teaching model has constants to vary"
    columns = list(model.run(check_finite=False).columns)
    assert assert_equals_pysd(model, names, values, columns) >= 1


def _open(row):
    """The model, or None when the workbook's loader refuses it (its own tests say why)."""
    data = [ROOT / p for p in row["data_files"].split(";") if p]
    try:
        return load_model(ROOT / row["path"], data_files=data, require_stocks=False)
    except ModelError as err:
        assert Path(row["path"]).name in str(err)
        return None


@pytest.mark.parametrize("row", PASS_ROWS, ids=[r["path"] for r in PASS_ROWS])
def test_passing_test_models_equal_pysd_or_say_why_not(row, test_cache):
    model = _open(row)
    if model is None:
        return
    columns = [c for c in model.run(check_finite=False).columns if "[" not in c]
    names, values = varied(model, 5)
    if not names:  # feature tests with no constant: five identical runs
        values = np.zeros((5, 0))
    try:
        compared = assert_equals_pysd(model, names, values, columns)
    except EnsembleUnsupported as err:
        assert REASONS.search(str(err)), str(err)
        assert "one at a time" in str(err) and model.name in str(err)
        return
    assert compared >= 1


def test_how_many_passing_models_the_engine_accepts(test_cache):
    """The counts the report gives: accepted statically, declined and why."""
    declined: dict[str, int] = {}
    for row in PASS_ROWS:
        model = _open(row)
        reason = "refused by the loader" if model is None else unsupported_reason(model)
        if reason:
            key = reason.split(" (")[0].split(",")[0]
            declined[key] = declined.get(key, 0) + 1
    assert declined == {"it has subscripted": 102, "it uses macros": 6,
                        "its time settings change during a run": 2}, declined
    assert len(PASS_ROWS) - sum(declined.values()) == 151


REGIONS = (
    "Region: north, south ~ ~ Two regions. |",
    "Regional[Region] = INTEG(regional growth[Region], 10) ~ person ~ A stock per region. |",
    "regional growth[Region] = growth rate * Regional[Region] ~ person/Year ~ Inflow. |",
)


def test_fallback_says_why_and_gives_the_same_numbers(tmp_path_factory):
    with loaded(tmp_path_factory, growth_mdl(*REGIONS), "regions.mdl") as model:
        with pytest.raises(EnsembleUnsupported, match=r"cannot run this model over arrays: it "
                                                      r"has subscripted \(arrayed\) variables"):
            Ensemble(model)
        dists = {"growth rate": uniform(0.05, 0.15)}
        with pytest.warns(RuntimeWarning, match="subscripted.*one at a time instead"):
            fast = monte_carlo(model, dists, n=4, seed=1, outputs=["Population"])
        slow = monte_carlo(model, dists, n=4, seed=1, outputs=["Population"], workers=1,
                           vectorise=False)
    assert fast.engine.startswith("per run (regions: the ensemble engine cannot")
    assert slow.engine == "per run" and fast.n_failed == 0
    np.testing.assert_array_equal(fast.values, slow.values)


def test_a_delay_whose_order_differs_between_runs_falls_back(test_cache):
    row = next(r for r in PASS_ROWS if r["path"].endswith("test_pipeline_delays.mdl"))
    model = _open(row)
    engine = Ensemble(model)  # accepted until the runs' delay times are known
    names, values = varied(model, 5, k=len(model.base_values))
    with pytest.raises(EnsembleUnsupported, match="lowers the order of this delay"):
        engine.run(dict(zip(names, values.T)), model.stocks)


def test_a_sampled_smooth_order_is_refused_not_miscomputed(tmp_path_factory):
    # per run PySD cannot take a float order at all; over arrays it would silently
    # multiply the state list by the orders, so the engine must refuse
    text = growth_mdl("smooth order = 3 ~ Dmnl [1,5,1] ~ Order. |",
                      "smoothed = SMOOTH N(Population, 2, Population, smooth order) ~ person "
                      "~ Smoothed. |")
    with loaded(tmp_path_factory, text, "smooth.mdl") as model:
        engine = Ensemble(model)
        with pytest.raises(EnsembleUnsupported, match="the smooth's order is sampled"):
            engine.run({"smooth order": [2.0, 3.0]}, ["smoothed"])
        # with the order fixed, the smooth runs over arrays and equals PySD
        names, values = ["growth rate"], np.array([[0.05], [0.1], [0.15]])
        assert assert_equals_pysd(model, names, values, ["smoothed", "Population"]) == 3


def test_random_numbers_are_refused(tmp_path_factory):
    text = growth_mdl("noise = RANDOM UNIFORM(0, 1, 3) ~ Dmnl ~ Noise. |")
    with loaded(tmp_path_factory, text, "noisy.mdl") as model:
        assert "random numbers" in unsupported_reason(model)
        with pytest.raises(EnsembleUnsupported, match="draws random numbers"):
            Ensemble(model)


def test_monte_carlo_same_on_engine_and_per_run(growth):
    dists = {"growth rate": uniform(0.05, 0.15), "scale": triangular(1, 2, 3)}
    fast = monte_carlo(growth, dists, n=50, seed=3, outputs=["output", "Population"])
    slow = monte_carlo(growth, dists, n=50, seed=3, outputs=["output", "Population"],
                       vectorise=False, workers=1)
    assert fast.engine == "ensemble" and slow.engine == "per run"
    np.testing.assert_allclose(fast.values, slow.values, rtol=RTOL, atol=ATOL)
    row = fast.samples.iloc[9]
    assert fast.values[9, -1, 0] == pytest.approx(row["scale"] * 100 * (1 + row["growth rate"])
                                                  ** 10, rel=1e-12)


def test_runs_that_overflow_fail_exactly_as_they_do_per_run(growth):
    # growth at rate r for 2000 years overflows above r ≈ 0.42: those runs are re-run alone
    wide = {"growth rate": uniform(0.05, 0.9)}
    fast = monte_carlo(growth, wide, n=40, seed=5, outputs=["Population"], final_time=2000)
    slow = monte_carlo(growth, wide, n=40, seed=5, outputs=["Population"], final_time=2000,
                       vectorise=False, workers=1)
    assert 0 < fast.n_failed < 40 and fast.errors == slow.errors
    np.testing.assert_array_equal(np.isnan(fast.values), np.isnan(slow.values))
    np.testing.assert_allclose(fast.values, slow.values, rtol=RTOL, equal_nan=True)


def test_parquet_and_oat_use_the_engine(growth, tmp_path):
    dists = {"growth rate": uniform(0.05, 0.15), "scale": triangular(1, 2, 3)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning
        stored = monte_carlo_to_parquet(growth, dists, 30, 2, tmp_path / "r.parquet",
                                        outputs=["output"], chunk_size=7, progress=False)
        fast = oat_elasticities(growth, "output", parameters=["scale", "growth rate"])
    slow = monte_carlo(growth, dists, n=30, seed=2, outputs=["output"], vectorise=False,
                       workers=1)
    np.testing.assert_allclose(stored.load().values, slow.values, rtol=RTOL, atol=ATOL)
    per_run = oat_elasticities(growth, "output", parameters=["scale", "growth rate"],
                               vectorise=False)
    np.testing.assert_allclose(fast.drop(columns="parameter").to_numpy(float),
                               per_run.drop(columns="parameter").to_numpy(float), rtol=RTOL)
    assert fast.parameter.tolist() == per_run.parameter.tolist()
    # a parameter set for every run is not varied, and moves the base
    held = oat_elasticities(growth, "output", params={"scale": 3})
    held_per_run = oat_elasticities(growth, "output", params={"scale": 3}, vectorise=False)
    assert held.parameter.tolist() == ["growth rate"] == held_per_run.parameter.tolist()
    assert held.outcome_base[0] == pytest.approx(3 * 100 * 1.1 ** 10, rel=1e-12)
    np.testing.assert_allclose(held.drop(columns="parameter").to_numpy(float),
                               held_per_run.drop(columns="parameter").to_numpy(float), rtol=RTOL)
    with pytest.raises(ModelError, match="both varied and set in params"):
        oat_elasticities(growth, "output", parameters=["scale"], params={"scale": 3})


def test_chunks_fit_the_memory_budget(growth):
    # 11 saved times × 2 columns: a 1 MB budget holds a few hundred runs, never zero
    size = ensemble_chunk_size(growth, 2, budget=2**20)
    assert 100 < size < 2**20 // (8 * 2 * 11 * 2)
    assert ensemble_chunk_size(growth, 2, budget=1) == 1
    with pytest.raises(ModelError, match="one value per run"):
        Ensemble(growth).run({"scale": [1.0, 2.0], "growth rate": [0.1]}, ["output"])
