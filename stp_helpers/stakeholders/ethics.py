"""Ethics of intervention: value conflicts, an engagement checklist and a personal-details scan (duty 11).

A case's ``ethics.yaml`` records value conflicts (methods.md §5.4): the CSH
question (or ``W`` for two root definitions' worldviews) on which two or more
parties' "ought" answers cannot both be honoured, each party's value, the
intervention options the conflict bears on, and whether consensus or
accommodation is sought.  It also records the engagement checks (consent,
a lawful basis for sharing data, a safe space, confidentiality) and, for
Plymouth-style prototypes, the gate "Is it legal? Is it safe?".

:func:`ethics_checklist` joins these with the CSH answers (a named voice
for the affected, ``CSH-3``; who benefits and who bears risk) and the
stakeholder register (each party's power).  :func:`scan_personal_details`
warns when case files hold details that should be anonymised.

Examples
--------
>>> [f.kind for f in find_personal_details("Contact jo@example.org or 01225 713000")]
['email address', 'phone number']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stp_helpers.stakeholders.csh import QUESTIONS, CshRecord, answers_table, check_csh
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.paths import relative
from stp_helpers.stakeholders.register import Register, read_stakeholders
from stp_helpers.stakeholders.power import grid_table
from stp_helpers.io.parse import read_limited
from stp_helpers.io.tables import read_yaml_model

__all__ = ["ValueConflict", "Check", "Prototype", "EthicsRecord", "read_ethics", "load_ethics", "conflicts_table",
           "ethics_checklist", "Finding", "find_personal_details", "scan_personal_details", "CHECK_ITEMS"]

#: The checklist's items, in order, with what each asks.
CHECK_ITEMS: dict[str, str] = {
    "consent": "Informed consent from everyone whose words or data are used",
    "lawful_basis": "A lawful basis for sharing case data between agencies",
    "safe_space": "A safe environment for contributions from the less powerful",
    "confidentiality": "Confidentiality: no personal details in shared case files",
    "named_voice": "A named voice for those affected but not involved (CSH-3)",
    "risk_and_benefit": "Who bears the risk and who benefits, stated openly",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ValueConflict(_Strict):
    """Two or more parties whose 'ought' answers cannot both be honoured."""

    id: str = Field(min_length=1, description="a short id, e.g. targets-vs-value")
    question: str = Field(min_length=1, description="a CSH question number 1 to 12, or W for worldviews")
    parties: list[str] = Field(min_length=2, description="two or more names from stakeholders.csv")
    values: dict[str, str] = Field(description="party → the value it holds, in a phrase")
    options: list[str] = Field(default_factory=list, description="intervention options the conflict bears on")
    approach: Literal["consensus", "accommodation"] = Field(description="consensus or accommodation")
    note: str = ""
    source: str = Field("", description="the id of a case source, or 'synthetic'")

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, value: Any) -> str:
        text = str(value).strip().upper()
        if text != "W" and not (text.isdigit() and 1 <= int(text) <= 12):
            raise ValueError("use a CSH question number 1 to 12, or W")
        return text


class Check(_Strict):
    """One engagement check as recorded by the practitioner."""

    status: Literal["done", "partial", "missing"] = Field(description="done, partial or missing")
    evidence: str = ""


class Prototype(_Strict):
    """A prototype and Plymouth's gate: is it legal, is it safe?"""

    name: str = Field(min_length=1)
    legal: bool | None = Field(None, description="true, false, or blank when not yet asked")
    safe: bool | None = Field(None, description="true, false, or blank when not yet asked")
    note: str = ""


class EthicsRecord(_Strict):
    """The contents of ``ethics.yaml``."""

    source: str = ""
    conflicts: list[ValueConflict] = Field(default_factory=list)
    checks: dict[Literal["consent", "lawful_basis", "safe_space", "confidentiality"], Check] = Field(
        default_factory=dict, description="consent, lawful_basis, safe_space, confidentiality")
    prototypes: list[Prototype] = Field(default_factory=list)


