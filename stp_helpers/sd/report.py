"""What a model validation finds: one :class:`Check` per test, collected in a :class:`ValidationReport`.

The tests themselves are in :mod:`stp_helpers.sd.validation`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Check", "ValidationReport"]


@dataclass(frozen=True)
class Check:
    """The outcome of one validation test.

    Attributes
    ----------
    test : str
        Name of the test (e.g. ``"Integration error (DT-1)"``).
    status : str
        ``"pass"``, ``"warn"`` or ``"fail"``.
    sentence : str
        What was found, in a sentence or two.
    details : pandas.DataFrame
        The evidence (may be empty).
    """

    test: str
    status: str
    sentence: str
    details: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)

    @property
    def passed(self) -> bool:
        """True unless the status is ``"fail"``."""
        return self.status != "fail"


@dataclass
class ValidationReport:
    """Every check run on one model.

    Attributes
    ----------
    model : str
        The model's name.
    checks : list of Check
    """

    model: str
    checks: list[Check]

    @property
    def passed(self) -> bool:
        """True if no check failed."""
        return all(c.passed for c in self.checks)

    def table(self) -> pd.DataFrame:
        """Return one row per check: test, status, sentence."""
        return pd.DataFrame(
            [(c.test, c.status, c.sentence) for c in self.checks],
            columns=["test", "status", "finding"],
        )

    def __str__(self) -> str:
        lines = [f"Validation of {self.model}: "
                 f"{sum(c.status == 'pass' for c in self.checks)} passed, "
                 f"{sum(c.status == 'warn' for c in self.checks)} warnings, "
                 f"{sum(c.status == 'fail' for c in self.checks)} failed."]
        lines += [f"[{c.status.upper()}] {c.test}: {c.sentence}" for c in self.checks]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(c.test)}</td><td><b>{c.status.upper()}</b></td>"
            f"<td>{html.escape(c.sentence)}</td></tr>" for c in self.checks
        )
        head = html.escape(str(self).splitlines()[0])
        return (f"<div><p>{head}</p><table><tr><th>Test</th><th>Status</th>"
                f"<th>Finding</th></tr>{rows}</table></div>")
