"""The workbook's guides: the glossary, the reading list and a suggested path by duty and month.

The glossary is one data file (``data/glossary.yaml``); notebooks link a
term where it first appears with :func:`term_link`.  The reading list is built
from every catalogue notebook's ``## References`` section, and the path
(``data/learning_path.yaml``) reads each notebook's "Time to learn".
:func:`write_guides` writes all three as Markdown next to the notebooks.

Examples
--------
>>> glossary_entry("Double-loop learning").source
'Argyris & Schön (1978)'
>>> term_link("emergence", "foundations/concepts_and_schools.ipynb")
'[emergence](../glossary.md#emergence)'
>>> minutes_to_learn("**Time to learn:** 1 hour 30 minutes")
90
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from stp_helpers import catalogue, paths
from stp_helpers.display import Markdown
from stp_helpers.errors import StpError
from stp_helpers.io.atomic import write_atomic
from stp_helpers.io.tables import read_yaml_model

__all__ = ["Term", "glossary", "glossary_entry", "anchor", "term_link", "glossary_markdown", "references_of",
           "reading_list", "reading_list_markdown", "reference_key", "minutes_to_learn", "learning_path", "learning_path_markdown",
           "write_guides", "GUIDE_FILES", "path_note"]

#: The guide files written next to the notebooks, by name.
GUIDE_FILES = {"glossary": "glossary.md", "reading list": "reading_list.md", "path": "learning_path.md"}


class Term(BaseModel):
    """A glossary entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    term: str
    definition: str
    source: str
    taught: str


class _Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    terms: tuple[Term, ...]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    month: int
    focus: str
    duties: tuple[int, ...]
    notebooks: tuple[str, ...]


