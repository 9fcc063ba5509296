"""The futures apps and notebook views without a browser."""

from __future__ import annotations

import pytest

from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios
from stp_helpers.display import HTML, Markdown
from stp_helpers.widgets import scenarios as views
from stp_helpers.widgets.scenarios import DriverRanker, RegretExplorer


def test_regret_explorer_weights_move_the_choice() -> None:
    app = RegretExplorer(robustness.example_payoffs(), unit="£m")
    assert "expected value picks B" in app.choice_text
    spec = app.view.chart.to_dict()
    app.sliders["S1"].value = 10
    assert app.choice_text.startswith("With these weights, expected value picks C;")
    assert app.title.startswith("B is the robust choice")  # minimax regret ignores weights
    app.sliders["S4"].value = 0  # rule S4 out: the regret table loses its column
    assert app.view.chart.to_dict() != spec
    assert "S4" not in app.rules.value and "minimax regret picks A" in app.choice_text


def test_regret_explorer_all_zero_shows_the_problem() -> None:
    app = RegretExplorer(robustness.example_payoffs())
    for slider in app.sliders.values():
        slider.value = 0
    assert "stp-error" in app.status.value and "weight 0" in app.status.value


def test_regret_explorer_from_cases() -> None:
    assert RegretExplorer.from_case("wolverhampton-flamingos").title.startswith("Keep running Flamingos rounds")
    fallback = RegretExplorer.from_case("stoke-neet")
    assert fallback.title.startswith("B is the robust choice")


def test_driver_ranker_updates_the_axes() -> None:
    app = DriverRanker(scenarios.example_drivers())
    app.driver.value = "housing supply"
    assert (app.impact.value, app.uncertainty.value) == (4, 4)
    app.impact.value, app.uncertainty.value = 5, 5
    assert "central funding settlement × housing supply" in app.status.value
    assert app.title.startswith("Central funding settlement, housing supply")


@pytest.mark.parametrize("view", [views.drivers_view, views.matrix_view, views.tree_view, views.horizons_view,
                                  views.claims_view, views.payoffs_view, views.regret_view, views.sweep_view,
                                  views.signposts_view, views.narratives_view])
def test_views_say_what_a_case_lacks(view) -> None:
    cf = views.case_futures("stoke-neet")
    out = view(cf)
    assert isinstance(out, Markdown) and "has no `" in out.text and "stp new-case" in out.text


def test_views_on_wiltshire() -> None:
    cf = views.case_futures("wiltshire-complex-needs")
    assert cf.missing == []
    assert isinstance(views.matrix_view(cf), HTML)
    assert repr(views.runs_view(cf)).startswith("Chart: By month 240, total agency contacts ranges from")
    assert "no question tree" in views.tree_view(cf).text


def test_signposts_link_to_tracked_indicators(tmp_path, monkeypatch) -> None:
    from stp_helpers import case

    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    folder = case.new_case("my-wiltshire", template="wiltshire-complex-needs")
    # the copy lists indicators.csv already; track one of the futures' signposts
    (folder / "indicators.csv").write_text("indicator,period,value\nrent_arrears_cases,2024-01,10\n")
    cf = views.case_futures("my-wiltshire")
    assert views.tracked_indicators(cf) == ["rent arrears cases"]
    table = views.signposts_view(cf)
    assert set(table.loc[table["indicator"] == "Rent arrears cases", "tracked"]) == {"yes"}
    assert set(table.loc[table["indicator"] != "Rent arrears cases", "tracked"]) == {"no"}
    # a case that tracks nothing gets no column
    assert "tracked" not in views.signposts_view(views.case_futures("wolverhampton-flamingos")).columns
