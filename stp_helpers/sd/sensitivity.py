"""Sensitivity analysis: one at a time and Latin hypercube Monte Carlo.

methods.md §3.5: one-at-a-time elasticities (ΔY/Y)/(Δp/p) for a tornado
chart, and Latin hypercube sampling (McKay, Beckman & Conover 1979) with
per-time percentile bands.  Samples are drawn in the calling process from
an explicit seed, so the same seed gives identical results however the
runs are spread over processes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError

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

_METRICS = ("final", "peak", "mean", "cumulative")


@dataclass(frozen=True)
class Distribution:
    """A parameter's uncertainty, sampled through its inverse CDF.

    Attributes
    ----------
    kind : str
        ``"uniform"``, ``"triangular"`` or ``"normal"``.
    a, b, c : float
        uniform: low, high; triangular: low, mode, high; normal: mean, sd
        (and ``c`` unused).
    """

    kind: str
    a: float
    b: float
    c: float = math.nan

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map unit-interval samples to parameter values (inverse CDF).

        Examples
        --------
        >>> uniform(10, 20).ppf(np.array([0.0, 0.5, 1.0])).tolist()
        [10.0, 15.0, 20.0]
        """
        from scipy import stats

        u = np.asarray(u, dtype=float)
        if self.kind == "uniform":
            return self.a + u * (self.b - self.a)
        if self.kind == "triangular":
            span = self.c - self.a
            return stats.triang.ppf(u, (self.b - self.a) / span, loc=self.a, scale=span)
        if self.kind == "normal":
            return stats.norm.ppf(u, loc=self.a, scale=self.b)
        raise ModelError(f"Unknown distribution {self.kind!r}.",
                         "Use uniform(low, high), triangular(low, mode, high) or normal(mean, sd).")


def uniform(low: float, high: float) -> Distribution:
    """Uniform between ``low`` and ``high``.

    Raises
    ------
    ModelError
        If ``low >= high``.

    Examples
    --------
    >>> uniform(0, 1)
    Distribution(kind='uniform', a=0.0, b=1.0, c=nan)
    """
    if not low < high:
        raise ModelError(f"uniform({low}, {high}): low must be below high.", "Swap them.")
    return Distribution("uniform", float(low), float(high))


def triangular(low: float, mode: float, high: float) -> Distribution:
    """Triangular with the given low, most likely and high values.

    Raises
    ------
    ModelError
        Unless ``low <= mode <= high`` and ``low < high``.

    Examples
    --------
    >>> triangular(0, 1, 4).ppf(np.array([0.25])).round(6).tolist()
    [1.0]
    """
    if not (low <= mode <= high and low < high):
        raise ModelError(f"triangular({low}, {mode}, {high}) needs low <= mode <= high.",
                         "Give the values in that order.")
    return Distribution("triangular", float(low), float(mode), float(high))


def normal(mean: float, sd: float) -> Distribution:
    """Normal with the given mean and standard deviation.

    Raises
    ------
    ModelError
        If ``sd <= 0``.

    Examples
    --------
    >>> normal(10, 2).ppf(np.array([0.5])).tolist()
    [10.0]
    """
    if not sd > 0:
        raise ModelError(f"normal({mean}, {sd}): sd must be positive.", "Give sd > 0.")
    return Distribution("normal", float(mean), float(sd))


def _as_distribution(spec: Distribution | Sequence) -> Distribution:
    if isinstance(spec, Distribution):
        return spec
    kind, *args = spec
    makers = {"uniform": uniform, "triangular": triangular, "normal": normal}
    if kind not in makers:
        raise ModelError(f"Unknown distribution {kind!r}.",
                         "Use ('uniform', low, high), ('triangular', low, mode, high) or "
                         "('normal', mean, sd).")
    return makers[kind](*args)


