"""Engagement: a plan for each stakeholder, a workshop planner and a record of what workshops produced.

A case's ``engagement.yaml`` holds the plan (for each stakeholder: method,
frequency, purpose) and the workshops held or planned, each with its format,
participants and the outputs it produced for the case's artefacts (duties 4
and 6).  :func:`suggest_plan` proposes a plan from the power/interest grid and
salience; :func:`plan_workshop` turns a format into a timed agenda.

Formats (``FORMATS``): World Café (Brown & Isaacs 2005; used in Wolverhampton,
seed 003), Salford's SPOTlight (four stages over six weeks, seed 003), a
rich-picture session (Checkland & Poulter 2006) and a group model building
session built from scripts (Andersen & Richardson 1997; Hovmand et al. 2012).

Examples
--------
>>> agenda = plan_workshop("world_cafe", minutes=90)
>>> agenda["start"].tolist()
['00:00', '00:10', '00:30', '00:50', '01:05', '01:20']
>>> int(agenda["minutes"].sum())
90
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field

from stp_helpers.errors import CaseFileError, EngagementError, Problem
from stp_helpers.paths import relative
from stp_helpers.stakeholders.register import Register, read_stakeholders
from stp_helpers.stakeholders.power import grid_table
from stp_helpers.io.tables import read_yaml_model
from stp_helpers.io.saving import save_text

__all__ = ["Step", "WorkshopFormat", "FORMATS", "EngagementError", "PlanItem", "WorkshopOutput", "Workshop",
           "EngagementRecord", "read_engagement", "load_engagement", "suggest_plan", "plan_table",
           "plan_workshop", "record_outputs", "engagement_yaml_text", "save_engagement", "BIAS_CHECKLIST",
           "bias_checklist", "unengaged", "formats_table"]


@dataclass(frozen=True)
class Step:
    """One step of a workshop format; ``weight`` is its share of the time."""

    activity: str
    purpose: str
    weight: float


@dataclass(frozen=True)
class WorkshopFormat:
    """A workshop format with its steps, the artefacts it feeds and where it comes from."""

    key: str
    name: str
    steps: tuple[Step, ...]
    produces: tuple[str, ...]
    reference: str
    unit: str = "minutes"


#: Workshop formats from the seeds and the literature.
FORMATS: dict[str, WorkshopFormat] = {f.key: f for f in (
    WorkshopFormat("world_cafe", "World Café", (
        Step("Welcome, purpose and café etiquette", "a hospitable space; clarity of purpose", 1),
        Step("Round 1 at small tables: the question that matters", "everyone's knowledge on the table", 2),
        Step("Round 2: travellers move, hosts stay", "connect diverse perspectives", 2),
        Step("Round 3: deepen the question", "notice patterns across tables", 2),
        Step("Harvest: patterns and insights in plenary", "make collective discoveries visible", 2),
        Step("Close: what happens next and who is not in the room", "commitments; gaps in who took part", 1),
    ), ("rich_picture.svg", "csh.yaml"), "Brown & Isaacs (2005) The World Café; Wolverhampton, seed 003"),
    WorkshopFormat("spotlight", "SPOTlight (Salford)", (
        Step("Problem analysis", "the evidence on extent, cause and consequences; who is responsible", 1.5),
        Step("Delivery-chain analysis", "how the issue is tackled now, end to end: systems, structures, incentives",
             1.5),
        Step("SPOTlight report", "issues and an action plan for short, medium and long term", 1),
        Step("Delivery and stock-takes", "partnership commitment; bi-monthly stock-takes with a senior panel", 2),
    ), ("cld.csv", "logic_model.yaml", "engagement.yaml"), "Salford SPOTlights, seed 003", unit="days"),
    WorkshopFormat("rich_picture", "Rich-picture session", (
        Step("Introductions and ground rules", "a safe space; everyone draws", 1),
        Step("Draw the situation: people, places, processes", "express the situation, not a solution", 3),
        Step("Add concerns (attributed) and conflicts (crossed swords)", "make tensions visible", 2),
        Step("Gallery walk and questions", "see others' pictures of the same situation", 2),
        Step("Record the picture: roles, concerns, conflicts, open issues", "a rich picture record", 1),
    ), ("rich_picture.svg", "ssm.yaml"), "Checkland & Poulter (2006) Learning for Action"),
    WorkshopFormat("group_model_building", "Group model building", (
        Step("Hopes and fears", "surface expectations (script: hopes and fears)", 1),
        Step("Variable elicitation", "name variables that rise and fall (script: variable elicitation)", 2),
        Step("Graphs over time", "sketch behaviour over time (script: graphs over time)", 2),
        Step("Structure elicitation: connection circles and loops", "draw the feedback (script: connection "
             "circle, initiating and elaborating a CLD)", 3),
        Step("Model review and next steps", "agree what the map says and what to test", 1),
    ), ("cld.csv", "model.mdl"), "Andersen & Richardson (1997); Hovmand et al. (2012) scripts"),
)}

#: Questions a facilitator asks to guard against confirmation bias.
BIAS_CHECKLIST: tuple[str, ...] = (
    "Did I write down what I expected to hear before the session, so I can see where I was wrong?",
    "Whose account did I record first, and did I give later voices the same weight?",
    "Which contribution surprised me, and is it in the record?",
    "Did I ask for evidence that would disconfirm the emerging story, not only confirm it?",
    "Are the least powerful participants' words recorded in their own words, not paraphrased into mine?",
    "Did someone other than me check the record against what was said?",
    "Who was not in the room, and how will their view reach the next round?",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanItem(_Strict):
    """How one stakeholder is engaged."""

    stakeholder: str = Field(min_length=1, description="a name from stakeholders.csv")
    method: str = Field(min_length=1, description="e.g. 'alliance workshops and one-to-ones'")
    frequency: str = Field(min_length=1, description="e.g. 'monthly', 'every two years'")
    purpose: str = Field(min_length=1, description="why, in a sentence")
    source: str = Field("", description="the id of a case source, or 'synthetic'")


class WorkshopOutput(_Strict):
    """Something a workshop produced for one of the case's artefacts."""

    artefact: str = Field(min_length=1, description="an artefact file of the case, e.g. cld.csv")
    note: str = Field(min_length=1, description="what was added or changed")


