"""Duty 6's output: what engagement produced, finding by finding (``findings.csv``).

One row per finding: what was heard or seen, the theme it belongs to, the
stakeholder it came from, where it was recorded (a workshop of
``engagement.yaml``, a source of ``case.yaml`` or an interview), what it rests
on (a fact id, a source id, or ``inference``) and what it implies for the work.

Quality rules (a workbook design, after the duty's criterion "engage
stakeholders ... to surface and explore the range of perspectives"):

- ``FI-1`` every finding names its stakeholder and its source;
- ``FI-2`` every finding is grouped under a theme;
- ``FI-3`` every finding says what it rests on: a fact, a source, or ``inference``;
- ``FI-4`` the findings hear at least two stakeholders, including the people the system serves;
- ``FI-5`` every finding says what it implies for the work.

Examples
--------
>>> [f.rule for f in check_findings(example_draft_findings())]
['FI-1', 'FI-3', 'FI-4', 'FI-5']
"""

from __future__ import annotations

import csv
import io as textio
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.tables import csv_text, read_csv_rows
from stp_helpers.practice.scoping import Finding, not_yet

__all__ = ["EngagementFinding", "RULES", "COLUMNS", "read_findings", "findings_text", "parse_findings",
           "check_findings", "example_draft_findings", "themes", "case_findings", "findings_markdown"]

RULES = {"FI-1": "stakeholder and source named", "FI-2": "grouped under a theme",
         "FI-3": "rests on a fact, a source or an inference", "FI-4": "two stakeholders, including the people served",
         "FI-5": "what it implies for the work"}
_PEOPLE = re.compile(r"people|residents|families|service users?|lived experience|carers|person", re.I)


