"""Duty 2's output: an information plan with its data gaps (``information_plan.csv``).

One row per information need: what is needed and for which model or
decision, its source, who owns it, its quality, the gap, how the gap will be
closed, and whether it holds personal data (and on what lawful basis).

Quality rules (a workbook design, after the duty's criterion "information
plan outlining data sets of acceptable size and quality to develop system
model(s)"):

- ``IP-1`` every need names a source and an owner;
- ``IP-2`` a need with a gap says how the gap will be closed;
- ``IP-3`` a need whose quality is poor or unknown records a gap;
- ``IP-4`` a need holding personal data names a lawful basis (UK GDPR Article 6);
- ``IP-5`` every need says which model or decision it serves.

Examples
--------
>>> need = InformationNeed(need="Contacts per agency", serves="cld", source="", owner="", quality="poor", gap="")
>>> [f.rule for f in check_information_plan([need])]
['IP-1', 'IP-3']
"""

from __future__ import annotations

import csv
import html
import io as textio
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stp_helpers.case import Case
from stp_helpers.display import HTML, Markdown, findings_list, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.tables import csv_text, read_csv_rows
from stp_helpers.practice.scoping import Finding, not_yet

__all__ = ["InformationNeed", "read_information_plan", "information_plan_text", "check_information_plan", "RULES",
           "COLUMNS", "parse_information_plan", "example_draft", "plan_table", "case_plan", "case_findings",
           "basis_notes"]

RULES = {
    "IP-1": "every need names a source and an owner",
    "IP-2": "a gap says how it will be closed",
    "IP-3": "poor or unknown quality records a gap",
    "IP-4": "personal data name a lawful basis",
    "IP-5": "every need says which model or decision it serves",
}


