"""Duty 3's output: the approach and how it changed, iteration by iteration (``iteration_log.csv``).

One row per iteration: its number, when, the approach (methods) used, with
whom it was co-developed, what changed in the scope, approach or plan, why
(the data or insight that prompted it), and the next step.

Quality rules (a workbook design, after the duty's criterion "co-developed,
structured, outline plan ... multiple iterations adapted to meet changing
needs and insights"):

- ``IL-1`` iterations are numbered 1, 2, 3 … in order;
- ``IL-2`` each iteration names its approach and with whom it was co-developed;
- ``IL-3`` each iteration after the first says what changed and why;
- ``IL-4`` there are at least two iterations;
- ``IL-5`` each iteration names a next step.

Examples
--------
>>> [f.rule for f in check_iteration_log(example_draft_log())]
['IL-2', 'IL-3', 'IL-5']
"""

from __future__ import annotations

import csv
import io as textio
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.tables import csv_text, read_csv_rows
from stp_helpers.practice.scoping import Finding, not_yet, titled

__all__ = ["Iteration", "RULES", "read_iteration_log", "iteration_log_text", "parse_iteration_log",
           "check_iteration_log", "example_draft_log", "case_log", "log_markdown", "findings_markdown"]

RULES = {"IL-1": "iterations numbered in order", "IL-2": "approach and co-developers named",
         "IL-3": "what changed and why, after the first", "IL-4": "at least two iterations", "IL-5": "a next step"}


class Iteration(BaseModel):
    """One row of ``iteration_log.csv``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    iteration: int = Field(ge=1, description="a whole number: 1 for the first iteration, then 2, 3 …")
    when: str = Field("", description="when it happened, e.g. '2026-03' or '2015'")
    approach: str = Field("", description="the methods used, e.g. 'rich picture; CLD'")
    with_whom: str = Field("", description="who co-developed it, e.g. 'partner agencies; people with lived experience'")
    what_changed: str = Field("", description="what changed in the scope, approach or plan")
    why: str = Field("", description="the data or insight that prompted the change")
    next: str = Field("", description="the next step")
    basis: str = Field("", description="a fact id of case.yaml it rests on, or 'inference'")

    @field_validator("when", "approach", "with_whom", "what_changed", "why", "next", "basis", mode="before")
    @classmethod
    def _empty_is_blank(cls, value: object) -> object:
        return "" if value is None else value

    required_columns: ClassVar[tuple[str, ...]] = ("iteration", "approach", "with_whom", "what_changed", "why")


def read_iteration_log(path: str | Path) -> list[Iteration]:
    """Read and validate ``iteration_log.csv`` (problems name the file, row, column and fix)."""
    return read_csv_rows(path, Iteration)


def iteration_log_text(rows: Sequence[Iteration]) -> str:
    """Return ``iteration_log.csv`` text for the rows."""
    columns = tuple(Iteration.model_fields)
    return csv_text(columns, [[getattr(r, c) for c in columns] for r in rows])


def parse_iteration_log(text: str) -> list[Iteration]:
    """Read a log from CSV text (as typed in a form); raise StpError naming the row, the column and the fix."""
    rows = list(csv.DictReader(textio.StringIO(text)))
    unknown = [c for c in (rows[0].keys() if rows else ()) if c not in Iteration.model_fields]
    if unknown:
        raise StpError(f"Unknown column {unknown[0]!r}.", fix=f"Use only these columns: {','.join(Iteration.model_fields)}")
    log = []
    for number, row in enumerate(rows, start=2):
        try:
            log.append(Iteration.model_validate({k: v or None for k, v in row.items() if k}))
        except ValidationError as err:
            first = err.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else ""
            fix = Iteration.model_fields[column].description if column in Iteration.model_fields else ""
            raise StpError(f"Row {number}, column {column!r}: {first['msg']}.", fix=f"Use {fix}.") from err
    return log


def check_iteration_log(rows: Sequence[Iteration]) -> list[Finding]:
    """Return every quality finding (``IL-1`` to ``IL-5``), in rule order; empty when the log passes."""
    found: list[Finding] = []
    numbers = [r.iteration for r in rows]
    if numbers != list(range(1, len(rows) + 1)):
        found.append(Finding("IL-1", "iteration", f"the iterations read {numbers}.", "Number them 1, 2, 3 … in order."))
    checks = (
        ("IL-2", lambda i, r: r.approach and r.with_whom, "no approach or no co-developers.",
         "Name the methods used and who shaped them with you."),
        ("IL-3", lambda i, r: i == 0 or (r.what_changed and r.why), "it does not say what changed and why.",
         "Say what changed in the scope, approach or plan, and what prompted it."),
        ("IL-5", lambda i, r: r.next, "no next step.", "Say what comes next."),
    )
    for rule, test, problem, fix in checks:
        bad = [i for i, r in enumerate(rows) if not test(i, r)]
        if bad:
            found.append(Finding(rule, f"row {bad[0] + 2} (iteration {rows[bad[0]].iteration})", problem, fix))
    if len(rows) < 2:
        found.append(Finding("IL-4", "iteration", "fewer than two iterations are logged.",
                             "Log each time the approach, scope or plan changed."))
    return sorted(found, key=lambda f: f.rule)


def example_draft_log() -> list[Iteration]:
    """A flawed first draft of an iteration log for the Wiltshire thread, for the exercise."""
    return [
        Iteration(iteration=1, approach="Agency contact count", with_whom="Council analysts",
                  next="Draw a causal loop diagram"),
        Iteration(iteration=2, approach="Causal loop diagram", with_whom="", what_changed="Added the prevention loop",
                  why="", next="Build a stock-and-flow model"),
        Iteration(iteration=3, approach="Stock-and-flow model", with_whom="Partner agencies",
                  what_changed="From one person to the population at risk",
                  why="Partners asked how many similar people there are"),
    ]


def log_markdown(rows: Sequence[Iteration]) -> Markdown:
    """A log as Markdown, one paragraph per iteration."""
    return join(md("- **Iteration {n}** ({when}): {approach}, with {who}. *Changed:* {changed}. *Why:* {why}. "
                   "*Next:* {next}. *Basis:* {basis}", n=r.iteration, when=r.when or "date not recorded",
                   approach=r.approach or "?", who=r.with_whom or "?", changed=r.what_changed or "(first iteration)",
                   why=r.why or "?", next=r.next or "?", basis=r.basis or "?") for r in rows)


def case_log(case: Case) -> Markdown:
    """A case's iteration log, or a note that it has none."""
    if not case.has("iteration_log.csv"):
        return not_yet(case, "iteration_log.csv")
    return titled(case, log_markdown(case.read("iteration_log.csv")))


def findings_markdown(findings: list[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(findings, "Every rule (IL-1 to IL-5) passes.")
