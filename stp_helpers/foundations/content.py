"""The foundations' teaching content, read once from ``data/foundations.yaml`` and validated.

The content is data, so each notebook's words live in one place and the
checks, apps and charts read the same facts.  Entries name their literature;
the workbook's own readings say so.

Examples
--------
>>> [c.id for c in load_foundations().concepts]
['boundary', 'emergence', 'feedback', 'purpose']
>>> print(table([{"term": "Emergence", "source": "Checkland (1981)"}]))
term: Emergence; source: Checkland (1981)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from stp_helpers import paths
from stp_helpers.display import HTML
from stp_helpers.io.tables import read_yaml_model

__all__ = ["Concept", "Tradition", "Paradigm", "Sosm", "SosmCell", "Question", "Preset", "Learning",
           "Episode", "QuizItem", "Vignette", "Quizzes", "Regime", "Situation", "Law", "Foundations", "load_foundations", "table"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Concept(_Frozen):
    """A core systems concept with a worked example."""

    id: str
    name: str
    definition: str
    source: str
    example: str


class Tradition(_Frozen):
    """A tradition (school) of systems thinking and the assumptions it makes."""

    id: str
    name: str
    question: str
    ontology: str
    epistemology: str
    approaches: tuple[str, ...]
    notebooks: tuple[str, ...]
    authors: str


class Paradigm(_Frozen):
    """A term of the philosophy of inquiry."""

    term: str
    meaning: str
    source: str


class SosmCell(_Frozen):
    """One cell of Jackson's system of systems methodologies."""

    context: str = Field(pattern="^(simple|complex)$")
    participants: str = Field(pattern="^(unitary|pluralist|coercive)$")
    approaches: tuple[str, ...]
    notebooks: tuple[str, ...]


class Question(_Frozen):
    """A yes/no question that places a case on one axis of the grid."""

    id: str
    axis: str = Field(pattern="^(context|participants)$")
    text: str


class Preset(_Frozen):
    """The workbook's reading of a shipped case, with the evidence for it."""

    answers: dict[str, bool]
    evidence: str


class Sosm(_Frozen):
    """Jackson's grid: contexts, participants, cells, placing questions."""

    source: str
    contexts: dict[str, str]
    participants: dict[str, str]
    cells: tuple[SosmCell, ...]
    questions: tuple[Question, ...]
    presets: dict[str, Preset]


class Episode(_Frozen):
    """A learning episode and the loop of learning it shows."""

    id: str
    text: str
    loop: str = Field(pattern="^(single|double)$")
    why: str
    source: str


class _Named(_Frozen):
    id: str
    name: str
    meaning: str
    source: str | None = None


class _ChangeMethod(_Frozen):
    name: str
    idea: str
    source: str


class _JournalEntry(_Frozen):
    id: str
    text: str
    stage: str


class Learning(_Frozen):
    """Loops of learning, Kolb's cycle, change methods and their examples."""

    loops: tuple[_Named, ...]
    kolb: tuple[_Named, ...]
    change_methods: tuple[_ChangeMethod, ...]
    episodes: tuple[Episode, ...]
    journal: tuple[_JournalEntry, ...]


class Regime(_Frozen):
    """A body of law a practitioner in England works within."""

    id: str
    short: str
    name: str
    duty: str
    sources: tuple[str, ...]


class Situation(_Frozen):
    """A situation in systems work and the regime it most directly engages."""

    id: str
    text: str
    regime: str


class _Activity(_Frozen):
    activity: str
    regimes: tuple[str, ...]


class _Basis(_Frozen):
    id: str
    name: str
    note: str


class Law(_Frozen):
    """Law, regulation and safety: guidance, not legal advice."""

    notice: str
    regimes: tuple[Regime, ...]
    activities: tuple[_Activity, ...]
    situations: tuple[Situation, ...]
    lawful_bases: tuple[_Basis, ...]


class QuizItem(_Frozen):
    """A statement and the answer it is matched with."""

    id: str
    text: str
    answer: str


class Vignette(_Frozen):
    """A described situation and the grid cell it belongs in."""

    id: str
    text: str
    context: str = Field(pattern="^(simple|complex)$")
    participants: str = Field(pattern="^(unitary|pluralist|coercive)$")
    source: str


class Quizzes(_Frozen):
    """Statements for the foundations' exercises, with their answers."""

    concepts: tuple[QuizItem, ...]
    traditions: tuple[QuizItem, ...]
    philosophy: tuple[QuizItem, ...]
    vignettes: tuple[Vignette, ...]


class Foundations(_Frozen):
    """All the foundations' content."""

    concepts: tuple[Concept, ...]
    traditions: tuple[Tradition, ...]
    paradigms: tuple[Paradigm, ...]
    sosm: Sosm
    learning: Learning
    law: Law
    quizzes: Quizzes

    def quiz(self, name: str) -> tuple[QuizItem, ...]:
        """Return the items of one quiz: 'concepts', 'traditions' or 'philosophy'."""
        return getattr(self.quizzes, name)

    def vignette(self, vignette_id: str) -> Vignette:
        """Return a vignette by id."""
        return next(v for v in self.quizzes.vignettes if v.id == vignette_id)


@lru_cache(maxsize=1)
def load_foundations() -> Foundations:
    """Return the foundations' content shipped with the package (validated)."""
    return read_yaml_model(paths.PACKAGE_DIR / "data" / "foundations.yaml", Foundations)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> HTML:
    """Return rows as a left-aligned HTML table with no index, escaping every cell once.

    The plain-text form gives one line per row, ``column: value`` pairs joined by semicolons.
    """
    columns = list(columns or (rows[0].keys() if rows else ()))
    head = "".join(f'<th style="text-align:left">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td style="text-align:left;vertical-align:top;white-space:normal">'
                         f"{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in rows)
    text = "\n".join("; ".join(f"{c}: {r.get(c, '')}" for c in columns) for r in rows)
    return HTML(f'<table class="stp-table" style="font-size:15px"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>", text)