class Workshop(_Strict):
    """A workshop held or planned."""

    id: str = Field(min_length=1, description="a short id, e.g. w1")
    title: str = Field(min_length=1)
    format: str = Field(min_length=1, description=f"one of: {', '.join(FORMATS)}")
    date: dt.date | None = Field(None, description="YYYY-MM-DD")
    participants: list[str] = Field(default_factory=list, description="names from stakeholders.csv")
    purpose: str = ""
    outputs: list[WorkshopOutput] = Field(default_factory=list)
    source: str = Field("", description="the id of a case source, or 'synthetic'")


class EngagementRecord(_Strict):
    """The contents of ``engagement.yaml``."""

    source: str = ""
    plan: list[PlanItem] = Field(default_factory=list)
    workshops: list[Workshop] = Field(default_factory=list)


def read_engagement(path: str | Path) -> EngagementRecord:
    """Read and validate ``engagement.yaml`` (known formats, unique workshop ids, names in the register).

    Stakeholder names are checked against ``stakeholders.csv`` in the same folder when it exists.

    Raises
    ------
    CaseFileError
        Every problem found.
    """
    path = Path(path)
    record = read_yaml_model(path, EngagementRecord)
    where = relative(path)
    problems = []
    names: set[str] | None = None
    if (path.parent / "stakeholders.csv").exists():
        names = {s.name for s in read_stakeholders(path.parent / "stakeholders.csv")}
    ids: set[str] = set()
    for i, item in enumerate(record.plan):
        if names is not None and item.stakeholder not in names:
            problems.append(Problem(where, f"{item.stakeholder!r} is not in stakeholders.csv.",
                                    column=f"plan[{i}].stakeholder", fix="Use a name from the register."))
    for i, w in enumerate(record.workshops):
        if w.format not in FORMATS:
            problems.append(Problem(where, f"{w.format!r} is not a workshop format.", column=f"workshops[{i}].format",
                                    fix=f"Use one of: {', '.join(FORMATS)}."))
        if w.id in ids:
            problems.append(Problem(where, f"The workshop id {w.id!r} appears twice.", column=f"workshops[{i}].id",
                                    fix="Give each workshop its own id."))
        ids.add(w.id)
        for j, name in enumerate(w.participants):
            if names is not None and name not in names:
                problems.append(Problem(where, f"{name!r} is not in stakeholders.csv.",
                                        column=f"workshops[{i}].participants[{j}]",
                                        fix="Use a name from the register."))
    if problems:
        raise CaseFileError(problems)
    return record


