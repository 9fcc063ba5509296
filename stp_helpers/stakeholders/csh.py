"""Critical Systems Heuristics: Ulrich's twelve boundary questions in "is" and "ought" modes.

A case's ``csh.yaml`` holds, for each stakeholder group, its answers to the
twelve questions (methods.md §5.3), each in the "is" mode (how the system is
bounded now) and the "ought" mode (how it should be).  From these the module
lists boundary tensions (``CSH-2``), measures how far each "is" answer lies
from its "ought" answer and how far groups' answers lie from each other,
checks completeness (``CSH-1``) and that the witness is not the
decision-maker (``CSH-3``), and writes prompts for boundary critique.

Each answer may carry the workbook's **judged reading** (``gap: none | some |
wide`` and a one-sentence ``reason`` written from the two answers): how far
the "is" and "ought" answers differ in values.  It is a judgement, the
workbook's, and exercises grade against it.

The **word gap** is a workbook design choice, not Ulrich's, and only a
prompt (words shared, not values): the Jaccard distance between the sets of
content words of two answers (1 − shared words / all words, after
lower-casing and dropping common words).  0 means the same words; 1 means no
word in common.  It flags where to look; the judged reading and the
conversation decide what the difference means.

Examples
--------
>>> word_gap("service users and carers", "carers and families")  # 1 shared of 4 words
0.75
>>> QUESTIONS[9].category, QUESTIONS[9].source
('witness', 'legitimacy')
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stp_helpers.errors import CaseFileError, CshError, Problem
from stp_helpers.paths import relative
from stp_helpers.io.tables import read_yaml_model
from stp_helpers.io.saving import save_text
from stp_helpers.stakeholders.csh_passage import CshPassage

__all__ = ["Question", "QUESTIONS", "SOURCES", "MODES", "JUDGED_GAPS", "CshError", "CshAnswer", "CshGroup",
           "CshRecord", "word_gap", "same_answer", "answer_text", "read_csh", "load_csh", "questions_table",
           "answers_table", "tensions",
           "gap_table", "disagreement_table", "check_csh", "boundary_prompts", "set_answer", "csh_yaml_text",
           "save_csh", "gap_finding", "widest_gap", "build_csh"]

SOURCES = ("motivation", "control", "knowledge", "legitimacy")
MODES = ("is", "ought")
#: The judged readings of an is/ought gap in values, smallest first (the workbook's, not Ulrich's).
JUDGED_GAPS = ("none", "some", "wide")


@dataclass(frozen=True)
class Question:
    """One of the twelve boundary questions."""

    number: int
    source: str
    category: str
    is_text: str
    ought_text: str

    def text(self, mode: str = "is") -> str:
        """The question in the ``"is"`` or ``"ought"`` mode."""
        return self.is_text if mode == "is" else self.ought_text


#: The twelve questions (Ulrich 1983; Ulrich & Reynolds 2010), numbered 1 to 12.
QUESTIONS: tuple[Question, ...] = (
    Question(1, "motivation", "beneficiary", "Who is the intended beneficiary?",
             "Who ought to be the intended beneficiary?"),
    Question(2, "motivation", "purpose", "What is the purpose?", "What ought to be the purpose?"),
    Question(3, "motivation", "measure of improvement", "What is the measure of success?",
             "What ought to be the measure of success?"),
    Question(4, "control", "decision-maker", "Who controls the conditions of success?",
             "Who ought to control the conditions of success?"),
    Question(5, "control", "resources", "Which conditions of success are under that control?",
             "Which conditions of success ought to be under that control?"),
    Question(6, "control", "decision environment", "Which conditions are outside it?",
             "Which conditions ought to be outside it?"),
    Question(7, "knowledge", "expert", "Who provides relevant knowledge and skills?",
             "Who ought to provide relevant knowledge and skills?"),
    Question(8, "knowledge", "expertise", "What counts as relevant knowledge?",
             "What ought to count as relevant knowledge?"),
    Question(9, "knowledge", "guarantor", "What is taken as assurance of success?",
             "What ought to be taken as assurance of success?"),
    Question(10, "legitimacy", "witness", "Who speaks for those affected but not involved?",
             "Who ought to speak for those affected but not involved?"),
    Question(11, "legitimacy", "emancipation",
             "What chance do the affected have to free themselves from the premises of those involved?",
             "What chance ought the affected to have to free themselves from the premises of those involved?"),
    Question(12, "legitimacy", "worldview", "What space is there for reconciling differing worldviews?",
             "What space ought there to be for reconciling differing worldviews?"),
)

_STOP = frozenset("""a an and are as at be by for from has have in is it its of on or ought should that the their
them they this to was were which who whom with what will can do does not no our we us""".split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class CshAnswer(_Strict):
    """One question's answers in both modes (blank = not answered yet)."""

    is_: str = Field("", alias="is", description="the answer in the 'is' mode, in a sentence")
    ought: str = Field("", description="the answer in the 'ought' mode, in a sentence")
    gap: str = Field("", description="the workbook's judged reading of how far is and ought differ in values: "
                                     "none, some or wide (blank = not judged)")
    reason: str = Field("", description="one sentence, written from the two answers, saying why")


