"""Diagnose a VSM description: the checklist of methods.md §4.3 (VSM-1 … VSM-12) and requisite variety (§4.2).

Each rule is a check on the description, not on the organisation: it says
what the description shows (the evidence), what the pathology means, and the
question to take to the people who work there.  Pérez Ríos (2012) groups the
pathologies as structural, functional and information-system; the rule ids
are the workbook's.

Examples
--------
>>> from stp_helpers.vsm.model import build_description
>>> t1 = build_description(
...     "Partnership", [("housing", "Housing", "tenants"), ("children", "Children's services", "families"),
...                     ("police", "Police", "public")],
...     bodies=[("protocol", "Case-conference protocol", ["S2"]), ("board", "Partnership Board", ["S3", "S5"])],
...     channels=[("coordination", "protocol", u) for u in ("housing", "children", "police")]
...              + [("resource-bargain", "board", u) for u in ("housing", "children", "police")])
>>> diagnose(t1).rules()
['VSM-4', 'VSM-5', 'VSM-6', 'VSM-7', 'VSM-8']
>>> diagnose(t1).warnings()
['VSM-11', 'VSM-11', 'VSM-11']
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import pandas as pd

from stp_helpers.display import HTML
from stp_helpers.vsm.model import ENVIRONMENT, ViableSystem, VsmDescription, VsmError, levels
from stp_helpers.vsm.variety import (  # re-exported: the names keep working from this module
    min_outcomes,
    variety_balance,
    variety_from_demand,
    variety_gap_bits,
)

__all__ = ["RULES", "HOMEOSTAT_RATIO", "Finding", "Diagnosis", "diagnose", "checklist", "diagnosis_view", "rule_for",
    "min_outcomes",
    "variety_balance",
    "variety_from_demand",
    "variety_gap_bits",
]

#: S4's capacity below this share of S3's makes the homeostat lopsided (VSM-7; workbook threshold).
HOMEOSTAT_RATIO = 0.25

#: rule id → (pathology, what it means, question to ask the organisation).
RULES: dict[str, tuple[str, str, str]] = {
    "VSM-1": ("Nothing viable to manage",
              "Viability starts with System 1: the operations that do what the system is for, each facing "
              "its own part of the environment. Without them the rest is management of nothing.",
              "Which operations produce what this system is for, and whom does each serve?"),
    "VSM-2": ("Oscillation between units",
              "Units that share clients or resources affect each other; without System 2 (schedules, shared "
              "protocols) each adjusts to the others' moves and the whole oscillates.",
              "When {pair} both act for the same person or resource, what tells each what the other is doing?"),
    "VSM-3": ("No cohesion",
              "System 3 holds the units together: it agrees resources against accountability (the resource "
              "bargain) and looks for synergy. Units outside the bargain run as separate businesses.",
              "Who agrees {unit}'s resources and what it is accountable for, and where is that agreed?"),
    "VSM-4": ("Reports unverified",
              "System 3* audits operations directly, now and then, so management does not rely only on what "
              "units report about themselves.",
              "How would management find out, other than from a unit's own reports, what is really happening "
              "in its operations?"),
    "VSM-5": ("No adaptation (headless chicken)",
              "System 4 looks outside and ahead and proposes change. Without it, or without a channel to the "
              "environment, the organisation reacts to today and is surprised by tomorrow.",
              "Who watches how needs, money, policy and research are changing, and where does that go?"),
    "VSM-6": ("No distinct policy role (S5 absent or collapsed into S3)",
              "System 5 sets identity and policy and balances stability (S3) against change (S4). When no "
              "body holds policy, or the body running day-to-day management is also the only policy body, "
              "policy is drawn into operations and identity gets no attention of its own.",
              "Where, and by whom, is the question 'what are we for?' asked apart from this month's "
              "resources and performance?"),
    "VSM-7": ("No homeostat: S3 and S4 dissociated",
              "The inside-and-now (S3) and the outside-and-then (S4) must be in conversation, overseen by S5; "
              "without an S3–S4 channel plans ignore operations or operations ignore the future. When both "
              "record a capacity (effort, e.g. hours a month), S4 with under a quarter of S3's capacity "
              "cannot hold its side of the conversation (workbook threshold).",
              "Where do the people running today's services and those looking ahead meet, and how often?"),
    "VSM-8": ("Alarms cannot reach policy",
              "An algedonic channel carries alarms from operations straight to S5 when they are not resolved "
              "within a set time. Without a threshold and an escalation time it is a complaint box, not an "
              "alarm.",
              "If a frontline worker sees something going badly wrong, how long before policy-makers hear of "
              "it, and by what route?"),
    "VSM-9": ("Coordination by command",
              "With no System 2, the only way to keep units in step is for S3 to instruct them, which "
              "overloads S3 and takes autonomy from the units.",
              "Which instructions from the centre would be unnecessary if the units could see each other's "
              "plans?"),
    "VSM-10": ("Self-serving unit (autopoietic beast)",
               "A management body that is connected to no operation produces itself: meetings, reports and "
               "structures that serve their own continuation rather than System 1.",
               "Which operation does {body} serve, and what would the units lose if it stopped?"),
    "VSM-11": ("Recursion not unfolded",
               "Each System 1 unit is itself a viable system; until it is described one level down you cannot "
               "tell whether it has its own S2–S5. This is a warning, not a pathology.",
               "Does {unit} have its own coordination, control, intelligence and policy?"),
    "VSM-12": ("Variety imbalance",
               "Only variety absorbs variety (Ashby 1956): when the disturbances outnumber the responses and "
               "there is no attenuator or amplifier, outcomes go unregulated.",
               "What filters (triage, categories) or amplifiers (autonomy, partners, self-service) could "
               "close the gap at {where}?"),
    "VSM-13": ("S5 meddling in operations",
               "Policy (S5), or intelligence (S4), that gives orders straight to System 1 units bypasses "
               "System 3: the units get two masters, S3 loses its resource bargain, and the policy role "
               "collapses into day-to-day management (Beer 1979; Pérez Ríos 2012).",
               "When {body} wants something changed in {unit}, why does it not go through the resource "
               "bargain with System 3?"),
}


@dataclass(frozen=True)
class Finding:
    """One rule that fires on one system of a description."""

    rule: str
    severity: Literal["pathology", "warning"]
    system: str
    evidence: str
    question: str
    elements: tuple[str, ...] = ()

    @property
    def pathology(self) -> str:
        """The pathology's name."""
        return RULES[self.rule][0]

    @property
    def explanation(self) -> str:
        """What the pathology means."""
        return RULES[self.rule][1]