def load_engagement(slug_or_case: Any) -> EngagementRecord:
    """Read a case's ``engagement.yaml``."""
    from stp_helpers import case as cases

    found = slug_or_case if isinstance(slug_or_case, cases.Case) else cases.load(slug_or_case)
    return read_engagement(found.artefact_path("engagement.yaml"))


_SUGGESTED = {
    "key players": ("co-design workshops and one-to-ones", "monthly"),
    "keep satisfied": ("briefings before decisions; consult on what affects them", "quarterly"),
    "keep informed": ("open sessions, updates and a route to feed back", "monthly"),
    "monitor": ("light-touch updates", "every six months"),
}


def suggest_plan(register: Register) -> pd.DataFrame:
    """Propose a method, frequency and purpose for each stakeholder from the grid and salience.

    Dependent stakeholders (legitimacy and urgency without power) get a
    safe-space method and a named advocate, as methods.md §5.2 asks.

    Examples
    --------
    >>> from stp_helpers.stakeholders.register import build_register
    >>> reg = build_register([{"name": "Tenants", "power": 0.1, "interest": 0.9, "legitimacy": 0.8,
    ...                        "urgency": 0.9}])
    >>> suggest_plan(reg).loc[0, "method"]
    'open sessions, updates and a route to feed back; small safe-space groups with a named advocate'
    """
    rows = []
    for r in grid_table(register).itertuples(index=False):
        method, freq = _SUGGESTED[r.quadrant]
        purpose = r.approach.split(": ", 1)[1]
        if r.salience == "dependent":
            method += "; small safe-space groups with a named advocate"
            purpose += "; their claim needs others' power to be heard"
        rows.append({"stakeholder": r.name, "quadrant": r.quadrant, "salience": r.salience, "method": method,
                     "frequency": freq, "purpose": purpose})
    return pd.DataFrame(rows)


def plan_table(record: EngagementRecord, register: Register | None = None) -> pd.DataFrame:
    """The recorded plan, with each stakeholder's quadrant and salience when a register is given."""
    table = pd.DataFrame([p.model_dump() for p in record.plan],
                         columns=["stakeholder", "method", "frequency", "purpose", "source"])
    if register is not None:
        grid = grid_table(register).set_index("name")
        table.insert(1, "quadrant", [grid["quadrant"].get(n, "(not in register)") for n in table["stakeholder"]])
        table.insert(2, "salience", [grid["salience"].get(n, "(not in register)") for n in table["stakeholder"]])
    return table


def unengaged(record: EngagementRecord, register: Register) -> list[str]:
    """Stakeholders with high interest who are in no plan item and no workshop."""
    touched = {p.stakeholder for p in record.plan} | {n for w in record.workshops for n in w.participants}
    grid = grid_table(register)
    return [n for n, i in zip(grid["name"], grid["interest"]) if i >= 0.5 and n not in touched]


