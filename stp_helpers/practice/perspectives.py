"""Duty 6's analysis of engagement findings: who was heard on what, and a confirmation-bias monitor.

The findings themselves are ``findings.csv`` (:mod:`stp_helpers.practice.findings`,
rules FI-1 to FI-5).  The duty's criterion asks that findings be "captured in
raw form and analysed; confirmation bias monitored".  The analysis here is a
theme-by-stakeholder matrix, and a monitor of the points where a
practitioner's expectations most easily shape the record (a workbook design,
after Nickerson 1998 on confirmation bias and the facilitator's checklist of
:data:`stp_helpers.stakeholders.engagement.BIAS_CHECKLIST`):

- ``CB-1`` no single stakeholder gives more than half the findings;
- ``CB-2`` the people the system serves are heard through engagement (a
  workshop or an interview), not only through records about them;
- ``CB-3`` at most half the findings rest on ``inference`` (the
  practitioner's own reading, where expectation enters most easily);
- ``CB-4`` everyone in the engagement plan is heard in at least one finding;
- ``CB-5`` every theme is heard from at least two stakeholders: one voice is a
  view, not yet a pattern.

Examples
--------
>>> from stp_helpers.practice.findings import example_draft_findings
>>> [f.rule for f in monitor_bias(example_draft_findings(), planned=["Police", "Residents"])]
['CB-4', 'CB-5']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from stp_helpers.case import Case
from stp_helpers.display import Markdown, escape_md
from stp_helpers.practice.findings import EngagementFinding, themes
from stp_helpers.practice.scoping import Finding

__all__ = ["BIAS_RULES", "PEOPLE", "monitor_bias", "perspective_matrix", "unheard", "planned_stakeholders",
           "case_bias", "bias_markdown", "findings_table", "workshops_table"]

BIAS_RULES = {"CB-1": "no one voice gives more than half", "CB-2": "the people served heard through engagement",
              "CB-3": "at most half rest on inference", "CB-4": "everyone in the plan heard",
              "CB-5": "each theme heard from two stakeholders"}
#: Words that name the people a service system serves (as FI-4 reads them).
PEOPLE = re.compile(r"people|residents|families|service users?|lived experience|carers|person|young|parents",
                    re.I)


def _engaged(source: str) -> bool:
    """True when a finding's source is an engagement (a workshop id such as w2, or an interview)."""
    return bool(re.fullmatch(r"w\d+|interviews?|workshop.*|focus group.*|survey.*", source.strip(), re.I))


def unheard(rows: Sequence[EngagementFinding], planned: Iterable[str]) -> list[str]:
    """The planned stakeholders no finding comes from, in plan order.

    >>> unheard([EngagementFinding(finding="x", stakeholder="Police")], ["Police", "Housing"])
    ['Housing']
    """
    heard = {r.stakeholder.strip().lower() for r in rows if r.stakeholder}
    return [p for p in dict.fromkeys(planned) if p.strip().lower() not in heard]


def perspective_matrix(rows: Sequence[EngagementFinding]) -> pd.DataFrame:
    """Findings by theme (rows) and stakeholder (columns), with how many voices each theme has.

    >>> from stp_helpers.practice.findings import example_draft_findings
    >>> perspective_matrix(example_draft_findings())["voices"].tolist()
    [2, 1]
    """
    order = list(themes(rows))
    people = list(dict.fromkeys(r.stakeholder or "(not named)" for r in rows))
    counts = Counter(((r.theme or "(no theme)"), r.stakeholder or "(not named)") for r in rows)
    frame = pd.DataFrame([{"theme": t, **{p: counts.get((t, p), 0) for p in people}} for t in order],
                         columns=["theme", *people])
    frame["voices"] = (frame[people] > 0).sum(axis=1) if people else 0
    return frame


