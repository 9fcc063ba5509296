"""Formative checks of SSM records: they warn and explain, never block saving.

Each check returns :class:`Finding` records named by the rule ids of
methods.md §1 (``RD-1`` … ``CMP-2``); rules marked *workbook* are this
workbook's heuristics rather than Checkland's words.  A finding that fails
says what to look at and why, as a question a tutor would ask, never the
answer.

==========  ===============================================================
Rule        What it looks for
==========  ===============================================================
RD-1        all six CATWOE elements present
CW-1        each element specific, not "everyone" or "TBC" (workbook)
RD-2        one transformation: no "and" joining several inputs (workbook)
RD-3/T-1    T turns an input into the same entity in a changed state
CW-2        owners and actors distinct from customers (workbook)
RD-4        P, Q and R present and distinct; R not a rewording of P
RD-5        each CATWOE element's key word appears in the root definition
5E-1        the core Es have measures; effectiveness measures R, not P
RP-1..5     rich picture record: roles, two parties, practitioner, no solution, date
CM-1..6     activity model: 5-9 activities, verbs, monitoring, traces, no orphans, no cycles
CMP-1..3    comparison: comments, changes desirable and feasible, every activity covered
==========  ===============================================================

Examples
--------
>>> check_transformation("building", "hospital")
TVerdict(valid=False, reason="T-error: 'building' is a resource the system uses, not what it transforms. Whose need or state changes when the hospital exists?", input_head='building', output_head='hospital')
>>> check_transformation("need for respite care", "need for respite care met").valid
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import pandas as pd

from stp_helpers.ssm.records import FIVE_ES, ActivityModel, Catwoe, RichPicture, SsmRecord, pqr_of, root_definition

__all__ = [
    "Finding", "TVerdict", "RESOURCE_WORDS", "MIN_ACTIVITIES", "MAX_ACTIVITIES",
    "check_transformation", "check_catwoe", "check_rich_picture", "check_model",
    "check_comparison", "check_record", "findings_table", "findings_html", "findings_text",
    "activity_graph", "content_words",
]

#: Head nouns that mark a resource as T's input (methods.md §1.5, ``T-1``).
RESOURCE_WORDS = frozenset({"money", "funding", "fund", "budget", "staff", "building", "equipment", "it",
                            "system", "resource", "cash", "grant"})
#: Fewest and most operational activities in a conceptual model (``CM-1``: 7 ± 2).
MIN_ACTIVITIES, MAX_ACTIVITIES = 5, 9

_ARTICLES = {"a", "an", "the", "some", "any", "our", "their", "its", "his", "her"}
_STATE_WORDS = {"met", "unmet", "reduced", "improved", "increased", "decreased", "resolved", "unresolved",
                "addressed", "unaddressed", "satisfied", "unsatisfied", "fulfilled", "unfulfilled",
                "changed", "better", "worse", "lower", "higher", "new", "current", "existing", "identified",
                "unidentified", "supported", "unsupported", "securely", "safely", "reduce", "improve"}
_BREAKS = {"for", "of", "at", "in", "with", "on", "to", "from", "by", "who", "that", "which", "whose",
           "needing", "living", "without", "under", "into", "across", "within", "not", "facing"}
_STOP = _ARTICLES | _BREAKS | {"and", "or", "as", "be", "is", "are", "so", "their", "they", "them", "this",
                               "these", "those", "it", "more", "less", "than", "not", "no", "do", "does",
                               "can", "could", "would", "will", "what", "how", "why", "help", "helps",
                               "achieve", "order", "system", "through", "while", "when", "where", "all"}
_VAGUE = {"everyone", "everybody", "all", "people", "stakeholders", "public", "society", "various",
          "others", "other", "etc", "n/a", "na", "tbc", "tbd", "?", "-", "x", "them", "they", "us", "we",
          "anyone", "somebody", "someone", "things", "stuff", "none", "nobody", "various people"}
_ED_NOUNS = {"need", "seed", "feed", "bed", "shed", "speed", "greed", "breed", "deed", "weed"}
_PARTICIPLES = {"done", "given", "taken", "seen", "known", "left", "kept", "held", "shown", "told", "heard",
                "made", "paid", "sent", "brought", "caught", "let", "stuck", "lost", "found", "worked"}
_NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism")
_ING_VERBS = {"bring", "sing", "ring", "string", "swing", "fling", "wring", "sting", "cling"}
_SOLUTION = re.compile(r"\b(solution|the answer is|we should|we will|implement|introduce an?|set up an?)\b", re.I)
_SYSTEM_BOUNDARY = re.compile(r"\bthe system (is|to be|boundary)\b", re.I)


@dataclass(frozen=True)
class Finding:
    """One check's result.

    Attributes
    ----------
    rule : str
        The rule id of methods.md §1, e.g. ``"RD-1"``.
    passed : bool
        True when nothing is to look at.
    message : str
        What is right, or what to look at and why.
    scope : str
        Which record: ``"rich picture"``, a worldview id or ``"model <id>"``.
    """

    rule: str
    passed: bool
    message: str
    scope: str = ""

    def __str__(self) -> str:
        mark = "ok" if self.passed else "look again"
        where = f"{self.scope} · " if self.scope else ""
        return f"{where}{self.rule} ({mark}): {self.message}"


class TVerdict(NamedTuple):
    """The verdict of the T-rule on one transformation."""

    valid: bool
    reason: str
    input_head: str
    output_head: str


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", str(text).lower())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Return the content words of a text, singular, without stop words.

    >>> sorted(content_words("Help the residents keep their tenancies"))
    ['keep', 'resident', 'tenancy']
    """
    return {_singular(w) for w in _tokens(text) if w not in _STOP and len(w) > 1}


