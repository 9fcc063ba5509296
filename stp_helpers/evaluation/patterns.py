"""Reference modes: the pattern over time of a key variable, read from a case's data (duty 5).

A reference mode is the pattern of behaviour a model has to explain: a
variable's history (and the feared or hoped-for future) drawn as a graph over
time (Sterman 2000, ch. 3).  The workbook reads it against the variable's own
variation, as an XmR chart does (Wheeler 1993), so that noise is not mistaken
for a pattern:

- ``RM-1`` (a workbook design) the limits rest on a baseline of the first
  points (the logic model's ``baseline_points`` when the case records them,
  else the first 12, or half a shorter series, never fewer than 6);
- ``RM-2`` a run of eight or more points on one side of the centre line
  (detection rule 4) is a sustained *shift*, and the change starts at the
  run's first point; a run below is ``"shifts down"``, above ``"shifts up"``;
- ``RM-3`` without such a run, points outside the limits make the pattern
  ``"stable with unusual points"``; with none it is ``"stable"``: the
  structure keeps producing the same level, and a model should explain why.

Examples
--------
>>> values = [52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49, 51, 53, 55, 56, 57, 58, 59, 57]
>>> mode = read_reference_mode(values, name="Value", baseline=12)
>>> mode.shape, mode.change_start, round(mode.before, 1), round(mode.after, 1)
('shifts up', 15, 50.6, 55.8)
>>> read_reference_mode([5, 6, 5, 7, 6, 5, 6, 5], name="Calls").shape
'stable'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from stp_helpers.case import Case
from stp_helpers.errors import SeriesError
from stp_helpers.evaluation.indicators import indicator_series
from stp_helpers.evaluation.spc import (MIN_BASELINE, Signal, XmRLimits, detect_signals, parse_series, xmr_limits,
                                        xmr_table)

__all__ = ["ReferenceMode", "SHAPES", "read_reference_mode", "case_indicators", "case_reference_mode",
           "reference_modes_table"]

#: Every shape :func:`read_reference_mode` can name.
SHAPES = ("stable", "stable with unusual points", "shifts down", "shifts up")


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


@dataclass(frozen=True)
class ReferenceMode:
    """The pattern over time of one variable, read against its own variation.

    Attributes
    ----------
    name : str
        The variable's name, e.g. ``"Crisis-driven agency contacts"``.
    periods, values : tuple
        The series, in order.
    limits : XmRLimits
        Centre line and natural process limits from the baseline (``RM-1``).
    signals : tuple of Signal
        Every detection-rule signal.
    shape : str
        One of :data:`SHAPES` (``RM-2``, ``RM-3``).
    change_start : int or None
        The point (counted from 1) where a sustained shift starts.
    unit : str
        The unit of the values, e.g. ``"contacts per month"`` (empty when unknown).
    """

    name: str
    periods: tuple[str, ...]
    values: tuple[float, ...]
    limits: XmRLimits
    signals: tuple[Signal, ...]
    shape: str
    change_start: int | None = None
    unit: str = ""

    @property
    def before(self) -> float:
        """The level before any change: the baseline's centre line."""
        return self.limits.centre

    @property
    def after(self) -> float | None:
        """The mean from the start of the shift to the end of the series, or None without a shift."""
        if self.change_start is None:
            return None
        later = self.values[self.change_start - 1:]
        return sum(later) / len(later)

    @property
    def change_period(self) -> str | None:
        """The period where the shift starts, or None."""
        return None if self.change_start is None else self.periods[self.change_start - 1]

    @property
    def unusual_points(self) -> list[int]:
        """Points (counted from 1) outside the natural process limits (rule 1)."""
        return [s.point for s in self.signals if s.rule == "1"]

    @property
    def unusual(self) -> list[str]:
        """Periods with a point outside the natural process limits (rule 1)."""
        return [self.periods[p - 1] for p in self.unusual_points]

    def table(self) -> pd.DataFrame:
        """The XmR table (one row per point) for a chart."""
        return xmr_table(list(self.values), self.limits, labels=list(self.periods), signals=list(self.signals))

    def title(self) -> str:
        """A short finding for a chart title (at most about 80 characters)."""
        per = f" a {self.unit.split(' per ')[-1]}" if " per " in self.unit else ""
        level = f"{_number(self.before)}{per}"
        if self.change_start is None:
            more = "" if self.shape == "stable" else ", with unusual points"
            return f"{self.name}: stable near {level}{more}"
        way = "fell" if self.shape == "shifts down" else "rose"
        full = f"{self.name} held near {level}, then {way} from {self.change_period}"
        return full if len(full) <= 80 else f"{self.name} {way} from {self.change_period}"

    def sentence(self) -> str:
        """The reading in words: the level, its limits and any sustained shift."""
        p = self.periods
        unit = f" {self.unit}" if self.unit else ""
        first = (f"{self.name} varied around {_number(self.before)}{unit} over {p[0]} to "
                 f"{p[self.limits.baseline - 1]} (natural limits {_number(self.limits.lower)} to "
                 f"{_number(self.limits.upper)}).")
        if self.change_start is not None:
            run = next(s for s in self.signals if s.rule == "4")
            side = "below" if self.shape == "shifts down" else "above"
            return (f"{first} From {self.change_period} it ran {side} that level for {len(run.points)} points "
                    f"in a row, averaging {_number(self.after or 0.0)}: a sustained shift. Look for what changed in "
                    "the structure shortly before it (an inference to test, not a finding).")
        if self.unusual:
            return (f"{first} {len(self.unusual)} point{'s' if len(self.unusual) != 1 else ''} fell outside the "
                    f"limits ({', '.join(self.unusual[:5])}) but no run shows a shift: look for what happened "
                    "then before calling it a pattern.")
        return (f"{first} Every point lies within the limits: a stable process, so the structure keeps "
                "producing this level, and the model has to explain why.")

    def __repr__(self) -> str:
        return self.sentence()


