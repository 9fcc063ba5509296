"""Duty 1's output: a scoping statement agreed with decision-makers (``scoping.yaml``).

A scoping statement names the client, the decision-makers it was agreed
with, the purpose (the question the work answers), the boundary (what is in
and what is out), the success criteria, the constraints and who else will
take part, and records when and by whom it was agreed.  Each claim cites a
fact of the case or is marked as an inference.

Quality rules (a workbook design, after the duty's criterion "clear, agreed
scoping statements and contracting with key decision-makers, that embrace a
holistic, multi-stakeholder approach"):

- ``SC-1`` a client and at least one decision-maker are named;
- ``SC-2`` the purpose is a question or aim of at least six words, and does not
  start from a solution ("implement", "roll out", "procure", "deliver the");
- ``SC-3`` the boundary lists at least one thing in and one thing out;
- ``SC-4`` at least one success criterion, each saying how it would be seen
  (a number, "measured", "fewer", "more", "less", "reduce", "increase" …);
- ``SC-5`` at least one constraint;
- ``SC-6`` at least two perspectives take part, including people with lived
  experience of the situation;
- ``SC-7`` it is agreed: by whom and on what date.

Examples
--------
>>> statement = ScopingStatement(client="Council", decision_makers=["Director"], purpose="Roll out a hub",
...                              boundary=Boundary(inside=["housing"], outside=[]), success_criteria=[],
...                              constraints=[], participants=["officers"])
>>> [f.rule for f in check_scoping(statement)]
['SC-2', 'SC-3', 'SC-4', 'SC-5', 'SC-6', 'SC-7']
>>> print(check_scoping(statement)[0])
SC-2 purpose: it starts from a solution ('roll out'). Ask the question the solution was meant to answer.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import RuleFinding, StpError
from stp_helpers.io.parse import parse_yaml
from stp_helpers.io.tables import read_yaml_model

__all__ = ["Claim", "Boundary", "Agreement", "ScopingStatement", "Finding", "read_scoping", "scoping_text",
           "check_scoping", "RULES", "example_draft", "parse_scoping", "statement_markdown",
           "case_statement", "findings_markdown", "claim_markdown", "titled", "not_yet"]

#: The quality rules, by id.
RULES = {
    "SC-1": "a client and at least one decision-maker are named",
    "SC-2": "the purpose is a question or aim, not a solution",
    "SC-3": "the boundary says what is in and what is out",
    "SC-4": "each success criterion says how it would be seen",
    "SC-5": "the constraints are named",
    "SC-6": "several perspectives take part, including lived experience",
    "SC-7": "it is agreed, by whom and when",
}
_SOLUTION = re.compile(r"^\s*(implement|roll out|procure|deliver the|introduce|set up|build)\b", re.I)
_SEEN = re.compile(r"\d|measur|fewer|more|less|reduc|increas|rate|share|count|proportion", re.I)
_LIVED = re.compile(r"lived experience|people using|service users?|residents|families|people who use", re.I)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Claim(_Strict):
    """A statement of the exemplar with its basis: a fact id of the case, or an inference."""

    text: str = Field(min_length=1)
    fact: str | None = Field(None, description="the id of a fact in case.yaml that supports it")
    source: str | None = Field(None, description="the id of a source in case.yaml that states it")
    inference: bool = Field(False, description="true when it is the practitioner's reading, not a source's claim")


class Boundary(_Strict):
    """What the work takes in and what it leaves out."""

    inside: list[str] = Field(default_factory=list)
    outside: list[str] = Field(default_factory=list)


class Agreement(_Strict):
    """Who agreed the statement, and when."""

    by: str = Field(min_length=1)
    date: dt.date | None = Field(None, description="the date of agreement, YYYY-MM-DD")


class ScopingStatement(_Strict):
    """The contents of ``scoping.yaml``."""

    client: str = ""
    decision_makers: list[str] = Field(default_factory=list)
    purpose: str = ""
    boundary: Boundary = Field(default_factory=Boundary)
    success_criteria: list[str] = Field(default_factory=list)
    constraints: list[str] = Field(default_factory=list)
    participants: list[str] = Field(default_factory=list)
    agreed: Agreement | None = None
    basis: list[Claim] = Field(default_factory=list, description="the claims the statement rests on")


#: A quality finding: the rule, the field, what is wrong and how to fix it.
Finding = RuleFinding


def read_scoping(path: str | Path) -> ScopingStatement:
    """Read and validate ``scoping.yaml``.

    Raises
    ------
    CaseFileError
        Every problem, with the file, the line of the field and the fix.
    """
    return read_yaml_model(path, ScopingStatement)


def scoping_text(statement: ScopingStatement) -> str:
    """Return ``scoping.yaml`` text for a statement (write it with ``case.save_text``).

    >>> print(scoping_text(ScopingStatement(client="Council")).splitlines()[1])
    client: Council
    """
    data = statement.model_dump(mode="json", exclude_none=True)
    header = "# scoping.yaml: the scoping statement agreed with decision-makers (duty 1). Check: stp check-case\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def check_scoping(statement: ScopingStatement) -> list[Finding]:
    """Return every quality finding (rules ``SC-1`` to ``SC-7``), in rule order; empty when it passes."""
    found: list[Finding] = []
    if not statement.client or not statement.decision_makers:
        found.append(Finding("SC-1", "client" if not statement.client else "decision_makers",
                             "the client or the decision-makers are not named.",
                             "Name who commissions the work and who must agree its scope."))
    solution = _SOLUTION.match(statement.purpose)
    if len(statement.purpose.split()) < 6:
        found.append(Finding("SC-2", "purpose", "the purpose is missing or too short to guide the work.",
                             "Write the question the work answers, in a sentence."))
    elif solution:
        found.append(Finding("SC-2", "purpose", f"it starts from a solution ({solution.group(1).lower()!r}).",
                             "Ask the question the solution was meant to answer."))
    if solution and len(statement.purpose.split()) < 6:
        found[-1] = Finding("SC-2", "purpose", f"it starts from a solution ({solution.group(1).lower()!r}).",
                            "Ask the question the solution was meant to answer.")
    if not statement.boundary.inside or not statement.boundary.outside:
        side = "inside" if not statement.boundary.inside else "outside"
        found.append(Finding("SC-3", f"boundary.{side}", f"nothing is listed {side} the boundary.",
                             "Say what the work takes in and, as plainly, what it leaves out."))
    if not statement.success_criteria:
        found.append(Finding("SC-4", "success_criteria", "no success criterion is given.",
                             "Say how the decision-makers would know the work had helped."))
    else:
        vague = [c for c in statement.success_criteria if not _SEEN.search(c)]
        if vague:
            found.append(Finding("SC-4", "success_criteria", f"{vague[0]!r} does not say how it would be seen.",
                                 "Add what would be counted or observed, and roughly when."))
    if not statement.constraints:
        found.append(Finding("SC-5", "constraints", "no constraint is named.",
                             "Name the time, money, data, legal or political limits the work takes as given."))
    if len(statement.participants) < 2 or not any(_LIVED.search(p) for p in statement.participants):
        found.append(Finding("SC-6", "participants", "fewer than two perspectives, or no lived experience, take part.",
                             "Add the people who live with the situation, not only those who run services."))
    if statement.agreed is None:
        found.append(Finding("SC-7", "agreed", "the statement is not yet agreed.",
                             "Record who agreed it and the date, once they have."))
    elif statement.agreed.date is None:
        found.append(Finding("SC-7", "agreed.date", "no date of agreement is recorded.",
                             "Add the date the decision-makers agreed it."))
    return found


def parse_scoping(text: str) -> ScopingStatement:
    """Read a scoping statement from YAML text (as typed in a form).

    Raises
    ------
    StpError
        When the text is not YAML or a field is wrong, saying which and how to fix it.
    """
    data = parse_yaml(text, "The scoping statement")[0] or {}  # no aliases, bounded depth, with the line
    if not isinstance(data, dict):
        raise StpError("The scoping statement should hold 'key: value' fields.", fix="Start from the template.")
    try:
        return ScopingStatement.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StpError(f"Field {where!r}: {first['msg']}.", fix="Compare it with the template's fields.") from err


def example_draft() -> ScopingStatement:
    """A flawed first draft for the Wiltshire thread, for the exercise (workbook example)."""
    return ScopingStatement(
        client="Wiltshire Council", decision_makers=["Director of adult services"],
        purpose="Implement a multi-agency hub for people with complex needs across Wiltshire",
        boundary=Boundary(inside=["housing", "police", "children's services"], outside=[]),
        success_criteria=["Better joined-up working between agencies"],
        constraints=["No new money this year"], participants=["Council officers"])


def claim_markdown(claim: Claim, facts: dict[str, str] | None = None) -> Markdown:
    """One claim with what it rests on: a fact (quoted when known), a source, or 'inference'.

    Case text is escaped once (:func:`stp_helpers.display.md`).

    >>> claim_markdown(Claim(text="Costs <rise>", fact="f1"), {"f1": "65% of spend"}).text
    '- Costs &lt;rise&gt; *(fact `f1`: 65% of spend)*'
    """
    facts = facts or {}
    if claim.fact and claim.fact in facts:
        return md("- {text} *(fact `{id}`: {fact})*", text=claim.text, id=claim.fact, fact=facts[claim.fact])
    if claim.fact:
        return md("- {text} *(fact `{id}`)*", text=claim.text, id=claim.fact)
    if claim.source:
        return md("- {text} *(source `{id}`)*", text=claim.text, id=claim.source)
    return md("- {text} *(inference)*", text=claim.text)


def titled(case: Case, body: Markdown) -> Markdown:
    """A case's title in bold above a body (the title escaped once)."""
    return join([md("**{title}**", title=case.meta.title), body], sep="\n\n")


