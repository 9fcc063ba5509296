"""Class lessons as data: one YAML file names the app, the stages, and each stage's question.

A teacher writes a lesson without Python.  Each stage shows some parts
(``text``, a teaching model's ``run``, a ``cld`` from its links, a ``table``)
and may ask one ``question`` with options; answers to it close when the
teacher moves on.  :func:`load_lesson` checks the file and names the file, the
line, the field and the fix for every problem.  The workbook ships lessons in
``data/lessons/``; a teacher's own lesson may live anywhere.

Examples
--------
>>> lesson = load_lesson("behaviour-mode")
>>> lesson.name, len(lesson.stages), lesson.stages[0].question.id
('behaviour-mode', 3, 'behaviour-mode')
>>> lesson_notebooks("behaviour-mode")
['methods/stock_flow.ipynb']
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from stp_helpers import paths
from stp_helpers.display import HTML
from stp_helpers.io.cld_graph import normalise_polarity
from stp_helpers.errors import CaseFileError, Problem, StpError
from stp_helpers.io.tables import load_yaml, problems_from

__all__ = ["Lesson", "Stage", "Question", "Part", "RunPart", "CldPart", "TablePart", "load_lesson",
           "lesson_path", "lesson_notebooks", "lesson_plan", "stage_parts", "served_lesson", "current_lesson", "shipped_lessons", "LESSONS_DIR", "TEACHER_PAGE", "LINK_PATTERN"]

#: Where the workbook's own lessons live.
LESSONS_DIR = paths.DATA_DIR / "lessons"
#: Set by ``stp serve --lesson FILE``: the lesson the class takes (a teacher's own file may live anywhere).
LESSON_ENV = "STP_LESSON"
#: The teacher's page (a Voilà app with a kernel); students use the kernel-less class page.
TEACHER_PAGE = "teaching/teacher.ipynb"
#: A CLD link written as text: ``source -> target (+)``, ``(-)``, or with ``delayed`` after it.
LINK_PATTERN = r"\s*(?P<source>.+?)\s*->\s*(?P<target>.+?)\s*\((?P<polarity>[^)]*)\)\s*(?P<delay>delayed)?\s*"
NAME = r"[a-z0-9][a-z0-9-]{0,40}"

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RunPart(BaseModel):
    """A line chart of a teaching model's run, whole or up to where it first reaches a share of its end value."""

    model_config = _STRICT
    model: str = Field(description="a teaching model in data/models, e.g. population_limits")
    variable: str | None = Field(None, description="the variable to draw (default: the model's first stock)")
    until_share: float | None = Field(None, gt=0, le=1, description="a number above 0 and at most 1, e.g. 0.15: "
                                      "show the run until the variable first reaches this share of its end value")
    title: str = Field(min_length=1, max_length=90, description="the chart's title (it may use {until} for the cut time)")
    y_title: str = Field("Value", min_length=1, max_length=60, description="the vertical axis title with units")

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        known = sorted(p.stem for p in (paths.DATA_DIR / "models").glob("*.mdl"))
        if value not in known:
            raise ValueError(f"{value!r} is not a teaching model; use one of {', '.join(known)}")
        return value


class CldPart(BaseModel):
    """A causal loop diagram drawn from links written as ``source -> target (+)``."""

    model_config = _STRICT
    links: list[str] = Field(min_length=1, max_length=40,
                             description="one link per item, e.g. 'births -> population (+)'; add 'delayed' after it")
    highlight: str | None = Field(None, pattern=r"^[RB][0-9]{1,2}$", description="a loop id such as R1 or B1")
    title: str = Field(min_length=1, max_length=120, description="what the diagram shows, in a sentence")

    @field_validator("links")
    @classmethod
    def _readable_links(cls, value: list[str]) -> list[str]:
        for i, link in enumerate(value):
            found = re.fullmatch(LINK_PATTERN, link)
            if not found:
                raise ValueError(f"link {i + 1} ({link!r}) is not written as 'source -> target (+)'")
            if normalise_polarity(found["polarity"]) is None:
                raise ValueError(f"link {i + 1} ({link!r}) has no polarity: write (+), (-) or (?) after it")
        return value

    def tuples(self) -> list[tuple[str, str, str, bool]]:
        """The links as ``(source, target, polarity, delayed)``."""
        out = []
        for link in self.links:
            found = re.fullmatch(LINK_PATTERN, link)
            assert found is not None  # checked on load
            out.append((found["source"], found["target"], found["polarity"], bool(found["delay"])))
        return out


