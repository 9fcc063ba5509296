"""A passage quoted from a case, read for Ulrich's four social roles (client, decision-maker, expert, witness).

Each source of influence has a social role (Ulrich 1983; Ulrich & Reynolds
2010): the **client** or beneficiary (question 1, motivation), the
**decision-maker** (question 4, control), the **expert** (question 7,
knowledge) and the **witness** of those affected but not involved
(question 10, legitimacy).  A case's ``csh.yaml`` may hold a short passage
quoted from its source, with the workbook's reading of who holds each role in
one mode: the model answer, other wordings that name the same people, the
reason from the passage and typical misreadings with why each is not the role.

Examples
--------
>>> ROLES["witness"].number, ROLES["witness"].source
(10, 'legitimacy')
>>> passage = CshPassage(source="synthetic", text="The board decides.", roles={
...     role: {"answer": "x", "why": "y"} for role in ROLES})
>>> passage.mode, sorted(passage.roles) == sorted(ROLES)
('is', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Role", "ROLES", "PassageRole", "CshPassage"]


@dataclass(frozen=True)
class Role:
    """One of Ulrich's four social roles: its question, source and meaning."""

    key: str
    label: str
    number: int
    source: str
    meaning: str


#: The four social roles, in the order of their questions (Ulrich & Reynolds 2010).
ROLES: dict[str, Role] = {r.key: r for r in (
    Role("client", "client (beneficiary)", 1, "motivation",
         "whose interests and purposes the system actually serves"),
    Role("decision-maker", "decision-maker", 4, "control", "who controls the conditions of success"),
    Role("expert", "expert", 7, "knowledge", "whose knowledge and skills count as relevant"),
    Role("witness", "witness", 10, "legitimacy", "who speaks for those affected but not involved"),
)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PassageRole(_Strict):
    """Who holds one role in the passage, in the workbook's reading."""

    answer: str = Field(min_length=1, description="who holds the role in the passage, in a few words")
    accept: list[str] = Field(default_factory=list, description="other wordings naming the same people")
    why: str = Field(min_length=1, description="one sentence, quoting the passage, saying why")
    mistakes: dict[str, str] = Field(default_factory=dict,
                                     description="a typical misreading → why it is not this role")


class CshPassage(_Strict):
    """A short passage quoted from a case source, and who holds each social role in it."""

    source: str = Field(min_length=1, description="the id of the case source quoted")
    mode: Literal["is", "ought"] = Field("is", description="the mode the passage describes: is or ought")
    text: str = Field(min_length=1, description="the passage, quoted from the source")
    roles: dict[str, PassageRole] = Field(description="client, decision-maker, expert and witness")

    @field_validator("roles")
    @classmethod
    def _four_roles(cls, value: dict[str, PassageRole]) -> dict[str, PassageRole]:
        unknown = sorted(set(value) - set(ROLES))
        missing = [r for r in ROLES if r not in value]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not one of Ulrich's roles (use {', '.join(ROLES)})")
        if missing:
            raise ValueError(f"the role {missing[0]!r} is missing (give all of {', '.join(ROLES)})")
        return {r: value[r] for r in ROLES}
