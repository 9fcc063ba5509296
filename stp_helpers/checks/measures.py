"""Formative check for classifying a case's contacts as value or failure demand.

Value demand is what a service exists to provide; failure demand is "caused by
a failure to do something or do something right for the customer" (Seddon 2003;
2008).  The learner reads a handful of contacts quoted from the case's demand
records (``demand.csv``), marks each value or failure demand, and for failure
demand names what failed: **not done** (a failure to do something), **not done
right** (a failure to do it right, so it comes back) or **progress chasing**
(asking where an earlier request has got to).  The check names the first row to
fix and why, in those terms; wordings go through the one matcher.

Examples
--------
>>> contacts = (Contact("chasing a place on a course", "failure", ("progress chasing",), 90),
...             Contact("first careers advice", "value", (), 110))
>>> demand_classes({1: ("failure", "chasing progress"), 2: "value demand"}, contacts, prediction=1)
Correct. Both contacts classified: 1 failure demand (1: progress chasing) and 1 value demand. In the records, failure demand is 90 of 200 contacts (45%). You predicted 1 of the 2 would be failure demand, and 1 is. What told you, before classifying?
>>> demand_classes({1: "value", 2: "value"}, contacts)
Not yet. 1 of 2 contacts classified as Seddon would. Row 1 (“chasing a place on a course”): you marked it value demand, but it comes only because of something earlier: failure demand is caused by a failure to do something, or do it right, for the person. Would this contact come at all if the service had worked the first time?
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stp_helpers import report
from stp_helpers.case import Case, list_cases, load
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Column, Number, Table
from stp_helpers.checks.matching import Vocabulary, canonical
from stp_helpers.checks.prediction import as_number
from stp_helpers.display import Markdown, join, md, numbered
from stp_helpers.errors import StpError

__all__ = ["DEMAND_KIND", "WHAT_FAILED", "Contact", "case_contacts", "classify_exercise", "contacts_list",
           "demand_classes"]

#: Value or failure demand (Seddon 2003; 2008), with the usual wordings.
DEMAND_KIND = Vocabulary({
    "failure": ("failure", "failure demand", "f", "fail", "failed", "avoidable", "avoidable demand",
                "avoidable contact"),
    "value": ("value", "value demand", "v", "valuable", "real demand", "what the service is for"),
}, optional=("demand", "contact"))

#: What failed, for failure demand: Seddon's failure to do something, or to do it right, and the chase.
WHAT_FAILED = Vocabulary({
    "not done": ("not done", "failure to do something", "failed to do something", "nothing done", "never done",
                 "not delivered", "not acted on", "no action", "did not happen", "didn't happen", "never happened",
                 "not resolved", "unresolved", "not fixed", "not met", "need not met", "turned away",
                 "not helped", "missed"),
    "not done right": ("not done right", "failure to do something right", "failed to do something right",
                       "done wrong", "wrong", "not right", "not done properly", "done badly", "error", "mistake",
                       "rework", "redo", "correction", "not right first time", "not right the first time",
                       "not done right first time", "repeat", "repeat contact", "wrong first time"),
    "progress chasing": ("progress chasing", "chasing", "chase", "chaser", "progress chase", "chasing progress",
                         "chasing up", "follow up", "following up", "progress enquiry", "status enquiry",
                         "checking progress", "where is it", "where is my request"),
}, optional=("demand", "contact", "failure", "a failure", "of"))

#: Words that say "nothing failed" in the what-failed cell of value demand.
_NOTHING = Vocabulary({"nothing": ("nothing", "none", "n a", "na", "not applicable", "nothing failed", "-", "no")})

#: A question per kind of failure, pointing at the idea, not the answer.
_FAILED_HINT = {
    "not done": "Has anything been done for the person yet, or are they back because nothing was?",
    "not done right": "Was something done for the person, but not right the first time, so it has to be done again?",
    "progress chasing": "Is the person asking for something new, or to have something put right, or only where "
                        "an earlier request has got to?",
}
_KINDS_OF_FAILURE = ("not done (a failure to do something), not done right (a failure to do it right) "
                     "or progress chasing")
_MAX_CONTACTS = 8


@dataclass(frozen=True)
class Contact:
    """One kind of contact quoted from a case's demand records.

    Parameters
    ----------
    text : str
        The demand as the records put it, e.g. "chasing a referral".
    kind : str
        ``"failure"`` or ``"value"``.
    failed : tuple of str
        For failure demand, the keys of :data:`WHAT_FAILED` the case accepts, the
        first being the model answer; empty when the case does not say.
    count : int
        Contacts of this kind over every period.
    """

    text: str
    kind: str
    failed: tuple[str, ...] = ()
    count: int = 0


def _failed_keys(text: str | None) -> tuple[str, ...]:
    keys = (WHAT_FAILED.match(part) for part in str(text or "").split(";"))
    return tuple(dict.fromkeys(k for k in keys if k is not None))


def case_contacts(slug_or_case: str | Case, limit: int = _MAX_CONTACTS) -> tuple[Contact, ...]:
    """The kinds of contact in a case's ``demand.csv``, in file order (empty when the case has none).

    >>> [(c.text, c.kind, c.failed) for c in case_contacts("stoke-neet")][:2]
    [('chasing a place on a course', 'failure', ('progress chasing',)), ('re-applying after dropping out', 'failure', ('not done right', 'not done'))]
    >>> case_contacts("wolverhampton-flamingos")
    ()
    """
    found = slug_or_case if isinstance(slug_or_case, Case) else load(slug_or_case)
    if not found.has("demand.csv"):
        return ()
    first: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for record in report.case_demand(found):
        first.setdefault(record.demand, record)
        counts[record.demand] = counts.get(record.demand, 0) + record.count
    return tuple(Contact(r.demand, r.kind, _failed_keys(r.failed) if r.kind == "failure" else (), counts[d])
                 for d, r in list(first.items())[:limit])


def _cases_with_demand() -> list[str]:
    """The slugs of the cases that hold demand records (a case that will not load is left out)."""
    found = []
    for slug in list_cases():
        try:
            if load(slug).has("demand.csv"):
                found.append(slug)
        except StpError:
            continue
    return found


def _none_text() -> Markdown:
    others = _cases_with_demand()
    return join([Markdown("**This case has no demand records** (`demand.csv`), so there are no contacts to "
                          "classify. Add them to your case (period, demand, kind, count), or set `CASE` to a case "
                          "that has them" + (":" if others else ".")),
                 *([md("{cases}.", cases=", ".join(others))] if others else [])], sep=" ")


def contacts_list(contacts: Sequence[Contact]) -> Markdown:
    """The contacts as a numbered list of quotes with their totals, case text escaped once.

    When there are none, says so and names the cases that have demand records.

    >>> contacts_list([Contact("chasing *a* referral", "failure", (), 12)])
    1. “chasing *a* referral” (12 contacts)
    >>> contacts_list([Contact("chasing *a* referral", "failure", (), 12)]).text
    '1. “chasing \\\\*a\\\\* referral” (12 contacts)'
    """
    if not contacts:
        return _none_text()
    return numbered(f"“{c.text}” ({c.count:,} contact{'s' * (c.count != 1)})" for c in contacts)


def _rows(answer: Any, contacts: Sequence[Contact]) -> dict[int, tuple[str, str]] | str:
    """The learner's (kind, what failed) per row number (1 first), or the text of what to fix in the form."""
    if isinstance(answer, Mapping):
        items = list(answer.items())
    elif isinstance(answer, (list, tuple)):
        items = list(enumerate(answer, start=1))
    else:
        raise TypeError("answer should be a dict such as {1: ('failure', 'progress chasing'), 2: 'value'}, "
                        f"not {type(answer).__name__}.")
    by_text = {canonical(c.text): i for i, c in enumerate(contacts, start=1)}
    rows: dict[int, tuple[str, str]] = {}
    for key, entry in items:
        if isinstance(key, str) and key.strip().isdigit():
            key = int(key)
        number = key if isinstance(key, int) and not isinstance(key, bool) else by_text.get(canonical(key))
        if number is None or not 1 <= number <= len(contacts):
            return (f"{str(key).strip()!r} is not one of the {len(contacts)} contacts listed; use their numbers "
                    f"(1 to {len(contacts)}) or their words.")
        if isinstance(entry, Mapping):
            entry = (entry.get("kind", ""), entry.get("failed", entry.get("what failed", "")))
        parts = tuple(entry) if isinstance(entry, (list, tuple)) else (entry,)
        kind, failed = (str(p).strip() if p is not None and p is not ... else "" for p in (*parts, "", "")[:2])
        if kind or failed:
            rows[number] = (kind, failed)
    return rows


