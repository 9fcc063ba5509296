"""Sensitivity analysis: one at a time, and Latin hypercube Monte Carlo.

methods.md §3.5: one-at-a-time elasticities (ΔY/Y)/(Δp/p) for a tornado
chart, and Latin hypercube sampling (McKay, Beckman & Conover 1979;
:mod:`stp_helpers.sd.sampling`) with per-time percentile bands.  Samples
are drawn in the calling process from an explicit seed, so the same seed
gives identical results however the runs are spread over processes.

Runs go, by default, through the ensemble engine
(:mod:`stp_helpers.sd.ensemble`): whole chunks of runs at once over NumPy
arrays.  A model it cannot vectorise runs one run at a time (same numbers),
and Monte Carlo studies warn why.  Any executor (processes, threads, a Dask
cluster; :mod:`stp_helpers.sd.distributed`) runs the same chunks and gives
the same numbers for the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stp_helpers.errors import EnsembleUnsupported, ModelError
from stp_helpers.sd.distributed import chunk_results
from stp_helpers.sd.ensemble import Ensemble, unsupported_reason
from stp_helpers.sd.model import Model
from stp_helpers.sd.sampling import (
    Distribution,
    latin_hypercube,
    metric_value,
    normal,
    sample_parameters,
    triangular,
    uniform,
)
from stp_helpers.sd.study import fallback_warning, plan_chunks, plan_study, progress_reporter

__all__ = [
    "Distribution",
    "uniform",
    "triangular",
    "normal",
    "latin_hypercube",
    "sample_parameters",
    "oat_elasticities",
    "MonteCarloResult",
    "monte_carlo",
    "percentile_bands",
]


def oat_elasticities(
    model: Model,
    outcome: str,
    parameters: Sequence[str] | None = None,
    delta: float = 0.1,
    metric: str | Callable[[pd.Series], float] = "final",
    vectorise: bool = True,
    params: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One-at-a-time elasticities of an outcome, for a tornado chart.

    Each parameter is moved to (1 − δ)p and (1 + δ)p (clipped to the
    model's declared range), others at base; the elasticity is
    (ΔY/Y)/(Δp/p) from the two runs (central difference).

    Parameters
    ----------
    model : Model
    outcome : str
        The variable whose value is measured.
    parameters : sequence of str or None
        Default every scalar constant with a nonzero value.
    delta : float
        Relative change (default 0.1 = ±10%).
    metric : {"final", "peak", "mean", "cumulative"} or callable
        How a run becomes one number.
    vectorise : bool
        Run the 2k + 1 runs at once on the ensemble engine (default True);
        a model it cannot vectorise runs one run at a time (same numbers).
    params : mapping or None
        Parameters set for every run, base included (e.g. a policy switched
        on); checked like :meth:`Model.run` parameters, and not varied.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, sorted by |elasticity| (largest first):
        ``parameter``, ``base``, ``low``, ``high``, ``outcome_base``,
        ``outcome_low``, ``outcome_high``, ``elasticity``, ``swing``
        (outcome_high − outcome_low).

    Raises
    ------
    ModelError
        For an unknown outcome or parameter, a parameter both varied and
        set in ``params``, or a failed run.

    Examples
    --------
    >>> metric_value(pd.Series([1.0, 3.0, 2.0]), "mean")
    2.0
    """
    target = model.resolve(outcome)
    base_values = model.base_values
    fixed = {k: float(v) for k, v in model.check_params(params).items()}
    names = [model.resolve(p) for p in parameters] if parameters else [
        k for k, v in base_values.items() if v != 0 and k not in fixed]
    clash = sorted(set(names) & set(fixed))
    if clash:
        raise ModelError(f"{model.name}: {', '.join(map(repr, clash))} is both varied and set "
                         f"in params.", "Leave it out of parameters or of params.")
    plan = []
    for name in names:
        p = base_values.get(name)
        if p is None or p == 0:
            raise ModelError(f"{model.name}: {name!r} has no nonzero scalar base value, so an "
                             f"elasticity is undefined.", "Leave it out of parameters.")
        info = model.info(name)
        lo_v, hi_v = p * (1 - delta), p * (1 + delta)
        lo_v, hi_v = min(lo_v, hi_v), max(lo_v, hi_v)
        if not math.isnan(info.minimum):
            lo_v = max(lo_v, info.minimum)
        if not math.isnan(info.maximum):
            hi_v = min(hi_v, info.maximum)
        plan.append((name, p, lo_v, hi_v))
    runs = _oat_runs(model, target, plan, fixed) if plan and vectorise else None
    if runs is None:
        runs = [model.run(params=fixed, return_columns=[target])[target]]
        for name, _, lo_v, hi_v in plan:
            runs += [model.run(params={**fixed, name: v}, return_columns=[target])[target]
                     for v in (lo_v, hi_v)]
        model.reset()
    y0 = metric_value(runs[0], metric)
    rows = []
    for i, (name, p, lo_v, hi_v) in enumerate(plan):
        y_lo = metric_value(runs[1 + 2 * i], metric)
        y_hi = metric_value(runs[2 + 2 * i], metric)
        dp = (hi_v - lo_v) / p
        elasticity = ((y_hi - y_lo) / y0) / dp if y0 != 0 and dp != 0 else math.nan
        rows.append({"parameter": name, "base": p, "low": lo_v, "high": hi_v,
                     "outcome_base": y0, "outcome_low": y_lo, "outcome_high": y_hi,
                     "elasticity": elasticity, "swing": y_hi - y_lo})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    order = table.elasticity.abs().fillna(-1).sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)


