"""PySD's run-time functions over a run axis, for the ensemble engine.

PySD's translated ``model.py`` computes one run with Python floats.  The
ensemble engine (:mod:`stp_helpers.sd.ensemble`) gives it NumPy arrays
holding one value per run instead.  Most equations are already
element-wise (``+``, ``np.maximum``, ``np.exp``…); what is not is replaced
here, in the loaded model's own module and objects only (PySD itself and
other loaded models are untouched):

* ``float(...)``, which the translator wraps round some expressions,
  becomes the identity;
* ``IF THEN ELSE``, ``XIDZ``, ``ZIDZ``, ``INTEGER``, ``QUANTUM``,
  ``MODULO`` and ``PULSE`` decide per run (``numpy.where``);
* lookups interpolate every run's input at once, as PySD does for one;
* delays, smooths, trends, forecasts and SAMPLE IF TRUE keep one state
  per run on a trailing run axis (a delay of order k: k × runs).

Each replacement computes, for each run, the same floating-point
operations as PySD does for that run alone, so results agree to rounding.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from stp_helpers.errors import EnsembleUnsupported

__all__ = [
    "SMALL",
    "identity",
    "if_then_else",
    "xidz",
    "zidz",
    "integer",
    "quantum",
    "modulo",
    "pulse",
    "vector_class",
    "add_run_axis",
    "FUNCTIONS",
]

#: What Vensim counts as zero (PySD's ``functions.SMALL_VENSIM``).
SMALL = 1e-6


def _is_runs(value: object) -> bool:
    """True for a NumPy array with at least one axis (values per run)."""
    return isinstance(value, np.ndarray) and value.ndim > 0


def identity(value):
    """Stand in for ``float`` in a translated model: keep arrays as arrays.

    Examples
    --------
    >>> identity(np.array([1.5, 2.0])).tolist()
    [1.5, 2.0]
    """
    return value


def if_then_else(condition, val_if_true, val_if_false):
    """Vensim's IF THEN ELSE, deciding per run.

    Both branches are evaluated only when the runs disagree.

    Examples
    --------
    >>> if_then_else(np.array([True, False]), lambda: 1.0, lambda: 2.0).tolist()
    [1.0, 2.0]
    >>> if_then_else(True, lambda: 1.0, lambda: 2.0)
    1.0
    """
    if not _is_runs(condition):  # one value for every run: PySD's own rule
        return val_if_true() if condition else val_if_false()
    if condition.all():
        return val_if_true()
    if not condition.any():
        return val_if_false()
    with np.errstate(all="ignore"):  # the branch a run does not take may divide by zero
        return np.where(condition, val_if_true(), val_if_false())


def xidz(numerator, denominator, x):
    """Vensim's XIDZ: ``numerator / denominator``, or ``x`` where the denominator is ~0.

    Examples
    --------
    >>> xidz(np.array([1.0, 1.0]), np.array([0.0, 4.0]), 9.0).tolist()
    [9.0, 0.25]
    """
    if not _is_runs(denominator):  # as PySD: Python's division when it is not ~0
        return x if abs(denominator) < SMALL else numerator / denominator
    with np.errstate(all="ignore"):
        return np.where(np.abs(denominator) < SMALL, x, numerator / denominator)


def zidz(numerator, denominator):
    """Vensim's ZIDZ: ``numerator / denominator``, or 0 where the denominator is ~0.

    Examples
    --------
    >>> zidz(np.array([1.0, 1.0]), np.array([0.0, 4.0])).tolist()
    [0.0, 0.25]
    """
    if not _is_runs(denominator):  # as PySD: Python's division when it is not ~0
        return 0 if abs(denominator) < SMALL else numerator / denominator
    with np.errstate(all="ignore"):
        return np.where(np.abs(denominator) < SMALL, 0.0, numerator / denominator)


def integer(x):
    """Vensim's INTEGER (truncation towards zero, as ``int``).

    Examples
    --------
    >>> integer(np.array([2.7, -2.7])).tolist()
    [2.0, -2.0]
    """
    if _is_runs(x):
        return np.trunc(x)
    return int(x)


def quantum(a, b):
    """Vensim's QUANTUM: ``b * INTEGER(a / b)``, or ``a`` where ``b`` is ~0 or negative.

    Examples
    --------
    >>> quantum(np.array([7.0, 7.0]), np.array([2.0, 0.0])).tolist()
    [6.0, 7.0]
    """
    if not (_is_runs(a) or _is_runs(b)):
        return a if b < SMALL else b * integer(a / b)
    with np.errstate(all="ignore"):
        return np.where(np.asarray(b) < SMALL, a, b * integer(np.asarray(a / b)))


def modulo(x, m):
    """Vensim's MODULO: ``x - QUANTUM(x, m)``.

    Examples
    --------
    >>> modulo(np.array([7.0, -7.0]), 3.0).tolist()
    [1.0, -1.0]
    """
    return x - quantum(x, m)


def pulse(time, start, repeat_time=0, width=None, magnitude=None, end=None):
    """Vensim's PULSE and PULSE TRAIN (and XMILE's PULSE), per run.

    Examples
    --------
    >>> class Clock:
    ...     def __call__(self): return 3.0
    ...     def time_step(self): return 1.0
    >>> pulse(Clock(), np.array([2.0, 3.0]), width=2.0).tolist()
    [1.0, 1.0]
    """
    t = time()
    width = 0.5 * time.time_step() if width is None else width
    out = magnitude / time.time_step() if magnitude is not None else 1
    if not any(_is_runs(a) for a in (start, repeat_time, width, out, end)):  # PySD's own rule
        if repeat_time == 0:
            return out if start - SMALL <= t < start + width else 0
        if start <= t and (end is None or t < end):
            return out if (t - start + SMALL) % repeat_time < width else 0
        return 0
    single = (start - SMALL <= t) & (t < start + width)
    repeat = np.asarray(repeat_time)
    if not repeat.any():
        return np.where(single, out, 0.0)
    with np.errstate(all="ignore"):
        running = start <= t
        if end is not None:
            running = running & (t < end)
        train = running & ((t - start + SMALL) % np.where(repeat == 0, np.nan, repeat) < width)
    return np.where(repeat == 0, np.where(single, out, 0.0), np.where(train, out, 0.0))


#: Names a translated module imports from PySD, and their replacements.
FUNCTIONS = {
    "float": identity,
    "if_then_else": if_then_else,
    "xidz": xidz,
    "zidz": zidz,
    "integer": integer,
    "quantum": quantum,
    "modulo": modulo,
    "pulse": pulse,
}


# ------------------------------------------------------------------ run axis
def _runs_shape(state: np.ndarray, n_runs: int) -> np.ndarray:
    """``state`` with a trailing run axis: (n_runs,) or (order, n_runs)."""
    state = np.asarray(state, dtype=float)
    if state.ndim == 0:
        return np.full(n_runs, float(state))
    if state.ndim == 1 and state.shape[0] != n_runs:
        raise EnsembleUnsupported("A stateful element has an unexpected shape.",
                                  "Run the model per run.")
    return np.array(np.broadcast_to(state, state.shape[:-1] + (n_runs,)))


def _stacked_shape(state: np.ndarray, n_runs: int) -> np.ndarray:
    """A delay or smooth state (order,) or (order, runs) as (order, n_runs)."""
    state = np.asarray(state, dtype=float)
    if state.ndim == 1:
        state = state[:, None]
    return np.array(np.broadcast_to(state, (state.shape[0], n_runs)))


def _one_order(py_name: str, order_func, delay_time, tstep: float) -> None:
    """Refuse a delay whose order PySD would reduce for some runs only."""
    order = np.asarray(order_func())
    times = np.asarray(delay_time)
    if order.ndim and np.unique(order).size > 1:
        raise EnsembleUnsupported(f"{py_name}: the delay order differs between runs.",
                                  "Run the model per run, or keep the order fixed.")
    k = int(order.flat[0]) if order.ndim else int(order)

    def reduced(dt: float) -> int:
        n = k
        while n * tstep > dt:
            n -= 1
        return n

    if times.ndim and reduced(float(times.min())) != reduced(float(times.max())):
        raise EnsembleUnsupported(
            f"{py_name}: PySD lowers the order of this delay for the runs whose delay time "
            f"is below order × TIME STEP, and only for them.",
            "Run the model per run, or sample delay times of at least order × TIME STEP.")


@cache
def _classes() -> tuple[dict, dict]:
    """Run-axis versions of PySD's stateful and lookup classes (built once)."""
    # heavy (PySD and xarray, about 0.6 s): loaded with the first ensemble, not the package
    from pysd.py_backend import statefuls as st
    from pysd.py_backend.external import ExtLookup  # (heavy, as above)
    from pysd.py_backend.lookups import HardcodedLookups  # (heavy, as above)

    class _LookupRuns:
        """Interpolate a one-dimensional lookup at every run's input at once."""

        def _call(self, data, x, final_subs=None):
            if not (_is_runs(x) and self.is_float):
                return super()._call(data, x, final_subs)
            xs = np.asarray(data["lookup_dim"].values, dtype=float)
            ys = np.asarray(data.values, dtype=float)
            x = np.asarray(x, dtype=float)
            if self.interp == "hold_backward":
                out = ys[np.clip(np.searchsorted(xs, x, side="right") - 1, 0, xs.size - 1)]
            else:
                out = np.interp(x, xs, ys)
            if self.interp == "extrapolate" and xs.size > 1:
                with np.errstate(all="ignore"):
                    k_hi = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
                    k_lo = (ys[1] - ys[0]) / (xs[1] - xs[0])
                    out = np.where(x > xs[-1], ys[-1] + k_hi * (x - xs[-1]), out)
                    out = np.where(x < xs[0], ys[0] + k_lo * (x - xs[0]), out)
            # a run exactly on a point takes that point's value, as PySD does
            hit = np.searchsorted(xs, x)
            exact = (hit < xs.size) & (xs[np.minimum(hit, xs.size - 1)] == x)
            return np.where(exact, ys[np.minimum(hit, xs.size - 1)], out)

    class _DelayRuns(st.Delay):
        def initialize(self, init_val=None):
            _one_order(self.py_name, self.order_func, self.delay_time_func(), self.tstep())
            super().initialize(init_val)

    class _DelayNRuns(st.DelayN):
        def initialize(self, init_val=None):
            _one_order(self.py_name, self.order_func, self.delay_time_func(), self.tstep())
            super().initialize(init_val)

    class _SmoothRuns(st.Smooth):
        def initialize(self, init_val=None):
            if np.ndim(self.order_func()):
                raise EnsembleUnsupported(
                    f"{self.py_name}: the smooth's order is sampled; PySD fixes one order "
                    f"per model.", "Run the model per run, or keep the order fixed.")
            super().initialize(init_val)

    class _DelayFixedRuns(st.DelayFixed):
        def initialize(self, init_val=None):
            delay = np.asarray(self.delay_time_func())
            if delay.ndim:
                if np.unique(delay).size > 1:
                    raise EnsembleUnsupported(
                        f"{self.py_name}: DELAY FIXED keeps one pipe per delay time, and the "
                        f"delay time differs between runs.",
                        "Run the model per run, or keep this delay time fixed.")
                own, value = self.delay_time_func, float(delay.flat[0])
                self.delay_time_func = lambda: value
                try:
                    super().initialize(init_val)
                finally:
                    self.delay_time_func = own
            else:
                super().initialize(init_val)

    class _ForecastRuns(st.Forecast):
        def __call__(self):
            return self.input() * (
                1 + zidz(self.input() - self.state, self.average_time() * self.state)
                * self.horizon())

    class _TrendRuns(st.Trend):
        def __call__(self):
            return zidz(self.input_func() - self.state,
                        self.average_time_function() * np.abs(self.state))

    class _SampleIfTrueRuns(st.SampleIfTrue):
        def __call__(self):
            return if_then_else(self.condition(), self.actual_value, lambda: self.state)

        def update(self, state):
            self.state = self.state * 0 + if_then_else(self.condition(), self.actual_value,
                                                       lambda: self.state)

    # PySD stateful class → (its run-axis version, how its state gets the run axis)
    table = {
        st.Integ: (st.Integ, "runs"),
        st.NonNegativeInteg: (st.NonNegativeInteg, "runs"),
        st.Initial: (st.Initial, "runs"),
        st.Delay: (_DelayRuns, "stacked"),
        st.DelayN: (_DelayNRuns, "stacked"),
        st.Smooth: (_SmoothRuns, "stacked"),
        st.DelayFixed: (_DelayFixedRuns, "pipe"),
        st.Forecast: (_ForecastRuns, "runs"),
        st.Trend: (_TrendRuns, "runs"),
        st.SampleIfTrue: (_SampleIfTrueRuns, "runs"),
    }
    lookups = {cls: type(f"{cls.__name__}Runs", (_LookupRuns, cls), {})
               for cls in (HardcodedLookups, ExtLookup)}
    return table, lookups


