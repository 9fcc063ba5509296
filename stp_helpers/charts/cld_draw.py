"""Draw a causal loop diagram as inline SVG, and the views built on its loops.

The drawing is made here, in Python, as one SVG string: no network, no
JavaScript, and the same text on every run (positions come from a
deterministic layout and are rounded).  Links are curved arrows with their
polarity written as ``+`` or ``−`` near the head and ``||`` across delayed
links; a chosen loop is drawn thicker in vermillion (reinforcing) or blue
(balancing) with its id written in its middle, so colour is never the only
carrier.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> g, _ = build_cld([("rabbits", "foxes", "+"), ("foxes", "rabbits", "-", True)])
>>> draw_cld(g, "B1")
CLD: 2 variables, 2 links; highlighted B1
>>> loop_count_chart(g).to_dict()["title"]["text"]
'foxes sits in 1 of 1 loop'
"""

from __future__ import annotations

import html
import hashlib
import math
import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import networkx as nx

from stp_helpers import charts
from stp_helpers.cld.loops import Loop, LoopList, find_loops
from stp_helpers.io.cld_graph import as_cld
from stp_helpers.cld.structure import rank_variables
from stp_helpers.display import HTML, Markdown, join, md
from stp_helpers.errors import GraphError

__all__ = ["draw_cld", "loop_count_chart", "archetype_notes", "focus", "LINK_COLOUR", "FONT_SIZE"]

#: Colour of links that are not on the highlighted loop.
LINK_COLOUR = "#555555"
#: Size of variable labels (px); at least 14 for a projector.
FONT_SIZE = 15
_WIDTH, _HEIGHT, _MARGIN = 800, 600, 90
_WRAP = 16
_MINUS = "\u2212"


def _empty_error() -> GraphError:
    return GraphError("The diagram has no variables to draw.",
                      "Add a variable and a link, or load a case's cld.csv.")


def _label(graph: nx.DiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("label", node))


def _positions(graph: nx.DiGraph) -> dict[Any, tuple[float, float]]:
    nodes = sorted(graph.nodes, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (_WIDTH / 2, _HEIGHT / 2)}
    ordered = nx.DiGraph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))))
    undirected = ordered.to_undirected()
    seen: list[Any] = []
    for root in sorted(nodes, key=lambda v: (-undirected.degree(v), str(v))):
        if root not in seen:
            seen += [v for v in nx.dfs_preorder_nodes(undirected, root) if v not in seen]
    raw = nx.circular_layout(seen)
    if len(nodes) > 2 and ordered.number_of_edges():
        raw = nx.kamada_kawai_layout(undirected, pos=raw, dist={
            a: {b: 1.0 + 0.5 * min(d, 3) for b, d in row.items()}
            for a, row in nx.all_pairs_shortest_path_length(undirected)})
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    out = {}
    for v, (x, y) in raw.items():
        px = _MARGIN + (x - min(xs)) / span_x * (_WIDTH - 2 * _MARGIN)
        py = _MARGIN * 0.6 + (y - min(ys)) / span_y * (_HEIGHT - 1.2 * _MARGIN)
        out[v] = (round(px, 1), round(py, 1))
    return out


