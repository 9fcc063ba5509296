"""Exercise check for duty 5: where does the sustained change in a reference mode start?

The series is Wiltshire's failure demand share (``demand.csv``: failure
demand over all classified contacts, month by month, synthetic).  The answer
is read with the reference-mode rules (``RM-2``: the first point of a run of
eight or more on one side of the centre line), never typed in here.

Examples
--------
>>> shift_start("2021-01", prediction="shifts down")
Correct. The sustained change starts in 2021-01: from there 24 points in a row lie below the centre line of 0.631. You predicted 'shifts down', as the data show. Crisis-driven contacts shifted from 2021-03, 2 months later: which delayed link of the diagram could explain the lag?
>>> shift_start("2020-09")
Not yet. 2020-09 is one point outside the limits, inside the baseline: an unusual point, not a pattern. Look for eight or more points in a row on one side of the centre line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from stp_helpers import case as cases
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, ShortText
from stp_helpers.evaluation import indicators, patterns

__all__ = ["exercise_mode", "shift_start", "shift_start_exercise"]

_CASE = "wiltshire-complex-needs"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@lru_cache(maxsize=1)
def exercise_mode() -> patterns.ReferenceMode:
    """The exercise's series, Wiltshire's monthly failure demand share, read as a reference mode."""
    shares = indicators.failure_share_by_period(cases.load(_CASE).read("demand.csv"))
    return patterns.read_reference_mode(shares["failure_share"].tolist(), shares["period"].tolist(),
                                        name="Failure demand share", unit="share of contacts", baseline=12)


def _period(answer: str) -> str:
    """``"2021-01"``, ``"2021-1"``, ``"Jan 2021"`` or ``"January 2021"`` as ``YYYY-MM``; else the text as given."""
    text = answer.strip().lower()
    numeric = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})", text)
    if numeric:
        return f"{numeric.group(1)}-{int(numeric.group(2)):02d}"
    named = re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{4})", text)
    if named and named.group(1) in _MONTHS:
        return f"{named.group(2)}-{_MONTHS.index(named.group(1)) + 1:02d}"
    return answer.strip()


def _months_between(a: str, b: str) -> int:
    ya, ma = map(int, a.split("-"))
    yb, mb = map(int, b.split("-"))
    return (yb - ya) * 12 + (mb - ma)


def shift_start(answer: Any, prediction: Any = None) -> Feedback:
    """Check the month the sustained change in the failure demand share starts.

    Parameters
    ----------
    answer : str
        A month such as ``"2021-01"`` (``"Jan 2021"`` is read too).
    prediction : str, optional
        The shape the learner expected (one of :data:`stp_helpers.evaluation.patterns.SHAPES`).

    Raises
    ------
    TypeError
        When ``answer`` is not text.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a month as text, e.g. "2020-06"')
    mode = exercise_mode()
    given = _period(answer)
    if given not in mode.periods:
        return Feedback(False, fix=f"{answer.strip()!r} is not a month of the series; give one from "
                                   f"{mode.periods[0]} to {mode.periods[-1]} as YYYY-MM.")
    point = mode.periods.index(given) + 1
    start = mode.change_start or 0
    if point == start:
        run = next(s for s in mode.signals if s.rule == "4")
        said = [f"The sustained change starts in {given}: from there {len(run.points)} points in a row lie "
                f"{run.side} the centre line of {mode.before:.3f}."]
        if isinstance(prediction, str) and prediction:
            said.append(f"You predicted {prediction!r}, " + ("as the data show." if prediction == mode.shape
                                                              else f"and the data show {mode.shape!r}: what did "
                                                                   "the eye take for noise?"))
        contacts = patterns.case_reference_mode(cases.load(_CASE), "crisis_contacts")
        lag = _months_between(given, contacts.change_period) if contacts.change_period else 0
        question = (f"Crisis-driven contacts shifted from {contacts.change_period}, {lag} months later: which delayed "
                    "link of the diagram could explain the lag?" if lag > 0 else
                    "Which loop of the diagram could produce this shift?")
        return Feedback(True, right=said, question=question)
    if point in mode.unusual_points and point <= mode.limits.baseline:
        return Feedback(False, fix=f"{given} is one point outside the limits, inside the baseline: an unusual "
                                   "point, not a pattern. Look for eight or more points in a row on one side of the "
                                   "centre line.")
    if point > start:
        outside = " A point outside the limits is not where a change starts." if point in mode.unusual_points else ""
        return Feedback(False, fix=f"From {given} the points lie on one side of the centre line, but the run "
                                   f"starts earlier: count back to its first point.{outside}",
                        question="Why does the first point of a run matter more than the first point outside "
                                 "the limits?")
    return Feedback(False, fix=f"Around {given} the points still cross the centre line: the run of eight or more "
                               "on one side starts later.")


def shift_start_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "in which month does the sustained change start?"."""
    mode = exercise_mode()
    app = Exercise("reference_mode_shift", shift_start, ShortText("First month of the change", placeholder="YYYY-MM"),
                   mode.change_period or "", explanation=mode.sentence(),
                   predict=Choice("Its shape", patterns.SHAPES),
                   title="Read the failure demand share: in which month does the sustained change start?",
                   notebook="duty05.ipynb")
    return app.submit(answer, prediction)