def _oat_runs(model: Model, target: str, plan: list,
              fixed: dict[str, float]) -> list[pd.Series] | None:
    """The base run, then each parameter's low and high run, on the ensemble engine.

    None when the engine cannot vectorise the model.
    """
    if unsupported_reason(model):
        return None
    names = [name for name, *_ in plan]
    values = np.tile([p for _, p, _, _ in plan], (2 * len(plan) + 1, 1))
    for i, (_, _, lo_v, hi_v) in enumerate(plan):
        values[1 + 2 * i, i], values[2 + 2 * i, i] = lo_v, hi_v
    try:
        times, arr, errors = Ensemble(model).run_chunk(names, values, [target], fixed=fixed)
    except EnsembleUnsupported:
        return None
    failed = next((e for e in errors if e), "")
    if failed:
        raise ModelError(failed, "Check the parameter ranges against the extreme-conditions "
                                 "test.")
    index = pd.Index(times, name="time")
    return [pd.Series(arr[i, :, 0], index=index, name=target) for i in range(len(values))]


# ------------------------------------------------------------------ Monte Carlo
@dataclass
class MonteCarloResult:
    """The runs of :func:`monte_carlo`.

    Attributes
    ----------
    samples : pandas.DataFrame
        Parameter values per run (index ``run``).
    times : numpy.ndarray
        Saved times.
    values : numpy.ndarray
        Shape (runs, times, variables); NaN for failed runs.
    variables : list of str
    seed : int or None
        The seed used (stored, as methods.md asks).
    errors : list of str
        Per run, the error message ("" for runs that worked).
    engine : str
        ``"ensemble"`` (runs over arrays) or ``"per run"``, followed by
        the reason when the ensemble engine could not be used.
    """

    samples: pd.DataFrame
    times: np.ndarray
    values: np.ndarray
    variables: list[str]
    seed: int | None
    errors: list[str] = field(default_factory=list)
    engine: str = ""

    @property
    def n_failed(self) -> int:
        """Number of runs that failed (NaN/inf or an error)."""
        return sum(bool(e) for e in self.errors)

    def frame(self, variable: str) -> pd.DataFrame:
        """Return one variable as a (time × run) DataFrame."""
        j = self.variables.index(variable)
        return pd.DataFrame(self.values[:, :, j].T, index=pd.Index(self.times, name="time"))

    def bands(self, percentiles: Sequence[float] = (5, 25, 50, 75, 95)) -> pd.DataFrame:
        """Per-time percentiles across runs (see :func:`percentile_bands`)."""
        return percentile_bands(self, percentiles)

    def outcomes(self, metric: str | Callable[[pd.Series], float] = "final") -> pd.DataFrame:
        """One row per run: the parameters and each variable's ``metric``."""
        out = self.samples.copy()
        for j, var in enumerate(self.variables):
            out[var] = [metric_value(pd.Series(self.values[i, :, j], index=self.times), metric)
                        for i in range(self.values.shape[0])]
        return out


