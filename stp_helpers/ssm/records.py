"""Soft Systems Methodology as records a program can read, check and write.

A case's ``ssm.yaml`` holds one situation's SSM work (Checkland 1981;
Checkland & Scholes 1990):

* a **rich picture record** (stage 2): the attached drawing, if any, and its
  structured elements (structures, processes, climate, people, concerns,
  issues, conflicts);
* several **CATWOE** analyses, one per worldview (Weltanschauung), each tied
  to a stakeholder, with the **root definition** in PQR form (do P by Q in
  order to R) and a measure for each of the **5Es**;
* **conceptual activity models** (stage 4), 5–9 activities as a directed
  graph plus the monitoring and control activities, each with its
  **comparison** with the real situation (stage 5) and candidate changes
  (stage 6).

This module holds the records, the reader and the writer.  The root
definition and its PQR sentence are in :mod:`stp_helpers.ssm.definitions`;
the tables and report a notebook shows in :mod:`stp_helpers.ssm.report`; the formative checks (rule ids of
methods.md §1) in :mod:`stp_helpers.ssm.quality`; the drawing in
:mod:`stp_helpers.charts.ssm_draw`; rich picture images in
:mod:`stp_helpers.ssm.rich_picture`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stp_helpers import paths
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.parse import parse_yaml
from stp_helpers.io.tables import load_yaml, problems_from
from stp_helpers.io.saving import save_text

__all__ = [
    "STAGES", "FIVE_ES", "ELEMENTS",
    "Concern", "Conflict", "RichPicture", "Transformation", "Measures", "Catwoe",
    "Activity", "ComparisonRow", "ActivityModel", "SsmRecord",
    "read_ssm", "ssm_yaml", "save_ssm", "parse_ssm_text",
    "record_from_dict",
]

#: The seven stages of SSM (Checkland 1981), sphere and artefact (methods.md §1.1).
STAGES: tuple[tuple[int, str, str, str], ...] = (
    (1, "Problem situation: unstructured", "real world", "notes, interviews"),
    (2, "Problem situation: expressed", "real world", "rich picture record; Analyses 1-3"),
    (3, "Root definitions of relevant purposeful activity systems", "systems thinking",
     "CATWOE + PQR, one per worldview"),
    (4, "Conceptual activity models", "systems thinking", "model of 7 ± 2 activities"),
    (5, "Comparison of models with the situation", "real world", "comparison table"),
    (6, "Changes that are systemically desirable and culturally feasible", "real world",
     "change list"),
    (7, "Action to improve the situation", "real world", "action plan (Duty 10)"),
)
#: The 5Es, in order: the first three are the core (Checkland & Scholes 1990).
FIVE_ES = ("efficacy", "efficiency", "effectiveness", "ethicality", "elegance")
#: CATWOE letters and the record field behind each.
ELEMENTS = {"C": "customers", "A": "actors", "T": "transformation", "W": "worldview",
            "O": "owners", "E": "environment"}
_SSM_FILE = "ssm.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ----- stage 2: rich picture record -----

class Concern(_Strict):
    """An attributed concern: who said it, and what."""

    role: str = Field("", description="the role who voices the concern, e.g. 'person using services'")
    quote: str = Field(min_length=1, description="the concern in their words")


class Conflict(_Strict):
    """A conflict (crossed swords) between two parties."""

    parties: list[str] = Field(default_factory=list, description="the two parties, e.g. [commissioners, providers]")
    about: str = Field(min_length=1, description="what the conflict is about")


class RichPicture(_Strict):
    """The structured record that accompanies a rich picture (methods.md §1.2)."""

    date: str = Field("", description="when the picture was drawn, YYYY-MM-DD")
    version: str = Field("", description="a version label, e.g. '1' or 'draft 2'")
    participants: list[str] = Field(default_factory=list, description="who drew or discussed it")
    practitioner: str = Field("", description="your own role in the situation, e.g. 'systems practitioner'")
    image: str | None = Field(None, description="an image file in the case folder: rich_picture.png, .jpg or .svg")
    alt: str = Field("", description="a sentence describing the image for people who cannot see it")
    structures: list[str] = Field(default_factory=list, description="slow-changing structures: organisations, contracts")
    processes: list[str] = Field(default_factory=list, description="things going on: referrals, commissioning rounds")
    climate: list[str] = Field(default_factory=list, description="the mood and culture of the situation")
    people: list[str] = Field(default_factory=list, description="roles in the situation, including the practitioner")
    concerns: list[Concern] = Field(default_factory=list)
    issues: list[str] = Field(default_factory=list, description="open issues, as questions rather than solutions")
    conflicts: list[Conflict] = Field(default_factory=list)
    source: str | None = Field(None, description="the id of the case source the record rests on")


# ----- stage 3: CATWOE, root definition, 5Es -----

class Transformation(_Strict):
    """T: an input that becomes an output, the same entity in a changed state."""

    input: str = Field("", description="what is transformed, e.g. 'need for respite care'")
    output: str = Field("", description="the same thing, changed, e.g. 'need for respite care met'")

    def __str__(self) -> str:
        return f"{self.input} → {self.output}"


class Measures(_Strict):
    """A measure for each of the 5Es ('' when an E is not used)."""

    efficacy: str = Field("", description="does the means produce the output (P)?")
    efficiency: str = Field("", description="is T achieved with least resource (Q)?")
    effectiveness: str = Field("", description="does T help achieve the longer-term aim (R)?")
    ethicality: str = Field("", description="is T morally defensible?")
    elegance: str = Field("", description="is T simple and pleasing?")


class Catwoe(_Strict):
    """One worldview's CATWOE, with its root definition (PQR) and 5E measures.

    ``p``, ``q`` and ``r`` are the learner's own wording; a blank P is
    generated from T (see :func:`default_pqr`); Q and R must be written.
    """

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$", description="a short id, e.g. commissioner")
    stakeholder: str = Field("", description="whose worldview this is, e.g. 'commissioners'")
    customers: str = Field("", description="C: who benefits from, or is a victim of, T")
    actors: str = Field("", description="A: who would carry out T")
    transformation: Transformation = Field(default_factory=Transformation)
    worldview: str = Field("", description="W: the belief that makes T meaningful")
    owners: str = Field("", description="O: who could stop T")
    environment: str = Field("", description="E: what the system takes as given")
    p: str = Field("", description="P: what the system does (blank: generated from T)")
    q: str = Field("", description="Q: how it does it, the means (write it)")
    r: str = Field("", description="R: the longer-term aim T serves (write it: W is not R)")
    measures: Measures = Field(default_factory=Measures)
    source: str | None = Field(None, description="the id of the case source the analysis draws on")


# ----- stages 4-6: activity model and comparison -----

class Activity(_Strict):
    """An activity of a conceptual model: an imperative verb phrase."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$", description="a short id, e.g. a1")
    label: str = Field(min_length=1, description="an imperative verb phrase, e.g. 'Listen to people using services'")
    after: list[str] = Field(default_factory=list, description="ids of the activities this one depends on")
    kind: Literal["operational", "monitor", "control"] = Field(
        "operational", description="operational, monitor (define measures and monitor) or control (take control action)")


