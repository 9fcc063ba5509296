"""Sentences that set a learner's prediction beside the result, for every exercise's feedback.

After a right answer the prediction is compared with the result and one question
asks what led to it.  Before one, it is compared only with the learner's own
answer, so the note never gives the answer away.

Examples
--------
>>> count_note(3, 2, "reinforcing loop")
'You predicted 3 reinforcing loops; there are 2. What made you expect a third?'
>>> count_note("two", 2, "reinforcing loop")
'You predicted 2 reinforcing loops, and there are 2. What told you, before counting?'
>>> count_note(..., 2, "loop") is None
True
>>> choice_note("Police", "Council leadership", "the broker", "What made Police look central?")
'You predicted Police as the broker; it is Council leadership. What made Police look central?'
>>> choice_note("exponential", "S-shaped", "the mode")
'You predicted exponential as the mode; it is S-shaped. What did you leave out?'
>>> own_count_note(1, 3, "reinforcing loop")
'You predicted 1 reinforcing loop; your answer has 3.'
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks.matching import canonical

__all__ = ["as_number", "choice_note", "count_note", "own_count_note", "plural"]

_WORDS = {"zero": 0, "none": 0, "no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
             8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth"}


def as_number(value: Any) -> float | None:
    """Read a prediction as a number ("3", 3, "three", "60%"); None when it is not one.

    >>> as_number("three"), as_number(" 4 "), as_number("60%"), as_number("many")
    (3.0, 4.0, 0.6, None)
    """
    if value is None or value is Ellipsis or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().lower().replace(",", "")
    if text in _WORDS:
        return float(_WORDS[text])
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None


def plural(count: float, noun: str) -> str:
    """``'1 loop'``, ``'2 loops'``, ``'0 loops'``."""
    shown = f"{count:g}"
    many = (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else
            noun + ("es" if noun.endswith(("ch", "sh", "s", "x")) else "s"))
    return f"{shown} {noun}" if count == 1 else f"{shown} {many}"


def count_note(predicted: Any, actual: int, noun: str) -> str | None:
    """Compare a predicted count with the result (say this only once the answer is right)."""
    guess = as_number(predicted)
    if guess is None:
        return None
    if guess == actual:
        return f"You predicted {plural(guess, noun)}, and there are {actual}. What told you, before counting?"
    if guess > actual:
        extra = _ORDINALS.get(int(guess), f"{guess:g}th") if guess == int(guess) and guess == actual + 1 and actual >= 1 else None
        expect = f"a {extra}" if extra else f"{guess:g}"
        return f"You predicted {plural(guess, noun)}; there are {actual}. What made you expect {expect}?"
    return f"You predicted {plural(guess, noun)}; there are {actual}. Which one did you not expect?"


def own_count_note(predicted: Any, mine: int, noun: str) -> str | None:
    """Compare a predicted count with the learner's own answer (safe before the answer is right)."""
    guess = as_number(predicted)
    if guess is None or guess == mine:
        return None
    return f"You predicted {plural(guess, noun)}; your answer has {mine}."


def choice_note(predicted: Any, actual: str, role: str = "the answer", question: str | None = None) -> str | None:
    """Compare a predicted choice with the result (say this only once the answer is right)."""
    if predicted is None or predicted is Ellipsis or not str(predicted).strip():
        return None
    if canonical(predicted) == canonical(actual):
        return f"You predicted {actual} as {role}, and it is. What told you, before working it out?"
    return (f"You predicted {str(predicted).strip()} as {role}; it is {actual}. "
            f"{question or 'What did you leave out?'}")
