"""Charts for stakeholders and CSH: the power/interest grid, the influence network and is/ought gaps.

Every builder computes its title (the finding) from the data unless one is
given, labels each point or cell (colour never carries meaning alone) and
puts units on its axes.

Examples
--------
>>> from stp_helpers.stakeholders.register import build_register
>>> reg = build_register([{"name": "A", "power": 0.8, "interest": 0.7, "legitimacy": 1, "urgency": 0},
...                       {"name": "B", "power": 0.2, "interest": 0.9, "legitimacy": 1, "urgency": 1}])
>>> from stp_helpers import charts
>>> charts.chart_title(grid_chart(reg))
'1 of 2 stakeholders is a key player: A'
"""

from __future__ import annotations

import altair as alt
import networkx as nx
import pandas as pd

from stp_helpers.charts import layout
from stp_helpers.charts.theme import BALANCING, OKABE_ITO, REINFORCING, SERIES
from stp_helpers.stakeholders.csh import JUDGED_GAPS, CshRecord, answers_table, disagreement_table, gap_finding
from stp_helpers.stakeholders.csh_judged import judged_finding, judged_table
from stp_helpers.stakeholders.register import QUADRANTS, Register
from stp_helpers.stakeholders.power import grid_finding, grid_table, rank_influence

__all__ = ["grid_chart", "network_chart", "judged_gap_chart", "gap_chart", "disagreement_chart"]

_QUADRANT_COLOURS = {"key players": REINFORCING, "keep satisfied": BALANCING, "keep informed": OKABE_ITO[3],
                     "monitor": "#777777"}


def _title(text: str, subtitle: str | list[str] | None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle) if subtitle else alt.TitleParams(text=text)


def grid_chart(register: Register, snapshot: str | None = None, *, threshold: float = 0.5,
               title: str | None = None, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Mendelow's power/interest grid: one labelled point per stakeholder, quadrant lines at ``threshold``."""
    table = grid_table(register, snapshot, threshold)
    data = table[["name", "power", "interest", "quadrant", "salience", "approach"]]
    scale = alt.Scale(domain=[-0.05, 1.05], nice=False)
    ticks = alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], format=".2~f")
    x_axis = alt.X("interest:Q", scale=scale, title="Interest (score 0 to 1)", axis=ticks)
    y_axis = alt.Y("power:Q", scale=scale, title="Power (score 0 to 1)", axis=ticks)
    colour = alt.Color("quadrant:N", title="Quadrant", scale=alt.Scale(
        domain=list(QUADRANTS), range=[_QUADRANT_COLOURS[q] for q in QUADRANTS]))
    # Numbered points (shared spots spread on a ring) and a key under the chart: names never overlap.
    points, labels, key = layout.numbered_layers(
        data, name="name", x="interest", y="power", colour=colour, x_axis=x_axis, y_axis=y_axis, radius=0.07,
        tooltip=["name", "power", "interest", "quadrant", "salience", "approach"],
        key_title="Stakeholders (number on the grid)")
    lines = pd.DataFrame({"at": [threshold]})
    vline = alt.Chart(lines).mark_rule(strokeDash=[4, 4], color="#666666").encode(x="at:Q")
    hline = alt.Chart(lines).mark_rule(strokeDash=[4, 4], color="#666666").encode(y="at:Q")
    names = pd.DataFrame({"x": [0.98, 0.98, 0.02, 0.02], "y": [0.98, 0.02, 0.98, 0.02],
                          "align": ["right", "right", "left", "left"],
                          "label": ["Key players", "Keep informed", "Keep satisfied", "Monitor"]})
    corners = alt.layer(*[
        alt.Chart(names[names["align"] == a]).mark_text(align=a, fontSize=13, color="#555555",
                                                        fontStyle="italic").encode(x="x:Q", y="y:Q", text="label:N")
        for a in ("right", "left")])
    return alt.layer(vline, hline, corners, points, labels, key).properties(
        title=_title(title or grid_finding(register, snapshot), subtitle), width=560, height=420)


#: Plot height of the influence network (px), and how far its axes run past the circle of nodes (±1).
_NETWORK_HEIGHT = 480
_NETWORK_SPAN = 1.45
#: Name labels: 13 px text is about 7.1 px a character in the system font; a little more, so labels never touch.
_CHAR_PX = 7.4


