"""Duty 11's output: the ethics of intervention, value conflicts read against CSH and power (``ethics.yaml``).

The record is ``ethics.yaml`` (value conflicts, the engagement checks and
prototype gates, :mod:`stp_helpers.stakeholders.ethics`); it is read against
the case's CSH answers (``csh.yaml``: each party's "ought" answer to the
conflict's question, and the witness question) and its register (each
party's power).

Quality rules (a workbook design, after the duty's criterion "activities and
models that evaluate the ethical issues and seek to balance ethical
concerns" and methods.md §5.3 to §5.4):

- ``EI-1`` each conflict on a CSH question rests on the answers: its parties
  sit in different CSH groups whose "ought" answers to that question differ;
- ``EI-2`` each conflict names the intervention options it bears on;
- ``EI-3`` where the parties' power is unequal (one at or above 0.5, one
  below), the note says how the less powerful party's value is protected;
- ``EI-4`` the witness question is faced: no group's "ought" witness (Q10) is
  the decision-maker, a witness is named, and where today's witness *is* the
  decision-maker (``CSH-3``), a conflict on question 10 or 11 takes it up;
- ``EI-5`` consent, lawful basis, safe space and confidentiality are each
  recorded with evidence.

Examples
--------
>>> csh, register, draft = example_draft()
>>> [f.rule for f in check_ethics(draft, csh, register)]
['EI-1', 'EI-3', 'EI-5']
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import CaseFileError, RuleFinding, StpError
from stp_helpers.stakeholders.csh import (QUESTIONS, CshAnswer, CshGroup, CshRecord, check_csh, disagreement_table,
                                         same_answer)
from stp_helpers.stakeholders.ethics import Check, EthicsRecord, ValueConflict, read_ethics
from stp_helpers.stakeholders.power import grid_table
from stp_helpers.stakeholders.register import Register, build_register, register_csv_text

__all__ = ["RULES", "Finding", "party_group", "conflict_answers", "witness_table", "unheard", "check_ethics",
           "example_draft", "parse_ethics", "ethics_text", "check_text", "findings_markdown", "conflicts_markdown",
           "case_csh", "starter_text", "STARTER"]

RULES = {"EI-1": "each conflict rests on different 'ought' answers", "EI-2": "the options each conflict bears on",
         "EI-3": "how the less powerful party is protected", "EI-4": "the witness question faced",
         "EI-5": "consent, lawful basis, safe space and confidentiality recorded"}
_CHECKS = ("consent", "lawful_basis", "safe_space", "confidentiality")

#: A starting ``ethics.yaml`` for a case with none.
STARTER = """# ethics.yaml: value conflicts and the engagement checks (duty 11). Check: stp check-case
source: own-notes
conflicts:
  - id: first-conflict
    question: 1
    parties: [A name from stakeholders.csv, Another name from stakeholders.csv]
    values:
      A name from stakeholders.csv: the value it holds, in a phrase
      Another name from stakeholders.csv: the value it holds, in a phrase
    options: [an intervention option this conflict bears on]
    approach: accommodation
    note: How the less powerful party's value is protected
    source: own-notes
checks:
  consent: {status: missing, evidence: ""}
  lawful_basis: {status: missing, evidence: ""}
  safe_space: {status: missing, evidence: ""}
  confidentiality: {status: missing, evidence: ""}
"""


#: A quality finding: the rule, the field, what is wrong and how to fix it.
Finding = RuleFinding


def party_group(csh: CshRecord, party: str) -> CshGroup | None:
    """The CSH group that answers for a stakeholder (listed in its ``stakeholders``, or its name), or None.

    >>> rec = CshRecord(groups=[CshGroup(group="Agencies", stakeholders=["Police", "Housing"])])
    >>> party_group(rec, "housing").group, party_group(rec, "Tenants") is None
    ('Agencies', True)
    """
    key = str(party).strip().casefold()
    for g in csh.groups:
        if key == g.group.casefold() or key in {s.casefold() for s in g.stakeholders}:
            return g
    return None


def conflict_answers(record: EthicsRecord, csh: CshRecord | None, register: Register | None = None) -> pd.DataFrame:
    """One row per party of each conflict: its value, its CSH group's "ought" answer to the question, its power."""
    power = grid_table(register).set_index("name")["power"] if register is not None else None
    rows = []
    for c in record.conflicts:
        topic = "W (worldviews)" if c.question == "W" else f"Q{c.question} {QUESTIONS[int(c.question) - 1].category}"
        for party in c.parties:
            group = party_group(csh, party) if csh is not None else None
            ought = (group.answers.get(int(c.question), CshAnswer()).ought
                     if group is not None and c.question != "W" else "")
            rows.append({"conflict": c.id, "question": topic, "party": party, "value": c.values.get(party, ""),
                         "CSH group": group.group if group else "(no CSH answers)", "ought answer": ought,
                         "power": float(power.get(party, float("nan"))) if power is not None else float("nan")})
    return pd.DataFrame(rows, columns=["conflict", "question", "party", "value", "CSH group", "ought answer",
                                       "power"])