class Diagnosis(tuple):
    """The findings of :func:`diagnose`, in rule order (a tuple of :class:`Finding`)."""

    def rules(self, system: str | None = None) -> list[str]:
        """Return the distinct pathology rule ids (warnings excluded), in rule order."""
        found = {f.rule for f in self if f.severity == "pathology" and system in (None, f.system)}
        return sorted(found, key=_rule_key)

    def warnings(self, system: str | None = None) -> list[str]:
        """Return the rule id of every warning (one per warning)."""
        return [f.rule for f in self if f.severity == "warning" and system in (None, f.system)]

    def of(self, system: str) -> Diagnosis:
        """Return the findings on one system."""
        return Diagnosis(f for f in self if f.system == system)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: rule, severity, system, pathology, evidence, question."""
        return pd.DataFrame(
            [{"rule": f.rule, "severity": f.severity, "system": f.system, "pathology": f.pathology,
              "evidence": f.evidence, "question": f.question} for f in self],
            columns=["rule", "severity", "system", "pathology", "evidence", "question"])

    def summary(self) -> str:
        """One sentence: the pathologies found and the warnings."""
        rules, warns = self.rules(), self.warnings()
        if not rules and not warns:
            return "No pathology found by the checklist."
        text = (f"{len(rules)} patholog{'y' if len(rules) == 1 else 'ies'} found: {', '.join(rules)}."
                if rules else "No pathology found by the checklist.")
        if warns:
            text += f" {len(warns)} warning{'s' if len(warns) != 1 else ''} ({', '.join(sorted(set(warns), key=_rule_key))})."
        return text

    def __repr__(self) -> str:
        return self.summary()


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower().replace("s3*", "s3 star")).split())


#: Other names the literature uses for a pathology.
_ALIASES = {"s5 collapsed into s3": "VSM-6", "no s5": "VSM-6", "no system 5": "VSM-6", "no policy": "VSM-6",
            "s4 meddling in operations": "VSM-13", "meddling": "VSM-13", "policy meddling": "VSM-13",
            "no s2": "VSM-2", "no s3 star": "VSM-4", "no audit": "VSM-4", "no s4": "VSM-5",
            "no algedonic channel": "VSM-8", "recursion": "VSM-11"}


def rule_for(text: str) -> str | None:
    """Return the rule id a learner means: a rule id, a number, or a pathology's name.

    The name may be the checklist's (``"Reports unverified"``), its part in
    brackets (``"headless chicken"``), or either half of a name such as
    ``"S5 collapsed into S3"``.

    Examples
    --------
    >>> rule_for("vsm-4"), rule_for("4"), rule_for("Reports unverified"), rule_for("headless chicken")
    ('VSM-4', 'VSM-4', 'VSM-4', 'VSM-5')
    >>> rule_for("S5 meddling in operations"), rule_for("S5 collapsed into S3"), rule_for("nonsense")
    ('VSM-13', 'VSM-6', None)
    """
    raw = str(text).strip()
    rid = raw.upper().replace(" ", "-").replace("_", "-")
    rid = f"VSM-{rid}" if rid.isdigit() else rid.replace("VSM--", "VSM-")
    if rid in RULES:
        return rid
    key = _name_key(raw)
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    for rule, (name, _, _) in RULES.items():
        full = _name_key(name)
        parts = {full, *(_name_key(p) for p in re.split(r"[():;]", name) if _name_key(p))}
        parts |= {_name_key(p) for p in re.split(r"\bor\b", re.sub(r".*\(|\)", "", name)) if _name_key(p)}
        if key in parts or (len(key) > 8 and key in full):
            return rule
    return None


def _rule_key(rule: str) -> int:
    return int(rule.split("-")[1])


def _finding(rule: str, system: ViableSystem, evidence: str, elements: tuple[str, ...] = (),
             severity: Literal["pathology", "warning"] = "pathology", **names: str) -> Finding:
    question = RULES[rule][2].format(**names) if names else RULES[rule][2]
    return Finding(rule, severity, system.id, evidence, question, elements)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _channel_graph(system: ViableSystem) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from([u.id for u in system.units] + [b.id for b in system.bodies])
    graph.add_edges_from(c.ends() for c in system.channels if ENVIRONMENT not in c.ends())
    return graph


def _touches(system: ViableSystem, kind: str, a: str, b: str) -> bool:
    return any(c.kind == kind and {c.from_, c.to} == {a, b} for c in system.channels)


def _check_system(system: ViableSystem) -> Iterator[Finding]:
    units = {u.id for u in system.units}
    # VSM-1
    if not system.units:
        yield _finding("VSM-1", system, "The description has no System 1 unit.", ("S1",))
    for unit in system.units:
        if not (unit.environment or "").strip():
            yield _finding("VSM-1", system, f"The unit {unit.name} has no environment.", (unit.id,))
    # VSM-2
    s2 = system.performers("S2")
    for channel in system.channels_of("operations"):
        a, b = channel.ends()
        if a in units and b in units and not any(
                _touches(system, "coordination", body.id, a) and _touches(system, "coordination", body.id, b)
                for body in s2):
            pair = f"{system.label(a)} and {system.label(b)}"
            yield _finding("VSM-2", system, f"{pair} interact or share resources, and no System 2 "
                           "coordinates both.", (a, b, "S2"), pair=pair)
    # VSM-3
    s3 = system.performers("S3")
    if not s3:
        yield _finding("VSM-3", system, "No body performs System 3.", ("S3",),
                       unit=system.units[0].name if system.units else "each unit")
    else:
        for unit in system.units:
            if not any(_touches(system, "resource-bargain", body.id, unit.id) for body in s3):
                yield _finding("VSM-3", system, f"{unit.name} has no resource-bargain channel with System 3.",
                               (unit.id, "S3"), unit=unit.name)
    # VSM-4
    if not any(c.to in units or c.from_ in units for c in system.channels_of("audit")):
        who = system.performers("S3*")
        yield _finding("VSM-4", system, ("No audit channel reaches any System 1 operation"
                                         + (f" ({who[0].name} is named as S3* but audits nothing)." if who else ".")),
                       ("S3*",))
    # VSM-5
    s4 = system.performers("S4")
    if not s4:
        yield _finding("VSM-5", system, "No body performs System 4.", ("S4",))
    elif not any(c.kind == "environment" and (c.from_ in {b.id for b in s4} or c.to in {b.id for b in s4})
                 for c in system.channels):
        yield _finding("VSM-5", system, f"{s4[0].name} (System 4) has no channel to the environment.", ("S4",))
    # VSM-6
    s5 = system.performers("S5")
    if not s5:
        yield _finding("VSM-6", system, "No body performs System 5 (policy and identity).", ("S5",))
    elif all("S3" in b.systems for b in s5):
        yield _finding("VSM-6", system, f"{s5[0].name} performs both System 3 and System 5, and no other body "
                       "holds policy.", ("S5", "S3"))
    # VSM-7
    if not any(_touches(system, "homeostat", a.id, b.id) for a in s3 for b in s4) and not any(
            "S3" in b.systems and "S4" in b.systems for b in system.bodies):
        yield _finding("VSM-7", system, "There is no channel between System 3 and System 4"
                       + ("." if s3 and s4 else f" (no {'S3' if not s3 else 'S4'} to connect)."), ("S3", "S4"))
    else:
        cap3 = sum(b.capacity for b in s3 if b.capacity is not None and "S4" not in b.systems)
        cap4 = sum(b.capacity for b in s4 if b.capacity is not None and "S3" not in b.systems)
        if cap3 > 0 and any(b.capacity is not None for b in s4) and cap4 < HOMEOSTAT_RATIO * cap3:
            yield _finding("VSM-7", system, f"System 4 has {cap4:g} units of capacity against System 3's "
                           f"{cap3:g}: the homeostat is lopsided, so today's management outweighs the look "
                           "ahead.", ("S3", "S4"))
    # VSM-8
    alarms = system.channels_of("algedonic")
    if not alarms:
        yield _finding("VSM-8", system, "There is no algedonic channel.", ("algedonic",))
    else:
        loose = [c for c in alarms if not c.threshold or c.escalation_days is None]
        if loose:
            c = loose[0]
            yield _finding("VSM-8", system, f"The algedonic channel from {system.label(c.from_)} has no "
                           f"{'threshold' if not c.threshold else 'escalation time'}.", ("algedonic",))
    # VSM-9
    commands = [c for c in system.channels_of("command") if c.to in units]
    if commands and not s2:
        yield _finding("VSM-9", system, f"{system.label(commands[0].from_)} commands "
                       f"{len({c.to for c in commands})} unit(s) and no body performs System 2.", ("S3", "S2"))
    # VSM-13
    policy = {b.id: b for b in system.bodies if ({"S5", "S4"} & set(b.systems)) and "S3" not in b.systems}
    for channel in system.channels_of("command"):
        if channel.from_ in policy and channel.to in units:
            body = policy[channel.from_]
            role = "System 5" if "S5" in body.systems else "System 4"
            yield _finding("VSM-13", system, f"{body.name} ({role}) commands {system.label(channel.to)} "
                           "directly, bypassing System 3.", (body.id, channel.to),
                           body=body.name, unit=system.label(channel.to))
    # VSM-10
    graph = _channel_graph(system)
    for body in system.bodies:
        if not body.systems:
            continue
        if not any(n in units for n in nx.node_connected_component(graph, body.id)):
            yield _finding("VSM-10", system, f"{body.name} ({', '.join(body.systems)}) has no channel, direct "
                           "or through other bodies, to any System 1 unit.", (body.id,), body=body.name)
    # VSM-11
    for unit in system.units:
        if not unit.unfolds:
            yield _finding("VSM-11", system, f"{unit.name} has no description one level down.", (unit.id,),
                           severity="warning", unit=unit.name)
    # VSM-12
    for channel in system.channels:
        d, r = channel.disturbance_variety, channel.response_variety
        if d is not None and r is not None and d > r and not channel.attenuators and not channel.amplifiers:
            where = f"the {channel.kind} channel {system.label(channel.from_)} → {system.label(channel.to)}"
            yield _finding("VSM-12", system, f"{where[4:].capitalize()} carries {d} states against {r} responses "
                           "with no attenuator or amplifier.", channel.ends(), where=where)
    for unit in system.units:
        v = unit.variety
        if v is None:
            continue
        for between, lo, hi in (("environment-operations", v.environment, v.operations),
                                ("operations-management", v.operations, v.management)):
            devices = [d for d in [*unit.attenuators, *unit.amplifiers] if d.between == between]
            if lo is not None and hi is not None and lo > hi and not devices:
                where = f"{_possessive(unit.name)} {between.replace('-', ' → ')} interface"
                yield _finding("VSM-12", system, f"{where[0].upper() + where[1:]} meets {lo} states with {hi} "
                               "and has no attenuator or amplifier.", (unit.id,), where=where)


def diagnose(desc: VsmDescription, system: str | None = None) -> Diagnosis:
    """Run the checklist VSM-1 … VSM-12 on a description.

    Parameters
    ----------
    desc : VsmDescription
        A validated description (see :func:`stp_helpers.vsm.files.read_vsm`).
    system : str, optional
        One system's id; default every system, level by level from the focus.

    Returns
    -------
    Diagnosis
        Findings in level order, then rule order; VSM-11 findings are warnings.

    Raises
    ------
    VsmError
        ``desc`` is not a description, or ``system`` is not one of its systems.

    Examples
    --------
    >>> from stp_helpers.vsm.model import build_description
    >>> diagnose(build_description("Empty", [])).rules()
    ['VSM-1', 'VSM-3', 'VSM-4', 'VSM-5', 'VSM-6', 'VSM-7', 'VSM-8']
    """
    if not isinstance(desc, VsmDescription):
        raise VsmError(f"diagnose needs a VSM description, not {type(desc).__name__}.",
                       "Read one with vsm.read_vsm(path) or vsm.from_case(CASE).")
    order = [desc.system(system).id] if system is not None else [sid for _, sid, _ in levels(desc)]
    found: list[Finding] = []
    for sid in order:
        found += sorted(_check_system(desc.system(sid)), key=lambda f: _rule_key(f.rule))
    return Diagnosis(found)


def checklist() -> pd.DataFrame:
    """The checklist as a table: rule, pathology, what it means.

    Examples
    --------
    >>> checklist()["rule"].tolist()[:3]
    ['VSM-1', 'VSM-2', 'VSM-3']
    """
    return pd.DataFrame([{"rule": r, "pathology": p, "meaning": m} for r, (p, m, _) in RULES.items()])


def diagnosis_view(diagnosis: Diagnosis, desc: VsmDescription | None = None) -> HTML:
    """Show a diagnosis as a table: rule, pathology, evidence, question.

    Returns
    -------
    HTML
        Its text form is the summary sentence followed by one line per finding.

    Examples
    --------
    >>> from stp_helpers.vsm.model import build_description
    >>> view = diagnosis_view(diagnose(build_description("T", [("a", "A", "")])))
    >>> print(repr(view).splitlines()[1])
    VSM-1 (t): The unit A has no environment.
    """
    names = {s.id: s.name for s in desc.systems} if desc is not None else {}
    rows, lines = [], [diagnosis.summary()]
    for f in diagnosis:
        colour = "#D55E00" if f.severity == "pathology" else "#0072B2"
        rows.append(
            f'<tr class="vsm-finding" data-rule="{f.rule}"><td style="color:{colour};font-weight:bold">{f.rule}</td>'
            f"<td>{html.escape(names.get(f.system, f.system))}</td><td><strong>{html.escape(f.pathology)}</strong>"
            f"<br>{html.escape(f.explanation)}</td><td>{html.escape(f.evidence)}</td>"
            f"<td><em>{html.escape(f.question)}</em></td></tr>")
        lines.append(f"{f.rule} ({f.system}): {f.evidence}")
    head = ("<tr><th>Rule</th><th>System</th><th>Pathology</th><th>Evidence</th>"
            "<th>Question to ask</th></tr>")
    body = (f'<div class="vsm-diagnosis" style="font-size:14px"><p><strong>{html.escape(lines[0])}</strong></p>'
            f'<table style="border-collapse:collapse;text-align:left">{head}{"".join(rows)}</table></div>')
    return HTML(html=body, text="\n".join(lines))