def network_label_width(nodes: pd.DataFrame, names: str = "key") -> float:
    """The narrowest plot (px) on which every node's name, centred above it, clears its neighbours' names.

    Two names collide when their nodes sit within a line's height of each
    other and closer across than half their widths together; a name also
    has to stay inside the plot.  Below this width the network writes
    numbers, listed in its key.  ``inf`` when no width is enough.

    >>> nodes = pd.DataFrame({"x": [-1.0, 1.0], "y": [0.0, 0.0], "key": ["1. A", "2. B"]})
    >>> round(network_label_width(nodes))
    95
    >>> network_label_width(nodes.assign(x=[0.0, 0.0]))  # one spot: only numbers can be told apart
    inf
    """
    per_unit_y = _NETWORK_HEIGHT / (2 * _NETWORK_SPAN)
    widths = [len(str(n)) * _CHAR_PX for n in nodes[names]]
    need = 0.0
    points = list(zip(nodes["x"].astype(float), nodes["y"].astype(float), widths))
    for i, (x, _, w) in enumerate(points):
        room = 0.5 - abs(x) / (2 * _NETWORK_SPAN)  # share of the width between the node and the nearer edge
        need = max(need, w / 2 / room if room > 0 else float("inf"))
        for x2, y2, w2 in points[i + 1:]:
            if abs(points[i][1] - y2) * per_unit_y >= 18:  # a line apart: never collide
                continue
            dx = abs(x - x2)
            need = max(need, 2 * _NETWORK_SPAN * ((w + w2) / 2 + 6) / dx if dx > 0 else float("inf"))
    return need


def network_chart(graph: nx.DiGraph, *, title: str | None = None,
                  subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """The influence network on a circle (deterministic layout): arrows as lines ending in a dot,
    node size by reach, brokers in vermillion and labelled as such.

    Each node is numbered and a key under the chart lists ``n. name``; where
    the chart is wide enough for the names (:func:`network_label_width`) each
    node carries its key entry, on a phone only its number, so names never overlap.
    """
    ranking = rank_influence(graph).set_index("name")
    order = sorted(graph.nodes, key=str.casefold)
    pos = nx.circular_layout(order)
    nodes = pd.DataFrame([{"name": n, "x": round(float(pos[n][0]), 4), "y": round(float(pos[n][1]), 4),
                           "reach": int(ranking.loc[n, "reach"]), "betweenness": float(ranking.loc[n, "betweenness"]),
                           "role": "broker" if ranking.loc[n, "broker"] else "other",
                           "number": str(i + 1), "key": f"{i + 1}. {n}"} for i, n in enumerate(order)],
                         columns=["name", "x", "y", "reach", "betweenness", "role", "number", "key"])
    edges = pd.DataFrame([{"from": u, "to": v, "x": round(float(pos[u][0]), 4), "y": round(float(pos[u][1]), 4),
                           "x2": round(float(pos[u][0] * 0.15 + pos[v][0] * 0.85), 4),
                           "y2": round(float(pos[u][1] * 0.15 + pos[v][1] * 0.85), 4),
                           "strength": float(d.get("strength", 0.5)), "how": d.get("how", "")}
                          for u, v, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))],
                         columns=["from", "to", "x", "y", "x2", "y2", "strength", "how"])
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None, domain=False)
    # No rounding of the domain to nice numbers: the circle fills the plot.
    scale = alt.Scale(domain=[-_NETWORK_SPAN, _NETWORK_SPAN], nice=False)
    lines = alt.Chart(edges).mark_rule(color="#888888").encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("strength:Q", title="Influence strength (0 to 1)",
                                    scale=alt.Scale(domain=[0, 1], range=[0.5, 4])),
        tooltip=["from", "to", "strength", "how"])
    heads = alt.Chart(edges).mark_point(filled=True, size=30, color="#555555", shape="triangle").encode(
        x="x2:Q", y="y2:Q")
    dots = alt.Chart(nodes).mark_circle(stroke="black", strokeWidth=1).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale),
        size=alt.Size("reach:Q", title="Reach (stakeholders)", scale=alt.Scale(range=[80, 700])),
        color=alt.Color("role:N", title="Role in the network",
                        scale=alt.Scale(domain=["broker", "other"], range=[REINFORCING, SERIES[0]])),
        tooltip=["name", "reach", "betweenness", "role"])
    wide = network_label_width(nodes)
    # Above the largest node (radius 15 px); the name where the plot has room for every name, else the number.
    shown = f"width >= {wide:.0f} ? datum.key : datum.number" if wide != float("inf") else "datum.number"
    labels = alt.Chart(nodes).mark_text(baseline="bottom", dy=-16, fontSize=13, text={"expr": shown}).encode(
        x="x:Q", y="y:Q")
    key = layout.key_layer(alt.Chart(nodes).encode(x="x:Q", y="y:Q"), list(nodes["key"]),
                           "Stakeholders (number on the network)")
    if title is None:
        top = ranking.index[0]
        broker = ranking[ranking["broker"]].sort_values(["betweenness"], ascending=False, kind="stable")
        title = f"{top} reaches most ({int(ranking.iloc[0]['reach'])} of {len(ranking) - 1} others)"
        title += f"; {broker.index[0]} brokers most" if not broker.empty else "; nobody brokers"
    return alt.layer(lines, heads, dots, labels, key).properties(title=_title(title, subtitle), width=560,
                                                                 height=_NETWORK_HEIGHT)


