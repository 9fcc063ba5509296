"""Logic models and theories of change, SMART indicators, and contribution analysis.

A logic model (W.K. Kellogg Foundation 2004) runs input → activity → output →
short, medium and long-term outcome → impact.  A theory of change adds *why*
each link should hold: its assumption (Weiss 1995; Funnell & Rogers 2011).
The structural rules (methods reference §7.1):

- ``LM-1`` links only go forward (skipping allowed); backward links are errors unless tagged ``feedback``;
- ``LM-2`` every activity reaches an outcome;
- ``LM-3`` every outcome is reachable from an activity;
- ``LM-4`` every outcome has an indicator passing ``SM-1``;
- ``LM-5`` every activity has an input;
- ``LM-6`` the impact is reachable from an outcome;
- ``LM-7`` (warning) a link from an activity onwards states no assumption.

``SM-1`` (SMART, after Doran 1981) checks an indicator's fields: definition
with numerator and denominator, unit, source, baseline with its date, target
or direction with a date, owner and linked outcome; the workbook also asks
for the frequency of measurement.  Contribution analysis (Mayne 2001; 2008)
is recorded as six steps tied to a path of the logic model; ``CA-1``: a claim
is credible only when every link on the path has at least moderate evidence
and every rival explanation has been assessed.

Examples
--------
>>> model = parse_logic_model('''
... elements:
...   - {id: I1, stage: input, label: funding}
...   - {id: A1, stage: activity, label: navigators}
...   - {id: A2, stage: activity, label: leaflet}
...   - {id: S1, stage: short, label: fewer crises}
... links:
...   - {from: I1, to: A1}
...   - {from: A1, to: S1, assumption: people trust navigators}
... ''')
>>> [(f.rule, f.element) for f in check_logic_model(model) if f.severity == "error"]
[('LM-2', 'A2'), ('LM-4', 'S1'), ('LM-5', 'A2'), ('LM-6', '')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stp_helpers.errors import CaseFileError, GraphError, Problem
from stp_helpers.evaluation.smart_content import smart_content_problem
from stp_helpers.paths import relative
from stp_helpers.io.parse import parse_yaml
from stp_helpers.io.tables import load_yaml, problems_from

__all__ = [
    "STAGES", "OUTCOME_STAGES", "Element", "Link", "Indicator", "LogicModel", "Finding",
    "read_logic_model", "parse_logic_model", "logic_graph", "check_logic_model", "findings_table",
    "smart_check", "SmartResult", "indicators_table", "EXAMPLE_LOGIC_MODEL", "example_logic_model",
]

#: The workbook's stages, in order.
STAGES = ("input", "activity", "output", "short", "medium", "long", "impact")
#: The outcome stages (short about 1–3 years, medium, long about 4–6).
OUTCOME_STAGES = ("short", "medium", "long")
STAGE_WORDS = {"input": "Inputs", "activity": "Activities", "output": "Outputs", "short": "Short-term outcomes",
                "medium": "Medium-term outcomes", "long": "Long-term outcomes", "impact": "Impact"}


class StrictRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Element(StrictRecord):
    """One box of the logic model."""

    id: str = Field(min_length=1, description="a short id, e.g. A1")
    stage: Literal[STAGES] = Field(description="one of input, activity, output, short, medium, long, impact")  # type: ignore[valid-type]
    label: str = Field(min_length=1, description="a few words, e.g. 'January course starts'")
    description: str | None = None


class Link(StrictRecord):
    """A link of the theory of change, with the assumption it rests on."""

    source: str = Field(alias="from", min_length=1, description="the id of the element the link starts from")
    target: str = Field(alias="to", min_length=1, description="the id of the element the link goes to")
    assumption: str | None = Field(None, description="why this link should hold, in a sentence")
    feedback: bool = Field(False, description="true for a deliberate backward (feedback) link")


class Indicator(StrictRecord):
    """An indicator of an outcome: what SMART (``SM-1``) asks of it."""

    id: str = Field(min_length=1, description="a short id, used in indicators.csv, e.g. neet_rate")
    name: str = Field(min_length=1, description="what it measures, in a few words")
    outcome: str | None = Field(None, description="the id of the outcome it measures")
    definition: str | None = Field(None, description="how it is calculated, in a sentence")
    numerator: str | None = Field(None, description="what is counted on top")
    denominator: str | None = Field(None, description="what it is divided by ('none: a count' for a count)")
    unit: str | None = Field(None, description="e.g. '% of 16-18 year olds'")
    source: str | None = Field(None, description="where the data come from")
    baseline: float | None = Field(None, description="the value before the intervention")
    baseline_date: str | None = Field(None, description="when the baseline was measured, e.g. 2006-09")
    target: float | None = Field(None, description="a target value, if there is one")
    direction: Literal["lower", "higher"] | None = Field(None, description="which way is better: lower or higher")
    target_date: str | None = Field(None, description="by when, e.g. 2008-03")
    frequency: str | None = Field(None, description="how often it is measured, e.g. monthly")
    baseline_points: int | None = Field(None, ge=2, description="how many points, from the first, XmR limits rest on (SPC-1)")
    owner: str | None = Field(None, description="who is responsible for it")
    synthetic: bool = Field(False, description="true when its values are made up for teaching")

    @field_validator("baseline_date", "target_date", "frequency", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool) else value


class LogicModel(StrictRecord):
    """The contents of ``logic_model.yaml``."""

    title: str = Field("Logic model", description="a short title")
    source: str | None = Field(None, description="the id of the case source it rests on")
    synthetic: bool = Field(False, description="true when parts are made up for teaching")
    note: str | None = None
    elements: list[Element] = Field(min_length=1, description="the boxes: id, stage, label")
    links: list[Link] = Field(default_factory=list, description="the arrows: from, to, assumption")
    indicators: list[Indicator] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list, description="assumptions about the whole model")
    external_factors: list[str] = Field(default_factory=list, description="influences outside the programme")

    def element(self, element_id: str) -> Element:
        """Return the element with this id."""
        for item in self.elements:
            if item.id == element_id:
                return item
        raise KeyError(element_id)


def _validate(data: Any, lines: dict[tuple[Any, ...], int], name: str) -> LogicModel:
    if not isinstance(data, dict):
        raise CaseFileError([Problem(name, "The logic model should hold 'key: value' fields (elements, links ...).",
                                     line=1, fix="Start with 'elements:' and 'links:' lists.")])
    try:
        model = LogicModel.model_validate(data)
    except ValidationError as err:
        raise CaseFileError(problems_from(err, Path(name), LogicModel, lines=lines)) from err
    ids = [e.id for e in model.elements]
    problems = []
    for i, eid in enumerate(ids):
        if eid in ids[:i]:
            problems.append(Problem(name, f"The element id {eid!r} is used twice.", line=lines.get(("elements", i)),
                                    column=f"elements[{i}].id", fix="Give every element its own id."))
    for i, link in enumerate(model.links):
        for end, key in ((link.source, "from"), (link.target, "to")):
            if end not in ids:
                problems.append(Problem(
                    name, f"The link {link.source} → {link.target} is dangling: {end!r} is not an element.",
                    line=lines.get(("links", i, key), lines.get(("links", i))), column=f"links[{i}].{key}",
                    fix=f"Use one of the element ids ({', '.join(ids)}), or add an element {end!r}."))
    for i, ind in enumerate(model.indicators):
        if ind.outcome is not None and ind.outcome not in ids:
            problems.append(Problem(name, f"The indicator {ind.id!r} measures {ind.outcome!r}, which is not an element.",
                                    line=lines.get(("indicators", i, "outcome")), column=f"indicators[{i}].outcome",
                                    fix=f"Use the id of an outcome ({', '.join(e.id for e in model.elements if e.stage in OUTCOME_STAGES) or 'none yet'})."))
    if problems:
        raise CaseFileError(problems)
    return model


def parse_logic_model(text: str, *, name: str = "logic model") -> LogicModel:
    """Read a logic model from YAML text (the editor app uses this).

    Parameters
    ----------
    text : str
        YAML with ``elements``, ``links`` and optionally ``indicators``,
        ``assumptions``, ``external_factors``.
    name : str
        How messages name the text.

    Returns
    -------
    LogicModel

    Raises
    ------
    CaseFileError
        Not YAML, a bad field (with its line), duplicate ids, or a dangling
        link or indicator.

    Examples
    --------
    >>> parse_logic_model("elements: [{id: A1, stage: activity, label: x}]\\nlinks: [{from: A1, to: O9}]")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: logic model, line 2, column "links[0].to": The link A1 → O9 is dangling: 'O9' is not an element. Use one of the element ids (A1), or add an element 'O9'.
    """
    data, lines = parse_yaml(text, name)
    return _validate(data, lines, name)


def read_logic_model(path: str | Path) -> LogicModel:
    """Read and validate ``logic_model.yaml``.

    Raises
    ------
    CaseFileError
        As :func:`parse_logic_model`, naming the file.
    """
    data, lines = load_yaml(Path(path))
    return _validate(data, lines, relative(Path(path)))


def logic_graph(model: LogicModel) -> nx.DiGraph:
    """The logic model as a DiGraph; nodes carry ``stage`` and ``label``, edges ``assumption`` and ``feedback``."""
    graph = nx.DiGraph()
    for e in model.elements:
        graph.add_node(e.id, stage=e.stage, label=e.label)
    for link in model.links:
        if link.source not in graph or link.target not in graph:
            raise GraphError(f"The link {link.source} → {link.target} is dangling.",
                             "Link only elements that exist.")
        graph.add_edge(link.source, link.target, assumption=link.assumption, feedback=link.feedback)
    return graph


@dataclass(frozen=True)
class Finding:
    """One result of a structural check."""

    rule: str
    severity: Literal["error", "warning"]
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.severity}): {self.message}"


def _stage(graph: nx.DiGraph, node: str) -> int:
    return STAGES.index(graph.nodes[node]["stage"])


def check_logic_model(model: LogicModel) -> list[Finding]:
    """Apply ``LM-1`` to ``LM-7``; errors first in rule order, then warnings.

    Parameters
    ----------
    model : LogicModel

    Returns
    -------
    list of Finding
        Empty when the model passes every rule.

    Examples
    --------
    >>> model = parse_logic_model("elements: [{id: O1, stage: output, label: x}, {id: A1, stage: activity, label: y}]"
    ...                           "\\nlinks: [{from: O1, to: A1}]")
    >>> print(check_logic_model(model)[0])
    LM-1 (error): O1 → A1 goes backwards (output to activity). Reverse it, or tag it 'feedback: true' if the loop is meant.
    """
    graph = logic_graph(model)
    forward = nx.DiGraph()
    forward.add_nodes_from(graph.nodes(data=True))
    forward.add_edges_from((u, v) for u, v, d in graph.edges(data=True) if not d["feedback"])
    by_stage = {s: [e.id for e in model.elements if e.stage == s] for s in STAGES}
    activities, outcomes = by_stage["activity"], [n for s in OUTCOME_STAGES for n in by_stage[s]]
    found: list[Finding] = []
    for u, v, d in graph.edges(data=True):
        if _stage(graph, v) < _stage(graph, u) and not d["feedback"]:
            found.append(Finding("LM-1", "error", u, f"{u} → {v} goes backwards ({graph.nodes[u]['stage']} to "
                                 f"{graph.nodes[v]['stage']}). Reverse it, or tag it 'feedback: true' if the loop is meant."))
    for a in activities:
        if not set(nx.descendants(forward, a)) & set(outcomes):
            found.append(Finding("LM-2", "error", a, f"Activity {a} ({graph.nodes[a]['label']}) leads to no outcome. "
                                 "Link it through an output to an outcome, or ask why it is in the plan."))
    for o in outcomes:
        if not set(nx.ancestors(forward, o)) & set(activities):
            found.append(Finding("LM-3", "error", o, f"Outcome {o} ({graph.nodes[o]['label']}) is reached from no "
                                 "activity. Which activity is meant to bring it about?"))
    for o in outcomes:
        inds = [i for i in model.indicators if i.outcome == o]
        if not inds:
            found.append(Finding("LM-4", "error", o, f"Outcome {o} ({graph.nodes[o]['label']}) has no indicator. "
                                 "How would you know it is happening? Add one."))
        elif not any(smart_check(i).passed for i in inds):
            missing = smart_check(inds[0]).missing
            found.append(Finding("LM-4", "error", o, f"Outcome {o}'s indicator {inds[0].id!r} is not yet SMART: "
                                 f"missing {', '.join(missing)}."))
    for a in activities:
        if not any(graph.nodes[p]["stage"] == "input" for p in graph.predecessors(a)):
            found.append(Finding("LM-5", "error", a, f"Activity {a} ({graph.nodes[a]['label']}) has no input. "
                                 "What money, people or time pays for it?"))
    impacts = by_stage["impact"]
    if not impacts:
        found.append(Finding("LM-6", "error", "", "The model has no impact. Add the long-run change it serves."))
    for i in impacts:
        if not set(nx.ancestors(forward, i)) & set(outcomes):
            found.append(Finding("LM-6", "error", i, f"Impact {i} is reached from no outcome. Link a long-term "
                                 "outcome to it."))
    for u, v, d in graph.edges(data=True):
        if _stage(graph, u) >= STAGES.index("activity") and not d["assumption"]:
            found.append(Finding("LM-7", "warning", u, f"{u} → {v} states no assumption. Why should it hold?"))
    return found


def findings_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table: rule, severity, element, message."""
    return pd.DataFrame([vars(f) for f in findings], columns=["rule", "severity", "element", "message"])


