"""Fit statistics and calibration (methods.md §3.6).

MSE, RMSE, MAPE and Theil's inequality statistics (Theil 1966; Sterman
1984) compare a simulated series S with data A; :func:`calibrate` fits
chosen constants to data with ``scipy.optimize.least_squares``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError, StpError
from stp_helpers.sd.model import Model

__all__ = ["FitStats", "fit_statistics", "Calibration", "calibrate", "align"]


@dataclass(frozen=True)
class FitStats:
    """How well a simulated series matches data.

    Attributes
    ----------
    n : int
        Number of paired points.
    mse, rmse : float
        Mean squared error and its square root.
    mape : float
        Mean absolute percentage error in percent (points with A = 0 are
        left out; ``nan`` if every A is 0).
    r : float
        Correlation of S and A (``nan`` if either is constant).
    um, us, uc : float
        Theil's bias, unequal-variation and unequal-covariation shares of
        the MSE (sum to 1; ``nan`` when MSE = 0).
    """

    n: int
    mse: float
    rmse: float
    mape: float
    r: float
    um: float
    us: float
    uc: float

    def sentence(self, name: str = "the series") -> str:
        """Describe the fit in one sentence."""
        if self.mse == 0:
            return f"The simulation reproduces {name} exactly."
        largest = max(("bias (U_M)", self.um), ("unequal variation (U_S)", self.us),
                      ("unsystematic error (U_C)", self.uc),
                      key=lambda kv: -1 if math.isnan(kv[1]) else kv[1])
        return (
            f"For {name}: RMSE {self.rmse:.4g}, MAPE {self.mape:.3g}%; most of the error is "
            f"{largest[0]} at {largest[1]:.0%}."
        )


def fit_statistics(
    simulated: Sequence[float] | np.ndarray | pd.Series,
    actual: Sequence[float] | np.ndarray | pd.Series,
) -> FitStats:
    """Return MSE, RMSE, MAPE, r and Theil's U_M, U_S, U_C.

    MSE = (S̄ − Ā)² + (s_S − s_A)² + 2(1 − r) s_S s_A with population
    standard deviations, so U_M + U_S + U_C = 1.

    Parameters
    ----------
    simulated, actual : sequence of float
        Paired values of equal length (pairs with a NaN are dropped).

    Returns
    -------
    FitStats

    Raises
    ------
    StpError
        If the lengths differ or fewer than two pairs remain.

    Examples
    --------
    >>> s = fit_statistics([11, 13, 15, 17, 19], [10, 12, 14, 16, 18])
    >>> tuple(round(v, 12) for v in (s.mse, s.rmse, s.um, s.us, s.uc))
    (1.0, 1.0, 1.0, 0.0, 0.0)
    >>> s = fit_statistics([21, 24, 24, 29, 31, 33, 38, 41], [20, 22, 25, 27, 30, 34, 36, 40])
    >>> round(s.mse, 4), round(s.rmse, 4), round(s.mape, 4), round(s.r, 5)
    (2.125, 1.4577, 4.9785, 0.98435)
    >>> round(s.um, 4), round(s.us, 4), round(s.uc, 4)
    (0.3603, 0.0005, 0.6392)
    """
    sim = np.asarray(simulated, dtype=float).ravel()
    act = np.asarray(actual, dtype=float).ravel()
    if sim.shape != act.shape:
        raise StpError(
            f"Simulated and actual series differ in length ({sim.size} and {act.size}).",
            "Compare the two at the same times (see sd.align).",
        )
    keep = np.isfinite(sim) & np.isfinite(act)
    sim, act = sim[keep], act[keep]
    if sim.size < 2:
        raise StpError(
            f"Fit statistics need at least two paired values; got {sim.size}.",
            "Check that the data and the run share time points.",
        )
    err = sim - act
    mse = float(np.mean(err**2))
    nz = act != 0
    mape = float(np.mean(np.abs(err[nz]) / np.abs(act[nz])) * 100) if nz.any() else math.nan
    s_s, s_a = float(np.std(sim)), float(np.std(act))
    r = float(np.corrcoef(sim, act)[0, 1]) if s_s > 0 and s_a > 0 else math.nan
    if mse == 0:
        um = us = uc = math.nan
    else:
        um = float((sim.mean() - act.mean()) ** 2 / mse)
        us = float((s_s - s_a) ** 2 / mse)
        cov = 0.0 if math.isnan(r) else 2 * (1 - r) * s_s * s_a
        uc = float(cov / mse)
    return FitStats(int(sim.size), mse, math.sqrt(mse), mape, r, um, us, uc)


def align(run: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """Interpolate a run at the data's times, for the data's columns.

    Parameters
    ----------
    run : pandas.DataFrame
        Model output indexed by time.
    data : pandas.DataFrame
        Observations indexed by time; columns name model variables.

    Returns
    -------
    pandas.DataFrame
        Simulated values at ``data.index`` for ``data.columns``.

    Raises
    ------
    StpError
        If a data column is not in the run.

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"x": [0.0, 10.0, 20.0]}, index=[0.0, 1.0, 2.0])
    >>> align(run, pd.DataFrame({"x": [1.0]}, index=[0.5]))["x"].tolist()
    [5.0]
    """
    missing = [c for c in data.columns if c not in run.columns]
    if missing:
        raise StpError(
            f"The data has columns the run lacks: {', '.join(map(repr, missing))}.",
            "Name data columns exactly as the model's variables (see model.table()).",
        )
    t = np.asarray(run.index, dtype=float)
    out = {c: np.interp(np.asarray(data.index, dtype=float), t, run[c].to_numpy(float))
           for c in data.columns}
    return pd.DataFrame(out, index=data.index)


@dataclass
class Calibration:
    """The result of :func:`calibrate`.

    Attributes
    ----------
    values : dict
        Fitted value of each parameter.
    start : dict
        Starting values.
    stats : dict
        :class:`FitStats` per data column at the fitted values.
    success : bool
        Whether the optimiser reported convergence.
    message : str
        The optimiser's message.
    n_runs : int
        Model runs used.
    """

    values: dict[str, float]
    start: dict[str, float]
    stats: dict[str, FitStats]
    success: bool
    message: str
    n_runs: int
    run: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def table(self) -> pd.DataFrame:
        """Return one row per parameter: start and fitted value."""
        return pd.DataFrame({"start": self.start, "fitted": self.values}).rename_axis("parameter")


def calibrate(
    model: Model,
    data: pd.DataFrame,
    bounds: Mapping[str, tuple[float, float]],
    start: Mapping[str, float] | None = None,
    max_runs: int = 400,
) -> Calibration:
    """Fit constants of ``model`` to observed data (bounded least squares).

    Residuals are (S − A) / scale per column, with scale the data column's
    standard deviation (or mean absolute value, or 1), so variables of
    different size weigh alike.

    Parameters
    ----------
    model : Model
        An opened model.
    data : pandas.DataFrame
        Observations indexed by time; columns are model variable names.
    bounds : mapping
        Parameter name → (lower, upper) for each parameter to fit.
    start : mapping or None
        Starting values; default the model's values clipped into the bounds.
    max_runs : int
        Limit on model runs (function evaluations).

    Returns
    -------
    Calibration

    Raises
    ------
    ModelError
        If a parameter is unknown, a bound is empty, or the model cannot
        run at the starting values.

    Examples
    --------
    >>> fit_statistics([1.0, 2.0], [1.0, 2.0]).rmse
    0.0
    """
    # heavy (scipy.optimize, about 0.3 s): loaded only when a model is calibrated
    from scipy.optimize import least_squares

    names = [model.resolve(n) for n in bounds]
    lo = np.array([float(bounds[k][0]) for k in bounds])
    hi = np.array([float(bounds[k][1]) for k in bounds])
    if np.any(lo >= hi):
        bad = [n for n, a, b in zip(names, lo, hi) if a >= b]
        raise ModelError(
            f"Calibration bounds are empty for {', '.join(map(repr, bad))}.",
            "Give each parameter (lower, upper) with lower < upper.",
        )
    base = model.base_values
    given = {model.resolve(k): float(v) for k, v in (start or {}).items()}
    x0 = np.array([given.get(n, base.get(n, (a + b) / 2)) for n, a, b in zip(names, lo, hi)])
    x0 = np.clip(x0, lo + 1e-12 * (hi - lo), hi - 1e-12 * (hi - lo))
    cols = [model.resolve(c) for c in data.columns]
    obs = data.set_axis(cols, axis=1).astype(float)
    scale = np.array([
        obs[c].std(ddof=0) or obs[c].abs().mean() or 1.0 for c in cols
    ])
    final_time = float(np.max(obs.index))
    runs = 0

    def simulate(x: np.ndarray) -> pd.DataFrame:
        nonlocal runs
        runs += 1
        params = dict(zip(names, map(float, x)))
        out = model.run(params=params, return_columns=cols, final_time=max(
            final_time, model.time_settings["FINAL TIME"]))
        return align(out, obs)

    def residuals(x: np.ndarray) -> np.ndarray:
        try:
            sim = simulate(x)
        except ModelError:
            return np.full(obs.size, 1e6)
        res = (sim.to_numpy() - obs.to_numpy()) / scale
        return np.nan_to_num(res[np.isfinite(obs.to_numpy())], nan=1e6, posinf=1e6, neginf=-1e6)

    simulate(x0)  # fail early and clearly if the start does not run
    result = least_squares(residuals, x0, bounds=(lo, hi), max_nfev=max_runs, x_scale="jac")
    fitted = dict(zip(names, map(float, result.x)))
    sim = simulate(result.x)
    stats = {c: fit_statistics(sim[c], obs[c]) for c in cols}
    model.reset()
    return Calibration(
        values=fitted,
        start=dict(zip(names, map(float, x0))),
        stats=stats,
        success=bool(result.success),
        message=str(result.message),
        n_runs=runs,
        run=sim,
    )
