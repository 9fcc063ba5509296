"""XmR (process behaviour) charts, detection rules, targets, and failure demand.

An XmR chart plots individual values (X) with their moving ranges (mR): the
centre line is the mean of a baseline, the natural process limits are
X̄ ± 2.66·mR̄ and the upper range limit is 3.268·mR̄ (Wheeler & Chambers
1992; 2.66 = 3/d₂ and 3.268 = D₄ for subgroups of two, d₂ = 1.128).  Points
are read with the Western Electric (1956) detection rules:

1. a point outside the natural process limits;
2. two of three successive points beyond 2σ̂ on one side of the centre line;
3. four of five successive points beyond 1σ̂ on one side;
4. eight successive points on one side of the centre line;

plus ``mR``: a moving range above the upper range limit.  σ̂ = mR̄ / 1.128.

A target is read against the limits (``TGT-1``): inside them the stable
process meets or misses it by chance; beyond them on the desired side, only a
change to the system will meet it.  Failure demand is demand caused by a
failure to do something, or do it right, for the customer (Seddon 2003).

Examples
--------
>>> series = [52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49, 51, 53, 55, 56, 57, 58, 59, 57]
>>> limits = xmr_limits(series, baseline=12)
>>> limits
XmR limits from points 1-12: centre 50.583, limits 38.976 to 62.191, upper range limit 14.26
>>> [(s.rule, s.point) for s in detect_signals(series, limits) if s.rule in ("1", "4")]
[('1', 13), ('4', 22)]
>>> judge_target(limits, 35, better="lower").verdict
'system change needed'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from stp_helpers.errors import SeriesError
from stp_helpers.evaluation.indicators import (  # case files and demand: spc.read_demand keeps working
    DemandRecord,
    IndicatorValue,
    failure_demand_summary,
    failure_share_by_period,
    indicator_series,
    read_demand,
    read_indicators,
)

__all__ = [
    "SeriesError", "XmRLimits", "Signal", "TargetJudgement", "RULES", "MIN_BASELINE",
    "parse_series", "xmr_limits", "moving_ranges", "detect_signals", "signals_table", "xmr_table",
    "judge_target",
    "EXAMPLE_SERIES", "example_demand",
    # re-exported from indicators
    "DemandRecord",
    "IndicatorValue",
    "failure_demand_summary",
    "failure_share_by_period",
    "indicator_series",
    "read_demand",
    "read_indicators",
]

#: The methods reference's worked example ``SPC-T1`` (baseline: the first 12 points).
EXAMPLE_SERIES = (52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49, 51, 53, 55, 56, 57, 58, 59, 57)


def example_demand() -> pd.DataFrame:
    """The methods reference's worked example ``FD-T1``: 1,200 classified contacts in one period.

    >>> example_demand()["count"].sum()
    np.int64(1200)
    """
    return pd.DataFrame({"period": "example", "kind": ["failure", "failure", "failure", "value"],
                         "demand": ["progress chase", "repeat repair", "missed-appointment complaint", "new request"],
                         "count": [540, 120, 60, 480]})

#: Scaling constants for subgroups of two (Wheeler & Chambers 1992).
E2, D4, D2 = 2.66, 3.268, 1.128
#: Fewest baseline points the workbook accepts (Wheeler: limits are useful from about 6).
MIN_BASELINE = 6
#: What each detection rule means, in words.
RULES: dict[str, str] = {
    "1": "a point outside the natural process limits",
    "2": "two of three successive points beyond 2 sigma on one side",
    "3": "four of five successive points beyond 1 sigma on one side",
    "4": "eight successive points on one side of the centre line",
    "mR": "a moving range above the upper range limit",
}


def parse_series(values: str | Iterable[object], *, name: str = "The series") -> list[float]:
    """Turn numbers, or text such as ``"52, 48 55"``, into a list of floats.

    Parameters
    ----------
    values : str or iterable
        Numbers, or text with numbers separated by commas, spaces or new lines.
    name : str
        How messages name the series.

    Returns
    -------
    list of float

    Raises
    ------
    SeriesError
        Naming every value that is not a number and every missing value, by position.

    Examples
    --------
    >>> parse_series("52, 48\\n55")
    [52.0, 48.0, 55.0]
    >>> parse_series([1, "x", None])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.SeriesError: The series has values that are not numbers: point 2 ('x'); and missing values: point 3. Type each value as a number (e.g. 52 or 0.6); leave no gaps.
    """
    if isinstance(values, str):
        pieces = re.split(r"[,;\n]", values.strip()) if values.strip() else []
        if pieces and not pieces[-1].strip():
            pieces.pop()  # a trailing comma
        items: list[object] = []
        for piece in pieces:
            items.extend(piece.split() or [None])
    else:
        items = list(values)
    bad, missing, out = [], [], []
    for i, item in enumerate(items, start=1):
        if item is None or (isinstance(item, str) and not item.strip()):
            missing.append(i)
            continue
        if isinstance(item, bool):
            bad.append((i, item))
            continue
        try:
            number = float(str(item).strip()) if isinstance(item, str) else float(item)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            bad.append((i, item))
            continue
        if math.isnan(number):
            missing.append(i)
        elif math.isinf(number):
            bad.append((i, item))
        else:
            out.append(number)
    parts = []
    if bad:
        parts.append("values that are not numbers: " + ", ".join(f"point {i} ({v!r})" for i, v in bad[:10]))
    if missing:
        parts.append("missing values: " + ", ".join(f"point {i}" for i in missing[:10]))
    if parts:
        raise SeriesError(f"{name} has " + "; and ".join(parts) + ".",
                          "Type each value as a number (e.g. 52 or 0.6); leave no gaps.")
    if not out:
        raise SeriesError(f"{name} is empty.", "Enter at least a few values, separated by commas.")
    return out


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Return |xᵢ − xᵢ₋₁| for i = 2..n.

    >>> moving_ranges([52, 48, 55])
    [4.0, 7.0]
    """
    return [abs(float(b) - float(a)) for a, b in zip(values, values[1:])]


