"""Every drawing of the workbook: one theme, one palette, offline rendering.

Charts are Altair and render **with no network** (see :mod:`stp_helpers.charts.theme`).
Method-specific builders live in submodules (``charts.sd`` for run charts and Monte
Carlo bands, one per method); the SVG drawers (``cld_draw``, ``ssm_draw``,
``vsm_draw``, ``logic_draw``) and the offline bundle (``offline``) live here too.
This package only re-exports the theme and the shared builders.

Examples
--------
>>> import pandas as pd
>>> chart = bar_chart(pd.DataFrame({"agency": ["Police", "Housing"], "contacts": [238, 488]}),
...                   category="agency", value="contacts", value_title="Contacts (count)",
...                   title="Housing had the most contacts")
>>> chart.to_dict()["title"]["text"]
'Housing had the most contacts'
>>> show(chart)
Chart: Housing had the most contacts
"""

from __future__ import annotations

from stp_helpers.charts.theme import (
    BALANCING,
    FONT,
    OKABE_ITO,
    REINFORCING,
    SERIES,
    THEME,
    StpChart,
    bar_chart,
    bundle_path,
    bundle_text,
    chart_title,
    enable_offline,
    show,
)
# After the theme: it keeps jsonschema's IRI grammar out of chart kernels before Altair is first imported.
from stp_helpers.charts.sd import BASELINE_GREY, MAX_ROWS, bands_chart, number, run_chart, run_finding

__all__ = [
    "BALANCING", "BASELINE_GREY", "FONT", "MAX_ROWS", "OKABE_ITO", "REINFORCING", "SERIES", "THEME",
    "StpChart", "bands_chart", "bar_chart", "bundle_path", "bundle_text", "chart_title",
    "enable_offline", "number", "run_chart", "run_finding", "show",
]