class CshGroup(_Strict):
    """One stakeholder group's answers."""

    group: str = Field(min_length=1, description="the group's name, e.g. 'People using services'")
    stakeholders: list[str] = Field(default_factory=list, description="names from stakeholders.csv")
    source: str = Field("", description="the id of a case source, or 'synthetic'")
    answers: dict[int, CshAnswer] = Field(default_factory=dict,
                                          description="question number (1 to 12) → is and ought answers")

    @field_validator("answers")
    @classmethod
    def _numbers(cls, value: dict[int, CshAnswer]) -> dict[int, CshAnswer]:
        bad = sorted(k for k in value if not 1 <= k <= 12)
        if bad:
            raise ValueError(f"question {bad[0]} is not one of the twelve (use 1 to 12)")
        return dict(sorted(value.items()))


class CshRecord(_Strict):
    """The contents of ``csh.yaml``."""

    title: str = Field("", description="what system the answers are about")
    date: dt.date | None = Field(None, description="when the answers were gathered, YYYY-MM-DD")
    source: str = Field("", description="the id of a case source, or 'synthetic'")
    groups: list[CshGroup] = Field(min_length=1, description="one entry per stakeholder group")
    passage: CshPassage | None = Field(None, description="a passage quoted from the case, read for the four roles")

    def group(self, name: str) -> CshGroup:
        """Return a group by name (case-insensitive).

        Raises
        ------
        CshError
            No such group.
        """
        for g in self.groups:
            if g.group.casefold() == str(name).strip().casefold():
                return g
        raise CshError(f"{name!r} is not a group in this CSH record.",
                       f"Groups: {', '.join(g.group for g in self.groups)}.")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", str(text).lower()) if w not in _STOP}


def word_gap(first: str, second: str) -> float:
    """Jaccard distance between two answers' content words, rounded to 3 places.

    Two blank answers have gap 0; one blank answer against a written one has gap 1.

    Examples
    --------
    >>> word_gap("Commissioners", "commissioners."), word_gap("targets", "what matters to people")
    (0.0, 1.0)
    """
    a, b = _words(first), _words(second)
    if not a and not b:
        return 0.0
    return round(1 - len(a & b) / len(a | b), 3)


def same_answer(first: str, second: str) -> bool:
    """True when two answers have the same content words (case, punctuation and filler words ignored)."""
    return _words(first) == _words(second)


def read_csh(path: str | Path) -> CshRecord:
    """Read and validate ``csh.yaml``; group names must be unique.

    Raises
    ------
    CaseFileError
        Every problem, with its line and field.
    """
    path = Path(path)
    record = read_yaml_model(path, CshRecord)
    seen: set[str] = set()
    problems = []
    for i, g in enumerate(record.groups):
        if g.group.casefold() in seen:
            problems.append(Problem(relative(path), f"The group {g.group!r} appears twice.",
                                    column=f"groups[{i}].group", fix="Merge the two groups' answers."))
        seen.add(g.group.casefold())
        for n, a in g.answers.items():
            where = dict(column=f"groups[{i}].answers.{n}.gap")
            if a.gap and a.gap not in JUDGED_GAPS:
                problems.append(Problem(relative(path), f"{g.group}, question {n}: the judged gap {a.gap!r} is not "
                                        "a reading.", **where, fix="Write gap: none, some or wide."))
            elif bool(a.gap) != bool(a.reason):
                problems.append(Problem(relative(path), f"{g.group}, question {n}: a judged gap needs its reason "
                                        "and a reason its gap.", **where,
                                        fix="Give both gap (none, some or wide) and a one-sentence reason, or neither."))
    if problems:
        raise CaseFileError(problems)
    return record


