"""Charts for measures and options: XmR charts, the target view, failure demand, ranking and trade-offs.

Titles state the finding and are computed from the data; signals are marked
by colour *and* by the rule number written beside the point.

Examples
--------
>>> from stp_helpers.evaluation import spc
>>> values = [52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49, 51, 53, 55, 56, 57, 58, 59, 57]
>>> table = spc.xmr_table(values, spc.xmr_limits(values, baseline=12))
>>> xmr_finding(table, "Value")
'Value: 10 of 10 later points signal a change, first at 13 (rule 1)'
>>> target_finding(table, 50, "lower", "Value")
'Value met the target of 50 in 6 of 12 baseline periods by chance alone'
"""

from __future__ import annotations

from collections.abc import Sequence

from typing import Any

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import (BALANCING, LABEL_CHARS, REINFORCING, SERIES, bar_end_labels, category_axis,
                                     wrapped_lines)
from stp_helpers.charts import layout
from stp_helpers.charts.sd import number

__all__ = ["xmr_finding", "xmr_chart", "target_finding", "target_chart", "demand_chart",
           "ranking_chart", "sensitivity_chart", "pareto_chart"]

SIGNAL = REINFORCING
GREY = "#8c8c8c"


def xmr_finding(table: pd.DataFrame, name: str) -> str:
    """A title sentence for an XmR table (from :func:`stp_helpers.evaluation.spc.xmr_table`)."""
    after = table[~table["baseline"]]
    flagged = table[table["rules"] != ""]
    centre, low, high = table["centre"].iloc[0], table["lower"].iloc[0], table["upper"].iloc[0]
    if flagged.empty:
        return (f"{name}: no signals; a stable process around {number(centre)} "
                f"(natural limits {number(low)} to {number(high)})")
    first = flagged.iloc[0]
    if after.empty:
        return f"{name}: {len(flagged)} baseline points are part of a signal, the first at {first['label']}"
    part = int((after["rules"] != "").sum())
    if part:
        first = after[after["rules"] != ""].iloc[0]
    return (f"{name}: {part} of {len(after)} later points signal a change, first at "
            f"{first['label']} (rule {first['rules'].split(', ')[0]})")


def _base(table: pd.DataFrame, x_title: str) -> alt.Chart:
    order = table["label"].tolist()
    return alt.Chart(table).encode(x=alt.X("label:O", sort=order, title=x_title,
                                           axis=alt.Axis(labelAngle=-45, labelOverlap=True)))


def xmr_chart(table: pd.DataFrame, *, y_title: str, title: str | None = None, x_title: str = "Period",
              subtitle: str | list[str] | None = None, name: str = "Value") -> alt.LayerChart:
    """Individuals chart with centre line, natural process limits and flagged points.

    Parameters
    ----------
    table : DataFrame
        From :func:`stp_helpers.evaluation.spc.xmr_table`.
    y_title : str
        Axis title with units.
    title : str, optional
        Default: :func:`xmr_finding`.
    """
    title = title or xmr_finding(table, name)
    data = table.assign(signal=table["rules"].ne(""), first_rule=table["rules"].str.split(", ").str[0])
    # A rule's number is written where a run of points breaking it starts, not over every point of the run.
    data["mark"] = data["signal"] & ~(data["first_rule"].eq(data["first_rule"].shift()) & data["signal"].shift(
        fill_value=False))
    base = _base(data, x_title)
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    line = base.mark_line(color=SERIES[0], strokeWidth=2).encode(y=y)
    dots = base.mark_point(filled=True, size=60).encode(
        y=y, color=alt.condition("datum.signal", alt.value(SIGNAL), alt.value(SERIES[0])),
        shape=alt.condition("datum.signal", alt.value("diamond"), alt.value("circle")),
        tooltip=["label", "value", "moving_range", "rules"])
    labels = base.transform_filter("datum.mark").mark_text(dy=-12, fontSize=12, color=SIGNAL).encode(
        y="value:Q", text="first_rule:N")
    layers = [line, dots, labels]
    for col, dash in (("centre", [1, 0]), ("upper", [6, 4]), ("lower", [6, 4])):
        layers.append(base.mark_line(color=GREY, strokeDash=dash, strokeWidth=1.5).encode(y=f"{col}:Q"))
    # The limits are named in the subtitle, never written over the points or cut at a phone's width.
    limits = (f"Grey line: centre {number(float(table['centre'].iloc[0]))}; dashed: natural process limits "
              f"{number(float(table['lower'].iloc[0]))} to {number(float(table['upper'].iloc[0]))}")
    subs = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    props: dict[str, Any] = {"text": title, "subtitle": [*subs, limits]}
    return alt.layer(*layers).properties(title=alt.TitleParams(**props), width=560, height=300)


