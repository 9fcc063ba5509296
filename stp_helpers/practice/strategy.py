"""Duty 7's output: an assessment of the current strategy against the system's structure
(``strategy_assessment.yaml``).

It states the current strategy and who owns it, judges each of its elements
against the structure that explains the behaviour (a loop or link of
``cld.csv``, an archetype, a part of ``model.mdl``): does it work with the
structure, against it, or both; names who can influence change and through
what lever; and ends with a verdict and recommendations.  Each element and
influencer cites a fact or source of the case, or is marked ``inference``.

Quality rules (a workbook design, after the duty's activity "identify who can
influence change and assess whether current strategy works with or against
the loops"):

- ``SA-1`` the current strategy is stated, with its owner;
- ``SA-2`` at least two elements are assessed, each against a named structure;
- ``SA-3`` each element says whether it works with or against the structure, and on what basis;
- ``SA-4`` at least two people or groups able to influence change are named, each with a lever;
- ``SA-5`` a verdict and at least one recommendation.

Examples
--------
>>> [f.rule for f in check_strategy(StrategyAssessment(strategy="Each agency manages its own demand"))]
['SA-1', 'SA-2', 'SA-4', 'SA-5']
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.parse import parse_yaml
from stp_helpers.io.tables import read_yaml_model
from stp_helpers.practice.scoping import Claim, Finding, not_yet, titled

__all__ = ["Element", "Influencer", "StrategyAssessment", "RULES", "read_strategy", "strategy_text",
           "parse_strategy", "check_strategy", "example_draft_strategy", "strategy_markdown", "case_strategy",
           "findings_markdown"]

RULES = {"SA-1": "the strategy and its owner", "SA-2": "two elements, each against a structure",
         "SA-3": "with or against, and on what basis", "SA-4": "two influencers, each with a lever",
         "SA-5": "a verdict and a recommendation"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Element(_Strict):
    """One element of the current strategy, judged against the structure."""

    element: str = Field(min_length=1, description="a part of the strategy, in a sentence")
    structure: str = Field("", description="the loop, link, archetype or model part it is judged against")
    works: Literal["with", "against", "mixed", "unknown"] = Field(
        "unknown", description="one of with, against, mixed, unknown")
    why: str = Field("", description="how it strengthens or weakens that structure")
    basis: str = Field("", description="a fact id or source id of case.yaml, a model run, or 'inference'")


class Influencer(_Strict):
    """Someone able to influence change, and how."""

    who: str = Field(min_length=1, description="a person's role or a group, e.g. a name of stakeholders.csv")
    lever: str = Field("", description="what they can change, e.g. 'budget allocation'")
    basis: str = Field("", description="a fact id or source id of case.yaml, or 'inference'")


class StrategyAssessment(_Strict):
    """The contents of ``strategy_assessment.yaml``."""

    strategy: str = Field("", description="the current strategy, in a sentence")
    owner: str = Field("", description="who owns the current strategy")
    elements: list[Element] = Field(default_factory=list)
    influencers: list[Influencer] = Field(default_factory=list)
    verdict: str = Field("", description="overall: does the strategy work with or against the structure?")
    recommendations: list[str] = Field(default_factory=list)
    basis: list[Claim] = Field(default_factory=list)


def read_strategy(path: str | Path) -> StrategyAssessment:
    """Read and validate ``strategy_assessment.yaml`` (problems name the file, line and fix)."""
    return read_yaml_model(path, StrategyAssessment)


def strategy_text(assessment: StrategyAssessment) -> str:
    """Return ``strategy_assessment.yaml`` text (write it with ``case.save_text``).

    >>> print(strategy_text(StrategyAssessment(owner="Council")).splitlines()[2])
    owner: Council
    """
    data = assessment.model_dump(mode="json", exclude_none=True)
    header = "# strategy_assessment.yaml: the current strategy against the structure (duty 7). Check: stp check-case\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def parse_strategy(text: str) -> StrategyAssessment:
    """Read an assessment from YAML text (as typed in a form); raise StpError naming the field and the fix."""
    data = parse_yaml(text, "The strategy assessment")[0] or {}  # no aliases, bounded depth, with the line
    if not isinstance(data, dict):
        raise StpError("The strategy assessment should hold 'key: value' fields.", fix="Start from the template.")
    try:
        return StrategyAssessment.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise StpError(f"Field {where!r}: {first['msg']}.", fix="Compare it with the template's fields.") from err


def check_strategy(assessment: StrategyAssessment) -> list[Finding]:
    """Return every quality finding (``SA-1`` to ``SA-5``), in rule order; empty when the assessment passes."""
    found: list[Finding] = []
    if not assessment.strategy or not assessment.owner:
        found.append(Finding("SA-1", "strategy" if not assessment.strategy else "owner",
                             "the current strategy or its owner is not stated.",
                             "Say what is being done now, in a sentence, and who decides it."))
    unplaced = [i for i, e in enumerate(assessment.elements) if not e.structure]
    if len(assessment.elements) < 2 or unplaced:
        where = f"elements[{unplaced[0]}]" if unplaced else "elements"
        found.append(Finding("SA-2", where, "fewer than two elements, or an element with no structure.",
                             "Judge each part of the strategy against a loop, link, archetype or model part."))
    unjudged = [i for i, e in enumerate(assessment.elements) if e.works == "unknown" or not e.why or not e.basis]
    if unjudged:
        found.append(Finding("SA-3", f"elements[{unjudged[0]}]", "it does not say with or against, why, or on "
                             "what basis.", "Say whether it strengthens or weakens the loop, how, and cite a fact, "
                             "a model run or 'inference'."))
    levers = [i for i in assessment.influencers if i.lever]
    if len(levers) < 2:
        found.append(Finding("SA-4", "influencers", "fewer than two people or groups with a lever are named.",
                             "Name who can change the structure and what they control."))
    if not assessment.verdict or not assessment.recommendations:
        found.append(Finding("SA-5", "verdict" if not assessment.verdict else "recommendations",
                             "no verdict or no recommendation.", "Say whether the strategy works with or against "
                             "the structure overall, and what should change."))
    return found


def example_draft_strategy() -> StrategyAssessment:
    """A flawed first draft for the Wiltshire thread, for the exercise (workbook example)."""
    return StrategyAssessment(
        strategy="Each agency manages its own demand within its own budget", owner="Wiltshire Council",
        elements=[Element(element="Protect front-line crisis services first when budgets are tight",
                          structure="reactive_spend -> prevention_budget", works="against",
                          why="Reactive spend squeezes the prevention budget, so crises recur", basis="budget-share"),
                  Element(element="Each agency keeps its own records", structure="", works="unknown")],
        influencers=[Influencer(who="Council leadership", lever="budget allocation", basis="budget-share"),
                     Influencer(who="Police", lever="")],
        verdict="The strategy works against the prevention loop.", recommendations=[])


def strategy_markdown(assessment: StrategyAssessment, facts: dict[str, str] | None = None) -> Markdown:
    """An assessment as Markdown: strategy, elements with their structure and basis, influencers, verdict.

    Every piece of case text is escaped once (:func:`stp_helpers.display.md`).
    """
    facts = facts or {}
    def cite(basis: str) -> str:
        return f"fact {basis}: {facts[basis]}" if basis in facts else (basis or "?")
    blank = Markdown("")
    parts = [md("- **Current strategy:** {strategy} (owner: {owner})", strategy=assessment.strategy or "(none yet)",
                owner=assessment.owner or "?"), blank, Markdown("**Against the structure:**")]
    parts += [md("- {element}: works **{works}** on {structure}. {why} *(rests on {basis})*", element=e.element,
                 works=e.works, structure=e.structure or "?", why=e.why, basis=cite(e.basis))
              for e in assessment.elements] or [Markdown("- (no element yet)")]
    parts += [blank, Markdown("**Who can influence change:**")]
    parts += [md("- {who}: {lever} *(rests on {basis})*", who=i.who, lever=i.lever or "?", basis=cite(i.basis))
              for i in assessment.influencers] or [Markdown("- (nobody yet)")]
    parts += [blank, md("**Verdict:** {verdict}", verdict=assessment.verdict or "(none yet)"), blank]
    parts += [md("- {r}", r=r) for r in assessment.recommendations]
    return join(parts)


def case_strategy(case: Case) -> Markdown:
    """A case's strategy assessment with each fact quoted, or a note that it has none yet."""
    if not case.has("strategy_assessment.yaml"):
        return not_yet(case, "strategy_assessment.yaml", ": the activity below starts one")
    facts = {f.id: f.statement for f in case.meta.facts}
    return titled(case, strategy_markdown(case.read("strategy_assessment.yaml"), facts))


def findings_markdown(found: list[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(found, "Every rule (SA-1 to SA-5) passes.")
