"""What a SMART indicator field must say to count (``SM-1``, Doran 1981), not only that it is filled.

A baseline and a target are numbers (the record's types see to that); this
module judges the text fields: a placeholder ("x", "tbc", "soon") says
nothing; a date field must name a date or period; a frequency a period.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["smart_content_problem"]


#: Words that fill a field without saying anything (SM-1: they fail like a blank).
_PLACEHOLDERS = {"x", "xx", "xxx", "tbc", "tbd", "tba", "n/a", "na", "none", "soon", "later", "asap", "?", "-",
                 "todo", "to do", "unknown", "various", "etc", "some", "n.a.", "...", "…", "see above", "ongoing"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: A date or period: a year, an ISO date or month, a quarter, a month and year, month N of a series
#: ("M12", "month 12"), or "within 12 months".
_DATE_OR_PERIOD = re.compile(
    r"\b(1[89]|20)\d{2}\b|\b\d{4}-\d{2}\b|\bq[1-4]\b|\b(" + "|".join(_MONTHS) + r")[a-z]*\b.*\d"
    r"|\b[MWQ]\d{1,3}\b|\b(month|week|quarter|year|term)\s+\d+"
    r"|\b(within|after|every|each|per|by|over)\s+(\d+|a|one|two|three|six|twelve)\s+(day|week|month|quarter|year|term)s?\b",
    re.I)
_FREQUENCY = re.compile(r"\b(daily|weekly|fortnightly|monthly|quarterly|termly|annual|annually|yearly|"
                        r"(every|each|per|once\s+a)\s+(\d+\s+)?(day|week|fortnight|month|quarter|term|year)s?)\b", re.I)


def smart_content_problem(name: str, value: Any) -> str:
    """Why a filled SMART field still says nothing (SM-1), or "" when its content will do.

    Examples
    --------
    >>> smart_content_problem("target_date", "soon"), smart_content_problem("target_date", "Q2 2026")
    ("'soon' says nothing yet", '')
    >>> smart_content_problem("frequency", "often")
    "'often' is not a period such as monthly"
    """
    text = " ".join(str(value).split())
    if text.casefold().strip(".!") in _PLACEHOLDERS or len(re.sub(r"[^A-Za-z0-9%]", "", text)) < 2:
        return f"{text!r} says nothing yet"
    if name in ("baseline_date", "target_date") and not _DATE_OR_PERIOD.search(text):
        return f"{text!r} is not a date or period"
    if name == "frequency" and not _FREQUENCY.search(text):
        return f"{text!r} is not a period such as monthly"
    return ""