def witness_table(csh: CshRecord) -> pd.DataFrame:
    """The witness question (Q10) for each group: who speaks for the affected now, who ought to, and CSH-3."""
    flagged = check_csh(csh)
    flagged = flagged[flagged["rule"] == "CSH-3"]
    rows = []
    for g in csh.groups:
        ans = g.answers.get(10, CshAnswer())
        modes = [m for m in ("is", "ought") if any(f"{m!r} mode" in t for t in flagged.loc[flagged["group"] == g.group,
                                                                                          "finding"])]
        rows.append({"group": g.group, "speaks for the affected now": ans.is_, "ought to speak": ans.ought,
                     "witness is the decision-maker": " and ".join(f"{m} mode" for m in modes) or "no"})
    return pd.DataFrame(rows)


def unheard(csh: CshRecord, register: Register) -> list[str]:
    """Stakeholders in the register whom no CSH group answers for: voices missing from the boundary critique."""
    return [n for n in register.names() if party_group(csh, n) is None]


def check_ethics(record: EthicsRecord, csh: CshRecord | None, register: Register | None) -> list[Finding]:
    """Return every quality finding (``EI-1`` to ``EI-5``), in rule order; empty when the record passes.

    Examples
    --------
    >>> csh, register, draft = example_draft()
    >>> print(check_ethics(draft, csh, register)[0])
    EI-1 conflicts[0]: Council leadership and Housing services give the same 'ought' answer to Q6 ('National rules only'), so the answers show no conflict there. Name the question on which their 'ought' answers differ, or ask both parties the question again.
    """
    found: list[Finding] = []
    if csh is None:
        found.append(Finding("EI-1", "csh.yaml", "there are no CSH answers to ground the conflicts in.",
                             "Ask each stakeholder group the twelve questions in both modes (the CSH explorer)."))
    for i, c in enumerate(record.conflicts):
        if csh is None or c.question == "W":
            continue
        groups = [party_group(csh, p) for p in c.parties]
        lost = [p for p, g in zip(c.parties, groups) if g is None]
        if lost:
            found.append(Finding("EI-1", f"conflicts[{i}].parties", f"{lost[0]} has no CSH answers.",
                                 f"Ask {lost[0]} question {c.question} in the 'ought' mode, or add them to the "
                                 "group that answers for them."))
            continue
        oughts = {g.group: g.answers.get(int(c.question), CshAnswer()).ought for g in groups if g is not None}
        texts = [t for t in oughts.values() if t]
        if len(oughts) < 2 or len(texts) < 2 or all(same_answer(texts[0], t) for t in texts[1:]):
            said = f"('{texts[0]}')" if texts else "(no answer)"
            found.append(Finding("EI-1", f"conflicts[{i}]", f"{' and '.join(c.parties)} give the same 'ought' "
                                 f"answer to Q{c.question} {said}, so the answers show no conflict there.",
                                 "Name the question on which their 'ought' answers differ, or ask both parties "
                                 "the question again."))
    for i, c in enumerate(record.conflicts):
        if not c.options:
            found.append(Finding("EI-2", f"conflicts[{i}].options", f"{c.id!r} names no intervention option.",
                                 "Name the options the conflict bears on, so the decision-makers see what it "
                                 "costs whom."))
    if register is not None:
        power = grid_table(register).set_index("name")["power"]
        for i, c in enumerate(record.conflicts):
            scores = {p: float(power[p]) for p in c.parties if p in power.index}
            weak = sorted((p for p, s in scores.items() if s < 0.5), key=scores.get)
            if weak and any(s >= 0.5 for s in scores.values()) and not c.note:
                found.append(Finding("EI-3", f"conflicts[{i}].note", f"{weak[0]} (power {scores[weak[0]]:g}) "
                                     "faces a party with power, and the record does not say how their value is "
                                     "protected.", "Say in the note how their value is kept in the decision: an "
                                     "advocate, a veto, a safe space, a decision rule."))
    if csh is not None:
        found += _witness_findings(record, csh)
    for item in _CHECKS:
        check = record.checks.get(item)
        if check is None or not check.evidence:
            found.append(Finding("EI-5", f"checks.{item}", f"{item.replace('_', ' ')} is not recorded with "
                                 "evidence.", "Record its status (done, partial, missing) and the evidence: what "
                                 "was done, or what will be done before the intervention."))
    return found


