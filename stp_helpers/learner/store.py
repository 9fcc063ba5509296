"""The learner's portfolio store: evidence items, KSB claims and verification, in one JSON file.

The store lives in the learner's folder (``<progress>/<learner>-portfolio/``):
``portfolio.json`` and ``files/`` for attachments.  Every save is atomic and
locked.  A verification is kept beside its item with the item's digest; an
edit changes the digest, which clears the verification.

Examples
--------
>>> import tempfile
>>> store = PortfolioStore("ada", root=tempfile.mkdtemp())
>>> item = store.add_engagement("Loop workshop", "Twelve staff from four agencies drew the "
...     "referral loops together and agreed which delay to measure first at the next meeting.", "hub staff")
>>> store.claim(item, "S5", "I ran the workshop so the agencies built the diagram together.")
>>> store.coverage().set_index("ksb").loc["S5", ["evidenced", "verified"]].tolist()
[True, False]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from stp_helpers import paths
from stp_helpers.errors import StpError
from stp_helpers.io.atomic import locked, write_atomic, write_error
from stp_helpers.io.parse import parse_json, read_limited
from stp_helpers.learner import evidence
from stp_helpers.learner.progress import LEARNER_PATTERN, ProgressStore
from stp_helpers.standard import KSB_IDS, load_standard

__all__ = ["VERIFICATION_STATES", "PortfolioStore", "digest"]

#: What a tutor or employer may say of an item.
VERIFICATION_STATES = ("verified", "needs more")
_VERSION = 1
_FIELDS = ("kind", "title", "date", "description", "link", "content", "claims")


def digest(item: dict[str, Any]) -> str:
    """Return the content digest of an item (what a verification was given to).

    Examples
    --------
    >>> digest({"title": "a"}) == digest({"title": "a", "verification": {"status": "verified"}})
    True
    """
    body = {k: item.get(k) for k in _FIELDS}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _today() -> str:
    return dt.date.today().isoformat()


def _date(value: str | dt.date | None) -> str:
    if value is None:
        return _today()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise StpError(f"{value!r} is not a date.", fix="Write it as YYYY-MM-DD, e.g. 2026-03-14.") from None


class PortfolioStore:
    """A learner's evidence items, claims, verification, off-the-job log, reviews and gateway.

    Parameters
    ----------
    learner : str
        A short name, as for :class:`~stp_helpers.learner.progress.ProgressStore`.
    root : path, optional
        The folder holding learners' records (default :func:`stp_helpers.paths.progress_dir`).
    """

    def __init__(self, learner: str, root: str | os.PathLike[str] | None = None) -> None:
        if not isinstance(learner, str) or not re.fullmatch(LEARNER_PATTERN, learner):
            raise StpError(f"{learner!r} is not a usable learner name.",
                           fix="Use letters, digits, '.', '_' or '-', e.g. 'ada' or 'a.lovelace'.")
        self.learner = learner
        self.root = Path(root) if root is not None else paths.progress_dir()
        self.folder = self.root / f"{learner}-portfolio"
        self.path = self.folder / "portfolio.json"
        self.files = self.folder / "files"
        try:
            self.files.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise write_error(self.path, err) from err

    # -- reading and writing -------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        """Return the whole record (items, log, reviews, gateway)."""
        empty = {"version": _VERSION, "learner": self.learner, "items": [], "log": [], "reviews": [],
                 "planned_hours": None, "gateway": {}}
        if not self.path.exists():
            return empty
        data = parse_json(read_limited(self.path).decode("utf-8"), paths.relative(self.path))
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise StpError(f"{paths.relative(self.path)} is not a portfolio file.",
                           fix="Move it aside to start a new portfolio.")
        return {**empty, **data}

    def update_record(self, change: Any) -> Any:
        """Apply ``change`` to the whole record under the lock and save it atomically; return its result."""
        with locked(self.path):
            data = self.load()
            result = change(data)
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        return result

    def progress(self) -> ProgressStore:
        """The learner's exercise record, in the same root."""
        return ProgressStore(self.learner, root=self.root)

    # -- items ----------------------------------------------------------------------------
    def _add(self, item: dict[str, Any], date: str | dt.date | None) -> str:
        item = {**item, "date": _date(date), "claims": [], "verification": None}

        def add(data: dict[str, Any]) -> str:
            number = 1 + max((int(i["id"][1:]) for i in data["items"]), default=0)
            item["id"] = f"E{number}"
            item["digest"] = digest(item)
            data["items"].append(item)
            return item["id"]
        return self.update_record(add)

    def items(self) -> list[dict[str, Any]]:
        """Every item, oldest first; a verification whose digest no longer matches is dropped."""
        out = []
        for item in self.load()["items"]:
            ver = item.get("verification")
            if ver and ver.get("digest") != digest(item):
                item = {**item, "verification": None}
            out.append(item)
        return out

    def item(self, item_id: str) -> dict[str, Any]:
        """The item with this id."""
        for item in self.items():
            if item["id"] == item_id:
                return item
        raise StpError(f"There is no evidence item {item_id!r}.", fix="Use an id from the portfolio's list (E1, E2, …).")

    def add_artefact(self, case_folder: str | Path, file_name: str, *, date: str | None = None) -> str:
        """Add an artefact of one of your cases (only what differs from its origin counts)."""
        return self._add(evidence.artefact_item(case_folder, file_name), date)

    def add_case(self, case_folder: str | Path, *, date: str | None = None) -> list[str]:
        """Add every artefact of a case that differs from its origin; return the new ids (none for an untouched copy)."""
        added = []
        for path in sorted(Path(case_folder).iterdir()):
            if path.is_file() and path.name != "case.yaml" and not path.name.startswith("."):
                try:
                    added.append(self.add_artefact(case_folder, path.name, date=date))
                except StpError:
                    continue  # identical to its origin: not the learner's work
        return added

    def add_exercise(self, notebook: str, exercise: str, prediction: str, *, date: str | None = None) -> str:
        """Add an exercise passed in the progress record, with your prediction."""
        rows = self.progress().summary().to_dict("records")
        item = evidence.exercise_item(rows, notebook, exercise, prediction)
        return self._add(item, date)

    def add_reflection(self, stages: dict[str, str], model: str = "gibbs", *, title: str = "Reflection",
                       date: str | None = None) -> str:
        """Add a structured reflection; refused with reasons unless it meets the minimum checks."""
        known = tuple(i["title"] for i in self.items())
        return self._add(evidence.reflection_item(stages, model, title=title, known_evidence=known), date)

    def add_engagement(self, title: str, what_happened: str, participants: str, *, link: str = "",
                       date: str | None = None) -> str:
        """Add a workshop or engagement record."""
        return self._add(evidence.engagement_item(title, what_happened, participants, link=link), date)

    def attach(self, data: bytes, name: str, description: str, *, date: str | None = None) -> str:
        """Attach a workplace file (PDF, PNG, JPEG or SVG, at most 5 MB), stored in the learner's folder."""
        kind = evidence.attachment_kind(data, name)
        if not description.strip():
            raise StpError("Say what the attached file is.", fix="Add a short description, then attach again.")
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[:80]
        stored = self.files / f"{hashlib.sha256(bytes(data)).hexdigest()[:10]}-{safe}"
        write_atomic(stored, bytes(data))
        return self._add({"kind": "attachment", "title": Path(name).name, "description": description.strip(),
                          "link": f"files/{stored.name}", "content": {"file": stored.name, "type": kind,
                                                                      "bytes": len(data)},
                          "tags": list(evidence.named_ksbs(description))}, date)

    def edit(self, item_id: str, **changes: Any) -> None:
        """Change an item's title, date, description or link; a verification given before is cleared."""
        allowed = {"title", "date", "description", "link"}
        if set(changes) - allowed:
            raise StpError(f"Only {', '.join(sorted(allowed))} can be edited.", fix="Add a new item for new work.")
        if "date" in changes:
            changes["date"] = _date(changes["date"])
        self._update(item_id, lambda item: item.update(changes))

    def _update(self, item_id: str, change: Any) -> None:
        def update(data: dict[str, Any]) -> None:
            for item in data["items"]:
                if item["id"] == item_id:
                    before = item.get("digest")
                    change(item)
                    item["digest"] = digest(item)
                    if item["digest"] != before and item.get("verification"):
                        item["verification"] = None
                        item.setdefault("history", []).append(f"{_today()}: changed, verification cleared")
                    return
            raise StpError(f"There is no evidence item {item_id!r}.", fix="Use an id from the portfolio's list.")
        self.update_record(update)

    # -- claims ---------------------------------------------------------------------------
    def suggest_claims(self, item_id: str) -> list[str]:
        """KSBs the workbook suggests for an item, from its tags (never counted until claimed)."""
        item = self.item(item_id)
        claimed = {c["ksb"] for c in item["claims"]}
        return [k for k in item.get("tags", []) if k not in claimed]

    def claim(self, item_id: str, ksb: str, sentence: str) -> None:
        """Confirm a claim: this item shows ``ksb``, in one sentence saying how."""
        ksb_id = load_standard().ksb(ksb).id
        text = " ".join(str(sentence).split())
        if len(text.split()) < 6 or len(re.findall(r"[.!?](?:\s|$)", text)) > 1:
            raise StpError(f"The claim for {ksb_id} needs one sentence of six words or more.",
                           fix="Say in one sentence how this item shows the KSB.")

        def add(item: dict[str, Any]) -> None:
            item["claims"] = [c for c in item["claims"] if c["ksb"] != ksb_id] + [{"ksb": ksb_id, "sentence": text}]
        self._update(item_id, add)

    def unclaim(self, item_id: str, ksb: str) -> None:
        """Withdraw a claim."""
        self._update(item_id, lambda item: item.update(claims=[c for c in item["claims"] if c["ksb"] != ksb]))

    # -- verification ---------------------------------------------------------------------
    def verify(self, item_id: str, status: str, name: str, comment: str, *, date: str | None = None) -> None:
        """Record a tutor's or employer's verdict on an item: ``"verified"`` or ``"needs more"``."""
        if status not in VERIFICATION_STATES:
            raise StpError(f"{status!r} is not a verdict.", fix="Use 'verified' or 'needs more'.")
        if not name.strip() or not comment.strip():
            raise StpError("A verification needs the verifier's name and a comment.", fix="Fill both, then save again.")
        when = _date(date)

        def mark(data: dict[str, Any]) -> None:
            for item in data["items"]:
                if item["id"] == item_id:
                    item["verification"] = {"status": status, "name": name.strip(), "date": when,
                                            "comment": comment.strip(), "digest": digest(item)}
                    return
            raise StpError(f"There is no evidence item {item_id!r}.", fix="Use an id from the portfolio's list.")
        self.update_record(mark)

    # -- coverage -------------------------------------------------------------------------
    def coverage(self) -> pd.DataFrame:
        """One row per KSB: evidenced (a confirmed claim), verified (by a verified item), the items, the gap."""
        std = load_standard()
        rows = []
        items = self.items()
        for ksb in std.ksbs:
            claimed = [i for i in items if any(c["ksb"] == ksb.id for c in i["claims"])]
            verified = [i for i in claimed if (i.get("verification") or {}).get("status") == "verified"]
            gap = ("no evidence claimed" if not claimed else
                   "claimed, not yet verified" if not verified else "")
            rows.append({"ksb": ksb.id, "title": ksb.title, "evidenced": bool(claimed), "verified": bool(verified),
                         "items": ", ".join(i["id"] for i in claimed),
                         "verified_items": ", ".join(i["id"] for i in verified), "gap": gap})
        return pd.DataFrame(rows, columns=["ksb", "title", "evidenced", "verified", "items", "verified_items", "gap"])

    def coverage_line(self) -> str:
        """One sentence: how many KSBs are evidenced and verified, and the gaps by name."""
        table = self.coverage()
        gaps = table.loc[~table["evidenced"], "ksb"].tolist()
        return (f"{int(table['evidenced'].sum())} of {len(KSB_IDS)} KSBs evidenced by confirmed claims, "
                f"{int(table['verified'].sum())} verified. "
                + (f"Gaps: {', '.join(gaps)}." if gaps else "No gaps."))
