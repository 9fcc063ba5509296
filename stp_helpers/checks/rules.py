"""The duties' "which rules does this draft break?" exercises: one check and one app for every rule set.

A duty's output has quality rules (SC-1…, ES-1…, FS-1…); its exercise shows a
flawed draft and asks which rules it breaks.  The expected rules are always
computed by the rules themselves, never typed in.  The feedback says how many
of the learner's rules are right, then the first thing to look at: a rule that
holds ("reread its …") or one more that is broken ("check the draft's …").

Examples
--------
>>> rules = {"R-1": "Names a client.", "R-2": "States a purpose."}
>>> where = {"R-1": "client", "R-2": "purpose"}
>>> rules_feedback(["R-1"], {"R-1"}, rules, where, question="What next?", prediction=2)
Correct. The draft breaks 1 rules: R-1. You predicted 2; what did you not expect? What next?
>>> rules_feedback(["R-2"], {"R-1"}, rules, where, question="What next?")
Not yet. 0 of your 1 rules are right. R-2 holds in the draft: reread its purpose.
>>> rules_feedback(["r 1", "R-2"], {"R-1", "R-2"}, rules, where, question="What next?")
Correct. The draft breaks 2 rules: R-1, R-2. What next?
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choices, Number

__all__ = ["rules_feedback", "rules_exercise", "given_rules"]


class HasRule(Protocol):
    """A quality finding: its rule id, and a sentence saying what is wrong and how to fix it."""

    rule: str


def given_rules(answer: Any, example: str) -> set[str]:
    """The learner's rule ids, upper-case with a hyphen (``"sc 1"`` → ``"SC-1"``).

    Raises
    ------
    TypeError
        When ``answer`` is a single string or not a collection.
    """
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError(f'answer should be a list of rule ids, e.g. ["{example}"]')
    return {str(a).strip().upper().replace(" ", "-") for a in answer}


def rules_feedback(answer: Any, expected: set[str], rules: Mapping[str, str], where: Mapping[str, str], *,
                   question: str, prediction: Any = None, wrong_question: str | None = None,
                   why_not: Mapping[str, str] | None = None, known: str | None = None) -> Feedback:
    """Feedback on the rules a learner says a draft breaks.

    Parameters
    ----------
    answer : collection of str
        Rule ids (case, spaces and order do not count); ``...`` reads "Your turn".
    expected : set of str
        The rules the draft breaks, as the rules find them.
    rules : mapping
        Every rule id offered, with its text (used in the hint for a missed rule).
    where : mapping
        For each rule, the part of the draft where it is judged ("its purpose").
    question : str
        The reflective question after a right answer.
    prediction : int, optional
        How many rules the learner expected; the feedback compares.
    wrong_question : str, optional
        A question after a wrong answer (none by default).
    why_not : mapping, optional
        A rule that holds but is easy to tick by mistake, with why it holds.
    known : str, optional
        How to name the rules when the learner gives an unknown id (default: all ids).

    Raises
    ------
    TypeError
        When ``answer`` is a single string or not a collection.
    """
    if is_placeholder(answer):
        return your_turn()
    given = given_rules(answer, next(iter(rules)))
    unknown = sorted(given - set(rules))
    if unknown:
        return Feedback(False, fix=f"{unknown[0]} is not a rule here; use {known or ', '.join(rules)}.",
                        question=wrong_question)
    if given == expected:
        said = [f"The draft breaks {len(expected)} rules: {', '.join(sorted(expected))}."]
        if isinstance(prediction, int) and not isinstance(prediction, bool):
            said.append(f"You predicted {prediction}; " + ("as you expected." if prediction == len(expected)
                                                          else "what did you not expect?"))
        return Feedback(True, right=said, question=question)
    right = len(given & expected)
    said = [f"{right} of your {len(given)} rules {'is' if right == 1 else 'are'} right."]
    extra = sorted(given - expected)
    if extra:
        why = (why_not or {}).get(extra[0], f"reread its {where[extra[0]]}.")
        return Feedback(False, right=said, fix=f"{extra[0]} holds in the draft: {why}", question=wrong_question)
    missed = sorted(expected - given)[0]
    return Feedback(False, right=said, fix=f"One more rule is broken; check the draft's {where[missed]} "
                                          f"({rules[missed]}).", question=wrong_question)


def rules_exercise(key: str, notebook: str, check: Callable[[Any, Any], Feedback], rules: Mapping[str, str],
                   found: Iterable[HasRule], answer: Any = ..., prediction: Any = ..., *,
                   title: str = "Tick every rule the draft breaks.") -> Exercise:
    """The exercise app: predict how many rules break, tick them, check; the model answer lists the findings."""
    found = list(found)
    app = Exercise(key, check, Choices("Rules the draft breaks", list(rules)),
                   ", ".join(dict.fromkeys(f.rule for f in found)), explanation=" ".join(str(f) for f in found),
                   predict=Number("Rules you expect it to break", units=f"of {len(rules)}", integer=True),
                   title=title, notebook=notebook)
    return app.submit(answer, prediction)