def load_csh(slug_or_case: Any) -> CshRecord:
    """Read a case's ``csh.yaml`` (a slug or a loaded case)."""
    from stp_helpers import case as cases

    found = slug_or_case if isinstance(slug_or_case, cases.Case) else cases.load(slug_or_case)
    return read_csh(found.artefact_path("csh.yaml"))


def answer_text(record: CshRecord, group: str, number: int, mode: str = "is") -> str:
    """One group's answer to one question in one mode ('' when not answered)."""
    if mode not in MODES:
        raise CshError(f"{mode!r} is not a mode.", 'Use "is" or "ought".')
    found = record.group(group).answers.get(number, CshAnswer())
    return found.is_ if mode == "is" else found.ought


def questions_table() -> pd.DataFrame:
    """The twelve questions in their four groups, both modes."""
    return pd.DataFrame([{"number": q.number, "source": q.source, "category": q.category, "is": q.is_text,
                          "ought": q.ought_text} for q in QUESTIONS])


def answers_table(record: CshRecord, group: str | None = None) -> pd.DataFrame:
    """One row per group and question: category, is, ought and their gap."""
    rows = []
    groups = [record.group(group)] if group is not None else record.groups
    for g in groups:
        for q in QUESTIONS:
            ans = g.answers.get(q.number, CshAnswer())
            rows.append({"group": g.group, "number": q.number, "category": q.category, "is": ans.is_,
                         "ought": ans.ought, "gap": word_gap(ans.is_, ans.ought)})
    return pd.DataFrame(rows)


