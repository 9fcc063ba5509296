"""Formative checks for Critical Systems Heuristics, graded against the workbook's judged reading.

An is/ought gap is graded by the judged reading in the case's ``csh.yaml``
(``gap: none | some | wide`` with its reason): how far the two answers differ
in values, as the workbook judges it (Ulrich 1983; Ulrich & Reynolds 2010).
The share of words two answers have in common appears only as a labelled
prompt: words shared, not values.  A passage quoted from a case is read for
Ulrich's four social roles, each row checked on its own, with the usual
synonyms accepted by the one matcher.

Examples
--------
>>> from stp_helpers.stakeholders.csh_judged import build_csh, judge
>>> rec = judge(judge(build_csh({"A": {1: ("targets", "people"), 2: ("care", "care")}}),
...                   "A", 1, "wide", "Targets give way to people."), "A", 2, "none", "The same care.")
>>> judged_gap(2, rec, "A")
Not yet. Q2 (purpose): the workbook judges its gap in values 'none': “The same care.” Words shared, not values: its answers share 100% of their words. Look for a question whose 'ought' answer hands the role, or the ground of the judgement, to other people or other values.
>>> judged_gap(1, rec, "A")
Correct. Q1 (beneficiary) shows the widest gap in values for A: the workbook judges it 'wide': “Targets give way to people.” Where would A themselves draw the line between some change and a wide one?
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Column, DiagramPick, Table
from stp_helpers.checks.matching import CSH_ROLE, CSH_SOURCE, YES_NO, Vocabulary, canonical
from stp_helpers.checks.prediction import as_number, choice_note
from stp_helpers.display import escape_html
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders.csh_judged import extreme_gap, judged_table
from stp_helpers.stakeholders.csh_passage import ROLES, CshPassage

__all__ = ["judged_gap", "passage_roles", "gap_exercise", "widest_gap_exercise", "roles_exercise", "NOBODY"]

#: What each judged reading looks like, as a hint that names the idea, never the question.
_LEVEL_HINT = {"wide": "hands the role, or the ground of the judgement, to other people or other values",
               "some": "keeps who or what holds the role now, and adds to it, shares it or redirects it",
               "none": "keeps both who holds the role and the values behind it"}
#: Wordings of "nobody holds this role", accepted for a witness the passage leaves empty.
NOBODY = ("nobody", "no one", "noone", "none", "not anyone", "no witness", "nobody speaks for them",
          "no one speaks for them")
#: Usual names of the four roles, as the table's rows may be keyed.
_ROLE_NAMES = CSH_ROLE.extend(**{"decision-maker": ("decision maker", "decision makers"),
                                 "client": ("clients", "beneficiaries")})


def _question_number(answer: Any) -> int:
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    if isinstance(answer, str) and answer.strip().lstrip("Qq").isdigit():
        answer = int(answer.strip().lstrip("Qq"))
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise TypeError("answer should be a question number from 1 to 12, e.g. 3")
    return answer


def _prediction_note(prediction: Any, table: Any, best: list[int], level: str, word: str) -> str | None:
    """The prediction (a question number or a source) beside the judged result; said once the answer is right."""
    guess = as_number(prediction)
    if guess is not None and guess.is_integer() and 1 <= guess <= 12:
        said = int(guess)
        if said in best:
            return f"You predicted Q{said}, and it is judged '{level}', among the {word}. What did you read in it?"
        if said in table.index:
            return (f"You predicted Q{said}; the workbook judges it '{table.loc[said, 'gap']}': "
                    f"“{table.loc[said, 'reason']}” What made it look {word.split()[0]}?")
        return None
    source = CSH_SOURCE.match(prediction)
    sources = sorted({csh.QUESTIONS[n - 1].source for n in best}, key=csh.SOURCES.index)
    return choice_note(source or prediction, source if source in sources else " and ".join(sources),
                       f"the source where the judged gap is {word.split()[0]}",
                       "What did you read in the answers that suggested it?")


def judged_gap(answer: Any, record: csh.CshRecord, group: str, widest: bool = True, *,
               prediction: Any = ...) -> Feedback:
    """Check a question number against one group's widest (or narrowest) judged is/ought gap in values.

    Every question judged at that level counts as right.  The feedback quotes
    the judged reason and sets the share of shared words beside it only as a
    prompt (words shared, not values).

    Parameters
    ----------
    answer : int or ...
        A question number from 1 to 12.
    record : CshRecord
        Answers with the workbook's judged reading (``gap`` and ``reason``).
    group : str
        The stakeholder group asked about.
    widest : bool
        True for the widest gap in values, False for the narrowest.
    prediction : int, str or ...
        A question number, or a source of influence, the learner expected.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a question number.
    CshError
        ``group`` is not in the record.
    """
    if is_placeholder(answer):
        return your_turn()
    number = _question_number(answer)
    word = "widest" if widest else "narrowest"
    found = extreme_gap(record, group, widest)
    if found is None:
        return Feedback(False, [], f"No question of {group} has a judged reading yet: judge the pairs first.")
    level, best = found
    table = judged_table(record, group).set_index("number")
    if not 1 <= number <= 12:
        return Feedback(False, [], "Question numbers run from 1 to 12.")
    if number not in table.index:
        return Feedback(False, [], f"Q{number} has no judged reading for {group}: pick a question with both answers.")
    row = table.loc[number]
    quote = f"“{row['reason']}”"
    if number in best:
        also = [f"Q{n}" for n in best if n != number]
        right = [f"Q{number} ({row['category']}) shows the {word} gap in values for {group}: the workbook judges it "
                 f"'{level}': {quote}"]
        if also:
            right.append(f"{', '.join(also[:-1]) + ' and ' if len(also) > 1 else ''}{also[-1]} "
                         f"{'are' if len(also) > 1 else 'is'} judged '{level}' as well.")
        if widest and level != "wide":
            right.append("No question is judged 'wide'.")
        note = _prediction_note(prediction, table, best, level, f"{word} gaps")
        return Feedback(True, right, None,
                        note or f"Where would {group} themselves draw the line between some change and a wide one?")
    own = (" Your answer is your prediction: read the pair again to test it."
           if as_number(prediction) == number else "")
    return Feedback(False, [f"Q{number} ({row['category']}): the workbook judges its gap in values '{row['gap']}': "
                            f"{quote}"],
                    f"Words shared, not values: its answers share {row['words_shared']:.0%} of their words. "
                    f"Look for a question whose 'ought' answer {_LEVEL_HINT[level]}.{own}", None)


def _vocabulary(role: str, passage: CshPassage) -> Vocabulary:
    found = passage.roles[role]
    forms = (found.answer, *found.accept) + (NOBODY if canonical(found.answer) in {canonical(n) for n in NOBODY}
                                             else ())
    return Vocabulary({role: tuple(dict.fromkeys(forms))})


def _role_rows(answer: Mapping[Any, Any]) -> tuple[dict[str, str], list[str]]:
    rows, unknown = {}, []
    for key, value in answer.items():
        role = _ROLE_NAMES.match(key) or (str(key) if str(key) in ROLES else None)
        if role is None:
            unknown.append(str(key))
        else:
            rows[role] = "" if is_placeholder(value) else str(value).strip()
    return rows, unknown


def _row_problem(role: str, said: str, passage: CshPassage) -> str | None:
    """Why one row is not yet right, in Ulrich's terms; None when it is right."""
    meaning = ROLES[role]
    label = f"{meaning.label.capitalize()}, Q{meaning.number}"
    if not said:
        return (f"{label}: not filled in yet. Ulrich's {meaning.label} is {meaning.meaning}: "
                "who in the passage is that?")
    if _vocabulary(role, passage).match(said):
        return None
    mistakes = {canonical(k): v for k, v in passage.roles[role].mistakes.items()}
    if canonical(said) in mistakes:
        return f"{label}: you have {said!r}. {mistakes[canonical(said)]}"
    # another role's model answer first, then its other wordings: "commissioners" is the decision-maker
    others = [r for r in ROLES if r != role]
    other = next((r for r in others if canonical(passage.roles[r].answer) == canonical(said)),
                 next((r for r in others if _vocabulary(r, passage).match(said)), None))
    if other is not None:
        theirs = ROLES[other]
        csh3 = (" A witness is never the decision-maker (CSH-3)." if {role, other} == {"witness", "decision-maker"}
                else "")
        return (f"{label}: you have {said!r}, whom the passage casts as the {theirs.label} (Q{theirs.number}: "
                f"{theirs.meaning}). The {meaning.label} is {meaning.meaning}.{csh3}")
    return (f"{label}: {said!r} is not whom the passage casts in this role. Ulrich's {meaning.label} is "
            f"{meaning.meaning}: read the passage for that.")


