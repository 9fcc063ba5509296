"""Learning and change (K3, S8): single- and double-loop learning, Kolb's cycle, change methods.

Examples
--------
>>> series = learning_series(weeks=12, revise_at=6)
>>> float(series.query("series == 'goal' and week == 12")["value"].iloc[0])
50.0
>>> loop_of("plymouth-targets")
'double'
>>> print(flamingos_facts().text.splitlines()[0])
- The programme was piloted by the LSP's Health and Well-Being Partnership between October 2006 and January 2007. (Source: Improvement and Efficiency West Midlands, Thinking 'systems': routes to better outcomes? (briefing).)
"""

from __future__ import annotations

import pandas as pd

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.display import HTML, Markdown, join, md
from stp_helpers.errors import StpError
from stp_helpers.foundations.content import Episode, load_foundations, table

__all__ = ["loops_table", "kolb_table", "change_methods_table", "episodes", "episodes_table", "loop_of",
           "journal_table", "stage_of", "learning_series", "learning_finding", "kolb_ids", "flamingos_facts",
           "FLAMINGOS", "case_learning_prompts"]

#: The case that holds the Wolverhampton double-loop facts.
FLAMINGOS = "wolverhampton-flamingos"
_FLAMINGO_FACTS = ("pilot-period", "techniques", "housing-outcome", "later-themes")


def loops_table() -> HTML:
    """Single- and double-loop learning, after Argyris and Schön (1978)."""
    return table([{"loop": n.name, "meaning": n.meaning, "source": n.source or ""}
                  for n in load_foundations().learning.loops])


def kolb_table() -> HTML:
    """Kolb's four stages, in the order of the cycle."""
    return table([{"stage": i + 1, "name": n.name, "meaning": n.meaning}
                  for i, n in enumerate(load_foundations().learning.kolb)])


def kolb_ids() -> tuple[str, ...]:
    """Ids of Kolb's stages in cycle order."""
    return tuple(n.id for n in load_foundations().learning.kolb)


def change_methods_table() -> HTML:
    """Change methods with their idea and source."""
    return table([m.model_dump() for m in load_foundations().learning.change_methods], ["name", "idea", "source"])


def episodes() -> tuple[Episode, ...]:
    """Learning episodes for classifying."""
    return load_foundations().learning.episodes


def episodes_table() -> HTML:
    """The episodes to classify, without their answers."""
    return table([{"id": e.id, "episode": e.text, "source": e.source} for e in episodes()])


def loop_of(episode_id: str) -> str:
    """Return 'single' or 'double' for an episode.

    Raises
    ------
    StpError
        When there is no such episode.
    """
    for item in episodes():
        if item.id == episode_id:
            return item.loop
    raise StpError(f"{episode_id!r} is not one of the episodes.", fix="Use an id from the episodes table.")


def journal_table() -> HTML:
    """A practitioner's journal entries, to place on Kolb's cycle."""
    return table([{"id": j.id, "entry": j.text} for j in load_foundations().learning.journal])


def stage_of(entry_id: str) -> str:
    """Return the Kolb stage id of a journal entry."""
    for item in load_foundations().learning.journal:
        if item.id == entry_id:
            return item.stage
    raise StpError(f"{entry_id!r} is not one of the journal entries.", fix="Use an id from the journal table.")


def learning_series(weeks: int = 20, revise_at: int = 10, first_goal: float = 80.0, second_goal: float = 50.0,
                    adjustment: float = 0.3) -> pd.DataFrame:
    """A goal and a result, week by week: single-loop correction, then a double-loop change of goal.

    The result closes ``adjustment`` of its gap to the goal each week (a
    balancing loop: single-loop learning).  In week ``revise_at`` the goal
    itself is questioned and changed (double-loop learning), and the same
    correction then works towards the new goal.  Synthetic, for teaching.

    Returns
    -------
    DataFrame
        Columns ``week``, ``series`` ('goal' or 'result') and ``value`` (index).
    """
    if not 0 < revise_at < weeks or not 0 < adjustment < 1:
        raise StpError("learning_series needs 0 < revise_at < weeks and 0 < adjustment < 1.")
    rows, result = [], 20.0
    for week in range(weeks + 1):
        goal = first_goal if week < revise_at else second_goal
        rows += [{"week": week, "series": "goal", "value": goal}, {"week": week, "series": "result", "value": result}]
        result += adjustment * (goal - result)
    return pd.DataFrame(rows)


def learning_finding(series: pd.DataFrame) -> str:
    """The finding of :func:`learning_series`, for a chart title."""
    goals = series[series["series"] == "goal"]
    changed = int(goals.loc[goals["value"].diff().fillna(0) != 0, "week"].iloc[0])
    return f"Single-loop learning closes the gap to a goal; double-loop learning changes the goal (week {changed})"


def flamingos_facts() -> Markdown:
    """The Wolverhampton 'Flight of the Flamingos' facts on learning, each with its source."""
    flamingos = cases.load(FLAMINGOS)
    facts = {f.id: f for f in flamingos.meta.facts}
    lines = []
    for fact_id in _FLAMINGO_FACTS:
        fact = facts[fact_id]
        source = flamingos.meta.source(fact.source)
        lines.append(md("- {statement} (Source: {source}.)", statement=fact.statement,
                        source=", ".join(p for p in (source.author, source.title) if p)))
    return join(lines)


def case_learning_prompts(case: Case) -> Markdown:
    """For each question of a case, prompts for a single-loop and a double-loop answer."""
    asked = case.meta.questions or ["What does the case set out to improve?"]
    lines = []
    for question in asked:
        lines += [md("- **{question}**", question=question),
                  Markdown("  - *Single loop:* which action would you adjust to close the gap, leaving the goal "
                           "as it is?\n  - *Double loop:* which goal, rule or assumption behind that action would "
                           "you question, and who would need to be in the room?")]
    return join(lines)
