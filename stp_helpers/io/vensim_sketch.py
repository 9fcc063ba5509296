"""Read the causal structure drawn in a Vensim ``.mdl`` sketch.

Only the sketch section (after the ``\\\\\\---///`` marker) is read, so models
that also hold equations work; equations are not parsed or simulated (that is
PySD's job).  Sketch objects (Vensim help, "Objects"):

* ``10,id,name,…`` variables (stocks, auxiliaries, flows).  A name that
  appears twice (a shadow/ghost variable) is one variable.
* ``11,id,…`` valves.  A valve stands for the flow variable drawn on it (the
  next type-10 line), so arrows into a valve count as arrows into that flow.
* ``12,id,…`` clouds and comments: not variables; arrows to them are dropped.
* ``1,id,from,to,shape,hid,pol,thick,hasf,dtype,res,…`` arrows.  ``pol`` is
  the ASCII code of the polarity mark (43 ``+``, 45 ``-``, 83 ``S``,
  79 ``O``, 63 ``?``; 0 for none).  Pipes (``thick`` above 20) join a valve
  to a stock: shape 100 (no arrowhead at the stock) is an outflow (flow → stock
  ``-``), otherwise an inflow (``+``), as in methods.md §2.1.  The delay mark
  (the ``||`` Vensim draws across an arrow) is read from ``dtype``, the
  tenth field, which the sketch-format description names the arrow's delay
  type: 0 none, non-zero a delay mark; its low six bits are read because 64
  and 128 are drawing flags.  This is unconfirmed against a file saved by
  Vensim: no licensed sample with a delayed arrow was available, and PySD's
  sketch grammar (``parsing_grammars/sketch.peg``) parses the field without
  interpreting it.  If a saved sample shows the mark elsewhere, change only
  ``DELAY_FIELD`` and ``DELAY_BITS`` below.
  Arrows with ``res`` set are initial-value arrows and are not causal links.

Arrows without a polarity mark get ``?`` (undetermined, CLD-4) and a warning,
unless ``missing_polarity="error"``.  Sketch ids are local to each view.

Examples
--------
>>> import io
>>> lines = ["x = 1", "~ ~ |", chr(92) * 3 + "---/// Sketch information", "V300", "*View 1",
...          "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0",
...          "10,1,work,100,100,20,10,8,3,0,0,0,0,0,0", "10,2,stress,200,100,20,10,8,3,0,0,0,0,0,0",
...          "1,3,1,2,0,0,43,0,0,64,0,-1--1--1,,1|(150,90)|",
...          "1,4,2,1,0,0,45,0,0,65,0,-1--1--1,,1|(150,110)|", "///---" + chr(92) * 3]
>>> result = read_vensim_sketch(io.StringIO("\\n".join(lines)))
>>> sorted(result.graph.edges(data="polarity")), result.graph.edges["stress", "work"]["delay"]
([('stress', 'work', '-'), ('work', 'stress', '+')], True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from stp_helpers.io.cld_graph import MAX_VARIABLES, as_cld, normalise_polarity
from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io import CldImport, LabelMapping, Source, read_text, source_name, too_many

__all__ = ["read_vensim_sketch"]

_MARK = "\\\\\\---///"
_END = "///---\\\\\\"
_OBJECT = re.compile(r"^(\d+),(-?\d+),")
#: Index (0-based) of the arrow field read as the delay mark, and the bits of it that count.
DELAY_FIELD, DELAY_BITS = 9, 63
_FIX = "Open and save the model in Vensim to rewrite its sketch, then read it again."


def _name_key(name: str) -> str:
    return " ".join(name.replace("_", " ").lower().split())


def _clean(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1]
    return " ".join(name.replace("\\n", " ").split())


@dataclass
class _View:
    variables: dict[int, str]
    shapes: dict[int, int]
    valves: dict[int, int]  # valve line index, resolved to a variable id later
    other: set[int]
    arrows: list[tuple[int, list[str]]]


def _split_fields(line: str) -> list[str]:
    # Variable names may be quoted and contain commas.
    fields, buf, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            fields.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    fields.append("".join(buf))
    return fields


def _parse_views(lines: list[str], start: int, name: str, problems: list[Problem]
                 ) -> list[_View]:
    views: list[_View] = []
    view: _View | None = None
    skip_text = False
    pending_valve: int | None = None
    for number in range(start, len(lines) + 1):
        line = lines[number - 1].rstrip("\r")
        if line.startswith(_MARK):
            view = _View({}, {}, {}, set(), [])
            views.append(view)
            continue
        if line.startswith(_END):
            break
        if view is None or skip_text:
            skip_text = False
            continue
        if line.startswith(("V3", "*", "$")) or not line.strip():
            continue
        match = _OBJECT.match(line)
        if not match:
            problems.append(Problem(name, f"sketch line {line[:40]!r} is not a sketch object.",
                                    line=number, fix=_FIX))
            continue
        kind, oid = int(match.group(1)), int(match.group(2))
        fields = _split_fields(line)
        if kind == 10:
            if len(fields) < 8:
                problems.append(Problem(name, "variable line has too few fields.", line=number,
                                        fix=_FIX))
                continue
            label = _clean(fields[2])
            view.variables[oid] = label
            view.shapes[oid] = int(fields[7]) if fields[7].strip().isdigit() else 0
            if pending_valve is not None:
                view.valves[pending_valve] = oid
                pending_valve = None
        elif kind == 11:
            pending_valve = oid
            view.valves[oid] = -1
        elif kind == 1:
            if len(fields) < 11 or not all(re.fullmatch(r"-?\d+", f.strip())
                                           for f in fields[2:11]):
                problems.append(Problem(name, "arrow line is malformed.", line=number, fix=_FIX))
                continue
            view.arrows.append((number, fields))
        else:
            view.other.add(oid)
            if kind == 12 and len(fields) > 8 and fields[8].strip().isdigit() and (
                    int(fields[8]) & 4):
                skip_text = True  # a comment's text follows on the next line
    return views


def read_vensim_sketch(
    source: Source,
    *,
    missing_polarity: str = "?",
    max_variables: int = MAX_VARIABLES,
) -> CldImport:
    """Read variables and arrows (with polarity marks) from a Vensim ``.mdl`` sketch.

    Parameters
    ----------
    source : path or text stream
        The ``.mdl`` file.
    missing_polarity : {"?", "error"}
        What an arrow without a polarity mark becomes: ``"?"`` (undetermined,
        with one warning) or an error.
    max_variables : int
        Refuse sketches with more variables than this.

    Returns
    -------
    CldImport
        Node attribute ``kind`` is ``"stock"``, ``"flow"`` or ``"variable"``;
        edge ``note`` is ``"inflow"`` or ``"outflow"`` for pipes.

    Raises
    ------
    CaseFileError
        No sketch section, malformed sketch lines, an arrow to an object the
        sketch does not define, no variables, unmarked arrows with
        ``missing_polarity="error"``, or too many variables.

    Examples
    --------
    >>> import io
    >>> read_vensim_sketch(io.StringIO("x = 1\\n~ ~ |\\n"))
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: <text>: has no sketch section ... Save the model from Vensim ...
    """
    name = source_name(source)
    lines = read_text(source, "Vensim .mdl file").split("\n")
    start = next((i + 1 for i, ln in enumerate(lines) if ln.startswith(_MARK)), None)
    if start is None:
        raise CaseFileError([Problem(name, "has no sketch section (the line starting "
                                     f"{_MARK}), so there is no diagram to read.",
                                     fix="Save the model from Vensim with its sketch, or "
                                     "export the CLD as CSV.")])
    problems: list[Problem] = []
    views = _parse_views(lines, start, name, problems)
    graph = nx.DiGraph()
    ids: dict[str, str] = {}
    for view in views:
        for label in view.variables.values():
            ids.setdefault(_name_key(label), label)
    if len(ids) > max_variables:
        raise too_many(name, len(ids), max_variables)
    unmarked, initial = 0, 0
    marks: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for view in views:
        for oid, label in view.variables.items():
            vid = ids[_name_key(label)]
            if oid in view.valves.values():
                kinds[vid] = "flow"
            elif view.shapes.get(oid) == 3:
                kinds.setdefault(vid, "stock")
    for view in views:

        def resolve(oid: int, view: _View = view) -> str | None:
            if oid in view.valves:
                oid = view.valves[oid]
            label = view.variables.get(oid)
            return None if label is None else ids[_name_key(label)]

        for number, fields in view.arrows:
            src, dst = int(fields[2]), int(fields[3])
            shape, pol, thick = int(fields[4]), int(fields[6]), int(fields[7])
            dtype, res = int(fields[DELAY_FIELD]), int(fields[10])
            known = set(view.variables) | set(view.valves) | view.other
            bad = [o for o in (src, dst) if o not in known]
            if bad:
                problems.append(Problem(name, f"arrow {fields[1]} points to object {bad[0]}, "
                                        "which the sketch does not define.", line=number,
                                        fix=_FIX))
                continue
            u, v = resolve(src), resolve(dst)
            if res:
                initial += 1
                continue
            if u is None or v is None or u == v:
                continue  # clouds, comments, a valve's own label
            note = ""
            if thick > 20:
                symbol = "-" if shape == 100 else "+"
                note = "outflow" if shape == 100 else "inflow"
            elif pol == 0:
                if missing_polarity == "error":
                    problems.append(Problem(name, f"arrow {u} → {v} has no polarity mark.",
                                            line=number, fix="Set the arrow's polarity in "
                                            "Vensim (Arrow options → Polarity)."))
                    continue
                unmarked += 1
                symbol = "?"
            else:
                char = chr(pol) if 0 < pol < 0x110000 else ""
                symbol = normalise_polarity(char) or "?"
                if char not in "+-?":
                    marks[char] = symbol
            delay = bool(dtype & DELAY_BITS)  # DELAY_FIELD: see the module docstring
            for end in (u, v):
                if end not in graph:
                    graph.add_node(end, label=end, description="",
                                   kind=kinds.get(end, "variable"))
            if graph.has_edge(u, v):
                old = graph.edges[u, v]
                if old["polarity"] != symbol:
                    old["polarity"] = "?"
                old["delay"] = old["delay"] or delay
                continue
            graph.add_edge(u, v, polarity=symbol, delay=delay, note=note)
    for view in views:
        for label in view.variables.values():
            vid = ids[_name_key(label)]
            if vid not in graph:
                graph.add_node(vid, label=vid, description="", kind=kinds.get(vid, "variable"))
    if not problems and graph.number_of_nodes() == 0:
        problems.append(Problem(name, "has a sketch with no variables.", fix=_FIX))
    if problems:
        raise CaseFileError(problems)
    graph, warnings = as_cld(graph, source=name, max_variables=max_variables)
    if unmarked:
        warnings.insert(0, Problem(name, f"{unmarked} arrow(s) carry no polarity mark and "
                                   "were read as '?' (undetermined, CLD-4).",
                                   fix="Mark them + or - in Vensim, or set them in the CSV."))
    if initial:
        warnings.append(Problem(name, f"{initial} initial-value arrow(s) were left out; they "
                                "set starting values, not feedback."))
    return CldImport(graph, name, tuple(LabelMapping(k, s) for k, s in marks.items()), warnings)