def monitor_bias(rows: Sequence[EngagementFinding], planned: Iterable[str] = ()) -> list[Finding]:
    """Every confirmation-bias point (``CB-1`` to ``CB-5``), in rule order; empty when none fires.

    Parameters
    ----------
    rows : sequence of EngagementFinding
        The findings (``findings.csv``).
    planned : iterable of str
        The stakeholders of the engagement plan (``engagement.yaml``); CB-4 is skipped when empty.
    """
    found: list[Finding] = []
    if not rows:
        return found
    voices = Counter(r.stakeholder for r in rows if r.stakeholder)
    if voices:
        loudest, count = voices.most_common(1)[0]
        if count * 2 > len(rows):
            found.append(Finding("CB-1", f"stakeholder {loudest}", f"{count} of {len(rows)} findings come from "
                                 "one stakeholder.", "Hear the others as fully, or say why this voice carries more."))
    served = [r for r in rows if PEOPLE.search(r.stakeholder)]
    if served and not any(_engaged(r.source) for r in served):
        first = rows.index(served[0])
        found.append(Finding("CB-2", f"row {first + 2} ({served[0].finding})", "the people served are heard only "
                             "through records about them.", "Hear them directly, in a workshop or an interview, with "
                             "support, and record their words."))
    guessed = sum(r.basis.strip().lower() == "inference" for r in rows)
    if guessed * 2 > len(rows):
        found.append(Finding("CB-3", "basis", f"{guessed} of {len(rows)} findings rest on your own reading.",
                             "Check each with the people it came from, or find the fact it rests on."))
    missing = unheard(rows, planned)
    if missing:
        found.append(Finding("CB-4", f"stakeholder {missing[0]}", f"{len(missing)} planned stakeholder"
                             f"{'s are' if len(missing) != 1 else ' is'} not heard in any finding.",
                             "Record what they said, or note why they did not take part and how their view will "
                             "reach the next round."))
    single = [t for t, heard in themes(rows).items() if len(heard) < 2]
    if single:
        found.append(Finding("CB-5", f"theme {single[0]}", f"{len(single)} theme{'s are' if len(single) != 1 else ' is'}"
                             " heard from one stakeholder only.", "Test it with another stakeholder before treating "
                             "it as a pattern."))
    return found


def planned_stakeholders(case: Case) -> list[str]:
    """The stakeholders of the case's engagement plan (``engagement.yaml``), or none when it has no plan."""
    if not case.has("engagement.yaml"):
        return []
    return [item.stakeholder for item in case.read("engagement.yaml").plan]


def case_bias(case: Case) -> list[Finding]:
    """The bias monitor on a case's ``findings.csv`` and its engagement plan (none without findings)."""
    if not case.has("findings.csv"):
        return []
    return monitor_bias(case.read("findings.csv"), planned_stakeholders(case))


def bias_markdown(found: Sequence[Finding]) -> Markdown:
    """Bias points as a Markdown list, or a line saying none fires (findings text is escaped once)."""
    if not found:
        return Markdown("No bias point fires (CB-1 to CB-5).")
    return Markdown("\n".join(f"- **{f.rule}** {escape_md(f.field)}: {escape_md(f.problem)} *{f.fix}*"
                              for f in found))


def findings_table(rows: Sequence[EngagementFinding]) -> pd.DataFrame:
    """The findings as a table, one row per finding, in file order.

    >>> findings_table([EngagementFinding(finding="x", stakeholder="Police")])["stakeholder"].tolist()
    ['Police']
    """
    columns = list(EngagementFinding.model_fields)
    return pd.DataFrame([[getattr(r, c) for c in columns] for r in rows], columns=columns)


def workshops_table(case: Case) -> pd.DataFrame:
    """The case's engagement activities (``engagement.yaml``): format, date, who took part and what each produced.

    Empty when the case has no ``engagement.yaml``.
    """
    columns = ["id", "title", "format", "date", "participants", "produced", "source"]
    if not case.has("engagement.yaml"):
        return pd.DataFrame(columns=columns)
    rows = [{"id": w.id, "title": w.title, "format": w.format, "date": w.date.isoformat() if w.date else "",
             "participants": ", ".join(w.participants),
             "produced": "; ".join(f"{o.artefact}: {o.note}" for o in w.outputs), "source": w.source}
            for w in case.read("engagement.yaml").workshops]
    return pd.DataFrame(rows, columns=columns)