class EngagementFinding(BaseModel):
    """One row of ``findings.csv``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    finding: str = Field(min_length=1, description="what was heard or seen, in a sentence")
    theme: str = Field("", description="the theme it belongs to, e.g. 'fragmentation'")
    stakeholder: str = Field("", description="who it came from, e.g. a name of stakeholders.csv")
    source: str = Field("", description="where it was recorded: a workshop id (w1), a source id or 'interview'")
    basis: str = Field("", description="a fact id or source id of case.yaml it rests on, or 'inference'")
    implication: str = Field("", description="what it implies for the models, scope or next step")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_blank(cls, value: object) -> object:
        return "" if value is None else value

    required_columns: ClassVar[tuple[str, ...]] = ("finding", "theme", "stakeholder", "source")


COLUMNS = tuple(EngagementFinding.model_fields)


def read_findings(path: str | Path) -> list[EngagementFinding]:
    """Read and validate ``findings.csv`` (problems name the file, row, column and fix)."""
    return read_csv_rows(path, EngagementFinding)


def findings_text(rows: Sequence[EngagementFinding]) -> str:
    """Return ``findings.csv`` text for the rows (write it with ``case.save_text``)."""
    return csv_text(COLUMNS, [[getattr(r, c) for c in COLUMNS] for r in rows])


def parse_findings(text: str) -> list[EngagementFinding]:
    """Read findings from CSV text (as typed in a form); raise StpError naming the row, the column and the fix.

    >>> parse_findings("finding,theme\\nCrises repeat,fragmentation\\n")[0].theme
    'fragmentation'
    """
    rows = list(csv.DictReader(textio.StringIO(text)))
    unknown = [c for c in (rows[0].keys() if rows else ()) if c not in COLUMNS]
    if unknown:
        raise StpError(f"Unknown column {unknown[0]!r}.", fix=f"Use only these columns: {','.join(COLUMNS)}")
    found = []
    for number, row in enumerate(rows, start=2):
        try:
            found.append(EngagementFinding.model_validate({k: v or "" for k, v in row.items() if k}))
        except ValidationError as err:
            first = err.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else ""
            fix = EngagementFinding.model_fields[column].description if column in COLUMNS else ""
            raise StpError(f"Row {number}, column {column!r}: {first['msg']}.", fix=f"Use {fix}.") from err
    return found


def check_findings(rows: Sequence[EngagementFinding]) -> list[Finding]:
    """Return every quality finding (``FI-1`` to ``FI-5``), in rule order; empty when the findings pass."""
    found: list[Finding] = []
    checks = (
        ("FI-1", lambda r: r.stakeholder and r.source, "no stakeholder or no source.",
         "Say who it came from and where it was recorded (a workshop id, a source id or 'interview')."),
        ("FI-2", lambda r: r.theme, "no theme.", "Group it under a theme, so patterns across stakeholders show."),
        ("FI-3", lambda r: r.basis, "it does not say what it rests on.",
         "Cite the fact or source id, or write 'inference' when it is your reading."),
        ("FI-5", lambda r: r.implication, "it does not say what it implies.",
         "Say what it changes in the models, the scope or the next step."),
    )
    for rule, test, problem, fix in checks:
        bad = [i for i, r in enumerate(rows) if not test(r)]
        if bad:
            found.append(Finding(rule, f"row {bad[0] + 2} ({rows[bad[0]].finding})", problem, fix))
    heard = {r.stakeholder for r in rows if r.stakeholder}
    if len(heard) < 2 or not any(_PEOPLE.search(s) for s in heard):
        found.append(Finding("FI-4", "stakeholder", "fewer than two stakeholders, or none of the people served, "
                             "are heard.", "Record what the people who live with the situation said, not only "
                             "those who run services."))
    return sorted(found, key=lambda f: f.rule)


def example_draft_findings() -> list[EngagementFinding]:
    """A flawed first draft of the Wiltshire workshop's findings, for the exercise (workbook example)."""
    return [
        EngagementFinding(finding="Housing sees the most contacts but cannot act on their causes", theme="fragmentation",
                          stakeholder="Housing services", source="w1", basis="seed-000",
                          implication="Bring housing into the crisis-prevention loop"),
        EngagementFinding(finding="Police time goes on repeat missing-person episodes", theme="crisis demand",
                          stakeholder="Police", source="", basis="missing-person-episodes",
                          implication="Count repeat demand in the model"),
        EngagementFinding(finding="Nobody holds the whole story of one person", theme="fragmentation",
                          stakeholder="Children's services", source="w1", basis=""),
    ]


def themes(rows: Sequence[EngagementFinding]) -> dict[str, list[str]]:
    """The stakeholders heard under each theme, themes in order of first appearance.

    >>> themes(example_draft_findings())["fragmentation"]
    ['Housing services', "Children's services"]
    """
    out: dict[str, list[str]] = {}
    for r in rows:
        heard = out.setdefault(r.theme or "(no theme)", [])
        if r.stakeholder and r.stakeholder not in heard:
            heard.append(r.stakeholder)
    return out


def case_findings(case: Case) -> Markdown:
    """A case's findings grouped by theme, each with its stakeholder and basis, or a note that it has none."""
    if not case.has("findings.csv"):
        return not_yet(case, "findings.csv", ": the activity below starts one")
    rows = case.read("findings.csv")
    facts = {f.id: f.statement for f in case.meta.facts}
    counts = Counter(r.theme for r in rows)
    parts = [md("**{title}**: " + f"{len(rows)} findings under {len(counts)} themes", title=case.meta.title),
             Markdown("")]
    for theme in themes(rows):
        parts.append(md("*{theme}*", theme=theme))
        for r in (r for r in rows if (r.theme or "(no theme)") == theme):
            basis = f"fact {r.basis}: {facts[r.basis]}" if r.basis in facts else (r.basis or "?")
            parts.append(md("- {finding} ({who}, {source}; rests on {basis}). *Implies:* {implies}",
                            finding=r.finding, who=r.stakeholder or "?", source=r.source or "?", basis=basis,
                            implies=r.implication or "?"))
    return join(parts)


def findings_markdown(found: list[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(found, "Every rule (FI-1 to FI-5) passes.")
