"""Duty 4's output: an engagement strategy read against power (``engagement.yaml`` with the register).

The strategy is the plan and workshops of ``engagement.yaml``; the power it
must be sensitive to is the register (``stakeholders.csv`` and
``stakeholder_links.csv``) at its latest snapshot.  Each plan item's method is
placed on a ladder of engagement depth, after Arnstein (1969): *inform*,
*consult*, *involve*, *co-design*, read from the method's own words (a
heuristic: name the depth in the method, e.g. "co-design workshops", when
the reading is wrong).

Quality rules (a workbook design, after the duty's criteria "an engagement
strategy that identifies relevant stakeholders and is tailored to customers
need" and "outputs from engagement events", and methods.md §5.1, §5.2, §5.4):

- ``ES-1`` every stakeholder outside *monitor* on the latest grid has a plan
  item: the plan follows the register as it is now, not as it was;
- ``ES-2`` the depth fits the grid: key players are at least *involved*,
  those kept informed are at least *consulted* (a route to feed back), those
  kept satisfied are at least *informed*;
- ``ES-3`` every dependent stakeholder (legitimacy and urgency without power)
  is engaged in a safe setting *and* with a named advocate or broker;
- ``ES-4`` every stakeholder kept informed (low power, high interest) has a
  route to a key player: an influence link path, or a workshop they share;
- ``ES-5`` the strategy evolves and shows what it produced: the register has
  two or more dated snapshots, and at least one workshop records its outputs.

Examples
--------
>>> register, draft = example_draft()
>>> [f.rule for f in check_strategy(draft, register)]
['ES-1', 'ES-2', 'ES-3']
>>> engagement_level("Co-design workshops and case reviews"), engagement_level("Quarterly briefings")
('co-design', 'inform')
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import pandas as pd

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import CaseFileError, RuleFinding, StpError
from stp_helpers.stakeholders.engagement import (EngagementRecord, PlanItem, Workshop, WorkshopOutput,
                                                 engagement_yaml_text, read_engagement, suggest_plan)
from stp_helpers.stakeholders.power import compare_snapshots, grid_table, influence_network
from stp_helpers.stakeholders.register import Register, build_register, register_csv_text

__all__ = ["RULES", "LEVELS", "MINIMUM_LEVEL", "Finding", "engagement_level", "plan_against_power",
           "evolution_table", "check_strategy", "example_draft", "parse_engagement", "strategy_text",
           "starter_text", "check_text", "findings_markdown", "plan_markdown", "case_register", "draft_table", "STARTER"]

RULES = {"ES-1": "a plan item for everyone outside 'monitor'", "ES-2": "depth of engagement fits the grid",
         "ES-3": "a safe setting and an advocate for dependent stakeholders",
         "ES-4": "a route to a key player for those kept informed",
         "ES-5": "dated snapshots and recorded workshop outputs"}

#: The ladder of engagement depth, shallow to deep (after Arnstein 1969), and the words that place a method on it.
LEVELS: dict[str, tuple[str, ...]] = {
    "inform": ("brief", "update", "newsletter", "return", "report", "bulletin", "email", "letter", "website",
               "inform"),
    "consult": ("consult", "one-to-one", "interview", "survey", "focus group", "feedback", "feed back",
                "conversation", "meeting", "group", "session", "stories", "contact", "listening", "empathy",
                "evidence", "research"),
    "involve": ("workshop", "case review", "café", "cafe", "fieldwork", "group model", "action planning",
                "stocktake", "spotlight", "sponsor", "open space", "analysis", "planning", "involve"),
    "co-design": ("co-design", "codesign", "co-produc", "coproduc", "design group", "seat", "alliance", "joint",
                  "shared decision", "learning lab", "partnership"),
}
#: The least depth each quadrant of the grid needs (rule ES-2); ``monitor`` needs none.
MINIMUM_LEVEL: dict[str, str | None] = {"key players": "involve", "keep satisfied": "inform",
                                        "keep informed": "consult", "monitor": None}
_SAFE = ("safe", "trusted", "their terms", "confidential", "peer", "independent", "anonymous")
_ADVOCATE = ("advocate", "advocacy", "broker", "champion", "represent", "key worker", "lead professional")

#: A starting ``engagement.yaml`` for a case with no register to suggest a plan from.
STARTER = """# engagement.yaml: who is engaged, how deeply, how often and why (duty 4). Check: stp check-case
source: own-notes
plan:
  - stakeholder: A name from stakeholders.csv
    method: How they take part, e.g. co-design workshops, briefings, safe-space groups with a named advocate
    frequency: monthly
    purpose: Why, in a sentence
    source: own-notes
