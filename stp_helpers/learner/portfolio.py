"""An apprentice's portfolio of evidence exported: one self-contained HTML page, and a CSV.

The page is for the end-point assessment's professional discussion: the KSB
coverage table (evidenced by confirmed claims, verified by verified items,
gaps named), every evidence item with its date, link, claims and
verification, the off-the-job log against its planned minimum with a chart
of hours by month, progress reviews and the gateway checklist.  It has no
scripts, fonts or images from elsewhere (pictures are inlined), so it opens
with no network and prints the same (:mod:`stp_helpers.learner.pdf`).

The CSV has one row per claim of an item (an item with no claim has one row
with an empty KSB), in the shape e-portfolio systems import; it reads back
with :func:`read_csv`.

Examples
--------
>>> import tempfile
>>> from stp_helpers.learner.store import PortfolioStore
>>> store = PortfolioStore("ada", root=tempfile.mkdtemp())
>>> item = store.add_engagement("Loop workshop", "Twelve staff from four agencies drew the "
...     "referral loops together and agreed which delay to measure first at the next meeting.", "hub staff")
>>> store.claim(item, "S5", "I ran the workshop so the agencies built the diagram together.")
>>> page = build_portfolio(store, chart=False)
>>> "Loop workshop" in page and "<script" not in page
True
>>> read_csv(export_csv(store)) == csv_items(store)
True
"""

from __future__ import annotations

import base64
import csv
import html
import io
import os
from pathlib import Path
from typing import Any

from stp_helpers import paths
from stp_helpers.charts.offline import chart_svg
from stp_helpers.charts.portfolio import hours_chart
from stp_helpers.errors import CaseExistsError, StpError
from stp_helpers.io.atomic import write_atomic
from stp_helpers.learner import records
from stp_helpers.learner.store import PortfolioStore
from stp_helpers.standard import load_standard

__all__ = ["ARTEFACT_NOTEBOOKS", "CSV_COLUMNS", "build_portfolio", "csv_items", "export_csv", "read_csv",
           "write_portfolio", "write_csv"]

