"""PolicyExplorer without a browser: sliders rerun the model, errors go to the status line."""

from __future__ import annotations

import html

import pytest

from stp_helpers import charts, sd
from stp_helpers.charts import sd as sd_charts
from stp_helpers.errors import ModelError
from stp_helpers.widgets.policy import PolicyExplorer

CASE = "wiltshire-complex-needs"


@pytest.fixture(scope="module")
def model() -> sd.Model:
    return sd.case_model(CASE)


def _expected_title(model: sd.Model, params: dict[str, float]) -> str:
    base = model.run()["In crisis"].iloc[-1]
    current = model.run(params=params)["In crisis"].iloc[-1]
    change = (current - base) / base * 100
    word = "lower" if change < 0 else "higher"
    return (f"In crisis ends {abs(change):.0f}% {word} than in the baseline by month 240: "
            f"{charts.number(current)} against {charts.number(base)}")


def test_levers_default_to_the_scenario_parameters() -> None:
    app = PolicyExplorer.from_case(CASE)
    assert list(app.sliders) == ["early help switch", "early help reach", "early help effectiveness",
                                 "early help start"]
    assert all(not s.continuous_update for s in app.sliders.values())
    assert app.title.endswith("as in the baseline")
    assert repr(app) == f"PolicyExplorer: {app.title}"


def test_slider_redraws_with_an_independently_computed_title(model: sd.Model) -> None:
    app = PolicyExplorer(model, levers=["early help switch", "early help reach"], outputs=["In crisis"])
    before = app.view.spec
    app.sliders["early help switch"].value = 1
    app.sliders["early help reach"].value = 0.8
    assert app.view.spec != before and app.view.spec["title"]["text"] == app.title
    values = [r["value"] for r in app.view.spec["datasets"][app.view.spec["layer"][1]["data"]["name"]]]
    expected = model.run(params={"early help switch": 1, "early help reach": 0.8})["In crisis"]
    assert values == pytest.approx(list(expected))
    assert app.title == _expected_title(model, {"early help switch": 1, "early help reach": 0.8})
    assert "early help reach = 0.8" in app.status.value


def test_bad_value_shows_in_status_without_raising(model: sd.Model) -> None:
    app = PolicyExplorer(model, levers=["crisis duration"], outputs=["In crisis"])
    title = app.title
    slider = app.sliders["crisis duration"]
    slider.max = 100
    slider.value = 50  # outside the model's declared range [1, 12]
    assert "stp-error" in app.status.value and "outside the range" in app.status.value
    assert app.title == title


def test_reset_restores_values_and_chart(model: sd.Model) -> None:
    app = PolicyExplorer(model, levers=["early help switch", "crisis duration"], outputs=["In crisis"])
    first = app.title
    app.sliders["early help switch"].value = 1
    app.sliders["crisis duration"].max = 100
    app.sliders["crisis duration"].value = 50
    app.reset_button.click()
    assert app.sliders["crisis duration"].max == 12 and app.sliders["crisis duration"].value == 4
    assert app.params == {} and app.title == first
    assert "model file" in app.status.value


def test_views_work_on_every_case_with_a_model() -> None:
    for slug in ("wiltshire-complex-needs", "stoke-neet"):
        m = sd.case_model(slug)
        scenarios = sd.case_scenarios(slug)
        outcome = sd.key_outcome(m, scenarios)
        table = sd.scenario_table(m, scenarios, outcome)
        assert list(table["scenario"]) == [s.name for s in scenarios]
        assert table["final_change_pct"].iloc[0] == 0
        chart = sd_charts.scenario_chart(m, scenarios, outcome)
        assert charts.chart_title(chart).startswith(outcome)
        assert "(person)" in chart.to_dict()["layer"][0]["encoding"]["y"]["title"]


def test_uncertainty_chart_is_reproducible_and_small(model: sd.Model) -> None:
    a = sd_charts.uncertainty_chart(model, "In crisis", n=20, seed=1)
    b = sd_charts.uncertainty_chart(model, "In crisis", n=20, seed=1)
    assert a.to_dict() == b.to_dict()
    assert charts.chart_title(a).startswith("In 90% of 20 runs, In crisis ends between")
    assert len(a.data) < charts.MAX_ROWS if hasattr(a, "data") and a.data is not None else True