workshops: []
"""


#: A quality finding: the rule, the field, what is wrong and how to fix it.
Finding = RuleFinding


def engagement_level(method: str) -> str | None:
    """Return the deepest level of engagement a method's words name, or None when none is named.

    Examples
    --------
    >>> engagement_level("Small safe-space groups hosted by a trusted charity, with a named advocate")
    'consult'
    >>> engagement_level("Open sessions and a seat in the design group"), engagement_level("Lunch") is None
    ('co-design', True)
    """
    text = " ".join(str(method).lower().split())
    found = None
    for level, words in LEVELS.items():
        if any(w in text for w in words):
            found = level
    return found


def _depth(level: str | None) -> int:
    return -1 if level is None else list(LEVELS).index(level)


def _mentions(text: str, words: Sequence[str]) -> bool:
    return any(w in text.lower() for w in words)


def plan_against_power(record: EngagementRecord, register: Register) -> pd.DataFrame:
    """Each stakeholder on the latest grid beside its plan item: quadrant, salience, method, depth and verdict.

    Examples
    --------
    >>> register, draft = example_draft()
    >>> table = plan_against_power(draft, register).set_index("stakeholder")
    >>> table.loc["Council leadership", "verdict"]
    'too shallow: key players need at least involve'
    """
    plan = {p.stakeholder: p for p in record.plan}
    rows = []
    for r in grid_table(register).itertuples(index=False):
        item = plan.get(r.name)
        level = engagement_level(item.method) if item else None
        need = MINIMUM_LEVEL[r.quadrant]
        if item is None:
            verdict = "optional (monitor)" if need is None else "not in the plan"
        elif level is None:
            verdict = "depth not named"
        elif need is not None and _depth(level) < _depth(need):
            verdict = f"too shallow: {r.quadrant} need at least {need}"
        else:
            verdict = "fits"
        if item is not None and r.salience == "dependent" and not (
                _mentions(item.method, _SAFE) and _mentions(item.method, _ADVOCATE)):
            verdict = ("no safe setting with an advocate" if verdict == "fits"
                       else f"{verdict}; no safe setting with an advocate")
        rows.append({"stakeholder": r.name, "quadrant": r.quadrant, "salience": r.salience,
                     "method": item.method if item else "", "depth": level or "", "needs": need or "",
                     "verdict": verdict})
    return pd.DataFrame(rows, columns=["stakeholder", "quadrant", "salience", "method", "depth", "needs",
                                       "verdict"])


def evolution_table(record: EngagementRecord, register: Register) -> pd.DataFrame:
    """Who moved on the grid between the first and the latest snapshot, and whether the plan moved with them.

    Empty when the register has one snapshot.
    """
    columns = ["stakeholder", "before", "now", "plan now", "followed"]
    if len(register.snapshots()) < 2:
        return pd.DataFrame(columns=columns)
    moved = compare_snapshots(register)
    moved = moved[moved["changed"]]
    fits = plan_against_power(record, register).set_index("stakeholder")["verdict"]
    rows = [{"stakeholder": m.name, "before": f"{m.quadrant_before} ({m.salience_before})",
             "now": f"{m.quadrant_after} ({m.salience_after})", "plan now": fits.get(m.name, ""),
             "followed": fits.get(m.name, "") in ("fits", "optional (monitor)")} for m in moved.itertuples()]
    return pd.DataFrame(rows, columns=columns)


def _routes(record: EngagementRecord, register: Register, name: str, keys: set[str]) -> bool:
    graph = influence_network(register)
    if name in graph and any(k in graph and k != name and nx.has_path(graph, name, k) for k in keys):
        return True
    return any(name in w.participants and keys & (set(w.participants) - {name}) for w in record.workshops)


def check_strategy(record: EngagementRecord, register: Register | None) -> list[Finding]:
    """Return every quality finding (``ES-1`` to ``ES-5``), in rule order; empty when the strategy passes.

    Parameters
    ----------
    record : EngagementRecord
        The contents of ``engagement.yaml``.
    register : Register or None
        The case's register (None when the case has none: ES-1 asks for one).

    Examples
    --------
    >>> register, draft = example_draft()
    >>> print(check_strategy(draft, register)[0])
    ES-1 plan (Mental health services): Mental health services sit in 'key players' on the latest grid (2020-06-01) but have no plan item. Add a plan item: how they take part, how often and why; the plan follows the register as it is now.
    >>> [f.rule for f in check_strategy(draft, None)]
    ['ES-1']
    """
    if register is None:
        return [Finding("ES-1", "stakeholders.csv", "there is no register to read power and interest from.",
                        "Score the stakeholders first (the register editor above), then check the plan.")]
    found: list[Finding] = []
    table = plan_against_power(record, register)
    latest = register.snapshots()[-1].isoformat()
    for r in table[table["verdict"] == "not in the plan"].itertuples():
        found.append(Finding("ES-1", f"plan ({r.stakeholder})", f"{r.stakeholder} sit in '{r.quadrant}' on the "
                             f"latest grid ({latest}) but have no plan item.", "Add a plan item: how they take part, how "
                             "often and why; the plan follows the register as it is now."))
    for r in table.itertuples():
        if r.verdict.startswith("too shallow") or r.verdict.startswith("depth not named"):
            problem = (f"{r.stakeholder} ({r.quadrant}) are engaged by '{r.method}', which reads as {r.depth}."
                       if r.depth else f"the method for {r.stakeholder} names no depth of engagement.")
            found.append(Finding("ES-2", f"plan ({r.stakeholder}).method", problem,
                                 f"{r.quadrant.capitalize()} need at least '{r.needs}'; say how deeply they take "
                                 f"part, in words such as: {', '.join(LEVELS[r.needs or 'inform'][:3])}."))
    for r in table[table["verdict"].str.contains("no safe setting")].itertuples():
        found.append(Finding("ES-3", f"plan ({r.stakeholder}).method",
                             f"{r.stakeholder} are dependent (a legitimate, urgent claim without power), and the "
                             "method names no safe setting with an advocate.",
                             "Say where they can speak safely (a trusted host, a small group, on their terms) and "
                             "who carries their claim to those with power (a named advocate or broker)."))
    keys = set(table.loc[table["quadrant"] == "key players", "stakeholder"])
    for r in table[table["quadrant"] == "keep informed"].itertuples():
        if not _routes(record, register, r.stakeholder, keys):
            found.append(Finding("ES-4", f"stakeholder_links.csv ({r.stakeholder})",
                                 f"{r.stakeholder} have no route to a key player: their view reaches no one "
                                 "with power.", "Add an influence link through someone who carries their view "
                                 "(an advocate, a broker), or a workshop they share with a key player."))
    if len(register.snapshots()) < 2:
        found.append(Finding("ES-5", "stakeholders.csv (snapshot)", "the register has one snapshot, so nobody can "
                             "see how the strategy evolved.", "After each round of engagement, re-score who "
                             "moved and add the rows with a new snapshot date."))
    elif not any(w.outputs for w in record.workshops):
        found.append(Finding("ES-5", "workshops", "no workshop records what it produced.",
                             "Record each workshop's outputs: the artefact it changed and how."))
    return found


def example_draft() -> tuple[Register, EngagementRecord]:
    """A flawed first draft of Wiltshire's engagement plan over its register, for the exercise (workbook example).

    The register is Wiltshire's latest grid (scores only); the draft briefs the
    council's leaders, seats people with complex needs on the partnership board
    with no safe setting or advocate, and leaves out mental health services,
    who became key players in the later snapshot.
    """
    rows = [("Council leadership", .9, .7, .9, .6, "2019-06-18"), ("Children's services", .7, .7, .9, .7, "2019-06-18"),
            ("Housing services", .6, .6, .8, .7, "2019-06-18"), ("Police", .7, .5, .8, .7, "2019-06-18"),
            ("Benefits and DWP", .6, .3, .8, .3, "2019-06-18"), ("Mental health services", .5, .4, .8, .6, "2019-06-18"),
            ("Primary health", .4, .3, .7, .3, "2019-06-18"),
            ("Voluntary and community sector", .3, .7, .7, .6, "2019-06-18"),
            ("People with complex needs", .1, .9, .8, .9, "2019-06-18"),
            ("Mental health services", .5, .6, .8, .6, "2020-06-01"),
            ("Voluntary and community sector", .5, .8, .8, .6, "2020-06-01"),
            ("People with complex needs", .4, .9, .9, .9, "2020-06-01")]
    register = build_register(
        [{"name": n, "power": p, "interest": i, "legitimacy": le, "urgency": u, "snapshot": s, "source": "seed-000"}
         for n, p, i, le, u, s in rows],
        links=[("Voluntary and community sector", "People with complex needs"),
               ("People with complex needs", "Voluntary and community sector"),
               ("Voluntary and community sector", "Council leadership")])
    plan = [("Council leadership", "Quarterly briefings on progress"),
            ("Children's services", "Co-design workshops and case reviews"),
            ("Housing services", "Co-design workshops and case reviews"),
            ("Police", "Co-design workshops and case reviews"),
            ("Benefits and DWP", "Briefings before decisions that affect them"),
            ("Voluntary and community sector", "Open sessions and a seat in the design group"),
            ("People with complex needs", "A seat on the partnership board alongside the agencies")]
    record = EngagementRecord(source="seed-000", plan=[
        PlanItem(stakeholder=n, method=m, frequency="monthly", purpose="Early help for people with complex needs",
                 source="synthetic") for n, m in plan],
        workshops=[Workshop(id="w1", title="Mapping the revolving door", format="group_model_building",
                            participants=["Children's services", "Housing services", "Police"],
                            outputs=[WorkshopOutput(artefact="cld.csv", note="Reactive demand loops")],
                            source="synthetic")])
    return register, record


def parse_engagement(text: str, register: Register | None = None) -> EngagementRecord:
    """Read ``engagement.yaml`` text (as typed in a form); names are checked against the register when given.

    Raises
    ------
    CaseFileError
        Every problem, naming ``engagement.yaml``, the line or field, and the fix.

    Examples
    --------
    >>> [p.stakeholder for p in parse_engagement(STARTER).plan]
    ['A name from stakeholders.csv']
    >>> register, _ = example_draft()
    >>> parse_engagement(STARTER, register)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: engagement.yaml, column "plan[0].stakeholder": 'A name from stakeholders.csv' is not in stakeholders.csv. Use a name from the register.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "engagement.yaml"
        path.write_text(text, encoding="utf-8")
        if register is not None:
            (Path(folder) / "stakeholders.csv").write_text(register_csv_text(register), encoding="utf-8")
        try:
            return read_engagement(path)
        except CaseFileError as err:
            raise CaseFileError([dataclasses.replace(p, path="engagement.yaml") for p in err.problems]) from err