class _Path(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    steps: tuple[_Step, ...]


@lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    """Every glossary term, in alphabetical order."""
    terms = read_yaml_model(paths.PACKAGE_DIR / "data" / "glossary.yaml", _Glossary).terms
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


def anchor(term: str) -> str:
    """The glossary anchor of a term: lower case, words joined by hyphens.

    >>> anchor("Kolb's learning cycle")
    'kolbs-learning-cycle'
    """
    return re.sub(r"[^a-z0-9]+", "-", term.lower().replace("'", "")).strip("-")


def glossary_entry(term: str) -> Term:
    """Return the entry for a term (case and hyphens ignored).

    Raises
    ------
    StpError
        When the glossary has no such term.
    """
    for item in glossary():
        if anchor(item.term) == anchor(term):
            return item
    raise StpError(f"The glossary has no term {term!r}.", fix="Add it to stp_helpers/data/glossary.yaml.")


def term_link(text: str, from_notebook: str, term: str | None = None) -> str:
    """A Markdown link from a notebook (path relative to ``notebooks/``) to a term in the glossary."""
    entry = glossary_entry(term or text)
    up = "../" * from_notebook.count("/")
    return f"[{text}]({up}{GUIDE_FILES['glossary']}#{anchor(entry.term)})"


def glossary_markdown() -> str:
    """The glossary as Markdown, one anchored entry per term."""
    lines = ["# Glossary", "",
             "Terms of the workbook, each with its source and the notebook that teaches it. "
             "Built from `stp_helpers/data/glossary.yaml`.", ""]
    for item in glossary():
        lines += [f'<a id="{anchor(item.term)}"></a>', f"**{item.term}**: {item.definition} "
                  f"*Source:* {item.source}. *Taught in:* [{item.taught}]({item.taught})", ""]
    return "\n".join(lines)


def _markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def references_of(path: Path) -> list[str]:
    """The bulleted references of a notebook's ``## References`` section."""
    for text in _markdown_cells(path):
        if text.lstrip().startswith("## References"):
            return [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]
    return []


def reference_key(reference: str) -> str:
    """The key two references share when they cite the same work: authors, year and title's start.

    >>> reference_key("Mitchell, R. K. & Wood (1997) *Toward a theory*") == reference_key("Mitchell, R. K. and Wood (1997). Toward a theory")
    True
    """
    text = re.sub(r"\*|_", "", reference.lower()).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()[:60]


def reading_list() -> list[tuple[str, tuple[str, ...]]]:
    """Every reference of every catalogue notebook, once, with the notebooks that cite it, alphabetically."""
    found: dict[str, tuple[str, list[str]]] = {}
    for item in catalogue.entries():
        path = catalogue.notebook_path(item)
        if not path.exists():
            continue
        for reference in references_of(path):
            key = reference_key(reference)
            text, cited = found.setdefault(key, (reference, []))
            if len(reference) > len(text):
                found[key] = (reference, cited)
            if item.path not in cited:
                cited.append(item.path)
    return sorted(((text, tuple(cited)) for text, cited in found.values()), key=lambda r: reference_key(r[0]))


def reading_list_markdown() -> str:
    """The reading list as Markdown."""
    lines = ["# Reading list", "", "Every reference of every notebook in the workbook, once, with the notebooks that "
             "cite it. Built from each notebook's References section by `stp_helpers.guide`.", ""]
    for text, cited in reading_list():
        links = ", ".join(f"[{c}]({c})" for c in cited)
        lines.append(f"- {text} (cited in {links})")
    return "\n".join(lines) + "\n"


def minutes_to_learn(text: str) -> int | None:
    """Read a "Time to learn" line: '45 minutes', '1 hour 30 minutes', '2 hours'; None when absent."""
    match = re.search(r"\*\*Time to learn:\*\*\s*(.+)", text)
    if not match:
        return None
    line = match.group(1)
    hours = re.search(r"(\d+(?:\.\d+)?)\s*hours?", line)
    minutes = re.search(r"(\d+)\s*min", line)
    if not hours and not minutes:
        return None
    return round(float(hours.group(1)) * 60 if hours else 0) + (int(minutes.group(1)) if minutes else 0)


def _notebook_minutes(notebook: str) -> int | None:
    path = paths.NOTEBOOKS_DIR / notebook
    if not path.exists():
        return None
    for text in _markdown_cells(path):
        found = minutes_to_learn(text)
        if found is not None:
            return found
    return None


def learning_path() -> list[dict[str, object]]:
    """The suggested path: one row per notebook, with month, focus, duties and minutes to learn.

    Raises
    ------
    StpError
        When the path names a notebook the catalogue does not have.
    """
    steps = read_yaml_model(paths.PACKAGE_DIR / "data" / "learning_path.yaml", _Path).steps
    known = {e.path: e for e in catalogue.entries()}
    rows = []
    for step in steps:
        for notebook in step.notebooks:
            if notebook not in known:
                raise StpError(f"The learning path names {notebook!r}, which is not in the catalogue.",
                               fix="Correct stp_helpers/data/learning_path.yaml.")
            rows.append({"month": step.month, "focus": step.focus, "duties": step.duties, "notebook": notebook,
                         "title": known[notebook].title, "minutes": _notebook_minutes(notebook)})
    return rows


def learning_path_markdown() -> str:
    """The suggested path as Markdown, month by month, with time to learn."""
    rows = learning_path()
    lines = ["# A suggested path through the workbook", "",
             "Month by month, by duty of the standard, with each notebook's time to learn. A suggestion of the "
             "workbook, not part of the standard: follow your own programme's plan where it differs.", ""]
    for month in dict.fromkeys(r["month"] for r in rows):
        step = [r for r in rows if r["month"] == month]
        total = sum(int(r["minutes"] or 0) for r in step)
        duties = ", ".join(str(d) for d in step[0]["duties"])  # type: ignore[attr-defined]
        lines += [f"## Month {month}: {step[0]['focus']}", "", f"Duties {duties}; about {total} minutes in all.", ""]
        lines += [f"- [{r['title']}]({r['notebook']}): {r['minutes'] or '?'} minutes" for r in step]
        lines.append("")
    return "\n".join(lines)


def write_guides(folder: Path | None = None) -> list[Path]:
    """Write the glossary, reading list and path as Markdown into ``folder`` (default ``notebooks/``)."""
    folder = folder or paths.NOTEBOOKS_DIR
    texts = {"glossary": glossary_markdown(), "reading list": reading_list_markdown(),
             "path": learning_path_markdown()}
    return [write_atomic(folder / GUIDE_FILES[name], text) for name, text in texts.items()]


def path_note(notebooks: Sequence[str]) -> Markdown:
    """Where these notebooks sit in the suggested path (month and minutes)."""
    rows = [r for r in learning_path() if r["notebook"] in notebooks]
    return Markdown("\n".join(f"- Month {r['month']}: {r['title']} ({r['minutes'] or '?'} minutes)" for r in rows))