def _head(text: str) -> str:
    words = [w for w in _tokens(text) if w not in _ARTICLES]
    chunk: list[str] = []
    for word in words:
        if word in _BREAKS and chunk:
            break
        if word not in _STATE_WORDS and word not in _BREAKS:
            chunk.append(word)
    while len(chunk) > 1 and ((chunk[-1].endswith("ed") and chunk[-1] not in _ED_NOUNS)
                              or chunk[-1] in _PARTICIPLES):
        chunk.pop()  # a participle after the noun: "services commissioned" → services
    return chunk[-1] if chunk else ""


def _joined(text: str) -> bool:
    """True when the head phrase (before any 'for', 'with' …) joins several things."""
    head: list[str] = []
    for word in re.findall(r"[a-z0-9]+|,", str(text).lower()):
        if word in _BREAKS and head:
            break
        head.append(word)
    return "and" in head or "," in head


def check_transformation(input: str, output: str) -> TVerdict:
    """Apply the T-rule (``T-1``) to a transformation ``input → output``.

    Both sides are normalised (lower case; articles and state words such as
    *met*, *reduced*, *improved*, *unmet* dropped).  T is valid when the
    input's head noun occurs in the output (the same entity, changed); it is
    a T-error when the input's head noun is a resource (money, funding,
    budget, staff, building, equipment, IT, system) or when the output is a
    different thing.

    Parameters
    ----------
    input, output : str
        The two sides of T.

    Returns
    -------
    TVerdict
        ``valid``, the ``reason`` in a sentence, and the head nouns compared.

    Examples
    --------
    >>> check_transformation("staff", "reports").reason
    "T-error: 'staff' is a resource the system uses, not what it transforms. Whose need or state changes when the reports exist?"
    >>> check_transformation("referrals", "assessments").reason
    "T-error: 'assessments' is a different thing from 'referrals'. T should turn referrals into referrals in a changed state (e.g. 'referrals met'); what happens to the referrals?"
    """
    inp, out = " ".join(str(input).split()), " ".join(str(output).split())
    if not inp or not out:
        missing = "input" if not inp else "output"
        return TVerdict(False, f"T needs an {missing}: write what goes in and what comes out, "
                        "the same thing in a changed state.", _head(inp), _head(out))
    head_in, head_out = _head(inp), _head(out)
    if _singular(head_in) in RESOURCE_WORDS or head_in in RESOURCE_WORDS:
        bare = re.sub(r"^(a|an|the)\s+", "", out, flags=re.I)
        return TVerdict(False, f"T-error: {head_in!r} is a resource the system uses, not what it "
                        f"transforms. Whose need or state changes when the {bare} exist"
                        f"{'s' if not bare.endswith('s') else ''}?", head_in, head_out)
    if inp.lower() == out.lower():
        return TVerdict(False, "T-error: the input and the output are the same words. Say how the "
                        f"{head_in} has changed (e.g. '{inp} met').", head_in, head_out)
    out_words = {_singular(w) for w in _tokens(out)}
    if head_in and _singular(head_in) in out_words:
        return TVerdict(True, f"Valid: {head_in!r} goes in and comes out changed (same entity, "
                        "changed state).", head_in, head_out)
    return TVerdict(False, f"T-error: {head_out!r} is a different thing from {head_in!r}. T should "
                    f"turn {head_in} into {head_in} in a changed state (e.g. '{head_in} met'); what "
                    f"happens to the {head_in}?", head_in, head_out)


