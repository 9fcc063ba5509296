"""LOOPY (https://ncase.me/loopy) model import.

LOOPY stores a model as one line of JSON, ``[nodes, edges, labels, next_uid]``:
node ``[id, x, y, initial_amount, label, hue]``, edge
``[from_id, to_id, arc, strength, rotation]`` with strength ``1`` (+) or
``-1`` (−), and canvas label ``[x, y, text]``.  Labels and texts are
URL-encoded once.  A full LOOPY link (``…/?data=…``) is accepted too.

Variables are named by their decoded labels (a repeated label gets the
LOOPY id in brackets).  LOOPY has no delay marks, so no link is delayed;
canvas texts are kept in ``graph.graph["notes"]``.

Examples
--------
>>> import io
>>> text = '[[[1,0,0,0,"rabbits",0],[2,0,0,0,"foxes",1]],[[2,1,153,-1,0],[1,2,160,1,0]],[],2]'
>>> sorted(read_loopy(io.StringIO(text)).graph.edges(data="polarity"))
[('foxes', 'rabbits', '-'), ('rabbits', 'foxes', '+')]
"""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from typing import Any

import networkx as nx

from stp_helpers.io.cld_graph import MAX_VARIABLES, as_cld
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io import CldImport, LabelMapping, Source, read_text, source_name, too_many
from stp_helpers.io.parse import check_depth

__all__ = ["read_loopy"]

_FIX = ("A LOOPY model is [nodes, edges, labels, next_uid]; copy it from LOOPY's "
        "'save as link' (the part after ?data=).")


def _decode(text: str) -> str:
    if "?data=" in text[:200] or text.lstrip().startswith("http"):
        query = urllib.parse.urlsplit(text.strip()).query
        if "data=" in query:  # unquote (not parse_qs, which reads "+" as a space)
            return urllib.parse.unquote(query.split("data=", 1)[1].split("&")[0])
    return text


def read_loopy(source: Source, *, max_variables: int = MAX_VARIABLES) -> CldImport:
    """Read a CLD from a LOOPY model (file, text stream or link).

    Parameters
    ----------
    source : path or text stream
        The LOOPY JSON (or a text holding a LOOPY link).
    max_variables : int
        Refuse models with more nodes than this.

    Returns
    -------
    CldImport
        ``mapped`` records the strengths read as ``+`` and ``-``.

    Raises
    ------
    CaseFileError
        Not JSON, not the LOOPY layout, a strength other than 1 or -1, an edge
        to an unknown node, or too many nodes.

    Examples
    --------
    >>> import io
    >>> read_loopy(io.StringIO('[[[1,0,0,0,"a",0]],[[1,9,0,1,0]],[],2]'))
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: <text>, column "edges[0]": points to node 9, which the model does not define. ...
    """
    name = source_name(source)
    text = _decode(read_text(source, "LOOPY file"))
    check_depth(text, name, _FIX)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise CaseFileError([Problem(name, f"is not valid JSON ({err.msg}, column {err.colno}).",
                                     line=err.lineno, fix=_FIX)]) from err
    if not (isinstance(data, list) and len(data) >= 2 and isinstance(data[0], list)
            and isinstance(data[1], list)):
        raise CaseFileError([Problem(name, "is not a LOOPY model.", fix=_FIX)])
    nodes, edges = data[0], data[1]
    if len(nodes) > max_variables:
        raise too_many(name, len(nodes), max_variables)
    problems: list[Problem] = []
    good: list[tuple[Any, str]] = []
    for i, node in enumerate(nodes):
        if not (isinstance(node, list) and len(node) >= 5 and isinstance(node[4], str)
                and isinstance(node[0], (int, str)) and not isinstance(node[0], bool)):
            problems.append(Problem(name, "is not [id, x, y, amount, label, hue].",
                                    column=f"nodes[{i}]", fix=_FIX))
            continue
        good.append((node[0], urllib.parse.unquote(node[4]).strip() or f"node {node[0]}"))
    repeated = Counter(label for _, label in good)
    graph = nx.DiGraph()
    by_id: dict[Any, str] = {}
    for nid, label in good:
        vid = label if repeated[label] == 1 else f"{label} ({nid})"
        by_id[nid] = vid
        graph.add_node(vid, label=label, description="", loopy_id=nid)
    counts = {"+": 0, "-": 0}
    for i, edge in enumerate(edges):
        where = f"edges[{i}]"
        if not (isinstance(edge, list) and len(edge) >= 4):
            problems.append(Problem(name, "is not [from, to, arc, strength, rotation].",
                                    column=where, fix=_FIX))
            continue
        ends = []
        for ref in edge[:2]:
            if not isinstance(ref, (int, str)) or ref not in by_id:
                problems.append(Problem(name, f"points to node {ref}, which the model does "
                                        "not define.", column=where,
                                        fix="Delete the arrow in LOOPY and draw it again."))
            ends.append(by_id.get(ref) if isinstance(ref, (int, str)) else None)
        strength = edge[3]
        if strength not in (1, -1) or isinstance(strength, bool):
            problems.append(Problem(name, f"has strength {strength!r}; LOOPY uses 1 (+) or "
                                    "-1 (−).", column=where, fix=_FIX))
            continue
        if None in ends:
            continue
        symbol = "+" if strength == 1 else "-"
        counts[symbol] += 1
        u, v = ends
        if graph.has_edge(u, v):
            problems.append(Problem(name, f"has two arrows {u} → {v} (CLD-2).", column=where,
                                    fix="Delete one of them in LOOPY."))
            continue
        graph.add_edge(u, v, polarity=symbol, delay=False, note="")
    if problems:
        raise CaseFileError(problems)
    notes = [urllib.parse.unquote(lab[2]) for lab in (data[2] if len(data) > 2 else [])
             if isinstance(lab, list) and len(lab) >= 3 and isinstance(lab[2], str)]
    graph.graph["notes"] = notes
    graph, warnings = as_cld(graph, source=name, max_variables=max_variables)
    mapped = tuple(LabelMapping(w, s) for w, s in (("1", "+"), ("-1", "-"))
                   if counts[s])
    return CldImport(graph, name, mapped, warnings)
