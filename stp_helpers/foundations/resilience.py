"""Resilient practice (B7): the situations the standard names, met in the seed cases, and responses to them.

Behaviour B7 of ST0787 asks a practitioner to remain motivated to make a
difference when facing conflict between client and stakeholders, a lack of
will to engage, or a client unwilling to take a systems approach, and to
accept that goal posts move.  The situations, quotations and responses are
data (``data/resilience.yaml``); each names its case folder and source, and
the workbook's own reading is labelled as such.

Examples
--------
>>> [s.clause for s in setbacks()][:3]
['conflict', 'will', 'systems-approach']
>>> sorted({s.clause for s in setbacks()}) == sorted(CLAUSES)
True
>>> print(setback_responses().text.splitlines()[0])
**Conflict between client and stakeholders** · Salford: SPOTlights, six weeks on one neighbourhood's priority
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from stp_helpers import case as cases
from stp_helpers import paths
from stp_helpers.display import Markdown, join, md
from stp_helpers.errors import StpError
from stp_helpers.io.tables import read_yaml_model

__all__ = ["CLAUSES", "Setback", "setbacks", "setback_responses"]

#: The parts of B7, by the id the data uses, in the standard's order, with the label shown.
CLAUSES = {
    "motivated": "Remains motivated to make a difference: when a trial does not work",
    "conflict": "Conflict between client and stakeholders",
    "will": "A lack of will to engage with the initiative",
    "systems-approach": "The client's lack of willingness to take a systems approach",
    "goal-posts": "Goal posts move; unstable conditions are normal",
}


class Setback(BaseModel):
    """A situation B7 names, as a seed case met it.

    Attributes
    ----------
    id : str
        Short id.
    clause : str
        The part of B7 it illustrates, one of :data:`CLAUSES`.
    case : str
        The slug of the case folder.
    source : str
        The id of the case's source that ``quote`` and ``did`` come from.
    facts : tuple of str
        Ids of facts in the case folder that bear on it.
    quote : str
        The source's words.
    did : str
        What the case did, as the source records it.
    reading : str
        The workbook's reading: a response that keeps the work going (an inference, not the source's claim).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    clause: str = Field(pattern="^(" + "|".join(CLAUSES) + ")$")
    case: str = Field(min_length=1)
    source: str = Field(min_length=1)
    facts: tuple[str, ...] = ()
    quote: str = Field(min_length=1)
    did: str = Field(min_length=1)
    reading: str = Field(min_length=1)


class _Setbacks(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    setbacks: tuple[Setback, ...]


@lru_cache(maxsize=1)
def setbacks() -> tuple[Setback, ...]:
    """Return the B7 situations from the seed cases, in the order the notebook shows them.

    Raises
    ------
    CaseFileError
        When ``data/resilience.yaml`` does not match :class:`Setback`.
    """
    return read_yaml_model(paths.PACKAGE_DIR / "data" / "resilience.yaml", _Setbacks).setbacks


def setback_responses(items: Sequence[Setback] | None = None) -> Markdown:
    """Render each situation: the source's words, the case folder's facts, what the case did, and a response.

    Case text (titles, facts, quotations) is escaped once, by :func:`~stp_helpers.display.md`.

    Parameters
    ----------
    items : sequence of Setback, optional
        The situations to show; by default :func:`setbacks`.

    Returns
    -------
    Markdown
        One block per situation.

    Raises
    ------
    StpError
        When a situation names a source or fact its case folder does not hold.

    Examples
    --------
    >>> trial = Setback(id="t", clause="goal-posts", case="stoke-neet", source="seed-003",
    ...                 facts=("january-starts",), quote="*Christmas* <leavers>", did="New starts.", reading="Adapt.")
    >>> print(setback_responses([trial]).text.splitlines()[2])
    - *In the source:* "\\*Christmas\\* &lt;leavers&gt;" (Thinking 'systems': routes to better outcomes? (briefing))
    >>> setback_responses([trial.model_copy(update={"facts": ("no-such-fact",)})])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.StpError: The B7 situation 't' names fact 'no-such-fact', which case stoke-neet does not hold. ...
    """
    blocks = []
    for item in setbacks() if items is None else items:
        folder = cases.load(item.case)
        facts = {f.id: f.statement for f in folder.meta.facts}
        sources = {s.id: s.title for s in folder.meta.sources}
        missing = [f"fact {f!r}" for f in item.facts if f not in facts]
        missing += [] if item.source in sources else [f"source {item.source!r}"]
        if missing:
            raise StpError(f"The B7 situation {item.id!r} names {', '.join(missing)}, which case {item.case} "
                           "does not hold.", fix="Use ids from the case folder's case.yaml.")
        lines = [md("**{label}** · {title}\n", label=CLAUSES[item.clause], title=folder.meta.title),
                 md('- *In the source:* "{quote}" ({source})', quote=item.quote, source=sources[item.source])]
        lines += [md("- *In the case folder:* {fact}", fact=facts[f]) for f in item.facts]
        lines += [md("- *What the case did:* {did}", did=item.did),
                  md("- *A response that keeps the work going (the workbook's reading):* {reading}\n",
                     reading=item.reading)]
        blocks.append(join(lines))
    return join(blocks)