def percentile_bands(
    result: MonteCarloResult, percentiles: Sequence[float] = (5, 25, 50, 75, 95)
) -> pd.DataFrame:
    """Summarise Monte Carlo runs as per-time percentile bands.

    Parameters
    ----------
    result : MonteCarloResult
    percentiles : sequence of float
        Default 5, 25, 50, 75, 95.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``variable``, ``time`` and one column per percentile
        (``p5``, ``p25``, ``p50``…); failed runs are ignored.

    Examples
    --------
    >>> r = MonteCarloResult(pd.DataFrame(index=range(3)), np.array([0.0]),
    ...                      np.array([[[1.0]], [[2.0]], [[3.0]]]), ["x"], 0)
    >>> percentile_bands(r, (50,)).to_dict("records")
    [{'variable': 'x', 'time': 0.0, 'p50': 2.0}]
    """
    frames = []
    for j, var in enumerate(result.variables):
        with np.errstate(all="ignore"):
            q = np.nanpercentile(result.values[:, :, j], percentiles, axis=0)
        frame = pd.DataFrame({f"p{p:g}": q[i] for i, p in enumerate(percentiles)})
        frame.insert(0, "time", result.times)
        frame.insert(0, "variable", var)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def monte_carlo(
    model: Model,
    distributions: Mapping[str, Distribution | Sequence],
    n: int = 1000,
    seed: int | None = None,
    outputs: Sequence[str] | None = None,
    final_time: float | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | bool | None = None,
    chunks_per_worker: int = 4,
    params: Mapping[str, float] | None = None,
    vectorise: bool = True,
) -> MonteCarloResult:
    """Run the model over a Latin hypercube sample of its parameters.

    Parameters
    ----------
    model : Model
    distributions : mapping
        Parameter → :class:`Distribution` (or tuple; see
        :func:`sample_parameters`).
    n : int
        Number of runs (default 1000).
    seed : int or None
        Seed for the sample; the same seed gives identical results.
    outputs : sequence of str or None
        Variables to keep; default the stocks.
    final_time : float or None
        FINAL TIME override.
    executor : concurrent.futures.Executor, dask.distributed.Client or None
        Where to run chunks: any ``Executor``, or a Dask ``Client`` (a
        laptop's ``LocalCluster`` or a cluster; the translated model is
        sent to workers that cannot see it, and loaded once per worker
        thread; see :mod:`stp_helpers.sd.distributed`).  Default: the
        calling process on the ensemble engine, or (``vectorise=False``,
        or ``workers`` given) a ``ProcessPoolExecutor`` that loads the
        model once per worker, or the calling process when
        ``workers == 1``.  Every executor gives the same results for the
        same seed.
    workers : int or None
        Processes for the default executor (default: 1 on the ensemble
        engine, else the CPU count); with a Dask client, default its total
        threads.  Sets the chunking only.
    progress : callable, bool or None
        ``progress(done, total)`` after each chunk; True shows a tqdm bar
        if tqdm is installed.
    chunks_per_worker : int
        Chunks per worker (more chunks: smoother progress, more overhead).
    params : mapping or None
        Fixed parameter values for every run (e.g. a policy switch);
        checked like :meth:`Model.run` parameters.
    vectorise : bool
        Run chunks on the ensemble engine (default True).  A model it
        cannot vectorise runs one run at a time, with a ``RuntimeWarning``
        saying why; the result's ``engine`` says which ran.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    ModelError
        For unknown parameters, samples outside a parameter's declared
        range, a bad ``workers``, or if every run failed.

    Examples
    --------
    >>> sample_parameters({"r": ("uniform", 0.1, 0.3)}, 3, seed=7).shape
    (3, 1)

    For studies too large for memory, stream the runs to a Parquet file
    with :func:`stp_helpers.sd.parquet.monte_carlo_to_parquet`.
    """
    names, samples, columns, fixed, spec = plan_study(model, distributions, n, seed, outputs,
                                                      params)
    values = samples.to_numpy(float)
    workers, chunks, reason = plan_chunks(model, len(values), columns, executor, workers,
                                          vectorise, chunks_per_worker)
    report = progress_reporter(progress, len(values))
    results: list = []
    done = 0
    try:
        with closing(chunk_results(model, spec, (names, columns, final_time, fixed,
                                                 vectorise and not reason),
                                   values, chunks, executor, workers)) as stream:
            for idx, result in stream:
                results.append(result)
                done += idx.size
                report(done)
    finally:
        report(None)
    reason = reason or next((r[3] for r in results if r[3]), "")
    engine = fallback_warning(model, reason) if vectorise else "per run"
    times = next((r[0] for r in results if r[0].size), None)
    if times is None:
        first = next((e for r in results for e in r[2] if e), "unknown error")
        raise ModelError(f"{model.name}: every Monte Carlo run failed; first: {first}",
                         "Check the distributions against the extreme-conditions test.")
    arr = np.concatenate([r[1] if r[1].shape[1] == times.size else
                          np.full((r[1].shape[0], times.size, len(columns)), np.nan)
                          for r in results])
    errors = [e for r in results for e in r[2]]
    return MonteCarloResult(samples, times, arr, columns, seed, errors, engine)
