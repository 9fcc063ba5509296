"""Viable System Model (Beer): a structured description, recursion and requisite variety.

A description (``vsm.yaml`` in a case folder) names the system in focus and
its purpose, its System 1 units (each with its environment and local
management), the *bodies* that perform Systems 2–5 and 3*, and the channels
between them (methods.md §4.1).  A unit may *unfold* into another system of
the same file, described one level down (recursion).  Variety estimates are
counts of distinguishable states per unit, with the attenuators and
amplifiers between environment, operations and management (§4.2).

The diagnosis (the checklist VSM-1 … VSM-12 of §4.3) lives in
:mod:`stp_helpers.vsm.diagnosis`; the drawing in :mod:`stp_helpers.charts.vsm_draw`.

Examples
--------
>>> desc = build_description("Team", [("a", "Intake", "callers")], purpose="answer calls")
>>> desc.focus_system().units[0].environment
'callers'
>>> levels(desc)
[(0, 'team', None)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stp_helpers.errors import VsmError
from stp_helpers.io.tables import problems_from

__all__ = [
    "SYSTEMS", "CHANNEL_KINDS", "INTERFACES", "ENVIRONMENT", "MAX_UNITS", "VsmError",
    "Variety", "Device", "Unit", "Body", "Channel", "ViableSystem", "VsmDescription", "build_description", "add_coordination", "validate_description",
    "levels", "describe_system", "describe_bodies",
]

#: The systems a body can perform (System 1 is the units themselves).
SYSTEMS: tuple[str, ...] = ("S2", "S3", "S3*", "S4", "S5")
#: Channel kinds and what each carries (methods.md §4.1).
CHANNEL_KINDS: dict[str, str] = {
    "operations": "S1 ↔ S1: the units interact or share resources",
    "command": "S3 → S1: instructions, including legal and corporate requirements",
    "resource-bargain": "S3 ↔ S1: resources agreed against performance, and accountability",
    "coordination": "S2 ↔ S1: schedules and shared protocols that damp oscillation",
    "audit": "S3* → S1 operations: direct checks that bypass S1's own reports",
    "algedonic": "S1 → S5: alarms that escalate if not resolved within a set time",
    "homeostat": "S3 ↔ S4: the balance of the inside-and-now and the outside-and-then",
    "environment": "S4 ↔ the future environment (to: environment)",
}
#: The two places a unit's variety is balanced.
INTERFACES: tuple[str, ...] = ("environment-operations", "operations-management")
#: Reserved endpoint of channels to the (future) environment.
ENVIRONMENT = "environment"
#: Most System 1 units one level may hold; more should be grouped and unfolded.
MAX_UNITS = 200

_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
_ID_FIX = "a short id of letters, digits, '-' or '_', e.g. housing"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Variety(_Strict):
    """Variety estimates of one unit: counts of distinguishable states."""

    environment: int | None = Field(None, ge=1, description="states of the environment the unit faces (a whole number ≥ 1)")
    operations: int | None = Field(None, ge=1, description="distinct responses operations can make (a whole number ≥ 1)")
    management: int | None = Field(None, ge=1, description="distinct states management can tell apart and act on (a whole number ≥ 1)")
    synthetic: bool = Field(False, description="true when the counts are teaching estimates, not data")
    note: str | None = Field(None, description="how the counts were made, e.g. 'from demand.csv, type × urgency'")


class Device(_Strict):
    """An attenuator or amplifier of variety at one interface of a unit."""

    name: str = Field(min_length=1, description="what it is, e.g. triage, delegated autonomy")
    between: Literal["environment-operations", "operations-management"] = Field(
        description="environment-operations or operations-management")
    factor: float | None = Field(None, ge=1, description="how many times it cuts (attenuator) or raises (amplifier) variety, ≥ 1")


class Unit(_Strict):
    """A System 1 unit: an operation with its environment and local management."""

    id: str = Field(pattern=_ID, description=_ID_FIX)
    name: str = Field(min_length=1, description="the unit's name, e.g. Housing services")
    environment: str | None = Field(None, description="the part of the world the unit serves")
    management: str | None = Field(None, description="who manages the unit locally")
    unfolds: str | None = Field(None, description="id of the system describing this unit one level down")
    variety: Variety | None = None
    attenuators: list[Device] = Field(default_factory=list)
    amplifiers: list[Device] = Field(default_factory=list)
    note: str | None = None
    source: str | None = Field(None, description="id of a case source, e.g. seed-004")


class Body(_Strict):
    """A body (board, team, protocol, forum) performing one or more of S2–S5 and S3*."""

    id: str = Field(pattern=_ID, description=_ID_FIX)
    name: str = Field(min_length=1, description="the body's name, e.g. Partnership Board")
    systems: list[Literal["S2", "S3", "S3*", "S4", "S5"]] = Field(
        default_factory=list, description="a list of S2, S3, S3*, S4, S5")
    scans: list[str] = Field(default_factory=list, description="S4: what it scans in the environment")
    policy: str | None = Field(None, description="S5: identity, values, policy")
    capacity: float | None = Field(None, ge=0, description="S3/S4: effort given to the role, e.g. hours a month "
                                   "(the homeostat rule VSM-7 compares S3's with S4's)")
    note: str | None = None
    source: str | None = Field(None, description="id of a case source")


class Channel(_Strict):
    """A channel between two units, bodies or the environment."""

    kind: Literal["operations", "command", "resource-bargain", "coordination", "audit",
                  "algedonic", "homeostat", "environment"] = Field(
        description=", ".join(CHANNEL_KINDS))
    from_: str = Field(alias="from", min_length=1, description="id of a unit or body")
    to: str = Field(min_length=1, description="id of a unit or body, or 'environment'")
    note: str | None = None
    threshold: str | None = Field(None, description="algedonic: what counts as an alarm")
    escalation_days: float | None = Field(None, ge=0, description="algedonic: days before an alarm goes up to S5")
    disturbance_variety: int | None = Field(None, ge=1, description="states arriving on the channel")
    response_variety: int | None = Field(None, ge=1, description="responses available at the receiving end")
    attenuators: list[str] = Field(default_factory=list)
    amplifiers: list[str] = Field(default_factory=list)
    source: str | None = None

    def ends(self) -> tuple[str, str]:
        """Return ``(from, to)``."""
        return self.from_, self.to


class ViableSystem(_Strict):
    """One viable system at one level of recursion."""

    id: str = Field(pattern=_ID, description=_ID_FIX)
    name: str = Field(min_length=1, description="the system's name")
    purpose: str | None = Field(None, description="what the system is for, in a sentence")
    units: list[Unit] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    note: str | None = None
    source: str | None = None

    def unit(self, uid: str) -> Unit:
        """Return the unit with this id (KeyError if none)."""
        for unit in self.units:
            if unit.id == uid:
                return unit
        raise KeyError(uid)

    def body(self, bid: str) -> Body:
        """Return the body with this id (KeyError if none)."""
        for body in self.bodies:
            if body.id == bid:
                return body
        raise KeyError(bid)

    def performers(self, system: str) -> list[Body]:
        """Return the bodies performing ``system`` (``"S3"``, ``"S5"`` …)."""
        return [b for b in self.bodies if system in b.systems]

    def channels_of(self, kind: str) -> list[Channel]:
        """Return the channels of one kind."""
        return [c for c in self.channels if c.kind == kind]

    def label(self, element: str) -> str:
        """Return the name of a unit or body id (the id itself otherwise)."""
        for item in [*self.units, *self.bodies]:
            if item.id == element:
                return item.name
        return element


class VsmDescription(_Strict):
    """The contents of ``vsm.yaml``: the system in focus and the systems it unfolds into."""

    title: str = Field(min_length=1, description="a short title for the description")
    focus: str = Field(min_length=1, description="id of the system in focus (level 0)")
    source: str | None = Field(None, description="id of the case source it rests on, e.g. seed-004")
    synthetic: bool = Field(False, description="true when the description is made up for teaching")
    note: str | None = None
    systems: list[ViableSystem] = Field(min_length=1, description="one entry per viable system")

    def system(self, sid: str | None = None) -> ViableSystem:
        """Return a system by id (default: the system in focus).

        Raises
        ------
        VsmError
            No system has that id.
        """
        sid = self.focus if sid is None else sid
        for item in self.systems:
            if item.id == sid:
                return item
        known = ", ".join(s.id for s in self.systems)
        raise VsmError(f"There is no system {sid!r} in this description.", f"Known systems: {known}.")

    def focus_system(self) -> ViableSystem:
        """Return the system in focus."""
        return self.system(self.focus)


# ----- validation across fields -----

def reference_problems(desc: VsmDescription) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Yield (location, problem, fix) for every broken id reference."""
    sids = [s.id for s in desc.systems]
    for i, sid in enumerate(sids):
        if sid in sids[:i]:
            yield ("systems", i, "id"), f"The system id {sid!r} is used twice.", "Give each system its own id."
    if desc.focus not in sids:
        yield ("focus",), f"The focus {desc.focus!r} is not the id of a system below.", \
            f"Use one of: {', '.join(sids)}."
    for s_index, system in enumerate(desc.systems):
        at = ("systems", s_index)
        if len(system.units) > MAX_UNITS:
            yield at + ("units",), (f"The system {system.id!r} has {len(system.units)} System 1 units; "
                                    f"a level holds at most {MAX_UNITS}."), \
                ("Group the units (by service, place or client group) and describe each group one level "
                 "down with 'unfolds:'. Beer's recursion keeps each level to a handful of units.")
        ids: dict[str, str] = {}
        for kind, items in (("units", system.units), ("bodies", system.bodies)):
            for index, item in enumerate(items):
                if item.id == ENVIRONMENT:
                    yield at + (kind, index, "id"), f"{ENVIRONMENT!r} is reserved for the environment.", \
                        "Choose another id."
                elif item.id in ids:
                    yield at + (kind, index, "id"), f"The id {item.id!r} is used twice in {system.id!r}.", \
                        "Give every unit and body its own id."
                ids[item.id] = kind
        for u_index, unit in enumerate(system.units):
            if unit.unfolds is not None and unit.unfolds not in sids:
                yield at + ("units", u_index, "unfolds"), \
                    f"The unit {unit.id!r} unfolds into {unit.unfolds!r}, which is not a system of this file.", \
                    f"Use one of: {', '.join(sids)}, or remove 'unfolds'."
        known = ", ".join(sorted(ids)) or "none yet"
        for c_index, channel in enumerate(system.channels):
            for end, field in ((channel.from_, "from"), (channel.to, "to")):
                if end == ENVIRONMENT and channel.kind == "environment":
                    continue
                if end not in ids:
                    yield at + ("channels", c_index, field), \
                        (f"The {channel.kind} channel {field} {end!r}: there is no unit or body "
                         f"{end!r} in {system.id!r}."), f"Use one of: {known}."
    yield from _recursion_problems(desc)


