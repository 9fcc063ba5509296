"""Charts of the workbook's own coverage: notebooks per duty and per KSB of the standard."""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers import catalogue
from stp_helpers.charts.theme import bar_chart
from stp_helpers.standard import KSB_IDS

__all__ = ["coverage_chart", "ksb_coverage_chart"]


def coverage_chart() -> "alt.Chart":
    """Bar chart of notebooks per duty, titled with how many duties are covered."""
    table = catalogue.coverage_table()
    covered = int((table["notebooks"] > 0).sum())
    title = f"{covered} of 12 duties of the standard have at least one notebook"
    return bar_chart(table, category="duty", value="notebooks", value_title="Notebooks (count)",
                     category_title="Duty of ST0787", title=title,
                     subtitle="Counted from the workbook's catalogue", order=list(table["duty"]))


def ksb_coverage_chart() -> "alt.LayerChart":
    """Bar chart of how many notebooks teach or assess each KSB (tagged cells), titled with the gaps."""
    matrix = catalogue.coverage_matrix()
    counts = pd.DataFrame({"ksb": list(KSB_IDS), "notebooks": [int(matrix[k].sum()) for k in KSB_IDS]})
    gaps = [k for k, n in zip(counts["ksb"], counts["notebooks"]) if n == 0]
    title = ("Every one of the 25 KSBs is evidenced by at least one notebook" if not gaps
             else f"{25 - len(gaps)} of 25 KSBs are evidenced; still missing: {', '.join(gaps)}")
    return bar_chart(counts, category="ksb", value="notebooks", value_title="Notebooks (count)",
                     category_title="KSB of ST0787", title=title, order=list(KSB_IDS),
                     subtitle="Counted from cells tagged with a KSB where a notebook teaches or assesses it")
