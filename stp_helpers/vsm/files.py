"""Reading and writing a VSM description: vsm.yaml in, a validated description out, with every problem named by file, line and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any
import os

from pydantic import ValidationError
import yaml

from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.parse import parse_yaml
from stp_helpers.io.tables import load_yaml, problems_from
from stp_helpers.paths import relative
from stp_helpers.vsm.model import VsmDescription, location_text, reference_problems

__all__ = [
    "from_case",
    "parse_vsm",
    "read_vsm",
    "vsm_yaml",
]


def _parse(data: Any, lines: dict[tuple[Any, ...], int], path: Path) -> VsmDescription:
    name = relative(path)
    if not isinstance(data, dict):
        raise CaseFileError([Problem(name, "The file should hold 'key: value' fields at the top level.",
                                     line=1, fix="Start with 'title:', 'focus:' and 'systems:'.")])
    try:
        desc = VsmDescription.model_validate(data)
    except ValidationError as err:
        problems = problems_from(err, path, VsmDescription, lines=lines)
        raise CaseFileError([_name_field(p) for p in problems]) from err
    found = list(reference_problems(desc))
    if found:
        problems = []
        for loc, problem, fix in found:
            key = tuple(p if isinstance(p, int) else str(p) for p in loc)
            line = next((lines[key[:cut]] for cut in range(len(key), -1, -1) if key[:cut] in lines), None)
            problems.append(Problem(name, problem, column=location_text(loc), line=line, fix=fix))
        raise CaseFileError(problems)
    return desc


def _name_field(problem: Problem) -> Problem:
    """Give missing names and ids a fix that says what to write."""
    column = problem.column or ""
    if column.endswith(".name") and problem.fix is None:
        return Problem(problem.path, problem.problem.replace("A value is required here.",
                                                            "Every unit, body and system needs a name."),
                       column=column, line=problem.line, fix="Add 'name: ...' with a few words.")
    return problem


def read_vsm(path: str | os.PathLike[str]) -> VsmDescription:
    """Read and validate a ``vsm.yaml`` file.

    Parameters
    ----------
    path : path
        The file.

    Returns
    -------
    VsmDescription

    Raises
    ------
    CaseFileError
        Every problem found, each with the file, YAML line, field and fix: a
        unit with no name, a channel to a unit that does not exist, recursion
        that loops back on itself, more than :data:`MAX_UNITS` units.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "vsm.yaml"
    >>> _ = path.write_text("title: T\\nfocus: t\\nsystems:\\n  - id: t\\n    name: T\\n"
    ...                     "    units:\\n      - id: a\\n")
    >>> read_vsm(path)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: ...vsm.yaml, line 7, column "systems[0].units[0].name": Every unit, body and system needs a name. Add 'name: ...' with a few words.
    """
    path = Path(path)
    data, lines = load_yaml(path)
    return _parse(data, lines, path)


def parse_vsm(text: str, name: str = "vsm.yaml") -> VsmDescription:
    """Read a description from YAML text (as typed in an app or a notebook).

    Raises
    ------
    CaseFileError
        As :func:`read_vsm`; the file name in messages is ``name``.
    """
    data, lines = parse_yaml(text, name)
    return _parse(data, lines, Path(name))


def vsm_yaml(desc: VsmDescription) -> str:
    """Return the description as YAML text (the format of ``vsm.yaml``).

    Empty and default fields are left out, so the file stays short; reading
    the text back gives an equal description.

    Examples
    --------
    >>> from stp_helpers.vsm import build_description
    >>> desc = build_description("T", [("a", "A", "e")])
    >>> parse_vsm(vsm_yaml(desc)) == desc
    True
    """
    data = desc.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def from_case(case_or_slug: Any) -> VsmDescription:
    """Read a case's ``vsm.yaml`` (case given as a slug, folder or loaded Case)."""
    from stp_helpers import case as cases

    loaded = case_or_slug if isinstance(case_or_slug, cases.Case) else cases.load(case_or_slug)
    return read_vsm(loaded.artefact_path("vsm.yaml"))