def read_ethics(path: str | Path) -> EthicsRecord:
    """Read and validate ``ethics.yaml``: parties have values, ids are unique, names are in the register.

    Raises
    ------
    CaseFileError
        Every problem found.
    """
    path = Path(path)
    record = read_yaml_model(path, EthicsRecord)
    where = relative(path)
    names: set[str] | None = None
    if (path.parent / "stakeholders.csv").exists():
        names = {s.name for s in read_stakeholders(path.parent / "stakeholders.csv")}
    problems, ids = [], set()
    for i, c in enumerate(record.conflicts):
        if c.id in ids:
            problems.append(Problem(where, f"The conflict id {c.id!r} appears twice.", column=f"conflicts[{i}].id",
                                    fix="Give each conflict its own id."))
        ids.add(c.id)
        for party in c.parties:
            if names is not None and party not in names:
                problems.append(Problem(where, f"{party!r} is not in stakeholders.csv.",
                                        column=f"conflicts[{i}].parties", fix="Use a name from the register."))
            if party not in c.values:
                problems.append(Problem(where, f"{party!r} has no value recorded.", column=f"conflicts[{i}].values",
                                        fix=f"Add '{party}: <the value it holds>' under values."))
    if problems:
        raise CaseFileError(problems)
    return record


def load_ethics(slug_or_case: Any) -> EthicsRecord:
    """Read a case's ``ethics.yaml``."""
    from stp_helpers import case as cases

    found = slug_or_case if isinstance(slug_or_case, cases.Case) else cases.load(slug_or_case)
    return read_ethics(found.artefact_path("ethics.yaml"))


def conflicts_table(record: EthicsRecord, register: Register | None = None) -> pd.DataFrame:
    """One row per party of each conflict: its value, its power and salience, and the options at stake."""
    grid = grid_table(register).set_index("name") if register is not None else None
    rows = []
    for c in record.conflicts:
        topic = "worldviews (W)" if c.question == "W" else \
            f"Q{c.question} {QUESTIONS[int(c.question) - 1].category}"
        for party in c.parties:
            row = {"conflict": c.id, "question": topic, "party": party, "value": c.values.get(party, ""),
                   "options": "; ".join(c.options), "approach": c.approach}
            if grid is not None:
                row["power"] = float(grid["power"].get(party, float("nan")))
                row["salience"] = grid["salience"].get(party, "(not in register)")
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Finding:
    """Something in a case's text that looks like a personal detail."""

    file: str
    line: int
    kind: str
    severity: str
    text: str


