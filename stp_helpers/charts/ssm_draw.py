"""Draw a conceptual activity model as inline SVG (no network, same text every run).

Operational activities are "blobs" (ellipses) in columns by logical
dependency, left to right; the monitor and control activities sit in a
dashed box below, as Checkland draws the monitoring subsystem.  Arrows run
from an activity to those that depend on it.  Isolated activities are drawn
with a vermillion dashed outline and the word "isolated", so colour is never
the only carrier.

Examples
--------
>>> from stp_helpers.ssm.records import Activity, ActivityModel
>>> m = ActivityModel(id="m", root="x", activities=[
...     Activity(id="a1", label="Listen to people"), Activity(id="a2", label="Agree purpose", after=["a1"]),
...     Activity(id="m1", label="Monitor a1-a2", kind="monitor", after=["a2"]),
...     Activity(id="c1", label="Take control action", kind="control", after=["m1"])])
>>> draw_activity_model(m)
Activity model m: 2 operational activities, 3 dependencies; monitoring and control: 2
"""

from __future__ import annotations

import html
import textwrap

import networkx as nx

from stp_helpers.display import HTML
from stp_helpers.errors import GraphError
from stp_helpers.ssm.records import ActivityModel
from stp_helpers.ssm.models import activity_graph

__all__ = ["draw_activity_model", "FONT_SIZE"]

#: Size of activity labels (px); at least 14 for a projector.
FONT_SIZE = 14
_COL_W, _ROW_H, _RX, _RY, _MARGIN = 190, 96, 84, 36, 20
_WARN = "#D55E00"


def _layers(graph: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    sub = graph.subgraph(nodes)
    cond = nx.condensation(sub)
    depth: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        preds = list(cond.predecessors(c))
        depth[c] = 1 + max(depth[p] for p in preds) if preds else 0
    return {v: depth[cond.graph["mapping"][v]] for v in nodes}


def _blob(x: float, y: float, label: str, *, kind: str, isolated: bool, node_id: str) -> str:
    lines = textwrap.wrap(label, 20)[:3] or [""]
    stroke = _WARN if isolated else "#333333"
    dash = ' stroke-dasharray="6 4"' if isolated or kind != "operational" else ""
    fill = "#FFF7D6" if kind == "operational" else "#E8F1FA"
    parts = [f'<g class="ssm-activity" data-id="{html.escape(node_id)}">',
             f'<ellipse cx="{x:.0f}" cy="{y:.0f}" rx="{_RX}" ry="{_RY}" fill="{fill}" stroke="{stroke}" '
             f'stroke-width="1.5"{dash}/>']
    top = y - (len(lines) - 1) * (FONT_SIZE + 1) / 2 + FONT_SIZE / 3
    for i, line in enumerate(lines):
        parts.append(f'<text x="{x:.0f}" y="{top + i * (FONT_SIZE + 1):.0f}" text-anchor="middle" '
                     f'font-size="{FONT_SIZE}">{html.escape(line)}</text>')
    if isolated:
        parts.append(f'<text x="{x:.0f}" y="{y + _RY + 14:.0f}" text-anchor="middle" font-size="12" '
                     f'fill="{_WARN}">isolated</text>')
    parts.append("</g>")
    return "".join(parts)


def _edge_end(x1: float, y1: float, x2: float, y2: float) -> tuple[float, float, float, float]:
    dx, dy = x2 - x1, y2 - y1
    dist = (dx * dx + dy * dy) ** 0.5 or 1.0
    # distance to the ellipse boundary along the direction
    ux, uy = dx / dist, dy / dist
    r = 1 / ((ux / _RX) ** 2 + (uy / _RY) ** 2) ** 0.5
    return x1 + ux * r, y1 + uy * r, x2 - ux * (r + 4), y2 - uy * (r + 4)


def draw_activity_model(model: ActivityModel, *, title: str | None = None) -> HTML:
    """Return the activity model as an SVG drawing with a one-line text form.

    Parameters
    ----------
    model : ActivityModel
        Activities and their dependencies (``after``).
    title : str, optional
        Written above the drawing (default: the model's id and its root definition's id).

    Returns
    -------
    HTML
        Inline SVG; its text form counts activities and dependencies.

    Raises
    ------
    GraphError
        When the model has no activities.
    """
    if not model.activities:
        raise GraphError("The activity model has no activities to draw.",
                         "Add 5 to 9 activities, each starting with a verb.")
    graph = activity_graph(model)
    ops = [a.id for a in model.operational()]
    rest = [a.id for a in model.activities if a.kind != "operational"]
    layer = _layers(graph, ops) if ops else {}
    columns: dict[int, list[str]] = {}
    for v in ops:
        columns.setdefault(layer[v], []).append(v)
    n_cols = max(len(columns), len(rest), 1)
    n_rows = max((len(c) for c in columns.values()), default=0)
    width = _MARGIN * 2 + n_cols * _COL_W
    top = 40
    pos: dict[str, tuple[float, float]] = {}
    for col, members in sorted(columns.items()):
        for row, v in enumerate(members):
            pos[v] = (_MARGIN + col * _COL_W + _COL_W / 2, top + row * _ROW_H + _ROW_H / 2)
    box_top = top + n_rows * _ROW_H + 30
    for i, v in enumerate(rest):
        pos[v] = (_MARGIN + i * _COL_W + _COL_W / 2, box_top + 20 + _ROW_H / 2)
    height = (box_top + _ROW_H + 50) if rest else (top + n_rows * _ROW_H + 20)
    isolated = {v for v in graph if graph.degree(v) == 0} if len(graph) > 1 else set()
    heading = title or f"Activity model {model.id} (from root definition {model.root})"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ssm-model" width="{width}" height="{height:.0f}" '
             f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{html.escape(heading)}" '
             'font-family="system-ui, sans-serif">',
             '<defs><marker id="ssm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
             'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555555"/>'
             '</marker></defs>',
             f'<text x="{_MARGIN}" y="24" font-size="16" font-weight="bold">{html.escape(heading)}</text>']
    if rest:
        parts.append(f'<rect x="{_MARGIN / 2:.0f}" y="{box_top:.0f}" width="{width - _MARGIN:.0f}" '
                     f'height="{_ROW_H + 30}" fill="none" stroke="#0072B2" stroke-dasharray="8 5" rx="12"/>')
        parts.append(f'<text x="{_MARGIN}" y="{box_top + 16:.0f}" font-size="13" fill="#0072B2">'
                     "monitor and control</text>")
    for u, v in sorted(graph.edges):
        x1, y1, x2, y2 = _edge_end(*pos[u], *pos[v])
        parts.append(f'<line class="ssm-dependency" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     'stroke="#555555" stroke-width="1.5" marker-end="url(#ssm-arrow)"/>')
    for act in model.activities:
        x, y = pos[act.id]
        parts.append(_blob(x, y, act.label, kind=act.kind, isolated=act.id in isolated, node_id=act.id))
    parts.append("</svg>")
    text = (f"Activity model {model.id}: {len(ops)} operational activit{'y' if len(ops) == 1 else 'ies'}, "
            f"{graph.number_of_edges()} dependenc{'y' if graph.number_of_edges() == 1 else 'ies'}; "
            f"monitoring and control: {len(rest)}")
    if isolated:
        text += f"; isolated: {', '.join(sorted(isolated))}"
    return HTML(html=f'<div class="ssm-drawing" style="overflow-x:auto">{"".join(parts)}</div>', text=text)