def passage_roles(answer: Any, passage: CshPassage, *, prediction: Any = ...) -> Feedback:
    """Check who a learner says holds each of Ulrich's four roles in a passage quoted from a case.

    Parameters
    ----------
    answer : dict or ...
        Role ("client" or "beneficiary", "decision-maker", "expert", "witness") → who holds it.
    passage : CshPassage
        The passage and the workbook's reading of it.
    prediction : str or ...
        "yes" or "no": whether the learner expected the passage to name someone who speaks
        for those affected (a witness).

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a dict or ``passage`` is not a CshPassage.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError('answer should be a dict, e.g. {"client": "...", "decision-maker": "...", '
                        '"expert": "...", "witness": "..."}')
    if not isinstance(passage, CshPassage):
        raise TypeError("passage should be a CshPassage, e.g. csh.load_csh(case).passage")
    rows, unknown = _role_rows(answer)
    if unknown:
        return Feedback(False, [], f"{unknown[0]!r} is not one of Ulrich's roles: {', '.join(ROLES)}.")
    problems = {r: _row_problem(r, rows.get(r, ""), passage) for r in ROLES}
    right = [r for r, p in problems.items() if p is None]
    summary = f"{len(right)} of 4 roles right" + (f": {', '.join(right)}." if right else ".")
    wrong = [r for r, p in problems.items() if p is not None]
    if wrong:
        rest = f" Look again at: {', '.join(wrong[1:])}." if len(wrong) > 1 else ""
        return Feedback(False, [summary], f"{problems[wrong[0]]}{rest}", None)
    nobody = bool(_vocabulary("witness", passage).match("nobody"))
    said = YES_NO.match(prediction)
    note = None
    if said is not None:
        expected = "no" if nobody else "yes"
        note = ((f"You predicted {'no' if said == 'no' else 'a'} witness, and the passage bears it out. "
                 if said == expected else
                 f"You predicted {'no' if said == 'no' else 'a'} witness; the passage "
                 f"{'names nobody' if nobody else 'names one'}. ")
                + "What would it take for those affected to be heard?")
    why = passage.roles["witness"].why
    return Feedback(True, [summary, f"Witness: {why}"], None,
                    note or "Which of these roles would the people affected cast differently in the 'ought' mode?")


# --- exercise apps ---------------------------------------------------------------------------------

def _pairs_drawing(record: csh.CshRecord, group: str) -> widgets.HTML:
    """The group's is/ought pairs as a table (case text escaped), without the judged reading."""
    table = csh.answers_table(record, group)
    pairs = "".join(f"<tr><td>{n}</td><td>{escape_html(c)}</td><td>{escape_html(i)}</td><td>{escape_html(o)}</td></tr>"
                    for n, c, i, o in zip(table["number"], table["category"], table["is"], table["ought"]))
    return widgets.HTML("<table class='stp-csh-pairs'><thead><tr><th>Q</th><th>Category</th><th>Is</th>"
                        f"<th>Ought</th></tr></thead><tbody>{pairs}</tbody></table>")


