"""Systems concepts and schools (K1): boundaries, emergence, feedback, purpose; traditions and paradigms.

Examples
--------
>>> series = feedback_series(weeks=10)
>>> round(float(series.query("loop == 'R: reinforcing' and week == 10")["value"].iloc[0]), 2)
19.67
>>> feedback_finding(series)
'In 10 weeks the reinforcing loop grows 2.0-fold; the balancing loop closes 65% of its gap'
>>> from stp_helpers import case
>>> print(boundary_prompts(case.load("wolverhampton-flamingos")).text.splitlines()[0])
- **Inside, as the case is written:** Wolverhampton Local Strategic Partnership (Health and Well-Being Partnership).
"""

from __future__ import annotations

import pandas as pd

from stp_helpers.case import Case
from stp_helpers.display import HTML, Markdown, md
from stp_helpers.errors import StpError
from stp_helpers.foundations.content import load_foundations, table

__all__ = ["concepts_table", "traditions_table", "paradigms_table", "feedback_series", "feedback_finding",
           "tradition_of", "concept_ids", "tradition_ids", "quiz_table", "boundary_prompts"]

REINFORCING_LABEL = "R: reinforcing"
BALANCING_LABEL = "B: balancing"


def concepts_table() -> HTML:
    """The four core concepts with definition, example and source."""
    return table([{"concept": c.name, "definition": c.definition, "example": c.example, "source": c.source}
                  for c in load_foundations().concepts])


def traditions_table() -> HTML:
    """Hard, soft and critical traditions: the question each asks, its ontology and epistemology."""
    return table([{"tradition": t.name, "question": t.question, "ontology": t.ontology,
                   "epistemology": t.epistemology, "approaches": ", ".join(t.approaches), "authors": t.authors}
                  for t in load_foundations().traditions])


def paradigms_table() -> HTML:
    """Paradigm, ontology, epistemology and methodological pluralism, with sources."""
    return table([p.model_dump() for p in load_foundations().paradigms], ["term", "meaning", "source"])


def concept_ids() -> tuple[str, ...]:
    """Ids of the core concepts, e.g. ``'emergence'``."""
    return tuple(c.id for c in load_foundations().concepts)


def tradition_ids() -> tuple[str, ...]:
    """Ids of the traditions: ``('hard', 'soft', 'critical')``."""
    return tuple(t.id for t in load_foundations().traditions)


def tradition_of(approach: str) -> str:
    """Return the tradition ('hard', 'soft' or 'critical') an approach belongs to, after Jackson (2019).

    >>> tradition_of("Soft systems methodology")
    'soft'

    Raises
    ------
    StpError
        When the approach is not listed.
    """
    wanted = approach.strip().lower()
    for tradition in load_foundations().traditions:
        if wanted in (a.lower() for a in tradition.approaches):
            return tradition.id
    raise StpError(f"{approach!r} is not one of the approaches listed.",
                   fix="Use a name from the traditions table, e.g. 'System dynamics'.")


def quiz_table(name: str) -> HTML:
    """The statements of one exercise ('concepts', 'traditions' or 'philosophy'), without their answers."""
    return table([{"id": q.id, "statement": q.text} for q in load_foundations().quiz(name)])


def boundary_prompts(case: Case) -> Markdown:
    """Questions about where a case's boundary is drawn, from what its ``case.yaml`` records.

    Who is inside, whose sources speak, which artefacts frame it, and who is
    not heard: the start of boundary critique (Ulrich 1983).
    """
    meta = case.meta
    sources = "; ".join(s.author or s.title for s in meta.sources) or "none recorded yet"
    files = ", ".join(meta.artefact_files()) or "none yet"
    return md("\n".join([
        "- **Inside, as the case is written:** {organisation}.",
        f"- **Whose accounts it rests on:** {{sources}} ({len(meta.facts)} facts recorded).",
        "- **What frames it:** {files}.",
        "- **Ask:** who is affected but not inside? Whose account is missing? "
        "What would change if the boundary were drawn around the person rather than the organisation?",
    ]), organisation=meta.organisation, sources=sources, files=files)


def feedback_series(weeks: int = 30, growth: float = 0.07, adjustment: float = 0.1,
                    goal: float = 100.0, start: float = 10.0) -> pd.DataFrame:
    """Behaviour of a one-stock reinforcing loop and a one-stock balancing loop, week by week.

    The reinforcing stock starts at ``start`` and grows by ``growth`` of
    itself each week; the balancing stock starts at 0 and closes
    ``adjustment`` of its gap to ``goal`` each week (Sterman 2000, ch. 4:
    exponential growth and goal seeking).  Synthetic, for teaching.

    Returns
    -------
    DataFrame
        Columns ``week``, ``loop`` and ``value`` (units of the stock).
    """
    if weeks < 1 or growth <= 0 or not 0 < adjustment < 1:
        raise StpError("feedback_series needs weeks ≥ 1, growth > 0 and 0 < adjustment < 1.")
    rows = []
    grow, seek = start, 0.0
    for week in range(weeks + 1):
        rows.append({"week": week, "loop": REINFORCING_LABEL, "value": grow})
        rows.append({"week": week, "loop": BALANCING_LABEL, "value": seek})
        grow, seek = grow * (1 + growth), seek + adjustment * (goal - seek)
    return pd.DataFrame(rows)


def feedback_finding(series: pd.DataFrame) -> str:
    """The finding of :func:`feedback_series`, for a chart title."""
    last = series["week"].max()
    first = series[series["week"] == 0].set_index("loop")["value"]
    end = series[series["week"] == last].set_index("loop")["value"]
    grown = end[REINFORCING_LABEL] / first[REINFORCING_LABEL]
    return (f"In {last} weeks the reinforcing loop grows {grown:.1f}-fold; "
            f"the balancing loop closes {end[BALANCING_LABEL]:.0f}% of its gap")
