"""Charts of a learner's portfolio: off-the-job training hours by month.

Examples
--------
>>> import pandas as pd
>>> months = pd.DataFrame({"month": ["2026-01", "2026-02"], "off_the_job": [7.5, 12.0], "other": [2.0, 0.0]})
>>> chart_title(hours_chart(months, planned=300))
'19.5 of 300 planned off-the-job hours logged'
>>> chart_title(hours_chart(months.iloc[:0], planned=None))
'No training hours logged yet'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import SERIES, chart_title

__all__ = ["chart_title", "hours_chart"]


def hours_chart(months: pd.DataFrame, *, planned: float | None) -> alt.Chart:
    """Stacked bars of hours per month, off the job and other, titled with the total against the plan.

    Parameters
    ----------
    months : DataFrame
        Columns ``month`` (YYYY-MM), ``off_the_job`` and ``other`` (hours), as
        :func:`stp_helpers.learner.records.hours_by_month` returns.
    planned : float or None
        The learner's planned minimum of off-the-job hours.
    """
    total = float(months["off_the_job"].sum()) if len(months) else 0.0
    if not len(months):
        title = "No training hours logged yet"
    elif planned:
        title = f"{total:g} of {planned:g} planned off-the-job hours logged"
    else:
        title = f"{total:g} off-the-job hours logged (no planned minimum set)"
    long = months.melt(id_vars="month", value_vars=["off_the_job", "other"], var_name="kind", value_name="hours")
    long["kind"] = long["kind"].map({"off_the_job": "Off the job", "other": "Other (not counted)"})
    return alt.Chart(long, title=alt.TitleParams(title, anchor="start")).mark_bar().encode(
        x=alt.X("month:O", title="Month"),
        y=alt.Y("hours:Q", title="Hours", stack="zero"),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["Off the job", "Other (not counted)"],
                                                              range=[SERIES[0], "#bbbbbb"])),
        tooltip=["month", "kind", alt.Tooltip("hours:Q", format=".1f")],
    ).properties(width=420, height=220)