def _default_baseline(length: int) -> int:
    return max(MIN_BASELINE, min(12, length // 2))


def read_reference_mode(values: Sequence[object] | str, periods: Sequence[str] | None = None, *, name: str = "Value",
                        unit: str = "", baseline: int | None = None) -> ReferenceMode:
    """Read the pattern over time of a series (``RM-1`` to ``RM-3``).

    Parameters
    ----------
    values : sequence of numbers, or text such as ``"5, 6 7"``
    periods : sequence of str, optional
        One label per value (default 1, 2, ...).
    name, unit : str
        The variable's name and unit, for the sentence and the title.
    baseline : int, optional
        Points the limits rest on (default ``RM-1``).

    Returns
    -------
    ReferenceMode

    Raises
    ------
    SeriesError
        Fewer than 6 values, non-numbers, or a number of periods that differs from the values.

    Examples
    --------
    >>> read_reference_mode([1, 2, 3], name="Calls")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.SeriesError: A reference mode needs at least 6 values; Calls has 3. Gather more periods before reading a pattern: a few points show noise, not behaviour.
    """
    series = parse_series(values, name=name)
    if len(series) < MIN_BASELINE:
        raise SeriesError(f"A reference mode needs at least {MIN_BASELINE} values; {name} has {len(series)}.",
                          "Gather more periods before reading a pattern: a few points show noise, not behaviour.")
    labels = tuple(str(p) for p in periods) if periods is not None else tuple(str(i) for i in
                                                                               range(1, len(series) + 1))
    if len(labels) != len(series):
        raise SeriesError(f"There are {len(labels)} periods for {len(series)} values.", "Give one period per value.")
    n = min(baseline or _default_baseline(len(series)), len(series))
    limits = xmr_limits(series, baseline=n)
    signals = tuple(detect_signals(series, limits))
    runs = [s for s in signals if s.rule == "4"]
    if runs:
        shape, start = ("shifts down" if runs[0].side == "below" else "shifts up"), runs[0].points[0]
    else:
        shape = "stable with unusual points" if any(s.rule == "1" for s in signals) else "stable"
        start = None
    return ReferenceMode(name=name, periods=labels, values=tuple(series), limits=limits, signals=signals,
                         shape=shape, change_start=start, unit=unit)


def case_indicators(case: Case) -> list[str]:
    """The indicators a case has data for (``indicators.csv``), in file order; empty when it has none."""
    if not case.has("indicators.csv"):
        return []
    return list(dict.fromkeys(r.indicator for r in case.read("indicators.csv")))


def case_reference_mode(case: Case, indicator: str) -> ReferenceMode:
    """Read one indicator of a case, with its name, unit and baseline from ``logic_model.yaml`` when recorded.

    Raises
    ------
    SeriesError
        The case has no ``indicators.csv``, the indicator is unknown, or it has missing values.
    """
    if not case.has("indicators.csv"):
        raise SeriesError(f"{case.meta.title} has no indicators.csv.",
                          "Add one (indicator, period, value, note) with the data you have, then run this again.")
    series = indicator_series(case.read("indicators.csv"), indicator)
    name, unit, baseline = indicator.replace("_", " "), "", None
    if case.has("logic_model.yaml"):
        for known in case.read("logic_model.yaml").indicators:
            if known.id == indicator:
                name, unit, baseline = known.name, known.unit or "", known.baseline_points
    return read_reference_mode(series["value"].tolist(), series["period"].tolist(), name=name, unit=unit,
                               baseline=baseline)


def reference_modes_table(case: Case) -> pd.DataFrame:
    """One row per indicator of a case: its shape, level before, where a shift starts and the level after.

    Columns ``indicator``, ``shape``, ``before``, ``change from``, ``after``; empty when the case has no data.
    """
    rows = []
    for indicator in case_indicators(case):
        try:
            mode = case_reference_mode(case, indicator)
        except SeriesError as err:
            rows.append({"indicator": indicator, "shape": f"not read: {err.problem}", "before": "",
                         "change from": "", "after": ""})
            continue
        rows.append({"indicator": mode.name, "shape": mode.shape, "before": _number(mode.before),
                     "change from": mode.change_period or "", "after": _number(mode.after) if mode.after else ""})
    return pd.DataFrame(rows, columns=["indicator", "shape", "before", "change from", "after"])