def formats_table() -> pd.DataFrame:
    """Every workshop format: steps, artefacts it feeds and its source."""
    return pd.DataFrame([{"format": f.key, "name": f.name, "steps": len(f.steps), "feeds": ", ".join(f.produces),
                          "from": f.reference} for f in FORMATS.values()])


def plan_workshop(format: str, minutes: int = 120, start: str = "00:00", purpose: str | None = None) -> pd.DataFrame:
    """A timed agenda for a workshop format, its steps sharing ``minutes`` by weight (5-minute blocks).

    For SPOTlight, ``minutes`` is read as days (its stages span six weeks: use 42).

    Raises
    ------
    EngagementError
        An unknown format, or too little time for one block per step.
    """
    fmt = FORMATS.get(str(format).strip().lower().replace(" ", "_").replace("-", "_"))
    if fmt is None:
        raise EngagementError(f"{format!r} is not a workshop format.", f"Use one of: {', '.join(FORMATS)}.")
    block = 1 if fmt.unit == "days" else 5
    if not isinstance(minutes, int) or minutes < block * len(fmt.steps):
        raise EngagementError(f"{minutes!r} {fmt.unit} is too short for the {len(fmt.steps)} steps of {fmt.name}.",
                              f"Allow at least {block * len(fmt.steps)} {fmt.unit}, as a whole number.")
    total = sum(s.weight for s in fmt.steps)
    raw = [s.weight / total * minutes / block for s in fmt.steps]
    blocks = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    k = 0
    while sum(blocks) < minutes // block:
        blocks[order[k % len(order)]] += 1
        k += 1
    while sum(blocks) > minutes // block:
        i = max(range(len(blocks)), key=lambda j: (blocks[j], -j))
        blocks[i] -= 1
    lengths = [b * block for b in blocks]
    lengths[-1] += minutes - sum(lengths)
    hours, mins = (int(x) for x in start.split(":"))
    clock = hours * 60 + mins
    rows = []
    for step, length in zip(fmt.steps, lengths):
        label = f"day {clock + 1}" if fmt.unit == "days" else f"{clock // 60:02d}:{clock % 60:02d}"
        rows.append({"start": label, "activity": step.activity, "minutes" if fmt.unit == "minutes" else "days":
                     length, "purpose": step.purpose})
        clock += length
    table = pd.DataFrame(rows)
    if purpose:
        table.attrs["purpose"] = purpose
    return table


def record_outputs(record: EngagementRecord, workshop_id: str, outputs: Sequence[tuple[str, str]]) -> EngagementRecord:
    """Return a record with ``(artefact, note)`` outputs appended to one workshop.

    Raises
    ------
    EngagementError
        No workshop with that id, or an empty artefact or note.
    """
    ids = [w.id for w in record.workshops]
    if workshop_id not in ids:
        raise EngagementError(f"There is no workshop {workshop_id!r}.", f"Workshops: {', '.join(ids) or 'none'}.")
    made = []
    for artefact, note in outputs:
        if not str(artefact).strip() or not str(note).strip():
            raise EngagementError("Each output needs an artefact file and a note.",
                                  "For example: ('cld.csv', 'added the housing loop').")
        made.append(WorkshopOutput(artefact=artefact, note=note))
    workshops = [w.model_copy(update={"outputs": [*w.outputs, *made]}) if w.id == workshop_id else w
                 for w in record.workshops]
    return record.model_copy(update={"workshops": workshops})


def engagement_yaml_text(record: EngagementRecord) -> str:
    """The record as ``engagement.yaml`` text (round-trips through :func:`read_engagement`)."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_engagement(record: EngagementRecord, folder: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``engagement.yaml`` into a user's case folder atomically (shipped cases refuse)."""
    return save_text(folder, "engagement.yaml", engagement_yaml_text(record), overwrite=overwrite)


def bias_checklist() -> Any:
    """The facilitator's confirmation-bias checklist as a Markdown list of boxes."""
    from stp_helpers.display import Markdown

    return Markdown("\n".join(f"- [ ] {q}" for q in BIAS_CHECKLIST))
