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

import re
from dataclasses import dataclass
from typing import NamedTuple


from stp_helpers.ssm.definitions import pqr_of, root_definition
from stp_helpers.ssm.records import FIVE_ES, Catwoe

__all__ = [
    "Finding", "TVerdict", "RESOURCE_WORDS", "MIN_ACTIVITIES", "MAX_ACTIVITIES",
    "check_transformation", "check_catwoe", "content_words",
]

#: Head nouns that mark a resource as T's input (methods.md §1.5, ``T-1``).
RESOURCE_WORDS = frozenset({"money", "funding", "fund", "budget", "staff", "building", "equipment", "it",
                            "system", "resource", "cash", "grant"})
#: Fewest and most operational activities in a conceptual model (``CM-1``: 7 ± 2).
MIN_ACTIVITIES, MAX_ACTIVITIES = 5, 9

ARTICLES = {"a", "an", "the", "some", "any", "our", "their", "its", "his", "her"}
_STATE_WORDS = {"met", "unmet", "reduced", "improved", "increased", "decreased", "resolved", "unresolved",
                "addressed", "unaddressed", "satisfied", "unsatisfied", "fulfilled", "unfulfilled",
                "changed", "better", "worse", "lower", "higher", "new", "current", "existing", "identified",
                "unidentified", "supported", "unsupported", "securely", "safely", "reduce", "improve",
                "ready", "back", "out", "able", "unable", "safe", "unsafe", "stable", "well", "ill",
                "placed", "treated", "housed", "homeless", "employed", "unemployed", "waiting"}
_BREAKS = {"for", "of", "at", "in", "with", "on", "to", "from", "by", "who", "that", "which", "whose",
           "needing", "living", "without", "under", "into", "across", "within", "not", "facing",
           "where", "after", "before", "when", "while", "than", "as"}
_STOP = ARTICLES | _BREAKS | {"and", "or", "as", "be", "is", "are", "so", "their", "they", "them", "this",
                               "these", "those", "it", "more", "less", "than", "not", "no", "do", "does",
                               "can", "could", "would", "will", "what", "how", "why", "help", "helps",
                               "achieve", "order", "system", "through", "while", "when", "where", "all"}
_VAGUE = {"everyone", "everybody", "all", "people", "stakeholders", "public", "society", "various",
          "others", "other", "etc", "n/a", "na", "tbc", "tbd", "?", "-", "x", "them", "they", "us", "we",
          "anyone", "somebody", "someone", "things", "stuff", "none", "nobody", "various people"}
_ED_NOUNS = {"need", "seed", "feed", "bed", "shed", "speed", "greed", "breed", "deed", "weed"}
_PARTICIPLES = {"done", "given", "taken", "seen", "known", "left", "kept", "held", "shown", "told", "heard",
                "made", "paid", "sent", "brought", "caught", "let", "stuck", "lost", "found", "worked",
                "built", "sold", "taught", "bought", "spent", "run", "grown", "written", "won", "met", "put",
                "set", "cut", "dealt", "got", "gotten", "kept"}
NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism")
ING_VERBS = {"bring", "sing", "ring", "string", "swing", "fling", "wring", "sting", "cling"}
#: Nouns ending in -ing that head a noun phrase ("public spending", "housing need").
ING_NOUNS = {"spending", "housing", "funding", "training", "learning", "building", "meeting", "offending",
             "wellbeing", "planning", "safeguarding", "thing", "nothing", "something", "king", "morning",
             "evening", "ceiling", "setting", "wording", "understanding", "reading", "being", "parking"}
_LY_NOUNS = {"family", "assembly", "supply", "ally", "rally", "belly", "bully", "jelly", "lily", "tally"}
SOLUTION = re.compile(r"\b(solution|the answer is|we should|we will|implement|introduce an?|set up an?)\b", re.I)
SYSTEM_BOUNDARY = re.compile(r"\bthe system (is|to be|boundary)\b", re.I)


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
    """The verdict of the T-rule on one transformation.

    ``valid`` is True (same entity, changed state), False (a T-error) or
    None when the checker cannot tell and a person must judge.
    """

    valid: bool | None
    reason: str
    input_head: str
    output_head: str


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", str(text).lower())


_IRREGULAR = {"people": "person", "children": "child", "women": "woman", "men": "man", "staff": "staff",
              "families": "family", "needs": "need"}


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
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
    return {_singular(w) for w in tokens(text) if w not in _STOP and len(w) > 1}


def _ends_phrase(word: str) -> bool:
    """True for a word that ends the first noun phrase: a preposition, participle or state word."""
    if word in _BREAKS or word in _STATE_WORDS or word in _PARTICIPLES:
        return True
    if word.endswith("ing") and word not in ING_NOUNS and word not in ING_VERBS:
        return True  # "patients waiting for surgery", "people needing housing"
    if word.endswith("ed") and word not in _ED_NOUNS:
        return True  # "claimants placed in jobs", "houses built" (irregulars in _PARTICIPLES)
    return word.endswith("ly") and word not in _LY_NOUNS  # "residents securely housed"