def strategy_text(record: EngagementRecord) -> str:
    """Return ``engagement.yaml`` text with its header line (write it with ``case.save_text``).

    >>> parse_engagement(strategy_text(example_draft()[1])) == example_draft()[1]
    True
    """
    header = "# engagement.yaml: who is engaged, how deeply, how often and why (duty 4). Check: stp check-case\n"
    return header + engagement_yaml_text(record)


def starter_text(register: Register | None) -> str:
    """A first ``engagement.yaml`` for a case with none: a plan suggested from the grid, or the blank starter.

    >>> print(starter_text(example_draft()[0]).splitlines()[3])
      - stakeholder: Council leadership
    """
    if register is None:
        return STARTER
    plan = [PlanItem(stakeholder=r.stakeholder, method=r.method, frequency=r.frequency, purpose=r.purpose,
                     source="suggested") for r in suggest_plan(register).itertuples()]
    return strategy_text(EngagementRecord(source="own-notes", plan=plan))


def check_text(text: str, register: Register | None) -> tuple[EngagementRecord, list[Finding]]:
    """Parse a form's text and return the record and its findings.

    Raises
    ------
    StpError
        When the text is empty or cannot be read (the error names the line or field and the fix).
    """
    if not text.strip():
        raise StpError("engagement.yaml is empty.", fix="Start from the suggested plan: one item per stakeholder.")
    record = parse_engagement(text, register)
    return record, check_strategy(record, register)