class ComparisonRow(_Strict):
    """One row of the stage 5 comparison table."""

    activity: str = Field(min_length=1, description="the id of an activity of the model")
    exists: Literal["yes", "partly", "no"] = Field(description="does the activity exist in the real situation?")
    how_done: str = Field("", description="how it is done now")
    who: str = Field("", description="who does it")
    how_judged: str = Field("", description="how it is judged now")
    comments: str = Field("", description="needed when it exists partly or not at all")
    alternatives: str = Field("", description="other ways it could be done")
    change: str = Field("", description="a candidate change")
    desirable: bool = Field(False, description="true when the change is systemically desirable")
    feasible: bool = Field(False, description="true when the change is culturally feasible")
    source: str | None = Field(None, description="the id of the case source the row rests on")


class ActivityModel(_Strict):
    """A conceptual activity model built from one root definition."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$", description="a short id, e.g. person-model")
    root: str = Field(min_length=1, description="the id of the CATWOE (worldview) it models")
    activities: list[Activity] = Field(default_factory=list)
    comparison: list[ComparisonRow] = Field(default_factory=list)

    def operational(self) -> list[Activity]:
        """Return the operational activities (not monitoring or control)."""
        return [a for a in self.activities if a.kind == "operational"]

    def activity(self, activity_id: str) -> Activity:
        """Return the activity with this id (KeyError if none)."""
        for item in self.activities:
            if item.id == activity_id:
                return item
        raise KeyError(activity_id)


class SsmRecord(_Strict):
    """The contents of ``ssm.yaml``: one situation's SSM work."""

    situation: str = Field(min_length=1, description="the problem situation in a sentence")
    synthetic: bool = Field(False, description="true when the records are made up for teaching")
    source: str | None = Field(None, description="the id of the case source the records rest on")
    rich_picture: RichPicture = Field(default_factory=RichPicture)
    worldviews: list[Catwoe] = Field(default_factory=list)
    models: list[ActivityModel] = Field(default_factory=list)

    def worldview(self, catwoe_id: str) -> Catwoe:
        """Return the CATWOE with this id (KeyError if none)."""
        for item in self.worldviews:
            if item.id == catwoe_id:
                return item
        raise KeyError(catwoe_id)

    def model_for(self, catwoe_id: str) -> ActivityModel | None:
        """Return the first activity model of a worldview, or None."""
        return next((m for m in self.models if m.root == catwoe_id), None)


# ----- building and reading a root definition -----