def _witness_findings(record: EthicsRecord, csh: CshRecord) -> list[Finding]:
    table = witness_table(csh)
    if not any(table["ought to speak"]) and not any(table["speaks for the affected now"]):
        return [Finding("EI-4", "csh.yaml (Q10)", "no group names a witness for those affected but not involved.",
                        "Ask each group question 10: who speaks (ought to speak) for those affected?")]
    ought = table[table["witness is the decision-maker"].str.contains("ought")]
    if not ought.empty:
        return [Finding("EI-4", f"csh.yaml ({ought.iloc[0]['group']}, Q10 ought)", "the witness that ought to "
                        f"speak is the decision-maker: '{ought.iloc[0]['ought to speak']}'.",
                        "Name who ought to speak for the affected independently of those in control.")]
    now = table[table["witness is the decision-maker"] != "no"]
    voiced = any(c.question in ("10", "11") for c in record.conflicts)
    if not now.empty and not voiced:
        return [Finding("EI-4", "conflicts", f"today the decision-maker speaks for the affected "
                        f"({now.iloc[0]['group']}: '{now.iloc[0]['speaks for the affected now']}'), and no conflict "
                        "takes this up.", "Register the conflict on question 10 or 11: whose voice is missing, and "
                        "the options that would bring it in.")]
    return []


def example_draft() -> tuple[CshRecord, Register, EthicsRecord]:
    """A flawed first draft of Wiltshire's ethics record, with its CSH answers and register (workbook example).

    The draft names a conflict on a question where the two parties' "ought"
    answers agree, does not say how people with complex needs are protected in
    their conflict with the police, and leaves confidentiality unrecorded.
    """
    def group(name: str, members: list[str], answers: dict[int, tuple[str, str]]) -> CshGroup:
        return CshGroup(group=name, stakeholders=members, source="seed-000",
                        answers={n: CshAnswer(**{"is": i, "ought": o}) for n, (i, o) in answers.items()})
    csh = CshRecord(title="Wiltshire (draft)", source="seed-000", groups=[
        group("Council leadership", ["Council leadership"], {
            4: ("Each agency's managers, separately", "Agencies deciding together as one system"),
            6: ("Other agencies' decisions and national rules", "National rules only"),
            10: ("Council leadership", "People with lived experience and their advocates"),
            11: ("Little; people move between agencies without a say", "A voice in redesigning the services")}),
        group("Frontline agencies", ["Children's services", "Housing services", "Police"], {
            4: ("Each agency's managers, separately", "Frontline staff with shared authority across agencies"),
            6: ("Other agencies' decisions and national rules", "National rules only"),
            10: ("Nobody in particular", "A lead professional who knows the person"),
            11: ("Little; people move between agencies without a say", "Routes to challenge decisions early")}),
        group("People with complex needs", ["People with complex needs"], {
            10: ("Charities and refuges, when they can", "People with lived experience and independent advocates"),
            11: ("Little; people move between agencies without a say", "A real say in the support they get")})])
    register = build_register([
        {"name": n, "power": p, "interest": i, "legitimacy": .8, "urgency": u, "source": "seed-000"}
        for n, p, i, u in [("Council leadership", .9, .7, .6), ("Children's services", .7, .7, .7),
                           ("Housing services", .6, .6, .7), ("Police", .7, .5, .7),
                           ("People with complex needs", .4, .9, .9)]])
    record = EthicsRecord(source="seed-000", conflicts=[
        ValueConflict(id="rules-versus-discretion", question="6", parties=["Council leadership", "Housing services"],
                      values={"Council leadership": "one system, deciding together",
                              "Housing services": "its statutory duties first"},
                      options=["pooled early-help budget"], approach="accommodation", source="synthetic"),
        ValueConflict(id="enforcement-versus-voice", question="11", parties=["Police", "People with complex needs"],
                      values={"Police": "protect the public and respond to crime",
                              "People with complex needs": "a real say in the support they get"},
                      options=["independent advocacy"], approach="accommodation", source="synthetic")],
        checks={"consent": Check(status="partial", evidence="Consent for lived-experience accounts is being sought."),
                "lawful_basis": Check(status="missing", evidence="Joining records needs an agreed basis."),
                "safe_space": Check(status="partial", evidence="Safe-space groups with a trusted charity planned.")})
    return csh, register, record