def place(graph: nx.DiGraph, known: Mapping[Any, tuple[float, float]] | None = None
          ) -> dict[Any, tuple[float, float]]:
    """Positions of every variable, keeping those in ``known`` where they are.

    With nothing known, the whole map is laid out afresh.  Otherwise each new
    variable goes near the variables it links to (or, with no links, into the
    emptiest part of the drawing): of candidate spots on rings around them,
    the one farthest from every placed variable.  Deterministic, so an editor
    that passes its last positions moves nothing when a variable or link is added.

    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "+")])
    >>> before = place(g)
    >>> g.add_edge("b", "c", polarity="+", delay=False)
    >>> after = place(g, before)
    >>> all(after[v] == before[v] for v in before), "c" in after
    (True, True)
    """
    kept = {v: tuple(p) for v, p in (known or {}).items() if v in graph}
    if not kept:
        return _positions(graph)
    out: dict[Any, tuple[float, float]] = dict(kept)
    for v in sorted((v for v in graph.nodes if v not in out), key=str):
        near = [out[u] for u in sorted(set(graph.predecessors(v)) | set(graph.successors(v)), key=str) if u in out]
        centres = [(sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near))] if near else \
            [(_WIDTH / 2, _HEIGHT / 2)]
        rings = (130, 200, 280) if near else (0, 150, 260, 340)
        candidates = [(cx + r * math.cos(2 * math.pi * k / 16), cy + r * math.sin(2 * math.pi * k / 16))
                      for cx, cy in centres for r in rings for k in range(16 if r else 1)]
        inside = [(x, y) for x, y in candidates
                  if _MARGIN * 0.8 <= x <= _WIDTH - _MARGIN * 0.8 and _MARGIN * 0.5 <= y <= _HEIGHT - _MARGIN * 0.5]
        best = max(inside or candidates, key=lambda c: min((math.hypot(c[0] - p[0], c[1] - p[1])
                                                            for p in out.values()), default=0.0))
        out[v] = (round(best[0], 1), round(best[1], 1))
    return out


def _marker_prefix(*parts: Any) -> str:
    """An id prefix for a drawing's markers, unique to what they draw (stable across runs)."""
    return "cld-" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def svg_heading(graph: nx.DiGraph, loops: LoopList) -> str:
    """The accessible title of a CLD: its size, then each loop with its variables.

    >>> from stp_helpers.cld import build_cld, find_loops
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "-")])
    >>> svg_heading(g, find_loops(g))
    'Causal loop diagram: 2 variables, 2 links, 1 loop. B1 (balancing): a, b.'
    """
    n, m, k = graph.number_of_nodes(), graph.number_of_edges(), len(loops)
    head = (f"Causal loop diagram: {n} variable{'s' if n != 1 else ''}, {m} link{'s' if m != 1 else ''}, "
            f"{k} loop{'s' if k != 1 else ''}.")
    kinds = {"R": "reinforcing", "B": "balancing"}
    shown = [f"{lp.id} ({kinds.get(lp.polarity, 'undetermined')}): {', '.join(lp.labels or lp.variables)}."
             for lp in list(loops)[:12]]
    more = [f"And {k - 12} more."] if k > 12 else []
    return " ".join([head] + shown + more)


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, _WRAP) or [text]


def _box(graph: nx.DiGraph, node: Any) -> tuple[float, float]:
    lines = _lines(_label(graph, node))
    return (max(len(line) for line in lines) * FONT_SIZE * 0.29 + 6,
            len(lines) * FONT_SIZE * 0.62 + 5)