def _cross_problems(record: SsmRecord, name: str, lines: dict, folder: Path | None = None) -> list[Problem]:
    problems: list[Problem] = []

    def add(loc: tuple, text: str, fix: str) -> None:
        key = tuple(loc)
        line = None
        for cut in range(len(key), -1, -1):
            if key[:cut] in lines:
                line = lines[key[:cut]]
                break
        column = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        problems.append(Problem(name, text, column=column, line=line, fix=fix))

    image = record.rich_picture.image
    if image is not None:
        from stp_helpers.ssm.rich_picture import IMAGE_NAMES, ImageError, image_kind

        target = Path(folder) / image if folder is not None else None
        if image not in IMAGE_NAMES.values():
            add(("rich_picture", "image"), f"{image!r} is not a rich picture file name.",
                f"Use one of: {', '.join(IMAGE_NAMES.values())}.")
        elif target is not None and not target.exists():
            add(("rich_picture", "image"), f"{image} is named but not in the case folder.",
                "Add the image, or remove the 'image:' line.")
        elif target is not None:
            try:
                image_kind(target.read_bytes(), image)
            except ImageError as err:
                add(("rich_picture", "image"), err.problem, err.fix or "")
    ids = [w.id for w in record.worldviews]
    for i, wid in enumerate(ids):
        if wid in ids[:i]:
            add(("worldviews", i, "id"), f"The worldview id {wid!r} is used twice.", "Give each CATWOE its own id.")
    model_ids = [m.id for m in record.models]
    for m_index, model in enumerate(record.models):
        if model.id in model_ids[:m_index]:
            add(("models", m_index, "id"), f"The model id {model.id!r} is used twice.", "Give each model its own id.")
        if model.root not in ids:
            add(("models", m_index, "root"), f"{model.root!r} is not the id of a worldview.",
                f"Use one of: {', '.join(ids) or 'none yet (add a CATWOE under worldviews:)'}.")
        acts = [a.id for a in model.activities]
        for a_index, act in enumerate(model.activities):
            if act.id in acts[:a_index]:
                add(("models", m_index, "activities", a_index, "id"),
                    f"The activity id {act.id!r} is used twice.", "Give each activity its own id.")
            for dep in act.after:
                if dep not in acts:
                    add(("models", m_index, "activities", a_index, "after"),
                        f"{dep!r} is not an activity of model {model.id!r}.",
                        f"Use activity ids: {', '.join(acts)}.")
        for r_index, row in enumerate(model.comparison):
            if row.activity not in acts:
                add(("models", m_index, "comparison", r_index, "activity"),
                    f"{row.activity!r} is not an activity of model {model.id!r}.",
                    f"Use activity ids: {', '.join(acts)}.")
    return problems


def record_from_dict(data: object, path: str | Path = _SSM_FILE, lines: dict | None = None) -> SsmRecord:
    """Validate parsed YAML into an :class:`SsmRecord`, reporting every problem.

    Raises
    ------
    CaseFileError
        Missing or mistyped fields, unknown ids in ``root``, ``after`` or
        ``comparison``, ids used twice.
    """
    name = paths.relative(path)
    lines = lines or {}
    if not isinstance(data, dict):
        raise CaseFileError([Problem(name, "The file should hold 'key: value' fields at the top level.",
                                     line=1, fix="Start with 'situation:' and 'worldviews:'.")])
    try:
        record = SsmRecord.model_validate(data)
    except ValidationError as err:
        raise CaseFileError(problems_from(err, Path(path), SsmRecord, lines=lines)) from err
    folder = Path(path).parent if Path(path).is_file() else None
    problems = _cross_problems(record, name, lines, folder)
    if problems:
        raise CaseFileError(problems)
    return record


def read_ssm(path: str | Path) -> SsmRecord:
    """Read and validate a case's ``ssm.yaml``.

    Structure is validated (fields, types, ids that refer to each other);
    method quality (CATWOE specific, T-rule, 5–9 activities …) is left to
    :mod:`stp_helpers.ssm.quality`, which warns but never blocks.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    SsmRecord

    Raises
    ------
    CaseFileError
        Every problem found, with the line and field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ssm.yaml"
    >>> _ = path.write_text("situation: respite care\\nworldviews:\\n  - customers: carers\\n")
    >>> read_ssm(path)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: ...ssm.yaml, line 3, column "worldviews[0].id": A value is required here.
    """
    data, lines = load_yaml(path)
    return record_from_dict(data, path, lines)


def parse_ssm_text(text: str, name: str = _SSM_FILE) -> SsmRecord:
    """Validate ``ssm.yaml`` text (e.g. before saving it), reporting every problem."""
    data, lines = parse_yaml(text, name)
    return record_from_dict(data, name, lines)


def ssm_yaml(record: SsmRecord) -> str:
    """Return ``ssm.yaml`` text for a record (fields in schema order, blank fields left out).

    Examples
    --------
    >>> from stp_helpers.ssm.definitions import make_catwoe
    >>> rec = SsmRecord(situation="respite care", worldviews=[make_catwoe("carer", owners="council")])
    >>> print(ssm_yaml(rec))
    situation: respite care
    worldviews:
    - id: carer
      owners: council
    <BLANKLINE>
    """
    data = record.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_ssm(record: SsmRecord, folder: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``ssm.yaml`` into a case folder, atomically (checks never block saving).

    Raises
    ------
    CaseExistsError
        The folder is a shipped case, or the file exists and ``overwrite`` is False.
    """
    return save_text(folder, _SSM_FILE, ssm_yaml(record), overwrite=overwrite)


# ----- tables and the report section -----
