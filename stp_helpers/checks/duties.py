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
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choices, Number
from stp_helpers.checks.matching import canonical
from stp_helpers.checks.prediction import count_note, own_count_note

__all__ = ["missing_artefacts", "artefacts_exercise"]


def _file_key(name: Any) -> str:
    """A file named with or without its extension, in any case: "Drivers" is drivers.csv."""
    return canonical(str(name).strip().rsplit(".", 1)[0] if "." in str(name) else str(name))


def missing_artefacts(answer: Any, case: Case, duty: int, prediction: Any = ...) -> Feedback:
    """Check a list of the duty's evidence artefacts the case does not have yet.

    Files are read with or without their extension (``"drivers"`` is ``drivers.csv``);
    ``prediction`` (how many the learner expected to be missing) is set beside the result.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError('answer should be a list of file names, e.g. ["cld.csv"]')
    names = {_file_key(a): a for a in duties.guidance(duty).artefacts}
    given = {names.get(_file_key(a), str(a).strip()) for a in answer}
    expected = set(duties.missing_artefacts(case, duty))
    total = len(duties.guidance(duty).artefacts)
    if given == expected:
        listed = ", ".join(sorted(expected)) or "none"
        return Feedback(True, right=[f"The case lacks {len(expected)} of the duty's {total} evidence artefacts: {listed}."],
                        question=count_note(prediction, len(expected), "missing artefact")
                        or "Which of them would you make first, and with whom?")
    note = own_count_note(prediction, len(given), "missing artefact")
    note = f" {note}" if note else ""
    wrong = sorted(given - expected)
    if wrong:
        return Feedback(False, right=[f"{len(given & expected)} of your files are right."],
                        fix=f"The case already has or does not need {wrong[0]}; compare with the 'in case' column "
                            f"above.{note}")
    return Feedback(False, right=[f"All {len(given)} files you listed are missing indeed."],
                    fix=f"{len(expected - given)} more artefact(s) of this duty are missing; look again at the table "
                        f"above.{note}")


def artefacts_exercise(case: Case, duty: int, answer: Any = ..., prediction: Any = ...,
                       notebook: str = "") -> Exercise:
    """The app for "list the duty's evidence the case lacks": tick files, after predicting how many."""
    listed = list(duties.guidance(duty).artefacts)
    missing = sorted(duties.missing_artefacts(case, duty))
    app = Exercise(
        "missing_artefacts", lambda a, p: missing_artefacts(sorted(a) if isinstance(a, set) else a, case, duty, p),
        Choices(f"Duty {duty} artefacts the case lacks", listed), ", ".join(missing) or "none",
        explanation="Compare each of the duty's evidence artefacts with the case's folder: the 'in case' column "
                    "of the table above.",
        predict=Number("Missing artefacts you expect", units=f"of {len(listed)}", integer=True), notebook=notebook,
        title=f"Tick the duty {duty} evidence artefacts this case does not have yet.")
    return app.submit(answer, prediction)
