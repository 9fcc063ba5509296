"""Soft systems work as a notebook shows it: the seven stages, CATWOE and 5E tables, the comparison and a report.

The records are :mod:`stp_helpers.ssm.records`; root definitions
:mod:`stp_helpers.ssm.definitions`.  Case text reaches Markdown through
:func:`stp_helpers.display.md`, escaped once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from stp_helpers.display import Markdown, join, md
from stp_helpers.ssm.definitions import make_catwoe, pqr_of, root_definition
from stp_helpers.ssm.records import FIVE_ES, STAGES, ActivityModel, Catwoe, SsmRecord

__all__ = ["stages_table", "catwoe_table", "five_es_table", "comparison_table", "changes_to_act_on",
           "report_markdown"]


def stages_table() -> pd.DataFrame:
    """Return the seven stages of SSM as a table (methods.md §1.1)."""
    return pd.DataFrame(STAGES, columns=["stage", "name", "sphere", "artefact"]).set_index("stage")


def catwoe_table(worldviews: Iterable[Catwoe]) -> pd.DataFrame:
    """Return CATWOE side by side: one column per worldview, one row per element.

    Examples
    --------
    >>> catwoe_table([make_catwoe("a", customers="carers")]).loc["C customers", "a"]
    'carers'
    """
    columns = {}
    for cw in worldviews:
        p, q, r = pqr_of(cw)
        columns[cw.id] = {
            "stakeholder": cw.stakeholder, "C customers": cw.customers, "A actors": cw.actors,
            "T transformation": str(cw.transformation), "W worldview": cw.worldview,
            "O owners": cw.owners, "E environment": cw.environment, "P what": p, "Q how": q, "R why": r,
        }
    return pd.DataFrame(columns)


def five_es_table(worldviews: Iterable[Catwoe]) -> pd.DataFrame:
    """Return the 5E measures: one row per E, one column per worldview ('' when unused)."""
    return pd.DataFrame({cw.id: {e: getattr(cw.measures, e) for e in FIVE_ES} for cw in worldviews})


def comparison_table(model: ActivityModel) -> pd.DataFrame:
    """Return the stage 5 comparison: one row per activity, uncovered ones marked 'not compared'."""
    rows = {row.activity: row for row in model.comparison}
    out = []
    for act in model.activities:
        row = rows.get(act.id)
        out.append({
            "activity": act.id, "label": act.label, "kind": act.kind,
            "exists": row.exists if row else "not compared",
            "how done": row.how_done if row else "", "how judged": row.how_judged if row else "",
            "change": row.change if row else "",
            "desirable": bool(row and row.desirable), "feasible": bool(row and row.feasible),
        })
    return pd.DataFrame(out).set_index("activity")


def changes_to_act_on(model: ActivityModel) -> list[str]:
    """Return the changes flagged both desirable and feasible (CMP-2): those that reach stage 7."""
    return [f"{row.activity}: {row.change}" for row in model.comparison
            if row.change.strip() and row.desirable and row.feasible]


def report_markdown(record: SsmRecord, *, title: str = "Soft Systems Methodology",
                    cite: str | None = None) -> Markdown:
    """Return the report section: root definitions, activity models and comparisons.

    The text is Markdown (it also renders as HTML in a notebook); paste it
    into a report or convert it with any Markdown tool.  Case text is
    escaped (:func:`stp_helpers.display.md`).

    Examples
    --------
    >>> rec = SsmRecord(situation="respite care", worldviews=[make_catwoe("carer", owners="the council")])
    >>> print(report_markdown(rec).text.splitlines()[0])
    ## Soft Systems Methodology
    """
    out = [md("## {title}\n\n**Situation.** {situation}\n", title=title, situation=record.situation)]
    if cite:
        out += [md("Source: {cite}.\n", cite=cite)]
    out += [Markdown("### Root definitions\n")]
    for cw in record.worldviews:
        who = " ({who})" if cw.stakeholder else ""
        out += [md("- **{id}**" + who + ": {definition}", id=cw.id, who=cw.stakeholder or "",
                   definition=root_definition(cw))]
    for model in record.models:
        out += [md("\n### Activity model {id} (from {root})\n", id=model.id, root=model.root)]
        for act in model.activities:
            deps = " (after {deps})" if act.after else ""
            tag = "" if act.kind == "operational" else " [{kind}]"
            out.append(md(f"{model.activities.index(act) + 1}. {{label}}{tag}{deps}", label=act.label,
                          kind=act.kind, deps=", ".join(act.after)))
        if model.comparison or model.activities:
            table = comparison_table(model)
            out += [Markdown("\n| Activity | Exists? | How done | How judged | Candidate change |\n"
                             "| --- | --- | --- | --- | --- |")]
            for aid, row in table.iterrows():
                out.append(md("| {label} | {exists} | {done} | {judged} | {change} |", label=row["label"],
                              exists=row["exists"], done=row["how done"], judged=row["how judged"],
                              change=row["change"]))
        changes = changes_to_act_on(model)
        out += [md("\n**Changes both desirable and feasible:** {changes}",
                   changes="; ".join(changes) if changes else "none yet.")]
    return join(out)