def test_the_app_module_holds_only_the_app() -> None:
    from stp_helpers.widgets import policy

    assert policy.__all__ == ["PolicyExplorer"]
    assert not hasattr(policy, "load_case_model") and not hasattr(policy, "outcome_chart")


def test_teaching_models_are_opened_by_name() -> None:
    assert sd.teaching_models() == ["bathtub", "failure_demand", "flawed_bathtub",
                                    "population_limits", "sir"]
    assert sd.teaching_model("bathtub").stocks == ["Water in tub"]
    with pytest.raises(ModelError, match="Use one of: bathtub"):
        sd.teaching_model("bath")


CONSTANT_INFLOW = ("{UTF-8}\nWaiting = INTEG(Referrals - seen, 10) ~ person ~ People waiting. |\n"
                   "Referrals = 5 ~ person/Week [0,20,1] ~ A constant inflow. |\n"
                   "seen = Waiting / 4 ~ person/Week ~ Outflow. |\n"
                   "INITIAL TIME = 0 ~ Week ~ Start. |\nFINAL TIME = 20 ~ Week ~ End. |\n"
                   "TIME STEP = 0.25 ~ Week ~ Step. |\nSAVEPER = 1 ~ Week ~ Save. |\n")


def test_a_constant_that_feeds_a_stock_is_a_lever(tmp_path) -> None:
    path = tmp_path / "queue.mdl"
    path.write_text(CONSTANT_INFLOW, encoding="utf-8")
    model = sd.load_model(path)
    assert "Referrals" in model.flows and "Referrals" in model.constants
    app = PolicyExplorer(model, levers=["Referrals"], outputs=["Waiting"])
    assert app.sliders["Referrals"].max == 20
    app.sliders["Referrals"].value = 10
    final = model.run(params={"Referrals": 10})["Waiting"].iloc[-1]
    assert charts.number(final) in app.title
    with pytest.raises(ModelError, match="'Waiting' is a stock, not a scalar constant"):
        PolicyExplorer(model, levers=["Waiting"])


def test_title_reports_a_changed_path_when_the_end_is_the_same() -> None:
    bath = sd.teaching_model("bathtub")
    app = PolicyExplorer(bath, levers=["initial water"], outputs=["Water in tub"])
    app.sliders["initial water"].value = 45  # starts near the goal: settles sooner, same end
    base = bath.run()["Water in tub"]
    run = bath.run(params={"initial water": 45})["Water in tub"]
    assert abs(run.iloc[-1] - base.iloc[-1]) / base.iloc[-1] < 0.005
    band = 0.02 * (base.max() - base.min())
    settle = [float(s.index[max(i for i, v in enumerate(abs(s - s.iloc[-1]) > band) if v) + 1])
              for s in (run, base)]
    assert app.title == (f"Water in tub settles sooner, by minute {settle[0]:g} against "
                         f"{settle[1]:g} in the baseline, and ends at {charts.number(run.iloc[-1])} "
                         f"as in the baseline")


def test_a_lever_that_an_off_switch_silences_is_explained(model: sd.Model) -> None:
    app = PolicyExplorer(model, levers=["early help switch", "early help reach"], outputs=["In crisis"])
    app.sliders["early help reach"].value = 0.9
    assert app.title.endswith("as in the baseline")
    assert ("early help reach = 0.9 has no effect while early help switch is 0: set early help "
            "switch to 1 to see it act.") in html.unescape(app.status.value)
    app.sliders["early help switch"].value = 1
    assert "no effect" not in app.status.value and "lower than in the baseline" in app.title


def test_runs_are_cached_per_parameter_set(model: sd.Model, monkeypatch) -> None:
    app = PolicyExplorer(model, levers=["early help switch", "early help reach"], outputs=["In crisis"])
    calls = []
    real = model.run
    monkeypatch.setattr(model, "run", lambda *a, **k: calls.append(k.get("params")) or real(*a, **k))
    app.sliders["early help switch"].value = 1
    app.sliders["early help switch"].value = 0
    app.sliders["early help switch"].value = 1
    assert len(calls) == 1 and calls[0]["early help switch"] == 1.0  # each set runs once
