"""Find, load, check and save a case folder.

A case is a folder ``<slug>/`` holding ``case.yaml`` (title, organisation,
sources with citations, dates, summary, facts and the list of artefacts) and
one plain, diffable file per artefact (``cld.csv``, ``model.mdl``,
``scenarios.yaml`` …).  Shipped cases (``data/cases``) are read-only; a
practitioner's own cases live in ``STP_DATA`` (see :mod:`stp_helpers.paths`).

Saving is atomic (temporary file, then ``os.replace``) and never overwrites
an existing file unless ``overwrite=True``.

Examples
--------
>>> case = load("wiltshire-complex-needs")
>>> case.meta.title
'Wiltshire: complex needs across agencies'
>>> case.read_only
True
>>> "agency_contacts.csv" in case.meta.artefact_files()
True
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stp_helpers import paths
from stp_helpers.io.atomic import leftover_temp_files, umask, write_error
from stp_helpers.io.contacts import AgencyContact, read_agency_contacts
from stp_helpers.io.saving import is_shipped, save_text, save_texts
from stp_helpers.errors import CaseExistsError, CaseFileError, CaseNotFoundError, Problem, StpError
from stp_helpers.io.sniff import check_content
from stp_helpers.io.tables import read_yaml_model, load_yaml

__all__ = [
    "Source",
    "Fact",
    "Artefact",
    "CaseMeta",
    "Case",
    "AgencyContact",
    "read_agency_contacts",
    "ARTEFACT_KINDS",
    "SLUG_PATTERN",
    "find",
    "load",
    "list_cases",
    "check",
    "save_text",
    "save_texts",
    "new_case",
]

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"  # use with re.fullmatch: a trailing newline is not part of a name
CASE_FILE = "case.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(_Strict):
    """A cited source: every fact in a case names one."""

    id: str = Field(min_length=1, description="a short id facts refer to, e.g. seed-000")
    title: str = Field(min_length=1, description="the title of the document or talk")
    author: str | None = Field(None, description="person or organisation")
    date: dt.date | None = Field(None, description="publication date, YYYY-MM-DD")
    publisher: str | None = None
    url: str | None = None
    file: str | None = Field(None, description="where a copy lives, relative to the project")
    licence: str | None = None


class Fact(_Strict):
    """One fact stated by a source, with its number when it has one."""

    id: str = Field(min_length=1)
    statement: str = Field(min_length=1, description="the fact in a sentence")
    value: float | None = Field(None, description="the number the fact states, if any")
    unit: str | None = Field(None, description="unit of the value, e.g. '% of council budget'")
    source: str = Field(min_length=1, description="the id of one of the case's sources")


class Artefact(_Strict):
    """One artefact file of the case."""

    file: str = Field(min_length=1, description="a file name in the case folder, e.g. cld.csv")
    description: str | None = None
    source: str | None = Field(None, description="the id of a source, if the artefact rests on one")
    synthetic: bool = Field(False, description="true when the data are made up for teaching")


class CaseMeta(_Strict):
    """The contents of ``case.yaml``."""

    slug: str = Field(pattern=f"^{SLUG_PATTERN}$", description="lowercase words joined by hyphens")  # Rust regex: $ ends the text
    title: str = Field(min_length=1, description="a short title")
    organisation: str = Field(min_length=1, description="who owns the situation")
    summary: str = Field(min_length=1, description="a paragraph on the situation")
    created: dt.date | None = Field(None, description="date the case folder was made, YYYY-MM-DD")
    period: str | None = Field(None, description="the period the case covers, e.g. '2005-2019'")
    sources: list[Source] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    synopsis: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    artefacts: list[Artefact] = Field(default_factory=list)

    @field_validator("artefacts")
    @classmethod
    def _known_unique(cls, value: list[Artefact]) -> list[Artefact]:
        seen: set[str] = set()
        for item in value:
            if item.file in seen:
                raise ValueError(f"{item.file!r} is listed twice")
            seen.add(item.file)
        return value

    @model_validator(mode="after")
    def _sources_exist(self) -> CaseMeta:
        ids = {s.id for s in self.sources}
        missing = sorted({f.source for f in self.facts if f.source not in ids}
                         | {a.source for a in self.artefacts if a.source and a.source not in ids})
        if missing:
            raise ValueError(f"source id(s) {', '.join(missing)} are not among the case's sources "
                             f"({', '.join(sorted(ids)) or 'none'})")
        return self

    def artefact_files(self) -> list[str]:
        """Return the artefact file names, in the order listed."""
        return [a.file for a in self.artefacts]

    def source(self, source_id: str) -> Source:
        """Return the source with this id."""
        for item in self.sources:
            if item.id == source_id:
                return item
        raise KeyError(source_id)


@dataclass(frozen=True)
class ArtefactKind:
    """What the workbook knows about an artefact file name."""

    description: str
    reader: str | None = None  # "module:function" taking a Path, raising CaseFileError
    check: str | None = None  # the same, for `stp check-case` when reading would run code


#: Every artefact file name the workbook knows, with its reader.
ARTEFACT_KINDS: dict[str, ArtefactKind] = {
    "agency_contacts.csv": ArtefactKind("contacts with each agency", "stp_helpers.io.contacts:read_agency_contacts"),
    "cld.csv": ArtefactKind("causal loop diagram links (from, to, polarity, delay)",
                            "stp_helpers.io.cld_csv:read_case_cld"),
    "cld_variables.csv": ArtefactKind("causal loop diagram variables (id, label, description)"),
    "model.mdl": ArtefactKind("stock-and-flow model (Vensim)", "stp_helpers.sd:load_model",
                               "stp_helpers.sd:check_model"),
    "model.xmile": ArtefactKind("stock-and-flow model (XMILE)", "stp_helpers.sd:load_model",
                                 "stp_helpers.sd:check_model"),
    "scenarios.yaml": ArtefactKind("named scenarios and their parameters", "stp_helpers.sd:load_scenarios"),
    "model_passage.yaml": ArtefactKind("a paragraph of case text describing the model, and the variables it names",
                                       "stp_helpers.io.model_passage:read_model_passage"),
    "reference.csv": ArtefactKind("observed data for reference modes"),
    "ssm.yaml": ArtefactKind("soft systems records: rich picture, CATWOE, root definitions",
                             "stp_helpers.ssm.records:read_ssm"),
    "rich_picture.png": ArtefactKind("rich picture image"),
    "rich_picture.jpg": ArtefactKind("rich picture image"),
    "rich_picture.svg": ArtefactKind("rich picture image"),
    "vsm.yaml": ArtefactKind("viable system model description", "stp_helpers.vsm.files:read_vsm"),
    "stakeholders.csv": ArtefactKind("stakeholder register", "stp_helpers.stakeholders.register:read_stakeholders"),
    "stakeholder_links.csv": ArtefactKind("influence links between stakeholders",
                                          "stp_helpers.stakeholders.register:read_stakeholder_links"),
    "csh.yaml": ArtefactKind("critical systems heuristics answers", "stp_helpers.stakeholders.csh:read_csh"),
    "engagement.yaml": ArtefactKind("engagement plan and workshops", "stp_helpers.stakeholders.engagement:read_engagement"),
    "ethics.yaml": ArtefactKind("value conflicts and ethics checklist", "stp_helpers.stakeholders.ethics:read_ethics"),
    "drivers.csv": ArtefactKind("drivers of change with impact and uncertainty", "stp_helpers.futures.scenarios:read_drivers"),
    "futures.yaml": ArtefactKind("scenario structures: 2x2, tree, three horizons", "stp_helpers.futures.scenarios:read_futures"),
    "options.csv": ArtefactKind("intervention options and criteria scores", "stp_helpers.futures.options:read_options"),
    "logic_model.yaml": ArtefactKind("logic model / theory of change", "stp_helpers.evaluation.logic_model:read_logic_model"),
    "indicators.csv": ArtefactKind("indicator time series", "stp_helpers.evaluation.spc:read_indicators"),
    "demand.csv": ArtefactKind("classified demand records (failure / value)", "stp_helpers.evaluation.spc:read_demand"),
    "contribution.yaml": ArtefactKind("contribution analysis record", "stp_helpers.evaluation.contribution:read_contribution"),
    "scoping.yaml": ArtefactKind("scoping statement agreed with decision-makers (duty 1)",
                                 "stp_helpers.practice.scoping:read_scoping"),
    "information_plan.csv": ArtefactKind("information plan: needs, sources, owners, quality and gaps (duty 2)",
                                         "stp_helpers.practice.information:read_information_plan"),
    "vision.yaml": ArtefactKind("vision of success, for whom and by when (duty 10)", "stp_helpers.practice.vision:read_vision"),
    "communication_plan.csv": ArtefactKind("communication plan: audience, message, channel, model and translation (duty 10)",
                                           "stp_helpers.practice.vision:read_communication_plan"),
    "iteration_log.csv": ArtefactKind("iteration log: approach, co-developers, what changed and why (duty 3)",
                                      "stp_helpers.practice.iteration:read_iteration_log"),
    "findings.csv": ArtefactKind("engagement findings: finding, theme, stakeholder, source and implication (duty 6)",
                                 "stp_helpers.practice.findings:read_findings"),
    "strategy_assessment.yaml": ArtefactKind("assessment of the current strategy against the structure (duty 7)",
                                             "stp_helpers.practice.strategy:read_strategy"),
}


def _resolve_reader(spec: str) -> Callable[[Path], Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def register_reader(file_name: str, reader: str) -> None:
    """Attach a reader (``"module:function"``) to a known artefact file name."""
    kind = ARTEFACT_KINDS[file_name]
    ARTEFACT_KINDS[file_name] = ArtefactKind(kind.description, reader)


@dataclass(frozen=True)
class Case:
    """A loaded, validated case folder.

    Attributes
    ----------
    path : Path
        The folder.
    meta : CaseMeta
        The validated ``case.yaml``.
    read_only : bool
        True for cases shipped with the workbook.
    """

    path: Path
    meta: CaseMeta
    read_only: bool

    @property
    def slug(self) -> str:
        return self.meta.slug

    def has(self, file_name: str) -> bool:
        """Return True when the case lists this artefact."""
        return file_name in self.meta.artefact_files()

    def is_untouched_template(self, file_name: str) -> bool:
        """Return True when a listed artefact is still the template ``stp new-case`` wrote, byte for byte."""
        template = paths.TEMPLATES_DIR / "case" / file_name
        if not (self.has(file_name) and template.is_file()):
            return False
        try:
            return self.artefact_path(file_name).read_bytes() == template.read_bytes()
        except OSError:
            return False

    def artefact_path(self, file_name: str) -> Path:
        """Return the path of a listed artefact.

        Raises
        ------
        CaseFileError
            When the case does not list it.
        """
        if not self.has(file_name):
            raise CaseFileError([Problem(
                paths.relative(self.path / CASE_FILE), f"This case has no {file_name}.",
                column="artefacts", fix=f"Add the file and list it under 'artefacts:' in {CASE_FILE}.")])
        return self.path / file_name

    def read(self, file_name: str) -> Any:
        """Read and validate a listed artefact with its registered reader."""
        kind = ARTEFACT_KINDS[file_name]
        if kind.reader is None:
            raise StpError(f"The workbook has no reader for {file_name} yet.")
        return _resolve_reader(kind.reader)(self.artefact_path(file_name))

    def cite(self, source_id: str) -> str:
        """Return a one-line citation of a source, e.g. for a chart subtitle."""
        src = self.meta.source(source_id)
        bits = [src.author, f"({src.date.year})" if src.date else None, src.title]
        return " ".join(b for b in bits if b)


def find(slug_or_path: str | os.PathLike[str]) -> Path:
    """Return the folder of a case given its slug or its path.

    The user's own cases (``STP_DATA``) are searched before shipped ones.

    Raises
    ------
    CaseNotFoundError
        When no such case exists; the message lists the cases there are.
    """
    text = os.fspath(slug_or_path)
    candidate = Path(text).expanduser()
    if candidate.is_dir() and (candidate / CASE_FILE).exists():
        return candidate.resolve()
    if re.fullmatch(SLUG_PATTERN, text):
        for root in paths.case_search_path():
            if (root / text / CASE_FILE).exists():
                return (root / text).resolve()
    known = ", ".join(list_cases()) or "none"
    raise CaseNotFoundError(f"There is no case {text!r}.",
                            fix=f"Known cases: {known}. Make a new one with 'stp new-case {text}'.")


def list_cases() -> list[str]:
    """Return the slugs of every case found, the user's own first."""
    slugs: list[str] = []
    for root in paths.case_search_path():
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / CASE_FILE).exists() and folder.name not in slugs:
                    slugs.append(folder.name)
    return slugs


