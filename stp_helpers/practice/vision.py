"""Duty 10's outputs: a vision (``vision.yaml``) and a communication plan (``communication_plan.csv``).

A vision says, for whom and by when, what success would look like in signs
people could see, and who shares it.  A communication plan says, for each
audience, the message, the channel, which model it draws on and how that
model is translated for the audience (S10), who carries it and when.

Quality rules (a workbook design, after the duty's text "formulate future
vision and develop communication and engagement strategy"):

- ``VI-1`` the vision is a state of the world, not an activity ("implement", "deliver", "roll out");
- ``VI-2`` it names a horizon;
- ``VI-3`` at least two signs of success that could be seen or counted;
- ``VI-4`` it says for whom, including the people the system serves;
- ``VI-5`` it is shared by at least two groups;
- ``CP-1`` every row names an audience, a message and a channel;
- ``CP-2`` every row names the model it draws on and how it is translated for the audience;
- ``CP-3`` the plan reaches the people the system serves;
- ``CP-4`` every row has an owner and a time.

Examples
--------
>>> [f.rule for f in check_vision(Vision(statement="Implement a hub"))]
['VI-1', 'VI-2', 'VI-3', 'VI-4', 'VI-5']
>>> [f.rule for f in check_communication_plan(example_draft_plan())]
['CP-2', 'CP-3', 'CP-4']
"""

from __future__ import annotations

import csv
import io as textio
import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.tables import csv_text, read_csv_rows, read_yaml_model
from stp_helpers.practice.scoping import Claim, Finding, claim_markdown, not_yet, titled

__all__ = ["Vision", "Message", "read_vision", "read_communication_plan", "communication_plan_text", "check_vision",
           "check_communication_plan", "VISION_RULES", "PLAN_RULES", "example_draft_plan", "case_vision",
           "case_plan_markdown", "findings_markdown", "parse_vision", "parse_communication_plan", "vision_text",
           "draft_plan_markdown"]

VISION_RULES = {"VI-1": "a state of the world, not an activity", "VI-2": "a horizon",
                "VI-3": "two signs of success that could be seen", "VI-4": "for whom, including the people served",
                "VI-5": "shared by at least two groups"}
PLAN_RULES = {"CP-1": "audience, message and channel", "CP-2": "the model and how it is translated",
              "CP-3": "reaches the people the system serves", "CP-4": "an owner and a time"}
_ACTIVITY = re.compile(r"^\s*(implement|deliver|roll out|introduce|set up|build|procure)\b", re.I)
_SEEN = re.compile(r"\d|fewer|more|less|reduc|increas|rate|share|count|proportion|measur", re.I)
_PEOPLE = re.compile(r"people|residents|families|children|service users|lived experience|carers", re.I)


class Vision(BaseModel):
    """The contents of ``vision.yaml``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    statement: str = ""
    horizon: str = Field("", description="when, e.g. '2030' or 'within five years'")
    for_whom: list[str] = Field(default_factory=list)
    signs_of_success: list[str] = Field(default_factory=list)
    shared_image: str = Field("", description="an image or story that carries the vision, if any")
    shared_by: list[str] = Field(default_factory=list)
    basis: list[Claim] = Field(default_factory=list)


class Message(BaseModel):
    """One row of ``communication_plan.csv``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    audience: str = Field(min_length=1, description="who it is for, e.g. 'elected members'")
    message: str = Field("", description="what they need to hear, in a sentence")
    channel: str = Field("", description="how it reaches them, e.g. 'briefing', 'drop-in session'")
    model: str = Field("", description="the model or artefact it draws on, e.g. 'cld.csv' or 'model.mdl'")
    translation: str = Field("", description="how the model is put for this audience, e.g. 'one loop as a story'")
    owner: str = Field("", description="who carries it")
    when: str = Field("", description="when, e.g. '2026-03' or 'each quarter'")

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_blank(cls, value: object) -> object:
        return "" if value is None else value

    required_columns: ClassVar[tuple[str, ...]] = ("audience", "message", "channel", "model", "translation")


def read_vision(path: str | Path) -> Vision:
    """Read and validate ``vision.yaml`` (problems name the file, line and fix)."""
    return read_yaml_model(path, Vision)


def read_communication_plan(path: str | Path) -> list[Message]:
    """Read and validate ``communication_plan.csv`` (problems name the file, row, column and fix)."""
    return read_csv_rows(path, Message)


def communication_plan_text(rows: Sequence[Message]) -> str:
    """Return ``communication_plan.csv`` text for the rows."""
    columns = tuple(Message.model_fields)
    return csv_text(columns, [[getattr(r, c) for c in columns] for r in rows])


def check_vision(vision: Vision) -> list[Finding]:
    """Return every quality finding of a vision (``VI-1`` to ``VI-5``)."""
    found = []
    if not vision.statement or _ACTIVITY.match(vision.statement):
        found.append(Finding("VI-1", "statement", "the vision is missing or describes an activity.",
                             "Describe the state of the world you want, not the work that would get there."))
    if not vision.horizon:
        found.append(Finding("VI-2", "horizon", "no horizon is named.", "Say by when, even roughly."))
    if sum(bool(_SEEN.search(s)) for s in vision.signs_of_success) < 2:
        found.append(Finding("VI-3", "signs_of_success", "fewer than two signs of success could be seen or counted.",
                             "Add what people would see, or what would be counted, if the vision came true."))
    if not any(_PEOPLE.search(w) for w in vision.for_whom):
        found.append(Finding("VI-4", "for_whom", "it does not name the people the system serves.",
                             "Say whose lives would be different, not only which organisations."))
    if len(vision.shared_by) < 2:
        found.append(Finding("VI-5", "shared_by", "fewer than two groups share it.",
                             "Record who has taken the vision up, beyond the sponsor."))
    return found