@dataclass(frozen=True)
class XmRLimits:
    """Centre line and limits of an XmR chart, computed from a baseline.

    Attributes
    ----------
    centre : float
        X̄, mean of the baseline.
    mr_bar : float
        Mean moving range of the baseline.
    baseline : int
        Number of points (from the first) the limits come from.
    """

    centre: float
    mr_bar: float
    baseline: int

    @property
    def upper(self) -> float:
        """Upper natural process limit, X̄ + 2.66·mR̄."""
        return self.centre + E2 * self.mr_bar

    @property
    def lower(self) -> float:
        """Lower natural process limit, X̄ − 2.66·mR̄."""
        return self.centre - E2 * self.mr_bar

    @property
    def url(self) -> float:
        """Upper range limit for the moving ranges, 3.268·mR̄."""
        return D4 * self.mr_bar

    @property
    def sigma(self) -> float:
        """σ̂ = mR̄ / 1.128."""
        return self.mr_bar / D2

    def zone(self, k: float) -> tuple[float, float]:
        """Return (centre − k·σ̂, centre + k·σ̂)."""
        return self.centre - k * self.sigma, self.centre + k * self.sigma

    def __repr__(self) -> str:
        return (f"XmR limits from points 1-{self.baseline}: centre {self.centre:.3f}, limits "
                f"{self.lower:.3f} to {self.upper:.3f}, upper range limit {self.url:.2f}")


def xmr_limits(values: str | Sequence[object], baseline: int | None = None) -> XmRLimits:
    """Compute XmR limits from the first ``baseline`` points (``SPC-1``).

    Parameters
    ----------
    values : sequence of numbers, or text
    baseline : int, optional
        How many points, from the first, the limits rest on (default all).
        Record it: limits are recomputed only after a sustained shift.

    Returns
    -------
    XmRLimits

    Raises
    ------
    SeriesError
        Non-numeric or missing values, a baseline outside 1..n, or fewer than
        :data:`MIN_BASELINE` baseline points.

    Examples
    --------
    >>> limits = xmr_limits([52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52])
    >>> round(limits.centre, 3), round(limits.mr_bar, 3), round(limits.sigma, 3)
    (50.583, 4.364, 3.868)
    >>> xmr_limits([1, 2, 3])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.SeriesError: An XmR chart needs at least 6 baseline points; this one has 3. Add more points, or wait until you have them: limits from fewer points move a lot.
    """
    series = parse_series(values)
    n = len(series) if baseline is None else int(baseline)
    if n > len(series) or n < 1:
        raise SeriesError(f"The baseline of {n} points is longer than the series ({len(series)} points)."
                          if n > 1 else f"The baseline must be at least 1 point, not {n}.",
                          f"Choose a baseline between {MIN_BASELINE} and {len(series)}.")
    if n < MIN_BASELINE:
        raise SeriesError(f"An XmR chart needs at least {MIN_BASELINE} baseline points; this one has {n}.",
                          "Add more points, or wait until you have them: limits from fewer points move a lot.")
    base = series[:n]
    ranges = moving_ranges(base)
    return XmRLimits(centre=sum(base) / n, mr_bar=sum(ranges) / len(ranges), baseline=n)


