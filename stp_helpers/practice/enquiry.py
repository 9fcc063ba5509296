"""Enquiry needs from an initial model's gaps, added to the information plan (duty 5).

Duty 5 asks the practitioner to *use the models to identify stakeholder
enquiry needs*.  Each gap a dynamic hypothesis leaves (a variable no data
measure, a delay nobody has timed: :func:`stp_helpers.cld.hypothesis.enquiry_gaps`)
becomes one row of ``information_plan.csv``, with the question to ask and
what it serves.  A new row has no source or owner yet, so the plan's own rules
(IP-1, IP-2) ask the practitioner to complete it: the plan is refined, not
filled in by the program.

Examples
--------
>>> gaps = [{"gap": "frontline workload", "loops": "R4", "ask": "How has frontline workload changed?"}]
>>> needs = needs_from_gaps(gaps, serves="dynamic hypothesis (R4)")
>>> needs[0].need, needs[0].quality, needs[0].basis
('How has frontline workload changed?', 'unknown', 'inference')
>>> [f.rule for f in check_information_plan(needs)]
['IP-1', 'IP-2']
>>> len(merge_needs(needs, needs))
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from stp_helpers.practice.information import InformationNeed, check_information_plan

__all__ = ["needs_from_gaps", "merge_needs"]


def needs_from_gaps(gaps: Iterable[Mapping[str, str]], serves: str = "dynamic hypothesis") -> list[InformationNeed]:
    """One information need per gap: the question to ask, what it serves, the gap, marked as an inference.

    Parameters
    ----------
    gaps : iterable of mappings
        Rows with ``gap``, ``loops`` and ``ask`` (as :func:`stp_helpers.cld.hypothesis.enquiry_gaps` gives).
    serves : str
        The model or decision the needs serve.
    """
    return [InformationNeed(need=str(g["ask"]), serves=f"{serves}; loops {g.get('loops', '')}".strip("; "),
                            quality="unknown", gap=f"No data on {g['gap']}", basis="inference")
            for g in gaps]


def merge_needs(existing: Sequence[InformationNeed], new: Iterable[InformationNeed]) -> list[InformationNeed]:
    """The existing needs, then each new need whose question is not already in the plan (template rows dropped)."""
    kept = [n for n in existing if "(replace this row)" not in n.need]
    asked = {n.need.strip().lower() for n in kept}
    for need in new:
        if need.need.strip().lower() not in asked:
            kept.append(need)
            asked.add(need.need.strip().lower())
    return kept
