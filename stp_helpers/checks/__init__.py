"""Formative feedback for exercises: predict, do, check.

A check function returns a :class:`Feedback`: what is right first, then the
*first* thing to fix with a hint (never the answer), then one reflective
question.  A ``...`` answer reads "Your turn".  Feedback is deterministic: no
random praise, no timestamps, no files written.  Check functions raise only
when misused (a wrong type), never because an answer is wrong.

Examples
--------
>>> Feedback(passed=True, right=["All four loops found."], question="Which one dominates?")
Correct. All four loops found. Which one dominates?
>>> your_turn()
Your turn: fill in the cell above, then run this one.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stp_helpers.checks.matching import canonical

__all__ = ["Feedback", "is_placeholder", "normalise", "your_turn"]

YOUR_TURN = "Your turn: fill in the cell above, then run this one."


@dataclass(frozen=True)
class Feedback:
    """The result of checking an exercise answer.

    Parameters
    ----------
    passed : bool or None
        ``True`` when the answer is right, ``False`` when something is to fix,
        ``None`` when there is no answer yet.
    right : sequence of str
        What the learner got right, said first.
    fix : str or None
        The first thing to fix, with a hint (never the answer).
    question : str or None
        One reflective question.
    """

    passed: bool | None
    right: Sequence[str] = field(default_factory=tuple)
    fix: str | None = None
    question: str | None = None

    def _parts(self) -> list[str]:
        if self.passed is None:
            return [YOUR_TURN]
        parts = ["Correct." if self.passed else "Not yet."]
        parts += list(self.right)
        if self.fix:
            parts.append(self.fix)
        if self.question:
            parts.append(self.question)
        return parts

    def __repr__(self) -> str:
        return " ".join(self._parts())

    def _repr_html_(self) -> str:
        colour = {True: "#009E73", False: "#D55E00", None: "#0072B2"}[self.passed]
        head, *rest = self._parts()
        body = " ".join(html.escape(p) for p in rest)
        return (
            f'<div class="stp-feedback" style="border-left:4px solid {colour};'
            f'padding:4px 10px;font-size:15px"><strong>{html.escape(head)}</strong> {body}</div>'
        )


def your_turn() -> Feedback:
    """Return the calm feedback shown while an answer is still ``...``."""
    return Feedback(passed=None)


def is_placeholder(answer: Any) -> bool:
    """Return True when ``answer`` is the starter placeholder ``...`` (or None).

    >>> is_placeholder(...), is_placeholder("R1")
    (True, False)
    """
    return answer is Ellipsis or answer is None


def normalise(text: Any) -> str:
    """Return ``text`` as checks compare answers: the one matcher's canonical form.

    Case, articles, punctuation, hyphens, plurals and British/US spelling do not
    count (see :func:`stp_helpers.checks.matching.canonical`).

    >>> normalise("  Early   Help ")
    'early help'
    >>> normalise("A multi-agency hub") == normalise("multi agency hubs")
    True
    """
    return canonical(text)
