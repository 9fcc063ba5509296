"""Law, regulation and safety for a practitioner in England (K4). Guidance, not legal advice.

Examples
--------
>>> regime_of("cafe")
'health-safety'
>>> notice().startswith("Guidance for learning, not legal advice")
True
>>> from stp_helpers import case
>>> case_activities(case.load("wolverhampton-flamingos"))
[]
"""

from __future__ import annotations

import pandas as pd

from stp_helpers.case import Case
from stp_helpers.display import HTML, Markdown
from stp_helpers.errors import StpError
from stp_helpers.foundations.content import load_foundations, table

__all__ = ["notice", "regimes_table", "regime_ids", "regime_name", "activity_matrix", "situations_table",
           "regime_of", "lawful_bases_table", "basis_ids", "short_names",
           "case_activities", "case_checklist"]

#: Artefacts that show a case has done an activity (workbook reading), by activity in ``data/foundations.yaml``.
_EVIDENCE = {
    "Interviews with decision-makers (duty 1)": ("stakeholders.csv", "csh.yaml"),
    "Gathering case records to map journeys (duty 2)": ("agency_contacts.csv",),
    "Workshops with people using services (duty 6)": ("engagement.yaml",),
    "Options appraisal for a council decision (duty 9)": ("options.csv",),
    "Monitoring with service data (duty 12)": ("indicators.csv", "demand.csv"),
}


def notice() -> str:
    """The notice every legal statement carries."""
    return load_foundations().law.notice


def regimes_table() -> HTML:
    """Each regime: what it asks of a practitioner and its sources, under the guidance notice."""
    rows = [{"regime": r.name, "what it asks": r.duty, "sources": "; ".join(r.sources)}
            for r in load_foundations().law.regimes]
    inner = table(rows)
    note = f"<p><strong>{notice()}</strong></p>"
    return HTML(note + inner.html, notice() + "\n" + inner.text)


def regime_ids() -> tuple[str, ...]:
    """Ids of the regimes, e.g. ``'data-protection'``."""
    return tuple(r.id for r in load_foundations().law.regimes)


def regime_name(regime_id: str) -> str:
    """The regime's name."""
    for item in load_foundations().law.regimes:
        if item.id == regime_id:
            return item.name
    raise StpError(f"{regime_id!r} is not one of the regimes.", fix=f"Use one of: {', '.join(regime_ids())}.")


def short_names() -> dict[str, str]:
    """Short names of the regimes by id, for chart columns."""
    return {r.id: r.short for r in load_foundations().law.regimes}


def activity_matrix() -> pd.DataFrame:
    """Activities of systems work (rows) against regimes (columns): True where the regime is engaged."""
    law = load_foundations().law
    return pd.DataFrame([{"activity": a.activity, **{r.id: r.id in a.regimes for r in law.regimes}}
                         for a in law.activities]).set_index("activity")


def situations_table() -> HTML:
    """Situations to match with the regime they most directly engage."""
    return table([{"id": s.id, "situation": s.text} for s in load_foundations().law.situations])


def regime_of(situation_id: str) -> str:
    """The regime a situation most directly engages."""
    for item in load_foundations().law.situations:
        if item.id == situation_id:
            return item.regime
    raise StpError(f"{situation_id!r} is not one of the situations.", fix="Use an id from the situations table.")


def lawful_bases_table() -> Markdown:
    """UK GDPR Article 6(1) lawful bases, with a note on each for public-sector work."""
    lines = [f"- **{b.name}**: {b.note}" for b in load_foundations().law.lawful_bases]
    return Markdown("\n".join(lines + ["", f"*{notice()}*"]))


def basis_ids() -> tuple[str, ...]:
    """Ids of the lawful bases, e.g. ``'public-task'``."""
    return tuple(b.id for b in load_foundations().law.lawful_bases)


def case_activities(case: Case) -> list[str]:
    """The activities of systems work a case's artefacts show it has done (or plans)."""
    return [activity for activity, files in _EVIDENCE.items() if any(case.has(f) for f in files)]


def case_checklist(case: Case) -> Markdown:
    """For each activity a case shows, the regimes it engages and their first source; under the notice."""
    law = load_foundations().law
    engaged = {a.activity: a.regimes for a in law.activities}
    first = {r.id: (r.name, r.sources[0]) for r in law.regimes}
    done = case_activities(case)
    if not done:
        return Markdown(f"The case's artefacts show none of the activities yet. *{notice()}*")
    lines = []
    for activity in done:
        lines.append(f"- **{activity}**: " + "; ".join(f"{first[r][0]} ({first[r][1]})" for r in engaged[activity]))
    return Markdown("\n".join(lines + ["", f"*{notice()}*"]))