def load(slug_or_path: str | os.PathLike[str]) -> Case:
    """Load and validate a case's ``case.yaml``.

    Parameters
    ----------
    slug_or_path : str or path
        A slug such as ``"wiltshire-complex-needs"`` or a folder.

    Returns
    -------
    Case

    Raises
    ------
    CaseNotFoundError, CaseFileError
    """
    folder = find(slug_or_path)
    meta = read_yaml_model(folder / CASE_FILE, CaseMeta)
    if meta.slug != folder.name:
        raise CaseFileError([Problem(paths.relative(folder / CASE_FILE),
                                     f"The slug {meta.slug!r} differs from the folder name {folder.name!r}.",
                                     column="slug", fix=f"Set 'slug: {folder.name}'.")])
    return Case(path=folder, meta=meta, read_only=is_shipped(folder))


def check(folder: str | os.PathLike[str]) -> list[Problem]:
    """Check every file of a case folder; return all problems (empty when fine).

    Reads only; never writes.  Checks ``case.yaml`` against its schema, that
    each listed artefact is a file the workbook knows, exists, is not empty and
    holds what its name says (text, CSV, a whole image), and validates it with
    its reader where one is registered.
    """
    folder = Path(folder)
    if not (folder / CASE_FILE).exists():
        return [Problem(paths.relative(folder), f"There is no {CASE_FILE} in this folder.",
                        fix="Point at a case folder, or make one with 'stp new-case SLUG'.")]
    problems: list[Problem] = []
    try:
        raw, lines = load_yaml(folder / CASE_FILE)
    except CaseFileError as err:
        return err.problems
    try:
        artefacts = read_yaml_model(folder / CASE_FILE, CaseMeta).artefacts
    except CaseFileError as err:
        problems.extend(err.problems)
        artefacts = _artefacts_of(raw)
    yaml_path = paths.relative(folder / CASE_FILE)
    misnamed: dict[str, Problem] = {}  # files that are not what their name says, and why
    for index, artefact in enumerate(artefacts):
        line = lines.get(("artefacts", index, "file"))
        kind = ARTEFACT_KINDS.get(artefact.file)
        if kind is None:
            close = [k for k in ARTEFACT_KINDS if k.split(".")[0] in artefact.file or artefact.file.split(".")[0] in k]
            hint = f" Did you mean {close[0]}?" if close else ""
            problems.append(Problem(yaml_path, f"{artefact.file!r} is not an artefact the workbook knows.",
                                    column=f"artefacts[{index}].file", line=line,
                                    fix=f"Use one of: {', '.join(sorted(ARTEFACT_KINDS))}.{hint}"))
            continue
        target = folder / artefact.file
        if not target.exists():
            problems.append(Problem(yaml_path, f"{artefact.file} is listed but the file does not exist.",
                                    column=f"artefacts[{index}].file", line=line,
                                    fix="Add the file, or remove it from the list."))
            continue
        content = check_content(target)  # a spreadsheet saved as .csv, a web page as .png ...
        if content:
            problems.extend(content)
            misnamed.update((p.path, p) for p in content)
        elif kind.reader is not None:
            try:
                _resolve_reader(kind.check or kind.reader)(target)
            except CaseFileError as err:
                problems.extend(err.problems)
            except StpError as err:
                problems.append(_problem_of(target, err))
        elif target.stat().st_size == 0:
            problems.append(Problem(paths.relative(target), "The file is empty.",
                                    fix="Fill it in, or remove it from the case's artefacts."))
    # a reader of another file (cld.csv reads cld_variables.csv) need not say it again
    problems = [p for p in problems if p.path not in misnamed or p is misnamed[p.path]]
    listed = {a.file for a in artefacts} | {CASE_FILE}
    for leftover in leftover_temp_files(folder):
        problems.append(Problem(paths.relative(leftover), "A save that was interrupted left this temporary file.",
                                fix="Delete it; the next save into this folder removes it too."))
    for extra in sorted(p.name for p in folder.iterdir() if p.is_file()):
        if extra in ARTEFACT_KINDS and extra not in listed:
            problems.append(Problem(paths.relative(folder / extra), "The file is not listed in case.yaml.",
                                    fix=f"Add '- file: {extra}' under 'artefacts:' so notebooks use it."))
    return problems


