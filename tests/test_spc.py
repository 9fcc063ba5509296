"""XmR limits and detection rules against the methods reference (SPC-T1, TGT-T1, FD-T1), and bad series."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers.evaluation import spc
from stp_helpers.errors import CaseFileError

FIX = Path(__file__).parent / "fixtures" / "evaluation"
SPC_T1 = [52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49, 51, 53, 55, 56, 57, 58, 59, 57]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.0005  # methods.md: compare to half the last digit shown


def test_spc_t1_limits() -> None:
    limits = spc.xmr_limits(SPC_T1, baseline=12)
    assert _close(limits.centre, 50.583) and _close(limits.mr_bar, 4.364)
    assert _close(limits.upper, 62.191) and _close(limits.lower, 38.976)
    assert abs(limits.url - 14.260) <= 0.005 and _close(limits.sigma, 3.868)


def test_spc_t1_signals() -> None:
    signals = spc.detect_signals(SPC_T1, spc.xmr_limits(SPC_T1, baseline=12))
    by_rule = {r: [s for s in signals if s.rule == r] for r in spc.RULES}
    assert [s.point for s in by_rule["1"]] == [13]
    assert [s.point for s in by_rule["mR"]] == [13, 14]
    assert [s.point for s in by_rule["3"]] == [20, 21, 22]
    assert [s.points for s in by_rule["4"]] == [tuple(range(15, 23))]
    assert by_rule["2"] == []


UNIT = spc.XmRLimits(centre=0.0, mr_bar=1.128, baseline=8)  # sigma 1, limits ±3.0, URL 3.686


@pytest.mark.parametrize("series,rule,point,points", [
    ([0, 0, 3.5, 0], "1", 3, (3,)),
    ([0, 0, 2.5, 0, 2.5], "2", 5, (3, 5)),
    ([1.5, 1.5, 0, 1.5, 1.5], "3", 5, (1, 2, 4, 5)),
    ([0.5] * 8, "4", 8, tuple(range(1, 9))),
    ([0, 2.9, -2.9], "mR", 3, (3,)),
])
def test_each_rule_alone(series: list[float], rule: str, point: int, points: tuple[int, ...]) -> None:
    signals = spc.detect_signals(series, UNIT)
    assert [(s.rule, s.point, s.points) for s in signals] == [(rule, point, points)]


def test_seven_in_a_run_is_not_a_signal() -> None:
    assert spc.detect_signals([0.5] * 7, UNIT, rules=("4",)) == []


def test_tgt_t1() -> None:
    limits = spc.xmr_limits(SPC_T1, baseline=12)
    assert spc.judge_target(limits, 50, "lower").verdict == "chance"
    assert spc.judge_target(limits, 35, "lower").verdict == "system change needed"
    assert spc.judge_target(limits, 70, "lower").verdict == "met by the system as it is"


def test_fd_t1_from_file() -> None:
    records = spc.read_demand(FIX / "demand_fd_t1.csv")
    table = spc.failure_share_by_period(records)
    assert table.loc[0, "failure"] == 720 and table.loc[0, "total"] == 1200
    assert table.loc[0, "failure_share"] == pytest.approx(0.60)
    assert spc.failure_demand_summary(records)["count"].sum() == 1200


@pytest.mark.parametrize("values,words", [
    ("52, 48, x", "not numbers: point 3 ('x')"),
    ([1, None, 3], "missing values: point 2"),
    ("1,,3", "missing values: point 2"),
    ([1, float("nan")], "missing values: point 2"),
    ("", "empty"),
])
def test_bad_series_messages(values: object, words: str) -> None:
    with pytest.raises(spc.SeriesError) as info:
        spc.parse_series(values)
    assert words in str(info.value)


def test_too_few_points() -> None:
    with pytest.raises(spc.SeriesError, match="at least 6 baseline points; this one has 5"):
        spc.xmr_limits([1, 2, 3, 4, 5])
    with pytest.raises(spc.SeriesError, match="longer than the series"):
        spc.xmr_limits([1, 2, 3, 4, 5, 6, 7], baseline=9)


def test_indicator_file_problems_are_all_reported() -> None:
    with pytest.raises(CaseFileError) as info:
        spc.read_indicators(FIX / "indicators_bad.csv")
    assert 'row 3, column "value": \'lots\' is not a number' in str(info.value)


def test_missing_value_in_a_series_names_the_period(tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text("indicator,period,value\nx,2024-01,1\nx,2024-02,\n")
    rows = spc.read_indicators(path)
    with pytest.raises(spc.SeriesError, match="missing values for 2024-02"):
        spc.indicator_series(rows, "x")


def test_demand_period_with_no_contacts() -> None:
    import pandas as pd

    rows = pd.DataFrame({"period": ["m1", "m2"], "demand": "x", "kind": "failure", "count": [3, 0]})
    with pytest.raises(spc.SeriesError, match="No contacts recorded for m2"):
        spc.failure_share_by_period(rows)


@pytest.mark.parametrize("slug", ["stoke-neet", "plymouth-alliance"])
def test_case_files_read(slug: str) -> None:
    from stp_helpers import case

    found = case.load(slug)
    assert spc.read_indicators(found.artefact_path("indicators.csv"))
    assert spc.read_demand(found.artefact_path("demand.csv"))
