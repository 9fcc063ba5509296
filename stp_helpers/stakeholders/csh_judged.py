"""The judged reading of CSH is/ought gaps: how far each pair of answers differs in values.

A case's ``csh.yaml`` may judge each question's "is" and "ought" answers
(``gap: none | some | wide``, with a one-sentence ``reason`` written from the
two answers).  The judgement is the workbook's, made as a practitioner of
boundary critique would make it (Ulrich 1983; Ulrich & Reynolds 2010): **wide**
when the "ought" hands the role, or the ground of the judgement, to other
people or other values; **some** when it keeps who or what holds it now and
adds to, shares or redirects it; **none** when it keeps both.

The share of words two answers have in common stays beside it only as a
prompt: words shared, not values shared.

Examples
--------
>>> rec = build_csh({"A": {1: ("targets", "people"), 2: ("care", "care")}})
>>> rec = judge(judge(rec, "A", 1, "wide", "Targets give way to people."), "A", 2, "none", "The same care.")
>>> judged_table(rec)[["number", "gap", "words_shared"]].to_string(index=False)
' number  gap  words_shared\\n      1 wide           0.0\\n      2 none           1.0'
>>> extreme_gap(rec, "A"), extreme_gap(rec, "A", widest=False)
(('wide', [1]), ('none', [2]))
"""

from __future__ import annotations

import pandas as pd

from stp_helpers.stakeholders.csh import (JUDGED_GAPS, QUESTIONS, CshAnswer, CshError, CshRecord, build_csh,
                                          word_gap)

__all__ = ["WORDS_LABEL", "judge", "judged_table", "extreme_gap", "judged_start", "judged_finding"]

#: How the word-overlap column is labelled wherever it is shown.
WORDS_LABEL = "words shared (a prompt: words, not values)"


def judge(record: CshRecord, group: str, number: int, gap: str, reason: str) -> CshRecord:
    """Return a record with one question's judged reading set (the original is unchanged).

    Raises
    ------
    CshError
        A gap other than none, some or wide, a blank reason or an unknown group.
    """
    if gap not in JUDGED_GAPS:
        raise CshError(f"{gap!r} is not a judged gap.", "Use none, some or wide.")
    if not str(reason).strip():
        raise CshError("A judged gap needs its reason.", "Write one sentence from the two answers saying why.")
    target = record.group(group)
    groups = []
    for g in record.groups:
        if g is target:
            answers = dict(g.answers)
            answers[number] = answers.get(number, CshAnswer()).model_copy(update={"gap": gap,
                                                                                  "reason": str(reason).strip()})
            g = g.model_copy(update={"answers": dict(sorted(answers.items()))})
        groups.append(g)
    return record.model_copy(update={"groups": groups})


def judged_table(record: CshRecord, group: str | None = None) -> pd.DataFrame:
    """One row per judged (group, question): the judged gap and reason first, then the answers and shared words.

    ``words_shared`` is the share of content words the two answers have in
    common (1 − the word gap): a prompt for reading, not a measure of values.
    Widest first, then by group and question.
    """
    rows = []
    for g in [record.group(group)] if group is not None else record.groups:
        for q in QUESTIONS:
            a = g.answers.get(q.number, CshAnswer())
            if a.gap:
                rows.append({"group": g.group, "number": q.number, "category": q.category, "source": q.source,
                             "gap": a.gap, "reason": a.reason, "is": a.is_, "ought": a.ought,
                             "words_shared": round(1 - word_gap(a.is_, a.ought), 3)})
    table = pd.DataFrame(rows, columns=["group", "number", "category", "source", "gap", "reason", "is", "ought",
                                        "words_shared"])
    order = table["gap"].map({g: -i for i, g in enumerate(JUDGED_GAPS)})
    return (table.assign(_order=order).sort_values(["_order", "group", "number"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def extreme_gap(record: CshRecord, group: str, widest: bool = True) -> tuple[str, list[int]] | None:
    """The widest (or narrowest) judged gap of one group, and every question judged so; None when none is judged.

    Examples
    --------
    >>> rec = judge(build_csh({"A": {3: ("x", "y")}}), "A", 3, "some", "Partly.")
    >>> extreme_gap(rec, "A"), extreme_gap(build_csh({"A": {}}), "A")
    (('some', [3]), None)
    """
    table = judged_table(record, group)
    if table.empty:
        return None
    rank = [JUDGED_GAPS.index(g) for g in table["gap"]]
    level = JUDGED_GAPS[max(rank) if widest else min(rank)]
    return level, sorted(int(n) for n in table.loc[table["gap"] == level, "number"])


def _most_change(table: pd.DataFrame) -> pd.DataFrame:
    """Judged groups ranked by wide, then some answers (ties keep their order): columns wide, some, judged."""
    counts = table.groupby("group", sort=False)["gap"].agg(
        wide=lambda s: int((s == "wide").sum()), some=lambda s: int((s == "some").sum()), judged="size")
    counts["_first"] = range(len(counts))
    return counts.sort_values(["wide", "some", "_first"], ascending=[False, False, True],
                              kind="stable").drop(columns="_first")


def judged_start(record: CshRecord) -> tuple[str, int] | None:
    """Where to start reading: the group ``judged_finding`` names and its first question judged widest.

    None when no gap has been judged.

    Examples
    --------
    >>> rec = judge(judge(build_csh({"A": {1: ("a", "b")}, "B": {2: ("a", "b"), 5: ("c", "d")}}),
    ...                   "A", 1, "some", "Shared."), "B", 5, "wide", "Handed on.")
    >>> judged_start(rec), judged_start(build_csh({"A": {1: ("a", "b")}}))
    (('B', 5), None)
    """
    table = judged_table(record)
    if table.empty:
        return None
    group = str(_most_change(table).index[0])
    found = extreme_gap(record, group)
    return (group, found[1][0]) if found is not None else None


def judged_finding(record: CshRecord) -> str:
    """A chart title naming the group the workbook judges to want most change in values.

    Examples
    --------
    >>> rec = judge(judge(build_csh({"A": {1: ("a", "b")}, "B": {1: ("a", "a")}}), "A", 1, "wide", "Moves."),
    ...             "B", 1, "none", "Stays.")
    >>> judged_finding(rec)
    'A want the most change in values: 1 of 1 judged questions wide (the workbook’s judgement)'
    """
    table = judged_table(record)
    if table.empty:
        return "No is/ought gap has been judged yet: read each pair and judge it"
    counts = _most_change(table)
    top, row = counts.index[0], counts.iloc[0]
    if row["wide"] == 0 and row["some"] == 0:
        return "No group wants change in values: every judged question is judged 'none' (the workbook’s judgement)"
    level, count = ("wide", row["wide"]) if row["wide"] else ("some", row["some"])
    return (f"{top} want the most change in values: {count} of {row['judged']} judged questions {level} "
            "(the workbook’s judgement)")