def _row(i: int, contact: Contact) -> str:
    return f"Row {i} (“{contact.text}”)"


def _row_fix(i: int, contact: Contact, kind: str, failed: str) -> str | None:
    """What is wrong with one row, in Seddon's terms, or None when it is right."""
    where = _row(i, contact)
    mine = DEMAND_KIND.match(kind)
    if not kind:
        return f"{where} is still to classify: value or failure demand?"
    if mine is None:
        return f"{where}: {kind!r} is not a kind of demand; write value or failure."
    if mine != contact.kind:
        if contact.kind == "failure":
            return (f"{where}: you marked it value demand, but it comes only because of something earlier: failure "
                    "demand is caused by a failure to do something, or do it right, for the person. Would this "
                    "contact come at all if the service had worked the first time?")
        return (f"{where}: you marked it failure demand, but nothing has to have gone wrong before someone asks "
                "this: value demand is what the service exists to provide. Would this contact still come if the "
                "service worked perfectly?")
    said = WHAT_FAILED.match(failed) if failed else None
    if contact.kind == "value":
        if said is not None:
            return (f"{where}: value demand, yes, but you named what failed ({failed!r}). Nothing failed before a "
                    "value demand; leave what failed empty.")
        return None
    if not failed or _NOTHING.match(failed):
        return f"{where}: failure demand, yes; now name what failed: {_KINDS_OF_FAILURE}."
    if said is None:
        return f"{where}: {failed!r} is not a kind of failure this check knows; use {_KINDS_OF_FAILURE}."
    if contact.failed and said not in contact.failed:
        return f"{where}: failure demand, yes, but not {said}. {_FAILED_HINT[contact.failed[0]]}"
    return None