# ------------------------------------------------------------------- SMART
#: SM-1 fields, with the SMART letter each serves.
SMART_FIELDS = (
    ("definition", "S"), ("numerator", "S"), ("denominator", "S"), ("unit", "S"),
    ("source", "M"), ("baseline", "M"), ("baseline_date", "M"),
    ("owner", "A"),
    ("outcome", "R"),
    ("target or direction", "T"), ("target_date", "T"), ("frequency", "T"),
)
_SMART_WORDS = {"S": "specific", "M": "measurable", "A": "assignable", "R": "relevant", "T": "time-related"}


@dataclass(frozen=True)
class SmartResult:
    """What ``SM-1`` found for one indicator."""

    indicator: str
    missing: tuple[str, ...]
    why: tuple[tuple[str, str], ...] = ()

    @property
    def passed(self) -> bool:
        return not self.missing

    def explain(self) -> str:
        """A sentence: passes, or what is missing grouped by SMART letter."""
        if self.passed:
            return f"{self.indicator}: passes SM-1."
        letters: dict[str, list[str]] = {}
        why = dict(self.why)
        for name, letter in SMART_FIELDS:
            if name in self.missing:
                label = name.replace("_", " ")
                letters.setdefault(letter, []).append(f"{label} ({why[name]})" if name in why else label)
        parts = [f"not {_SMART_WORDS[k]} without {' and '.join(v)}" for k, v in letters.items()]
        return f"{self.indicator}: " + "; ".join(parts) + "."

    def __repr__(self) -> str:
        return self.explain()


