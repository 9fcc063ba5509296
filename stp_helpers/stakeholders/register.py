"""Stakeholders: the register of who has a stake, their scores and who influences whom.

A case's stakeholder register is two plain CSV files:

* ``stakeholders.csv``: one row per stakeholder (a person's role or a group,
  never a private individual's name) and snapshot date, with ``power``,
  ``interest``, ``legitimacy`` and ``urgency`` scored on [0, 1], a ``stance``
  and the ``source`` the judgement rests on.  Several snapshots of one
  stakeholder show how the picture, and so the strategy, changed.
* ``stakeholder_links.csv``: who can influence whom (``influencer``,
  ``influenced``, ``strength`` on [0, 1], ``how``, ``source``).

From these :mod:`stp_helpers.stakeholders.power` computes Mendelow's
power/interest grid (rule ``MEN``), the salience classes of Mitchell, Agle and
Wood (``SAL``) and the influence network with who reaches most and who brokers.

Examples
--------
>>> register = build_register(
...     [{"name": "Commissioners", "power": 0.9, "interest": 0.8, "legitimacy": 0.9, "urgency": 0.4},
...      {"name": "People using services", "power": 0.2, "interest": 0.9, "legitimacy": 0.9,
...       "urgency": 0.9}],
...     links=[("People using services", "Commissioners")])
>>> [s.name for s in register.stakeholders], len(register.links)
(['Commissioners', 'People using services'], 1)
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from stp_helpers import paths
from stp_helpers.errors import CaseFileError, Problem, StakeholderError
from stp_helpers.io.tables import csv_text, read_csv_rows
from stp_helpers.io.saving import save_texts

__all__ = [
    "StakeholderError", "Stakeholder", "InfluenceLink", "Register", "QUADRANTS", "SALIENCE_CLASSES",
    "SCORES", "SCALES", "normalise_scores",
    "build_register", "read_stakeholders", "read_stakeholder_links", "read_register", "load_register", "register_csv_text", "links_csv_text", "save_register",
]

#: The four scores of a stakeholder, each on [0, 1].
SCORES = ("power", "interest", "legitimacy", "urgency")
#: Mendelow's quadrants and the engagement approach for each (methods.md §5.1).
QUADRANTS: dict[str, str] = {
    "key players": "manage closely: involve in decisions and co-design",
    "keep satisfied": "keep satisfied: consult on what affects them, brief before decisions",
    "keep informed": "keep informed: share progress, invite views, support their voice",
    "monitor": "monitor: light-touch updates, watch for changes in power or interest",
}
#: Salience class → (attributes held, group), after Mitchell, Agle & Wood (1997).
SALIENCE_CLASSES: dict[str, tuple[frozenset[str], str]] = {
    "non-stakeholder": (frozenset(), "none"),
    "dormant": (frozenset({"power"}), "latent"),
    "discretionary": (frozenset({"legitimacy"}), "latent"),
    "demanding": (frozenset({"urgency"}), "latent"),
    "dominant": (frozenset({"power", "legitimacy"}), "expectant"),
    "dangerous": (frozenset({"power", "urgency"}), "expectant"),
    "dependent": (frozenset({"legitimacy", "urgency"}), "expectant"),
    "definitive": (frozenset({"power", "legitimacy", "urgency"}), "definitive"),
}
STANCES = ("supportive", "neutral", "opposed", "mixed", "unknown")
_DEFAULT_DATE = dt.date(2000, 1, 1)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_default(cls, data: Any) -> Any:
        """A blank cell (None) takes the field's default, so optional text columns may be left empty."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None or k == "note"}
        return data


