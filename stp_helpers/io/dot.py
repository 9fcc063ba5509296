"""Graphviz DOT export of causal loop diagrams (export only).

Links carry their polarity as text (``+``, ``−``, ``?``) and delays as
``||``; reinforcing/balancing colours are left to the chart builders.

Examples
--------
>>> from stp_helpers.io.cld_graph import build_cld
>>> g, _ = build_cld([("a", "b", "-", True)])
>>> print(to_dot(g))
digraph "CLD" {
  rankdir=LR;
  node [shape=plaintext, fontname="Helvetica"];
  edge [fontname="Helvetica"];
  "a" [label="a"];
  "b" [label="b"];
  "a" -> "b" [label="− ||"];
}
"""

from __future__ import annotations

import networkx as nx

from stp_helpers.io.cld_graph import as_cld
from stp_helpers.io import Source, write_text

__all__ = ["to_dot", "write_dot"]

_SHOWN = {"+": "+", "-": "\u2212", "?": "?"}


def _quote(text: object) -> str:
    body = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def to_dot(graph: nx.DiGraph, *, title: str | None = None) -> str:
    """Return the CLD as Graphviz DOT text.

    Parameters
    ----------
    graph : networkx.DiGraph
        A CLD.
    title : str or None
        Graph name; defaults to ``graph.graph["name"]`` or ``"CLD"``.

    Returns
    -------
    str

    Raises
    ------
    GraphError
        The graph is not a valid CLD.

    Examples
    --------
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([('say "hi"', "b", "+")])
    >>> '"say \\\\"hi\\\\""' in to_dot(g)
    True
    """
    graph, _ = as_cld(graph)
    name = title or graph.graph.get("name") or "CLD"
    lines = [f"digraph {_quote(name)} {{", "  rankdir=LR;",
             '  node [shape=plaintext, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for v, d in graph.nodes(data=True):
        lines.append(f"  {_quote(v)} [label={_quote(d.get('label', v))}];")
    for u, v, d in graph.edges(data=True):
        label = _SHOWN[d["polarity"]] + (" ||" if d.get("delay") else "")
        lines.append(f"  {_quote(u)} -> {_quote(v)} [label={_quote(label)}];")
    lines.append("}")
    return "\n".join(lines)


def write_dot(graph: nx.DiGraph, target: Source, *, overwrite: bool = False) -> None:
    """Write the CLD as a ``.dot`` file (see :func:`to_dot`).

    Every CLD writer takes ``(graph, target, *, overwrite=False)``, refuses to replace a file
    unless ``overwrite`` is True and raises ``GraphError`` for a graph that is not a CLD:
    see "Writers" in :mod:`stp_helpers.io`.

    Examples
    --------
    >>> import io
    >>> from stp_helpers.io.cld_graph import build_cld
    >>> g, _ = build_cld([("a", "b", "+")])
    >>> out = io.StringIO()
    >>> write_dot(g, out)
    >>> out.getvalue().splitlines()[-2]
    '  "a" -> "b" [label="+"];'
    """
    write_text(target, to_dot(graph) + "\n", overwrite=overwrite)
