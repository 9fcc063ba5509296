"""GraphML import and export for causal loop diagrams (via networkx).

Node data ``label`` and ``description``; edge data ``polarity`` (or
``sign``, or a ``weight`` of 1 / -1), ``delay`` (boolean) and ``note``.  The
graph must be directed, with one edge per ordered pair (CLD-2).

Examples
--------
>>> import io
>>> from stp_helpers.io.cld_graph import build_cld
>>> g, _ = build_cld([("a", "b", "+", True), ("b", "a", "-")])
>>> out = io.StringIO()
>>> write_graphml(g, out)
>>> back = read_graphml(io.StringIO(out.getvalue())).graph
>>> sorted(back.edges(data=True)) == sorted(g.edges(data=True))
True
"""

from __future__ import annotations

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
from stp_helpers.io import (
    CldImport,
    LabelMapping,
    Source,
    read_text,
    source_name,
    too_many,
    write_text,
)

__all__ = ["read_graphml", "write_graphml"]


def _polarity(data: dict[str, Any]) -> tuple[str | None, Any]:
    for key in ("polarity", "sign", "weight"):
        if key in data:
            return key, data[key]
    return None, None


def read_graphml(source: Source, *, max_variables: int = MAX_VARIABLES) -> CldImport:
    """Read a CLD from GraphML.

    Parameters
    ----------
    source : path or text stream
        The ``.graphml`` file.
    max_variables : int
        Refuse maps with more nodes than this.

    Returns
    -------
    CldImport

    Raises
    ------
    CaseFileError
        Not GraphML, undirected, parallel edges, an edge without a valid
        polarity or delay, or too many nodes.

    Examples
    --------
    >>> import io
    >>> read_graphml(io.StringIO("<graphml><graph"))
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: <text>: is not GraphML (...). ...
    """
    name = source_name(source)
    text = read_text(source, "GraphML file")
    try:
        raw = nx.parse_graphml(text, node_type=str)
    except Exception as err:  # ElementTree, networkx and value errors alike
        raise CaseFileError([Problem(name, f"is not GraphML ({type(err).__name__}: {err}).",
                                     fix="Export the diagram again as GraphML.")]) from err
    if not raw.is_directed():
        raise CaseFileError([Problem(name, "holds an undirected graph; causal links have a "
                                     "direction.", fix="Export it as a directed graph.")])
    if raw.number_of_nodes() > max_variables:
        raise too_many(name, raw.number_of_nodes(), max_variables)
    problems: list[Problem] = []
    mapped: dict[str, str] = {}
    graph = nx.DiGraph()
    for v, d in raw.nodes(data=True):
        graph.add_node(v, label=str(d.get("label", d.get("name", v))),
                       description=str(d.get("description", "")))
    edges = raw.edges(keys=True, data=True) if raw.is_multigraph() else (
        (u, v, 0, d) for u, v, d in raw.edges(data=True))
    for u, v, _, d in edges:
        key, value = _polarity(d)
        symbol = normalise_polarity(value)
        if symbol is None:
            problems.append(Problem(name, f"the edge {u} → {v} has "
                                    + ("no polarity (CLD-1)." if key is None
                                       else f"{key} {value!r}, which is not a polarity."),
                                    column=key or "polarity", fix=POLARITY_FIX))
            continue
        if str(value) not in ("+", "-", "?"):
            mapped[str(value)] = symbol
        delay = parse_delay(d.get("delay", False))
        if delay is None:
            problems.append(Problem(name, f"the edge {u} → {v} has delay {d['delay']!r}.",
                                    column="delay", fix="Use true or false."))
            continue
        if graph.has_edge(u, v):
            problems.append(Problem(name, f"the edge {u} → {v} appears twice (CLD-2).",
                                    fix="Keep one edge per ordered pair."))
            continue
        graph.add_edge(u, v, polarity=symbol, delay=delay, note=str(d.get("note", "")))
    if problems:
        raise CaseFileError(problems)
    graph, warnings = as_cld(graph, source=name, max_variables=max_variables)
    return CldImport(graph, name, tuple(LabelMapping(k, s) for k, s in mapped.items()), warnings)


def write_graphml(graph: nx.DiGraph, target: Source, *, overwrite: bool = False) -> None:
    """Write a CLD as GraphML.

    Every CLD writer takes ``(graph, target, *, overwrite=False)``, refuses to replace a file
    unless ``overwrite`` is True and raises ``GraphError`` for a graph that is not a CLD:
    see "Writers" in :mod:`stp_helpers.io`.

    Examples
    --------
    >>> import io
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([("a", "b", "+")])
    >>> out = io.StringIO()
    >>> write_graphml(g, out)
    >>> 'attr.name="polarity"' in out.getvalue()
    True
    """
    graph, _ = as_cld(graph)
    clean = nx.DiGraph()
    for v, d in graph.nodes(data=True):
        clean.add_node(str(v), label=str(d.get("label", v)),
                       description=str(d.get("description", "")))
    for u, v, d in graph.edges(data=True):
        clean.add_edge(str(u), str(v), polarity=d["polarity"], delay=bool(d.get("delay")),
                       note=str(d.get("note", "")))
    text = "\n".join(nx.generate_graphml(clean)) + "\n"
    write_text(target, text, overwrite=overwrite)