class TablePart(BaseModel):
    """A small table: column names and rows of text."""

    model_config = _STRICT
    columns: list[str] = Field(min_length=1, max_length=8, description="the column names")
    rows: list[list[str]] = Field(min_length=1, max_length=30, description="rows with one text per column")

    @model_validator(mode="after")
    def _rows_fit(self) -> TablePart:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {i + 1} has {len(row)} cells but there are {len(self.columns)} columns")
        return self


class Part(BaseModel):
    """One thing a stage shows: exactly one of ``text``, ``run``, ``cld`` or ``table``."""

    model_config = _STRICT
    text: str | None = Field(None, max_length=2000, description="a paragraph; **bold** is kept, nothing else is markup")
    run: RunPart | None = Field(None, description="a model run: model, title, y_title, until_share")
    cld: CldPart | None = Field(None, description="a causal loop diagram: title and links")
    table: TablePart | None = Field(None, description="a table: columns and rows with one text per column")

    @model_validator(mode="after")
    def _one_kind(self) -> Part:
        given = [k for k in ("text", "run", "cld", "table") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("each item under 'show' needs exactly one of text, run, cld or table"
                             + (f" (found {', '.join(given)})" if given else ""))
        return self

    @property
    def kind(self) -> Literal["text", "run", "cld", "table"]:
        return next(k for k in ("text", "run", "cld", "table") if getattr(self, k) is not None)  # type: ignore[return-value]


class Question(BaseModel):
    """The class question of a stage: answers are anonymous and close when the teacher moves on."""

    model_config = _STRICT
    id: str = Field(pattern=f"^{NAME}$", description="lowercase letters, digits and hyphens, e.g. behaviour-mode")
    prompt: str = Field(min_length=3, max_length=200, description="the question as students read it")
    options: list[str] = Field(min_length=2, max_length=8, description="2 to 8 different answers to choose from")
    answer: str | None = Field(None, description="the expected answer (one of the options), shown to the teacher")

    @field_validator("options")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if any(not o or len(o) > 80 for o in value):
            raise ValueError("every option needs 1 to 80 characters")
        if len(set(value)) != len(value):
            raise ValueError("two options are the same")
        return value

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Question:
        if self.answer is not None and self.answer not in self.options:
            raise ValueError(f"the answer {self.answer!r} is not one of the options")
        return self


class Stage(BaseModel):
    """One step of the lesson, revealed on every student's screen when the teacher reaches it."""

    model_config = _STRICT
    title: str = Field(min_length=1, max_length=80, description="a short name for the stage, e.g. 'Predict'")
    show: list[Part] = Field(default_factory=list, max_length=10, description="the parts the stage shows")
    question: Question | None = Field(None, description="id, prompt, options and (optionally) answer")

    @model_validator(mode="after")
    def _something(self) -> Stage:
        if not self.show and self.question is None:
            raise ValueError("a stage needs something to show or a question")
        return self


class Lesson(BaseModel):
    """A class lesson: its title, the app it leads to, and its stages in order."""

    model_config = _STRICT
    name: str = Field("", description="set from the file name")
    title: str = Field(min_length=3, max_length=90, description="the lesson's title as students see it")
    summary: str = Field("", max_length=600, description="one or two sentences for the teacher")
    app: str | None = Field(None, description="a workbook notebook the class opens after the lesson, "
                                              "e.g. methods/stock_flow.ipynb")
    stages: list[Stage] = Field(min_length=1, max_length=20, description="the stages in order (at least one)")
    references: list[str] = Field(default_factory=list, description="the literature the lesson cites")

    @field_validator("app")
    @classmethod
    def _known_app(cls, value: str | None) -> str | None:
        if value is not None and (value.startswith(("/", ".")) or ".." in value
                                  or not (paths.NOTEBOOKS_DIR / value).is_file() or not value.endswith(".ipynb")):
            raise ValueError(f"{value!r} is not a notebook of the workbook")
        return value

    @model_validator(mode="after")
    def _questions_distinct(self) -> Lesson:
        ids = [s.question.id for s in self.stages if s.question is not None]
        if len(set(ids)) != len(ids):
            raise ValueError("two stages ask questions with the same id")
        return self

    def question_stages(self) -> dict[str, int]:
        """Each question's id and the stage (from 1) at which it is open."""
        return {s.question.id: i for i, s in enumerate(self.stages, start=1) if s.question is not None}


def lesson_path(name_or_path: str | Path) -> Path:
    """The file of a shipped lesson (by name, e.g. ``"cld-loops"``) or of a teacher's lesson (a path)."""
    text = str(name_or_path)
    if re.fullmatch(NAME, text):
        found = LESSONS_DIR / f"{text}.yaml"
        if not found.is_file():
            names = ", ".join(shipped_lessons())
            raise StpError(f"There is no lesson called {text!r}.", fix=f"Use one of {names}, or give a file's path.")
        return found
    return Path(text)


def served_lesson() -> Path | None:
    """The lesson file the server was started with (``stp serve --lesson FILE`` sets ``STP_LESSON``)."""
    given = os.environ.get(LESSON_ENV, "").strip()
    if not given:
        return None
    path = Path(given)
    if not path.is_file() and re.fullmatch(NAME, path.name):  # a shipped lesson named, not a file
        return lesson_path(path.name)
    return path


def current_lesson(default: str) -> str:
    """The lesson the teacher's page drives: the served lesson's file if there is one, else ``default``.

    >>> current_lesson("behaviour-mode") if "STP_LESSON" not in os.environ else "behaviour-mode"
    'behaviour-mode'
    """
    served = served_lesson()
    return str(served) if served is not None else default


def shipped_lessons() -> list[str]:
    """The names of the lessons the workbook ships."""
    return sorted(p.stem for p in LESSONS_DIR.glob("*.yaml"))


def _fix_for(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The description of the field at ``loc`` (walking nested models and lists)."""
    current: Any = model
    fix = None
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return fix
        fix = f"Expected: {field.description}." if field.description else fix
        annotation = field.annotation
        args = getattr(annotation, "__args__", ()) or ()
        nested = [a for a in (annotation, *args, *(getattr(x, "__args__", ()) for x in args)) if isinstance(a, type)]
        flat = [a for a in nested if issubclass(a, BaseModel)]
        inner = [a for a in args if hasattr(a, "__args__")]
        flat += [b for a in inner for b in a.__args__ if isinstance(b, type) and issubclass(b, BaseModel)]
        current = flat[0] if flat else None
    return fix


def _sentence(problem: str) -> str:
    text = problem.removeprefix("Value error, ")
    return text[:1].upper() + text[1:]


def _fix(error: Any) -> str | None:
    """The fix for one validation error: the field's expected value, or the fields allowed there."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        owner = _model_at(Lesson, loc[:-1])
        allowed = ", ".join(k for k in owner.model_fields if k != "name") if owner else ""
        return f"Remove it or check its spelling; the fields here are: {allowed}." if allowed else None
    return _fix_for(Lesson, loc)


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(str(part)) if current else None
        if field is None:
            return None
        candidates = [field.annotation, *getattr(field.annotation, "__args__", ())]
        candidates += [b for a in candidates for b in getattr(a, "__args__", ())]
        found = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        current = found[0] if found else None
    return current


def load_lesson(name_or_path: str | Path) -> Lesson:
    """Read and check a lesson file.

    Raises
    ------
    CaseFileError
        Every problem, each with the file, line, field and a fix.
    StpError
        No such shipped lesson.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "week-3.yaml"
    >>> _ = bad.write_text("title: Loops\\nstages:\\n  - title: Guess\\n    question: {id: q1, prompt: Which one, options: [R]}\\n")
    >>> load_lesson(bad)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: .../week-3.yaml, line 4, column "stages[0].question.options": ...
    """
    path = lesson_path(name_or_path)
    name = path.stem
    where = paths.relative(path)
    if not re.fullmatch(NAME, name):
        raise CaseFileError([Problem(where, f"The file name {path.name!r} is not a usable lesson name.",
                                     fix="Name it with lowercase letters, digits and hyphens, e.g. week-3.yaml.")])
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise CaseFileError([Problem(where, "The file should hold 'key: value' fields at the top level.", line=1,
                                     fix="Start from a lesson in data/lessons/.")])
    if "name" in data:
        raise CaseFileError([Problem(where, "The lesson's name comes from its file name.", column="name",
                                     line=lines.get(("name",)), fix="Remove the 'name' field.")])
    try:
        return Lesson.model_validate({**data, "name": name})
    except ValidationError as err:
        problems = problems_from(err, path, Lesson, lines=lines)
        fixed = [Problem(p.path, _sentence(p.problem), column=p.column, line=p.line, fix=_fix(e) or p.fix)
                 for p, e in zip(problems, err.errors())]
        raise CaseFileError(fixed) from err


def lesson_notebooks(path: str | Path) -> list[str]:
    """The notebooks (below ``notebooks/``) every student of a lesson opens, for ``stp serve --lesson`` to preheat.

    That is the lesson's ``app``, if it names one.  The class page needs no
    kernel, so it is not listed; nor is the teacher's page
    (:data:`TEACHER_PAGE`), which needs one kernel, not one per student.

    Raises
    ------
    CaseFileError
        The lesson file has problems (each with its line, field and fix).
    """
    lesson = load_lesson(path)
    return [lesson.app] if lesson.app else []


def _digest(path: Path, lesson: Lesson) -> str:
    """What the drawn parts depend on: the lesson file, its models and the drawing libraries' versions."""
    h = hashlib.sha256(path.read_bytes())
    for stage in lesson.stages:
        for part in stage.show:
            if part.run is not None:
                h.update((paths.DATA_DIR / "models" / f"{part.run.model}.mdl").read_bytes())
    for package in ("stp-workbook", "pysd", "altair", "vl-convert-python"):
        h.update(version(package).encode())
    return h.hexdigest()[:16]


def stage_parts(name_or_path: str | Path, timeout: float = 300) -> list[list[str]]:
    """Every stage's parts as HTML (escaped text, inline SVG charts), drawn once per lesson file.

    The drawing runs in a child process (:mod:`stp_helpers.classroom.render`)
    and is kept in the workbook's cache, so neither the server nor a page's
    kernel loads PySD, Altair or vl-convert for it.

    Raises
    ------
    StpError
        The lesson could not be drawn (the child's last message is given).
    """
    path = lesson_path(name_or_path)
    lesson = load_lesson(path)
    cached = paths.cache_dir("lessons") / f"{lesson.name}-{_digest(path, lesson)}.json"
    try:
        return [list(map(str, stage)) for stage in json.loads(cached.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    done = subprocess.run([sys.executable, "-m", "stp_helpers.classroom.render", str(path), str(cached)],
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StpError(f"The lesson {lesson.name!r} could not be drawn: {last}",
                       fix="Run 'python -m stp_helpers.classroom.render LESSON.yaml out.json' to see why.")
    return [list(map(str, stage)) for stage in json.loads(cached.read_text(encoding="utf-8"))]


def lesson_plan(name_or_path: str | Path) -> HTML:
    """The lesson's steps for the teacher: each stage, its question and the expected answer (all escaped)."""
    lesson = load_lesson(name_or_path)
    rows, lines = [], [lesson.title]
    for number, stage in enumerate(lesson.stages, start=1):
        question = stage.question
        asks = "" if question is None else f"{question.prompt} ({len(question.options)} options"
        asks += "" if question is None or question.answer is None else f"; expected: {question.answer}"
        asks += ")" if question is not None else ""
        rows.append(f"<li><b>Stage {number}: {html.escape(stage.title)}.</b> {html.escape(asks)}</li>")
        lines.append(f"{number}. {stage.title}." + (f" {asks}" if asks else ""))
    summary = f"<p>{html.escape(lesson.summary)}</p>" if lesson.summary else ""
    body = (f"<p><b>{html.escape(lesson.title)}</b></p>{summary}<ol class='stp-plan'>{''.join(rows)}</ol>"
            "<p>Students' answers to a stage's question close when you move on; <i>New lesson</i> archives the "
            "answers and starts again at stage 1.</p>")
    return HTML(body, "\n".join(lines))