class InformationNeed(BaseModel):
    """One row of ``information_plan.csv``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    need: str = Field(min_length=1, description="what information is needed, e.g. 'contacts per agency per year'")
    serves: str = Field("", description="the model or decision it serves, e.g. 'cld' or 'options appraisal'")
    source: str = Field("", description="where it comes from, e.g. 'police records system'")
    owner: str = Field("", description="who holds it and can release it")
    quality: Literal["good", "fair", "poor", "unknown"] = Field(
        "unknown", description="one of good, fair, poor, unknown")
    gap: str = Field("", description="what is missing or doubtful; leave empty when nothing is")
    action: str = Field("", description="how the gap will be closed, by whom")
    personal_data: Literal["yes", "no"] = Field("no", description="yes when it identifies people, else no")
    lawful_basis: str = Field("", description="UK GDPR Article 6 basis when personal_data is yes, e.g. 'public task'")
    basis: str = Field("", description="a fact id of case.yaml it rests on, or 'inference'")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_blank(cls, value: object) -> object:
        return "" if value is None else value

    required_columns: ClassVar[tuple[str, ...]] = ("need", "source", "owner", "quality", "gap")


COLUMNS = tuple(InformationNeed.model_fields)


def read_information_plan(path: str | Path) -> list[InformationNeed]:
    """Read and validate ``information_plan.csv``.

    Raises
    ------
    CaseFileError
        Every problem with its file, row, column and fix (e.g. a quality of "ok").
    """
    return read_csv_rows(path, InformationNeed)


def information_plan_text(needs: Sequence[InformationNeed]) -> str:
    """Return ``information_plan.csv`` text (write it with ``case.save_text``)."""
    return csv_text(COLUMNS, [[getattr(n, c) for c in COLUMNS] for n in needs])


def check_information_plan(needs: Sequence[InformationNeed]) -> list[Finding]:
    """Return every quality finding (``IP-1`` to ``IP-5``), row by row; empty when the plan passes."""
    found: list[Finding] = []
    for row, need in enumerate(needs, start=2):
        where = f"row {row} ({need.need})"
        if not need.source or not need.owner:
            missing = "source" if not need.source else "owner"
            found.append(Finding("IP-1", where, f"no {missing} is named.",
                                 "Name where the data come from and who can release them."))
        if need.gap and not need.action:
            found.append(Finding("IP-2", where, "the gap has no action to close it.",
                                 "Say how, and by whom, the gap will be closed, or what the model assumes instead."))
        if need.quality in ("poor", "unknown") and not need.gap:
            found.append(Finding("IP-3", where, f"quality is {need.quality} but no gap is recorded.",
                                 "Say what makes the data doubtful or what is missing."))
        if need.personal_data == "yes" and not need.lawful_basis:
            found.append(Finding("IP-4", where, "personal data with no lawful basis.",
                                 "Name the UK GDPR Article 6 basis (and an Article 9 condition for health data)."))
        if not need.serves:
            found.append(Finding("IP-5", where, "it does not say which model or decision it serves.",
                                 "Name the model (cld, model.mdl, vsm) or the decision that needs it."))
    return found


def parse_information_plan(text: str) -> list[InformationNeed]:
    """Read an information plan from CSV text (as typed in a form).

    Raises
    ------
    StpError
        Naming the first bad row, its column and the fix.
    """
    rows = list(csv.DictReader(textio.StringIO(text)))
    unknown = [c for c in (rows[0].keys() if rows else ()) if c not in COLUMNS]
    if unknown:
        raise StpError(f"Unknown column {unknown[0]!r}.", fix=f"Use only these columns: {','.join(COLUMNS)}")
    needs = []
    for number, row in enumerate(rows, start=2):
        try:
            needs.append(InformationNeed.model_validate({k: v or "" for k, v in row.items() if k}))
        except ValidationError as err:
            first = err.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else ""
            fix = InformationNeed.model_fields[column].description if column in InformationNeed.model_fields else ""
            raise StpError(f"Row {number}, column {column!r}: {first['msg']}.", fix=f"Use {fix}.") from err
    return needs


def example_draft() -> list[InformationNeed]:
    """A flawed first draft of an information plan for the Wiltshire thread, for the exercise."""
    return [
        InformationNeed(need="Contacts per agency for people like the woman in the case study", serves="cld",
                        source="Agency case-management systems", owner="", quality="fair",
                        gap="Primary health and refuges not counted", action="Ask each agency through the partnership"),
        InformationNeed(need="Number of similar people in the county", serves="model.mdl",
                        source="Linked agency records", owner="Partnership information governance lead",
                        quality="unknown", gap="", personal_data="yes", lawful_basis="public task"),
        InformationNeed(need="Stories of people who use several services", serves="rich picture",
                        source="Interviews", owner="Practitioner", quality="unknown", gap="None gathered yet",
                        action="Interviews under the engagement plan", personal_data="yes"),
    ]


def plan_table(needs: Sequence[InformationNeed]) -> HTML:
    """The plan as a left-aligned HTML table (escaped once), one row per need."""
    shown = ("need", "serves", "source", "owner", "quality", "gap", "action", "personal_data", "lawful_basis", "basis")
    head = "".join(f'<th style="text-align:left">{html.escape(c)}</th>' for c in shown)
    body = "".join("<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">{html.escape(getattr(n, c))}</td>'
                                    for c in shown) + "</tr>" for n in needs)
    text = "\n".join("; ".join(f"{c}: {getattr(n, c)}" for c in shown if getattr(n, c)) for n in needs)
    return HTML(f'<table class="stp-table" style="font-size:14px"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>", text)


def case_plan(case: Case) -> HTML | Markdown:
    """A case's information plan as a table, or a note that it has none yet."""
    if not case.has("information_plan.csv"):
        return not_yet(case, "information_plan.csv", ": the activity below starts one")
    return plan_table(case.read("information_plan.csv"))


def case_findings(case: Case) -> Markdown:
    """The quality findings of a case's information plan."""
    if not case.has("information_plan.csv"):
        return Markdown("No plan to check yet.")
    found = check_information_plan(case.read("information_plan.csv"))
    return findings_list(found, "Every rule (IP-1 to IP-5) passes.")


def basis_notes(case: Case) -> Markdown:
    """What each need rests on: the fact it cites (quoted), or 'inference'."""
    if not case.has("information_plan.csv"):
        return Markdown("No plan yet.")
    facts = {f.id: f.statement for f in case.meta.facts}
    sources = {s.id: s.title for s in case.meta.sources}
    parts = []
    for need in case.read("information_plan.csv"):
        if need.basis in facts:
            parts.append(md("- {need}: fact {id} ({fact})", need=need.need, id=need.basis, fact=facts[need.basis]))
        elif need.basis in sources:
            parts.append(md("- {need}: source {id} ({title})", need=need.need, id=need.basis,
                            title=sources[need.basis]))
        else:
            parts.append(md("- {need}: *inference*", need=need.need))
    return join(parts)
