"""Indicators and demand from a case's files: indicator series, demand records and failure-demand summaries."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
import pandas as pd

from stp_helpers.errors import CaseFileError, Problem, SeriesError
from stp_helpers.io.tables import read_csv_rows
from stp_helpers.paths import relative

__all__ = [
    "DemandRecord",
    "IndicatorValue",
    "failure_demand_summary",
    "failure_share_by_period",
    "indicator_series",
    "read_demand",
    "read_indicators",
]


class IndicatorValue(BaseModel):
    """One row of ``indicators.csv``: an indicator's value in one period."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    required_columns: ClassVar[tuple[str, ...]] = ("indicator", "period", "value")

    indicator: str = Field(min_length=1, description="the id of an indicator in logic_model.yaml, e.g. neet_rate")
    period: str = Field(min_length=1, description="the period, e.g. 2007-01 (months sort as text)")
    value: float | None = Field(None, description="a number, e.g. 7.2 (blank marks a missing value)")
    note: str | None = Field(None, description="anything a reader should know about this value")


def read_indicators(path: str | Path) -> list[IndicatorValue]:
    """Read and validate ``indicators.csv`` (indicator, period, value, note).

    Raises
    ------
    CaseFileError
        Bad numbers (with row and column), or a period given twice for one indicator.
    """
    path = Path(path)
    rows = read_csv_rows(path, IndicatorValue)
    seen: set[tuple[str, str]] = set()
    problems = []
    for i, row in enumerate(rows):
        key = (row.indicator, row.period)
        if key in seen:
            problems.append(Problem(relative(path), f"{row.indicator!r} has two values for {row.period!r}.",
                                    row=i + 2, column="period", fix="Keep one row per indicator and period."))
        seen.add(key)
    if problems:
        raise CaseFileError(problems)
    return rows


def indicator_series(rows: Sequence[IndicatorValue], indicator: str) -> pd.DataFrame:
    """The periods and values of one indicator, in file order.

    Raises
    ------
    SeriesError
        An unknown indicator, or missing values (named by period).
    """
    chosen = [r for r in rows if r.indicator == indicator]
    if not chosen:
        known = ", ".join(dict.fromkeys(r.indicator for r in rows))
        raise SeriesError(f"No values for the indicator {indicator!r}.", f"Choose one of: {known}.")
    missing = [r.period for r in chosen if r.value is None]
    if missing:
        raise SeriesError(f"{indicator!r} has missing values for {', '.join(missing[:10])}.",
                          "Fill them in, or chart only the periods before the gap.")
    return pd.DataFrame({"period": [r.period for r in chosen], "value": [float(r.value) for r in chosen]})  # type: ignore[arg-type]


class DemandRecord(BaseModel):
    """One row of ``demand.csv``: contacts of one kind in one period."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    required_columns: ClassVar[tuple[str, ...]] = ("period", "demand", "kind", "count")

    period: str = Field(min_length=1, description="the period, e.g. 2019-04")
    demand: str = Field(min_length=1, description="what people asked for, e.g. progress chase")
    kind: Literal["failure", "value"] = Field(
        description="failure (caused by a failure to do something, or do it right) or value (what the service is for)")
    failed: str | None = Field(
        None, description="for failure demand, what failed: not done, not done right or progress chasing "
                          "(other defensible readings after ';'), e.g. 'not done right; not done'")
    count: int = Field(ge=0, description="a whole number of contacts, 0 or more")
    note: str | None = None


def read_demand(path: str | Path) -> list[DemandRecord]:
    """Read and validate ``demand.csv`` (period, demand, kind, count; optional failed, note)."""
    return read_csv_rows(Path(path), DemandRecord)


def _demand_frame(records: Sequence[DemandRecord] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(records, pd.DataFrame):
        frame = records.copy()
    else:
        frame = pd.DataFrame([r.model_dump() for r in records])
    if frame.empty:
        raise SeriesError("There are no demand records.", "Add rows: period, demand, kind, count.")
    bad = sorted(set(frame["kind"]) - {"failure", "value"})
    if bad:
        raise SeriesError(f"Unknown kind(s) of demand: {', '.join(map(str, bad))}.", 'Use "failure" or "value".')
    return frame


def failure_demand_summary(records: Sequence[DemandRecord] | pd.DataFrame) -> pd.DataFrame:
    """Total contacts by kind and type of demand, with the failure share (``FD-T1``).

    Returns
    -------
    DataFrame
        ``kind``, ``demand``, ``count``, ``share`` (of all contacts), largest first within kind,
        failure first.

    Examples
    --------
    >>> rows = pd.DataFrame({"period": "all", "kind": ["failure", "failure", "failure", "value"],
    ...     "demand": ["progress chase", "repeat repair", "missed appointment", "new request"],
    ...     "count": [540, 120, 60, 480]})
    >>> failure_demand_summary(rows)
          kind              demand  count  share
    0  failure      progress chase    540   0.45
    1  failure       repeat repair    120   0.10
    2  failure  missed appointment     60   0.05
    3    value         new request    480   0.40
    """
    frame = _demand_frame(records)
    out = frame.groupby(["kind", "demand"], as_index=False, sort=False)["count"].sum()
    out["share"] = (out["count"] / out["count"].sum()).round(3)
    out = out.sort_values(["kind", "count"], ascending=[True, False], kind="stable").reset_index(drop=True)
    return out[["kind", "demand", "count", "share"]]


def failure_share_by_period(records: Sequence[DemandRecord] | pd.DataFrame) -> pd.DataFrame:
    """Failure and value demand per period, with failure share = failure / (failure + value).

    Periods keep their order of first appearance.

    Raises
    ------
    SeriesError
        No records, an unknown kind, or a period with no contacts at all.

    Examples
    --------
    >>> rows = pd.DataFrame({"period": ["m1", "m1", "m2", "m2"], "demand": ["chase", "new"] * 2,
    ...                      "kind": ["failure", "value"] * 2, "count": [720, 480, 50, 150]})
    >>> failure_share_by_period(rows)
      period  failure  value  total  failure_share
    0     m1      720    480   1200           0.60
    1     m2       50    150    200           0.25
    """
    frame = _demand_frame(records)
    order = list(dict.fromkeys(frame["period"]))
    table = frame.pivot_table(index="period", columns="kind", values="count", aggfunc="sum", fill_value=0)
    table = table.reindex(order).reindex(columns=["failure", "value"], fill_value=0).fillna(0).astype(int)
    table["total"] = table["failure"] + table["value"]
    empty = [str(p) for p, t in table["total"].items() if t == 0]
    if empty:
        raise SeriesError(f"No contacts recorded for {', '.join(empty[:10])}.",
                          "Remove those periods or add their counts.")
    table["failure_share"] = (table["failure"] / table["total"]).round(3)
    table = table.reset_index()
    table.columns.name = None
    return table[["period", "failure", "value", "total", "failure_share"]]
