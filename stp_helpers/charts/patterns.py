"""The reference-mode chart (duty 5): a variable's pattern over time with its natural limits.

Examples
--------
>>> from stp_helpers.evaluation.patterns import read_reference_mode
>>> mode = read_reference_mode([5, 6, 5, 7, 6, 5, 6, 5, 3, 2, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3], name="Calls",
...                            unit="calls per week", baseline=8)
>>> chart_title(reference_mode_chart(mode))
'Calls held near 5.62 a week, then fell from 8'
"""

from __future__ import annotations

import altair as alt

from stp_helpers.charts.evaluation import xmr_chart
from stp_helpers.charts.theme import chart_title  # noqa: F401 (the doctest reads the title)
from stp_helpers.evaluation.patterns import ReferenceMode

__all__ = ["reference_mode_chart"]


def reference_mode_chart(mode: ReferenceMode, subtitle: str | None = None, x_title: str = "Period", *,
                         title: str | None = None, signals: bool = True) -> alt.LayerChart:
    """The series as an XmR chart titled with its reading (the shape, the level, where a shift starts).

    Parameters
    ----------
    mode : ReferenceMode
        From :func:`stp_helpers.evaluation.patterns.read_reference_mode`.
    subtitle : str, optional
        The case and the data's source.
    x_title : str
        The time axis title, with its unit.
    title : str, optional
        Instead of the reading (an exercise asks the question here rather than give the answer).
    signals : bool
        Mark the points that signal; False leaves the reading to the learner (no marks, no shape).
    """
    y_title = f"{mode.name} ({mode.unit})" if mode.unit else mode.name
    shape = f"Shape: {mode.shape} (read against the first {mode.limits.baseline} points)" if signals else \
        f"Centre line and limits from the first {mode.limits.baseline} points"
    table = mode.table() if signals else mode.table().assign(rules="")
    return xmr_chart(table, y_title=y_title, title=title or mode.title(), subtitle=[s for s in (subtitle, shape) if s],
                     x_title=x_title, name=mode.name)
