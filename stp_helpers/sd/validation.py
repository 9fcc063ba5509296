"""Automated model tests after Sterman (2000, ch. 21); methods.md §3.3.

Each check returns a :class:`Check` (name, status, sentence, details);
:func:`validate` collects them in a :class:`ValidationReport` that prints
as sentences and renders as HTML in a notebook.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError
from stp_helpers.sd.fit import align, fit_statistics
from stp_helpers.sd.report import Check, ValidationReport
from stp_helpers.sd.model import Model
from stp_helpers.sd.modes import classify_behaviour

__all__ = [
    "Check",
    "ValidationReport",
    "IntegrationCheck",
    "check_integration_error",
    "check_extreme_conditions",
    "check_units",
    "check_flow_units",
    "check_reproduction",
    "validate",
    "relative_change",
]

_STATUSES = ("pass", "warn", "fail")


def relative_change(coarse: pd.DataFrame, fine: pd.DataFrame) -> float:
    """Return the largest |fine − coarse| over shared times, relative to max |fine|.

    Per column, the largest absolute difference is divided by the largest
    |value| of the finer run, so a stock that decays towards zero does not
    give huge relative errors; for a growing stock this is the relative
    difference at its peak (``SD-T1``).  The largest over columns is returned.

    Parameters
    ----------
    coarse, fine : pandas.DataFrame
        Two runs indexed by time with the same columns.

    Returns
    -------
    float

    Examples
    --------
    >>> import pandas as pd
    >>> relative_change(pd.DataFrame({"P": [100, 259.374246]}, index=[0, 10]),
    ...                 pd.DataFrame({"P": [100, 265.329771]}, index=[0, 10]))  # doctest: +ELLIPSIS
    0.02244...
    """
    idx_c = np.round(np.asarray(coarse.index, dtype=float), 9)
    idx_f = np.round(np.asarray(fine.index, dtype=float), 9)
    shared = np.intersect1d(idx_c, idx_f)
    a = coarse.set_axis(idx_c).loc[shared]
    b = fine.set_axis(idx_f).loc[shared]
    worst = 0.0
    for col in a.columns:
        x = a[col].to_numpy(float)
        y = b[col].to_numpy(float)
        if not y.size:
            continue
        scale = float(np.nanmax(np.abs(y)))
        if scale > 0:
            worst = max(worst, float(np.nanmax(np.abs(y - x))) / scale)
    return worst


@dataclass(frozen=True)
class IntegrationCheck(Check):
    """A :class:`Check` for ``DT-1`` with the DT that was accepted.

    Attributes
    ----------
    accepted_dt : float or None
        The largest DT whose halving changed key outputs by less than the
        tolerance (None if none did within the halvings allowed).
    """

    accepted_dt: float | None = None


def check_integration_error(
    model: Model,
    variables: Sequence[str] | None = None,
    tolerance: float = 0.01,
    max_halvings: int = 6,
    time_step: float | None = None,
) -> IntegrationCheck:
    """Test the TIME STEP by halving it (``DT-1``).

    Runs at DT and DT/2 and compares key outputs at the coarser run's save
    times; if the largest relative difference is below ``tolerance`` the DT
    is accepted, else DT is halved and the test repeated.

    Parameters
    ----------
    model : Model
        An opened model.
    variables : sequence of str or None
        Key outputs; default every stock.
    tolerance : float
        Largest acceptable relative change on halving (default 0.01 = 1%).
    max_halvings : int
        Stop after this many halvings.
    time_step : float or None
        DT to start from; default the model's TIME STEP.

    Returns
    -------
    IntegrationCheck
        ``details`` has one row per DT: ``dt``, the first key variable's
        final value, and ``change`` (relative change on halving; NaN in the
        last row).  Status ``pass`` if the model's own DT is accepted,
        ``warn`` if a smaller DT is, ``fail`` if none is.

    Raises
    ------
    ModelError
        If a run fails.

    Examples
    --------
    >>> round(259.374246 * (1 + 0.0229606), 3)  # P(10) at DT 0.5 from DT 1
    265.33
    """
    names = [model.resolve(v) for v in (variables or model.stocks)]
    if not names:
        raise ModelError(f"{model.name}: no key outputs to test.", "Name variables=[...].")
    dt = float(time_step or model.time_settings["TIME STEP"])
    first = names[0]
    rows = []
    accepted = None
    runs = {dt: model.run(return_columns=names, time_step=dt)}
    for _ in range(max_halvings + 1):
        half = dt / 2
        runs[half] = model.run(return_columns=names, time_step=half)
        change = relative_change(runs[dt], runs[half])
        rows.append({"dt": dt, first: float(runs[dt][first].iloc[-1]), "change": change})
        if change < tolerance:
            accepted = dt
            rows.append({"dt": half, first: float(runs[half][first].iloc[-1]),
                         "change": math.nan})
            break
        dt = half
    model.reset()
    table = pd.DataFrame(rows)
    base = float(time_step or model.time_settings["TIME STEP"])
    if accepted is None:
        status = "fail"
        sentence = (f"Halving DT still changed the key outputs by {rows[-1]['change']:.2%} "
                    f"after {max_halvings} halvings (tolerance {tolerance:.0%}); the model "
                    f"may be unstable or stiff.")
    elif accepted == base:
        status = "pass"
        sentence = (f"DT = {base:g} is accepted: halving it changes {', '.join(names[:3])} "
                    f"by at most {rows[0]['change']:.3%} (tolerance {tolerance:.0%}).")
    else:
        status = "warn"
        sentence = (f"DT = {base:g} is too large: halving it changes the outputs by "
                    f"{rows[0]['change']:.3%}. DT = {accepted:g} passes (tolerance "
                    f"{tolerance:.0%}); set TIME STEP to {accepted:g}.")
    return IntegrationCheck("Integration error (DT-1)", status, sentence, table, accepted)


def check_extreme_conditions(
    model: Model,
    factors: Sequence[float] = (0.0, 10.0),
    parameters: Sequence[str] | None = None,
) -> Check:
    """Set each constant to 0 and to 10× its value; look for broken runs.

    Values are clipped to the parameter's declared ``[min,max]`` (a
    fraction declared in [0, 1] is tested at 1, not at 9.5).
    A run fails if it raises, produces NaN or inf, or drives a stock below
    (or above) the limit declared in its ``[min,max]`` annotation.  A stock
    without a declared minimum that goes negative is a warning: decide
    whether it can (a bank balance) or cannot (people).

    Parameters
    ----------
    model : Model
        An opened model.
    factors : sequence of float
        Multipliers of each base value (default 0 and 10).
    parameters : sequence of str or None
        Constants to test; default every scalar constant.

    Returns
    -------
    Check
        ``details``: one row per (parameter, factor) with ``status`` and ``problem``.

    Raises
    ------
    ModelError
        If a named parameter is unknown.

    Examples
    --------
    >>> Check("Extreme conditions", "pass", "All runs stayed finite.").passed
    True
    """
    base = model.base_values
    names = [model.resolve(p) for p in parameters] if parameters else list(base)
    stocks = model.stocks
    rows = []
    for name in names:
        for factor in factors:
            info = model.info(name)
            value = base.get(name, 0.0) * factor
            if not math.isnan(info.minimum):
                value = max(value, info.minimum)
            if not math.isnan(info.maximum):
                value = min(value, info.maximum)
            status, problem = "pass", ""
            try:
                out = model.run(params={name: value}, return_columns=stocks or None,
                                check_ranges=False)
            except ModelError as err:
                status, problem = "fail", err.problem.rstrip(".")
            else:
                for stock in stocks:
                    info = model.info(stock)
                    series = out[stock] if stock in out else None
                    if series is None or series.dtype == object:
                        continue
                    low, high = float(series.min()), float(series.max())
                    if not math.isnan(info.minimum) and low < info.minimum - 1e-9:
                        status = "fail"
                        problem = (f"{stock!r} fell to {low:.4g}, below its declared "
                                   f"minimum {info.minimum:g}")
                        break
                    if not math.isnan(info.maximum) and high > info.maximum + 1e-9:
                        status = "fail"
                        problem = (f"{stock!r} rose to {high:.4g}, above its declared "
                                   f"maximum {info.maximum:g}")
                        break
                    if math.isnan(info.minimum) and low < -1e-9 and status == "pass":
                        status = "warn"
                        problem = f"{stock!r} went negative ({low:.4g}); can it?"
            rows.append({"parameter": name, "factor": factor, "value": value,
                         "status": status, "problem": problem})
    model.reset()
    table = pd.DataFrame(rows, columns=["parameter", "factor", "value", "status", "problem"])
    fails = table[table.status == "fail"]
    warns = table[table.status == "warn"]
    if len(fails):
        first = fails.iloc[0]
        sentence = (f"{len(fails)} of {len(table)} extreme runs broke; first: "
                    f"{first.parameter!r} × {first.factor:g}: {first.problem}.")
        status = "fail"
    elif len(warns):
        first = warns.iloc[0]
        sentence = (f"All {len(table)} extreme runs stayed finite, but {len(warns)} drove an "
                    f"undeclared stock negative (first: {first.parameter!r} × "
                    f"{first.factor:g}: {first.problem}).")
        status = "warn"
    else:
        sentence = (f"All {len(table)} extreme runs ({len(names)} constants × "
                    f"{', '.join(f'{f:g}' for f in factors)}) stayed finite and within "
                    f"the stocks' limits.")
        status = "pass"
    return Check("Extreme conditions", status, sentence, table)


def check_units(model: Model) -> Check:
    """List variables with no units (dimensional consistency needs them).

    Parameters
    ----------
    model : Model

    Returns
    -------
    Check
        ``fail`` if any stock, flow or constant has no units, else ``pass``.

    Examples
    --------
    >>> Check("Units", "fail", "2 variables have no units.").passed
    False
    """
    table = model.table()
    missing = table[table.units.str.strip() == ""]
    if missing.empty:
        return Check("Units present", "pass",
                     f"All {len(table)} variables state units (PySD does not check them).",
                     missing)
    names = ", ".join(repr(n) for n in missing.name[:6])
    more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    return Check("Units present", "fail",
                 f"{len(missing)} variables have no units: {names}{more}. Add units so "
                 f"results can be labelled and checked.", missing)


def _unit_key(text: str) -> str:
    s = re.sub(r"\s+", "", text.lower())
    return re.sub(r"(people|persons)", "person", s).rstrip("s")


def check_flow_units(model: Model) -> Check:
    """Check that each flow's units read as its stock's units per time unit.

    A plain text comparison (case, spaces and a final "s" ignored); a
    mismatch is a warning to look at, not proof of an error.

    Parameters
    ----------
    model : Model

    Returns
    -------
    Check

    Examples
    --------
    >>> _unit_key("People / Year") == _unit_key("person/year")
    True
    """
    time_unit = model.time_units
    rows = []
    for stock, flows in model.flows_by_stock.items():
        want = f"{model.info(stock).units}/{time_unit}"
        for flow in flows:
            have = model.info(flow).units
            ok = _unit_key(have) == _unit_key(want)
            rows.append({"stock": stock, "flow": flow, "units": have, "expected": want, "ok": ok})
    table = pd.DataFrame(rows, columns=["stock", "flow", "units", "expected", "ok"])
    bad = table[~table.ok.astype(bool)] if len(table) else table
    if bad.empty:
        return Check("Flow units", "pass",
                     f"Every flow's units are its stock's units per {time_unit or 'time unit'}.",
                     table)
    first = bad.iloc[0]
    return Check("Flow units", "warn",
                 f"{len(bad)} flow(s) have units that do not read as stock units per time; "
                 f"first: {first.flow!r} is {first.units!r}, expected {first.expected!r}.",
                 table)


def check_reproduction(
    model: Model,
    data: pd.DataFrame,
    params: dict[str, float] | None = None,
    mape_tolerance: float = 10.0,
) -> Check:
    """Compare a run with observed data (RMSE, MAPE, Theil statistics, mode).

    Parameters
    ----------
    model : Model
    data : pandas.DataFrame
        Observations indexed by time; columns are model variable names.
    params : dict or None
        Parameters for the run.
    mape_tolerance : float
        Largest acceptable MAPE in percent (default 10).

    Returns
    -------
    Check
        ``details``: one row per variable with n, MSE, RMSE, MAPE, r,
        U_M, U_S, U_C and the behaviour modes of data and run.

    Raises
    ------
    ModelError
        If the run fails or a column is not a model variable.

    Examples
    --------
    >>> round(fit_statistics([21, 24], [20, 22]).mape, 2)
    7.05
    """
    cols = [model.resolve(c) for c in data.columns]
    obs = data.set_axis(cols, axis=1).astype(float)
    out = model.run(params=params, return_columns=cols,
                    final_time=max(float(obs.index.max()), model.time_settings["FINAL TIME"]))
    sim = align(out, obs)
    rows = []
    for c in cols:
        s = fit_statistics(sim[c], obs[c])
        try:
            mode_data = classify_behaviour(obs[c].dropna())
            mode_sim = classify_behaviour(sim[c])
        except Exception:  # noqa: BLE001 - too short to classify
            mode_data = mode_sim = ""
        rows.append({"variable": c, "n": s.n, "mse": s.mse, "rmse": s.rmse, "mape": s.mape,
                     "r": s.r, "um": s.um, "us": s.us, "uc": s.uc,
                     "mode_data": mode_data, "mode_run": mode_sim, "sentence": s.sentence(c)})
    table = pd.DataFrame(rows)
    worst = table.loc[table.mape.fillna(np.inf).idxmax()]
    ok = bool((table.mape <= mape_tolerance).all())
    status = "pass" if ok else "fail"
    sentence = " ".join(table.sentence) + (
        f" {'All' if ok else 'Not all'} variables are within MAPE {mape_tolerance:g}%"
        f" (worst {worst.variable!r} {worst.mape:.3g}%).")
    return Check("Behaviour reproduction", status, sentence, table)


def validate(
    model: Model,
    data: pd.DataFrame | None = None,
    tolerance: float = 0.01,
    factors: Sequence[float] = (0.0, 10.0),
) -> ValidationReport:
    """Run the automated tests of methods.md §3.3 on ``model``.

    Runs units present, flow units, extreme conditions, integration error
    (``DT-1``) and, when ``data`` is given, behaviour reproduction.

    Parameters
    ----------
    model : Model
    data : pandas.DataFrame or None
        Observations indexed by time, columns named as model variables.
    tolerance : float
        ``DT-1`` tolerance (default 1%).
    factors : sequence of float
        Extreme-condition multipliers.

    Returns
    -------
    ValidationReport

    Raises
    ------
    ModelError
        If the model cannot run at its base values.

    Examples
    --------
    >>> report = ValidationReport("demo", [Check("Units present", "pass", "All fine.")])
    >>> print(report)
    Validation of demo: 1 passed, 0 warnings, 0 failed.
    [PASS] Units present: All fine.
    """
    model.run()  # fail clearly if the base run is broken
    checks = [check_units(model), check_flow_units(model),
              check_extreme_conditions(model, factors=factors),
              check_integration_error(model, tolerance=tolerance)]
    if data is not None:
        checks.append(check_reproduction(model, data))
    return ValidationReport(model.name, checks)
