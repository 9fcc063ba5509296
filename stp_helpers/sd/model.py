"""A small wrapper round a PySD model: metadata, safe runs, parameter specs.

PySD keeps parameter values (and ``final_time``/``time_step`` overrides)
in the model object between runs (methods.md §3.2).  :meth:`Model.run`
reloads the translated model before a run whenever the previous run changed
anything, so every run starts from the model as written.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError
from stp_helpers.paths import relative
from stp_helpers.sd.errors import check_finite, run_error
from stp_helpers.sd.variables import (
    CONTROL_VARIABLES,
    VariableInfo,
    clean_text,
    flows_by_stock,
    is_control,
    read_variables,
)

__all__ = ["Model", "VariableInfo", "CONTROL_VARIABLES"]


class Model:
    """A PySD model opened by :func:`stp_helpers.sd.load_model`.

    Parameters
    ----------
    pysd_model : pysd.py_backend.model.Model
        The loaded PySD model.
    source : Path
        The user's model file.
    cache : Path
        The cache folder holding the translated ``model.py``.
    data_files : tuple of str
        Data files passed to PySD (in the cache).
    notes : sequence of str
        Warnings PySD gave while translating.

    Attributes
    ----------
    source, cache : Path
    notes : list of str
    pysd : the underlying PySD model (use with care: it keeps changes).
    """

    def __init__(
        self,
        pysd_model,
        source: Path,
        cache: Path,
        data_files: tuple[str, ...] = (),
        notes: Sequence[str] = (),
    ) -> None:
        self.pysd = pysd_model
        self.source = Path(source)
        self.cache = Path(cache)
        self.data_files = tuple(data_files)
        self.notes = list(notes)
        self._dirty = False
        self._set_names: frozenset[str] | None = frozenset()
        self._info = read_variables(pysd_model)
        self._by_any = {}
        for info in self._info.values():
            self._by_any[info.name] = info.name
            self._by_any[info.py_name] = info.name
            self._by_any.setdefault(info.name.lower(), info.name)
        self._base = self._read_base_values()

    # ----------------------------------------------------------------- metadata
    def _read_base_values(self) -> dict[str, float]:
        base = {}
        for info in self._info.values():
            if not info.constant:
                continue
            try:
                value = getattr(self.pysd.components, info.py_name)()
            except Exception:  # noqa: BLE001 - some constants need initialisation
                continue
            if np.ndim(value) == 0:
                base[info.name] = float(value)
        return base

    def _names(self, kind: str) -> list[str]:
        return [n for n, i in self._info.items() if i.kind == kind]

    @property
    def name(self) -> str:
        """The model file's name without its suffix (a case model: the case folder)."""
        if self.source.stem == "model" and self.source.parent.name:
            return self.source.parent.name
        return self.source.stem

    @property
    def stocks(self) -> list[str]:
        """Names of the stocks (levels)."""
        return self._names("stock")

    @property
    def flows(self) -> list[str]:
        """Names of the flows (variables that a stock integrates)."""
        return self._names("flow")

    @property
    def constants(self) -> list[str]:
        """Names of the constants (the model's parameters), including constant flows."""
        return [n for n, i in self._info.items() if i.constant]

    @property
    def lookups(self) -> list[str]:
        """Names of the lookup tables (graphical functions)."""
        return self._names("lookup")

    @property
    def auxiliaries(self) -> list[str]:
        """Names of the other computed variables."""
        return self._names("auxiliary")

    @property
    def base_values(self) -> dict[str, float]:
        """Each scalar constant's value as written in the model file."""
        return dict(self._base)

    @property
    def flows_by_stock(self) -> dict[str, list[str]]:
        """Each stock's flows (from PySD's dependencies)."""
        return flows_by_stock(self.pysd)

    @property
    def time_settings(self) -> dict[str, float]:
        """INITIAL TIME, FINAL TIME, TIME STEP and SAVEPER as written."""
        ctrl = getattr(self.pysd, "_control_vars", None) or {}
        comps = self.pysd.components
        out = {}
        for real, py in zip(CONTROL_VARIABLES, ("initial_time", "final_time", "time_step",
                                                "saveper")):
            try:
                out[real] = float(ctrl[py]() if py in ctrl else getattr(comps, py)())
            except Exception:  # noqa: BLE001
                out[real] = math.nan
        return out

    @property
    def time_units(self) -> str:
        """Units of TIME STEP ("" if not stated)."""
        doc = self.pysd.doc
        row = doc[doc["Py Name"] == "time_step"]
        return clean_text(row["Units"].iloc[0]) if len(row) else ""

    def variables_list(self) -> list[str]:
        """Names of every variable except the time controls."""
        return list(self._info)

    def info(self, name: str) -> VariableInfo:
        """Return what the model says about ``name`` (model or Python name).

        Raises
        ------
        ModelError
            If the model has no such variable.
        """
        return self._info[self.resolve(name)]

    def table(self) -> pd.DataFrame:
        """Return one row per variable: name, kind, units, range and doc."""
        rows = [vars(i) for i in self._info.values()]
        return pd.DataFrame(rows).sort_values(["kind", "name"], ignore_index=True)

    def resolve(self, name: str) -> str:
        """Return the model's name for ``name`` (model or Python name).

        Raises
        ------
        ModelError
            If the model has no such variable; the message suggests close names.
        """
        real = self._by_any.get(name) or self._by_any.get(str(name).lower())
        if real is not None:
            return real
        close = get_close_matches(str(name), list(self._info), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ModelError(
            f"{relative(self.source)}: the model has no variable called {name!r}.{hint}",
            f"Use one of the names listed by model.constants (e.g. "
            f"{', '.join(repr(c) for c in self.constants[:3]) or 'none'}).",
        )

    def __repr__(self) -> str:
        return (
            f"<Model {self.name!r}: {len(self.stocks)} stocks, {len(self.flows)} flows, "
            f"{len(self.constants)} constants>"
        )

    # ----------------------------------------------------------------- running
    def check_params(
        self, params: Mapping[str, object] | None, check_ranges: bool = True
    ) -> dict[str, object]:
        """Validate parameter names and values; return them keyed by model name.

        Parameters
        ----------
        params : mapping or None
            Model or Python name → number or time-indexed ``pandas.Series``.
        check_ranges : bool
            If False, accept values outside the declared ranges (used by
            extreme-condition tests).

        Returns
        -------
        dict
            The same values keyed by the model's own names.

        Raises
        ------
        ModelError
            For an unknown name, a variable that is not a parameter (a stock
            or a time setting), a non-numeric value, or a value outside the
            range the model declares (``[min,max]``).
        """
        out: dict[str, object] = {}
        where = relative(self.source)
        for key, value in (params or {}).items():
            if is_control(key):
                raise ModelError(
                    f"{where}: {key!r} is a time setting, not a parameter.",
                    "Pass final_time=... or time_step=... to run() instead.",
                )
            real = self.resolve(str(key))
            info = self._info[real]
            if info.kind == "stock":
                raise ModelError(
                    f"{where}: {real!r} is a stock; setting it would replace the stock "
                    f"with a constant.",
                    "Change the constant that sets its initial value instead.",
                )
            values = value.to_numpy() if isinstance(value, pd.Series) else np.asarray(value)
            try:
                values = values.astype(float)
            except (TypeError, ValueError) as err:
                raise ModelError(
                    f"{where}: the value given for {real!r} ({value!r}) is not a number.",
                    "Give a number, or a pandas Series of numbers indexed by time.",
                ) from err
            if not np.all(np.isfinite(values)):
                raise ModelError(
                    f"{where}: the value given for {real!r} is not finite ({value!r}).",
                    "Give a finite number.",
                )
            lo, hi = info.minimum, info.maximum
            below = not math.isnan(lo) and bool(np.any(values < lo))
            above = not math.isnan(hi) and bool(np.any(values > hi))
            if check_ranges and (below or above):
                rng = "[{}, {}]".format(
                    "" if math.isnan(lo) else f"{lo:g}", "" if math.isnan(hi) else f"{hi:g}"
                )
                raise ModelError(
                    f"{where}: {real!r} = {value!r} is outside the range {rng} the model "
                    f"declares for it.",
                    f"Choose a value within {rng}, or widen the range annotation in the model "
                    f"if the value is plausible.",
                )
            out[real] = value if isinstance(value, pd.Series) else float(values) if (
                values.ndim == 0
            ) else value
        return out

    def run(
        self,
        params: Mapping[str, object] | None = None,
        final_time: float | None = None,
        time_step: float | None = None,
        return_columns: Sequence[str] | None = None,
        saveper: float | None = None,
        check_finite: bool = True,
        check_ranges: bool = True,
    ) -> pd.DataFrame:
        """Run the model from its initial state; changes never persist.

        Parameters
        ----------
        params : mapping or None
            Model or Python name → number (or time-indexed Series) for this run.
        final_time, time_step, saveper : float or None
            Override the model's time settings for this run only.  When
            ``time_step`` is given and ``saveper`` is not, output is saved
            every ``time_step``.
        return_columns : sequence of str or None
            Variables to return (model or Python names).  Default: every
            variable except the time settings.
        check_finite : bool
            If True (default), raise when a returned value is NaN or infinite.
        check_ranges : bool
            If True (default), refuse values outside the model's ``[min,max]``.

        Returns
        -------
        pandas.DataFrame
            One row per saved time (index named ``time``), one column per variable.

        Raises
        ------
        ModelError
            For unknown or out-of-range parameters, for errors PySD raises
            while running (division by zero, unsupported functions…), and
            for NaN/inf results, naming the variable and the time.
        """
        checked = self.check_params(params, check_ranges)
        columns = None
        if return_columns is not None:
            columns = [self._column_name(c) for c in return_columns]
        timed = any(v is not None for v in (final_time, time_step, saveper))
        scalar = frozenset(k for k, v in checked.items() if isinstance(v, float))
        # A run that sets again every scalar parameter the last run set (and no time
        # settings) starts from the model as written without a reload: nothing can leak.
        resets_all = self._set_names is not None and self._set_names <= scalar and not timed
        if self._dirty and not resets_all:
            self._reload()
        changed = bool(checked) or timed
        if time_step is not None and saveper is None:
            saveper = time_step
        self._dirty = changed
        self._set_names = scalar if len(scalar) == len(checked) and not timed else None
        where = relative(self.source)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                out = self.pysd.run(
                    params=checked or None,
                    return_columns=columns,
                    final_time=final_time,
                    time_step=time_step,
                    saveper=saveper,
                )
            except Exception as err:  # PySD raises many kinds
                self._dirty, self._set_names = True, None
                raise self._run_error(err) from err
        if columns is None:
            out = out.drop(columns=[c for c in CONTROL_VARIABLES if c in out.columns])
        out.index = pd.Index(out.index.astype(float), name="time")
        if check_finite:
            self._check_finite(out, where)
        return out

    def run_batch(
        self,
        param_sets: Sequence[Mapping[str, float]],
        return_columns: Sequence[str],
        final_time: float | None = None,
    ) -> list[pd.DataFrame | ModelError]:
        """Run many parameter sets that all set the same names, quickly.

        Because every set assigns the same parameters, nothing can leak
        from one run to the next, so the model is reloaded only once.
        Values are not range-checked here (check them beforehand).

        Parameters
        ----------
        param_sets : sequence of mapping
            Each maps the same model names to numbers.
        return_columns : sequence of str
            Variables to return.
        final_time : float or None
            FINAL TIME override for every run.

        Returns
        -------
        list
            Per set, the run's DataFrame, or the :class:`ModelError` it raised
            (NaN/inf results count as errors).

        Raises
        ------
        ModelError
            If the sets do not all name the same parameters.
        """
        if not param_sets:
            return []
        keys = {self.resolve(k) for k in param_sets[0]}
        py = {self.resolve(k): self._info[self.resolve(k)].py_name for k in param_sets[0]}
        columns = [self._column_name(c) for c in return_columns]
        self._reload()
        self._dirty, self._set_names = True, None
        where = relative(self.source)
        results: list[pd.DataFrame | ModelError] = []
        for params in param_sets:
            named = {py[self.resolve(k)] if self.resolve(k) in keys else k: float(v)
                     for k, v in params.items()}
            if len(named) != len(keys) or set(named) != set(py.values()):
                raise ModelError(
                    f"{where}: run_batch needs every parameter set to name the same "
                    f"parameters ({', '.join(sorted(keys))}).",
                    "Use run() for sets that differ.",
                )
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    out = self.pysd.run(params=named, return_columns=columns,
                                        final_time=final_time)
                    out.index = pd.Index(out.index.astype(float), name="time")
                    self._check_finite(out, where)
                except ModelError as err:
                    results.append(err)
                    continue
                except Exception as err:  # PySD raises many kinds
                    results.append(self._run_error(err))
                    self._reload()
                    self._dirty, self._set_names = True, None
                    continue
            results.append(out)
        return results

    def _column_name(self, name: str) -> str:
        if is_control(name):
            return str(name)
        base = str(name).split("[")[0].strip()
        if base in self._by_any or base.lower() in self._by_any:
            return name if "[" in str(name) else self.resolve(base)
        return self.resolve(name)

    def _reload(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.pysd.reload()
        self._dirty = False
        self._set_names = frozenset()

    def reset(self) -> None:
        """Restore every parameter and time setting to the model file's values."""
        self._reload()

    def _run_error(self, err: BaseException) -> ModelError:
        try:
            now = float(self.pysd.time())
        except Exception:  # noqa: BLE001
            now = math.nan
        py_to_real = {i.py_name: n for n, i in self._info.items()}
        return run_error(err, self.source, self.cache / "model.py", now, py_to_real)

    def _check_finite(self, out: pd.DataFrame, where: str) -> None:
        check_finite(out, where)