class Stakeholder(_Row):
    """One row of ``stakeholders.csv``: a stakeholder as judged on one date."""

    required_columns: ClassVar[tuple[str, ...]] = (
        "name", "role", "power", "interest", "legitimacy", "urgency", "stance", "snapshot", "source")
    name: str = Field(min_length=1, description="a role or group, e.g. 'Commissioners' (no private individuals)")
    role: str = Field("", description="what they do in the situation, in a few words")
    power: float = Field(ge=0, le=1, description="a number from 0 (none) to 1 (can impose its will)")
    interest: float = Field(ge=0, le=1, description="a number from 0 (indifferent) to 1 (deeply concerned)")
    legitimacy: float = Field(ge=0, le=1, description="a number from 0 to 1: how proper others see its claim")
    urgency: float = Field(ge=0, le=1, description="a number from 0 to 1: how time-critical its claim is")
    stance: Literal["supportive", "neutral", "opposed", "mixed", "unknown"] = Field(
        "unknown", description="one of supportive, neutral, opposed, mixed, unknown")
    snapshot: dt.date = Field(_DEFAULT_DATE, description="the date of this judgement, YYYY-MM-DD")
    source: str = Field("", description="the id of a case source, or 'synthetic'")
    note: str | None = Field(None, description="why the scores are what they are")


class InfluenceLink(_Row):
    """One row of ``stakeholder_links.csv``: ``influencer`` can change ``influenced``'s view or action."""

    required_columns: ClassVar[tuple[str, ...]] = ("influencer", "influenced", "strength", "how", "source")
    influencer: str = Field(min_length=1, description="the name of a stakeholder in stakeholders.csv")
    influenced: str = Field(min_length=1, description="the name of a stakeholder in stakeholders.csv")
    strength: float = Field(0.5, ge=0, le=1, description="a number from 0 (weak) to 1 (decisive)")
    how: str = Field("", description="the channel: contract, funding, advice, voice ...")
    source: str = Field("", description="the id of a case source that states the link, 'inference' for the "
                        "workbook's reading of the case, or 'synthetic'")


@dataclass(frozen=True)
class Register:
    """A validated stakeholder register: every snapshot row and the influence links.

    Use :func:`build_register` or :func:`read_register` to make one; edits
    (:meth:`with_score`, :meth:`with_stakeholder`, :meth:`with_link`) return a
    new, validated register and leave this one unchanged.
    """

    stakeholders: tuple[Stakeholder, ...]
    links: tuple[InfluenceLink, ...] = ()

    def snapshots(self) -> list[dt.date]:
        """Return the snapshot dates, oldest first."""
        return sorted({s.snapshot for s in self.stakeholders})

    def at(self, snapshot: dt.date | str | None = None) -> list[Stakeholder]:
        """Return each stakeholder's latest row on or before ``snapshot`` (default: the latest), by name."""
        when = as_date(snapshot) if snapshot is not None else self.snapshots()[-1]
        latest: dict[str, Stakeholder] = {}
        for row in sorted(self.stakeholders, key=lambda s: s.snapshot):
            if row.snapshot <= when:
                latest[row.name] = row
        return [latest[n] for n in sorted(latest, key=str.casefold)]

    def names(self) -> list[str]:
        """Every stakeholder's name, in alphabetical order."""
        return sorted({s.name for s in self.stakeholders}, key=str.casefold)

    def get(self, name: str, snapshot: dt.date | str | None = None) -> Stakeholder:
        """Return one stakeholder's row at a snapshot.

        Raises
        ------
        StakeholderError
            When there is no such stakeholder (the message names close matches).
        """
        for row in self.at(snapshot):
            if row.name.casefold() == str(name).strip().casefold():
                return row
        raise StakeholderError(f"{name!r} is not in the register.", _close_fix(str(name), self.names()))

    def with_score(self, name: str, score: str, value: float, scale: str = "0-1") -> Register:
        """Return a register with one score of ``name``'s latest row changed (``value`` on ``scale``).

        Raises
        ------
        StakeholderError
            Unknown stakeholder or score, or a value outside [0, 1].
        """
        if score not in SCORES:
            raise StakeholderError(f"{score!r} is not a score.", f"Use one of: {', '.join(SCORES)}.")
        value = score_value(value, score, scale)
        row = self.get(name)
        rows = tuple(replace_row(s, **{score: value}) if s is row else s for s in self.stakeholders)
        return _checked(rows, self.links)

    def with_stakeholder(self, name: str, role: str = "", **scores: Any) -> Register:
        """Return a register with a new stakeholder (scores default to 0.5) at the latest snapshot."""
        record = {"name": name, "role": role, "snapshot": self.snapshots()[-1] if self.stakeholders
                  else _DEFAULT_DATE, "source": "synthetic", **{k: 0.5 for k in SCORES}, **scores}
        return _checked(self.stakeholders + (_make(Stakeholder, record, "the new stakeholder"),), self.links)

    def without_stakeholder(self, name: str) -> Register:
        """Return a register without ``name`` (every snapshot) and its links."""
        key = self.get(name).name
        rows = tuple(s for s in self.stakeholders if s.name != key)
        links = tuple(lk for lk in self.links if key not in (lk.influencer, lk.influenced))
        return _checked(rows, links)

    def with_link(self, influencer: str, influenced: str, strength: float = 0.5, how: str = "") -> Register:
        """Return a register with a new influence link (names must be in the register)."""
        link = _make(InfluenceLink, {"influencer": influencer, "influenced": influenced, "strength": strength,
                                     "how": how, "source": "synthetic"}, "the new link")
        return _checked(self.stakeholders, self.links + (link,))