def _parties(text: str) -> set[str]:
    parts = re.split(r",|;|\band\b|/|&", str(text).lower())
    return {" ".join(w for w in _tokens(p) if w not in _ARTICLES) for p in parts} - {""}


def _specific(text: str) -> bool:
    norm = " ".join(w for w in _tokens(text) if w not in _ARTICLES)
    return len(norm) >= 3 and norm not in _VAGUE and str(text).strip().lower() not in _VAGUE


def check_catwoe(catwoe: Catwoe) -> list[Finding]:
    """Check one CATWOE and its root definition (RD-1 … RD-5, CW-1, CW-2, 5E-1).

    Parameters
    ----------
    catwoe : Catwoe

    Returns
    -------
    list of Finding
        One per rule, in the order of the module table.

    Examples
    --------
    >>> from stp_helpers.ssm.records import make_catwoe
    >>> cw = make_catwoe("x", customers="carers", actors="respite workers",
    ...                  transformation=("need for respite care", "need for respite care met"),
    ...                  worldview="a break helps carers keep caring", environment="the respite budget")
    >>> print(check_catwoe(cw)[0])
    x · RD-1 (look again): O (owners) is empty. Who could stop this transformation?
    """
    scope = catwoe.id
    out: list[Finding] = []
    t = catwoe.transformation
    values = {"C": catwoe.customers, "A": catwoe.actors, "T": t.input if not t.output.strip() else
              (t.output if not t.input.strip() else str(t)), "W": catwoe.worldview,
              "O": catwoe.owners, "E": catwoe.environment}
    questions = {"C": "Who benefits from, or is a victim of, this transformation?",
                 "A": "Who would carry out this transformation?",
                 "T": "What goes in, and what comes out changed?",
                 "W": "What belief makes this transformation worth doing?",
                 "O": "Who could stop this transformation?",
                 "E": "What does the system take as given?"}
    names = {"C": "customers", "A": "actors", "T": "transformation", "W": "worldview",
             "O": "owners", "E": "environment"}
    empty = [k for k in "CATWOE" if not (t.input.strip() and t.output.strip() if k == "T"
                                          else values[k].strip())]
    if empty:
        k = empty[0]
        more = f" ({len(empty) - 1} more empty: {', '.join(empty[1:])})" if len(empty) > 1 else ""
        out.append(Finding("RD-1", False, f"{k} ({names[k]}) is empty{more}. {questions[k]}", scope))
    else:
        out.append(Finding("RD-1", True, "All six CATWOE elements are there.", scope))
    vague = [k for k in "CAWOE" if values[k].strip() and not _specific(values[k])]
    if vague:
        k = vague[0]
        out.append(Finding("CW-1", False, f"{k} ({names[k]}) reads {values[k].strip()!r}, which could "
                           f"mean anyone. {questions[k]} Name the group or role.", scope))
    else:
        out.append(Finding("CW-1", True, "Each element names a specific group, role or thing.", scope))
    several = [side for side, text in (("input", t.input), ("output", t.output)) if _joined(text)]
    if several:
        out.append(Finding("RD-2", False, f"T's {several[0]} joins several things with 'and' or a comma: "
                           "that is usually several transformations. Which one is this system for? "
                           "Give the others their own root definitions.", scope))
    else:
        out.append(Finding("RD-2", True, "T is one transformation.", scope))
    verdict = check_transformation(t.input, t.output)
    out.append(Finding("RD-3", verdict.valid, verdict.reason, scope))
    customers = _parties(catwoe.customers)
    for role, text in (("owners", catwoe.owners), ("actors", catwoe.actors)):
        shared = sorted(customers & _parties(text))
        if shared:
            out.append(Finding("CW-2", False, f"{shared[0]!r} is among both the customers and the {role}. "
                               f"That can be right (self-help, co-production), but say so: are the {role} "
                               "really the people T is done for?", scope))
            break
    else:
        out.append(Finding("CW-2", True, "Owners and actors are distinct from the customers.", scope))
    out.append(_check_pqr(catwoe))
    out.append(_check_key_phrases(catwoe))
    out.append(_check_five_es(catwoe))
    return out


