"""``agency_contacts.csv``: how many contacts a person had with each agency, with the source of each count."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from stp_helpers import paths
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.tables import read_csv_rows

__all__ = ["AgencyContact", "read_agency_contacts"]


class AgencyContact(BaseModel):
    """One row of ``agency_contacts.csv``: contacts a person had with an agency."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    required_columns: ClassVar[tuple[str, ...]] = ("agency", "contacts", "source")

    agency: str = Field(min_length=1, description="the agency or service, e.g. Housing services")
    contacts: int | None = Field(None, ge=0, description="a whole number of contacts, or blank if not quantified")
    detail: str | None = Field(None, description="what the contacts were")
    source: str = Field(min_length=1, description="the id of one of the case's sources")


def read_agency_contacts(path: Path) -> list[AgencyContact]:
    """Read and validate ``agency_contacts.csv``."""
    rows = read_csv_rows(path, AgencyContact)
    seen: dict[str, int] = {}
    problems = []
    for i, row in enumerate(rows):
        if row.agency.lower() in seen:
            problems.append(Problem(paths.relative(path), f"The agency {row.agency!r} appears twice.",
                                    row=i + 2, column="agency", fix="Merge the two rows into one."))
        seen[row.agency.lower()] = i
    if problems:
        raise CaseFileError(problems)
    return rows