def _recursion_problems(desc: VsmDescription) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    by_id = {s.id: (i, s) for i, s in enumerate(desc.systems)}
    if desc.focus not in by_id:
        return
    parents: dict[str, str] = {}
    for s_index, system in enumerate(desc.systems):
        for u_index, unit in enumerate(system.units):
            child = unit.unfolds
            if child is None or child not in by_id:
                continue
            at = ("systems", s_index, "units", u_index, "unfolds")
            if child == desc.focus or child == system.id:
                yield at, (f"The unit {unit.id!r} unfolds into {child!r}, a system at or above its own "
                           "level: the recursion loops back on itself."), \
                    "Each unit unfolds into a new system one level down; remove or change 'unfolds'."
            elif child in parents:
                yield at, (f"The system {child!r} is unfolded from two units ({parents[child]!r} and "
                           f"{system.id}/{unit.id!r})."), "Each system sits under one unit; copy it under a new id."
            else:
                parents[child] = f"{system.id}/{unit.id}"
    # a cycle that never reaches the focus (a → b → a)
    graph = {s.id: [u.unfolds for u in s.units if u.unfolds in by_id] for s in desc.systems}
    reached = {desc.focus}
    frontier = [desc.focus]
    while frontier:
        for child in graph[frontier.pop()]:
            if child not in reached:
                reached.add(child)
                frontier.append(child)
    for sid, (s_index, _) in by_id.items():
        if sid not in reached:
            yield ("systems", s_index, "id"), (f"The system {sid!r} is not reached from the focus "
                                               f"{desc.focus!r} through 'unfolds' links (or its "
                                               "recursion loops back on itself)."), \
                "Give some unit one level up 'unfolds: " + sid + "', or remove the system."