def not_yet(case: Case, file_name: str, more: str = "") -> Markdown:
    """A line saying the case has no such artefact yet (the title escaped once)."""
    return md("*{title} has no {name} yet" + more + ".*", title=case.meta.title, name=file_name)


def statement_markdown(statement: ScopingStatement, facts: dict[str, str] | None = None) -> Markdown:
    """A scoping statement as Markdown, its basis listed with each claim's fact or 'inference'."""
    def listed(items: list[str]) -> str:
        return "; ".join(items) if items else "(none yet)"
    agreed = "not yet agreed"
    if statement.agreed:
        agreed = statement.agreed.by + (f", {statement.agreed.date.isoformat()}" if statement.agreed.date else
                                        " (no date recorded)")
    rows = [("Client", statement.client or "(none yet)"), ("Decision-makers", listed(statement.decision_makers)),
            ("Purpose", statement.purpose or "(none yet)"), ("Inside the boundary", listed(statement.boundary.inside)),
            ("Outside the boundary", listed(statement.boundary.outside)),
            ("Success criteria", listed(statement.success_criteria)), ("Constraints", listed(statement.constraints)),
            ("Taking part", listed(statement.participants)), ("Agreed", agreed)]
    parts = [md("- **" + label + ":** {value}", value=value) for label, value in rows]
    if statement.basis:
        parts += [Markdown(""), Markdown("**What it rests on:**")]
        parts += [claim_markdown(claim, facts) for claim in statement.basis]
    return join(parts)


def case_statement(case: Case) -> Markdown:
    """A case's scoping statement with each claim's fact quoted, or a note that it has none yet."""
    if not case.has("scoping.yaml"):
        return not_yet(case, "scoping.yaml", ": the activity below starts one")
    facts = {f.id: f.statement for f in case.meta.facts}
    return titled(case, statement_markdown(case.read("scoping.yaml"), facts))


def findings_markdown(findings: list[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(findings, "Every rule (SC-1 to SC-7) passes.")
