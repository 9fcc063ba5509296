"""BM-1 behaviour-mode classifier: the BM-T1 known answers (methods.md §3.4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stp_helpers.errors import StpError
from stp_helpers.sd import MODES, classify_behaviour, classify_frame

T = np.arange(0, 50 + 0.25, 0.25)
BM_T1 = [
    (100 * np.exp(0.05 * T), "exponential"),
    (70 + 110 * np.exp(-T / 10), "goal seeking"),
    (1000 / (1 + 99 * np.exp(-0.3 * T)), "S-shaped"),
    (100 + 20 * np.exp(-0.05 * T) * np.sin(0.5 * T), "oscillation"),
    (5 + 100 * np.exp(-(((T - 20) / 6) ** 2)), "overshoot and collapse"),
    (100 * (1 - np.exp(-0.15 * T) * (np.cos(0.3 * T) + 0.5 * np.sin(0.3 * T))),
     "S-shaped with overshoot"),
    (3 * T + 2, "linear"),
    (np.full_like(T, 7.0), "equilibrium"),
]


@pytest.mark.parametrize("series, expected", BM_T1, ids=[e for _, e in BM_T1])
def test_bm_t1(series, expected):
    assert classify_behaviour(series) == expected
    assert expected in MODES


def test_decline_modes_mirror_growth():
    assert classify_behaviour(100 * np.exp(-0.05 * T)[::-1] * -1 + 500) in MODES
    assert classify_behaviour(-100 * np.exp(0.05 * T)) == "exponential"  # decline
    assert classify_behaviour(-(70 + 110 * np.exp(-T / 10))) == "goal seeking"


def test_accepts_series_and_lists():
    assert classify_behaviour(pd.Series(3 * T + 2, index=T)) == "linear"
    assert classify_behaviour([1.0, 2.0, 3.0]) == "linear"


def test_bad_input():
    with pytest.raises(StpError, match="at least 3"):
        classify_behaviour([1.0])
    with pytest.raises(StpError, match="NaN"):
        classify_behaviour([1.0, np.nan, 2.0])


def test_classify_frame():
    frame = pd.DataFrame({"a": 3 * T + 2, "b": np.full_like(T, 7.0)})
    assert classify_frame(frame).to_dict() == {"a": "linear", "b": "equilibrium"}


def test_a_dip_before_rising_is_not_overshoot():
    """Issue 22's counter-example: 0.25% below a level, then a steady rise that never exceeds its end."""
    t = np.arange(0, 100.25, 0.25)
    rise = 100 / (1 + np.exp(-(t - 50) / 6))
    y = 100 + rise - rise[0]
    y[1:] -= 0.25
    assert y.max() <= y[-1] and y.min() == pytest.approx(99.75, abs=0.01)
    assert classify_behaviour(y) == "S-shaped"


def test_overshoot_means_going_beyond_the_final_level():
    t = np.arange(0, 100.25, 0.25)
    settles = 150 - 50 * np.exp(-t / 10) * np.cos(t / 5)  # above its end of 150, then back
    assert settles.max() > settles[-1] + 0.01 * np.ptp(settles)
    assert classify_behaviour(settles) == "S-shaped with overshoot"
    bump = np.concatenate([[0.0, 0.5], np.linspace(0.4, 0.0, 20)]) * 0 + np.r_[
        np.linspace(0, 10, 11), np.linspace(10, 4, 11)]  # rises, then falls back most of the way
    assert classify_behaviour(bump) == "overshoot and collapse"
