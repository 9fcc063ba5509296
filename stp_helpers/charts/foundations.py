"""Charts of the foundations notebooks: loop behaviour, Jackson's grid and the law matrix.

Examples
--------
>>> from stp_helpers.foundations import concepts, sosm
>>> chart = behaviour_chart(concepts.feedback_series(weeks=10), series="loop", title="Two loops",
...                         y_title="Value (index)")
>>> chart.to_dict()["title"]["text"]
'Two loops'
>>> sosm_chart(sosm.grid_table(("complex", "pluralist")), title="Complex–pluralist").to_dict()["title"]["text"]
'Complex–pluralist'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import BALANCING, REINFORCING, SERIES

__all__ = ["behaviour_chart", "sosm_chart", "regime_chart"]


def _title(text: str, subtitle: str | list[str] | None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle) if subtitle else alt.TitleParams(text=text)


def behaviour_chart(frame: pd.DataFrame, *, series: str, title: str, y_title: str, x_title: str = "Time (weeks)",
                    subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Lines over time, one per series, each labelled at its end (colour is never the only carrier).

    Series whose names start with ``R`` or ``B`` take the loop colours.
    """
    names = list(dict.fromkeys(frame[series]))
    colours = [REINFORCING if n.startswith("R") else BALANCING if n.startswith("B") else SERIES[i % len(SERIES)]
               for i, n in enumerate(names)]
    colour = alt.Color(f"{series}:N", scale=alt.Scale(domain=names, range=colours), legend=None)
    base = alt.Chart(frame).encode(x=alt.X("week:Q", title=x_title), y=alt.Y("value:Q", title=y_title), color=colour)
    lines = base.mark_line(strokeWidth=3).encode(tooltip=["week", series, alt.Tooltip("value:Q", format=".1f")])
    ends = frame[frame["week"] == frame["week"].max()]
    labels = alt.Chart(ends).mark_text(align="right", dy=-10, fontSize=14).encode(
        x="week:Q", y="value:Q", text=f"{series}:N", color=colour)
    return (lines + labels).properties(title=_title(title, subtitle), width="container", height=300)


def sosm_chart(grid: pd.DataFrame, *, title: str, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Jackson's grid: participants across, context down, each cell naming its approaches.

    The chosen cell is filled vermillion and its text starts "Your case" (colour is never the only carrier).
    """
    frame = grid.assign(label=[("Your case; " if chosen else "") + text
                               for chosen, text in zip(grid["chosen"], grid["approaches"])])
    base = alt.Chart(frame).encode(
        x=alt.X("participants:N", sort=["unitary", "pluralist", "coercive"], title="Participants",
                axis=alt.Axis(orient="top", labelFontSize=14)),
        y=alt.Y("context:N", sort=["simple", "complex"], title="Problem context", axis=alt.Axis(labelFontSize=14)))
    cells = base.mark_rect(stroke="#000000").encode(
        color=alt.condition(alt.datum.chosen, alt.value("#D55E00"), alt.value("#FFFFFF")),
        tooltip=["context", "participants", "approaches", "notebooks"])
    text = base.mark_text(fontSize=13, lineBreak="; ").encode(
        text="label:N", color=alt.condition(alt.datum.chosen, alt.value("#FFFFFF"), alt.value("#000000")))
    return (cells + text).properties(title=_title(title, subtitle), width="container", height=alt.Step(110))


def regime_chart(matrix: pd.DataFrame, names: dict[str, str], *, title: str,
                 subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Activities (rows) against regimes (columns); engaged cells filled blue and marked 'yes'."""
    frame = matrix.reset_index().melt(id_vars="activity", var_name="regime", value_name="engaged")
    frame["regime"] = frame["regime"].map(names)
    frame["mark"] = frame["engaged"].map({True: "yes", False: ""})
    base = alt.Chart(frame).encode(
        x=alt.X("regime:N", sort=list(names.values()), title=None, axis=alt.Axis(labelAngle=0, labelLimit=160,
                                                                                   orient="top")),
        y=alt.Y("activity:N", sort=list(matrix.index), title=None, axis=alt.Axis(labelLimit=260)))
    cells = base.mark_rect(stroke="#000000").encode(
        color=alt.condition(alt.datum.engaged, alt.value("#0072B2"), alt.value("#FFFFFF")),
        tooltip=["activity", "regime", "mark"])
    text = base.mark_text(fontSize=14, color="#FFFFFF").encode(text="mark:N")
    return (cells + text).properties(title=_title(title, subtitle), width="container", height=alt.Step(40))