@dataclass(frozen=True)
class Signal:
    """One detection-rule signal.

    Attributes
    ----------
    rule : str
        ``"1"``–``"4"`` or ``"mR"``.
    point : int
        The point (counted from 1) where the signal is complete: the point
        outside the limits, the end of a window, the end of a run.
    points : tuple of int
        Every point involved (a window's points beyond the zone, a whole run).
    side : str
        ``"above"`` or ``"below"`` the centre line (``"above"`` for ``mR``).
    """

    rule: str
    point: int
    points: tuple[int, ...]
    side: str

    @property
    def meaning(self) -> str:
        """The rule in words."""
        return RULES[self.rule]


def _windows(series: Sequence[float], width: int, need: int, limit: tuple[float, float],
             rule: str) -> list[Signal]:
    found = []
    low, high = limit
    for end in range(width, len(series) + 1):
        window = range(end - width, end)
        for side, test in (("above", lambda v: v > high), ("below", lambda v: v < low)):
            hits = tuple(i + 1 for i in window if test(series[i]))
            if len(hits) >= need:
                found.append(Signal(rule, end, hits, side))
    return found


def detect_signals(values: str | Sequence[object], limits: XmRLimits,
                   rules: Sequence[str] = ("1", "2", "3", "4", "mR")) -> list[Signal]:
    """Apply the detection rules to every point, using the baseline's limits.

    Rules 2 and 3 report each window that qualifies, at its last point; rule
    4 reports each maximal run of eight or more, at its last point, with the
    whole run in ``points``.  A point exactly on the centre line breaks a run.

    Parameters
    ----------
    values : sequence of numbers, or text
    limits : XmRLimits
    rules : sequence of str
        Which rules to apply (default all).

    Returns
    -------
    list of Signal, ordered by point then rule

    Examples
    --------
    >>> limits = XmRLimits(centre=0.0, mr_bar=1.128, baseline=8)
    >>> [(s.rule, s.point) for s in detect_signals([0, 4, 0, 0], limits)]
    [('1', 2), ('mR', 2), ('mR', 3)]
    """
    series = parse_series(values)
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise SeriesError(f"Unknown detection rule(s): {', '.join(map(str, unknown))}.",
                          f"Use some of {', '.join(RULES)}.")
    found: list[Signal] = []
    if "1" in rules:
        for i, v in enumerate(series, start=1):
            if v > limits.upper or v < limits.lower:
                found.append(Signal("1", i, (i,), "above" if v > limits.centre else "below"))
    if "2" in rules:
        found += _windows(series, 3, 2, limits.zone(2), "2")
    if "3" in rules:
        found += _windows(series, 5, 4, limits.zone(1), "3")
    if "4" in rules:
        run: list[int] = []
        side = ""
        for i, v in enumerate(series + [limits.centre], start=1):
            now = "above" if v > limits.centre else "below" if v < limits.centre else ""
            if now and now == side:
                run.append(i)
                continue
            if len(run) >= 8:
                found.append(Signal("4", run[-1], tuple(run), side))
            run, side = ([i], now) if now else ([], "")
    if "mR" in rules:
        for i, r in enumerate(moving_ranges(series), start=2):
            if r > limits.url:
                found.append(Signal("mR", i, (i,), "above"))
    order = list(RULES)
    return sorted(found, key=lambda s: (s.point, order.index(s.rule)))