def replace_row(row: Stakeholder, **changes: Any) -> Stakeholder:
    """Return a copy of a stakeholder row with validated changes."""
    return Stakeholder.model_validate({**row.model_dump(), **changes})


def as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise StakeholderError(f"{value!r} is not a date.", "Use YYYY-MM-DD, e.g. 2016-01-01.") from err


def _close_fix(name: str, names: Sequence[str]) -> str:
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.strip().casefold(), list(folded), n=1, cutoff=0.6)
    hint = f"Did you mean {folded[close[0]]!r}? " if close else ""
    return f"{hint}Names in the register: {', '.join(names) or 'none'}."


#: The score scales practitioners declare (methods.md §5.1), as (lowest, highest).
SCALES: dict[str, tuple[float, float]] = {"0-1": (0.0, 1.0), "1-5": (1.0, 5.0), "0-10": (0.0, 10.0)}


def _scale_range(scale: str) -> tuple[float, float]:
    key = str(scale).strip().replace("–", "-").replace(" to ", "-").replace(" ", "")
    if key not in SCALES:
        raise StakeholderError(f"{scale!r} is not a score scale.", f"Declare one of: {', '.join(SCALES)}.")
    return SCALES[key]


def score_value(value: Any, score: str, scale: str = "0-1") -> float:
    """Return a score on the declared ``scale`` normalised to [0, 1] (methods.md §5.1).

    The scale's midpoint becomes 0.5, the default threshold for "high".

    Examples
    --------
    >>> score_value(9, "power", "0-10"), score_value(3, "power", "1-5"), score_value(0.7, "power")
    (0.9, 0.5, 0.7)
    """
    low, high = _scale_range(scale)
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise StakeholderError(f"{value!r} is not a number, so it cannot be a {score} score.",
                               f"Use a number from {low:g} to {high:g}.") from err
    if not low <= number <= high:
        other = [name for name, (lo, hi) in SCALES.items() if lo <= number <= hi]
        hint = f" If you score on {other[0].replace('-', ' to ')}, declare scale={other[0]!r}." if other else ""
        raise StakeholderError(f"{score.capitalize()} {number:g} is outside {low:g} to {high:g}, the declared scale.",
                               f"Scores run from {low:g} (none) to {high:g} (the most); the midpoint or more "
                               f"counts as high.{hint}")
    return round((number - low) / (high - low), 12)


def normalise_scores(record: Mapping[str, Any], scale: str = "0-1") -> dict[str, Any]:
    """Return a stakeholder record with its scores moved from ``scale`` to [0, 1]."""
    if _scale_range(scale) == SCALES["0-1"]:
        return dict(record)
    return {k: (score_value(v, k, scale) if k in SCORES and v is not None else v) for k, v in record.items()}