def findings_markdown(found: Sequence[Finding]) -> Markdown:
    """Quality findings as a Markdown list (case text escaped), or a line saying every rule passes."""
    return findings_list(found, "Every rule (ES-1 to ES-5) passes.")


def plan_markdown(record: EngagementRecord) -> Markdown:
    """An engagement plan as Markdown (case text escaped): each stakeholder's method and frequency, and workshops."""
    parts = [md("- **{who}**: {method} ({freq})", who=p.stakeholder, method=p.method, freq=p.frequency)
             for p in record.plan] or [Markdown("- (no plan item yet)")]
    parts += [md("- Workshop *{title}* with {who}; outputs: {out}", title=w.title, who=", ".join(w.participants),
                 out="; ".join(f"{o.artefact} ({o.note})" for o in w.outputs) or "(none recorded)")
              for w in record.workshops]
    return join(parts)


def case_register(case: Case) -> Register | None:
    """The case's register, or None when it has no ``stakeholders.csv`` yet."""
    if not case.has("stakeholders.csv"):
        return None
    links = case.read("stakeholder_links.csv") if case.has("stakeholder_links.csv") else []
    return Register(tuple(case.read("stakeholders.csv")), tuple(links))


def draft_table(record: EngagementRecord, register: Register) -> pd.DataFrame:
    """The latest scores of each stakeholder beside the plan's method for them (no verdicts: for exercises).

    >>> draft_table(*reversed(example_draft())).iloc[0]["method"]
    'Quarterly briefings on progress'
    """
    plan = {p.stakeholder: p.method for p in record.plan}
    rows = [{"stakeholder": r.name, "scored on": r.snapshot.isoformat(), "power": r.power, "interest": r.interest,
             "legitimacy": r.legitimacy, "urgency": r.urgency, "method": plan.get(r.name, "")}
            for r in sorted(register.at(), key=lambda s: (-s.power, s.name))]
    return pd.DataFrame(rows)