def parse_ethics(text: str, register: Register | None = None) -> EthicsRecord:
    """Read ``ethics.yaml`` text (as typed in a form); party names are checked against the register when given.

    Raises
    ------
    CaseFileError
        Every problem, naming ``ethics.yaml``, the line or field, and the fix.

    Examples
    --------
    >>> [c.id for c in parse_ethics(STARTER).conflicts]
    ['first-conflict']
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ethics.yaml"
        path.write_text(text, encoding="utf-8")
        if register is not None:
            (Path(folder) / "stakeholders.csv").write_text(register_csv_text(register), encoding="utf-8")
        try:
            return read_ethics(path)
        except CaseFileError as err:
            raise CaseFileError([dataclasses.replace(p, path="ethics.yaml") for p in err.problems]) from err


def ethics_text(record: EthicsRecord) -> str:
    """Return ``ethics.yaml`` text (write it with ``case.save_text``).

    >>> parse_ethics(ethics_text(example_draft()[2])) == example_draft()[2]
    True
    """
    data = record.model_dump(mode="json", exclude_defaults=True)
    header = "# ethics.yaml: value conflicts and the engagement checks (duty 11). Check: stp check-case\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def check_text(text: str, csh: CshRecord | None, register: Register | None) -> tuple[EthicsRecord, list[Finding]]:
    """Parse a form's text and return the record and its findings.

    Raises
    ------
    StpError
        When the text is empty or cannot be read (the error names the line or field and the fix).
    """
    if not text.strip():
        raise StpError("ethics.yaml is empty.", fix="Start from the template: a conflict and the four checks.")
    record = parse_ethics(text, register)
    return record, check_ethics(record, csh, register)


def findings_markdown(found: Sequence[Finding]) -> Markdown:
    """Quality findings as a Markdown list (case text escaped), or a line saying every rule passes."""
    return findings_list(found, "Every rule (EI-1 to EI-5) passes.")


def conflicts_markdown(record: EthicsRecord) -> Markdown:
    """The value conflicts and checks as Markdown (case text escaped), for reading a draft."""
    parts = [md("- **{id}** (question {q}, {approach}): {values}. Options: {options}. Note: {note}", id=c.id,
                q=c.question, approach=c.approach, values="; ".join(f"{p}: {v}" for p, v in c.values.items()),
                options="; ".join(c.options) or "(none)", note=c.note or "(none)") for c in record.conflicts]
    parts += [md("- Check *{item}*: {status}. {evidence}", item=item.replace("_", " "),
                 status=record.checks[item].status if item in record.checks else "not recorded",
                 evidence=record.checks[item].evidence if item in record.checks else "")
              for item in _CHECKS]
    return join(parts)


def case_csh(case: Case) -> CshRecord | None:
    """The case's CSH answers, or None when it has no ``csh.yaml`` yet."""
    return case.read("csh.yaml") if case.has("csh.yaml") else None


def starter_text(csh: CshRecord | None, register: Register | None) -> str:
    """A first ``ethics.yaml`` for a case with none.

    With a register, its one conflict sets the most powerful stakeholder against
    the least powerful, on the question where the CSH groups' "ought" answers
    lie furthest apart (question 1 without CSH answers); otherwise the blank starter.

    >>> csh, register, _ = example_draft()
    >>> parse_ethics(starter_text(csh, register)).conflicts[0].parties
    ['Council leadership', 'People with complex needs']
    """
    if register is None:
        return STARTER
    grid = grid_table(register).sort_values(["power", "name"], ascending=[False, True], kind="stable")
    names = grid["name"].tolist()
    parties = [names[0], names[-1]] if len(names) > 1 else [names[0], "A second name from stakeholders.csv"]
    apart = disagreement_table(csh) if csh is not None else None
    question = str(int(apart.iloc[0]["number"])) if apart is not None and not apart.empty else "1"
    conflict = ValueConflict(id="first-conflict", question=question, parties=parties,
                             values={p: "the value it holds, in a phrase" for p in parties},
                             options=["an intervention option this conflict bears on"], approach="accommodation",
                             note="How the less powerful party's value is protected", source="own-notes")
    checks = {item: Check(status="missing") for item in _CHECKS}
    return ethics_text(EthicsRecord(source="own-notes", conflicts=[conflict], checks=checks))
