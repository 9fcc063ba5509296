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

__all__ = ["largest_agency", "contact_share"]


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("services", "").split())


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
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise TypeError("answer should be a number of per cent, e.g. 12.5")
    expected = scoping.contact_share(case, agency)
    if abs(answer - expected) <= 0.5:
        right = [f"{agency} holds {expected:.1f}% of the counted contacts."]
        if isinstance(prediction, str) and prediction.strip().lower() in {"more", "less"}:
            actual = "more" if expected > 25 else "less"
            verdict = "matched" if prediction.strip().lower() == actual else "did not match"
            right.append(f"Your prediction ({prediction.strip().lower()} than a quarter) {verdict} the data.")
        return Feedback(True, right=right,
                        question="Which of those contacts might an earlier response have prevented?")
    if abs(answer - expected / 100) <= 0.005:
        return Feedback(False, right=["The ratio is right."], fix="Give it in per cent: multiply by 100.")
    return Feedback(False, fix=f"Divide {agency}'s contacts by the total of all counted contacts "
                               "(leave out the agencies with no count).",
                    question="Which agencies did the case history not quantify, and why does that matter?")
