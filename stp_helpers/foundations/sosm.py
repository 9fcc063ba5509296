"""Choosing methods with Jackson's system of systems methodologies (SOSM).

The grid crosses the problem context (simple or complex) with the relation
between participants (unitary, pluralist or coercive).  Each of the six
cells names the systems approaches Jackson (2003) relates to it, and the
workbook's notebooks that teach them.  The grid is a heuristic for choosing
and combining methods, not a prescription (Jackson 2019).

Placing a case uses seven yes/no questions (a workbook rule): the context is
complex when at least two of its four questions are answered yes; the
participants are coercive when someone decides for others or people affected
are left out, unitary when everyone agrees on purpose and success, pluralist
when they disagree but an accommodation is possible, and coercive otherwise.

Examples
--------
>>> cell = place("complex", "pluralist")
>>> cell.approaches
('Interactive planning', 'Soft systems methodology')
>>> classify({"many-parts": True, "changes-over-time": True, "agree-purpose": False,
...           "accommodation": True, "imposed": False}).label
'complex–pluralist'
>>> place("tangled", "unitary")
Traceback (most recent call last):
...
stp_helpers.errors.StpError: 'tangled' is not a problem context. Use 'simple' or 'complex'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from stp_helpers.errors import StpError
from stp_helpers.display import HTML, Markdown
from stp_helpers.foundations.content import SosmCell, load_foundations, table

__all__ = ["CONTEXTS", "PARTICIPANTS", "Placement", "place", "classify", "questions", "preset", "grid_table",
           "placement_of", "cells_table", "vignette_text"]

#: Problem contexts, simple first.
CONTEXTS = ("simple", "complex")
#: Relations between participants.
PARTICIPANTS = ("unitary", "pluralist", "coercive")


@dataclass(frozen=True)
class Placement:
    """Where a case sits in the grid and what fits it.

    Attributes
    ----------
    context, participants : str
        The cell.
    approaches : tuple of str
        Jackson's approaches for the cell.
    notebooks : tuple of str
        The workbook's notebooks (relative to ``notebooks/``) that teach them.
    reasons : tuple of str
        Why the case was placed there, one line per axis.
    """

    context: str
    participants: str
    approaches: tuple[str, ...]
    notebooks: tuple[str, ...]
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The cell as 'complex–pluralist'."""
        return f"{self.context}–{self.participants}"

    def __repr__(self) -> str:
        lines = [f"{self.label}: {', '.join(self.approaches)}",
                 f"In this workbook: {', '.join(self.notebooks)}"]
        return "\n".join(lines + list(self.reasons))


def _cell(context: str, participants: str) -> SosmCell:
    if context not in CONTEXTS:
        raise StpError(f"{context!r} is not a problem context.", fix="Use 'simple' or 'complex'.")
    if participants not in PARTICIPANTS:
        raise StpError(f"{participants!r} is not a relation between participants.",
                       fix="Use 'unitary', 'pluralist' or 'coercive'.")
    return next(c for c in load_foundations().sosm.cells
                if c.context == context and c.participants == participants)


def place(context: str, participants: str) -> Placement:
    """Return the grid cell for a context and a relation between participants.

    Parameters
    ----------
    context : {'simple', 'complex'}
    participants : {'unitary', 'pluralist', 'coercive'}

    Returns
    -------
    Placement

    Raises
    ------
    StpError
        When either is not one of the grid's values.
    """
    cell = _cell(context.strip().lower(), participants.strip().lower())
    return Placement(cell.context, cell.participants, cell.approaches, cell.notebooks)


def placement_of(answers: Mapping[str, bool]) -> tuple[str, str, tuple[str, ...]]:
    """Return context, participants and the reasons, from answers to :func:`questions`."""
    known = {q.id for q in load_foundations().sosm.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise StpError(f"{unknown[0]!r} is not one of the placing questions.",
                       fix=f"Use the ids: {', '.join(sorted(known))}.")
    context_ids = [q.id for q in load_foundations().sosm.questions if q.axis == "context"]
    yes = sum(bool(answers.get(q)) for q in context_ids)
    context = "complex" if yes >= 2 else "simple"
    reasons = [f"Context {context}: {yes} of {len(context_ids)} signs of complexity (two or more make it complex)."]
    if answers.get("imposed"):
        participants, why = "coercive", "some decide for others, or people affected are left out"
    elif answers.get("agree-purpose"):
        participants, why = "unitary", "they agree on purpose and on what counts as success"
    elif answers.get("accommodation"):
        participants, why = "pluralist", "they disagree, but an accommodation is possible"
    else:
        participants, why = "coercive", "they disagree and no accommodation seems possible"
    reasons.append(f"Participants {participants}: {why}.")
    return context, participants, tuple(reasons)


def classify(answers: Mapping[str, bool]) -> Placement:
    """Place a case from yes/no answers to the placing questions (missing answers count as no).

    Raises
    ------
    StpError
        When an answer's id is not one of the questions.
    """
    context, participants, reasons = placement_of(answers)
    cell = place(context, participants)
    return Placement(cell.context, cell.participants, cell.approaches, cell.notebooks, reasons)


def questions() -> pd.DataFrame:
    """The placing questions, one row each: id, axis and text."""
    return pd.DataFrame([q.model_dump() for q in load_foundations().sosm.questions])


def preset(slug: str) -> tuple[dict[str, bool], str] | None:
    """The workbook's reading of a shipped case (answers and evidence), or None for other cases."""
    found = load_foundations().sosm.presets.get(slug)
    return (dict(found.answers), found.evidence) if found else None


def grid_table(highlight: tuple[str, str] | None = None) -> pd.DataFrame:
    """The six cells as rows: context, participants, approaches, notebooks, and whether highlighted."""
    rows = []
    for cell in load_foundations().sosm.cells:
        rows.append({"context": cell.context, "participants": cell.participants,
                     "approaches": "; ".join(cell.approaches),
                     "notebooks": ", ".join(n.split("/")[-1].removesuffix(".ipynb") for n in cell.notebooks),
                     "chosen": highlight == (cell.context, cell.participants)})
    return pd.DataFrame(rows)


def cells_table() -> HTML:
    """The six cells with Jackson's approaches and the workbook's notebooks that teach them."""
    return table([{"context": c.context, "participants": c.participants, "approaches (Jackson 2003)":
                   ", ".join(c.approaches), "in this workbook": ", ".join(c.notebooks)}
                  for c in load_foundations().sosm.cells])


def vignette_text(vignette_id: str) -> Markdown:
    """A vignette to place, as a quotation with its source."""
    found = load_foundations().vignette(vignette_id)
    return Markdown(f"> {found.text}\n\n*Source: {found.source}.*")