def _prediction_note(prediction: Any, truth: int, total: int) -> str | None:
    guess = as_number(prediction)
    if guess is None:
        return None
    shown, verb = f"{guess:g}", "is" if truth == 1 else "are"
    if guess == truth:
        return (f"You predicted {shown} of the {total} would be failure demand, and {truth} {verb}. What told you, "
                "before classifying?")
    more = "What made you expect more?" if guess > truth else "Which of them did you not expect?"
    return f"You predicted {shown} of the {total} would be failure demand; {truth} {verb}. {more}"


def demand_classes(answer: Any, contacts: Sequence[Contact], *, prediction: Any = ...) -> Feedback:
    """Check a classification of contacts as value or failure demand, with what failed (Seddon 2003; 2008).

    ``answer`` maps each contact (its number, 1 first, or its words) to ``(kind, what failed)``,
    or to the kind alone for value demand; a list in the contacts' order works too.
    ``prediction`` is how many of the contacts the learner expected to be failure demand.

    Raises
    ------
    TypeError
        ``answer`` is not a dict or a list.
    """
    if is_placeholder(answer):
        return your_turn()
    rows = _rows(answer, contacts)
    if isinstance(rows, str):
        return Feedback(False, [], rows)
    fixes = [(i, _row_fix(i, c, *rows.get(i, ("", "")))) for i, c in enumerate(contacts, start=1)]
    wrong = [(i, fix) for i, fix in fixes if fix is not None]
    failures = [c for c in contacts if c.kind == "failure"]
    if wrong:
        right = len(contacts) - len(wrong)
        said = [f"{right} of {len(contacts)} contacts classified as Seddon would."] if right else []
        mine = sum(DEMAND_KIND.match(k) == "failure" for k, _ in rows.values())
        guess = as_number(prediction)
        if guess is not None and guess != mine:
            said.append(f"You predicted {guess:g} of the {len(contacts)} would be failure demand; "
                        f"your answer marks {mine}.")
        return Feedback(False, said, wrong[0][1])
    total = sum(c.count for c in contacts)
    failed_count = sum(c.count for c in failures)
    named = ", ".join(f"{i}: {WHAT_FAILED.match(rows[i][1]) or 'failure'}"
                      for i, c in enumerate(contacts, start=1) if c.kind == "failure")
    said = [f"{'Both' if len(contacts) == 2 else f'All {len(contacts)}'} contacts classified: {len(failures)} "
            f"failure demand ({named}) and {len(contacts) - len(failures)} value demand."]
    if total:
        said.append(f"In the records, failure demand is {failed_count:,} of {total:,} contacts "
                    f"({failed_count / total:.0%}).")
    note = _prediction_note(prediction, len(failures), len(contacts))
    return Feedback(True, said, question=note or "Which failure demand would you design out first, and what "
                                                 "would that free for value demand?")


def _model_answer(contacts: Sequence[Contact]) -> str:
    return "; ".join(f"{i}. “{c.text}”: {c.kind} demand" + (f" ({' or '.join(c.failed)})" if c.failed else "")
                     for i, c in enumerate(contacts, start=1))


def classify_exercise(contacts: Sequence[Contact], answer: Any = ..., prediction: Any = ...) -> Exercise | Markdown:
    """The app for "classify the case's contacts": a kind and what failed per contact.

    A case with no demand records gets the sentence saying so instead of an app.
    """
    if not contacts:
        return _none_text()
    texts = tuple(c.text for c in contacts)
    app = Exercise(
        "demand_classes", lambda a, p: demand_classes(a, contacts, prediction=p),
        Table("Value or failure demand, and what failed",
              [Column("kind", ("value", "failure")), Column("what failed")],
              row_names=tuple(f"{i}. “{t}”" for i, t in enumerate(texts, start=1)),
              row_keys=tuple(range(1, len(texts) + 1))),
        _model_answer(contacts),
        explanation="Value demand is what the service exists to provide; failure demand is caused by a failure to "
                    "do something, or do it right, for the person, and it disappears when the service works the "
                    "first time (Seddon 2003; 2008).",
        predict=Number("Failure demand you expect", units=f"of {len(contacts)} contacts", integer=True),
        title="Classify each contact as value or failure demand; for failure demand, say what failed: not done, "
              "not done right, or progress chasing.")
    return app.submit(answer, prediction)