def _make(model: type[BaseModel], record: Mapping[str, Any], where: str) -> Any:
    try:
        return model.model_validate(dict(record))
    except ValidationError as err:
        bits = []
        for e in err.errors():
            field = ".".join(str(p) for p in e["loc"])
            bits.append(f"{field}: {e['msg']} (got {e.get('input')!r})")
        raise StakeholderError(f"In {where}, " + "; ".join(bits) + ".",
                               "Scores are numbers from 0 to 1; names are not empty.") from err


def _problems(rows: Sequence[Stakeholder], links: Sequence[InfluenceLink], where: str,
              links_where: str) -> list[Problem]:
    problems: list[Problem] = []
    if not rows:
        problems.append(Problem(where, "The register is empty.",
                                fix="Add at least one stakeholder (a role or group) with its scores."))
    seen: dict[tuple[str, dt.date], int] = {}
    for i, row in enumerate(rows):
        key = (row.name.casefold(), row.snapshot)
        if key in seen:
            problems.append(Problem(where, f"{row.name!r} appears twice in the snapshot {row.snapshot}.",
                                    row=i + 2, column="name",
                                    fix=f"Merge it with row {seen[key] + 2}, or give the later judgement its own "
                                        "snapshot date."))
        seen.setdefault(key, i)
    names = sorted({r.name for r in rows}, key=str.casefold)
    exact = set(names)
    pairs: dict[tuple[str, str], int] = {}
    for i, link in enumerate(links):
        for column in ("influencer", "influenced"):
            name = getattr(link, column)
            if name not in exact:
                problems.append(Problem(links_where, f"{name!r} is not a stakeholder in the register.",
                                        row=i + 2, column=column, fix=_close_fix(name, names)))
        if link.influencer == link.influenced:
            problems.append(Problem(links_where, f"{link.influencer!r} is linked to itself.", row=i + 2,
                                    column="influenced", fix="Link two different stakeholders."))
        pair = (link.influencer, link.influenced)
        if pair in pairs:
            problems.append(Problem(links_where, f"The link {pair[0]} → {pair[1]} appears twice.", row=i + 2,
                                    column="influencer", fix=f"Keep one of rows {pairs[pair] + 2} and {i + 2}."))
        pairs.setdefault(pair, i)
    return problems


def _checked(rows: Sequence[Stakeholder], links: Sequence[InfluenceLink]) -> Register:
    problems = _problems(rows, links, "register", "links")
    if problems:
        first = problems[0]
        raise StakeholderError(first.problem + (f" ({len(problems) - 1} more problem(s).)" if len(problems) > 1
                                                else ""), first.fix)
    return Register(tuple(rows), tuple(links))


def build_register(stakeholders: Iterable[Mapping[str, Any]],
                   links: Iterable[Sequence[Any] | Mapping[str, Any]] = (), scale: str = "0-1") -> Register:
    """Build a validated register from plain records (for examples and exercises).

    Parameters
    ----------
    stakeholders : iterable of dict
        Each with ``name`` and the scores; ``role``, ``stance``, ``snapshot`` and
        ``source`` are optional.
    links : iterable of tuple or dict
        ``(influencer, influenced)`` or ``(influencer, influenced, strength)``, or dicts.
    scale : str
        The scale the scores are given on: ``"0-1"`` (default), ``"1-5"`` or
        ``"0-10"``; they are stored normalised to [0, 1].

    Returns
    -------
    Register

    Raises
    ------
    StakeholderError
        A score outside [0, 1], a duplicate name, a link to an unknown stakeholder, or no stakeholders.

    Examples
    --------
    >>> build_register([{"name": "Police", "power": 1.4, "interest": 0.5, "legitimacy": 1, "urgency": 0}])
    Traceback (most recent call last):
    ...
    stp_helpers.errors.StakeholderError: In stakeholder 1, power: Input should be less than or equal to 1 (got 1.4). Scores are numbers from 0 to 1; names are not empty.
    >>> build_register([{"name": "Police", "power": 9, "interest": 4, "legitimacy": 10, "urgency": 0}],
    ...                scale="0-10").get("Police").power
    0.9
    """
    rows = tuple(_make(Stakeholder, normalise_scores({k: v for k, v in record.items() if v is not None}, scale),
                       f"stakeholder {i + 1}") for i, record in enumerate(stakeholders))
    made = []
    for i, link in enumerate(links):
        record = dict(link) if isinstance(link, Mapping) else dict(zip(("influencer", "influenced", "strength"), link))
        made.append(_make(InfluenceLink, record, f"link {i + 1}"))
    return _checked(rows, made)