def tensions(record: CshRecord) -> pd.DataFrame:
    """Rule CSH-2: every (group, question) whose is and ought answers differ, largest gap first."""
    table = answers_table(record)
    answered = (table["is"] != "") & (table["ought"] != "")
    differ = [not same_answer(i, o) for i, o in zip(table["is"], table["ought"])]
    out = table[answered & pd.Series(differ, index=table.index)]
    return out.sort_values(["gap", "group", "number"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def gap_table(record: CshRecord, top: int | None = None) -> pd.DataFrame:
    """Is/ought gaps of every answered question, largest first (``top`` rows if given)."""
    table = tensions(record)[["group", "number", "category", "gap", "is", "ought"]]
    table.insert(0, "label", [f"Q{n} {c} ({g})" for g, n, c in zip(table["group"], table["number"],
                                                                      table["category"])])
    return table.head(top).reset_index(drop=True) if top is not None else table


def disagreement_table(record: CshRecord, mode: str = "ought") -> pd.DataFrame:
    """How far the groups' answers to each question lie apart, in one mode.

    Columns: ``mean_gap`` (mean word gap over every pair of groups that
    answered), ``widest_pair`` and ``widest_gap``.  Questions with fewer than
    two answers are left out.  Largest mean gap first.

    Examples
    --------
    >>> rec = CshRecord(groups=[CshGroup(group="A", answers={1: CshAnswer(ought="carers")}),
    ...                         CshGroup(group="B", answers={1: CshAnswer(ought="carers and families")})])
    >>> disagreement_table(rec)[["number", "mean_gap", "widest_pair"]].to_string(index=False)
    ' number  mean_gap widest_pair\\n      1       0.5       A / B'
    """
    if mode not in MODES:
        raise CshError(f"{mode!r} is not a mode.", 'Use "is" or "ought".')
    rows = []
    for q in QUESTIONS:
        answers = [(g.group, getattr(g.answers.get(q.number, CshAnswer()), "is_" if mode == "is" else "ought"))
                   for g in record.groups]
        answers = [(name, text) for name, text in answers if text]
        if len(answers) < 2:
            continue
        pairs = [((a, b), word_gap(ta, tb)) for (a, ta), (b, tb) in itertools.combinations(answers, 2)]
        widest = max(pairs, key=lambda p: p[1])
        rows.append({"number": q.number, "category": q.category, "source": q.source,
                     "mean_gap": round(sum(p[1] for p in pairs) / len(pairs), 3),
                     "widest_pair": " / ".join(widest[0]), "widest_gap": widest[1], "groups": len(answers)})
    table = pd.DataFrame(rows, columns=["number", "category", "source", "mean_gap", "widest_pair", "widest_gap",
                                        "groups"])
    return table.sort_values(["mean_gap", "number"], ascending=[False, True], kind="stable").reset_index(drop=True)


#: Words naming a decision-making body: a witness (Q10) that names one speaks from inside control (CSH-3).
DECISION_AGENCY_WORDS = ("council", "police", "commissioner", "commissioners", "commissioning", "board", "cabinet",
                         "local authority", "department", "dwp", "jobcentre", "nhs trust", "trust board",
                         "social services", "children's services", "housing services", "partnership",
                         "agency", "agencies", "government", "ministry", "managers", "management", "panel")
#: Words that mark a voice independent of those in control, even when it names an agency it watches.
INDEPENDENT_WORDS = ("independent", "lived experience", "advocate", "advocacy", "healthwatch", "ombudsman",
                     "user led", "user-led", "peer", "survivor", "expert by experience")


def decision_agency(text: str) -> str | None:
    """Return the decision-making body a witness answer names, or None (``CSH-3``).

    An answer that names an agency but marks an independent voice (an
    independent advocate, Healthwatch, people with lived experience) is not
    the agency.

    Examples
    --------
    >>> decision_agency("the police"), decision_agency("the partnership board"), decision_agency("carers")
    ('police', 'board', None)
    >>> decision_agency("an independent advocate, not the council") is None
    True
    """
    words = " " + " ".join(re.findall(r"[a-z0-9']+", str(text).lower())) + " "
    if any(f" {w} " in words for w in INDEPENDENT_WORDS):
        return None
    return next((w for w in DECISION_AGENCY_WORDS if f" {w} " in words), None)


def check_csh(record: CshRecord) -> pd.DataFrame:
    """Rules CSH-1 (all 24 answers present) and CSH-3 (witness ≠ decision-maker), one row per finding.

    Examples
    --------
    >>> rec = CshRecord(groups=[CshGroup(group="A", answers={4: CshAnswer(**{"is": "The council"}),
    ...                                                      10: CshAnswer(**{"is": "the council."})})])
    >>> check_csh(rec)["rule"].tolist()
    ['CSH-1', 'CSH-3']
    """
    rows = []
    for g in record.groups:
        missing = [f"{n}{m[0]}" for n in range(1, 13) for m in MODES
                   if not getattr(g.answers.get(n, CshAnswer()), "is_" if m == "is" else "ought")]
        if missing:
            rows.append({"rule": "CSH-1", "group": g.group,
                         "finding": f"{24 - len(missing)} of 24 answers given; missing: {', '.join(missing)}",
                         "fix": "Answer every question in both modes (i = is, o = ought)."})
        for mode, attr in (("is", "is_"), ("ought", "ought")):
            witness = getattr(g.answers.get(10, CshAnswer()), attr)
            decider = getattr(g.answers.get(4, CshAnswer()), attr)
            agency = decision_agency(witness) if witness else None
            if witness and ((decider and (same_answer(witness, decider) or _words(witness) <= _words(decider)))
                            or agency):
                what = ("the decision-maker (Q4)" if decider and (same_answer(witness, decider)
                                                                   or _words(witness) <= _words(decider))
                        else f"a decision-making body ({agency})")
                rows.append({"rule": "CSH-3", "group": g.group,
                             "finding": f"In the {mode!r} mode the witness (Q10) is {what}: "
                                        f"{witness!r}",
                             "fix": "Name who speaks for those affected but not involved, independently of "
                                    "those in control."})
    return pd.DataFrame(rows, columns=["rule", "group", "finding", "fix"])


def boundary_prompts(record: CshRecord, top: int = 3) -> list[str]:
    """Questions for boundary critique, from the largest is/ought gaps and disagreements."""
    prompts = []
    for _, row in gap_table(record, top).iterrows():
        prompts.append(f"{row['group']}, Q{row['number']} ({row['category']}): is “{row['is']}”, ought "
                       f"“{row['ought']}”. Whose values draw the present boundary, and who gains or loses if "
                       "it moves?")
    for row in disagreement_table(record).head(top).itertuples(index=False):
        prompts.append(f"Q{row.number} ({row.category}): {row.widest_pair} disagree most on what ought to be "
                       f"(gap {row.widest_gap:.2f}). Can both be honoured, or is this a value conflict to "
                       "record in ethics.yaml?")
    for row in check_csh(record).itertuples(index=False):
        if row.rule == "CSH-3":
            prompts.append(f"{row.group}: {row.finding}. Who else could witness for those affected?")
    return prompts


def widest_gap(record: CshRecord) -> tuple[str, int] | None:
    """The group that wants most change (highest mean is/ought gap) and its largest-gap question.

    Returns None when no answered question has a gap.

    Examples
    --------
    >>> widest_gap(build_csh({"A": {1: ("x", "x")}, "B": {2: ("x", "y"), 3: ("x", "x y")}}))
    ('B', 2)
    """
    table = answers_table(record)
    table = table[(table["is"] != "") & (table["ought"] != "")]
    if table.empty or not (table["gap"] > 0).any():
        return None
    means = table.groupby("group", sort=True)["gap"].mean()
    group = str(means.idxmax())
    mine = table[table["group"] == group].sort_values(["gap", "number"], ascending=[False, True], kind="stable")
    return group, int(mine.iloc[0]["number"])


def gap_finding(record: CshRecord) -> str:
    """A chart title naming the group that wants most change and its largest is/ought gap.

    Examples
    --------
    >>> gap_finding(build_csh({"A": {1: ("targets", "what matters"), 2: ("care", "care")}}))
    'A want the most change: mean is/ought gap 0.50 over 2 answered questions; largest at Q1 beneficiary (1.00)'
    """
    found = widest_gap(record)
    if found is None:
        return "No is/ought gaps: every answered question has the same answer in both modes"
    group, number = found
    table = answers_table(record, group)
    table = table[(table["is"] != "") & (table["ought"] != "")]
    top = table[table["number"] == number].iloc[0]
    count = len(table)
    return (f"{group} want the most change: mean is/ought gap {table['gap'].mean():.2f} over {count} "
            f"answered question{'s' if count != 1 else ''}; largest at Q{number} {top['category']} "
            f"({top['gap']:.2f})")


def set_answer(record: CshRecord, group: str, number: int, mode: str, text: str) -> CshRecord:
    """Return a record with one answer changed (the original is unchanged).

    Raises
    ------
    CshError
        Unknown group, a question outside 1–12 or a mode other than "is"/"ought".
    """
    if mode not in MODES:
        raise CshError(f"{mode!r} is not a mode.", 'Use "is" or "ought".')
    if not isinstance(number, int) or not 1 <= number <= 12:
        raise CshError(f"{number!r} is not one of the twelve questions.", "Use a number from 1 to 12.")
    target = record.group(group)
    groups = []
    for g in record.groups:
        if g is target:
            answers = dict(g.answers)
            old = answers.get(number, CshAnswer())
            field = "is_" if mode == "is" else "ought"
            # a changed answer drops the judged reading: it was a judgement of the old pair
            answers[number] = old.model_copy(update={field: " ".join(str(text).split()), "gap": "", "reason": ""})
            g = g.model_copy(update={"answers": dict(sorted(answers.items()))})
        groups.append(g)
    return record.model_copy(update={"groups": groups})


def csh_yaml_text(record: CshRecord) -> str:
    """The record as ``csh.yaml`` text (round-trips through :func:`read_csh`)."""
    data: dict[str, Any] = {}
    if record.title:
        data["title"] = record.title
    if record.date:
        data["date"] = record.date.isoformat()
    if record.source:
        data["source"] = record.source
    data["groups"] = [
        {"group": g.group, **({"stakeholders": list(g.stakeholders)} if g.stakeholders else {}),
         **({"source": g.source} if g.source else {}),
         "answers": {n: {"is": a.is_, "ought": a.ought, **({"gap": a.gap, "reason": a.reason} if a.gap else {})}
                    for n, a in g.answers.items()}}
        for g in record.groups]
    if record.passage is not None:
        data["passage"] = record.passage.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_csh(record: CshRecord, folder: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``csh.yaml`` into a user's case folder atomically (shipped cases refuse)."""
    return save_text(folder, "csh.yaml", csh_yaml_text(record), overwrite=overwrite)


def build_csh(groups: Mapping[str, Mapping[int, tuple[str, str]]]) -> CshRecord:
    """Build a record from ``{group: {number: (is, ought)}}`` (for examples and exercises)."""
    return CshRecord(groups=[CshGroup(group=name, answers={n: CshAnswer(**{"is": i, "ought": o})
                                                           for n, (i, o) in answers.items()})
                             for name, answers in groups.items()])


