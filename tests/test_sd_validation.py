"""Validation tests (methods.md §3.3): DT-1 / SD-T1, SD-T2, SD-T3, fit statistics, calibration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import data_file
from sd_models import growth_mdl

from stp_helpers.errors import StpError
from stp_helpers.sd import (
    calibrate,
    check_extreme_conditions,
    check_integration_error,
    check_reproduction,
    check_units,
    fit_statistics,
    load_model,
    validate,
)

GROWTH = growth_mdl()
DECAY = """{UTF-8}
Gap = INTEG(-closing, 100) ~ widget ~ Gap to the goal. |
closing = Gap / adjustment time ~ widget/Week ~ Outflow. |
adjustment time = 10 ~ Week [1,50,1] ~ Time constant tau. |
orphan = 3 ~ ~ A constant without units. |
FINAL TIME = 150 ~ Week ~ End. |
INITIAL TIME = 0 ~ Week ~ Start. |
SAVEPER = TIME STEP ~ Week ~ Save every step. |
TIME STEP = 15 ~ Week ~ Step. |
"""


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(tmp_path_factory.mktemp("stp-cache")))
        folder = tmp_path_factory.mktemp("models")
        (folder / "growth.mdl").write_text(GROWTH, encoding="utf-8")
        (folder / "decay.mdl").write_text(DECAY, encoding="utf-8")
        yield {"growth": load_model(folder / "growth.mdl"),
               "decay": load_model(folder / "decay.mdl")}


def test_sd_t1_table_and_dt_1(models):
    check = check_integration_error(models["growth"], tolerance=0.01)
    table = check.details
    assert table.dt.tolist() == [1, 0.5, 0.25, 0.125]
    np.testing.assert_allclose(table.Population, [259.374246, 265.329771, 268.506384,
                                                  270.148494], atol=5e-7)
    np.testing.assert_allclose(table.change.iloc[:3].round(5), [0.02245, 0.01183, 0.00608])
    assert np.isnan(table.change.iloc[3])
    assert check.accepted_dt == 0.25
    assert check.status == "warn" and "0.25" in check.sentence


def test_dt_1_passes_when_dt_small_enough(models):
    check = check_integration_error(models["growth"], time_step=0.25)
    assert check.status == "pass" and check.accepted_dt == 0.25


def test_sd_t2_euler_factors(models):
    decay = models["decay"]
    out = decay.run(return_columns=["Gap"])  # DT 15, tau 10: factor -0.5 per step
    np.testing.assert_allclose(out.Gap.iloc[:3], [100, -50, 25])
    out = decay.run(return_columns=["Gap"], time_step=25)  # factor -1.5: diverges
    np.testing.assert_allclose(out.Gap.iloc[:3], [100, -150, 225])


def test_sd_t3_teacup():
    path = data_file("test-models", "sdxorg", "samples", "teacup", "teacup.mdl")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(Path(__import__("tempfile").gettempdir())
                                   / "stp-workbook-test-cache"))
        teacup = load_model(path)
    out = teacup.run(params={"Room Temperature": 20}, final_time=20,
                     return_columns=["Teacup Temperature"])
    assert out["Teacup Temperature"].iloc[-1] == pytest.approx(41.382411, abs=1e-5)
    # and the change did not persist
    assert teacup.run(return_columns=["Room Temperature"])["Room Temperature"].iloc[0] == 70


def test_fit_t1():
    s = fit_statistics(np.array([10, 12, 14, 16, 18]) + 1, [10, 12, 14, 16, 18])
    assert (s.mse, s.rmse) == (1.0, 1.0)
    assert s.um == pytest.approx(1, abs=1e-12)
    assert s.us == pytest.approx(0, abs=1e-12) and s.uc == pytest.approx(0, abs=1e-12)


def test_fit_t2():
    a = [20, 22, 25, 27, 30, 34, 36, 40]
    s = [21, 24, 24, 29, 31, 33, 38, 41]
    f = fit_statistics(s, a)
    assert f.mse == pytest.approx(2.125, abs=1e-12)
    assert round(f.rmse, 4) == 1.4577 and round(f.mape, 4) == 4.9785
    assert round(f.r, 5) == 0.98435
    assert (round(f.um, 4), round(f.us, 4), round(f.uc, 4)) == (0.3603, 0.0005, 0.6392)
    assert f.um + f.us + f.uc == pytest.approx(1)


def test_fit_statistics_errors():
    with pytest.raises(StpError, match="differ in length"):
        fit_statistics([1, 2, 3], [1, 2])


def test_units_check_names_missing(models):
    check = check_units(models["decay"])
    assert check.status == "fail" and "'orphan'" in check.sentence
    assert check_units(models["growth"]).status == "pass"


def test_extreme_conditions(models):
    check = check_extreme_conditions(models["decay"], parameters=["adjustment time"])
    # adjustment time x 0 is clipped to its declared minimum 1: finite, but it overshoots
    assert set(check.details.parameter) == {"adjustment time"}
    assert check.details.value.tolist() == [1.0, 50.0]
    assert check.status in {"pass", "warn"}


def test_reproduction_and_calibration(models):
    growth = models["growth"]
    truth = growth.run(params={"growth rate": 0.15}, return_columns=["Population"])
    data = truth.iloc[::2]
    before = check_reproduction(growth, data)
    assert before.status == "fail"  # 0.1 vs 0.15: MAPE above 10%
    result = calibrate(growth, data, bounds={"growth rate": (0.01, 0.5)})
    assert result.values["growth rate"] == pytest.approx(0.15, rel=1e-4)
    assert result.stats["Population"].rmse < 1e-3
    after = check_reproduction(growth, data, params=result.values)
    assert after.status == "pass"
    assert growth.run(return_columns=["growth rate"])["growth rate"].iloc[0] == 0.1


def test_validate_report(models):
    report = validate(models["growth"])
    text = str(report)
    assert text.startswith("Validation of growth:")
    assert {"Units present", "Flow units", "Extreme conditions",
            "Integration error (DT-1)"} <= set(report.table().test)
    assert "<table>" in report._repr_html_()
    data = pd.DataFrame({"Population": [100.0, 121.0]}, index=[0.0, 2.0])
    assert "Behaviour reproduction" in set(validate(models["growth"], data=data).table().test)