def latin_hypercube(n: int, d: int, seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Draw an n × d Latin hypercube on the unit cube.

    Parameters
    ----------
    n : int
        Number of samples (strata per dimension).
    d : int
        Number of parameters.
    seed : integer, random_state, or None (default)
        Indicator of random number generation state.

    Returns
    -------
    numpy.ndarray
        Shape (n, d); for each column, floor(u · n) is a permutation of
        0 … n − 1 (``SA-1``).

    Examples
    --------
    >>> u = latin_hypercube(5, 2, seed=1)
    >>> sorted(np.floor(u[:, 0] * 5).astype(int).tolist())
    [0, 1, 2, 3, 4]
    """
    from scipy.stats import qmc

    try:
        sampler = qmc.LatinHypercube(d, rng=seed)
    except TypeError:  # SciPy < 1.15
        sampler = qmc.LatinHypercube(d, seed=seed)
    return sampler.random(n)


def sample_parameters(
    distributions: Mapping[str, Distribution | Sequence],
    n: int,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Latin hypercube samples of the named parameters.

    Parameters
    ----------
    distributions : mapping
        Parameter name → :class:`Distribution` or a tuple such as
        ``("triangular", 0.1, 0.2, 0.4)``.
    n : int
        Number of samples.
    seed : integer, random_state, or None (default)
        Indicator of random number generation state.

    Returns
    -------
    pandas.DataFrame
        n rows (index ``run``), one column per parameter.

    Examples
    --------
    >>> s = sample_parameters({"a": ("uniform", 0, 10)}, 4, seed=3)
    >>> sorted((s["a"] // 2.5).astype(int).tolist())
    [0, 1, 2, 3]
    """
    dists = {k: _as_distribution(v) for k, v in distributions.items()}
    u = latin_hypercube(int(n), len(dists), seed)
    data = {k: dist.ppf(u[:, j]) for j, (k, dist) in enumerate(dists.items())}
    return pd.DataFrame(data, index=pd.RangeIndex(int(n), name="run"))


def _metric(series: pd.Series, metric: str | Callable[[pd.Series], float]) -> float:
    if callable(metric):
        return float(metric(series))
    if metric == "final":
        return float(series.iloc[-1])
    if metric == "peak":
        return float(series.max())
    if metric == "mean":
        return float(series.mean())
    if metric == "cumulative":
        t = np.asarray(series.index, dtype=float)
        return float(np.sum(series.to_numpy(float)[:-1] * np.diff(t)))
    raise ModelError(f"Unknown metric {metric!r}.", f"Use one of {', '.join(_METRICS)}.")


def oat_elasticities(
    model,
    outcome: str,
    parameters: Sequence[str] | None = None,
    delta: float = 0.1,
    metric: str | Callable[[pd.Series], float] = "final",
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
        For an unknown outcome or parameter, or a failed run.

    Examples
    --------
    >>> _metric(pd.Series([1.0, 3.0, 2.0]), "peak")
    3.0
    """
    target = model.resolve(outcome)
    base_values = model.base_values
    names = [model.resolve(p) for p in parameters] if parameters else [
        k for k, v in base_values.items() if v != 0]
    y0 = _metric(model.run(return_columns=[target])[target], metric)
    rows = []
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
        y_lo = _metric(model.run(params={name: lo_v}, return_columns=[target])[target], metric)
        y_hi = _metric(model.run(params={name: hi_v}, return_columns=[target])[target], metric)
        dp = (hi_v - lo_v) / p
        elasticity = ((y_hi - y_lo) / y0) / dp if y0 != 0 and dp != 0 else math.nan
        rows.append({"parameter": name, "base": p, "low": lo_v, "high": hi_v,
                     "outcome_base": y0, "outcome_low": y_lo, "outcome_high": y_hi,
                     "elasticity": elasticity, "swing": y_hi - y_lo})
    model.reset()
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    order = table.elasticity.abs().fillna(-1).sort_values(ascending=False).index
    return table.loc[order].reset_index(drop=True)


# ------------------------------------------------------------------ Monte Carlo
_WORKER_MODELS: dict[str, object] = {}


def _worker_model(folder: str, source: str, data_files: tuple[str, ...]):
    """Open the translated model once per process (and per thread)."""
    key = f"{folder}|{threading.get_ident()}"
    model = _WORKER_MODELS.get(key)
    if model is None:
        from stp_helpers.sd.load import open_translated

        model = open_translated(Path(folder), Path(source), data_files)
        _WORKER_MODELS[key] = model
    return model


def _init_worker(folder: str, source: str, data_files: tuple[str, ...]) -> None:
    _worker_model(folder, source, data_files)


def _run_chunk(
    spec: tuple[str, str, tuple[str, ...]],
    names: list[str],
    values: np.ndarray,
    columns: list[str],
    final_time: float | None,
    fixed: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Run one chunk of samples; return (times, array runs × times × cols, errors)."""
    model = _worker_model(*spec)
    sets = [{**(fixed or {}), **dict(zip(names, map(float, row)))} for row in values]
    outs = model.run_batch(sets, columns, final_time=final_time)
    good = next((o for o in outs if isinstance(o, pd.DataFrame)), None)
    if good is None:
        return np.array([]), np.full((len(outs), 0, len(columns)), np.nan), [
            o.problem for o in outs]
    times = good.index.to_numpy(float)
    arr = np.full((len(outs), times.size, len(columns)), np.nan)
    errors = []
    for i, out in enumerate(outs):
        if isinstance(out, pd.DataFrame):
            arr[i] = out[columns].to_numpy(float)
            errors.append("")
        else:
            errors.append(out.problem)
    return times, arr, errors


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
    """

    samples: pd.DataFrame
    times: np.ndarray
    values: np.ndarray
    variables: list[str]
    seed: int | None
    errors: list[str] = field(default_factory=list)

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
            out[var] = [_metric(pd.Series(self.values[i, :, j], index=self.times), metric)
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


def _study(model, distributions, n, seed, outputs, params):
    """Check the study and draw its sample: (names, samples, columns, fixed, spec)."""
    names = [model.resolve(k) for k in distributions]
    samples = sample_parameters(dict(zip(names, distributions.values())), n, seed)
    for name in names:
        info = model.info(name)
        lo, hi = samples[name].min(), samples[name].max()
        if (not math.isnan(info.minimum) and lo < info.minimum) or (
                not math.isnan(info.maximum) and hi > info.maximum):
            raise ModelError(
                f"{model.name}: samples of {name!r} run from {lo:.4g} to {hi:.4g}, outside "
                f"its declared range [{info.minimum:g}, {info.maximum:g}].",
                "Narrow the distribution (a normal has unbounded tails: use triangular).")
    fixed = {k: float(v) for k, v in model.check_params(params).items()}
    clash = set(fixed) & set(names)
    if clash:
        raise ModelError(f"{model.name}: {', '.join(map(repr, sorted(clash)))} is both "
                         f"sampled and fixed.", "Leave it out of params or of distributions.")
    columns = [model.resolve(o) for o in (outputs or model.stocks)]
    spec = (str(model.cache), str(model.source), tuple(model.data_files))
    return names, samples, columns, fixed, spec


def monte_carlo(
    model,
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
        thread; see :mod:`stp_helpers.sd.distributed`).  Default: a
        ``ProcessPoolExecutor`` that loads the model once per worker, or
        the calling process when ``workers == 1``.  Every executor gives
        the same results for the same seed.
    workers : int or None
        Processes for the default executor (default: CPU count); with a
        Dask client, default its total threads.  Sets the chunking only.
    progress : callable, bool or None
        ``progress(done, total)`` after each chunk; True shows a tqdm bar
        if tqdm is installed.
    chunks_per_worker : int
        Chunks per worker (more chunks: smoother progress, more overhead).
    params : mapping or None
        Fixed parameter values for every run (e.g. a policy switch);
        checked like :meth:`Model.run` parameters.

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
    >>> sample_parameters({"r": uniform(0.1, 0.3)}, 3, seed=7).shape
    (3, 1)

    For studies too large for memory, stream the runs to a Parquet file
    with :func:`stp_helpers.sd.parquet.monte_carlo_to_parquet`.
    """
    names, samples, columns, fixed, spec = _study(model, distributions, n, seed, outputs,
                                                  params)
    from stp_helpers.sd.distributed import chunk_results, resolve_workers

    workers = resolve_workers(executor, workers)
    values = samples.to_numpy(float)
    n_chunks = max(1, min(len(values), workers * chunks_per_worker))
    chunks = [c for c in np.array_split(np.arange(len(values)), n_chunks) if c.size]
    report = _progress(progress, len(values))
    results: list = []
    done = 0
    try:
        with closing(chunk_results(model, spec, (names, columns, final_time, fixed), values,
                                   chunks, executor, workers)) as stream:
            for idx, result in stream:
                results.append(result)
                done += idx.size
                report(done)
    finally:
        report(None)
    times = next((r[0] for r in results if r[0].size), None)
    if times is None:
        first = next((e for r in results for e in r[2] if e), "unknown error")
        raise ModelError(f"{model.name}: every Monte Carlo run failed; first: {first}",
                         "Check the distributions against the extreme-conditions test.")
    arr = np.concatenate([r[1] if r[1].shape[1] == times.size else
                          np.full((r[1].shape[0], times.size, len(columns)), np.nan)
                          for r in results])
    errors = [e for r in results for e in r[2]]
    return MonteCarloResult(samples, times, arr, columns, seed, errors)


def _progress(progress, total: int) -> Callable[[int | None], None]:
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return lambda done: None
        bar = tqdm(total=total, desc="Monte Carlo runs")
        state = {"last": 0}

        def update(done):
            if done is None:
                bar.close()
                return
            bar.update(done - state["last"])
            state["last"] = done

        return update
    if callable(progress):
        return lambda done: None if done is None else progress(done, total)
    return lambda done: None
