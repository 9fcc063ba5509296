"""Off-the-job training log, progress reviews and the gateway checklist of a portfolio.

Examples
--------
>>> import tempfile
>>> from stp_helpers.learner.store import PortfolioStore
>>> store = PortfolioStore("ada", root=tempfile.mkdtemp())
>>> set_planned_hours(store, 300)
>>> log_hours(store, "2026-01-12", 7.5, "Systems thinking module day 1", off_the_job=True, ksbs=("K1",))
>>> log_hours(store, "2026-01-13", 2, "Team meeting", off_the_job=False)
>>> hours_summary(store)
{'off_the_job': 7.5, 'other': 2.0, 'planned': 300.0, 'remaining': 292.5}
>>> hours_by_month(store).to_dict("records")
[{'month': '2026-01', 'off_the_job': 7.5, 'other': 2.0}]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from stp_helpers.errors import StpError
from stp_helpers.learner.store import PortfolioStore
from stp_helpers.standard import load_standard

__all__ = [
    "ASSESSMENT_METHODS",
    "ASSESSMENT_NOTE",
    "add_review",
    "gateway",
    "hours_by_month",
    "hours_summary",
    "log_frame",
    "log_hours",
    "reviews",
    "set_gateway",
    "set_planned_hours",
]

#: The end-point assessment methods of ST0787 as published; check them against the current assessment plan.
ASSESSMENT_METHODS = (
    {"method": "Work-based project with presentation and questioning",
     "what": "A project on a real problem at work, written up, then presented with questions from the assessor."},
    {"method": "Professional discussion underpinned by a portfolio of evidence",
     "what": "A structured discussion with the assessor, drawing on the evidence items of this portfolio."},
)
#: Shown with the methods wherever they appear.
ASSESSMENT_NOTE = ("These methods are as published for ST0787; check them against the current assessment plan "
                   "on the Institute for Apprenticeships and Technical Education's site and with your end-point "
                   "assessment organisation.")
_GATEWAY_FIELDS = ("employer_sign_off", "english_maths", "project_proposal")


def _date(value: str | dt.date) -> str:
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise StpError(f"{value!r} is not a date.", fix="Write it as YYYY-MM-DD, e.g. 2026-03-14.") from None


def set_planned_hours(store: PortfolioStore, hours: float) -> None:
    """Set the planned minimum of off-the-job hours (the learner's own figure, from their training plan)."""
    if not isinstance(hours, (int, float)) or hours <= 0:
        raise StpError(f"{hours!r} is not a number of hours.", fix="Give the planned minimum from your training plan, e.g. 278.")
    store.update_record(lambda data: data.update(planned_hours=float(hours)))


def log_hours(store: PortfolioStore, date: str | dt.date, hours: float, activity: str, *,
              off_the_job: bool, ksbs: tuple[str, ...] = ()) -> None:
    """Add one entry to the training log: date, hours, activity, whether off the job, KSBs."""
    if not isinstance(hours, (int, float)) or not 0 < hours <= 24:
        raise StpError(f"{hours!r} is not a number of hours in a day.", fix="Give hours between 0 and 24, e.g. 3.5.")
    if not activity.strip():
        raise StpError("Say what the activity was.", fix="Write a few words, e.g. 'CLD workshop with the hub'.")
    std = load_standard()
    entry = {"date": _date(date), "hours": float(hours), "activity": activity.strip(),
             "off_the_job": bool(off_the_job), "ksbs": [std.ksb(k).id for k in ksbs]}
    store.update_record(lambda data: data["log"].append(entry))


def log_frame(store: PortfolioStore) -> pd.DataFrame:
    """The training log, by date."""
    rows = store.load()["log"]
    frame = pd.DataFrame(rows, columns=["date", "hours", "activity", "off_the_job", "ksbs"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def hours_summary(store: PortfolioStore) -> dict[str, Any]:
    """Hours off the job and other, the planned minimum, and what remains of it."""
    frame = log_frame(store)
    off = float(frame.loc[frame["off_the_job"].astype(bool), "hours"].sum())
    other = float(frame.loc[~frame["off_the_job"].astype(bool), "hours"].sum())
    planned = store.load()["planned_hours"]
    return {"off_the_job": off, "other": other, "planned": planned,
            "remaining": None if planned is None else max(planned - off, 0.0)}


def hours_by_month(store: PortfolioStore) -> pd.DataFrame:
    """Hours off the job and other, per calendar month."""
    frame = log_frame(store)
    if frame.empty:
        return pd.DataFrame(columns=["month", "off_the_job", "other"])
    frame["month"] = frame["date"].str[:7]
    frame["kind"] = frame["off_the_job"].map({True: "off_the_job", False: "other"})
    table = frame.pivot_table(index="month", columns="kind", values="hours", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=["off_the_job", "other"], fill_value=0.0).reset_index()
    table.columns.name = None
    return table.astype({"off_the_job": float, "other": float})


def add_review(store: PortfolioStore, date: str | dt.date, reviewer: str, notes: str, targets: list[str]) -> None:
    """Record a progress review: its date, who reviewed, notes and the targets set."""
    if not reviewer.strip() or not notes.strip():
        raise StpError("A review needs who took part and notes.", fix="Fill both, then save again.")
    targets = [t.strip() for t in targets if t and t.strip()]
    if not targets:
        raise StpError("A review sets at least one target.", fix="Write the targets agreed, one per line.")
    review = {"date": _date(date), "reviewer": reviewer.strip(), "notes": notes.strip(), "targets": targets}
    store.update_record(lambda data: data["reviews"].append(review))


def reviews(store: PortfolioStore) -> list[dict[str, Any]]:
    """Every progress review, by date."""
    return sorted(store.load()["reviews"], key=lambda r: r["date"])


def set_gateway(store: PortfolioStore, **fields: str) -> None:
    """Record gateway items: ``employer_sign_off`` (name and date), ``english_maths`` (a note), ``project_proposal``."""
    unknown = set(fields) - set(_GATEWAY_FIELDS)
    if unknown:
        raise StpError(f"{', '.join(sorted(unknown))} is not a gateway item.", fix=f"Use {', '.join(_GATEWAY_FIELDS)}.")
    clean = {k: str(v).strip() for k, v in fields.items()}
    store.update_record(lambda data: data["gateway"].update(clean))


def gateway(store: PortfolioStore) -> list[dict[str, Any]]:
    """The gateway checklist: each item, whether it is ready, and what it holds or lacks.

    Coverage counts as ready only when every KSB is evidenced by a confirmed
    claim; the row says how many are and how many are verified.
    """
    data = store.load()["gateway"]
    table = store.coverage()
    evidenced, verified = int(table["evidenced"].sum()), int(table["verified"].sum())
    gaps = table.loc[~table["evidenced"], "ksb"].tolist()
    rows = [{"item": "Portfolio coverage of every KSB", "ready": not gaps,
             "detail": f"{evidenced} of {len(table)} evidenced, {verified} verified"
                       + (f"; gaps: {', '.join(gaps)}" if gaps else "")}]
    labels = {"employer_sign_off": "Employer sign-off", "english_maths": "English and maths",
              "project_proposal": "End-point assessment project proposal"}
    for key in _GATEWAY_FIELDS:
        value = data.get(key, "")
        rows.append({"item": labels[key], "ready": bool(value), "detail": value or "not yet recorded"})
    return rows
