"""Contribution analysis (Mayne): the contribution story of a logic model, its evidence, the rival explanations and the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
import pandas as pd

from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.evaluation.logic_model import LogicModel, StrictRecord, logic_graph
from stp_helpers.io.tables import load_yaml, problems_from
from stp_helpers.paths import relative

__all__ = [
    "Alternative",
    "ContributionRecord",
    "ContributionVerdict",
    "EVIDENCE_LEVELS",
    "LinkEvidence",
    "MAYNE_STEPS",
    "RIVAL_FINDINGS",
    "assess_contribution",
    "read_contribution",
]


MAYNE_STEPS = {
    "question": "1. Set out the cause-effect question",
    "theory": "2. Develop the postulated theory of change, with its risks and other influences",
    "evidence": "3. Gather the existing evidence",
    "story": "4. Assemble the contribution story and find its weak points",
    "more_evidence": "5. Seek more evidence",
    "revised_story": "6. Revise and strengthen the story",
}
#: Evidence ratings, weakest first (CA-1).
EVIDENCE_LEVELS = ("none", "weak", "moderate", "strong")
#: What weighing a rival explanation can find (CA-1): only "weaker" lets the claim be credible.
RIVAL_FINDINGS = ("weaker", "partly", "as strong", "stronger")


class LinkEvidence(StrictRecord):
    """The evidence for one link of the contribution path."""

    source: str = Field(alias="from", min_length=1, description="the id of the element the link starts from")
    target: str = Field(alias="to", min_length=1, description="the id of the element the link goes to")
    evidence: Literal[EVIDENCE_LEVELS] = Field(description="strong, moderate, weak or none")  # type: ignore[valid-type]
    notes: str = Field(min_length=1, description="what the evidence is")
    cites: str | None = Field(None, description="the case source id, e.g. seed-003, or 'synthetic'")


class Alternative(StrictRecord):
    """A rival explanation of the outcome."""

    explanation: str = Field(min_length=1)
    assessed: bool = Field(description="true once the evidence on it has been weighed")
    finding: str | None = Field(None, description="what the evidence says about it")
    compared: Literal[RIVAL_FINDINGS] | None = Field(  # type: ignore[valid-type]
        None, description="how the rival compares with the claimed contribution: weaker, partly, "
        "as strong or stronger (CA-1)")


class ContributionRecord(StrictRecord):
    """The contents of ``contribution.yaml``."""

    claim: str = Field(min_length=1, description="the contribution claim, in a sentence")
    source: str | None = None
    synthetic: bool = False
    steps: dict[Literal[tuple(MAYNE_STEPS)], str] = Field(  # type: ignore[valid-type]
        description="the six steps: question, theory, evidence, story, more_evidence, revised_story")
    path: list[str] = Field(min_length=2, description="element ids of the logic model, from activity to outcome")
    links: list[LinkEvidence] = Field(min_length=1)
    alternatives: list[Alternative] = Field(default_factory=list)


def read_contribution(path: str | Path) -> ContributionRecord:
    """Read and validate ``contribution.yaml`` (all six of Mayne's steps must be there)."""
    path = Path(path)
    data, lines = load_yaml(path)
    name = relative(path)
    if not isinstance(data, dict):
        raise CaseFileError([Problem(name, "The file should hold 'key: value' fields.", line=1,
                                     fix="Start with 'claim:', 'steps:', 'path:' and 'links:'.")])
    try:
        record = ContributionRecord.model_validate(data)
    except ValidationError as err:
        raise CaseFileError(problems_from(err, path, ContributionRecord, lines=lines)) from err
    absent = [k for k in MAYNE_STEPS if not record.steps.get(k, "").strip()]
    if absent:
        raise CaseFileError([Problem(name, f"Step(s) {', '.join(absent)} of the six are missing.",
                                     line=lines.get(("steps",)), column="steps",
                                     fix="Write a few sentences for each of: " + ", ".join(MAYNE_STEPS) + ".")])
    return record


@dataclass(frozen=True)
class ContributionVerdict:
    """What ``CA-1`` concludes about a contribution claim."""

    credible: bool
    reasons: tuple[str, ...]
    links: pd.DataFrame

    def __repr__(self) -> str:
        head = "Credible (CA-1)." if self.credible else "Plausible, needs more evidence (CA-1)."
        return " ".join([head, *self.reasons])


def assess_contribution(record: ContributionRecord, model: LogicModel) -> ContributionVerdict:
    """Apply ``CA-1`` to a contribution record tied to a logic model.

    Each consecutive pair on ``record.path`` must be a link of the logic
    model; its evidence rating comes from ``record.links`` (``none`` when
    absent).  Following Mayne (2008), the claim is credible only when every
    link is at least moderate and every rival explanation has been assessed
    and found weaker than the claimed contribution; a rival found to explain
    the outcome partly (or as well, or better), or not yet compared, keeps
    the claim at "plausible, needs more evidence".

    Returns
    -------
    ContributionVerdict
        ``links`` has columns from, to, assumption, evidence, notes, in_model.
    """
    graph = logic_graph(model)
    known = {(l.source, l.target): l for l in record.links}
    rows, reasons = [], []
    for u, v in zip(record.path, record.path[1:]):
        in_model = graph.has_edge(u, v)
        ev = known.get((u, v))
        level = ev.evidence if ev else "none"
        rows.append({"from": u, "to": v, "assumption": graph.edges[u, v]["assumption"] or "" if in_model else "",
                     "evidence": level, "notes": ev.notes if ev else "", "in_model": in_model})
        if not in_model:
            reasons.append(f"{u} → {v} is not a link of the logic model.")
        elif EVIDENCE_LEVELS.index(level) < EVIDENCE_LEVELS.index("moderate"):
            reasons.append(f"The evidence for {u} → {v} is {level}; it needs to be at least moderate.")
    for alt in record.alternatives:
        if not alt.assessed:
            reasons.append(f"The rival explanation '{alt.explanation}' has not been assessed.")
        elif alt.compared is None:
            reasons.append(f"The rival explanation '{alt.explanation}' has been assessed, but not compared: "
                           "was it found weaker than the claimed contribution, partly, as strong or stronger?")
        elif alt.compared != "weaker":
            reasons.append(f"The rival explanation '{alt.explanation}' was found {alt.compared} "
                           f"{'an explanation' if alt.compared == 'partly' else 'as the claim'}; "
                           "more evidence is needed to separate it from the claimed contribution.")
    credible = not reasons
    if credible:
        reasons.append(f"Every link of {' → '.join(record.path)} has at least moderate evidence and "
                       f"all {len(record.alternatives)} rival explanations were examined and found weaker.")
    return ContributionVerdict(credible, tuple(reasons), pd.DataFrame(rows))