def target_finding(table: pd.DataFrame, target: float, better: str, name: str) -> str:
    """How often the stable (baseline) process met a target by chance."""
    base = table[table["baseline"]]
    met = (base["value"] <= target) if better == "lower" else (base["value"] >= target)
    return (f"{name} met the target of {target:g} in {int(met.sum())} of {len(base)} baseline periods "
            "by chance alone")


def target_chart(table: pd.DataFrame, target: float, better: str, *, y_title: str, name: str = "Value",
                 x_title: str = "Period", subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """The same series judged against a target: each point met or missed, with the limits shown faintly."""
    met = (table["value"] <= target) if better == "lower" else (table["value"] >= target)
    data = table.assign(result=met.map({True: "met target", False: "missed target"}), target=float(target))
    base = _base(data, x_title)
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    line = base.mark_line(color="#bbbbbb").encode(y=y)
    dots = base.mark_point(filled=True, size=70).encode(
        y=y, color=alt.Color("result:N", scale=alt.Scale(domain=["met target", "missed target"],
                                                          range=[BALANCING, SIGNAL]), title=None),
        shape=alt.Shape("result:N", scale=alt.Scale(domain=["met target", "missed target"],
                                                     range=["circle", "cross"]), title=None),
        tooltip=["label", "value", "result"])
    target_line = base.mark_line(color="#000000", strokeWidth=2).encode(y="target:Q")
    limits = [base.mark_line(color=GREY, strokeDash=[2, 4]).encode(y=f"{c}:Q") for c in ("upper", "lower")]
    props = {"text": target_finding(table, target, better, name)}
    if subtitle:
        props["subtitle"] = subtitle
    return alt.layer(line, *limits, target_line, dots).properties(title=alt.TitleParams(**props), width=560, height=300)


def demand_chart(summary: pd.DataFrame, *, subtitle: str | list[str] | None = None) -> alt.Chart:
    """Horizontal bars of contacts by type of demand, failure in vermillion, value in blue."""
    share = summary.loc[summary["kind"] == "failure", "count"].sum() / summary["count"].sum()
    title = f"Failure demand is {share:.0%} of {summary['count'].sum():,} contacts"
    order = summary["demand"].tolist()
    # Demand names wrap onto lines (never cut, the axis title above them); the numbers of the longest
    # bars sit inside their end in black (vermillion 5.4:1, blue is given white, 5.2:1), the others past it.
    lines = max(wrapped_lines(d, LABEL_CHARS) for d in summary["demand"])
    top = float(summary["count"].max())
    base = alt.Chart(summary).encode(
        y=alt.Y("demand:N", sort=order, title="Type of demand", axis=category_axis()),
        x=alt.X("count:Q", title="Contacts (count)", scale=alt.Scale(domain=[0, top * 1.1 if top > 0 else 1], nice=True),
                axis=alt.Axis(labelFlush=True)))
    bars = base.mark_bar().encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=["failure", "value"], range=[SIGNAL, BALANCING]),
                        title="Kind"), tooltip=["demand", "kind", "count", "share"])
    outside, inside = bar_end_labels(
        base, "count", top, outside_colour=alt.value("#000000"), font_size=13,
        inside_colour=alt.condition("datum.kind == 'failure'", alt.value("#000000"), alt.value("#FFFFFF")))
    props = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    return alt.layer(bars, outside, inside).properties(title=alt.TitleParams(**props),
                                                       height=alt.Step(max(30, 17 * lines + 8)), width=480)


