"""The ensemble engine: many runs of one model at once, over NumPy arrays.

A Monte Carlo study runs the same equations thousands of times with
different constants.  PySD steps one run at a time; most of that time goes
to its step machinery, not to the arithmetic.  :class:`Ensemble` gives
PySD's own translated equations an array holding every run's value of each
sampled constant (a callable that returns the array, which PySD accepts as
a parameter) and lets PySD's own integrator step them all together: each
equation is evaluated once per time step for every run.  The functions and
stateful objects that are not element-wise are replaced in that model's
module only (:mod:`stp_helpers.sd.vectorise`).

Results equal PySD's run by run (tested to 1e-9 on the workbook's models
and the third-party test models).  What the engine cannot vectorise raises
:class:`~stp_helpers.errors.EnsembleUnsupported` saying why; the callers
(:func:`~stp_helpers.sd.monte_carlo`, the Parquet writer and the
sensitivity functions) then run that study per run, which gives the same
numbers more slowly:

* subscripted (arrayed) variables and macros;
* time settings that change during a run;
* random-number functions (PySD draws one number per step, not per run);
* equations that fail on arrays (the error is quoted).

A run whose numbers go wrong (a division by zero, an overflow, NaN) is
re-run on its own through :meth:`Model.run_batch`, so it fails (or not)
with exactly the message the per-run path gives.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stp_helpers.errors import EnsembleUnsupported, ModelError
from stp_helpers.sd.model import Model
from stp_helpers.sd.vectorise import FUNCTIONS, add_run_axis, vector_class

__all__ = [
    "Ensemble",
    "EnsembleRuns",
    "unsupported_reason",
    "per_run_chunk",
    "ensemble_chunk_size",
    "MEMORY_BUDGET",
]

#: Bytes of arrays one ensemble chunk may hold (results, states and the step cache).
MEMORY_BUDGET = 256 * 2**20
_NUMERIC_TROUBLE = (FloatingPointError, ZeroDivisionError, OverflowError)
_RANDOM = re.compile(r"\bnp\.random\.|\brandom_[a-z_]+\(")
_SPLIT_BELOW = 8  # chunks this small with numeric trouble run per run


@dataclass(frozen=True)
class EnsembleRuns:
    """The saved values of an ensemble.

    Attributes
    ----------
    times : numpy.ndarray
        Saved times.
    values : numpy.ndarray
        Shape (runs, times, columns).
    columns : list of str
    """

    times: np.ndarray
    values: np.ndarray
    columns: list[str]

    def frame(self, run: int) -> pd.DataFrame:
        """One run as a (time × column) DataFrame, as :meth:`Model.run` returns it.

        Examples
        --------
        >>> runs = EnsembleRuns(np.array([0.0, 1.0]), np.arange(4.0).reshape(2, 2, 1), ["x"])
        >>> runs.frame(1)["x"].tolist()
        [2.0, 3.0]
        """
        return pd.DataFrame(self.values[run], index=pd.Index(self.times, name="time"),
                            columns=self.columns)


def unsupported_reason(model: Model) -> str:
    """Say why the ensemble engine cannot run ``model`` ("" if it can try).

    Parameters
    ----------
    model : Model

    Returns
    -------
    str
        The reason, in a sentence, or "".
    """
    pm = model.pysd
    if pm.subscripts:
        dims = ", ".join(sorted(pm.subscripts)[:3])
        return (f"it has subscripted (arrayed) variables ({dims}), which the ensemble "
                f"engine does not vectorise")
    if getattr(pm, "_macro_elements", None):
        return "it uses macros, which the ensemble engine does not vectorise"
    moving = [n for n in ("initial_time", "final_time", "time_step", "saveper")
              if pm.cache_type.get(n) == "step"]
    if moving:
        return (f"its time settings change during a run ({', '.join(moving)}), so runs "
                f"would step at different times")
    source = (model.cache / "model.py").read_text(encoding="utf-8")
    if _RANDOM.search(source):
        return ("it draws random numbers, which PySD draws once per step rather than once "
                "per run")
    return ""


def _unsupported(model: Model, reason: str) -> EnsembleUnsupported:
    return EnsembleUnsupported(f"{model.name}: the ensemble engine cannot run this model "
                               f"over arrays: {reason}.",
                               "Its runs go one at a time instead (same numbers, slower).")


class _Capture:
    """PySD's output object, reduced to saving the wanted columns as arrays."""

    def __init__(self, addresses: list[str], n_runs: int) -> None:
        self.names = addresses
        self.n_runs = n_runs
        self.times: list[float] = []
        self.rows: list[np.ndarray] = []

    def update(self, pm) -> None:
        self.times.append(float(pm.time.round()))
        row = np.empty((self.n_runs, len(self.names)))
        for j, name in enumerate(self.names):
            row[:, j] = getattr(pm.components, name)()
        self.rows.append(row)


def _euler_step(pm, dt: float) -> None:
    """PySD's Euler step without packing the states into one object array."""
    elements = pm._dynamicstateful_elements
    states = [e.state for e in elements]
    rates = [e.ddt() for e in elements]
    for element, state, rate in zip(elements, states, rates):
        element.update(state + rate * dt)