def _model(record: csh.CshRecord, group: str, widest: bool) -> tuple[str, str]:
    found = extreme_gap(record, group, widest)
    if found is None:
        return "no question is judged yet", ""
    level, best = found
    table = judged_table(record, group).set_index("number")
    model = " or ".join(f"question {n}" for n in best) + f" (judged {level})"
    why = " ".join(f"Q{n}: {table.loc[n, 'reason']}" for n in best)
    return model, f"{why} The judgement is the workbook's, made from the two answers; argue with it."


def gap_exercise(record: csh.CshRecord, group: str, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which question shows the narrowest is/ought gap in values?": pick from the pairs."""
    model, why = _model(record, group, widest=False)
    numbers = [str(n) for n in csh.answers_table(record, group)["number"]]
    app = Exercise(
        "smallest_gap", lambda a, p: judged_gap(a, record, group, widest=False, prediction=p),
        DiagramPick("Question", _pairs_drawing(record, group), numbers, as_type=int), model,
        explanation=why, predict=Choice("On which source do they lie closest?", list(csh.SOURCES)),
        title=f"For {group}: which question shows the narrowest gap in values between its is and ought answers?")
    return app.submit(answer, prediction)


def widest_gap_exercise(record: csh.CshRecord, group: str, answer: Any = ..., prediction: Any = ...,
                        notebook: str = "") -> Exercise:
    """The app for "which question shows the widest is/ought gap in values?": pick from the pairs, after predicting."""
    model, why = _model(record, group, widest=True)
    numbers = [str(n) for n in csh.answers_table(record, group)["number"]]
    app = Exercise(
        "largest_gap", lambda a, p: judged_gap(a, record, group, widest=True, prediction=p),
        DiagramPick("Question", _pairs_drawing(record, group), numbers, as_type=int), model,
        explanation=why, predict=Choice("On which question do they move furthest?", numbers), notebook=notebook,
        title=f"For {group}: which question shows the widest gap in values between its is and ought answers?")
    return app.submit(answer, prediction)


def roles_exercise(passage: CshPassage, answer: Any = ..., prediction: Any = ..., notebook: str = "") -> Exercise:
    """The app for "who holds each of Ulrich's roles in this passage?": one short text per role."""
    model = "; ".join(f"{r}: {passage.roles[r].answer}" for r in ROLES)
    app = Exercise(
        "passage_roles", lambda a, p: passage_roles(a, passage, prediction=p),
        Table(f"Who holds each role in the passage (the '{passage.mode}' mode)?", [Column("who")],
              row_names=[f"{ROLES[r].label} (Q{ROLES[r].number})" for r in ROLES], row_keys=list(ROLES)), model,
        explanation=" ".join(f"{ROLES[r].label.capitalize()}: {passage.roles[r].why}" for r in ROLES),
        predict=Choice("Does the passage name anyone who speaks for those affected?", ["yes", "no"]),
        notebook=notebook,
        title="Read the passage for Ulrich's four social roles: the client, the decision-maker, the expert and "
              "the witness.")
    return app.submit(answer, prediction)
