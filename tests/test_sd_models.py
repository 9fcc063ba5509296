"""The models shipped with the workbook: they load, run, validate and behave as taught."""

from __future__ import annotations

from pathlib import Path

import pytest
import wiltshire_reference

from stp_helpers.sd import (
    causal_graph,
    classify_behaviour,
    load_model,
    parameter_specs,
    run_scenarios,
    validate,
)

REPO = Path(__file__).resolve().parents[1]
MODELS = {
    "bathtub": REPO / "data" / "models" / "bathtub.mdl",
    "population_limits": REPO / "data" / "models" / "population_limits.mdl",
    "sir": REPO / "data" / "models" / "sir.mdl",
    "failure_demand": REPO / "data" / "models" / "failure_demand.mdl",
    "wiltshire": REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl",
    "stoke": REPO / "data" / "cases" / "stoke-neet" / "model.mdl",
}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(tmp_path_factory.mktemp("stp-cache")))
        yield {k: load_model(p) for k, p in MODELS.items()}


@pytest.mark.parametrize("name", list(MODELS))
def test_model_documents_itself_and_validates(models, name):
    model = models[name]
    table = model.table()
    assert (table.units != "").all(), "every variable has units"
    assert (table.doc != "").all(), "every variable has a documentation comment"
    assert model.stocks and model.flows
    report = validate(model)
    assert report.passed, str(report)
    assert all(c.status == "pass" for c in report.checks), str(report)
    assert all(s.min < s.max for s in parameter_specs(model))


@pytest.mark.parametrize("name, variable, params, mode", [
    ("bathtub", "Water in tub", None, "goal seeking"),
    ("bathtub", "Water in tub", {"plug in": 1}, "linear"),
    ("population_limits", "Population", None, "S-shaped"),
    ("sir", "Recovered", None, "S-shaped"),
    ("sir", "Infected", None, "overshoot and collapse"),
    ("failure_demand", "Work in progress", None, "goal seeking"),
])
def test_teaching_modes(models, name, variable, params, mode):
    out = models[name].run(params=params, return_columns=[variable])
    assert classify_behaviour(out[variable]) == mode


def test_failure_demand_share_matches_fd_t1(models):
    out = models["failure_demand"].run(return_columns=["failure demand share"])
    assert out["failure demand share"].iloc[-1] == pytest.approx(0.60, abs=0.005)
    better = models["failure_demand"].run(params={"right first time fraction": 0.95},
                                          return_columns=["failure demand share"])
    assert better["failure demand share"].iloc[-1] < 0.5


def test_wiltshire_scenarios(models):
    model = models["wiltshire"]
    runs, outcomes = run_scenarios(model, MODELS["wiltshire"].parent / "scenarios.yaml",
                                   variables=["In crisis", "total agency contacts",
                                              "housing contacts"])
    by = outcomes.set_index(["scenario", "variable"])
    base = by.loc[("baseline", "total agency contacts")]
    crisis = runs.query("variable == 'In crisis'").set_index(["scenario", "time"]).value
    baseline, helped = crisis.loc["baseline"], crisis.loc["early help"]
    # out of equilibrium: crisis-driven demand grows through the run (numbers from the
    # equations typed out by hand in tests/wiltshire_reference.py) ...
    assert classify_behaviour(baseline) != "equilibrium"
    assert baseline.to_numpy() == pytest.approx(wiltshire_reference.run()[:, 2], rel=1e-9)
    assert baseline.diff().min() > -0.01 and baseline.iloc[-1] > 1.2 * baseline.iloc[0]
    # ... until early help (from month 12, building up over 24 months) takes effect
    assert helped.idxmax() < 24 and helped.iloc[-1] < helped.max()
    for scenario in ("early help", "early help at scale", "weak early help",
                     "early help delayed"):
        assert by.loc[(scenario, "total agency contacts")].cumulative < base.cumulative
    assert (by.loc[("early help at scale", "In crisis")].final
            < by.loc[("early help", "In crisis")].final
            < by.loc[("weak early help", "In crisis")].final)
    # per-person contact rates reproduce the seed's shares: housing 488 of 1,024
    share = (by.loc[("baseline", "housing contacts")].cumulative / base.cumulative)
    assert share == pytest.approx(488 / 1024, abs=0.002)
    # the early-help switch is a [0,1,1] slider
    spec = {s.name: s for s in parameter_specs(model)}["early help switch"]
    assert (spec.min, spec.max, spec.step) == (0, 1, 1)


def test_stoke_january_starts_cut_neet_by_about_a_quarter(models):
    model = models["stoke"]
    runs, _ = run_scenarios(model, MODELS["stoke"].parent / "scenarios.yaml",
                            variables=["NEET"])
    last_year = runs[runs.time >= 36].groupby("scenario").value.mean()
    cut = 1 - last_year["january starts"] / last_year["september starts only"]
    assert 0.2 <= cut <= 0.3
    assert last_year["worse christmas dropout"] > last_year["september starts only"]


def test_causal_graphs_of_shipped_models(models):
    g = causal_graph(models["sir"])
    assert g.edges["infection", "Infected"]["polarity"] == "+"
    assert g.edges["infection", "Susceptible"]["polarity"] == "-"
    assert g.edges["Infected", "infection"]["polarity"] == "+"
    assert g.edges["illness duration", "recovery"]["polarity"] == "-"
    g = causal_graph(models["wiltshire"])
    assert g.edges["early help effect", "entering crisis"]["polarity"] == "-"
    assert g.edges["In crisis", "housing contacts"]["polarity"] == "+"
