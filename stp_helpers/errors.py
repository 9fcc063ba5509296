"""One family of errors for everything a user can cause.

Every error says **what** went wrong, **where** (file, row, column as a
spreadsheet shows them, header = row 1, paths relative to the project root)
and **how to fix** it.  Apps show :meth:`StpError.to_html` in their status
line; the command line prints ``str(err)``.

Examples
--------
>>> err = CaseFileError([Problem("data/cases/x/cld.csv", "'++' is not a link polarity.",
...                              row=14, column="polarity", fix='Use "+" or "-".')])
>>> print(err)
data/cases/x/cld.csv, row 14, column "polarity": '++' is not a link polarity. Use "+" or "-".
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "StpError",
    "Problem",
    "RuleFinding",
    "CaseFileError",
    "CaseNotFoundError",
    "CaseExistsError",
    "WriteError",
    "ModelError",
    "EnsembleUnsupported",
    "GraphError",
    "SeriesError",
    "OptionsError",
    "RobustnessError",
    "ScenarioError",
    "ImageError",
    "CshError",
    "EngagementError",
    "StakeholderError",
    "VsmError",
    "MAX_REPORTED",
]

#: How many problems of one file are reported before the rest are summarised.
MAX_REPORTED = 20


@dataclass(frozen=True)
class RuleFinding:
    """One quality finding on a learner's artefact: the rule, the field, what is wrong and how to fix it.

    Not raised: a draft that breaks a rule is work in progress, not an error.

    >>> str(RuleFinding("SC-1", "client", "no client is named.", "Name who commissions the work."))
    'SC-1 client: no client is named. Name who commissions the work.'
    """

    rule: str
    field: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.rule} {self.field}: {self.problem} {self.fix}"


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: what, where and how to fix it.

    Parameters
    ----------
    path : str
        The file, relative to the project root where possible.
    problem : str
        What is wrong, in a sentence.
    row : int or None
        Row as a spreadsheet shows it (header = row 1).
    column : str or None
        Column or field name (``"sources[0].title"`` for nested YAML fields).
    fix : str or None
        What to do about it.
    line : int or None
        Line of a text file (YAML, .mdl), counted from 1.
    """

    path: str
    problem: str
    row: int | None = None
    column: str | None = None
    fix: str | None = None
    line: int | None = None

    def where(self) -> str:
        """Return ``path, row N, column "c"`` with the parts that are known."""
        parts = [self.path]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.problem}"
        if self.fix:
            text += f" {self.fix}"
        return text


class StpError(Exception):
    """Base of every error a user of the workbook can cause.

    Parameters
    ----------
    problem : str
        What went wrong.
    fix : str or None
        How to fix it.
    """

    def __init__(self, problem: str, fix: str | None = None) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.problem + (f" {self.fix}" if self.fix else "")

    def lines(self) -> list[str]:
        """Return the message as a list of lines (one per problem)."""
        return [str(self)]

    def to_html(self) -> str:
        """Return the message as HTML for an app's status line."""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return f'<div class="stp-error" role="alert"><ul>{items}</ul></div>'


class CaseFileError(StpError):
    """One or more problems in the files of a case folder.

    Parameters
    ----------
    problems : sequence of Problem
        Every problem found (up to :data:`MAX_REPORTED` are listed).
    """

    def __init__(self, problems: Sequence[Problem] | Iterable[Problem]) -> None:
        self.problems = list(problems)
        if not self.problems:
            raise ValueError("CaseFileError needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        shown = [str(p) for p in self.problems[:MAX_REPORTED]]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"... and {hidden} more problem(s) of the same kind.")
        return shown

    def __str__(self) -> str:
        return self._summary()


class CaseNotFoundError(StpError):
    """A case slug or folder that does not exist."""


class CaseExistsError(StpError):
    """Saving or creating would overwrite a user's existing file or case."""


class WriteError(StpError):
    """A file could not be written: a read-only folder, a full disk, no permission."""


class ModelError(StpError):
    """A stock-and-flow model that cannot be loaded or run."""


class EnsembleUnsupported(ModelError):
    """A model (or a study) the ensemble engine cannot run over arrays; it runs per run."""


class GraphError(StpError):
    """A diagram (CLD, activity model, network) that cannot be analysed."""


class SeriesError(StpError):
    """A series that cannot be charted: not numbers, values missing, too few points."""


class OptionsError(StpError):
    """An options appraisal that cannot be computed (no weight, unknown criterion ...)."""


class RobustnessError(StpError):
    """A payoff table or set of weights that the decision rules cannot use."""


class ScenarioError(StpError):
    """A scenario structure used in a way it cannot answer (e.g. a tree walked with bad answers)."""


class ImageError(StpError):
    """An uploaded rich picture that cannot be used."""


class CshError(StpError):
    """A CSH record or answer that cannot be used as it stands."""


class EngagementError(StpError):
    """An engagement plan or workshop that cannot be used as it stands."""


class StakeholderError(StpError):
    """A stakeholder register that cannot be used as it stands."""


class VsmError(GraphError):
    """A VSM description that cannot be built, diagnosed or drawn."""
