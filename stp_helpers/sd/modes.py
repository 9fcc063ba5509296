"""Behaviour modes of a time series (methods.md §3.4, rule ``BM-1``).

The modes are Sterman's (2000, ch. 4): exponential growth or decline,
goal seeking, oscillation, S-shaped growth, S-shaped growth with
overshoot, overshoot and collapse, plus ``linear``, ``equilibrium`` and
``other`` for what the rules do not place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from stp_helpers.errors import StpError

__all__ = ["classify_behaviour", "classify_frame", "MODES"]

#: Every label :func:`classify_behaviour` can return.
MODES = (
    "equilibrium",
    "exponential",
    "goal seeking",
    "S-shaped",
    "linear",
    "oscillation",
    "S-shaped with overshoot",
    "overshoot and collapse",
    "other",
)

_TOL = 0.001
_OVERSHOOT = 0.01  # beyond the final level by more than 1% of the range


def _turning_points(d: np.ndarray, threshold: float) -> list[int]:
    """Return indices into y where the first difference changes sign."""
    idx = np.flatnonzero(np.abs(d) >= threshold)
    if idx.size < 2:
        return []
    signs = np.sign(d[idx])
    change = np.flatnonzero(signs[1:] != signs[:-1])
    return [int(idx[c]) + 1 for c in change]


def classify_behaviour(series: Sequence[float] | np.ndarray | pd.Series) -> str:
    """Name the behaviour mode of an evenly sampled series (rule ``BM-1``).

    1. A range of at most 0.001 × max(1, max|y|) is ``"equilibrium"``.
    2. Turning points are sign changes of the first difference, ignoring
       steps smaller than 0.001 × range.  With k the first turning point,
       rise = |y_k − y_0| and net = |y_N − y_0|.  The series *overshoots*
       when it goes beyond its final level, in the direction it travels,
       by more than 0.01 × range (Sterman 2000, ch. 4: overshoot means
       exceeding the goal, not a dip before rising).  One turning point
       gives ``"overshoot and collapse"`` if net < rise/2, else ``"S-shaped
       with overshoot"`` if it overshoots, else the mode of the series from
       the turning point on (a dip or bump at the start is not a mode).  Two
       or more give ``"S-shaped with overshoot"`` if net ≥ rise/2, it
       overshoots and every later y_j is within rise/2 of y_N, else
       ``"oscillation"``.
    3. A monotonic series is classed by its second differences (ignoring
       those below 0.001 × max|first difference|) times the sign of
       y_N − y_0: all positive ``"exponential"``; all negative ``"goal
       seeking"``; one change from positive to negative ``"S-shaped"``;
       none ``"linear"``; otherwise ``"other"``.

    Parameters
    ----------
    series : sequence of float, numpy array or pandas Series
        Values at evenly spaced times (a Series' index is ignored).

    Returns
    -------
    str
        One of :data:`MODES`.

    Raises
    ------
    StpError
        If the series has fewer than three values or any value is NaN or infinite.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(0, 50.25, 0.25)
    >>> classify_behaviour(100 * np.exp(0.05 * t))
    'exponential'
    >>> classify_behaviour(70 + 110 * np.exp(-t / 10))
    'goal seeking'
    >>> classify_behaviour(1000 / (1 + 99 * np.exp(-0.3 * t)))
    'S-shaped'
    >>> classify_behaviour(3 * t + 2)
    'linear'
    >>> classify_behaviour([7, 7, 7])
    'equilibrium'
    >>> classify_behaviour([1, 2])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.StpError: A behaviour mode needs at least 3 values; got 2. Run the model for longer or save output more often (smaller SAVEPER).
    """
    y = np.asarray(series, dtype=float).ravel()
    if y.size < 3:
        raise StpError(
            f"A behaviour mode needs at least 3 values; got {y.size}.",
            "Run the model for longer or save output more often (smaller SAVEPER).",
        )
    if not np.all(np.isfinite(y)):
        raise StpError(
            "The series holds NaN or infinite values, so it has no behaviour mode.",
            "Check the model run for invalid numbers first (model.run reports where).",
        )
    span = float(y.max() - y.min())
    if span <= _TOL * max(1.0, float(np.abs(y).max())):
        return "equilibrium"
    d = np.diff(y)
    turns = _turning_points(d, _TOL * span)
    if turns:
        k = turns[0]
        rise = abs(y[k] - y[0])
        net = abs(y[-1] - y[0])
        up = y[-1] >= y[0]
        beyond = float(y.max() - y[-1]) if up else float(y[-1] - y.min())
        overshoots = beyond > _OVERSHOOT * span
        if len(turns) == 1:
            if net < rise / 2:
                return "overshoot and collapse"
            if overshoots:
                return "S-shaped with overshoot"
            return classify_behaviour(y[k:]) if y.size - k >= 3 else "other"
        settled = bool(np.all(np.abs(y[k + 1 :] - y[-1]) <= rise / 2))
        if net >= rise / 2 and settled and overshoots:
            return "S-shaped with overshoot"
        return "oscillation"
    dd = np.diff(d)
    dd = dd[np.abs(dd) >= _TOL * float(np.abs(d).max())] * np.sign(y[-1] - y[0])
    if dd.size == 0:
        return "linear"
    signs = np.sign(dd)
    if np.all(signs > 0):
        return "exponential"
    if np.all(signs < 0):
        return "goal seeking"
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    if changes.size == 1 and signs[0] > 0:
        return "S-shaped"
    return "other"


def classify_frame(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.Series:
    """Classify each column of a run (see :func:`classify_behaviour`).

    Parameters
    ----------
    frame : pandas.DataFrame
        A run as returned by ``Model.run`` (one column per variable).
    columns : sequence of str or None
        Columns to classify; default all numeric columns.

    Returns
    -------
    pandas.Series
        Mode per column, named ``"mode"``.

    Raises
    ------
    StpError
        As :func:`classify_behaviour`.

    Examples
    --------
    >>> import pandas as pd
    >>> classify_frame(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [5.0, 5, 5, 5]})).to_dict()
    {'a': 'linear', 'b': 'equilibrium'}
    """
    cols = list(columns) if columns is not None else list(
        frame.select_dtypes(include=[np.number]).columns
    )
    return pd.Series({c: classify_behaviour(frame[c]) for c in cols}, name="mode")
