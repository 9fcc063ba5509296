"""The ST0787 standard as data: its twelve duties and the KSBs they draw on.

The text of duties, criteria and knowledge, skills and behaviours (KSBs) comes
from the Systems thinking practitioner standard (ST0787, Level 7), published
by the Institute for Apprenticeships and Technical Education under the Open
Government Licence v3.0.  The standard's duty-to-KSB column is empty in the
copy used, so each duty's KSBs are *derived* (see ``notes`` in
``data/standard.yaml``); S9, B1 and B7 apply to every duty.

Examples
--------
>>> std = load_standard()
>>> len(std.duties), len(std.ksbs)
(12, 25)
>>> std.duty(7).short
'Explain current behaviour; drivers; fitness of strategy'
>>> std.ksb("S3").title
'Systems modelling'
>>> "S9" in std.ksbs_of(4)
True
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stp_helpers import paths
from stp_helpers.errors import StpError
from stp_helpers.io.tables import read_yaml_model

__all__ = ["Duty", "KSB", "Standard", "load_standard", "KSB_IDS"]

#: Every KSB id of the standard, in its order.
KSB_IDS = tuple([f"K{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 10)])


class KSB(BaseModel):
    """A knowledge, skill or behaviour of the standard."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[KSB]\d{1,2}$")
    title: str
    statements: tuple[str, ...]

    @property
    def kind(self) -> str:
        """'Knowledge', 'Skill' or 'Behaviour'."""
        return {"K": "Knowledge", "S": "Skill", "B": "Behaviour"}[self.id[0]]


class Duty(BaseModel):
    """A duty of the standard with its performance criteria."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    number: int = Field(ge=1, le=12)
    short: str
    text: str
    criteria: str
    methods: str
    ksbs: tuple[str, ...]


class Standard(BaseModel):
    """The whole standard."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    standard: str
    publisher: str
    licence: str
    notes: str
    all_duties: tuple[str, ...]
    duties: tuple[Duty, ...]
    ksbs: tuple[KSB, ...]

    @model_validator(mode="after")
    def _complete(self) -> Standard:
        if tuple(k.id for k in self.ksbs) != KSB_IDS:
            raise ValueError("the KSBs should be K1-K5, S1-S11 and B1-B9 in order")
        if tuple(d.number for d in self.duties) != tuple(range(1, 13)):
            raise ValueError("the duties should be numbered 1 to 12 in order")
        unknown = {k for d in self.duties for k in d.ksbs} - set(KSB_IDS)
        if unknown:
            raise ValueError(f"unknown KSB ids: {sorted(unknown)}")
        return self

    def duty(self, number: int) -> Duty:
        """Return duty ``number`` (1–12)."""
        if not 1 <= number <= 12:
            raise StpError(f"{number} is not a duty of the standard.", fix="Duties are numbered 1 to 12.")
        return self.duties[number - 1]

    def ksb(self, ksb_id: str) -> KSB:
        """Return a KSB by id, e.g. ``"S3"``."""
        for item in self.ksbs:
            if item.id == ksb_id.strip().upper():
                return item
        raise StpError(f"{ksb_id!r} is not a KSB of the standard.", fix="Use K1–K5, S1–S11 or B1–B9.")

    def ksbs_of(self, duty: int) -> tuple[str, ...]:
        """Return the KSBs a duty draws on, including those that apply to every duty, in standard order."""
        wanted = set(self.duty(duty).ksbs) | set(self.all_duties)
        return tuple(k for k in KSB_IDS if k in wanted)

    def duties_of(self, ksb_id: str) -> tuple[int, ...]:
        """Return the duties that draw on a KSB."""
        self.ksb(ksb_id)
        return tuple(d.number for d in self.duties if ksb_id in self.ksbs_of(d.number))


@lru_cache(maxsize=1)
def load_standard() -> Standard:
    """Load the standard shipped with the package (validated)."""
    return read_yaml_model(paths.PACKAGE_DIR / "data" / "standard.yaml", Standard)