def smart_check(indicator: Indicator | dict[str, Any]) -> SmartResult:
    """Check an indicator's fields against ``SM-1`` (plus frequency, a workbook addition).

    Parameters
    ----------
    indicator : Indicator or dict
        A dict is validated as an :class:`Indicator` first.

    Returns
    -------
    SmartResult

    Raises
    ------
    CaseFileError
        A dict with unknown or badly typed fields.

    Examples
    --------
    Each letter's content is checked, not only its presence: a baseline
    and a target are numbers, dates and periods must name one ("2008-03",
    "Q2 2009", "within 12 months"), the frequency a period ("monthly"), and
    "x", "tbc" or "soon" fail with the letter they miss.

    >>> smart_check({"id": "crisis", "name": "crisis contacts", "numerator": "crisis contacts",
    ...              "denominator": "people supported", "owner": "navigator lead"})
    crisis: not specific without definition and unit; not measurable without source and baseline and baseline date; not relevant without outcome; not time-related without target or direction and target date and frequency.
    >>> smart_check({"id": "c", "name": "crisis contacts", "definition": "x", "target_date": "soon"}).explain()[:80]
    "c: not specific without definition ('x' says nothing yet) and numerator and deno"
    """
    if isinstance(indicator, dict):
        try:
            indicator = Indicator.model_validate(indicator)
        except ValidationError as err:
            raise CaseFileError(problems_from(err, Path("indicator"), Indicator)) from err
    missing, why = [], []
    for name, _ in SMART_FIELDS:
        if name == "target or direction":
            if indicator.target is None and indicator.direction is None:
                missing.append(name)
            continue
        value = getattr(indicator, name)
        if value in (None, ""):
            missing.append(name)
            continue
        problem = smart_content_problem(name, value)
        if problem:
            missing.append(name)
            why.append((name, problem))
    return SmartResult(indicator.id, tuple(missing), tuple(why))


