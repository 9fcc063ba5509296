"""Scenarios run on a shipped stock-and-flow model: claims, payoffs and bad parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
import wiltshire_reference

from stp_helpers import case, sd
from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios
from stp_helpers.errors import ModelError

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def wiltshire() -> tuple:
    found = case.load("wiltshire-complex-needs")
    model = sd.load_model(found.artefact_path("model.mdl"))
    fut = scenarios.read_futures(found.artefact_path("futures.yaml"))
    policies = sd.load_scenarios(found.artefact_path("scenarios.yaml"))
    return model, fut, policies


def test_scenario_runs_set_the_models_parameters(wiltshire: tuple) -> None:
    model, fut, _ = wiltshire
    runs, outcomes = scenarios.run_futures(model, fut, variables=["In crisis"])
    assert list(dict.fromkeys(runs["scenario"])) == [scenarios.AS_WRITTEN, *fut.names]
    final = outcomes.set_index("scenario")["final"]
    direct = model.run(params={"risk onset rate": 0.03, "crisis duration": 6}, return_columns=["In crisis"])
    assert final["Perfect storm"] == pytest.approx(float(direct["In crisis"].iloc[-1]))
    # By hand: the model as written starts out of equilibrium and crisis grows (51.3 at month 0).
    assert final[scenarios.AS_WRITTEN] == pytest.approx(wiltshire_reference.run()[-1, 2], abs=0.05)
    assert final[scenarios.AS_WRITTEN] > 51.3 * 1.2
    assert final["Steady ground"] < final[scenarios.AS_WRITTEN] < final["Perfect storm"]


def test_claims_are_checked_and_one_is_contradicted(wiltshire: tuple) -> None:
    model, fut, _ = wiltshire
    claims = scenarios.check_claims(model, fut)
    assert len(claims) == sum(len(s.claims) for s in fut.scenarios)
    failed = claims[~claims["holds"]]
    assert failed[["scenario", "variable"]].values.tolist() == [["Housing bottleneck", "At risk"]]
    assert failed["in scenario"].iloc[0] < failed["as written"].iloc[0]


def test_payoffs_from_model_runs(wiltshire: tuple) -> None:
    model, fut, policies = wiltshire
    pay = robustness.futures_payoffs(fut, model, policies)
    assert pay.computed and list(pay.table.columns) == fut.names
    assert (pay.table.loc["Do nothing"] == 0).all()  # the reference option's net benefit is zero
    # One cell by hand: value per contact × (contacts without − with early help) − cost.
    rob = fut.robustness
    base = dict(fut.scenario("Perfect storm").params)
    without = model.run(params=base, return_columns=["total agency contacts"])
    with_help = model.run(params={**base, **next(p for p in policies if p.name == "early help").params},
                          return_columns=["total agency contacts"])
    cum = [float(sd.outcome_table(r)["cumulative"].iloc[0]) for r in (without, with_help)]
    assert pay.table.loc["Early help", "Perfect storm"] == pytest.approx(
        rob.value_per_unit * (cum[0] - cum[1]) - 2.0, abs=1e-4)
    assert robustness.minimax_regret(pay.table) == "Early help at scale"
    assert robustness.maximin(pay.table) == "Do nothing"


def test_scenario_with_a_parameter_the_model_lacks(wiltshire: tuple) -> None:
    model, _, _ = wiltshire
    fut = scenarios.read_futures(FIXTURES / "unknown_param_futures.yaml")
    with pytest.raises(ModelError) as err:
        scenarios.run_futures(model, fut)
    text = str(err.value)
    assert "futures.yaml, scenario 'Rainy days'" in text and "no variable called 'rainfall'" in text


def test_scenario_and_option_must_not_share_a_lever(wiltshire: tuple) -> None:
    model, fut, policies = wiltshire
    data = fut.model_dump()
    data["scenarios"][0]["params"]["early help reach"] = 0.2
    clash = scenarios.Futures.model_validate(data)
    with pytest.raises(scenarios.ScenarioError, match="both set early help reach.*FUT-3"):
        robustness.payoffs_from_model(model, clash, policies)


def test_option_naming_an_unknown_policy(wiltshire: tuple) -> None:
    model, fut, policies = wiltshire
    data = fut.model_dump()
    data["robustness"]["options"][1]["policy"] = "early hlep"
    with pytest.raises(scenarios.ScenarioError, match="scenarios.yaml has no run 'early hlep'"):
        robustness.payoffs_from_model(model, scenarios.Futures.model_validate(data), policies)


def test_computed_payoffs_need_a_model(wiltshire: tuple) -> None:
    _, fut, _ = wiltshire
    with pytest.raises(scenarios.ScenarioError, match="there is none"):
        robustness.futures_payoffs(fut)
