"""Root definitions: a CATWOE built from its parts, and its PQR sentence (do P by Q in order to R).

In Checkland and Wilson's form a root definition says what the system does
(P), how it does it (Q) and the longer-term aim that transformation serves
(R) (Checkland & Scholes 1990; methods.md §1).  The records themselves are in
:mod:`stp_helpers.ssm.records`; the rules that check them in
:mod:`stp_helpers.ssm.quality`.

Examples
--------
>>> cw = make_catwoe("carer", customers="carers of people with dementia",
...                  actors="respite workers", transformation=("need for respite care",
...                  "need for respite care met"), worldview="carers who get a break care for longer",
...                  owners="the council", environment="the respite budget")
>>> root_definition(cw)
'A system owned by the council to turn need for respite care into need for respite care met by … in order to ….'
>>> parse_pqr("A council-owned system to reduce repeat homelessness by coordinating casework "
...           "in order to help residents keep secure tenancies.")
PQR(p='reduce repeat homelessness', q='coordinating casework', r='help residents keep secure tenancies')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from pydantic import ValidationError

from stp_helpers.errors import StpError
from stp_helpers.ssm.records import Catwoe, Transformation

__all__ = ["PQR", "make_catwoe", "default_pqr", "pqr_of", "root_definition", "parse_pqr"]


def make_catwoe(
    id: str, *, customers: str = "", actors: str = "", transformation: Sequence[str] = ("", ""),
    worldview: str = "", owners: str = "", environment: str = "", stakeholder: str = "",
    p: str = "", q: str = "", r: str = "", measures: dict[str, str] | None = None,
    source: str | None = None,
) -> Catwoe:
    """Return a :class:`Catwoe` from plain strings (``transformation`` is ``(input, output)``).

    Raises
    ------
    StpError
        When a field is the wrong shape (e.g. an id with spaces).

    Examples
    --------
    >>> make_catwoe("c1", transformation=("funding", "services")).transformation
    Transformation(input='funding', output='services')
    >>> make_catwoe("my view")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.StpError: CATWOE 'my view': the id should hold only letters, digits, '-' or '_'. Write it without spaces, e.g. 'my-view'.
    """
    if isinstance(transformation, str) or len(transformation) != 2:
        raise StpError("transformation should be a pair (input, output).",
                       'For example: ("need for respite care", "need for respite care met").')
    data = dict(id=id, stakeholder=stakeholder, customers=customers, actors=actors,
                transformation={"input": transformation[0], "output": transformation[1]},
                worldview=worldview, owners=owners, environment=environment, p=p, q=q, r=r,
                measures=measures or {}, source=source)
    try:
        return Catwoe.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        if field == "id":
            raise StpError(f"CATWOE {id!r}: the id should hold only letters, digits, '-' or '_'.",
                           f"Write it without spaces, e.g. {'-'.join(str(id).split()) or 'my-view'!r}.") from err
        raise StpError(f"CATWOE {id!r}: field \"{field}\": {first['msg']}.", "Give each element as text.") from err


class PQR(NamedTuple):
    """The three parts of a root definition: do P by Q in order to R."""

    p: str
    q: str
    r: str


def _lower_first(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0] if text else ""
    if len(first) > 1 and first.isupper():
        return text  # an acronym such as NHS
    return text[:1].lower() + text[1:]


def default_pqr(catwoe: Catwoe) -> PQR:
    """Return the PQR generated from a CATWOE, a starting point to edit.

    In the PQR form (Checkland & Scholes 1990; Wilson 2001) P is what the
    system does, Q how it does it and R the longer-term aim the
    transformation serves.  Only P follows from the CATWOE (it turns T's
    input into its output).  Q (the means) and R (the aim) are the analyst's
    judgement: the actors say who works, not how, and the worldview says why
    T makes sense, not what it serves.  So Q and R stay blank until written,
    and the sentence shows the gap.

    Examples
    --------
    >>> default_pqr(make_catwoe("x", transformation=("residents at risk", "residents housed"),
    ...             actors="caseworkers", worldview="A home comes first"))
    PQR(p='turn residents at risk into residents housed', q='', r='')
    """
    t = catwoe.transformation
    p = f"turn {t.input.strip()} into {t.output.strip()}" if t.input.strip() and t.output.strip() else ""
    return PQR(p, "", "")


def pqr_of(catwoe: Catwoe) -> PQR:
    """Return the root definition's P, Q and R: the learner's wording where given, else generated."""
    made = default_pqr(catwoe)
    return PQR(*(_lower_first(mine) if mine.strip() else auto
                 for mine, auto in zip((catwoe.p, catwoe.q, catwoe.r), made)))


def root_definition(catwoe: Catwoe) -> str:
    """Return the root definition sentence: a system owned by O to P by Q in order to R.

    Missing parts read ``…`` so the sentence shows what is still to write.

    Examples
    --------
    >>> root_definition(make_catwoe("x", owners="the council"))
    'A system owned by the council to … by … in order to ….'
    """
    p, q, r = (part or "…" for part in pqr_of(catwoe))
    owner = catwoe.owners.strip()
    head = f"A system owned by {owner}" if owner else "A system"
    return f"{head} to {p} by {q} in order to {r}."


_PQR = re.compile(r"\bto\s+(?P<P>.+?)\s+by\s+(?P<Q>.+?)\s+in order to\s+(?P<R>.+?)\.?$", re.I | re.S)


def parse_pqr(sentence: str) -> PQR | None:
    """Split a root definition written as 'to P by Q in order to R' (methods.md §1.4).

    Returns None when the sentence does not have that form.

    Examples
    --------
    >>> parse_pqr("Reduce homelessness.") is None
    True
    """
    match = _PQR.search(" ".join(str(sentence).split()))
    if match is None:
        return None
    return PQR(match["P"].strip(), match["Q"].strip(), match["R"].strip())


# ----- reading and writing ssm.yaml -----
