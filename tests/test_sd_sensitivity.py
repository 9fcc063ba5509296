"""Sensitivity: OAT elasticities, Latin hypercube (SA-1), Monte Carlo and bands."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sd_models import SCALED_OUTPUT, growth_mdl, loaded

from stp_helpers.errors import ModelError
from stp_helpers.sd import (
    latin_hypercube,
    monte_carlo,
    normal,
    oat_elasticities,
    sample_parameters,
    triangular,
    uniform,
)

GROWTH = growth_mdl(*SCALED_OUTPUT)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    with loaded(tmp_path_factory, GROWTH) as found:
        yield found


@pytest.mark.parametrize("n, d", [(10, 3), (100, 2), (7, 1)])
def test_sa_1_strata_are_permutations(n, d):
    u = latin_hypercube(n, d, seed=42)
    for j in range(d):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))


def test_seed_reproducible():
    a = sample_parameters({"x": uniform(0, 1), "y": triangular(0, 1, 3)}, 20, seed=5)
    b = sample_parameters({"x": ("uniform", 0, 1), "y": ("triangular", 0, 1, 3)}, 20, seed=5)
    assert a.equals(b)
    assert not a.equals(sample_parameters({"x": uniform(0, 1), "y": triangular(0, 1, 3)},
                                          20, seed=6))


def test_distributions_inverse_cdf():
    s = sample_parameters({"n": normal(10, 2)}, 2000, seed=1)["n"]
    assert abs(s.mean() - 10) < 0.05 and abs(s.std() - 2) < 0.05
    with pytest.raises(ModelError):
        uniform(1, 0)
    with pytest.raises(ModelError):
        triangular(0, 5, 1)


def test_oat_elasticity_of_linear_output(model):
    table = oat_elasticities(model, "output", parameters=["scale", "growth rate"])
    by = table.set_index("parameter")
    assert by.loc["scale", "elasticity"] == pytest.approx(1.0)
    # P(10) = 100 (1 + r)^10: elasticity ~ 10 r / (1 + r) = 0.909 at r = 0.1
    assert by.loc["growth rate", "elasticity"] == pytest.approx(0.909, abs=0.01)
    assert table.parameter.iloc[0] == "scale"  # largest |elasticity| first
    # nothing leaked
    assert model.run(return_columns=["scale"])["scale"].iloc[0] == 2


def test_monte_carlo_in_process_and_parallel_identical(model):
    dists = {"growth rate": uniform(0.05, 0.15), "scale": triangular(1, 2, 3)}
    serial = monte_carlo(model, dists, n=40, seed=11, outputs=["output"], workers=1)
    with ThreadPoolExecutor(2) as pool:  # any Executor (e.g. Dask's) works
        threaded = monte_carlo(model, dists, n=40, seed=11, outputs=["output"],
                               executor=pool)
    np.testing.assert_allclose(serial.values, threaded.values)
    assert serial.values.shape == (40, 11, 1) and serial.n_failed == 0
    # check one run by hand
    row = serial.samples.iloc[3]
    expect = row["scale"] * 100 * (1 + row["growth rate"]) ** 10
    assert serial.values[3, -1, 0] == pytest.approx(expect)
    bands = serial.bands()
    assert list(bands.columns) == ["variable", "time", "p5", "p25", "p50", "p75", "p95"]
    last = bands.iloc[-1]
    assert last.p5 <= last.p25 <= last.p50 <= last.p75 <= last.p95
    assert serial.seed == 11


def test_monte_carlo_process_pool(model):
    calls = []
    result = monte_carlo(model, {"growth rate": uniform(0.05, 0.15)}, n=16, seed=3,
                         outputs=["Population"], workers=2,
                         progress=lambda done, total: calls.append((done, total)))
    ref = monte_carlo(model, {"growth rate": uniform(0.05, 0.15)}, n=16, seed=3,
                      outputs=["Population"], workers=1)
    np.testing.assert_allclose(result.values, ref.values)
    assert calls[-1] == (16, 16)


def test_monte_carlo_rejects_samples_outside_declared_range(model):
    with pytest.raises(ModelError, match="outside its declared range"):
        monte_carlo(model, {"growth rate": uniform(0.5, 1.5)}, n=10, seed=1, workers=1)


def test_monte_carlo_fixed_params(model):
    result = monte_carlo(model, {"growth rate": uniform(0.05, 0.15)}, n=5, seed=2,
                         outputs=["output"], workers=1, params={"scale": 3})
    row = result.samples.iloc[0]
    assert result.values[0, -1, 0] == pytest.approx(3 * 100 * (1 + row["growth rate"]) ** 10)
    with pytest.raises(ModelError, match="both sampled and fixed"):
        monte_carlo(model, {"scale": uniform(1, 2)}, n=5, seed=2, workers=1,
                    params={"scale": 3})
