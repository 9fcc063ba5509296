"""Running models: no leaks between runs, parameter checks, run-time errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sd_models import growth_mdl, loaded

from stp_helpers.errors import CaseFileError, ModelError
from stp_helpers.sd import (
    load_scenarios,
    parameter_specs,
    parse_scenarios,
    run_scenarios,
    tidy,
)

REPO = Path(__file__).resolve().parents[1]
GROWTH = growth_mdl(
    "divisor = 5 ~ Year ~ Used in a ratio. |",
    "ratio = Population / (divisor - Time) ~ person/Year ~ Divides by zero at time 5. |",
    "boom = EXP(Population * Time) ~ Dmnl ~ Overflows. |",
)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    with loaded(tmp_path_factory, GROWTH) as found:
        yield found


def test_sd_t1_dt_1(model):
    out = model.run(return_columns=["Population"])
    assert out.index.name == "time"
    assert out["Population"].iloc[-1] == pytest.approx(259.374246, abs=1e-6)


def test_params_and_time_settings_never_leak(model):
    base = model.run(return_columns=["Population"])
    changed = model.run(params={"growth rate": 0.2}, final_time=5, time_step=0.5,
                        return_columns=["Population"])
    assert changed.index[-1] == 5 and changed["Population"].iloc[-1] > 250
    again = model.run(return_columns=["Population"])
    pd.testing.assert_frame_equal(base, again)


def test_python_names_accepted(model):
    out = model.run(params={"growth_rate": 0.2}, return_columns=["population"])
    assert out["Population"].iloc[-1] == pytest.approx(100 * 1.2**10)


def test_control_columns_dropped_by_default(model):
    out = model.run(return_columns=None, final_time=3)
    assert "TIME STEP" not in out.columns and "Population" in out.columns


def test_unknown_parameter_suggests_names(model):
    with pytest.raises(ModelError, match="no variable called 'growth rat'.*'growth rate'"):
        model.run(params={"growth rat": 0.2}, return_columns=["Population"])


def test_out_of_range_parameter(model):
    with pytest.raises(ModelError, match=r"outside the range \[0, 1\]"):
        model.run(params={"growth rate": 1.5}, return_columns=["Population"])
    with pytest.raises(ModelError, match="outside the range"):
        model.run(params={"growth rate": pd.Series([0.1, -1.0], index=[0, 10])},
                  return_columns=["Population"])


def test_stock_and_time_setting_are_not_parameters(model):
    with pytest.raises(ModelError, match="is a stock"):
        model.run(params={"Population": 5}, return_columns=["growth"])
    with pytest.raises(ModelError, match="time setting"):
        model.run(params={"FINAL TIME": 5})


def test_division_by_zero_names_variable_and_time(model):
    with pytest.raises(ModelError, match=r"division by zero in 'ratio' at time 5"):
        model.run(return_columns=["ratio"])
    # and the next run is unaffected
    assert model.run(return_columns=["Population"])["Population"].iloc[-1] == pytest.approx(
        259.374246)


def test_overflow_reported_with_variable_and_time(model):
    with pytest.raises(ModelError, match=r"invalid numbers at time \d+: 'boom' \(infinite\)"):
        model.run(return_columns=["boom"])


def test_parameter_specs_use_ranges_or_defaults(model):
    specs = {s.name: s for s in parameter_specs(model)}
    rate = specs["growth rate"]
    assert (rate.min, rate.max, rate.step, rate.from_model) == (0.0, 1.0, 0.01, True)
    div = specs["divisor"]
    assert (div.min, div.max, div.from_model) == (0.0, 15.0, False)
    assert div.units == "Year" and div.doc == "Used in a ratio."
    with pytest.raises(ModelError):
        parameter_specs(model, factor=1)


def test_run_batch_matches_run(model):
    sets = [{"growth rate": 0.05}, {"growth rate": 0.2}]
    outs = model.run_batch(sets, ["Population"])
    for params, out in zip(sets, outs):
        ref = model.run(params=params, return_columns=["Population"])
        np.testing.assert_allclose(out["Population"], ref["Population"])


def test_scenarios_tidy_and_outcomes(model):
    scenarios = parse_scenarios({"scenarios": [
        {"name": "base", "description": "as is", "params": {}},
        {"name": "fast", "params": {"growth rate": 0.2}},
    ]})
    runs, outcomes = run_scenarios(model, scenarios, variables=["Population", "growth"])
    assert list(runs.columns) == ["scenario", "time", "variable", "value"]
    assert set(runs.scenario) == {"base", "fast"}
    row = outcomes.set_index(["scenario", "variable"]).loc[("base", "Population")]
    assert row.final == pytest.approx(259.374246)
    assert row.peak_time == 10
    flow = outcomes.set_index(["scenario", "variable"]).loc[("base", "growth")]
    assert flow.cumulative == pytest.approx(259.374246 - 100)  # Euler: the flow's total


def test_scenario_with_unknown_parameter_names_scenario(model):
    bad = parse_scenarios([{"name": "oops", "params": {"growth rat": 1}}])
    with pytest.raises(ModelError, match="Scenario 'oops'"):
        run_scenarios(model, bad)


def test_scenarios_file_errors(tmp_path):
    path = tmp_path / "scenarios.yaml"
    path.write_text("scenarios:\n  - name: a\n    params: {x: high}\n  - params: {}\n")
    with pytest.raises(CaseFileError) as info:
        load_scenarios(path)
    assert len(info.value.problems) == 2
    path.write_text("scenarios: [\n")
    with pytest.raises(CaseFileError, match="not valid YAML"):
        load_scenarios(path)


def test_shipped_scenario_files_parse():
    for case in ("wiltshire-complex-needs", "stoke-neet"):
        scenarios = load_scenarios(REPO / "data" / "cases" / case / "scenarios.yaml")
        assert len(scenarios) >= 3 and all(s.description for s in scenarios)


def test_tidy_labels():
    run = pd.DataFrame({"x": [1.0]}, index=pd.Index([0.0], name="time"))
    assert tidy(run, scenario="a", seed="1").columns.tolist() == [
        "scenario", "seed", "time", "variable", "value"]
