"""No Python repr is ever shown: every notebook's stored outputs are scanned for them.

A learner should read what a value means, never ``[datetime.date(2012, 1, 1)]``,
``<Model ... object at 0x…>``, a pandas Series with its ``dtype:``, a dataclass
repr such as ``Verdict(valid=False, …)`` or a bare Python list.  Stored outputs
are what nbval compares with a fresh run, so they are what every page shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from stp_helpers import paths

NOTEBOOKS = sorted(p for p in paths.NOTEBOOKS_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
REPRS = {
    "a date or time repr": re.compile(r"\bdatetime\.(date|datetime|time|timedelta)\("),
    "an object repr": re.compile(r"<[\w.]+(?: [^<>]*)? object(?: at 0x[0-9a-f]+)?>|<[A-Z]\w+ '[^']*'"),
    "a pandas Series": re.compile(r"\bdtype: \w+"),
    "a dataclass or named-tuple repr": re.compile(r"^\[?[A-Z]\w*\((?:\w+=)", re.MULTILINE),
    "a bare Python list or tuple": re.compile(r"^[\[(](?:['\"\d\[(]|[A-Za-z_][\w.]*\()"),
}


def shown_text(path: Path) -> list[tuple[int, str]]:
    """The text a reader sees from each output: plain text only where no richer form is shown."""
    out = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                out.append((index, output.get("text", "")))
                continue
            data = output.get("data", {})
            rich = [k for k in data if k in ("text/html", "text/markdown", "application/vnd.jupyter.widget-view+json",
                                             "image/png", "image/svg+xml")]
            if rich:
                out += [(index, str(data[k])) for k in ("text/html", "text/markdown") if k in data]
            elif "text/plain" in data:
                out.append((index, str(data["text/plain"])))
    return out


def find_reprs(text: str) -> list[str]:
    """Names of the reprs found in ``text``.

    >>> find_reprs("[datetime.date(2012, 1, 1)]")
    ['a date or time repr', 'a bare Python list or tuple']
    >>> find_reprs("Chart: Housing had the most contacts")
    []
    """
    return [name for name, pattern in REPRS.items() if pattern.search(text)]


@pytest.mark.parametrize("text, expected", [
    ("[datetime.date(2012, 1, 1), datetime.date(2013, 1, 1)]", ["a date or time repr", "a bare Python list or tuple"]),
    ("<Model 'wiltshire-complex-needs' with 12 variables>", ["an object repr"]),
    ("<stp_helpers.case.Case object at 0x7f00>", ["an object repr"]),
    ("0    a\n1    b\nName: x, dtype: object", ["a pandas Series"]),
    ("TVerdict(valid=False, reason='x')", ["a dataclass or named-tuple repr"]),
    ("[WorkshopOutput(name='a')]", ["a dataclass or named-tuple repr", "a bare Python list or tuple"]),
    ("['Parents and carers']", ["a bare Python list or tuple"]),
    ("Chart: At risk ends at 256 by month 240", []),
    ("**Duty 7: Explain current behaviour**", []),
])
def test_finder_knows_each_repr(text: str, expected: list[str]) -> None:
    assert find_reprs(text) == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(paths.NOTEBOOKS_DIR).as_posix() for p in NOTEBOOKS])
def test_no_repr_in_stored_outputs(path: Path) -> None:
    found = [(i, name, text[:120]) for i, text in shown_text(path) for name in find_reprs(text)]
    assert found == [], f"cells showing Python reprs (cell index, kind, text): {found}"