def indicators_table(model: LogicModel) -> pd.DataFrame:
    """One row per indicator: id, outcome, definition, baseline, source, frequency, owner, SMART."""
    rows = []
    for ind in model.indicators:
        result = smart_check(ind)
        baseline = "" if ind.baseline is None else f"{ind.baseline:g}" + (f" ({ind.baseline_date})" if ind.baseline_date else "")
        rows.append({"indicator": ind.id, "outcome": ind.outcome or "", "definition": ind.definition or "",
                     "unit": ind.unit or "", "baseline": baseline, "source": ind.source or "",
                     "frequency": ind.frequency or "", "owner": ind.owner or "",
                     "smart": "passes" if result.passed else "missing: " + ", ".join(result.missing)})
    return pd.DataFrame(rows, columns=["indicator", "outcome", "definition", "unit", "baseline", "source",
                                       "frequency", "owner", "smart"])


# ------------------------------------------------------ contribution analysis
#: Mayne's six steps (Mayne 2001; 2008), keyed as in contribution.yaml.


#: The methods reference's worked example ``LM-T1`` as YAML (crisis navigators).
EXAMPLE_LOGIC_MODEL = """\
title: Crisis navigators (methods reference LM-T1)
elements:
  - {id: I1, stage: input, label: Navigator funding}
  - {id: A1, stage: activity, label: Assign navigators}
  - {id: A2, stage: activity, label: Joint case reviews}
  - {id: A3, stage: activity, label: Print a leaflet}
  - {id: O1, stage: output, label: Caseload of 40}
  - {id: O2, stage: output, label: Monthly reviews}
  - {id: S1, stage: short, label: Fewer repeat crisis contacts}
  - {id: M1, stage: medium, label: Sustained tenancies}
  - {id: L1, stage: long, label: Better wellbeing}
  - {id: P1, stage: impact, label: People live well at home}
links:
  - {from: I1, to: A1}
  - {from: I1, to: A2}
  - {from: A1, to: O1, assumption: People accept a navigator}
  - {from: A2, to: O2, assumption: Agencies attend the reviews}
  - {from: O1, to: S1, assumption: A named worker is called before a crisis}
  - {from: O2, to: S1, assumption: Reviews catch problems early}
  - {from: S1, to: M1, assumption: Fewer crises mean fewer evictions}
  - {from: M1, to: L1, assumption: A settled home supports wellbeing}
  - {from: L1, to: P1, assumption: Wellbeing lasts}
indicators:
  - id: crisis_contacts
    name: Crisis contacts per person per quarter
    outcome: S1
    definition: Crisis contacts by people on the caseload in the quarter, divided by people on the caseload.
    numerator: crisis contacts by people on the caseload
    denominator: people on the caseload
    unit: contacts per person per quarter
    source: Agency contact records
    baseline: 3.1
    baseline_date: 2024-Q1
    direction: lower
    target_date: 2025-Q4
    frequency: quarterly
    owner: Navigator team lead
  - id: tenancies_kept
    name: Tenancies kept 12 months
    outcome: M1
    definition: People on the caseload still in their tenancy 12 months after referral, as a percentage.
    numerator: people still in their tenancy after 12 months
    denominator: people referred 12 months earlier
    unit: "% of people referred"
    source: Housing management system
    baseline: 62
    baseline_date: 2024-Q1
    target: 75
    target_date: 2026-Q1
    frequency: quarterly
    owner: Housing options manager
"""


def example_logic_model() -> LogicModel:
    """The worked example ``LM-T1``: expected errors LM-2 (A3), LM-4 (L1), LM-5 (A3).

    >>> sorted((f.rule, f.element) for f in check_logic_model(example_logic_model()) if f.severity == "error")
    [('LM-2', 'A3'), ('LM-4', 'L1'), ('LM-5', 'A3')]
    """
    return parse_logic_model(EXAMPLE_LOGIC_MODEL, name="LM-T1 example")
