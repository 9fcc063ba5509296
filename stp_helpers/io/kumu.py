"""Kumu JSON ("blueprint") import and export for causal loop diagrams.

A blueprint is ``{"elements": [...], "connections": [...]}``.  Elements need
a ``label`` (``id``/``_id`` and ``description`` are optional); connections
need ``from`` and ``to`` (an element's id or label) and a polarity in
``polarity``, ``type``, ``connection type`` or ``sign``.  ``delay`` marks a
delayed link; ``description`` or ``note`` is kept as the link's note.
Field names are matched without regard to case, as Kumu shows them.  Kumu's
own JSON export nests ``label``, ``type``/``connection type``, ``delay`` and
``description`` under ``"attributes"`` on each element and connection; both
shapes (and a mix) are read.

Examples
--------
>>> import io, json
>>> text = json.dumps({"elements": [{"label": "A"}, {"label": "B"}],
...                    "connections": [{"from": "A", "to": "B", "type": "+"},
...                                    {"from": "B", "to": "A", "type": "-", "delay": True}]})
>>> sorted(read_kumu(io.StringIO(text)).graph.edges(data="delay"))
[('A', 'B', False), ('B', 'A', True)]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

from stp_helpers.io.cld_graph import (
    MAX_VARIABLES,
    POLARITY_FIX,
    normalise_polarity,
    parse_delay,
    as_cld,
)
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.parse import check_depth
from stp_helpers.io import (
    CldImport,
    LabelMapping,
    Source,
    read_text,
    source_name,
    too_many,
    write_text,
)

__all__ = ["read_kumu", "to_kumu", "write_kumu"]

_POLARITY_KEYS = ("polarity", "type", "connection type", "sign")
_FIX = 'A Kumu blueprint is {"elements": [{"label": ...}], "connections": [{"from": ..., "to": ...}]}.'


def _field(record: Mapping[str, Any], *keys: str) -> tuple[str | None, Any]:
    """Find a field at the top level or, as Kumu's own export nests it, under ``"attributes"``."""
    lowered = {str(k).strip().lower(): k for k in record}
    for key in keys:
        if key in lowered:
            return lowered[key], record[lowered[key]]
    nested = record.get(lowered.get("attributes", "attributes"))
    if isinstance(nested, Mapping):
        inner = {str(k).strip().lower(): k for k in nested}
        for key in keys:
            if key in inner:
                return f"attributes.{inner[key]}", nested[inner[key]]
    return None, None


