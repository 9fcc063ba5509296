"""One answer matcher for every exercise: free text to a declared right answer.

A learner's words are brought to one canonical form before they are compared:
lower case, accents, punctuation, hyphens and underscores, the articles "a",
"an" and "the", plurals and British/US spelling no longer matter.  Each
exercise then declares a :class:`Vocabulary`: for each right answer (a key),
the names and synonyms it accepts.  Words an exercise treats as optional
("stakeholder" after a salience class, "loop" after a polarity) are declared
too, so "Definitive stakeholder" and "definitive" are one answer.

The vocabularies every method shares (loop polarity, the archetypes, the
salience classes, the Mendelow quadrants and their approaches, Ulrich's
sources and roles, SPC target verdicts, yes/no) are declared here; an
exercise can extend one with :meth:`Vocabulary.extend`.

Examples
--------
>>> canonical("The Key-Players!")
'key player'
>>> canonical("Behaviour of organisations")
'behavior of organization'
>>> LOOP_POLARITY.match("Positive loop")
'R'
>>> ARCHETYPE.match("fix that fails")
'fixes_that_fail'
>>> SALIENCE.match("Definitive stakeholder")
'definitive'
>>> MENDELOW.match("manage closely")
'key players'
>>> CSH_SOURCE.match("power")
'control'
>>> print(ARCHETYPE.match("a limit to growth"), ARCHETYPE.match("growth"))
limits_to_growth None
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ARCHETYPE",
    "CSH_ROLE",
    "CSH_SOURCE",
    "LOOP_POLARITY",
    "MENDELOW",
    "SALIENCE",
    "TARGET_VERDICT",
    "YES_NO",
    "Vocabulary",
    "canonical",
    "same_text",
]

ARTICLES = frozenset({"a", "an", "the"})

#: British spellings and their US forms; both sides are brought to the US form.
SPELLINGS: Mapping[str, str] = {
    "behaviour": "behavior", "colour": "color", "favour": "favor", "labour": "labor",
    "neighbour": "neighbor", "neighbourhood": "neighborhood", "honour": "honor", "humour": "humor",
    "centre": "center", "metre": "meter", "theatre": "theater", "programme": "program",
    "analyse": "analyze", "analysed": "analyzed", "catalogue": "catalog", "defence": "defense",
    "licence": "license", "judgement": "judgment", "modelling": "modeling", "modelled": "modeled",
    "labelled": "labeled", "labelling": "labeling", "travelling": "traveling",
    "counselling": "counseling", "fulfil": "fulfill", "enrol": "enroll", "ageing": "aging",
    "paediatric": "pediatric", "practise": "practice", "grey": "gray", "offence": "offense",
}
#: Words ending in -ise/-ised/-ising that are not -ize words in US spelling.
_ISE_KEEP = frozenset({
    "advise", "advertise", "arise", "chastise", "comprise", "compromise", "demise", "despise",
    "devise", "disguise", "enterprise", "excise", "exercise", "expertise", "franchise", "improvise",
    "merchandise", "otherwise", "premise", "promise", "raise", "revise", "rise", "supervise",
    "surmise", "surprise", "televise", "wise", "noise", "poise", "praise", "precise", "concise",
    "cruise", "bruise", "guise", "treatise", "paradise", "anise", "vise",
})
#: Words that end in "s" but are singular.
_SINGULAR_S = frozenset({
    "analysis", "basis", "crisis", "diagnosis", "emphasis", "hypothesis", "thesis", "status",
    "process", "across", "less", "unless", "this", "its", "is", "was", "has", "does", "yes",
    "us", "bus", "plus", "minus", "focus", "census", "consensus", "bias", "news", "series",
    "species", "means", "lens", "gas", "atlas", "canvas", "alias", "apparatus", "campus",
    "virus", "stimulus", "corpus", "chaos", "ethos", "pathos", "kudos", "always", "perhaps",
    "towards", "afterwards", "whereas", "thus", "nexus", "locus", "onus", "gross", "his", "hers",
    "ours", "yours", "theirs", "dangerous", "various", "previous", "serious", "numerous",
    "anonymous", "continuous", "obvious", "autonomous", "homogeneous", "heterogeneous",
    "vicious", "virtuous", "precious", "conscious", "nervous", "generous", "famous", "joyous",
    "ambitious", "cautious", "curious", "enormous", "fabulous", "gorgeous", "hazardous",
    "humorous", "jealous", "marvelous", "miscellaneous", "mysterious", "nutritious",
    "outrageous", "rigorous", "simultaneous", "spontaneous", "tremendous", "unanimous",
})
_IRREGULAR = {"people": "person", "children": "child", "women": "woman", "men": "man",
              "criteria": "criterion", "phenomena": "phenomenon", "data": "data", "media": "media"}
_SYMBOLS = {"+": "+", "-": "-", "−": "-", "–": "-", "?": "?"}


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word in _SINGULAR_S or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return word[:-2]
    return word[:-1]


def _us_spelling(word: str) -> str:
    if word in SPELLINGS:
        return SPELLINGS[word]
    for ending, us in (("isation", "ization"), ("ised", "ized"), ("ising", "izing"), ("ise", "ize")):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem + "ise" not in _ISE_KEEP:
            return stem + us
    return word


def canonical(text: Any) -> str:
    """Return ``text`` in the form answers are compared in.

    Lower case without accents; hyphens, underscores, slashes and dashes become
    spaces; other punctuation goes; "&" reads "and"; the articles "a", "an"
    and "the" go; each word is made singular and given its US spelling.  A
    text that is only a sign (``+``, ``-``, ``−``, ``?``) keeps it.

    Parameters
    ----------
    text : object
        Usually a str; anything else is compared through ``str(text)``.

    Returns
    -------
    str

    Examples
    --------
    >>> canonical("  Multi-agency   HUB. ")
    'multi agency hub'
    >>> canonical("A multi_agency hub")
    'multi agency hub'
    >>> canonical("Organisations' priorities & colours")
    'organization priority and color'
    >>> canonical("−")
    '-'
    """
    raw = str(text).strip()
    if raw in _SYMBOLS:
        return _SYMBOLS[raw]
    folded = unicodedata.normalize("NFKD", raw.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("&", " and ").replace("'s ", " ").replace("’s ", " ")
    folded = re.sub(r"[-_/–—−]", " ", folded)
    folded = re.sub(r"[^\w\s]", " ", folded)
    words = [w for w in folded.split() if w not in ARTICLES]
    return " ".join(_us_spelling(_singular(w)) for w in words)


def same_text(answer: Any, accepted: Iterable[Any]) -> bool:
    """Return True when ``answer`` reads as one of ``accepted`` once both are made canonical.

    >>> same_text("Multi-agency hubs", ["a multi agency hub"])
    True
    >>> same_text("hub", ["a multi agency hub"])
    False
    """
    mine = canonical(answer)
    return bool(mine) and any(mine == canonical(a) for a in accepted)


@dataclass(frozen=True)
class Vocabulary:
    """The right answers an exercise accepts, each with its names and synonyms.

    Parameters
    ----------
    forms : mapping of str to tuple of str
        Answer key → every wording accepted for it (the key itself is not
        accepted unless listed).
    optional : tuple of str
        Words ignored when they appear in an answer (e.g. "stakeholder").

    Examples
    --------
    >>> vocab = Vocabulary({"yes": ("yes", "y", "true"), "no": ("no", "n", "false")})
    >>> vocab.match("Yes!"), vocab.match("No."), vocab.match("maybe")
    ('yes', 'no', None)
    >>> vocab.extend(yes=("of course",)).match("Of course")
    'yes'
    """

    forms: Mapping[str, tuple[str, ...]]
    optional: tuple[str, ...] = ()
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for key, wordings in self.forms.items():
            for wording in wordings:
                form = self._strip(canonical(wording))
                if lookup.get(form, key) != key:
                    raise ValueError(f"{wording!r} is declared for both {lookup[form]!r} and {key!r}.")
                lookup[form] = key
        object.__setattr__(self, "_lookup", lookup)

    def _strip(self, form: str) -> str:
        drop = {canonical(w) for w in self.optional}
        kept = [w for w in form.split() if w not in drop]
        return " ".join(kept) if kept else form

    def match(self, answer: Any) -> str | None:
        """Return the key ``answer`` names, or None when it names none."""
        if answer is None or answer is Ellipsis:
            return None
        return self._lookup.get(self._strip(canonical(answer)))

    def keys(self) -> tuple[str, ...]:
        """The answer keys, in declaration order."""
        return tuple(self.forms)

    def extend(self, **more: tuple[str, ...]) -> Vocabulary:
        """Return a vocabulary with more wordings for some keys (or new keys)."""
        forms = {k: tuple(v) for k, v in self.forms.items()}
        for key, wordings in more.items():
            forms[key] = forms.get(key, ()) + tuple(wordings)
        return Vocabulary(forms, self.optional)


YES_NO = Vocabulary({"yes": ("yes", "y", "true", "yeah", "I think so"),
                     "no": ("no", "n", "false", "not", "I don't think so")})

#: Loop polarity: R or B (Richardson 1995); "positive/negative loop" in older texts.
LOOP_POLARITY = Vocabulary({
    "R": ("R", "reinforcing", "positive", "+", "self reinforcing", "amplifying", "positive feedback",
          "vicious circle", "virtuous circle"),
    "B": ("B", "balancing", "negative", "-", "goal seeking", "self correcting", "stabilising",
          "negative feedback", "counteracting"),
    "?": ("?", "undetermined", "unknown", "ambiguous", "can't tell", "cannot tell"),
}, optional=("loop", "feedback loop"))

#: The nine archetypes (Senge 1990; Kim & Lannon 1997), with their usual short forms.
ARCHETYPE = Vocabulary({
    "fixes_that_fail": ("Fixes that Fail", "fix that fails", "fixes that backfire", "fix that backfires",
                        "ARC-1", "fixes that fail archetype"),
    "shifting_the_burden": ("Shifting the Burden", "shifting the burden to the intervenor", "burden shifting",
                            "shift the burden", "addiction", "ARC-2"),
    "limits_to_growth": ("Limits to Growth", "limit to growth", "limits to success", "limit to success",
                         "ARC-3"),
    "tragedy_of_the_commons": ("Tragedy of the Commons", "the commons", "commons", "ARC-4"),
    "success_to_the_successful": ("Success to the Successful", "success to successful", "ARC-5"),
    "escalation": ("Escalation", "arms race", "ARC-6"),
    "eroding_goals": ("Eroding Goals", "drifting goals", "eroding drifting goals", "goal erosion",
                      "ARC-7"),
    "growth_and_underinvestment": ("Growth and Underinvestment", "growth and under investment",
                                   "underinvestment", "ARC-8"),
    "accidental_adversaries": ("Accidental Adversaries", "ARC-9"),
}, optional=("archetype",))

#: Mitchell, Agle & Wood (1997) salience classes.
SALIENCE = Vocabulary({
    "dormant": ("dormant",), "discretionary": ("discretionary",), "demanding": ("demanding",),
    "dominant": ("dominant",), "dangerous": ("dangerous",), "dependent": ("dependent",),
    "definitive": ("definitive",), "non-stakeholder": ("non-stakeholder", "non", "none", "not a stakeholder"),
}, optional=("stakeholder",))

#: Mendelow's (1991) quadrants and the engagement approach each implies.
MENDELOW = Vocabulary({
    "key players": ("key players", "manage closely", "manage", "engage closely", "high power high interest",
                    "collaborate", "partner"),
    "keep satisfied": ("keep satisfied", "keep them satisfied", "satisfy", "high power low interest", "consult"),
    "keep informed": ("keep informed", "keep them informed", "inform", "show consideration", "low power high interest"),
    "monitor": ("monitor", "minimal effort", "watch", "low power low interest"),
}, optional=("quadrant",))

#: Ulrich's (1983) four sources of influence, with the words Ulrich and others use for them.
CSH_SOURCE = Vocabulary({
    "motivation": ("motivation", "purpose", "sources of motivation", "value", "values"),
    "control": ("control", "power", "sources of control", "sources of power", "decision making",
                "resources"),
    "knowledge": ("knowledge", "expertise", "sources of knowledge", "know how"),
    "legitimacy": ("legitimacy", "legitimation", "sources of legitimacy", "worldview", "affected",
                   "those affected"),
}, optional=("source", "of", "influence"))

#: The social role of each source (Ulrich 1983; Ulrich & Reynolds 2010).
CSH_ROLE = Vocabulary({
    "client": ("client", "beneficiary", "intended beneficiary"),
    "decision-maker": ("decision-maker", "decision taker", "decider"),
    "expert": ("expert", "designer", "planner", "professional"),
    "witness": ("witness", "witnesses of those affected", "advocate of those affected"),
})

#: Verdicts on a target against natural process limits (Wheeler 2000; Seddon 2008).
TARGET_VERDICT = Vocabulary({
    "system change needed": ("system change needed", "needs a change to the system", "change the system",
                             "system change", "needs system change", "redesign", "redesign the system",
                             "beyond the limits", "outside the limits", "not achievable as it is"),
    "met by the system as it is": ("met by the system as it is", "already met", "met", "system meets it",
                                   "met already", "inside the limits already"),
    "chance": ("chance", "by chance", "sometimes", "luck", "within the limits", "met by chance",
               "met some of the time"),
})
