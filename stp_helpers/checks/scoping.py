"""Exercise checks for scoping a case (the Wiltshire notebook).

Examples
--------
>>> from stp_helpers import case
>>> wilts = case.load("wiltshire-complex-needs")
>>> largest_agency(..., wilts)
Your turn: fill in the cell above, then run this one.
>>> largest_agency("Police", wilts)
Not yet. Police is the second largest, with 238 contacts. Look again at the housing column of the table above. Why might one agency's contacts dwarf the others'?
"""

from __future__ import annotations

from typing import Any

from stp_helpers import scoping
from stp_helpers.case import Case
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Number, ShortText
from stp_helpers.checks.matching import Vocabulary, canonical

__all__ = ["largest_agency", "contact_share", "share_exercise", "largest_agency_exercise", "MORE_LESS"]

#: "More or less than a quarter", in the learner's usual words.
MORE_LESS = Vocabulary({"more": ("more", "more than a quarter", "over a quarter", "above", "higher"),
                        "less": ("less", "less than a quarter", "under a quarter", "below", "lower", "fewer")})


def _norm(text: str) -> str:
    return " ".join(w for w in canonical(text).split() if w not in {"service", "services"})


def largest_agency(answer: Any, case: Case) -> Feedback:
    """Check a prediction of the agency with the most contacts."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError("answer should be the agency's name as text, e.g. \"Police\"")
    table = scoping.contacts_table(case)
    question = "Why might one agency's contacts dwarf the others'?"
    names = [_norm(a) for a in table["agency"]]
    if _norm(answer) == names[0]:
        return Feedback(True, right=[f"{table['agency'][0]} recorded {int(table['contacts'][0])} contacts."],
                        question="What does each of those contacts cost the agency, and the person?")
    if _norm(answer) in names:
        rank = names.index(_norm(answer))
        ordinal = {1: "second", 2: "third"}.get(rank, f"number {rank + 1}")
        right = [f"{table['agency'][rank]} is the {ordinal} largest, with {int(table['contacts'][rank])} contacts."]
        return Feedback(False, right=right,
                        fix=f"Look again at the {table['agency'][0].split()[0].lower()} column of the table above.",
                        question=question)
    return Feedback(False, fix=f"{answer!r} is not one of the agencies counted; choose from: "
                               f"{', '.join(table['agency'])}.", question=question)


def contact_share(answer: Any, case: Case, agency: str = "Police", prediction: Any = None) -> Feedback:
    """Check a computed share (per cent) of counted contacts for one agency.

    ``prediction`` ("more" or "less" than a quarter) is compared with the result.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str):
        try:
            answer = float(answer.strip().rstrip("%").replace(",", ""))
        except ValueError:
            return Feedback(False, fix=f"{answer.strip()!r} is not a number: give the share as a number of per cent, "
                                       "e.g. 12.5.")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise TypeError("answer should be a number of per cent, e.g. 12.5")
    expected = scoping.contact_share(case, agency)
    said = MORE_LESS.match(prediction)
    if abs(answer - expected) <= 0.5:
        right = [f"{agency} holds {expected:.1f}% of the counted contacts."]
        if said is not None:
            actual = "more" if expected > 25 else "less"
            verdict = "matched" if said == actual else "did not match"
            right.append(f"Your prediction ({said} than a quarter) {verdict} the data.")
        return Feedback(True, right=right,
                        question="Which of those contacts might an earlier response have prevented?")
    if abs(answer - expected / 100) <= 0.005:
        return Feedback(False, right=["The ratio is right."], fix="Give it in per cent: multiply by 100.")
    mine = "more" if answer > 25 else "less"
    note = (f" Your answer says {mine} than a quarter; you predicted {said}." if said is not None and said != mine
            else "")
    return Feedback(False, fix=f"Divide {agency}'s contacts by the total of all counted contacts "
                               "(leave out the agencies with no count)." + note,
                    question="Which agencies did the case history not quantify, and why does that matter?")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def share_exercise(case: Case, answer: Any = ..., prediction: Any = ..., agency: str = "Police") -> Exercise:
    """The app for "find the police share of demand": a number in per cent, after a more/less prediction."""
    expected = scoping.contact_share(case, agency)
    app = Exercise(
        "contact_share", lambda a, p: contact_share(a, case, agency, prediction=p),
        Number(f"{agency} share", units="% of counted contacts"), f"{expected:.1f}%",
        explanation=f"{agency}'s counted contacts divided by the total of all counted contacts, times 100.",
        predict=Choice("More or less than a quarter?", ["more", "less"]), notebook="cases/wiltshire.ipynb",
        title=f"What share of the counted contacts did {agency.lower()} record, in per cent?")
    return app.submit(answer, prediction)


def largest_agency_exercise(case: Case, answer: Any = ...) -> Exercise:
    """The app for "name the agency with the most contacts": a typed name, case and "services" ignored."""
    table = scoping.contacts_table(case)
    app = Exercise(
        "largest_agency", lambda a, _p: largest_agency(a, case),
        ShortText("Agency", placeholder="an agency's name"), str(table["agency"][0]),
        explanation=f"{table['agency'][0]} recorded {int(table['contacts'][0])} contacts, more than any other "
                    "agency.", notebook="cases/wiltshire.ipynb",
        title="Which agency recorded the most contacts? Type its name.")
    return app.submit(answer)