def read_kumu(source: Source, *, max_variables: int = MAX_VARIABLES) -> CldImport:
    """Read a CLD from Kumu JSON.

    Parameters
    ----------
    source : path or text stream
        The ``.json`` file.
    max_variables : int
        Refuse maps with more elements than this.

    Returns
    -------
    CldImport

    Raises
    ------
    CaseFileError
        Not JSON, not a blueprint, an element without label, a connection to
        an unknown element, a missing or unknown polarity, or too many
        elements; problems name the field, e.g. ``connections[3].type``.

    Examples
    --------
    >>> import io
    >>> read_kumu(io.StringIO('{"elements": [{"label": "A"}], "connections": [}'))
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: <text>, line 1: is not valid JSON (Expecting value, column 48). ...
    """
    name = source_name(source)
    text = read_text(source, "Kumu JSON file")
    check_depth(text, name, "Export the map again from Kumu.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise CaseFileError([Problem(name, f"is not valid JSON ({err.msg}, column {err.colno}).",
                                     line=err.lineno, fix="Export the map again from Kumu, or "
                                     "check the brackets and commas on that line.")]) from err
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise CaseFileError([Problem(name, 'has no "elements" list.', fix=_FIX)])
    connections = data.get("connections")
    if not isinstance(connections, list):
        raise CaseFileError([Problem(name, 'has no "connections" list.', fix=_FIX)])
    if len(data["elements"]) > max_variables:
        raise too_many(name, len(data["elements"]), max_variables)
    graph = nx.DiGraph()
    problems: list[Problem] = []
    by_label: dict[str, str] = {}
    for i, elem in enumerate(data["elements"]):
        where = f"elements[{i}]"
        _, label = _field(elem, "label") if isinstance(elem, dict) else (None, None)
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(name, "has no label.", column=where,
                                    fix='Give every element a "label".'))
            continue
        _, eid = _field(elem, "id", "_id")
        vid = str(eid).strip() if eid not in (None, "") else label.strip()
        _, desc = _field(elem, "description")
        graph.add_node(vid, label=label.strip(), description=str(desc or ""))
        by_label.setdefault(label.strip().casefold(), vid)
    mapped: dict[str, str] = {}
    for i, conn in enumerate(connections):
        where = f"connections[{i}]"
        if not isinstance(conn, dict):
            problems.append(Problem(name, "is not an object.", column=where, fix=_FIX))
            continue
        ends = []
        for key in ("from", "to"):
            _, ref = _field(conn, key)
            ref = "" if ref is None else str(ref).strip()
            vid = ref if ref in graph else by_label.get(ref.casefold())
            if vid is None:
                problems.append(Problem(name, f"names {ref!r}, which is not an element."
                                        if ref else "is empty.", column=f"{where}.{key}",
                                        fix="Use an element's label or id."))
            ends.append(vid)
        key, raw = _field(conn, *_POLARITY_KEYS)
        symbol = normalise_polarity(raw)
        if symbol is None:
            problems.append(Problem(name, "has no polarity (CLD-1)." if raw in (None, "")
                                    else f"{raw!r} is not a link polarity.",
                                    column=f"{where}.{key or 'type'}", fix=POLARITY_FIX))
        elif str(raw).strip() not in ("+", "-", "?"):
            mapped[str(raw)] = symbol
        _, raw_delay = _field(conn, "delay", "delayed")
        delay = parse_delay(raw_delay)
        if delay is None:
            problems.append(Problem(name, f"{raw_delay!r} is not a delay mark.",
                                    column=f"{where}.delay", fix="Use true or false."))
        if None in ends or symbol is None or delay is None:
            continue
        u, v = ends
        if graph.has_edge(u, v):
            problems.append(Problem(name, f"repeats the link {u} → {v} (CLD-2).", column=where,
                                    fix="Keep one connection per pair of elements."))
            continue
        _, note = _field(conn, "description", "note")
        graph.add_edge(u, v, polarity=symbol, delay=delay, note=str(note or ""))
    if problems:
        raise CaseFileError(problems)
    graph, warnings = as_cld(graph, source=name, max_variables=max_variables)
    return CldImport(graph, name, tuple(LabelMapping(k, s) for k, s in mapped.items()), warnings)


def to_kumu(graph: nx.DiGraph) -> dict[str, list[dict[str, Any]]]:
    """Return a Kumu blueprint (a dict ready for ``json.dumps``).

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.

    Returns
    -------
    dict
        ``elements`` with ``id``, ``label``, ``description``; ``connections``
        with ``from``, ``to`` (ids), ``type`` (``+``, ``-`` or ``?``),
        ``delay`` and ``description``.

    Raises
    ------
    GraphError
        The graph is not a valid CLD.

    Examples
    --------
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([("a", "b", "-")])
    >>> to_kumu(g)["connections"]
    [{'from': 'a', 'to': 'b', 'type': '-', 'delay': False, 'description': ''}]
    """
    graph, _ = as_cld(graph)
    return {
        "elements": [{"id": str(v), "label": str(d.get("label", v)),
                      "description": str(d.get("description", ""))}
                     for v, d in graph.nodes(data=True)],
        "connections": [{"from": str(u), "to": str(v), "type": d["polarity"],
                         "delay": bool(d.get("delay")), "description": str(d.get("note", ""))}
                        for u, v, d in graph.edges(data=True)],
    }


def write_kumu(graph: nx.DiGraph, target: Source, *, overwrite: bool = False) -> None:
    """Write a CLD as Kumu JSON (see :func:`to_kumu`).

    Every CLD writer takes ``(graph, target, *, overwrite=False)``, refuses to replace a file
    unless ``overwrite`` is True and raises ``GraphError`` for a graph that is not a CLD:
    see "Writers" in :mod:`stp_helpers.io`.

    Examples
    --------
    >>> import io
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([("a", "b", "+")])
    >>> out = io.StringIO()
    >>> write_kumu(g, out)
    >>> read_kumu(io.StringIO(out.getvalue())).graph.edges["a", "b"]["polarity"]
    '+'
    """
    text = json.dumps(to_kumu(graph), ensure_ascii=False, indent=1) + "\n"
    write_text(target, text, overwrite=overwrite)