def read_stakeholders(path: str | Path) -> list[Stakeholder]:
    """Read and validate ``stakeholders.csv`` (scores in range, no duplicate name in a snapshot).

    Raises
    ------
    CaseFileError
        Every problem, with its row and column.
    """
    path = Path(path)
    rows = read_csv_rows(path, Stakeholder)
    problems = _problems(rows, (), paths.relative(path), "")
    if problems:
        raise CaseFileError(problems)
    return rows


def read_stakeholder_links(path: str | Path, names: Iterable[str] | None = None) -> list[InfluenceLink]:
    """Read ``stakeholder_links.csv``; with ``names``, check every end is a known stakeholder.

    When ``names`` is None the register beside the file (``stakeholders.csv``)
    is read for them, if it exists.

    Raises
    ------
    CaseFileError
        Every problem, with its row and column.
    """
    path = Path(path)
    links = read_csv_rows(path, InfluenceLink)
    if names is None and (path.parent / "stakeholders.csv").exists():
        names = [s.name for s in read_stakeholders(path.parent / "stakeholders.csv")]
    if names is not None:
        rows = [Stakeholder(name=n, power=0, interest=0, legitimacy=0, urgency=0) for n in dict.fromkeys(names)]
        problems = [p for p in _problems(rows, links, "", paths.relative(path)) if p.path]
        if problems:
            raise CaseFileError(problems)
    return links


def read_register(folder: str | Path) -> Register:
    """Read ``stakeholders.csv`` and (if present) ``stakeholder_links.csv`` from a folder."""
    folder = Path(folder)
    rows = read_stakeholders(folder / "stakeholders.csv")
    links_path = folder / "stakeholder_links.csv"
    links = read_stakeholder_links(links_path, [r.name for r in rows]) if links_path.exists() else []
    return Register(tuple(rows), tuple(links))


def load_register(slug_or_case: Any) -> Register:
    """Read a case's register (a slug or a loaded :class:`~stp_helpers.case.Case`)."""
    from stp_helpers import case as cases

    found = slug_or_case if isinstance(slug_or_case, cases.Case) else cases.load(slug_or_case)
    rows = read_stakeholders(found.artefact_path("stakeholders.csv"))
    links: list[InfluenceLink] = []
    if found.has("stakeholder_links.csv"):
        links = read_stakeholder_links(found.artefact_path("stakeholder_links.csv"), [r.name for r in rows])
    return Register(tuple(rows), tuple(links))


# ------------------------------------------------------------------ grid and salience


# ------------------------------------------------------------------ writing
def register_csv_text(register: Register) -> str:
    """The register's rows as ``stakeholders.csv`` text (round-trips through :func:`read_stakeholders`)."""
    header = list(Stakeholder.model_fields)
    rows = [[_cell(getattr(s, h)) for h in header]
            for s in sorted(register.stakeholders, key=lambda s: (s.snapshot, s.name.casefold()))]
    return csv_text(header, rows)


def links_csv_text(register: Register) -> str:
    """The influence links as ``stakeholder_links.csv`` text."""
    header = list(InfluenceLink.model_fields)
    return csv_text(header, [[_cell(getattr(lk, h)) for h in header] for lk in register.links])


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return value


def save_register(register: Register, folder: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``stakeholders.csv`` and ``stakeholder_links.csv`` into a user's case folder: both or neither.

    Raises
    ------
    CaseExistsError
        A file exists and ``overwrite`` is False, or the folder is a shipped case
        (copy it first with ``stp new-case``).
    """
    _checked(register.stakeholders, register.links)
    return save_texts(folder, {"stakeholders.csv": register_csv_text(register),
                               "stakeholder_links.csv": links_csv_text(register)}, overwrite=overwrite)
