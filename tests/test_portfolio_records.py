"""Off-the-job log against the planned minimum, progress reviews and the gateway checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers.charts.portfolio import chart_title, hours_chart
from stp_helpers.errors import StpError
from stp_helpers.learner import records
from stp_helpers.learner.store import PortfolioStore
from tests.test_portfolio import wiltshire_thread


def test_hours_total_against_the_planned_minimum_and_by_month(tmp_path: Path) -> None:
    store = PortfolioStore("ann", root=tmp_path)
    records.set_planned_hours(store, 278)
    records.log_hours(store, "2026-01-12", 7.5, "Module day: causal loops", off_the_job=True, ksbs=("K1", "S3"))
    records.log_hours(store, "2026-01-26", 3, "Reading Meadows ch. 1", off_the_job=True)
    records.log_hours(store, "2026-02-02", 1.5, "Normal team meeting", off_the_job=False)
    records.log_hours(store, "2026-02-09", 6, "Hub workshop design", off_the_job=True, ksbs=("S5",))
    assert records.hours_summary(store) == {"off_the_job": 16.5, "other": 1.5, "planned": 278.0, "remaining": 261.5}
    months = records.hours_by_month(store)
    assert months.to_dict("records") == [{"month": "2026-01", "off_the_job": 10.5, "other": 0.0},
                                         {"month": "2026-02", "off_the_job": 6.0, "other": 1.5}]
    chart = hours_chart(months, planned=278)
    assert chart_title(chart) == "16.5 of 278 planned off-the-job hours logged"
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "bar" and spec["encoding"]["x"]["field"] == "month"
    assert records.log_frame(store)["ksbs"].tolist()[0] == ["K1", "S3"]
    with pytest.raises(StpError, match="not a number of hours in a day"):
        records.log_hours(store, "2026-02-10", 30, "Too much", off_the_job=True)
    with pytest.raises(StpError, match="not a date"):
        records.log_hours(store, "10/02/2026", 3, "Wrong date", off_the_job=True)
    with pytest.raises(StpError, match="is not a KSB"):
        records.log_hours(store, "2026-02-10", 3, "Wrong KSB", off_the_job=True, ksbs=("S99",))


def test_reviews_are_dated_with_targets(tmp_path: Path) -> None:
    store = PortfolioStore("ann", root=tmp_path)
    records.add_review(store, "2026-04-01", "R. Singh (tutor), J. Patel (employer)", "On track; hours behind.",
                       ["Log the February workshop hours", "", "Draft the project proposal by May"])
    records.add_review(store, "2026-01-05", "R. Singh (tutor)", "First review.", ["Set the planned minimum"])
    got = records.reviews(store)
    assert [r["date"] for r in got] == ["2026-01-05", "2026-04-01"]
    assert got[1]["targets"] == ["Log the February workshop hours", "Draft the project proposal by May"]
    with pytest.raises(StpError, match="at least one target"):
        records.add_review(store, "2026-05-01", "R. Singh", "Notes", ["  "])


def test_gateway_checklist_shows_coverage_sign_off_and_methods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = wiltshire_thread(tmp_path, monkeypatch)
    rows = records.gateway(store)
    assert rows[0]["item"] == "Portfolio coverage of every KSB" and rows[0]["ready"] is False
    assert rows[0]["detail"].startswith("5 of 25 evidenced, 1 verified; gaps: K3, K4, K5, S1, S2, S4")
    assert [r["ready"] for r in rows[1:]] == [False, False, False]
    records.set_gateway(store, employer_sign_off="J. Patel, 2026-06-30", english_maths="Level 2 held (GCSEs, 2014)")
    assert [r["ready"] for r in records.gateway(store)[1:]] == [True, True, False]
    with pytest.raises(StpError, match="not a gateway item"):
        records.set_gateway(store, mood="fine")
    methods = [m["method"] for m in records.ASSESSMENT_METHODS]
    assert methods == ["Work-based project with presentation and questioning",
                       "Professional discussion underpinned by a portfolio of evidence"]
    assert "check them against the current assessment plan" in records.ASSESSMENT_NOTE