def _problem_of(target: Path, err: StpError) -> Problem:
    """Return a Problem for ``err`` on ``target``, without repeating a path the message starts with."""
    name, text = paths.relative(target), str(err)
    for prefix in dict.fromkeys((name, paths.relative(target.resolve()), str(target), str(target.resolve()))):
        rest = text[len(prefix):] if text.startswith(prefix) else None
        if rest is None:
            continue
        at_line = re.match(r", line (\d+): ", rest)
        if at_line:
            return Problem(name, rest[at_line.end():], line=int(at_line.group(1)))
        if rest.startswith(": "):
            return Problem(name, rest[2:])
    return Problem(name, text)


def _artefacts_of(raw: Any) -> list[Artefact]:
    """Return the artefacts of a raw case.yaml that are valid on their own."""
    items = raw.get("artefacts") if isinstance(raw, dict) else None
    out = []
    for item in items if isinstance(items, list) else []:
        try:
            out.append(Artefact.model_validate(item))
        except ValueError:
            continue
    return out


def new_case(slug: str, *, template: str | None = None, root: str | os.PathLike[str] | None = None) -> Path:
    """Create a case folder from the blank template or from another case.

    Parameters
    ----------
    slug : str
        Lowercase words joined by hyphens.
    template : str, optional
        A case to copy (slug or folder); default the blank template with guidance.
    root : path, optional
        Where to create it (default ``STP_DATA``, else the current folder's ``cases/``).

    Returns
    -------
    Path
        The new folder.

    Raises
    ------
    CaseExistsError
        When the folder exists already; nothing is overwritten.
    """
    if not isinstance(slug, str) or not re.fullmatch(SLUG_PATTERN, slug):
        raise StpError(f"{slug!r} is not a valid case name.",
                       fix="Use lowercase letters, digits and hyphens, e.g. 'plymouth-alliance'.")
    base = Path(root) if root is not None else (paths.user_cases_dir() or Path.cwd() / "cases")
    target = base / slug
    if is_shipped(base) or is_shipped(target):
        raise CaseExistsError(f"{paths.relative(base)} holds the cases shipped with the workbook, which stay unchanged.",
                              fix="Make your case in your own folder, e.g. '--dir cases' or with STP_DATA set.")
    if target.exists():
        raise CaseExistsError(f"{paths.relative(target)} already exists.",
                              fix="Choose another name; the existing case is left as it is.")
    source = paths.TEMPLATES_DIR / "case" if template is None else find(template)
    try:
        base.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{slug}.", dir=base))
    except OSError as err:
        raise write_error(target, err) from err
    try:
        os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes it 0700; a case folder follows the umask
        for item in source.iterdir():
            if item.is_file() and not item.name.startswith("."):
                shutil.copyfile(item, staging / item.name)  # new files: the umask's mode, not the source's
        yaml_path = staging / CASE_FILE
        text = yaml_path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^slug:.*$", f"slug: {slug}", text, count=1)
        today = dt.date.today().isoformat()
        if re.search(r"(?m)^created:", text):
            text = re.sub(r"(?m)^created:.*$", f"created: {today}", text, count=1)
        text = text.replace("{{SLUG}}", slug).replace("{{TODAY}}", today)
        yaml_path.write_text(text, encoding="utf-8")
        os.replace(staging, target)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, OSError):
            raise write_error(target, err) from err
        raise
    return target
