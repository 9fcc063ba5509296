"""Charts and drawings for futures and scenarios (methods.md §6).

Altair charts: the impact–uncertainty chart of drivers, scenario runs side
by side, the regret table as a heatmap and the expected-value weight sweep.
Drawings returned as :class:`stp_helpers.display.HTML` (an SVG or an HTML
grid with a plain-text form): the question tree and the 2×2 matrix.

Examples
--------
>>> from stp_helpers.futures import robustness
>>> from stp_helpers.futures import scenarios
>>> chart_title(driver_chart(scenarios.example_drivers()))
'Central funding settlement, voluntary-sector capacity and housing supply are the critical uncertainties; ageing population is predetermined'
>>> chart_title(regret_chart(robustness.example_payoffs(), unit="£m"))
'B is the robust choice: its largest regret is 4 £m; expected value agree'
>>> draw_tree(scenarios.example_tree())
Question tree: 3 questions, 4 scenarios: Flight of the Flamingos (yes, yes, yes); Icarus (yes, yes, no); Lame Duck (yes, no); Ostrich (no)
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios as fut
from stp_helpers.charts.theme import BALANCING, REINFORCING, SERIES, chart_title
from stp_helpers.charts import layout
from stp_helpers.charts.theme import category_axis, wrap_expr, wrapped_lines
from stp_helpers.display import HTML

__all__ = ["driver_chart", "driver_finding", "regret_chart", "sweep_chart", "draw_tree", "matrix_html",
           "chart_title"]

#: Option names in the regret chart wrap at about this many characters (a phone leaves them ~130 px).
OPTION_CHARS = 16


def _title(text: str, subtitle: str | list[str] | None) -> alt.TitleParams:
    props: dict[str, Any] = {"text": text}
    if subtitle:
        props["subtitle"] = subtitle
    return alt.TitleParams(**props)


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def driver_finding(drivers: Sequence[fut.Driver]) -> str:
    """A title sentence naming the critical uncertainties and predetermined elements."""
    critical = fut.critical_uncertainties(drivers)
    fixed = fut.predetermined_elements(drivers)
    if critical:
        verb = "is the critical uncertainty" if len(critical) == 1 else "are the critical uncertainties"
        text = f"{_names(critical)} {verb}"
    else:
        text = "No driver is both high-impact and highly uncertain"
    if fixed:
        text += f"; {_names(fixed)} {'is' if len(fixed) == 1 else 'are'} predetermined"
    return text[0].upper() + text[1:]


def driver_chart(drivers: Sequence[fut.Driver], *, title: str | None = None,
                 subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Impact against uncertainty, one labelled point per driver (rule ``FUT-1`` zones shaded).

    Critical uncertainties (both scores ≥ 4) are vermillion, predetermined
    elements (impact ≥ 4, uncertainty ≤ 2) blue, the rest grey; the role is
    also in the legend and tooltip, so colour is never the only carrier.
    """
    table = fut.rank_drivers(drivers)
    zones = pd.DataFrame([
        {"x0": 3.5, "x1": 5.5, "y0": 3.5, "y1": 5.5, "zone": "critical uncertainties"},
        {"x0": 0.5, "x1": 2.5, "y0": 3.5, "y1": 5.5, "zone": "predetermined elements"},
    ])
    x = alt.X("uncertainty:Q", title="Uncertainty (score 1–5)", scale=alt.Scale(domain=[0.5, 5.5]),
              axis=alt.Axis(values=[1, 2, 3, 4, 5]))
    y = alt.Y("impact:Q", title="Impact on the focal question (score 1–5)", scale=alt.Scale(domain=[0.5, 5.5]),
              axis=alt.Axis(values=[1, 2, 3, 4, 5]))
    shade = alt.Chart(zones).mark_rect(opacity=0.12).encode(
        x=alt.X("x0:Q", scale=alt.Scale(domain=[0.5, 5.5])), x2="x1:Q",
        y=alt.Y("y0:Q", scale=alt.Scale(domain=[0.5, 5.5])), y2="y1:Q",
        color=alt.Color("zone:N", scale=alt.Scale(domain=["critical uncertainties", "predetermined elements"],
                                                  range=[REINFORCING, BALANCING]), legend=None))
    # One word a line, so a zone's name fits inside its zone on a phone-width chart.
    zone_labels = alt.Chart(zones).mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=13,
                                             color="#444444", lineBreak=" ").encode(x="x0:Q", y="y1:Q", text="zone:N")
    roles = ["critical uncertainty", "predetermined", "other"]
    colour = alt.Color("role:N", title="Role", scale=alt.Scale(domain=roles,
                                                               range=[REINFORCING, BALANCING, "#8c8c8c"]))
    # Numbered points (shared scores spread on a ring) and a key under the chart: names never overlap.
    points, labels, key = layout.numbered_layers(
        table, name="driver", x="uncertainty", y="impact", colour=colour, x_axis=x, y_axis=y, radius=0.22,
        tooltip=["driver", "category", "impact", "uncertainty", "score", "role"],
        key_title="Drivers (number on the chart)")
    return alt.layer(shade, zone_labels, points, labels, key).properties(
        title=_title(title or driver_finding(drivers), subtitle), width=560, height=380)


