"""Layout rules every chart shares: readable heatmap text, and point labels that never overlap.

Heatmaps use a five-step sequential orange scale whose cell text is black on
the light steps and white on the dark ones, each pair meeting WCAG 2.1
contrast of at least 4.5:1 (:func:`contrast_ratio`), with no grid line drawn
through the cells.  Scatter charts with named points (the power/interest
grid, the drivers chart) number their points, spread points that share a
spot around it, and list the names under the chart, so that no two labels
can overlap however many stakeholders share a score.

Examples
--------
>>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
21.0
>>> all(contrast_ratio(text, fill) >= 4.5 for fill, text in zip(HEAT_COLOURS, HEAT_TEXT))
True
>>> spread_points([(0.5, 0.5), (0.5, 0.5), (0.9, 0.1)], radius=0.04)
[(0.48, 0.5), (0.52, 0.5), (0.9, 0.1)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import wrap_expr

__all__ = ["HEAT_COLOURS", "HEAT_TEXT", "contrast_ratio", "heat_layers", "spread_points", "numbered_layers",
           "key_layer"]

#: Sequential oranges (ColorBrewer Oranges), lightest first.
HEAT_COLOURS = ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#8c2d04")
#: Text colour on each heat colour: black, and white on the darkest (each at least 4.5:1).
HEAT_TEXT = ("#000000", "#000000", "#000000", "#000000", "#FFFFFF")


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast_ratio("#000000", "#8c2d04"), 2) < 4.5 < round(contrast_ratio("#FFFFFF", "#8c2d04"), 2)
    True
    """
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def heat_layers(base: alt.Chart, field: str, text: str, *, title: str, domain: Sequence[float],
                tooltip: Sequence[Any] = ()) -> alt.LayerChart:
    """Cells coloured by ``field`` in five steps over ``domain`` with ``text`` written in a contrasting colour.

    ``base`` carries the x and y encodings, with ``axis=alt.Axis(grid=False)``
    so that no line crosses a cell.
    """
    lo, hi = float(domain[0]), float(domain[-1])
    step = (hi - lo) / len(HEAT_COLOURS) or 1.0
    edges = [lo + step * i for i in range(1, len(HEAT_COLOURS))]
    scale = alt.Scale(type="threshold", domain=edges, range=list(HEAT_COLOURS))
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(f"{field}:Q", title=title, scale=scale,
                        # The key is never longer than the plot is wide: under a phone-width heatmap
                        # it starts after the row names, and a 200 px key would run off the chart's edge.
                        legend=alt.Legend(format=",.2~f", direction="horizontal", columns=5,
                                          gradientLength={"expr": "min(200, width)"})),
        tooltip=list(tooltip))
    dark = edges[-1]  # only the darkest step takes white text
    # Smaller numbers in a phone's narrow cells, so neighbouring numbers never touch.
    words = base.mark_text(fontSize={"expr": "width < 520 ? 11 : 14"}).encode(  # type: ignore[arg-type]
        text=f"{text}:N",
        color=alt.condition(f"datum['{field}'] >= {dark!r}", alt.value(HEAT_TEXT[-1]), alt.value(HEAT_TEXT[0])))
    return alt.layer(cells, words)


def spread_points(points: Sequence[tuple[float, float]], *, radius: float,
                  rounds: int = 200) -> list[tuple[float, float]]:
    """Push points apart until no two are closer than ``radius`` (a deterministic repel).

    Points that share a spot first go evenly on a small ring around it (the
    first on the left); then each pair closer than ``radius`` is pushed apart
    along the line between them, half each, for up to ``rounds`` rounds.
    Isolated points stay where they are.
    """
    out = [list(map(float, p)) for p in points]
    spots: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(points):
        spots.setdefault((round(float(x), 6), round(float(y), 6)), []).append(i)
    for (cx, cy), group in spots.items():
        for k, i in enumerate(group if len(group) > 1 else []):
            angle = math.pi + 2 * math.pi * k / len(group)
            out[i] = [cx + radius / 2 * math.cos(angle), cy + radius / 2 * math.sin(angle)]
    for _ in range(rounds):
        moved = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                dx, dy = out[j][0] - out[i][0], out[j][1] - out[i][1]
                gap = math.hypot(dx, dy)
                if gap >= radius * 0.999:
                    continue
                if gap == 0:
                    dx, dy, gap = 1.0, 0.0, 1.0
                push = (radius - gap) / 2 + radius * 0.01
                ux, uy = dx / (math.hypot(dx, dy)), dy / (math.hypot(dx, dy))
                out[i] = [out[i][0] - ux * push, out[i][1] - uy * push]
                out[j] = [out[j][0] + ux * push, out[j][1] + uy * push]
                moved = True
        if not moved:
            break
    return [(round(x, 4), round(y, 4)) for x, y in out]


def numbered_layers(table: pd.DataFrame, *, name: str, x: str, y: str, colour: alt.Color,
                    x_axis: alt.X, y_axis: alt.Y, radius: float, tooltip: Sequence[Any] = (),
                    key_title: str = "Key (number on the chart)") -> tuple[alt.Chart, alt.Chart, alt.Chart]:
    """Numbered points with a key: circles, their numbers, and a legend that lists ``n. name``.

    Returns the point layer (coloured by ``colour``), the number layer and an
    invisible layer that only carries the key, in that order.
    """
    spread = spread_points(list(zip(table[x].astype(float), table[y].astype(float))), radius=radius)
    data = table.reset_index(drop=True).assign(
        number=[str(i + 1) for i in range(len(table))],
        key=[f"{i + 1}. {n}" for i, n in enumerate(table[name])],
        px=[p[0] for p in spread], py=[p[1] for p in spread])
    x_enc = x_axis.to_dict() | {"field": "px"}
    y_enc = y_axis.to_dict() | {"field": "py"}
    base = alt.Chart(data).encode(x=alt.X(**x_enc), y=alt.Y(**y_enc))
    points = base.mark_point(size=420, filled=True, fill="#ffffff", strokeWidth=3, opacity=1).encode(
        stroke=alt.Stroke(**colour.to_dict()), tooltip=list(tooltip) or [name])
    numbers = base.mark_text(fontSize=12, fontWeight="bold", color="#000000").encode(text="number:N")
    return points, numbers, key_layer(base, list(data["key"]), key_title)


def key_layer(base: alt.Chart, keys: Sequence[str], title: str) -> alt.Chart:
    """An invisible layer whose legend is the key of a numbered chart: ``keys`` (``n. name``) in order.

    ``base`` carries the data (a ``key`` column) and the x and y encodings.
    """
    return base.mark_point(size=0, opacity=0).encode(
        opacity=alt.Opacity("key:N", sort=list(keys), title=title, scale=alt.Scale(range=[1.0] * max(len(keys), 1)),
                            legend=alt.Legend(columns=1, symbolOpacity=0, symbolSize=0, labelLimit=0,
                                              labelExpr=wrap_expr(30))))