def _trim(centre: tuple[float, float], toward: tuple[float, float], box: tuple[float, float]
          ) -> tuple[float, float]:
    """Return where the segment from ``centre`` to ``toward`` leaves the label's box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    scale = min(box[0] / abs(dx) if dx else math.inf, box[1] / abs(dy) if dy else math.inf)
    scale = min(scale, 0.45)
    return centre[0] + dx * scale, centre[1] + dy * scale


def _bezier(p0: tuple[float, float], c: tuple[float, float], p1: tuple[float, float], t: float
            ) -> tuple[float, float]:
    a, b, d = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return a * p0[0] + b * c[0] + d * p1[0], a * p0[1] + b * c[1] + d * p1[1]


def _resolve_loop(graph: nx.DiGraph, loop: Loop | str | None, loops: LoopList | None
                  ) -> Loop | None:
    if loop is None or isinstance(loop, Loop):
        return loop
    found = loops if loops is not None else find_loops(graph)
    try:
        return found[str(loop)]
    except KeyError as err:
        ids = ", ".join(found.ids()) or "none"
        raise GraphError(f"There is no loop {loop!r} in this diagram; its loops are {ids}.",
                         "Pick one of the listed loop ids.") from err


def _f(x: float) -> str:
    return f"{x:.1f}"


def draw_cld(
    graph: nx.DiGraph,
    loop: Loop | str | None = None,
    *,
    loops: LoopList | None = None,
    title: str | None = None,
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> HTML:
    """Draw a causal loop diagram as an inline SVG.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD (see :mod:`stp_helpers.io.cld_graph`).
    loop : Loop, str or None
        A loop (or its id, e.g. ``"R1"``) to highlight.
    loops : LoopList or None
        The loops already listed, to resolve ``loop`` by id without listing again.
    title : str or None
        Accessible title of the drawing (default: its size and every loop, see :func:`svg_heading`).
    positions : mapping or None
        Positions to keep (from :func:`place` or an earlier drawing); new variables are placed around them.

    Returns
    -------
    HTML
        The SVG, with a plain-text form such as
        ``CLD: 16 variables, 25 links; highlighted R1``.

    Raises
    ------
    GraphError
        The graph is empty or not a valid CLD, or ``loop`` is not one of its loops.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "a", "+")])
    >>> svg = draw_cld(g, "R1").html
    >>> svg.count('class="cld-link'), "#D55E00" in svg
    (2, True)
    >>> draw_cld(nx.DiGraph())
    Traceback (most recent call last):
    ...
    stp_helpers.errors.GraphError: The diagram has no variables to draw. Add a variable ...
    """
    if not isinstance(graph, nx.DiGraph):
        raise TypeError(f"graph should be a CLD (networkx.DiGraph), not {type(graph).__name__}.")
    if graph.number_of_nodes() == 0:
        raise _empty_error()
    graph, _ = as_cld(graph)
    chosen = _resolve_loop(graph, loop, loops)
    on_loop = set(chosen.links) if chosen is not None else set()
    colour = {"R": charts.REINFORCING, "B": charts.BALANCING}.get(
        chosen.polarity if chosen else "", "#CC79A7")
    pos = place(graph, positions)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    text = f"CLD: {n} variable{'s' if n != 1 else ''}, {m} link{'s' if m != 1 else ''}"
    if chosen is not None:
        text += f"; highlighted {chosen.id}"
    heading = title or svg_heading(graph, loops if loops is not None else find_loops(graph))
    if chosen is not None and title is None:
        heading += f" Highlighted: {chosen.id}."
    marker = _marker_prefix(sorted(map(str, graph.edges)), sorted(pos.items(), key=str),
                            chosen.id if chosen else "", colour)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stp-cld" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" style="max-width:100%;height:auto;font-family:{html.escape(charts.FONT)}" '
        f'role="img" aria-label="{html.escape(heading)}">',
        f"<title>{html.escape(heading)}</title>",
        "<defs>",
    ]
    for name, fill in (("plain", LINK_COLOUR), ("loop", colour)):
        parts.append(f'<marker id="{marker}-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
                     f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                     f'<polygon points="0,0 10,5 0,10" fill="{fill}"/></marker>')
    parts.append("</defs>")
    links, marks = [], []
    for u, v, data in sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        highlighted = (u, v) in on_loop
        stroke = colour if highlighted else LINK_COLOUR
        width = 3.5 if highlighted else 1.6
        if u == v:
            x, y = pos[u]
            bw, bh = _box(graph, u)
            p0, p1 = (x + bw * 0.5, y - bh), (x - bw * 0.5, y - bh)
            d = (f"M{_f(p0[0])},{_f(p0[1])} C{_f(x + bw)},{_f(y - bh - 60)} "
                 f"{_f(x - bw)},{_f(y - bh - 60)} {_f(p1[0])},{_f(p1[1])}")
            head, mid, angle = (x - bw * 0.75, y - bh - 30), (x, y - bh - 45), 0.0
        else:
            a, b = pos[u], pos[v]
            dx, dy = b[0] - a[0], b[1] - a[1]
            length = math.hypot(dx, dy) or 1.0
            bend = 0.18 * length
            ctrl = ((a[0] + b[0]) / 2 + dy / length * bend, (a[1] + b[1]) / 2 - dx / length * bend)
            p0 = _trim(a, ctrl, _box(graph, u))
            p1 = _trim(b, ctrl, _box(graph, v))
            d = f"M{_f(p0[0])},{_f(p0[1])} Q{_f(ctrl[0])},{_f(ctrl[1])} {_f(p1[0])},{_f(p1[1])}"
            hx, hy = _bezier(p0, ctrl, p1, 0.82)
            tx, ty = p1[0] - ctrl[0], p1[1] - ctrl[1]
            tl = math.hypot(tx, ty) or 1.0
            head = (hx + ty / tl * 11, hy - tx / tl * 11)
            mid = _bezier(p0, ctrl, p1, 0.5)
            angle = math.degrees(math.atan2(dy, dx))
        kind = "cld-link cld-on-loop" if highlighted else "cld-link"
        links.append(f'<path class="{kind}" d="{d}" fill="none" stroke="{stroke}" '
                     f'stroke-width="{width}" marker-end="url(#{marker}-{"loop" if highlighted else "plain"})">'
                     f"<title>{html.escape(_label(graph, u))} → {html.escape(_label(graph, v))} "
                     f"({data['polarity']}{', delayed' if data.get('delay') else ''})</title></path>")
        sign = {"+": "+", "-": _MINUS}.get(data["polarity"], "?")
        marks.append(f'<text class="cld-polarity" x="{_f(head[0])}" y="{_f(head[1])}" '
                     f'text-anchor="middle" dominant-baseline="central" font-size="18" '
                     f'font-weight="bold" fill="{stroke}">{sign}</text>')
        if data.get("delay"):
            marks.append(f'<text class="cld-delay" x="{_f(mid[0])}" y="{_f(mid[1])}" '
                         f'text-anchor="middle" dominant-baseline="central" font-size="16" '
                         f'font-weight="bold" fill="{stroke}" '
                         f'transform="rotate({angle:.0f} {_f(mid[0])} {_f(mid[1])})">||</text>')
    parts += links + marks
    for v in sorted(graph.nodes, key=str):
        x, y = pos[v]
        lines = _lines(_label(graph, v))
        first = y - (len(lines) - 1) * FONT_SIZE * 0.6
        spans = "".join(f'<tspan x="{_f(x)}" y="{_f(first + i * FONT_SIZE * 1.2)}">'
                        f"{html.escape(line)}</tspan>" for i, line in enumerate(lines))
        weight = ' font-weight="bold"' if chosen is not None and v in chosen.variables else ""
        parts.append(f'<text class="cld-variable" data-id="{html.escape(str(v))}" '
                     f'text-anchor="middle" dominant-baseline="central" font-size="{FONT_SIZE}"'
                     f'{weight} fill="#000000" stroke="#ffffff" stroke-width="4" '
                     f'paint-order="stroke">{spans}</text>')
    if chosen is not None:
        cx = sum(pos[v][0] for v in chosen.variables) / chosen.length
        cy = sum(pos[v][1] for v in chosen.variables) / chosen.length
        parts.append(f'<text class="cld-loop-label" x="{_f(cx)}" y="{_f(cy)}" text-anchor="middle" '
                     f'dominant-baseline="central" font-size="22" font-weight="bold" '
                     f'fill="{colour}" stroke="#ffffff" stroke-width="4" paint-order="stroke">'
                     f"{html.escape(chosen.id)}</text>")
    parts.append("</svg>")
    return HTML(html="\n".join(parts), text=text)


def loop_count_chart(
    graph: nx.DiGraph,
    loops: LoopList | None = None,
    *,
    subtitle: str | list[str] | None = None,
    top: int = 12,
) -> alt.LayerChart:
    """Bar chart of the variables ranked by the number of loops they sit in.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    loops : LoopList or None
        Its loops (listed when None).
    subtitle : str or list of str, optional
        Case and source.
    top : int
        Largest number of variables shown.

    Returns
    -------
    altair.LayerChart
        Titled with the finding, e.g. ``"unmet complex needs sits in 14 of 15 loops"``;
        the leading variable is drawn in vermillion.

    Raises
    ------
    GraphError
        The graph is empty or not a valid CLD.
    """
    if graph.number_of_nodes() == 0:
        raise _empty_error()
    loops = loops if loops is not None else find_loops(graph)
    ranking = rank_variables(graph, loops)
    total = len(loops)
    if total == 0:
        title = "No feedback loops yet: close a chain of links to make one"
        data = ranking.head(top)
    else:
        data = ranking[ranking["loops"] > 0].head(top)
        lead = data.iloc[0]
        title = f"{lead['label']} sits in {int(lead['loops'])} of {total} loop{'s' if total != 1 else ''}"
    data = data[["label", "loops"]].rename(columns={"label": "variable"}).reset_index(drop=True)
    highlight = str(data.iloc[0]["variable"]) if total else None
    return charts.bar_chart(data, category="variable", value="loops",
                            value_title="Loops through the variable (count)", title=title,
                            category_title="Variable", subtitle=subtitle, highlight=highlight)


def archetype_notes(found: Any, per_archetype: int = 1) -> Markdown:
    """List the archetypes found, with the reason for the first match of each.

    Parameters
    ----------
    found : ArchetypeResult
        From :func:`stp_helpers.cld.archetypes.find_archetypes`.
    per_archetype : int
        How many matches of each archetype to explain.

    Returns
    -------
    Markdown
        The summary sentence, then one bullet per explained match.
    """
    lines = [md("{summary}", summary=found.summary())]
    shown: dict[str, int] = {}
    for match in found:
        if shown.get(match.name, 0) >= per_archetype:
            continue
        shown[match.name] = shown.get(match.name, 0) + 1
        more = (f"; also through {match.paths - 1} other path{'s' if match.paths > 2 else ''}"
                if match.paths > 1 else "")
        lines.append(md("- **{name}** ({loops}; {confidence} confidence: {reason}{more}): {why}",
                        name=match.name, loops=", ".join(match.loops), confidence=match.confidence,
                        reason=match.reason, more=more, why=match.why))
    return join([lines[0], Markdown("")] + lines[1:]) if len(lines) > 1 else lines[0]


def focus(graph: nx.DiGraph, variables: Iterable[Any]) -> nx.DiGraph:
    """Return the part of a map among some variables, with their labels and links.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    variables : iterable
        Variable ids (or labels) to keep.

    Returns
    -------
    networkx.DiGraph
        A copy: editing it leaves ``graph`` unchanged.

    Raises
    ------
    GraphError
        A name that is not a variable of ``graph``.

    Examples
    --------
    >>> from stp_helpers.cld import build_cld
    >>> g, _ = build_cld([("a", "b", "+"), ("b", "c", "+"), ("c", "a", "-")])
    >>> sorted(focus(g, ["a", "b"]).edges)
    [('a', 'b')]
    """
    by_label = {str(d.get("label", v)).casefold(): v for v, d in graph.nodes(data=True)}
    keep, unknown = [], []
    for name in variables:
        if name in graph:
            keep.append(name)
        elif str(name).casefold() in by_label:
            keep.append(by_label[str(name).casefold()])
        else:
            unknown.append(str(name))
    if unknown:
        raise GraphError(f"{', '.join(map(repr, unknown))} not among the map's variables.",
                         "Use the ids or labels listed in cld_variables.csv.")
    return graph.subgraph(keep).copy()