def ranking_chart(ranking: pd.DataFrame, criteria: Sequence[str], *,
                  subtitle: str | list[str] | None = None) -> alt.Chart:
    """Stacked bars: each option's weighted score split by criterion, best first."""
    long = ranking.melt(id_vars=["option", "score", "rank"], value_vars=list(criteria),
                        var_name="criterion", value_name="contribution")
    top, second = ranking.iloc[0], ranking.iloc[1]
    title = (f"{top['option']} ranks first ({top['score']:.2f} of 1), "
             f"{top['score'] - second['score']:.2f} ahead of {second['option']}")
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("option:N", sort=ranking["option"].tolist(), title="Option", axis=category_axis()),
        x=alt.X("contribution:Q", title="Weighted score (0-1)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("criterion:N", sort=list(criteria), title="Criterion"),
        order=alt.Order("criterion:N"), tooltip=["option", "criterion", alt.Tooltip("contribution:Q", format=".3f")])
    props = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    lines = max(wrapped_lines(o, LABEL_CHARS) for o in ranking["option"])
    return chart.properties(title=alt.TitleParams(**props), height=alt.Step(max(34, 17 * lines + 8)), width=460)


def sensitivity_chart(sensitivity: pd.DataFrame, *, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """For each criterion, the range of weights over which the ranking holds, with today's weight."""
    finite = sensitivity.dropna(subset=["move"])
    if finite.empty:
        title = "No single weight, moved alone, changes the ranking"
    else:
        tight = finite.sort_values("move", kind="stable").iloc[0]
        title = f"The ranking changes if the weight of {tight['criterion']} moves by {tight['move']:.2f}"
    base = alt.Chart(sensitivity).encode(y=alt.Y("criterion:N", sort=sensitivity["criterion"].tolist(), title="Criterion",
                                                 axis=category_axis()))
    span = base.mark_bar(color="#cfe3f1", height=18).encode(
        x=alt.X("low:Q", title="Weight (share of all weights)", scale=alt.Scale(domain=[0, 1])), x2="high:Q",
        tooltip=["criterion", "weight", "low", "high", "move", "change"])
    tick = base.mark_tick(color="#000000", thickness=3, size=26).encode(x="weight:Q")
    props = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    return (span + tick).properties(title=alt.TitleParams(**props), height=alt.Step(34), width=460)


def pareto_chart(appraisal: object, x: str, y: str, front: Sequence[str], *,
                 subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Options on two criteria (raw units), the Pareto front in blue and dominated options in grey."""
    scores = appraisal.scores  # type: ignore[attr-defined]
    units = appraisal.units  # type: ignore[attr-defined]
    better = appraisal.better  # type: ignore[attr-defined]
    data = scores[[x, y]].reset_index().rename(columns={x: "x", y: "y"})
    data["status"] = ["on the front" if o in front else "dominated" for o in data["option"]]
    title = f"{len(front)} of {len(data)} options are on the Pareto front: " + ", ".join(front)
    # Numbered points with a key under the chart: option names beside their points would run past a
    # phone-width chart (and Vega would shrink the plot to make room for them).
    colour = alt.Color("status:N", scale=alt.Scale(domain=["on the front", "dominated"], range=[BALANCING, GREY]),
                       title="Status")
    points, numbers, key = layout.numbered_layers(
        data, name="option", x="x", y="y", colour=colour, radius=0.0, tooltip=["option", "x", "y", "status"],
        key_title="Options (number on the chart)",
        x_axis=alt.X("x:Q", title=f"{x} ({units[x] or 'score'}; {better[x]} is better)", scale=alt.Scale(zero=False)),
        y_axis=alt.Y("y:Q", title=f"{y} ({units[y] or 'score'}; {better[y]} is better)", scale=alt.Scale(zero=False)))
    props = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    return alt.layer(points, numbers, key).properties(title=alt.TitleParams(**props), width=460, height=300)