def _check_pqr(catwoe: Catwoe) -> Finding:
    p, q, r = pqr_of(catwoe)
    missing = [name for name, part in (("P (what)", p), ("Q (how)", q), ("R (why)", r)) if not part]
    if missing:
        return Finding("RD-4", False, f"{missing[0]} is missing: fill in the CATWOE it comes from, or "
                       "write it yourself.", catwoe.id)
    if len({p.lower(), q.lower(), r.lower()}) < 3:
        return Finding("RD-4", False, "Two of P, Q and R say the same thing: what is done, how, and "
                       "why should differ.", catwoe.id)
    r_words = content_words(r)
    if r_words:
        share = len(r_words & content_words(p)) / len(r_words)
        if share > 0.7:
            return Finding("RD-4", False, f"{share:.0%} of R's words are also in P: R restates what the "
                           "system does. What longer-term aim does P serve?", catwoe.id)
    return Finding("RD-4", True, "P, Q and R are present and say different things.", catwoe.id)


def _check_key_phrases(catwoe: Catwoe) -> Finding:
    sentence = {_singular(w) for w in _tokens(root_definition(catwoe))}
    names = {"C": catwoe.customers, "A": catwoe.actors, "W": catwoe.worldview, "O": catwoe.owners,
             "E": catwoe.environment, "T": catwoe.transformation.input}
    for letter, text in names.items():
        words = content_words(text)
        if words and not words & sentence:
            return Finding("RD-5", False, f"The root definition does not mention {letter} "
                           f"({text.strip()!r}). Could you work it into P, Q or R?", catwoe.id)
    return Finding("RD-5", True, "Every CATWOE element shows in the root definition.", catwoe.id)


def _check_five_es(catwoe: Catwoe) -> Finding:
    m = catwoe.measures
    missing = [e for e in FIVE_ES[:3] if not getattr(m, e).strip()]
    if missing:
        return Finding("5E-1", False, f"{missing[0].capitalize()} has no measure. "
                       + {"efficacy": "How would you know the output (P) is produced?",
                          "efficiency": "How would you know T uses the least resource?",
                          "effectiveness": "How would you know the longer-term aim (R) is helped?"}[missing[0]],
                       catwoe.id)
    p, _, r = pqr_of(catwoe)
    words = content_words(m.effectiveness)
    to_p, to_r = len(words & content_words(p)), len(words & content_words(r))
    if to_p > to_r:
        return Finding("5E-1", False, "The effectiveness measure looks at P (the output) more than R. "
                       "Effectiveness asks whether T helps the longer-term aim: what would show that?",
                       catwoe.id)
    used = [e for e in FIVE_ES if getattr(m, e).strip()]
    return Finding("5E-1", True, f"{len(used)} of the 5Es have a measure, and effectiveness looks at R.",
                   catwoe.id)


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
    solution = next((t for t in texts if _SOLUTION.search(t) or _SYSTEM_BOUNDARY.search(t)), None)
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
    words = _tokens(label)
    if not words:
        return False, ""
    first = words[0]
    if first in _ARTICLES or first in {"this", "each", "every", "all"}:
        return False, first
    if first.endswith(_NOUN_ENDINGS):
        return False, first
    if first.endswith("ing") and first not in _ING_VERBS:
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