def _head(text: str) -> str:
    """The entity a side of T names: the last noun of its first noun phrase (methods.md ``T-1``).

    >>> [_head(s) for s in ("claimants ready for work", "lone parents out of work",
    ...  "need for library services met", "houses built for people", "complaints procedure")]
    ['claimants', 'parents', 'need', 'houses', 'procedure']
    """
    chunk: list[str] = []
    for word in tokens(text):
        if word in ARTICLES and not chunk:
            continue
        if _ends_phrase(word):
            if chunk:
                break
            continue  # a leading state word: "unmet need", "reduced rate"
        chunk.append(word)
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

    A T-rule says the same entity comes out in a changed state (Checkland &
    Scholes 1990).  The entity of each side is the last noun of its first
    noun phrase, before the first preposition, participle or state word
    ("claimants ready for work" → claimants).  T is valid when both sides
    name the same entity (singular or plural, with or without qualifiers)
    and the wording of its state changes; a T-error when the entities differ
    (a resource such as money, staff or a building turned into something
    else is the commonest case); and "can't tell" (``valid`` None) when a
    side has no clear noun phrase.

    Parameters
    ----------
    input, output : str
        The two sides of T.

    Returns
    -------
    TVerdict
        ``valid`` (True, False or None), the ``reason`` in a sentence, and
        the entities compared.

    Examples
    --------
    >>> check_transformation("patients waiting for surgery", "patients treated").valid
    True
    >>> check_transformation("people needing housing", "houses built for people").reason
    "T-error: 'houses' is a different thing from 'people'. T should turn people into people in a changed state (e.g. 'people housed'); what happens to the people?"
    >>> check_transformation("staff", "reports").reason
    "T-error: 'staff' is a resource the system uses, not what it transforms. Whose need or state changes when the reports exist?"
    >>> check_transformation("improve", "better").valid is None
    True
    """
    inp, out = " ".join(str(input).split()), " ".join(str(output).split())
    if not inp or not out:
        missing = "input" if not inp else "output"
        return TVerdict(False, f"T needs an {missing}: write what goes in and what comes out, "
                        "the same thing in a changed state.", _head(inp), _head(out))
    head_in, head_out = _head(inp), _head(out)
    if not head_in or not head_out:
        side = "input" if not head_in else "output"
        return TVerdict(None, f"Can't tell: the {side} ({inp if not head_in else out!r}) names no clear "
                        "thing. Write it as a noun phrase (who or what is changed) and judge again.",
                        head_in, head_out)
    same = _singular(head_in) == _singular(head_out)
    if _singular(head_in) in RESOURCE_WORDS or head_in in RESOURCE_WORDS:
        bare = re.sub(r"^(a|an|the)\s+", "", out, flags=re.I)
        return TVerdict(False, f"T-error: {head_in!r} is a resource the system uses, not what it "
                        f"transforms. Whose need or state changes when the {bare} exist"
                        f"{'s' if not bare.endswith('s') else ''}?", head_in, head_out)
    if not same:
        return TVerdict(False, f"T-error: {head_out!r} is a different thing from {head_in!r}. T should "
                        f"turn {head_in} into {head_in} in a changed state (e.g. '{head_in} "
                        f"{'housed' if 'hous' in out.lower() else 'met'}'); what happens to the {head_in}?",
                        head_in, head_out)
    if content_words(inp) == content_words(out) and tokens(inp) == tokens(out):
        return TVerdict(False, "T-error: the input and the output are the same words. Say how the "
                        f"{head_in} has changed (e.g. '{inp} met').", head_in, head_out)
    return TVerdict(True, f"Valid: {head_in!r} goes in and comes out changed (same entity, "
                    "changed state).", head_in, head_out)


def _parties(text: str) -> set[str]:
    parts = re.split(r",|;|\band\b|/|&", str(text).lower())
    return {" ".join(w for w in tokens(p) if w not in ARTICLES) for p in parts} - {""}


def _specific(text: str) -> bool:
    norm = " ".join(w for w in tokens(text) if w not in ARTICLES)
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
    >>> from stp_helpers.ssm.definitions import make_catwoe
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
    out.append(Finding("RD-3", verdict.valid is True, verdict.reason, scope))
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
        advice = {"P (what)": "fill in T, which P turns input into output, or write P yourself.",
                  "Q (how)": "write how the system does P, the means, not only who does it.",
                  "R (why)": "write the longer-term aim that T serves; W says why T makes sense, "
                             "it is not R."}
        return Finding("RD-4", False, f"{missing[0]} is missing: {advice[missing[0]]}", catwoe.id)
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
    sentence = {_singular(w) for w in tokens(root_definition(catwoe))}
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