def signals_table(signals: Sequence[Signal]) -> pd.DataFrame:
    """One row per signal: rule, point, points, side, meaning.

    >>> signals_table([Signal("1", 13, (13,), "above")])
      rule  point points   side                                      meaning
    0    1     13     13  above  a point outside the natural process limits
    """
    rows = [{"rule": s.rule, "point": s.point,
             "points": f"{s.points[0]}-{s.points[-1]}" if len(s.points) > 1 and
             s.points == tuple(range(s.points[0], s.points[-1] + 1)) else ", ".join(map(str, s.points)),
             "side": s.side, "meaning": s.meaning} for s in signals]
    return pd.DataFrame(rows, columns=["rule", "point", "points", "side", "meaning"])


def xmr_table(values: str | Sequence[object], limits: XmRLimits, labels: Sequence[str] | None = None,
              signals: Sequence[Signal] | None = None) -> pd.DataFrame:
    """One row per point: label, value, moving range, limits and the rules it is part of.

    Columns: ``point``, ``label``, ``value``, ``moving_range``, ``centre``,
    ``lower``, ``upper``, ``url``, ``baseline`` (bool), ``rules`` (e.g. ``"1, mR"``).
    """
    series = parse_series(values)
    labels = [str(x) for x in labels] if labels is not None else [str(i) for i in range(1, len(series) + 1)]
    if len(labels) != len(series):
        raise SeriesError(f"There are {len(labels)} labels for {len(series)} values.",
                          "Give one label (period) per value.")
    signals = detect_signals(series, limits) if signals is None else signals
    flags: dict[int, list[str]] = {}
    for s in signals:
        for p in (s.points if s.rule in ("1", "4", "mR") else (s.point,)):
            flags.setdefault(p, [])
            if s.rule not in flags[p]:
                flags[p].append(s.rule)
    ranges = [math.nan, *moving_ranges(series)]
    return pd.DataFrame({
        "point": range(1, len(series) + 1), "label": labels, "value": series, "moving_range": ranges,
        "centre": limits.centre, "lower": limits.lower, "upper": limits.upper, "url": limits.url,
        "baseline": [i < limits.baseline for i in range(len(series))],
        "rules": [", ".join(flags.get(i, [])) for i in range(1, len(series) + 1)],
    })


@dataclass(frozen=True)
class TargetJudgement:
    """What a target means for a stable process (``TGT-1``)."""

    target: float
    better: str
    verdict: str
    explanation: str

    def __repr__(self) -> str:
        return f"Target {self.target:g}: {self.verdict}. {self.explanation}"


def judge_target(limits: XmRLimits, target: float, better: Literal["lower", "higher"] = "lower") -> TargetJudgement:
    """Compare a target with the natural process limits (``TGT-1``).

    Parameters
    ----------
    limits : XmRLimits
    target : float
    better : {"lower", "higher"}
        Which way is better for this measure.

    Returns
    -------
    TargetJudgement
        ``verdict`` is ``"chance"`` (inside the limits: met or missed by
        chance), ``"system change needed"`` (beyond the limits on the desired
        side) or ``"met by the system as it is"`` (beyond on the other side).

    Examples
    --------
    >>> judge_target(XmRLimits(50.583, 4.364, 12), 50).verdict
    'chance'
    """
    if better not in ("lower", "higher"):
        raise SeriesError(f"better={better!r} is not a direction.", 'Use "lower" or "higher".')
    low, high = limits.lower, limits.upper
    if low <= target <= high:
        verdict = "chance"
        why = (f"It lies inside the natural process limits ({low:.1f} to {high:.1f}), so this stable process "
               "will meet it in some periods and miss it in others by chance; a single point says nothing.")
    elif (target < low) == (better == "lower"):
        verdict = "system change needed"
        why = (f"It lies beyond the {'lower' if better == 'lower' else 'upper'} limit "
               f"({low if better == 'lower' else high:.1f}): the process as it stands will almost never meet it. "
               "Only a change to the system, not more pressure, can.")
    else:
        verdict = "met by the system as it is"
        why = (f"It lies beyond the {'upper' if better == 'lower' else 'lower'} limit: the process meets it "
               "almost every period without any change, so it tells you little.")
    return TargetJudgement(float(target), better, verdict, why)