def regret_chart(payoffs: pd.DataFrame, *, better: str = "higher", unit: str = "",
                 title: str | None = None, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """The regret table as a heatmap, with each regret written in its cell.

    The title names the robust (minimax-regret) option; the last column is
    each option's largest regret.
    """
    regrets = robustness.regret_table(payoffs, better)
    choice = robustness.robust_choice(payoffs, better=better, unit=unit)
    long = regrets.reset_index().melt(id_vars="option", var_name="scenario", value_name="regret")
    long["label"] = long["regret"].map(lambda v: f"{v:,.2g}" if abs(v) < 10 else f"{v:,.0f}")
    columns = list(regrets.columns)
    options = list(regrets.index)
    unit_text = f" ({unit})" if unit else ""
    base = alt.Chart(long).encode(
        x=alt.X("scenario:N", sort=columns, title=["Scenario", "(last column: each", "option's largest regret)"],
                # On a phone five columns leave each name about 50 px: the names stand on end there.
                axis=alt.Axis(labelAngle={"expr": "width < 380 ? -90 : 0"},
                              labelAlign={"expr": "width < 380 ? 'right' : 'center'"},
                              labelBaseline={"expr": "width < 380 ? 'middle' : 'top'"},
                              labelLimit=0, grid=False, labelExpr=f"width < 380 ? datum.label : {wrap_expr(6)}")),
        # Option names wrap onto lines (never cut), with the axis title above them.
        y=alt.Y("option:N", sort=options, title="Option", axis=category_axis(OPTION_CHARS)))
    top = float(long["regret"].max()) or 1.0
    heat = layout.heat_layers(base, "regret", "label", title=f"Regret{unit_text}", domain=[0, top],
                              tooltip=["option", "scenario", alt.Tooltip("regret:Q", format=",.4g")])
    lines = max(wrapped_lines(o, OPTION_CHARS) for o in options)
    return heat.properties(
        title=_title(title or choice.sentence(), subtitle), width=560, height=alt.Step(max(40, 17 * lines + 8)))


def sweep_chart(sweep: pd.DataFrame, scenario: str, *, unit: str = "", better: str = "higher",
                title: str | None = None, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Expected value of each option as one scenario's weight moves from 0 to 1.

    The title says where (if anywhere) the best option changes.
    """
    switches = robustness.switch_points(sweep)
    if not switches:
        best = str(sweep["best"].iloc[0])
        finding = f"{best} has the best expected value at every weight of {scenario}"
    else:
        first = switches[0]
        finding = (f"{first[1]} has the best expected value until {scenario} weighs {first[0]:.0%}; "
                   f"then {first[2]}")
        if len(switches) > 1:
            finding += f" ({len(switches)} switches in all)"
    order = list(dict.fromkeys(sweep["option"]))
    unit_text = f" ({unit})" if unit else ""
    lines = alt.Chart(sweep).mark_line().encode(
        x=alt.X("weight:Q", title=f"Weight of {scenario} (share of 1)", axis=alt.Axis(format="%")),
        y=alt.Y("expected value:Q", title=f"Expected value{unit_text}"),
        color=alt.Color("option:N", sort=order, title="Option", scale=alt.Scale(range=list(SERIES))),
        strokeDash=alt.StrokeDash("option:N", sort=order, title="Option"),
        tooltip=["option", alt.Tooltip("weight:Q", format=".0%"), alt.Tooltip("expected value:Q", format=",.4g")])
    layers: list[Any] = [lines]
    if switches:
        rules = pd.DataFrame({"weight": [s[0] for s in switches]})
        layers.append(alt.Chart(rules).mark_rule(color="#444444", strokeDash=[2, 2]).encode(x="weight:Q"))
    return alt.layer(*layers).properties(title=_title(title or finding, subtitle), width=560, height=300)


# ------------------------------------------------------------ drawings (HTML)
def draw_tree(tree: fut.Futures | Sequence[fut.Question], highlight: str | None = None) -> HTML:
    """Draw a question tree as SVG: questions in boxes, scenarios as end points.

    "No" branches go left and "yes" branches right, so a chain of
    questions like Mont Fleur's steps down to the right.  ``highlight`` names a scenario
    whose path is drawn in vermillion.
    """
    qs = fut.tree_questions(tree)
    paths = fut.tree_paths(qs)
    by_id = {q.id: q for q in qs}
    pos: dict[str, tuple[float, float]] = {}
    leaves: list[tuple[str, float, float, str, str]] = []  # scenario, x, y, parent id, branch
    edges: list[tuple[str, str, str]] = []  # parent, child id (question), branch
    column = [0]

    def place(qid: str, depth: int) -> float:
        q = by_id[qid]
        xs = []
        for branch in ("no", "yes"):
            target = getattr(q, branch)
            if target in by_id:
                xs.append(place(target, depth + 1))
                edges.append((qid, target, branch))
            else:
                x = column[0]
                column[0] += 1
                leaves.append((target, x, depth + 1, qid, branch))
                xs.append(x)
        x = sum(xs) / len(xs)
        pos[qid] = (x, depth)
        return x

    place(qs[0].id, 0)
    on_path: set[tuple[str, str]] = set()
    if highlight is not None:
        row = paths[paths["scenario"] == highlight]
        if not row.empty:
            current = qs[0]
            for answer in row["answers"].iloc[0].split(", "):
                target = getattr(current, answer)
                on_path.add((current.id, target))
                if target in by_id:
                    current = by_id[target]
    width, row_h, col_w = 220, 110, 230
    n_cols = max(column[0], 1)
    depth = max([p[1] for p in pos.values()] + [leaf[2] for leaf in leaves])
    W, H = n_cols * col_w + 20, (depth + 1) * row_h + 20

    def xy(x: float, d: float) -> tuple[float, float]:
        return 10 + x * col_w + col_w / 2, 10 + d * row_h + 35

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
             f'font-family="system-ui, sans-serif" font-size="14" role="img" aria-label="Question tree">']
    for parent, child, branch in edges + [(leaf[3], leaf[0], leaf[4]) for leaf in leaves]:
        x1, y1 = xy(*pos[parent])
        x2, y2 = xy(*(pos[child] if child in pos else next((lf[1], lf[2]) for lf in leaves if lf[0] == child)))
        colour = REINFORCING if (parent, child) in on_path else "#666666"
        parts.append(f'<line x1="{x1:.0f}" y1="{y1 + 28:.0f}" x2="{x2:.0f}" y2="{y2 - 28:.0f}" '
                     f'stroke="{colour}" stroke-width="{3 if colour == REINFORCING else 1.5}"/>')
        parts.append(f'<text x="{(x1 + x2) / 2 + 6:.0f}" y="{(y1 + y2) / 2 + 4:.0f}" fill="{colour}">'
                     f'{branch}</text>')
    for qid, (x, d) in pos.items():
        cx, cy = xy(x, d)
        words = html.escape(by_id[qid].question)
        parts.append(f'<rect x="{cx - width / 2:.0f}" y="{cy - 28:.0f}" width="{width}" height="56" rx="6" '
                     f'fill="#ffffff" stroke="{BALANCING}" stroke-width="1.5"/>')
        parts.append(f'<foreignObject x="{cx - width / 2 + 4:.0f}" y="{cy - 26:.0f}" width="{width - 8}" '
                     f'height="52"><div xmlns="http://www.w3.org/1999/xhtml" style="font-size:13px;'
                     f'text-align:center;line-height:1.2">{words}</div></foreignObject>')
    for name, x, d, _, _ in leaves:
        cx, cy = xy(x, d)
        fill = "#F0E442" if name == highlight else "#f4f4f4"
        parts.append(f'<rect x="{cx - width / 2 + 2:.0f}" y="{cy - 22:.0f}" width="{width - 4}" height="44" '
                     f'rx="22" fill="{fill}" stroke="#000000"/>')
        parts.append(f'<text x="{cx:.0f}" y="{cy + 5:.0f}" text-anchor="middle" font-weight="bold">'
                     f'{html.escape(name)}</text>')
    parts.append("</svg>")
    text = (f"Question tree: {len(qs)} questions, {len(paths)} scenarios: "
            + "; ".join(f"{r.scenario} ({r.answers})" for r in paths.itertuples()))
    return HTML(html="".join(parts), text=text)


def matrix_html(futures: fut.Futures, narratives: bool = True) -> HTML:
    """The 2×2 matrix as an HTML grid: axes, poles and a named quadrant in each cell."""
    frame = fut.matrix_frame(futures)
    m = futures.matrix
    assert m is not None
    cells = []
    for _, row in frame.iterrows():
        sc = futures.scenario(row["scenario"])
        story = f'<p style="margin:4px 0 0;font-size:14px">{html.escape(sc.narrative)}</p>' if narratives else ""
        cells.append(f'<div style="border:1px solid #999;padding:8px;background:#fafafa">'
                     f'<strong>{html.escape(sc.name)}</strong>{story}</div>')
    x, y = m.x, m.y
    grid = (f'<div class="stp-matrix" style="max-width:660px;font-size:15px">'
            f'<div style="text-align:center"><em>{html.escape(y.driver)}</em>: ↑ {html.escape(y.high)}</div>'
            f'<div style="display:grid;grid-template-columns:1fr 1fr;gap:6px;margin:4px 0">{"".join(cells)}</div>'
            f'<div style="text-align:center">↓ {html.escape(y.low)}</div>'
            f'<div style="display:flex;justify-content:space-between"><span>← {html.escape(x.low)}</span>'
            f'<em>{html.escape(x.driver)}</em><span>{html.escape(x.high)} →</span></div></div>')
    text = (f"2x2 matrix: {x.driver} ({x.low} / {x.high}) × {y.driver} ({y.low} / {y.high}): "
            + "; ".join(f"{r['scenario']} ({r[x.driver]}, {r[y.driver]})" for _, r in frame.iterrows()))
    return HTML(html=grid, text=text)

