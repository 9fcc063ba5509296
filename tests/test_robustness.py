"""Regret and decision rules: known answers from methods.md §6.6 (FUT-T3) and bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from stp_helpers.futures import robustness as rb

FUT_T3 = {
    "A": {"S1": 10, "S2": 6, "S3": 2, "S4": -4},
    "B": {"S1": 8, "S2": 7, "S3": 5, "S4": 1},
    "C": {"S1": 12, "S2": 3, "S3": -1, "S4": -6},
    "D": {"S1": 2, "S2": 2, "S3": 2, "S4": 2},
}


@pytest.fixture
def table() -> pd.DataFrame:
    return rb.payoff_table(FUT_T3)


def test_fut_t3_regrets(table: pd.DataFrame) -> None:
    regrets = rb.regret_table(table)
    assert table.max().tolist() == [12, 7, 5, 2]  # column maxima
    assert regrets.loc["A", ["S1", "S2", "S3", "S4"]].tolist() == [2, 1, 3, 6]
    assert regrets.loc["B", ["S1", "S2", "S3", "S4"]].tolist() == [4, 0, 0, 1]
    assert regrets.loc["C", ["S1", "S2", "S3", "S4"]].tolist() == [0, 4, 6, 8]
    assert regrets.loc["D", ["S1", "S2", "S3", "S4"]].tolist() == [10, 5, 3, 0]
    assert regrets["max regret"].to_dict() == {"A": 6, "B": 4, "C": 8, "D": 10}


def test_fut_t3_rules(table: pd.DataFrame) -> None:
    assert rb.minimax_regret(table) == "B"
    assert rb.maximin(table) == "D"
    assert rb.maximax(table) == "C"
    assert rb.expected_value_choice(table) == "B"
    ev = rb.expected_values(table)
    assert ev.to_dict() == pytest.approx({"A": 3.5, "B": 5.25, "C": 2.0, "D": 2.0})
    summary = rb.decision_summary(table)
    assert dict(zip(summary["rule"], summary["choice"])) == {
        "minimax regret": "B", "maximin": "D", "maximax": "C", "expected value": "B"}
    choice = rb.robust_choice(table)
    assert choice.robust == "B" and choice.max_regret == 4 and choice.agree == ("minimax regret", "expected value")


def test_weights_move_the_expected_value_choice(table: pd.DataFrame) -> None:
    # By hand: weights 10:1:1:1 give C (116/13 = 8.92) over A (104/13 = 8.0) and B (93/13 = 7.15).
    assert rb.expected_value_choice(table, {"S1": 10, "S2": 1, "S3": 1, "S4": 1}) == "C"
    # B and C tie when S1 weighs 17/29 and the rest share equally.
    sweep = rb.weight_sweep(table, "S1", steps=30)
    assert rb.switch_points(rb.weight_sweep(table, "S1", steps=101)) == [(0.59, "B", "C")]
    assert set(sweep["option"]) == set(FUT_T3) and sweep["weight"].between(0, 1).all()
    w = 17 / 29
    mix = {"S1": w, "S2": (1 - w) / 3, "S3": (1 - w) / 3, "S4": (1 - w) / 3}
    ev = rb.expected_values(table, mix)
    assert math.isclose(ev["B"], ev["C"], abs_tol=1e-9)
    # Minimax regret ignores weights entirely.
    assert rb.decision_summary(table, {"S1": 10, "S2": 1, "S3": 1, "S4": 1})["choice"].iloc[0] == "B"


def test_costs_where_lower_is_better() -> None:
    costs = rb.payoff_table({o: {s: -v for s, v in row.items()} for o, row in FUT_T3.items()})
    assert rb.regret_table(costs, better="lower")["max regret"].to_dict() == {"A": 6, "B": 4, "C": 8, "D": 10}
    assert rb.minimax_regret(costs, "lower") == "B"
    assert rb.maximin(costs, "lower") == "D"
    assert rb.maximax(costs, "lower") == "C"
    assert rb.expected_value_choice(costs, better="lower") == "B"


def test_ties_are_named() -> None:
    table = rb.payoff_table({"x": {"s1": 1, "s2": 3}, "y": {"s1": 3, "s2": 1}})
    summary = rb.decision_summary(table)
    row = summary[summary["rule"] == "minimax regret"].iloc[0]
    assert row["choice"] == "x" and row["tied with"] == "y"


def test_one_option_one_scenario() -> None:
    table = rb.payoff_table({"only": {"s": 5}})
    assert rb.regret_table(table)["max regret"].tolist() == [0]
    assert rb.minimax_regret(table) == "only"


def test_missing_cells_are_listed() -> None:
    with pytest.raises(rb.RobustnessError) as err:
        rb.payoff_table({"A": {"S1": 1, "S2": 2}, "B": {"S1": 3}, "C": {"S2": 1}})
    text = str(err.value)
    assert "2 missing cells" in text and "option 'B' under scenario 'S2'" in text
    assert "option 'C' under scenario 'S1'" in text and "Fill in every option" in text


@pytest.mark.parametrize("bad, words", [
    ({"A": {"S1": "lots"}}, "is not a number"),
    ({"A": {"S1": float("inf")}}, "is not finite"),
    ({"A": {"S1": True}}, "is not a number"),
    ({}, "is empty"),
])
def test_bad_tables(bad: dict, words: str) -> None:
    with pytest.raises(rb.RobustnessError, match=words):
        rb.payoff_table(bad)


@pytest.mark.parametrize("weights, words", [
    ({"S1": 1, "S2": 1, "S3": 1, "S9": 1}, "lacks: 'S9'"),
    ({"S1": 1, "S2": 1, "S3": 1}, "No weight given for 'S4'"),
    ({"S1": -1, "S2": 1, "S3": 1, "S4": 1}, "negative"),
    ({"S1": 0, "S2": 0, "S3": 0, "S4": 0}, "add up to 0"),
])
def test_bad_weights(table: pd.DataFrame, weights: dict, words: str) -> None:
    with pytest.raises(rb.RobustnessError, match=words):
        rb.expected_values(table, weights)


def test_bad_direction_and_sweep(table: pd.DataFrame) -> None:
    with pytest.raises(rb.RobustnessError, match="not a direction"):
        rb.regret_table(table, better="bigger")  # type: ignore[arg-type]
    with pytest.raises(rb.RobustnessError, match="no scenario 'S9'"):
        rb.weight_sweep(table, "S9")