#: Which method notebook each artefact file is evidence of.
ARTEFACT_NOTEBOOKS = {
    "agency_contacts.csv": "cases/wiltshire.ipynb",
    "scoping.yaml": "duty01.ipynb",
    "information_plan.csv": "duty02.ipynb",
    "vision.yaml": "duty10.ipynb",
    "communication_plan.csv": "duty10.ipynb",
    "iteration_log.csv": "duty03.ipynb",
    "findings.csv": "duty06.ipynb",
    "strategy_assessment.yaml": "duty07.ipynb",
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
#: Columns of the CSV export, one row per KSB claim.
CSV_COLUMNS = ("evidence_id", "date", "kind", "title", "description", "link", "ksb", "claim",
               "verification", "verified_by", "verified_on", "verification_comment")
_MIME = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:14px;max-width:980px;margin:2em auto;color:#222}
h1{font-size:24px} h2{font-size:19px;margin-top:1.6em;break-after:avoid} table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4} .gap{color:#B34700;font-weight:600} .ok{color:#007A5A;font-weight:600}
.small{color:#555;font-size:12px} .item{border:1px solid #ccc;border-radius:4px;padding:8px 12px;margin:10px 0;break-inside:avoid}
.item h3{font-size:16px;margin:0 0 4px} pre{white-space:pre-wrap;font-size:12px;background:#f7f7f7;padding:6px}
img{max-width:100%} @media print{body{margin:0;max-width:none}}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value if value is not None else ""))


def _link(store: PortfolioStore, item: dict[str, Any]) -> str:
    link = item.get("link") or ""
    if link.startswith("files/"):
        return (store.folder / link).resolve().as_uri()
    return link


def _item_html(store: PortfolioStore, item: dict[str, Any]) -> str:
    content = item.get("content") or {}
    link = _link(store, item)
    parts = [f"<div class='item' id='{_esc(item['id'])}'><h3>{_esc(item['id'])} · {_esc(item['title'])}</h3>",
             f"<p class='small'>{_esc(item['date'])} · {_esc(item['kind'])}"
             + (f" · <a href='{_esc(link)}'>{_esc(link)}</a>" if link else "") + "</p>",
             f"<p>{_esc(item.get('description'))}</p>"]
    if item["kind"] == "artefact" and content.get("my_lines"):
        parts.append(f"<p class='small'>My own lines (compared with {_esc(content.get('origin'))}):</p>"
                     f"<pre>{_esc(chr(10).join(content['my_lines']))}</pre>")
    elif item["kind"] == "exercise":
        parts.append(f"<p class='small'>My prediction: {_esc(content.get('prediction'))}</p>")
    elif item["kind"] == "reflection":
        parts.append("".join(f"<p><strong>{_esc(stage.capitalize())}.</strong> {_esc(text)}</p>"
                             for stage, text in content.get("stages", {}).items()))
    elif item["kind"] == "engagement":
        parts.append(f"<p class='small'>Who took part: {_esc(content.get('participants'))}</p>")
    elif item["kind"] == "attachment" and content.get("type") in _MIME:
        data = (store.files / content["file"]).read_bytes()
        uri = f"data:{_MIME[content['type']]};base64,{base64.b64encode(data).decode()}"
        parts.append(f"<img alt='{_esc(item['title'])}' src='{uri}'>")
    claims = item.get("claims") or []
    parts.append("<p><strong>KSB claims:</strong></p><ul>" + "".join(
        f"<li><strong>{_esc(c['ksb'])}</strong>: {_esc(c['sentence'])}</li>" for c in claims) + "</ul>"
        if claims else "<p class='gap'>No KSB claimed yet.</p>")
    ver = item.get("verification")
    if ver:
        cls = "ok" if ver["status"] == "verified" else "gap"
        parts.append(f"<p><span class='{cls}'>{_esc(ver['status'].capitalize())}</span> by {_esc(ver['name'])} "
                     f"on {_esc(ver['date'])}: {_esc(ver['comment'])}</p>")
    else:
        parts.append("<p class='small'>Not yet verified.</p>")
    parts.append("</div>")
    return "".join(parts)


def build_portfolio(store: PortfolioStore, *, chart: bool = True) -> str:
    """Return the portfolio as one self-contained HTML page (``chart=False`` leaves out the hours chart)."""
    std = load_standard()
    items = store.items()
    table = store.coverage()
    name = _esc(store.learner)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Portfolio of evidence: {name}</title><style>{_CSS}</style></head><body>",
        f"<h1>Portfolio of evidence: {name}</h1>",
        f"<p class='small'>{_esc(std.standard)}. Standard text: {_esc(std.publisher)}, {_esc(std.licence)}.</p>",
        f"<p>{_esc(store.coverage_line())}</p>",
        "<h2>KSB coverage</h2><table><thead><tr><th>KSB</th><th>Title</th><th>Evidenced by</th>"
        "<th>Verified by</th><th>Gap</th></tr></thead><tbody>",
    ]
    for row in table.itertuples():
        gap = f"<span class='gap'>{_esc(row.gap)}</span>" if row.gap else "<span class='ok'>none</span>"
        parts.append(f"<tr><td id='{row.ksb}'><strong>{row.ksb}</strong></td><td>{_esc(row.title)}</td>"
                     f"<td>{_esc(row.items) or '—'}</td><td>{_esc(row.verified_items) or '—'}</td><td>{gap}</td></tr>")
    parts.append(f"</tbody></table><h2>Evidence items ({len(items)})</h2>")
    parts += [_item_html(store, item) for item in items] or ["<p>No evidence items yet.</p>"]
    summary = records.hours_summary(store)
    planned = summary["planned"]
    parts.append("<h2>Off-the-job training</h2>"
                 f"<p>{summary['off_the_job']:g} hours off the job logged"
                 + (f" of a planned minimum of {planned:g} ({summary['remaining']:g} to go)." if planned
                    else "; no planned minimum set yet.") + "</p>")
    months = records.hours_by_month(store)
    if chart and len(months):
        svg = chart_svg(hours_chart(months, planned=planned))
        parts.append(f"<img alt='Hours by month' src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'>")
    log = records.log_frame(store)
    if len(log):
        parts.append("<table><thead><tr><th>Date</th><th>Hours</th><th>Activity</th><th>Off the job</th>"
                     "<th>KSBs</th></tr></thead><tbody>")
        for row in log.itertuples():
            parts.append(f"<tr><td>{_esc(row.date)}</td><td>{row.hours:g}</td><td>{_esc(row.activity)}</td>"
                         f"<td>{'yes' if row.off_the_job else 'no'}</td><td>{_esc(', '.join(row.ksbs))}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Progress reviews</h2>")
    reviews = records.reviews(store)
    parts += [f"<p><strong>{_esc(r['date'])}</strong> with {_esc(r['reviewer'])}: {_esc(r['notes'])}</p><ul>"
              + "".join(f"<li>{_esc(t)}</li>" for t in r["targets"]) + "</ul>" for r in reviews] \
        or ["<p>No reviews recorded yet.</p>"]
    parts.append("<h2>Gateway checklist</h2><table><thead><tr><th>Item</th><th>Ready</th><th>Detail</th></tr></thead><tbody>")
    for row in records.gateway(store):
        ready = "<span class='ok'>yes</span>" if row["ready"] else "<span class='gap'>not yet</span>"
        parts.append(f"<tr><td>{_esc(row['item'])}</td><td>{ready}</td><td>{_esc(row['detail'])}</td></tr>")
    parts.append("</tbody></table><h2>End-point assessment methods</h2><ul>")
    parts += [f"<li><strong>{_esc(m['method'])}</strong>: {_esc(m['what'])}</li>" for m in records.ASSESSMENT_METHODS]
    parts.append(f"</ul><p class='small'>{_esc(records.ASSESSMENT_NOTE)}</p></body></html>")
    return "\n".join(parts)


