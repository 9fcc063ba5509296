"""An apprentice's portfolio of evidence, as one self-contained HTML file.

For the end-point assessment's professional discussion: the learner's cases
(their artefacts), reflections and exercise results, each tagged with the KSBs
it evidences, and a KSB → evidence table that shows the gaps.  The page has
no scripts, fonts or images from elsewhere: it opens with no network.

Examples
--------
>>> import tempfile
>>> from stp_helpers.learner.progress import ProgressStore
>>> store = ProgressStore("ada", root=tempfile.mkdtemp())
>>> store.reflect("Mapping the loops changed what I asked the housing team.", duty=7, ksbs=("S3",))
>>> page = build_portfolio(store, cases=())
>>> "S3" in page and "No evidence yet" in page
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from pathlib import Path

from stp_helpers import catalogue, paths
from stp_helpers.io.atomic import write_atomic
from stp_helpers.case import Case, list_cases, load
from stp_helpers.errors import CaseExistsError, StpError
from stp_helpers.learner.progress import ProgressStore
from stp_helpers.standard import KSB_IDS, load_standard

__all__ = ["ARTEFACT_NOTEBOOKS", "evidence_table", "build_portfolio", "write_portfolio"]

#: Which method notebook each artefact file is evidence of.
ARTEFACT_NOTEBOOKS = {
    "agency_contacts.csv": "cases/wiltshire.ipynb",
    "scoping.yaml": "duty01.ipynb",
    "information_plan.csv": "duty02.ipynb",
    "vision.yaml": "duty10.ipynb",
    "communication_plan.csv": "duty10.ipynb",
    "cld.csv": "methods/cld.ipynb",
    "model.mdl": "methods/stock_flow.ipynb",
    "model.xmile": "methods/stock_flow.ipynb",
    "scenarios.yaml": "methods/stock_flow.ipynb",
    "ssm.yaml": "methods/ssm.ipynb",
    "vsm.yaml": "methods/vsm.ipynb",
    "stakeholders.csv": "methods/stakeholders.ipynb",
    "engagement.yaml": "methods/stakeholders.ipynb",
    "ethics.yaml": "methods/stakeholders.ipynb",
    "csh.yaml": "methods/csh.ipynb",
    "drivers.csv": "methods/scenarios.ipynb",
    "futures.yaml": "methods/scenarios.ipynb",
    "options.csv": "methods/logic_model.ipynb",
    "logic_model.yaml": "methods/logic_model.ipynb",
    "contribution.yaml": "methods/logic_model.ipynb",
    "indicators.csv": "methods/measures.ipynb",
    "demand.csv": "methods/measures.ipynb",
}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;max-width:980px;margin:2em auto;color:#222}
h1{font-size:26px} h2{font-size:20px;margin-top:1.6em} table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} .gap{color:#D55E00;font-weight:600} .ok{color:#009E73;font-weight:600}
.small{color:#555;font-size:13px}
"""


def _notebook_ksbs(path: str) -> tuple[str, ...]:
    try:
        return catalogue.ksbs(catalogue.entry(path))
    except (KeyError, FileNotFoundError):
        return ()


def _own_cases() -> list[Case]:
    if paths.user_cases_dir() is None:
        return []
    own = []
    for slug in list_cases():
        item = load(slug)
        if not item.read_only:
            own.append(item)
    return own


def evidence_table(store: ProgressStore, cases: Iterable[Case] | None = None) -> dict[str, list[str]]:
    """Return, for every KSB of the standard, the evidence items that support it.

    Evidence is: an exercise passed in a notebook that states the KSB; a
    reflection tagged with it (or with a duty that draws on it); an artefact of
    one of the learner's own cases whose method notebook states it.
    """
    std = load_standard()
    table: dict[str, list[str]] = {k: [] for k in KSB_IDS}
    summary = store.summary()
    for row in summary[summary["passed"]].itertuples():
        for ksb in _notebook_ksbs(row.notebook):
            table[ksb].append(f"Exercise passed: {row.exercise} ({row.notebook})")
    for row in store.reflections().itertuples():
        tags = set(row.ksbs or ())
        if row.duty is not None and not tags:
            tags = set(std.ksbs_of(int(row.duty)))
        label = f"Reflection{f' on duty {int(row.duty)}' if row.duty is not None else ''}: {row.text[:80]}"
        for ksb in tags:
            table[ksb].append(label)
    for item in (_own_cases() if cases is None else cases):
        for artefact in item.meta.artefact_files():
            notebook = ARTEFACT_NOTEBOOKS.get(artefact)
            for ksb in _notebook_ksbs(notebook) if notebook else ():
                table[ksb].append(f"Case artefact: {item.meta.title} / {artefact}")
    return table