class Ensemble:
    """Run one model for many parameter sets at once.

    Parameters
    ----------
    model : Model
        An opened model.  The engine works on its own copy of the PySD
        model, so ``model`` is never changed.

    Raises
    ------
    EnsembleUnsupported
        If the model has something the engine does not vectorise (see the
        module's documentation); the message says what.

    Notes
    -----
    For example, three runs of the Wiltshire model with three crisis
    durations::

        model = load_model("data/cases/wiltshire-complex-needs/model.mdl")
        runs = Ensemble(model).run({"crisis duration": [3.0, 4.0, 6.0]}, ["In crisis"])
        runs.values.shape  # (3, 241, 1): runs × saved times × columns

    Examples
    --------
    The translated equations' ``float(...)`` becomes the identity, so an
    array of runs passes through:

    >>> FUNCTIONS["float"](np.array([0.25, 0.5])).tolist()
    [0.25, 0.5]
    """

    def __init__(self, model: Model) -> None:
        reason = unsupported_reason(model)
        if reason:
            raise _unsupported(model, reason)
        self.model = model
        self._pm = None
        self._keys: frozenset[str] | None = None
        self._final = None

    # ------------------------------------------------------------ the PySD copy
    def _copy(self, keys: frozenset[str]):
        """A PySD model prepared for arrays, fresh whenever other parameters are set."""
        if self._pm is not None and self._keys == keys:
            return self._pm
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pm = self.model.pysd.copy(reload=True)
        module = pm.components._components
        for name, replacement in FUNCTIONS.items():
            if name == "float" or hasattr(module, name):
                setattr(module, name, replacement)
        for obj in [*pm._stateful_elements.values(), *pm._lookup_elements,
                    *pm._external_elements]:
            cls = vector_class(obj)
            if cls is not None:
                obj.__class__ = cls
        pm._euler_step = lambda dt: _euler_step(pm, dt)
        self._pm, self._keys = pm, keys
        self._final = pm.components._control_vars["final_time"]
        return pm

    # ------------------------------------------------------------ running
    def run(
        self,
        values: Mapping[str, Sequence[float] | np.ndarray],
        columns: Sequence[str],
        final_time: float | None = None,
        fixed: Mapping[str, float] | None = None,
        n_runs: int | None = None,
    ) -> EnsembleRuns:
        """Run every parameter set at once.

        Parameters
        ----------
        values : mapping
            Constant (model or Python name) → its value in each run (all
            the same length, the number of runs).
        columns : sequence of str
            Variables to return.
        final_time : float or None
            FINAL TIME override.
        fixed : mapping or None
            Constants set to one value in every run.
        n_runs : int or None
            Number of runs when ``values`` is empty (identical runs).

        Returns
        -------
        EnsembleRuns

        Raises
        ------
        EnsembleUnsupported
            If an equation cannot run over arrays (the message quotes it).
        FloatingPointError, ZeroDivisionError, OverflowError
            If some run divides by zero or overflows (see :meth:`run_chunk`,
            which re-runs those runs one at a time).
        ModelError
            For unknown names or runs of different lengths.
        """
        model = self.model
        arrays = {model.resolve(k): np.asarray(v, dtype=float) for k, v in values.items()}
        sizes = {a.shape for a in arrays.values()} or {(n_runs,)}
        if len(sizes) != 1 or len(next(iter(sizes))) != 1 or None in next(iter(sizes)):
            raise ModelError(f"{model.name}: the ensemble needs one value per run for every "
                             f"sampled constant, as equally long lists.",
                             "Give each constant a list (or 1-D array) of the same length.")
        n_runs = next(iter(sizes))[0]
        consts = {model.resolve(k): float(v) for k, v in (fixed or {}).items()}
        py = {k: model.info(k).py_name for k in [*arrays, *consts]}
        names = [model.resolve(c) for c in columns]
        pm = self._copy(frozenset(py.values()))
        params = {py[k]: (lambda a=a: a) for k, a in arrays.items()}
        params.update({py[k]: v for k, v in consts.items()})
        try:
            with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
                warnings.simplefilter("ignore")
                pm._stepper_mode = False
                pm._config_simulation(params, names, None, "original",
                                      self._final if final_time is None else final_time,
                                      None, None, True, progress=False)
                for setting in (pm.time.initial_time, pm.time.final_time, pm.time.time_step,
                                pm.time.saveper):
                    if np.ndim(setting()) != 0:
                        raise _unsupported(model, "a time setting depends on a sampled "
                                                  "constant")
                for element in pm._stateful_elements.values():
                    add_run_axis(element, n_runs)
                capture = _Capture([pm.return_addresses[c][0] for c in names], n_runs)
                pm.output = capture
                pm._integrate()
        except _NUMERIC_TROUBLE:
            raise
        except EnsembleUnsupported as err:
            if err.problem.startswith(f"{model.name}: the ensemble engine"):
                raise
            raise _unsupported(model, err.problem.rstrip(".")) from err
        except Exception as err:  # PySD and NumPy raise many kinds on arrays
            self._pm = None  # a half-run copy is not reused
            raise _unsupported(model, f"an equation failed on arrays "
                                      f"({type(err).__name__}: {err})") from err
        finally:
            pm._dependencies.pop("OUTPUTS", None)
            pm._remove_constant_cache()
        values_out = np.stack(capture.rows, axis=1) if capture.rows else np.empty(
            (n_runs, 0, len(names)))
        return EnsembleRuns(np.asarray(capture.times, dtype=float), values_out, list(columns))

    def run_chunk(
        self,
        names: Sequence[str],
        values: np.ndarray,
        columns: Sequence[str],
        final_time: float | None = None,
        fixed: Mapping[str, float] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Run a chunk of samples as the per-run path does: ``(times, values, errors)``.

        Runs whose numbers go wrong (NaN or infinite results, a division by
        zero, an overflow) are run again one at a time with
        :func:`per_run_chunk`, so they fail, or not, exactly as they would
        there; a chunk with such trouble is halved until the trouble is
        isolated.

        Parameters
        ----------
        names : sequence of str
            Sampled constants.
        values : numpy.ndarray
            Samples, runs × constants.
        columns : sequence of str
        final_time : float or None
        fixed : mapping or None

        Returns
        -------
        tuple
            ``(times, array runs × times × columns, errors)``, errors "" for
            runs that worked.

        Raises
        ------
        EnsembleUnsupported
            If the model cannot run over arrays.
        """
        values = np.asarray(values, dtype=float).reshape(len(values), len(names))
        try:
            runs = self.run(dict(zip(names, values.T)), columns, final_time, fixed)
        except _NUMERIC_TROUBLE:
            if len(values) <= _SPLIT_BELOW:
                return per_run_chunk(self.model, names, values, columns, final_time, fixed)
            half = len(values) // 2
            parts = [self.run_chunk(names, values[:half], columns, final_time, fixed),
                     self.run_chunk(names, values[half:], columns, final_time, fixed)]
            return _join(parts, len(columns))
        arr, errors = runs.values, [""] * len(values)
        bad = np.flatnonzero(~np.isfinite(arr).all(axis=(1, 2)))
        if bad.size:
            times, again, messages = per_run_chunk(self.model, names, values[bad], columns,
                                                   final_time, fixed)
            arr = arr.copy()
            for k, i in enumerate(bad):
                errors[i] = messages[k]
                arr[i] = again[k] if not messages[k] else np.nan
        return runs.times, arr, errors


def _join(parts, n_columns: int):
    times = next((p[0] for p in parts if p[0].size), np.array([]))
    arrays = [p[1] if p[1].shape[1] == times.size else
              np.full((p[1].shape[0], times.size, n_columns), np.nan) for p in parts]
    return times, np.concatenate(arrays), [e for p in parts for e in p[2]]


def per_run_chunk(
    model: Model,
    names: Sequence[str],
    values: np.ndarray,
    columns: Sequence[str],
    final_time: float | None = None,
    fixed: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Run a chunk of samples one run at a time with :meth:`Model.run_batch`.

    Parameters
    ----------
    model : Model
    names : sequence of str
    values : numpy.ndarray
        Samples, runs × constants.
    columns : sequence of str
    final_time : float or None
    fixed : mapping or None

    Returns
    -------
    tuple
        ``(times, array runs × times × columns, errors)``.
    """
    sets = [{**(fixed or {}), **dict(zip(names, map(float, row)))} for row in values]
    outs = model.run_batch(sets, list(columns), final_time=final_time)
    good = next((o for o in outs if isinstance(o, pd.DataFrame)), None)
    if good is None:
        return np.array([]), np.full((len(outs), 0, len(columns)), np.nan), [
            o.problem for o in outs]
    times = good.index.to_numpy(float)
    arr = np.full((len(outs), times.size, len(columns)), np.nan)
    errors = []
    for i, out in enumerate(outs):
        if isinstance(out, pd.DataFrame):
            arr[i] = out[list(columns)].to_numpy(float)
            errors.append("")
        else:
            errors.append(out.problem)
    return times, arr, errors


def ensemble_chunk_size(model: Model, n_columns: int, n_times: int | None = None,
                        budget: int = MEMORY_BUDGET) -> int:
    """How many runs one ensemble chunk may hold within ``budget`` bytes.

    Counts, per run, the saved values (twice: while stepping and once
    joined), one cached value of every variable, and the stateful states.

    Parameters
    ----------
    model : Model
    n_columns : int
        Variables saved.
    n_times : int or None
        Saved times (default from the model's time settings).
    budget : int
        Bytes (default :data:`MEMORY_BUDGET`).

    Returns
    -------
    int
        At least 1.
    """
    if n_times is None:
        ts = model.time_settings
        try:
            n_times = int((ts["FINAL TIME"] - ts["INITIAL TIME"]) / ts["SAVEPER"]) + 2
        except (ValueError, ZeroDivisionError, OverflowError):
            n_times = 1000
        if not math.isfinite(n_times) or n_times < 1:
            n_times = 1000
    per_run = 8 * (2 * n_times * max(n_columns, 1) + 4 * len(model.pysd.namespace) + 64)
    return max(1, int(budget // per_run))