def _refuse_existing(target: Path, overwrite: bool, suffixes: set[str], kind: str) -> None:
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{paths.relative(target)} already exists.",
                              fix="Choose another file name, or pass --overwrite.")
    if target.suffix.lower() not in suffixes:
        raise StpError(f"{target.name} is not a{'n' if kind[0] in 'AEHIOU' else ''} {kind} file name.",
                       fix=f"Use a name ending in {sorted(suffixes)[-1]}.")


def write_portfolio(store: PortfolioStore, target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the HTML portfolio to ``target`` atomically; refuse to replace a file unless ``overwrite``."""
    target = Path(target)
    _refuse_existing(target, overwrite, {".htm", ".html"}, "HTML")
    return write_atomic(target, build_portfolio(store))


def csv_items(store: PortfolioStore) -> list[dict[str, Any]]:
    """The items as the CSV holds them: id, date, kind, title, description, link, claims, verification."""
    out = []
    for item in store.items():
        ver = item.get("verification") or {}
        out.append({"evidence_id": item["id"], "date": item["date"], "kind": item["kind"], "title": item["title"],
                    "description": item.get("description") or "", "link": _link(store, item),
                    "claims": [(c["ksb"], c["sentence"]) for c in item.get("claims") or []],
                    "verification": ver.get("status", ""), "verified_by": ver.get("name", ""),
                    "verified_on": ver.get("date", ""), "verification_comment": ver.get("comment", "")})
    return out


def export_csv(store: PortfolioStore) -> str:
    """The evidence items as CSV, one row per KSB claim."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in csv_items(store):
        base = {k: v for k, v in item.items() if k != "claims"}
        for ksb, sentence in item["claims"] or [("", "")]:
            writer.writerow({**base, "ksb": ksb, "claim": sentence})
    return buffer.getvalue()


def read_csv(text: str) -> list[dict[str, Any]]:
    """Read a CSV written by :func:`export_csv` back into items (as :func:`csv_items` gives them)."""
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise StpError("This is not a portfolio CSV.", fix=f"Its columns should be {', '.join(CSV_COLUMNS)}.")
    items: dict[str, dict[str, Any]] = {}
    for row in reader:
        item = items.setdefault(row["evidence_id"], {**{k: row[k] for k in CSV_COLUMNS if k not in ("ksb", "claim")},
                                                     "claims": []})
        if row["ksb"]:
            item["claims"].append((row["ksb"], row["claim"]))
    return [{k: v for k, v in item.items()} for item in items.values()]


def write_csv(store: PortfolioStore, target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the CSV export atomically; refuse to replace a file unless ``overwrite``."""
    target = Path(target)
    _refuse_existing(target, overwrite, {".csv"}, "CSV")
    return write_atomic(target, export_csv(store))