def vector_class(obj: object) -> type | None:
    """The run-axis class for a PySD stateful or lookup object (None if unknown).

    Examples
    --------
    >>> vector_class(object()) is None
    True
    """
    table, lookups = _classes()
    if type(obj) in table:
        return table[type(obj)][0]
    return lookups.get(type(obj))


def add_run_axis(element: statefuls.Stateful, n_runs: int) -> None:
    """Give an initialised stateful element's state a trailing axis of ``n_runs``.

    Raises
    ------
    EnsembleUnsupported
        For a stateful PySD class the engine does not know.
    """
    kind = next((k for cls, (vec, k) in _classes()[0].items() if type(element) in (cls, vec)),
                None)
    if kind is None:
        raise EnsembleUnsupported(
            f"{element.py_name or type(element).__name__}: the ensemble engine does not "
            f"know PySD's {type(element).__name__}.", "Run the model per run.")
    if kind == "runs":
        element._state = _runs_shape(element.state, n_runs)
    elif kind == "stacked":
        element._state = _stacked_shape(element.state, n_runs)
        if getattr(element, "times", None) is not None:
            element.times = _stacked_shape(element.times, n_runs)
    else:
        element._state = _runs_shape(element.state, n_runs)
        element.pipe = [_runs_shape(p, n_runs) for p in element.pipe]
