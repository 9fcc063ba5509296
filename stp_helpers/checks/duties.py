"""Exercise checks for the duty notebooks.

Examples
--------
>>> from stp_helpers import case
>>> wilts = case.load("wiltshire-complex-needs")
>>> flamingos = case.load("wolverhampton-flamingos")
>>> missing_artefacts(["indicators.csv", "contribution.yaml", "demand.csv", "logic_model.yaml"], flamingos, 12)
Correct. The case lacks 4 of the duty's 4 evidence artefacts: contribution.yaml, demand.csv, indicators.csv, logic_model.yaml. Which of them would you make first, and with whom?
>>> missing_artefacts(["drivers.csv"], wilts, 8)
Not yet. 0 of your files are right. The case already has or does not need drivers.csv; compare with the 'in case' column above.
"""

from __future__ import annotations

from typing import Any

from stp_helpers import duties
from stp_helpers.case import Case
from stp_helpers.checks import Feedback, is_placeholder, your_turn

__all__ = ["missing_artefacts"]


def missing_artefacts(answer: Any, case: Case, duty: int) -> Feedback:
    """Check a list of the duty's evidence artefacts the case does not have yet."""
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError('answer should be a list of file names, e.g. ["cld.csv"]')
    given = {str(a).strip() for a in answer}
    expected = set(duties.missing_artefacts(case, duty))
    total = len(duties.guidance(duty).artefacts)
    if given == expected:
        listed = ", ".join(sorted(expected)) or "none"
        return Feedback(True, right=[f"The case lacks {len(expected)} of the duty's {total} evidence artefacts: {listed}."],
                        question="Which of them would you make first, and with whom?")
    wrong = sorted(given - expected)
    if wrong:
        return Feedback(False, right=[f"{len(given & expected)} of your files are right."],
                        fix=f"The case already has or does not need {wrong[0]}; compare with the 'in case' column above.")
    return Feedback(False, right=[f"All {len(given)} files you listed are missing indeed."],
                    fix=f"{len(expected - given)} more artefact(s) of this duty are missing; look again at the table above.")