_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("email address", "warning", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")),
    ("phone number", "warning", re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")),
    ("NHS number", "warning", re.compile(r"(?<!\d)\d{3}[ -]\d{3}[ -]\d{4}(?!\d)")),
    ("National Insurance number", "warning", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")),
    ("postcode", "warning", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")),
    ("date of birth", "warning", re.compile(r"\b(?:DOB|date of birth|born on)\b", re.I)),
    ("personal name with title", "warning", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.? [A-Z][a-z]+")),
    ("age with sex (check anonymisation)", "check",
     re.compile(r"\b(?:female|male|woman|man|girl|boy),? (?:age|aged) \d{1,3}\b", re.I)),
)


def find_personal_details(text: str, file: str = "") -> list[Finding]:
    """Find strings in ``text`` that look like personal details, one :class:`Finding` each.

    Severity ``warning`` marks direct identifiers (email, phone, NHS or NI
    number, postcode, date of birth, a titled name); ``check`` marks
    quasi-identifiers such as age with sex, which identify someone when joined
    with a rare history.
    """
    found = []
    for number, line in enumerate(str(text).splitlines(), start=1):
        for kind, severity, pattern in _PATTERNS:
            for match in pattern.finditer(line):
                found.append(Finding(file, number, kind, severity, match.group(0)))
    return found


def scan_personal_details(slug_or_case: Any) -> pd.DataFrame:
    """Scan every text file of a case folder (YAML, CSV, Markdown, text) for personal details.

    Returns
    -------
    DataFrame
        file, line, kind, severity and the matched text (empty when nothing is found).
    """
    from stp_helpers import case as cases

    found = slug_or_case if isinstance(slug_or_case, cases.Case) else cases.load(slug_or_case)
    hits: list[Finding] = []
    for path in sorted(found.path.iterdir()):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".csv", ".md", ".txt"}:
            try:
                text = read_limited(path).decode("utf-8", errors="replace")
            except CaseFileError as err:  # too large to scan: say so rather than pass it as clean
                hits.append(Finding(path.name, 1, "file not scanned", "warning", err.problems[0].problem))
                continue
            hits += find_personal_details(text, path.name)
    return pd.DataFrame([h.__dict__ for h in hits], columns=["file", "line", "kind", "severity", "text"])


def _status_row(item: str, status: str, evidence: str) -> dict[str, str]:
    return {"item": CHECK_ITEMS[item], "status": status, "evidence": evidence}


def ethics_checklist(record: EthicsRecord, csh: CshRecord | None = None, register: Register | None = None,
                     personal: pd.DataFrame | None = None) -> pd.DataFrame:
    """The engagement and ethics checklist: each item's status (done, attention, missing) and evidence.

    Consent, lawful basis and safe space come from ``ethics.yaml``; a safe
    space needs attention while a dependent stakeholder (legitimacy and
    urgency, no power) is in the register; confidentiality from the personal
    details scan; the named voice from CSH-3 and question 10; who benefits and
    who bears risk from CSH questions 1 and 11.
    """
    rows = []
    for item in ("consent", "lawful_basis"):
        check = record.checks.get(item)
        rows.append(_status_row(item, "missing" if check is None or check.status == "missing" else
                                ("done" if check.status == "done" else "attention"),
                                check.evidence if check else "Not recorded in ethics.yaml."))
    safe = record.checks.get("safe_space")
    status = "missing" if safe is None or safe.status == "missing" else ("done" if safe.status == "done"
                                                                         else "attention")
    evidence = safe.evidence if safe else "Not recorded in ethics.yaml."
    if register is not None:
        grid = grid_table(register)
        dependent = grid.loc[grid["salience"] == "dependent", "name"].tolist()
        if dependent:
            status = "attention" if status == "done" else status
            evidence += f" Dependent stakeholders need others' power to be heard: {', '.join(dependent)}."
    rows.append(_status_row("safe_space", status, evidence.strip()))
    conf = record.checks.get("confidentiality")
    status = "done" if conf is not None and conf.status == "done" else "attention"
    evidence = conf.evidence if conf else "Not recorded in ethics.yaml."
    if personal is not None and not personal.empty:
        warnings = personal[personal["severity"] == "warning"]
        status = "missing" if not warnings.empty else "attention"
        kinds = ", ".join(sorted(set(personal["kind"])))
        evidence += f" The scan found {len(personal)} possible personal detail(s): {kinds}."
    rows.append(_status_row("confidentiality", status, evidence.strip()))
    if csh is None:
        rows.append(_status_row("named_voice", "missing", "No CSH answers to read question 10 from."))
        rows.append(_status_row("risk_and_benefit", "missing", "No CSH answers to read questions 1 and 11 from."))
        return pd.DataFrame(rows)
    answers = answers_table(csh)
    witness = answers[(answers["number"] == 10) & (answers["is"] != "")]
    csh3 = check_csh(csh)
    csh3 = csh3[csh3["rule"] == "CSH-3"]
    if witness.empty:
        rows.append(_status_row("named_voice", "missing", "No group names a witness (Q10)."))
    else:
        named = "; ".join(f"{g}: {t}" for g, t in zip(witness["group"], witness["is"]))
        rows.append(_status_row("named_voice", "attention" if not csh3.empty else "done",
                                (f"CSH-3 fires for {', '.join(csh3['group'])}. " if not csh3.empty else "")
                                + f"Witnesses now: {named}"))
    q1 = answers[answers["number"] == 1]
    q11 = answers[answers["number"] == 11]
    gaps = q1[q1["gap"] > 0.5]
    benefit = "; ".join(f"{g}: {t}" for g, t in zip(q1["group"], q1["is"]) if t)
    risk = "; ".join(f"{g}: {t}" for g, t in zip(q11["group"], q11["is"]) if t)
    rows.append(_status_row("risk_and_benefit", "attention" if not gaps.empty or not risk else "done",
                            f"Benefits (Q1 is): {benefit or 'not stated'}. Chance for the affected (Q11 is): "
                            f"{risk or 'not stated'}."))
    return pd.DataFrame(rows)
