"""Uncertain parameters: distributions, Latin hypercube samples, run metrics.

methods.md §3.5: Latin hypercube sampling (McKay, Beckman & Conover 1979).
Samples are drawn from an explicit seed, so the same seed gives identical
samples wherever the runs then go.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError

__all__ = [
    "Distribution",
    "uniform",
    "triangular",
    "normal",
    "as_distribution",
    "latin_hypercube",
    "sample_parameters",
    "metric_value",
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
        # heavy (scipy.stats, about 0.3 s): loaded only when a sample is drawn
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


def as_distribution(spec: Distribution | Sequence) -> Distribution:
    """A :class:`Distribution`, or one made from a tuple such as ``("uniform", 0, 1)``.

    Raises
    ------
    ModelError
        For an unknown kind.

    Examples
    --------
    >>> as_distribution(("uniform", 0, 2))
    Distribution(kind='uniform', a=0.0, b=2.0, c=nan)
    """
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
    # heavy (scipy.stats, about 0.3 s): loaded only when a sample is drawn
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
    dists = {k: as_distribution(v) for k, v in distributions.items()}
    u = latin_hypercube(int(n), len(dists), seed)
    data = {k: dist.ppf(u[:, j]) for j, (k, dist) in enumerate(dists.items())}
    return pd.DataFrame(data, index=pd.RangeIndex(int(n), name="run"))


def metric_value(series: pd.Series, metric: str | Callable[[pd.Series], float]) -> float:
    """One number from a run's series: ``final``, ``peak``, ``mean``, ``cumulative`` or a callable.

    Raises
    ------
    ModelError
        For an unknown metric name.

    Examples
    --------
    >>> metric_value(pd.Series([1.0, 3.0, 2.0]), "peak")
    3.0
    """
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