def build_portfolio(store: ProgressStore, cases: Iterable[Case] | None = None) -> str:
    """Return the portfolio as one self-contained HTML page."""
    std = load_standard()
    cases = list(_own_cases() if cases is None else cases)
    table = evidence_table(store, cases)
    gaps = [k for k in KSB_IDS if not table[k]]
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Portfolio of evidence: {esc(store.learner)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Portfolio of evidence: {esc(store.learner)}</h1>",
        f"<p class='small'>{esc(std.standard)}. Standard text: {esc(std.publisher)}, {esc(std.licence)}. "
        "Duty-to-KSB mapping derived by the workbook; confirm it with your assessor.</p>",
        f"<p>{25 - len(gaps)} of 25 KSBs have evidence."
        + (f" <span class='gap'>Gaps: {esc(', '.join(gaps))}.</span>" if gaps else "") + "</p>",
        "<h2>KSB → evidence</h2><table><thead><tr><th>KSB</th><th>Title</th><th>Evidence</th></tr></thead><tbody>",
    ]
    for ksb in std.ksbs:
        items = table[ksb.id]
        cell = ("<ul>" + "".join(f"<li>{esc(e)}</li>" for e in items) + "</ul>") if items \
            else "<span class='gap'>No evidence yet</span>"
        parts.append(f"<tr><td id='{ksb.id}'><strong>{ksb.id}</strong></td><td>{esc(ksb.title)}</td><td>{cell}</td></tr>")
    parts.append("</tbody></table><h2>Reflections</h2>")
    reflections = store.reflections()
    if reflections.empty:
        parts.append("<p>No reflections yet.</p>")
    for row in reflections.itertuples():
        tags = ", ".join(row.ksbs or ()) or "untagged"
        duty = f"Duty {int(row.duty)} · " if row.duty is not None else ""
        parts.append(f"<p><strong>{duty}{esc(tags)}</strong><br>{esc(row.text)}</p>")
    parts.append("<h2>Exercises</h2>")
    summary = store.summary()
    if summary.empty:
        parts.append("<p>No exercises recorded yet.</p>")
    else:
        parts.append("<table><thead><tr><th>Notebook</th><th>Exercise</th><th>Attempts</th><th>Result</th></tr></thead><tbody>")
        for row in summary.itertuples():
            result = "<span class='ok'>passed</span>" if row.passed else "not yet"
            parts.append(f"<tr><td>{esc(row.notebook)}</td><td>{esc(row.exercise)}</td><td>{row.attempts}</td><td>{result}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Cases</h2>")
    if not cases:
        parts.append("<p>No cases of your own yet (make one with <code>stp new-case</code>).</p>")
    for item in cases:
        files = ", ".join(item.meta.artefact_files()) or "no artefacts yet"
        parts.append(f"<p><strong>{esc(item.meta.title)}</strong> ({esc(item.meta.organisation)})<br>"
                     f"<span class='small'>Artefacts: {esc(files)}</span></p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_portfolio(store: ProgressStore, target: str | os.PathLike[str], *, overwrite: bool = False,
                    cases: Iterable[Case] | None = None) -> Path:
    """Write the portfolio to ``target`` atomically; refuse to replace a file unless ``overwrite``."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{paths.relative(target)} already exists.",
                              fix="Choose another file name, or pass --overwrite.")
    if target.suffix.lower() not in {".html", ".htm"}:
        raise StpError(f"{target.name} is not an HTML file name.", fix="Use a name ending in .html.")
    return write_atomic(target, build_portfolio(store, cases))