def check_communication_plan(rows: Sequence[Message]) -> list[Finding]:
    """Return every quality finding of a communication plan (``CP-1`` to ``CP-4``), in rule order."""
    found: list[Finding] = []
    for rule, test, problem, fix in (
        ("CP-1", lambda r: r.message and r.channel, "no message or channel.", "Say what they need to hear, and how."),
        ("CP-2", lambda r: r.model and r.translation, "no model, or no translation for the audience.",
         "Name the model it draws on and how you put it for them (a story, one loop, a chart with a finding)."),
        ("CP-4", lambda r: r.owner and r.when, "no owner or no time.", "Name who carries it, and when."),
    ):
        bad = [i for i, r in enumerate(rows, start=2) if not test(r)]
        if bad:
            found.append(Finding(rule, f"row {bad[0]} ({rows[bad[0] - 2].audience})", problem, fix))
    if not any(_PEOPLE.search(r.audience) for r in rows):
        found.append(Finding("CP-3", "audience", "no row reaches the people the system serves.",
                             "Add them as an audience, with a channel that reaches them."))
    return sorted(found, key=lambda f: f.rule)


def example_draft_plan() -> list[Message]:
    """A flawed first draft of a communication plan for the Wiltshire thread, for the exercise."""
    return [
        Message(audience="Cabinet members", message="Early help pays for itself within three years",
                channel="Committee report", model="model.mdl", translation="", owner="Director", when="2026-03"),
        Message(audience="Agency leaders", message="Crisis work crowds out prevention",
                channel="Partnership board", model="cld.csv", translation="The R2 loop told as one family's year",
                owner="Practitioner", when=""),
    ]


def case_vision(case: Case) -> Markdown:
    """A case's vision with its basis (fact, source or inference), or a note that it has none."""
    if not case.has("vision.yaml"):
        return not_yet(case, "vision.yaml")
    vision = case.read("vision.yaml")
    facts = {f.id: f.statement for f in case.meta.facts}
    rows = [("Horizon", vision.horizon or "(none yet)"), ("For whom", "; ".join(vision.for_whom) or "(none yet)"),
            ("Signs of success", "; ".join(vision.signs_of_success) or "(none yet)"),
            ("Shared image", vision.shared_image or "(none)"), ("Shared by", "; ".join(vision.shared_by) or "(none yet)")]
    parts = [md("> {statement}", statement=vision.statement), Markdown("")]
    parts += [md("- **" + label + ":** {value}", value=value) for label, value in rows]
    if vision.basis:
        parts += [Markdown(""), Markdown("**What it rests on:**")]
        parts += [claim_markdown(claim, facts) for claim in vision.basis]
    return titled(case, join(parts))


def case_plan_markdown(case: Case) -> Markdown:
    """A case's communication plan, one line per audience, or a note that it has none."""
    if not case.has("communication_plan.csv"):
        return not_yet(case, "communication_plan.csv")
    return plan_markdown(case.read("communication_plan.csv"))


def plan_markdown(rows: Sequence[Message]) -> Markdown:
    """A communication plan, one line per audience, each piece of case text escaped once."""
    return join(md("- **{audience}** via {channel}: {message} *(model: {model}; translated as: {translation}; "
                   "{owner}, {when})*", audience=r.audience, channel=r.channel or "?", message=r.message,
                   model=r.model or "?", translation=r.translation or "?", owner=r.owner or "?", when=r.when or "?")
                for r in rows)


def findings_markdown(findings: list[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(findings, "Every rule passes.")


def vision_text(vision: Vision) -> str:
    """Return ``vision.yaml`` text for a vision."""
    return "# vision.yaml (duty 10). Check: stp check-case\n" + yaml.safe_dump(
        vision.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True, width=100)


def parse_vision(text: str) -> Vision:
    """Read a vision from YAML text (as typed in a form); raise StpError naming the field and the fix."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise StpError("The vision is not valid YAML.",
                       fix="Check the indentation and that every 'key: value' has a space after the colon.") from err
    if not isinstance(data, dict):
        raise StpError("The vision should hold 'key: value' fields.", fix="Start from the template.")
    try:
        return Vision.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        raise StpError(f"Field {'.'.join(str(p) for p in first['loc'])!r}: {first['msg']}.",
                       fix="Compare it with the template's fields.") from err


def parse_communication_plan(text: str) -> list[Message]:
    """Read a communication plan from CSV text; raise StpError naming the row, the column and the fix."""
    rows = list(csv.DictReader(textio.StringIO(text)))
    unknown = [c for c in (rows[0].keys() if rows else ()) if c not in Message.model_fields]
    if unknown:
        raise StpError(f"Unknown column {unknown[0]!r}.", fix=f"Use only these columns: {','.join(Message.model_fields)}")
    plan = []
    for number, row in enumerate(rows, start=2):
        try:
            plan.append(Message.model_validate({k: v or "" for k, v in row.items() if k}))
        except ValidationError as err:
            first = err.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else ""
            raise StpError(f"Row {number}, column {column!r}: {first['msg']}.", fix="Fill in who it is for.") from err
    return plan


def draft_plan_markdown() -> Markdown:
    """The exercise's flawed draft communication plan, one line per audience."""
    return plan_markdown(example_draft_plan())
