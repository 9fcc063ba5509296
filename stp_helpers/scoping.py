"""Scoping a case: its facts, sources and the demand one person places on agencies.

Duty 1 and 2 start from what decision-makers already know: budget facts, a
case history, contacts recorded by each agency.  These helpers turn a case's
``case.yaml`` and ``agency_contacts.csv`` into tables and charts with their
sources attached.

Examples
--------
>>> from stp_helpers import case
>>> wilts = case.load("wiltshire-complex-needs")
>>> table = contacts_table(wilts)
>>> int(table["contacts"].sum())
1024
>>> largest_agency(wilts)
'Housing services'
>>> round(contact_share(wilts, "Police"), 1)
23.2
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers import charts
from stp_helpers.case import Case
from stp_helpers.display import Block, Markdown, bullets, join, md, numbered
from stp_helpers.errors import StpError

__all__ = [
    "facts_table",
    "contacts_table",
    "unquantified_agencies",
    "largest_agency",
    "contact_share",
    "contacts_chart",
    "scale_table",
    "scale_chart",
    "case_card",
    "synopsis",
    "questions",
]

CONTACTS = "agency_contacts.csv"


def facts_table(case: Case) -> pd.DataFrame:
    """Return the case's facts with their values, units and citations.

    Returns
    -------
    DataFrame
        Columns ``fact``, ``value``, ``unit``, ``source``.
    """
    rows = [
        {"fact": f.statement, "value": f.value, "unit": f.unit or "", "source": case.cite(f.source)}
        for f in case.meta.facts
    ]
    return pd.DataFrame(rows, columns=["fact", "value", "unit", "source"])


def contacts_table(case: Case) -> pd.DataFrame:
    """Return contacts by agency, quantified rows only, largest first.

    Returns
    -------
    DataFrame
        Columns ``agency``, ``contacts`` (int), ``share`` (% of counted contacts), ``detail``.

    Raises
    ------
    CaseFileError
        When the case has no valid ``agency_contacts.csv``.
    """
    rows = [r for r in case.read(CONTACTS) if r.contacts is not None]
    if not rows:
        raise StpError(f"{CONTACTS} has no quantified contacts.",
                       fix="Fill in the 'contacts' column for at least one agency.")
    table = pd.DataFrame(
        {"agency": [r.agency for r in rows], "contacts": [r.contacts for r in rows],
         "detail": [r.detail or "" for r in rows]}
    ).sort_values("contacts", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(2, "share", (100 * table["contacts"] / table["contacts"].sum()).round(1))
    return table


def unquantified_agencies(case: Case) -> list[str]:
    """Return the agencies the case names without a count of contacts."""
    return [r.agency for r in case.read(CONTACTS) if r.contacts is None]


def largest_agency(case: Case) -> str:
    """Return the agency with the most recorded contacts."""
    return str(contacts_table(case).iloc[0]["agency"])


def contact_share(case: Case, agency: str) -> float:
    """Return an agency's share of all counted contacts, in per cent.

    Raises
    ------
    StpError
        When the agency is not in the table; the message lists those that are.
    """
    table = contacts_table(case)
    match = table[table["agency"].str.lower() == agency.strip().lower()]
    if match.empty:
        raise StpError(f"There is no agency {agency!r} with counted contacts.",
                       fix=f"Choose one of: {', '.join(table['agency'])}.")
    return float(100 * match["contacts"].iloc[0] / table["contacts"].sum())


def contacts_chart(case: Case, source_id: str = "seed-000") -> alt.Chart:
    """Bar chart of contacts by agency whose title states the largest share."""
    table = contacts_table(case)
    top = table.iloc[0]
    total = int(table["contacts"].sum())
    title = (f"{top['agency']} recorded the most contacts: {int(top['contacts'])} of "
             f"{total:,} counted ({top['share']:.0f}%)")
    subtitle = [case.meta.title, f"One person's contacts with {len(table)} agencies. Source: {case.cite(source_id)}"]
    return charts.bar_chart(table, category="agency", value="contacts", value_title="Contacts (count)",
                            category_title="Agency", title=title, subtitle=subtitle,
                            highlight=str(top["agency"]))


def scale_table(case: Case, people: int) -> pd.DataFrame:
    """Scale one person's contacts to ``people`` similar people.

    This is an illustration, not a forecast: it assumes each similar person
    has the same contacts as the case study.

    Parameters
    ----------
    case : Case
    people : int
        Number of people with similar lives (the talk suggests several hundred).

    Raises
    ------
    StpError
        When ``people`` is not between 1 and 100,000.
    """
    if not isinstance(people, int) or isinstance(people, bool) or not 1 <= people <= 100_000:
        raise StpError(f"{people!r} is not a number of people between 1 and 100,000.",
                       fix="Choose a whole number such as 300.")
    table = contacts_table(case)[["agency", "contacts"]].copy()
    table["contacts"] = table["contacts"] * people
    return table


def scale_chart(case: Case, people: int) -> alt.Chart:
    """Bar chart of scaled contacts, titled with the total."""
    table = scale_table(case, people)
    total = int(table["contacts"].sum())
    title = f"If {people:,} people live similar lives, agencies record about {total:,} contacts"
    subtitle = [case.meta.title,
                "Illustration: each person is assumed to have the case study's contacts."]
    return charts.bar_chart(table, category="agency", value="contacts", value_title="Contacts (count)",
                            category_title="Agency", title=title, subtitle=subtitle)


def case_card(case: Case) -> Markdown:
    """Return the case's title, organisation, summary and sources as Markdown (case text escaped)."""
    parts = [md("**{title}**\n\n*Organisation:* {organisation}\n\n{summary}\n\n*Sources:*",
                title=case.meta.title, organisation=case.meta.organisation,
                summary=Block(case.meta.summary))]
    parts += [md("- {source}" + (" ({publisher})" if s.publisher else ""),
                 source=case.cite(s.id), publisher=s.publisher or "") for s in case.meta.sources]
    return join(parts)


def synopsis(case: Case) -> Markdown:
    """Return the case synopsis as a bulleted list."""
    return bullets(case.meta.synopsis)


def questions(case: Case) -> Markdown:
    """Return the case's questions for stakeholders as a numbered list."""
    return numbered(case.meta.questions)