def validate_description(desc: VsmDescription) -> VsmDescription:
    """Check the ids a description refers to; return it unchanged when fine.

    Parameters
    ----------
    desc : VsmDescription

    Returns
    -------
    VsmDescription

    Raises
    ------
    VsmError
        Every broken reference: a channel to a unit that does not exist,
        duplicate ids, recursion that loops back on itself, too many units.

    Examples
    --------
    >>> desc = build_description("T", [("a", "A", "e")], channels=[("operations", "a", "zz")])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.VsmError: systems[0].channels[0].to: The operations channel to 'zz': there is no unit or body 'zz' in 't'. Use one of: a.
    """
    found = list(reference_problems(desc))
    if found:
        lines = [f"{location_text(loc)}: {problem} {fix}" for loc, problem, fix in found[:20]]
        raise VsmError("\n".join(lines))
    return desc


def location_text(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")


# ----- reading and writing -----


def build_description(
    name: str,
    units: Sequence[tuple[str, str, str | None]],
    *,
    purpose: str | None = None,
    bodies: Sequence[tuple[str, str, Sequence[str]]] = (),
    channels: Sequence[tuple[str, str, str] | dict[str, Any]] = (),
) -> VsmDescription:
    """Build a one-level description from plain tuples (for exercises and tests).

    Parameters
    ----------
    name : str
        The system in focus; its id is ``name`` lower-cased with hyphens.
    units : sequence of (id, name, environment)
        System 1 units.
    purpose : str, optional
    bodies : sequence of (id, name, systems)
        E.g. ``("board", "Partnership Board", ["S3", "S5"])``.
    channels : sequence of (kind, from, to) or dict
        Dicts may add ``threshold``, ``escalation_days`` and variety fields.

    Returns
    -------
    VsmDescription

    Raises
    ------
    VsmError
        A bad field or a broken reference.
    """
    sid = "-".join(name.lower().split()) or "system"
    raw_channels = [c if isinstance(c, dict) else {"kind": c[0], "from": c[1], "to": c[2]} for c in channels]
    data = {"title": name, "focus": sid, "systems": [{
        "id": sid, "name": name, "purpose": purpose,
        "units": [{"id": u, "name": n, "environment": e} for u, n, e in units],
        "bodies": [{"id": b, "name": n, "systems": list(s)} for b, n, s in bodies],
        "channels": raw_channels}]}
    try:
        desc = VsmDescription.model_validate(data)
    except ValidationError as err:
        raise VsmError("; ".join(str(p) for p in problems_from(err, Path("description"), VsmDescription))) from err
    return validate_description(desc)


def add_coordination(
    desc: VsmDescription, name: str, units: Sequence[str], *, system: str | None = None
) -> VsmDescription:
    """Return a copy of ``desc`` with a System 2 body coordinating ``units``.

    Parameters
    ----------
    desc : VsmDescription
    name : str
        The mechanism, e.g. ``"Multi-agency case conference"``.
    units : sequence of str
        Ids (or names) of the units it coordinates.
    system : str, optional
        System id (default: the system in focus).

    Returns
    -------
    VsmDescription
        A new description; ``desc`` is unchanged.

    Raises
    ------
    VsmError
        An empty name, or a unit that is not in the system.

    Examples
    --------
    >>> desc = build_description("T", [("a", "A", "e"), ("b", "B", "f")],
    ...                          channels=[("operations", "a", "b")])
    >>> new = add_coordination(desc, "Weekly huddle", ["a", "B"])
    >>> [c.kind for c in new.system().channels]
    ['operations', 'coordination', 'coordination']
    >>> len(desc.system().channels)
    1
    """
    label = " ".join(str(name or "").split())
    if not label:
        raise VsmError("The coordination mechanism needs a name.", "For example: 'Weekly case conference'.")
    new = desc.model_copy(deep=True)
    target = new.system(system)
    by_name = {u.name.casefold(): u.id for u in target.units} | {u.id: u.id for u in target.units}
    ids = []
    for unit in units:
        key = str(unit) if str(unit) in by_name else str(unit).casefold()
        if key not in by_name:
            raise VsmError(f"{unit!r} is not a System 1 unit of {target.id!r}.",
                           f"Use one of: {', '.join(u.id for u in target.units)}.")
        ids.append(by_name[key])
    base = "-".join(label.lower().split())[:40] or "s2"
    bid, n = base, 2
    while bid in {*by_name.values(), *(b.id for b in target.bodies)}:
        bid, n = f"{base}-{n}", n + 1
    target.bodies.append(Body(id=bid, name=label, systems=["S2"]))
    target.channels.extend(Channel(kind="coordination", **{"from": bid}, to=uid) for uid in ids)
    return validate_description(new)


def levels(desc: VsmDescription) -> list[tuple[int, str, str | None]]:
    """List the systems by recursion level: ``(level, system id, parent unit)``.

    Examples
    --------
    >>> levels(build_description("T", [("a", "A", "e")]))
    [(0, 't', None)]
    """
    out: list[tuple[int, str, str | None]] = [(0, desc.focus, None)]
    seen = {desc.focus}
    index = 0
    while index < len(out):
        level, sid, _ = out[index]
        for unit in desc.system(sid).units:
            if unit.unfolds and unit.unfolds not in seen:
                seen.add(unit.unfolds)
                out.append((level + 1, unit.unfolds, f"{sid}/{unit.id}"))
        index += 1
    return out


def describe_system(desc: VsmDescription, sid: str | None = None) -> pd.DataFrame:
    """Tabulate who performs each system at one level (one row per system).

    Examples
    --------
    >>> desc = build_description("T", [("a", "A", "e")], bodies=[("b", "Board", ["S3", "S5"])])
    >>> describe_system(desc)["performed by"].tolist()
    ['A', '—', 'Board', '—', '—', 'Board']
    """
    system = desc.system(sid)
    rows = [{"system": "S1", "role": "Operations", "performed by": "; ".join(u.name for u in system.units) or "—"}]
    roles = {"S2": "Coordination", "S3": "Control", "S3*": "Audit", "S4": "Intelligence", "S5": "Policy"}
    for name, role in roles.items():
        rows.append({"system": name, "role": role,
                     "performed by": "; ".join(b.name for b in system.performers(name)) or "—"})
    return pd.DataFrame(rows)


def describe_bodies(desc: VsmDescription, sid: str | None = None, *, systems: bool = False) -> pd.DataFrame:
    """Tabulate the bodies of one level with the evidence about each (for mapping exercises).

    Parameters
    ----------
    desc : VsmDescription
    sid : str, optional
        System id (default: the system in focus).
    systems : bool
        Include the systems each body performs (leave out to let learners map them).

    Examples
    --------
    >>> desc = build_description("T", [("a", "A", "e")], bodies=[("b", "Board", ["S3"])])
    >>> describe_bodies(desc).columns.tolist()
    ['body', 'name', 'evidence']
    """
    rows = []
    for body in desc.system(sid).bodies:
        evidence = " ".join(p for p in (body.note, "; ".join(body.scans) if body.scans else None,
                                        body.policy) if p)
        row = {"body": body.id, "name": body.name, "evidence": " ".join(evidence.split())}
        if systems:
            row["systems"] = ", ".join(body.systems)
        rows.append(row)
    return pd.DataFrame(rows, columns=["body", "name", "evidence"] + (["systems"] if systems else []))