def gap_chart(record: CshRecord, *, title: str | None = None,
              subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """A heat map of is/ought gaps: one row per group, one column per question, gap written in each cell."""
    table = answers_table(record)
    table = table.assign(question=[f"Q{n}" for n in table["number"]],
                         answered=(table["is"] != "") & (table["ought"] != ""))
    table["shown"] = [f"{g:.2f}" if a else "–" for g, a in zip(table["gap"], table["answered"])]
    table = table[["group", "question", "number", "category", "gap", "shown", "is", "ought"]]
    order = [f"Q{n}" for n in range(1, 13)]
    # Questions down the side and groups across: twelve rows stay readable on a phone.
    base = alt.Chart(table).encode(
        y=alt.Y("question:N", sort=order, title="Boundary question (1–12)", axis=alt.Axis(grid=False)),
        x=alt.X("group:N", title="Stakeholder group", axis=alt.Axis(grid=False, labelAngle=0,
                                                                     labelExpr="split(datum.label, ' ')")))
    heat = layout.heat_layers(base, "gap", "shown", title="Is/ought gap (0 to 1)", domain=[0, 1],
                              tooltip=["group", "question", "category", "gap", "is", "ought"])
    return heat.properties(title=_title(title or gap_finding(record), subtitle), width=560,
                           height=alt.Step(30))


def judged_gap_chart(record: CshRecord, *, title: str | None = None,
                     subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """The judged is/ought gap in values (none, some, wide): one row per question, one column per group.

    The reading is the workbook's judgement (``gap`` and ``reason`` in
    ``csh.yaml``); each cell writes its reading, and the tooltip gives the reason.
    """
    table = judged_table(record)
    table = table.assign(question=[f"Q{n}" for n in table["number"]])
    colours = {"none": layout.HEAT_COLOURS[0], "some": layout.HEAT_COLOURS[2], "wide": layout.HEAT_COLOURS[4]}
    order = [f"Q{n}" for n in range(1, 13)]
    base = alt.Chart(table).encode(
        y=alt.Y("question:N", sort=order, title="Boundary question (1–12)", axis=alt.Axis(grid=False)),
        x=alt.X("group:N", title="Stakeholder group", axis=alt.Axis(grid=False, labelAngle=0,
                                                                     labelExpr="split(datum.label, ' ')")))
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color("gap:N", title="Judged gap in values",
                        scale=alt.Scale(domain=list(JUDGED_GAPS), range=[colours[g] for g in JUDGED_GAPS]),
                        legend=alt.Legend(direction="horizontal", orient="bottom")),
        tooltip=[f"{f}:N" for f in ("group", "question", "category", "gap", "reason", "is", "ought")])
    words = base.mark_text(fontSize={"expr": "width < 520 ? 11 : 14"}).encode(  # type: ignore[arg-type]
        text="gap:N", color=alt.condition("datum.gap == 'wide'", alt.value(layout.HEAT_TEXT[-1]),
                                          alt.value(layout.HEAT_TEXT[0])))
    return alt.layer(cells, words).properties(title=_title(title or judged_finding(record), subtitle), width=560,
                                              height=alt.Step(30))


def disagreement_chart(record: CshRecord, mode: str = "ought", *, title: str | None = None,
                       subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Mean share of words not shared between groups' answers to each question, largest first.

    Shared words are a prompt for reading the answers side by side, not a measure of values.
    """
    table = disagreement_table(record, mode)
    if table.empty:
        data = pd.DataFrame({"label": ["(fewer than two groups answered)"], "mean_gap": [0.0], "widest_pair": [""]})
        title = title or "No question has answers from two groups yet"
    else:
        data = table.assign(label=[f"Q{n} {c}" for n, c in zip(table["number"], table["category"])])
        top = data.iloc[0]
        title = title or (f"Groups' words differ most on Q{top['number']} {top['category']} "
                          f"('{mode}' mode, {top['mean_gap']:.2f}): read those answers first")
    order = data["label"].tolist()
    base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None),
                                  x=alt.X("mean_gap:Q", scale=alt.Scale(domain=[0, 1]),
                                          title="Words not shared"))
    bars = base.mark_bar(color=BALANCING).encode(tooltip=["label", "mean_gap", "widest_pair"])
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text=alt.Text("mean_gap:Q", format=".2f"))
    return alt.layer(bars, text).properties(title=_title(title, subtitle), height=alt.Step(26), width=520)
