"""One registry of the workbook's notebooks: the gallery and the tests read it.

Adding a notebook means adding one :class:`Entry` here; the gallery lists it,
nbval checks it and the browser tests open it in Voilà, so the three cannot
drift apart.

Examples
--------
>>> [e.path for e in entries(kind="case")][:1]
['cases/wiltshire.ipynb']
>>> entry("cases/wiltshire.ipynb").duties
(1, 2, 7)
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from stp_helpers import paths

__all__ = ["Entry", "CATALOGUE", "entries", "entry", "notebook_path", "gallery_html", "KINDS",
           "coverage_table", "coverage_chart", "Gallery"]

#: Kinds of notebook, in gallery order.
KINDS = ("gallery", "case", "method", "duty")


@dataclass(frozen=True)
class Entry:
    """A notebook of the workbook.

    Attributes
    ----------
    path : str
        Relative to ``notebooks/``, with forward slashes.
    title : str
        As shown in the gallery.
    kind : str
        One of :data:`KINDS`.
    method : str
        The method it teaches or the case it tells.
    duties : tuple of int
        Duties of the standard (1–12) it serves.
    summary : str
        One sentence for the gallery.
    charts : bool
        True when the notebook draws at least one chart (browser tests wait for it).
    """

    path: str
    title: str
    kind: str
    method: str
    duties: tuple[int, ...]
    summary: str
    charts: bool = True

    def voila_url(self, base: str = "/") -> str:
        """Return the Voilà address of this notebook below ``base``."""
        return f"{base.rstrip('/')}/voila/render/{quote(self.path)}"


CATALOGUE: tuple[Entry, ...] = (
    Entry(
        path="index.ipynb",
        title="Gallery",
        kind="gallery",
        method="All methods",
        duties=tuple(range(1, 13)),
        summary="Every notebook of the workbook, with its method and the duties it serves.",
        charts=False,
    ),
    Entry(
        path="cases/wiltshire.ipynb",
        title="Wiltshire: complex needs across agencies",
        kind="case",
        method="Case scoping: facts, contacts, stakeholder questions",
        duties=(1, 2, 7),
        summary="One person's 1,000+ contacts with a fragmented, crisis-driven system, and the questions it raises.",
    ),
    Entry(
        path="methods/stock_flow.ipynb",
        title="Stock and flow: simulate a system and test policies on it",
        kind="method",
        method="System Dynamics: stocks, flows, scenarios, sensitivity, validation",
        duties=(7, 8, 9),
        summary="From a bathtub to the case's model: behaviour modes, policy levers, scenarios, "
                "sensitivity bands and validation tests.",
    ),
    Entry(
        path="methods/cld.ipynb",
        title="Causal loop diagrams",
        kind="method",
        method="Causal loop diagrams: loops, polarity, delays, archetypes, leverage",
        duties=(2, 5, 6, 7),
        summary="Find every feedback loop in a map, name its polarity, spot archetypes and compare your map with a reference.",
    ),
)


def entries(kind: str | None = None) -> list[Entry]:
    """Return the catalogue, optionally only one kind, in gallery order."""
    chosen = [e for e in CATALOGUE if kind is None or e.kind == kind]
    return sorted(chosen, key=lambda e: (KINDS.index(e.kind), e.path))


def entry(path: str) -> Entry:
    """Return the entry for a notebook path (relative to ``notebooks/``)."""
    for item in CATALOGUE:
        if item.path == path:
            return item
    raise KeyError(path)


def notebook_path(item: Entry) -> Path:
    """Return the file of a catalogue entry."""
    return paths.NOTEBOOKS_DIR / item.path


def _duty_text(duties: tuple[int, ...]) -> str:
    if duties == tuple(range(1, 13)):
        return "all"
    return ", ".join(str(d) for d in duties)


def gallery_html(base: str = "") -> str:
    """Return the gallery as an HTML table, one row per notebook.

    Links are relative, so they work under Voilà (``/voila/render/…``) and
    in JupyterLab alike.
    """
    groups = {"case": "Worked cases", "method": "Methods", "duty": "Duties of the standard"}
    parts = []
    for kind, heading in groups.items():
        rows = [e for e in entries(kind)]
        if not rows:
            continue
        parts.append(f"<h3>{heading}</h3>")
        parts.append('<table class="stp-gallery"><thead><tr><th>Notebook</th><th>Method</th>'
                     "<th>Duties</th><th>What it shows</th></tr></thead><tbody>")
        for e in rows:
            parts.append(
                f'<tr><td><a href="{html.escape(base + quote(e.path))}">{html.escape(e.title)}</a></td>'
                f"<td>{html.escape(e.method)}</td><td>{_duty_text(e.duties)}</td>"
                f"<td>{html.escape(e.summary)}</td></tr>")
        parts.append("</tbody></table>")
    return "\n".join(parts)


def coverage_table() -> "pd.DataFrame":
    """Return, for each duty 1–12, how many notebooks (other than the gallery) serve it."""
    import pandas as pd

    counts = {d: 0 for d in range(1, 13)}
    for item in CATALOGUE:
        if item.kind != "gallery":
            for duty in item.duties:
                counts[duty] += 1
    return pd.DataFrame({"duty": [f"Duty {d}" for d in counts], "notebooks": list(counts.values())})


def coverage_chart() -> "alt.Chart":
    """Bar chart of notebooks per duty, titled with how many duties are covered."""
    from stp_helpers import charts

    table = coverage_table()
    covered = int((table["notebooks"] > 0).sum())
    title = f"{covered} of 12 duties of the standard have at least one notebook"
    return charts.bar_chart(table, category="duty", value="notebooks", value_title="Notebooks (count)",
                            category_title="Duty of ST0787", title=title,
                            subtitle="Counted from the workbook's catalogue", order=list(table["duty"]))


class Gallery:
    """The gallery as a rich HTML table with a plain-text list as its text form."""

    def _repr_html_(self) -> str:
        return gallery_html()

    def __repr__(self) -> str:
        return "\n".join(f"{e.title} ({e.path}): duties {_duty_text(e.duties)}"
                         for e in entries() if e.kind != "gallery")
