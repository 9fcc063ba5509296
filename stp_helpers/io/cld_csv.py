"""Causal loop diagrams as CSV edge lists (the case folder's ``cld.csv``).

Links file: one row per link, header ``from,to,polarity,delay[,note]``
(``source,target`` also accepted).  Polarity labels people write are
accepted and reported (CLD-1, CLD-4): ``+ s same positive pos`` → ``+``;
``- − – o opposite negative neg`` → ``-``; ``?`` stays unknown.  Delay is
``yes``/``no`` (also ``true``, ``1``, ``‖``, ``||``, empty = no).

Variables file (optional, ``cld_variables.csv``): ``id,label,description``.
Without it, variables are inferred from the links.

Rows are numbered as a spreadsheet shows them (header = row 1).  Every bad
row is reported at once in a :class:`~stp_helpers.errors.CaseFileError`.

Examples
--------
>>> import io
>>> result = read_cld_csv(io.StringIO("from,to,polarity,delay\\nwork,stress,S,\\nstress,work,O,yes\\n"))
>>> sorted(result.graph.edges(data="polarity"))
[('stress', 'work', '-'), ('work', 'stress', '+')]
>>> [str(m) for m in result.mapped]
["'S' → '+' (rows 2)", "'O' → '-' (rows 3)"]
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from stp_helpers.io.cld_graph import (
    MAX_VARIABLES,
    POLARITY_FIX,
    normalise_polarity,
    parse_delay,
    as_cld,
    validate_cld,
)
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io import (
    CldImport,
    LabelMapping,
    Source,
    read_text,
    source_name,
    too_many,
    write_text,
)

__all__ = ["LINK_COLUMNS", "VARIABLE_COLUMNS", "read_cld_csv", "write_cld_csv"]

LINK_COLUMNS = ("from", "to", "polarity", "delay", "note")
VARIABLE_COLUMNS = ("id", "label", "description")
_ALIASES = {
    "from": ("from", "source", "cause"),
    "to": ("to", "target", "effect"),
    "polarity": ("polarity", "sign"),
    "delay": ("delay", "delayed"),
    "note": ("note", "notes", "comment"),
    "id": ("id", "variable", "name"),
    "label": ("label",),
    "description": ("description",),
}
_HEADER_FIX = "The first row must name the columns: from,to,polarity,delay,note."


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _table(text: str, name: str) -> list[list[str]]:
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as err:
        raise CaseFileError([Problem(name, f"is not a readable CSV file: {err}.",
                                     fix="Save it again from the spreadsheet as CSV.")]) from err


def _columns(header: Sequence[str], required: Sequence[str], optional: Sequence[str],
             name: str, fix: str) -> dict[str, int]:
    cleaned = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for col in (*required, *optional):
        for alias in _ALIASES[col]:
            if alias in cleaned:
                found[col] = cleaned.index(alias)
                break
    missing = [c for c in required if c not in found]
    if missing:
        raise CaseFileError([Problem(
            name, f'has no column "{c}"'
            + (f' (or "{_ALIASES[c][1]}")' if len(_ALIASES[c]) > 1 else "")
            + f"; the header reads: {','.join(header)}.", row=1, column=c, fix=fix)
            for c in missing])
    return found


def _cell(row: Sequence[str], cols: dict[str, int], col: str) -> str:
    i = cols.get(col)
    return row[i].strip() if i is not None and i < len(row) else ""


def _read_variables(source: Source, problems: list[Problem]) -> tuple[nx.DiGraph, str]:
    name = source_name(source)
    rows = _table(read_text(source, "CSV file"), name)
    cols = _columns(rows[0], ("id",), ("label", "description"), name,
                    "The first row must name the columns: id,label,description.")
    graph = nx.DiGraph()
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        vid = _cell(row, cols, "id")
        if not vid:
            problems.append(Problem(name, "the id is empty.", row=number, column="id",
                                    fix="Give every variable a short unique id."))
        elif vid in graph:
            problems.append(Problem(name, f"id {vid!r} is used twice.", row=number,
                                    column="id", fix="Give every variable its own id."))
        else:
            graph.add_node(vid, label=_cell(row, cols, "label") or vid,
                           description=_cell(row, cols, "description"))
    return graph, name


def read_cld_csv(
    links: Source,
    variables: Source | None = None,
    *,
    max_variables: int = MAX_VARIABLES,
) -> CldImport:
    """Read a CLD from a CSV edge list (and optional variables CSV).

    Parameters
    ----------
    links : path or text stream
        The links file (``from,to,polarity,delay,note``).
    variables : path, text stream or None
        The variables file (``id,label,description``).  When given, links
        may name a variable by id or by label; any other name is an error.
    max_variables : int
        Refuse maps with more variables than this.

    Returns
    -------
    CldImport
        ``graph`` plus ``mapped`` polarity labels and ``warnings`` (repeated
        rows, self-links, spellings merged, variables without links).

    Raises
    ------
    CaseFileError
        Empty file, missing column, empty cell, unknown polarity or delay,
        link to an undefined variable, the same link with two signs (CLD-2),
        or too many variables; every problem with its row and a fix.

    Examples
    --------
    >>> import io
    >>> read_cld_csv(io.StringIO("source,target,polarity\\na,b,++\\n"))
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: <text>, row 2, column "polarity": '++' is not a link polarity. ...
    """
    name = source_name(links)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rows = _table(read_text(links, "CSV file"), name)
    cols = _columns(rows[0], ("from", "to", "polarity"), ("delay", "note"), name, _HEADER_FIX)
    declared = variables is not None
    if declared:
        graph, _ = _read_variables(variables, problems)  # type: ignore[arg-type]
    else:
        graph = nx.DiGraph()
    size = graph.number_of_nodes() if declared else len(_all_ends(rows, cols))
    if size > max_variables:
        raise too_many(name, size, max_variables)
    lookup = {_key(v): v for v in graph} | {_key(d["label"]): v for v, d in graph.nodes(data=True)}
    spelled: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    mapped: dict[str, list[int]] = {}
    symbols: dict[str, str] = {}
    count = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        count += 1
        ends = []
        for col in ("from", "to"):
            text = " ".join(_cell(row, cols, col).split())
            if not text:
                problems.append(Problem(name, "is empty.", row=number, column=col,
                                        fix="Name the variable at this end of the link."))
                ends.append(None)
            elif declared:
                vid = text if text in graph else lookup.get(_key(text))
                if vid is None:
                    close = difflib.get_close_matches(_key(text), list(lookup), n=1)
                    hint = (f' Did you mean "{graph.nodes[lookup[close[0]]]["label"]}"?'
                            if close else "")
                    problems.append(Problem(
                        name, f"{text!r} is not a variable in {source_name(variables)}.",
                        row=number, column=col,
                        fix=f"Add it to the variables file or correct the spelling.{hint}"))
                ends.append(vid)
            else:
                first = spelled.setdefault(_key(text), (text, number))
                if first[0] != text:
                    warnings.append(Problem(name, f"{text!r} read as {first[0]!r} "
                                            f"(row {first[1]}).", row=number, column=col,
                                            fix="Spell each variable the same way."))
                ends.append(first[0])
        raw = _cell(row, cols, "polarity")
        symbol = normalise_polarity(raw)
        if symbol is None:
            problems.append(Problem(
                name, "is empty: every link needs a polarity (CLD-1)." if not raw
                else f"{raw!r} is not a link polarity.", row=number, column="polarity",
                fix=POLARITY_FIX))
        elif raw not in ("+", "-", "?"):
            mapped.setdefault(raw, []).append(number)
            symbols[raw] = symbol
        delay = parse_delay(_cell(row, cols, "delay"))
        if delay is None:
            problems.append(Problem(name, f"{_cell(row, cols, 'delay')!r} is not a delay mark.",
                                    row=number, column="delay",
                                    fix='Use "yes" for a delayed link, "no" or empty otherwise.'))
        if None in ends or symbol is None or delay is None:
            continue
        u, v = ends
        if (u, v) in seen:
            first_row = seen[(u, v)]
            old = graph.edges[u, v]
            if old["polarity"] != symbol:
                problems.append(Problem(
                    name, f"the link {u} → {v} already has polarity {old['polarity']} in row "
                    f"{first_row}; a diagram holds one link per pair (CLD-2).", row=number,
                    column="polarity", fix="Keep one row with the sign you mean, or use '?'."))
            else:
                warnings.append(Problem(name, f"repeats the link {u} → {v} of row {first_row}; "
                                        "kept once.", row=number, fix="Delete this row."))
                old["delay"] = old["delay"] or delay
            continue
        seen[(u, v)] = number
        for end in (u, v):
            if end not in graph:
                graph.add_node(end, label=end, description="")
        graph.add_edge(u, v, polarity=symbol, delay=delay, note=_cell(row, cols, "note"))
    if count == 0 and not problems:
        problems.append(Problem(name, "has a header but no links.", row=2,
                                fix="Add one row per link: from,to,polarity,delay."))
    if problems:
        raise CaseFileError(problems)
    warnings += validate_cld(graph, source=name, max_variables=max_variables)
    report = tuple(LabelMapping(k, symbols[k], tuple(r)) for k, r in mapped.items())
    return CldImport(graph, name, report, warnings)


def _all_ends(rows: list[list[str]], cols: dict[str, int]) -> set[str]:
    return {_key(_cell(r, cols, c)) for r in rows[1:] for c in ("from", "to")} - {""}


def write_cld_csv(
    graph: nx.DiGraph,
    links: Source,
    variables: Source | None = None,
    *,
    overwrite: bool = False,
) -> list[Problem]:
    """Write a CLD as a links CSV (and optionally a variables CSV).

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    links : path or text stream
        Where to write ``from,to,polarity,delay,note``.
    variables : path, text stream or None
        Where to write ``id,label,description``; without it, labels,
        descriptions and unlinked variables are not kept.
    overwrite : bool
        Replace existing files (refused by default).

    Returns
    -------
    list of Problem
        Warnings about what the links file alone cannot keep.

    Raises
    ------
    GraphError
        The graph is not a valid CLD.
    CaseExistsError
        A file exists and ``overwrite`` is False.

    Examples
    --------
    >>> import io
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([("a", "b", "+", True), ("b", "a", "-")])
    >>> out = io.StringIO()
    >>> write_cld_csv(g, out)
    []
    >>> print(out.getvalue())
    from,to,polarity,delay,note
    a,b,+,yes,
    b,a,-,no,
    <BLANKLINE>
    """
    name = source_name(links)
    graph, _ = as_cld(graph, source=name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    for u, v, d in graph.edges(data=True):
        writer.writerow([u, v, d["polarity"], "yes" if d.get("delay") else "no",
                         d.get("note", "")])
    warnings = []
    if variables is None:
        lost = [v for v, d in graph.nodes(data=True)
                if graph.degree(v) == 0 or d.get("label", v) != v or d.get("description")]
        if lost:
            warnings.append(Problem(name, f"{len(lost)} variable(s) have labels, descriptions "
                                    "or no links, which only a variables file keeps: "
                                    f"{', '.join(map(str, lost[:5]))}.",
                                    fix="Pass variables= to write cld_variables.csv too."))
    else:
        vbuf = io.StringIO()
        vwriter = csv.writer(vbuf, lineterminator="\n")
        vwriter.writerow(VARIABLE_COLUMNS)
        for v, d in graph.nodes(data=True):
            vwriter.writerow([v, d.get("label", v), d.get("description", "")])
        write_text(variables, vbuf.getvalue(), overwrite=overwrite)
    write_text(links, buffer.getvalue(), overwrite=overwrite)
    return warnings


def read_case_cld(links: Path) -> CldImport:
    """Read a case's ``cld.csv`` with the ``cld_variables.csv`` beside it, when there is one.

    This is the reader ``stp check-case`` and the notebooks use for a case folder.
    """
    variables = Path(links).with_name("cld_variables.csv")
    return read_cld_csv(links, variables if variables.exists() else None)
