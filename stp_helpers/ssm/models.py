"""Quality rules for a rich picture, an activity model (purposeful activity model) and its comparison with the real world, and for a whole SSM record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import html

import networkx as nx
import pandas as pd

from stp_helpers.ssm.quality import (
    ARTICLES,
    ING_VERBS,
    MAX_ACTIVITIES,
    MIN_ACTIVITIES,
    NOUN_ENDINGS,
    SOLUTION,
    SYSTEM_BOUNDARY,
    Finding,
    check_catwoe,
    content_words,
    tokens,
)
from stp_helpers.ssm.records import ActivityModel, Catwoe, RichPicture, SsmRecord

__all__ = [
    "activity_graph",
    "check_comparison",
    "check_model",
    "check_record",
    "check_rich_picture",
    "findings_html",
    "findings_table",
    "findings_text",
]


def check_rich_picture(picture: RichPicture) -> list[Finding]:
    """Check a rich picture record (RP-1 … RP-5).

    Examples
    --------
    >>> [f.rule for f in check_rich_picture(RichPicture()) if not f.passed]
    ['RP-3', 'RP-5']
    """
    scope = "rich picture"
    out = []
    silent = [c.quote for c in picture.concerns if not c.role.strip()]
    out.append(Finding("RP-1", not silent, f"The concern {silent[0]!r} names no role: who voiced it?"
                       if silent else f"Every concern ({len(picture.concerns)}) names who voiced it.", scope))
    bad = [c.about for c in picture.conflicts if len([p for p in c.parties if p.strip()]) != 2]
    out.append(Finding("RP-2", not bad, f"The conflict about {bad[0]!r} should name two parties: who is "
                       "at odds with whom?" if bad else
                       f"Every conflict ({len(picture.conflicts)}) names two parties.", scope))
    people = {p.strip().lower() for p in picture.people}
    me = picture.practitioner.strip()
    if not me:
        out.append(Finding("RP-3", False, "The practitioner is not in the picture. Where do you stand "
                           "in this situation, and who sees you there?", scope))
    elif me.lower() not in people:
        out.append(Finding("RP-3", False, f"Add {me!r} to the people: the practitioner is part of the "
                           "situation too.", scope))
    else:
        out.append(Finding("RP-3", True, "The practitioner appears in the picture.", scope))
    texts = picture.issues + picture.structures + picture.processes + picture.climate
    solution = next((t for t in texts if SOLUTION.search(t) or SYSTEM_BOUNDARY.search(t)), None)
    out.append(Finding("RP-4", solution is None, f"{solution!r} reads like a solution or a chosen system. "
                       "The picture expresses the situation; can you write it as an issue or a question?"
                       if solution else "The record expresses the situation without choosing a solution.",
                       scope))
    missing = [name for name, value in (("date", picture.date), ("participants", picture.participants),
                                        ("version", picture.version)) if not value]
    out.append(Finding("RP-5", not missing, f"Record the {missing[0]}: pictures change as people talk."
                       if missing else "Date, participants and version are recorded.", scope))
    return out


def activity_graph(model: ActivityModel) -> nx.DiGraph:
    """Return the model as a DiGraph: an edge ``u → v`` when ``v`` is after ``u``.

    Unknown ids in ``after`` are ignored here (the reader reports them).
    """
    graph = nx.DiGraph()
    for act in model.activities:
        graph.add_node(act.id, label=act.label, kind=act.kind)
    for act in model.activities:
        for dep in act.after:
            if dep in graph and dep != act.id:
                graph.add_edge(dep, act.id)
    return graph


def _starts_with_verb(label: str) -> tuple[bool, str]:
    words = tokens(label)
    if not words:
        return False, ""
    first = words[0]
    if first in ARTICLES or first in {"this", "each", "every", "all"}:
        return False, first
    if first.endswith(NOUN_ENDINGS):
        return False, first
    if first.endswith("ing") and first not in ING_VERBS:
        return False, first
    return True, first


def check_model(model: ActivityModel, catwoe: Catwoe | None = None) -> list[Finding]:
    """Check a conceptual activity model (CM-1 … CM-6).

    Parameters
    ----------
    model : ActivityModel
    catwoe : Catwoe, optional
        The root definition it models; without it ``CM-4`` is skipped.

    Examples
    --------
    >>> from stp_helpers.ssm.records import Activity
    >>> acts = [Activity(id=f"a{i}", label=f"Do step {i}", after=[f"a{i-1}"] if i else []) for i in range(4)]
    >>> print(check_model(ActivityModel(id="m", root="x", activities=acts))[0])
    model m · CM-1 (look again): The model has 4 operational activities; Checkland suggests 7 ± 2 (5 to 9). What does the system have to do that is not there yet?
    """
    scope = f"model {model.id}"
    ops = model.operational()
    out = []
    n = len(ops)
    if n < MIN_ACTIVITIES:
        out.append(Finding("CM-1", False, f"The model has {n} operational activit{'y' if n == 1 else 'ies'}; "
                           f"Checkland suggests 7 ± 2 ({MIN_ACTIVITIES} to {MAX_ACTIVITIES}). What does the "
                           "system have to do that is not there yet?", scope))
    elif n > MAX_ACTIVITIES:
        out.append(Finding("CM-1", False, f"The model has {n} operational activities, more than "
                           f"{MAX_ACTIVITIES}: some belong one level down. Which could you group under "
                           "one broader activity?", scope))
    else:
        out.append(Finding("CM-1", True, f"{n} operational activities: within 7 ± 2.", scope))
    for act in model.activities:
        ok, first = _starts_with_verb(act.label)
        if not ok:
            out.append(Finding("CM-2", False, f"{act.id} ({act.label!r}) starts with {first!r}, not a verb. "
                               "Activities are things to do: start with an imperative such as 'assess' "
                               "or 'agree'.", scope))
            break
    else:
        out.append(Finding("CM-2", True, "Every activity starts with a verb.", scope))
    kinds = {a.kind for a in model.activities}
    lacking = [k for k in ("monitor", "control") if k not in kinds]
    out.append(Finding("CM-3", not lacking, f"There is no {lacking[0]} activity. How will the system know "
                       "it is working (define measures for the Es, monitor) and act when it is not (take "
                       "control action)?" if lacking else
                       "The model has its monitor and control activities.", scope))
    if catwoe is not None:
        labels = set().union(*(content_words(a.label) for a in model.activities)) if model.activities else set()
        missing = []
        for letter, text in (("T", catwoe.transformation.input), ("C", catwoe.customers)):
            words = content_words(text)
            if words and not words & labels:
                missing.append((letter, text))
        out.append(Finding("CM-4", not missing, f"No activity mentions {missing[0][0]} ({missing[0][1]!r}). "
                           "Which activity works on it?" if missing else
                           f"The activities trace to the root definition {catwoe.id}.", scope))
    graph = activity_graph(model)
    isolated = [v for v in graph if graph.degree(v) == 0] if len(graph) > 1 else []
    out.append(Finding("CM-5", not isolated, f"{isolated[0]} ({graph.nodes[isolated[0]]['label']!r}) is "
                       "connected to no other activity. Which activity does it depend on, or feed?"
                       if isolated else "Every activity is connected.", scope))
    operational = graph.subgraph(a.id for a in ops)
    try:
        cycle = nx.find_cycle(operational)
    except nx.NetworkXNoCycle:
        cycle = []
    path = " → ".join([u for u, _ in cycle] + [cycle[0][0]]) if cycle else ""
    out.append(Finding("CM-6", not cycle, f"The dependencies go round in a circle ({path}). Logical "
                       "dependency runs one way: which of these has to happen first?" if cycle else
                       "Dependencies run one way (no cycles among the operational activities).", scope))
    return out


def check_comparison(model: ActivityModel) -> list[Finding]:
    """Check a model's comparison table (CMP-1 … CMP-3).

    Examples
    --------
    >>> from stp_helpers.ssm.records import Activity, ComparisonRow
    >>> m = ActivityModel(id="m", root="x", activities=[Activity(id="a1", label="Listen")],
    ...                   comparison=[ComparisonRow(activity="a1", exists="no")])
    >>> print(check_comparison(m)[0])
    model m · CMP-1 (look again): a1 does not exist in the real situation but has no comment. What happens instead, and why?
    """
    scope = f"model {model.id}"
    out = []
    bare = [row for row in model.comparison if row.exists != "yes" and not row.comments.strip()]
    if bare:
        row = bare[0]
        said = "partly exists" if row.exists == "partly" else "does not exist"
        out.append(Finding("CMP-1", False, f"{row.activity} {said} in the real situation but has no comment. "
                           "What happens instead, and why?", scope))
    else:
        out.append(Finding("CMP-1", True, "Every activity missing from the real situation has a comment.", scope))
    changes = [row for row in model.comparison if row.change.strip()]
    ready = [row for row in changes if row.desirable and row.feasible]
    half = [row for row in changes if row.desirable != row.feasible]
    if half:
        row = half[0]
        lack = "culturally feasible" if row.desirable else "systemically desirable"
        out.append(Finding("CMP-2", True, f"{len(ready)} of {len(changes)} changes are both desirable and "
                           f"feasible and go on to action. {row.activity}'s change is not yet {lack}: what "
                           "would have to shift for it to be?", scope))
    else:
        out.append(Finding("CMP-2", True, f"{len(ready)} of {len(changes)} changes are both desirable and "
                           "feasible and go on to action.", scope))
    covered = [row.activity for row in model.comparison]
    uncovered = [a.id for a in model.activities if a.id not in covered]
    twice = sorted({a for a in covered if covered.count(a) > 1})
    if uncovered:
        out.append(Finding("CMP-3", False, f"{len(uncovered)} activit{'y is' if len(uncovered) == 1 else 'ies are'} "
                           f"not compared yet, starting with {uncovered[0]}. Does it happen in the real "
                           "situation, and how?", scope))
    elif twice:
        out.append(Finding("CMP-3", False, f"{twice[0]} has more than one comparison row: merge them.", scope))
    else:
        out.append(Finding("CMP-3", True, "Every activity is compared with the real situation.", scope))
    return out


def check_record(record: SsmRecord) -> list[Finding]:
    """Run every check on a whole ``ssm.yaml`` record."""
    out = check_rich_picture(record.rich_picture)
    for cw in record.worldviews:
        out += check_catwoe(cw)
    for model in record.models:
        try:
            root = record.worldview(model.root)
        except KeyError:
            root = None
        out += check_model(model, root) + check_comparison(model)
    return out


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """Return findings as a table: scope, rule, ok, message."""
    return pd.DataFrame([{"scope": f.scope, "rule": f.rule, "ok": f.passed, "message": f.message}
                         for f in findings], columns=["scope", "rule", "ok", "message"])


def findings_text(findings: Sequence[Finding]) -> str:
    """Return a one-line summary: how many checks pass, and the first to look at."""
    findings = list(findings)
    ok = sum(f.passed for f in findings)
    first = next((f for f in findings if not f.passed), None)
    text = f"{ok} of {len(findings)} checks pass."
    return text + (f" First to look at: {first.rule}: {first.message}" if first else "")


def findings_html(findings: Sequence[Finding]) -> str:
    """Return findings as an HTML list for an app: look-again items first, with their rule ids."""
    findings = sorted(findings, key=lambda f: f.passed)
    items = []
    for f in findings:
        colour, mark = ("#009E73", "✓") if f.passed else ("#D55E00", "?")
        items.append(f'<li class="ssm-finding {"ok" if f.passed else "warn"}" style="margin:2px 0">'
                     f'<span style="color:{colour};font-weight:bold">{mark} {html.escape(f.rule)}</span> '
                     f"{html.escape(f.message)}</li>")
    return (f'<div class="ssm-feedback" style="font-size:15px"><p>{html.escape(findings_text(findings).split(" First")[0])}</p>'
            f'<ul style="list-style:none;padding-left:0">{"".join(items)}</ul></div>')
