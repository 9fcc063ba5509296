"""A dynamic hypothesis from an initial causal loop diagram, and the enquiry gaps it implies (duty 5).

A dynamic hypothesis is a working theory of how the structure produces the
reference mode, stated as feedback loops (Sterman 2000, ch. 3).  The
workbook's reading (a workbook design, after Sterman 2000, ch. 4 and
Richardson 1995) pairs the pattern's shape with the loops through the
variable that could produce it:

- ``DH-1`` a *stable* level is what balancing loops produce: they push back on
  any change, so the balancing loops through the variable are the first
  candidates, and the reinforcing ones say why the level is not lower;
- ``DH-2`` a sustained *shift* says a loop grew or weakened at about that time:
  the candidates are the loops through the variable with a delayed link,
  since a delay explains a lag between a change and its effect;
- ``DH-3`` every candidate is an inference to test with the people who know
  the system, and with data.

The model then names what to ask (``DH-4``): each variable on a candidate
loop that no data measure, and each delayed link, whose length nobody has
measured yet.

Examples
--------
>>> from stp_helpers.cld import build_cld
>>> graph, _ = build_cld([("need", "crisis", "+"), ("crisis", "response", "+"), ("response", "need", "-"),
...                        ("response", "prevention", "-", "yes"), ("prevention", "need", "-")])
>>> dynamic_hypothesis(graph, "crisis", "stable")[["loop", "candidate"]].values.tolist()
[['B1', 'yes'], ['R1', 'also']]
>>> enquiry_gaps(graph, "crisis", "stable", measured=["crisis"])["gap"].tolist()
['response', 'need']
>>> enquiry_gaps(graph, "crisis", "shifts down", measured=["crisis"])["gap"].tolist()
['response', 'prevention', 'need', 'delay: response → prevention']
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pandas as pd

from stp_helpers.cld.loops import Loop, LoopList, find_loops
from stp_helpers.errors import GraphError

__all__ = ["hypothesis_loops", "dynamic_hypothesis", "enquiry_gaps", "hypothesis_sentence"]

_WHY = {("stable", "B"): "pushes back on change: it can hold the level",
        ("stable", "R"): "amplifies change: held in check, it says why the level is not lower",
        ("shift", "B"): "a stronger or weaker pull here moves the level it holds",
        ("shift", "R"): "running the other way, it turns a vicious circle into a virtuous one"}


def _ids(ids: list[str], most: int = 6) -> str:
    """Loop ids for a sentence: at most ``most``, then how many more."""
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"


def _kind(shape: str) -> str:
    return "shift" if shape.startswith("shifts") else "stable"


def _label(graph: nx.DiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def hypothesis_loops(graph: nx.DiGraph, variable: str, loops: LoopList | None = None) -> list[Loop]:
    """The loops through ``variable``, in CLD-6 order.

    Raises
    ------
    GraphError
        ``variable`` is not in the diagram (the message lists some that are).
    """
    if variable not in graph:
        known = ", ".join(sorted(map(str, graph.nodes))[:12])
        raise GraphError(f"{variable!r} is not a variable of the diagram.",
                         f"Choose the variable the data measure: one of {known}.")
    return [lp for lp in (loops if loops is not None else find_loops(graph)) if variable in lp.variables]


def dynamic_hypothesis(graph: nx.DiGraph, variable: str, shape: str, loops: LoopList | None = None) -> pd.DataFrame:
    """The candidate loops that could produce the pattern (``DH-1``, ``DH-2``).

    Parameters
    ----------
    graph : networkx.DiGraph
        The initial CLD.
    variable : str
        The variable the data measure (a node id).
    shape : str
        The reference mode's shape (:data:`stp_helpers.evaluation.patterns.SHAPES`).
    loops : LoopList, optional
        Loops already found.

    Returns
    -------
    DataFrame
        ``loop``, ``kind``, ``delayed``, ``candidate`` (``"yes"`` first, then ``"also"``), ``why`` and ``path``.
    """
    kind = _kind(shape)
    rows = []
    for lp in hypothesis_loops(graph, variable, loops):
        first = lp.polarity == "B" if kind == "stable" else lp.delayed
        rows.append({"loop": lp.id, "kind": lp.kind, "delayed": "yes" if lp.delayed else "no",
                     "candidate": "yes" if first else "also",
                     "why": _WHY.get((kind, lp.polarity), "its polarity is unknown: settle the link's sign first"),
                     "path": lp.path()})
    frame = pd.DataFrame(rows, columns=["loop", "kind", "delayed", "candidate", "why", "path"])
    return frame.sort_values("candidate", key=lambda c: c.ne("yes"), kind="stable").reset_index(drop=True)


def hypothesis_sentence(graph: nx.DiGraph, variable: str, shape: str, loops: LoopList | None = None) -> str:
    """The hypothesis in one or two sentences, marked as an inference (``DH-3``)."""
    table = dynamic_hypothesis(graph, variable, shape, loops)
    name = _label(graph, variable)
    if table.empty:
        return (f"No loop of the diagram passes through {name}: the model cannot yet explain its pattern. "
                "Ask what responds to it, and what it feeds back on.")
    first = table[table["candidate"] == "yes"]["loop"].tolist()
    also = table[table["candidate"] == "also"]["loop"].tolist()
    if _kind(shape) == "stable":
        lead = (f"Hypothesis (an inference to test): {name} is {shape} because "
                f"{'balancing loop ' if len(first) == 1 else 'balancing loops '}{_ids(first)} "
                f"{'holds' if len(first) == 1 else 'hold'} it" if first else
                f"Hypothesis (an inference to test): no balancing loop passes through {name}, so its stable level "
                "needs a balancing loop the diagram lacks")
        rest = f"; {_ids(also)} would explain why the level does not fall." if also else "."
        return lead + rest
    lead = (f"Hypothesis (an inference to test): {name} {shape} because a delayed loop changed strength: "
            f"{_ids(first)}" if first else
            f"Hypothesis (an inference to test): {name} {shape}, but no loop through it has a delay: "
            "ask what changed, and how long it took to show")
    return lead + "."


def enquiry_gaps(graph: nx.DiGraph, variable: str, shape: str, measured: Iterable[str] = (),
                 loops: LoopList | None = None) -> pd.DataFrame:
    """What the hypothesis needs that no data give (``DH-4``): unmeasured variables and delayed links.

    Parameters
    ----------
    measured : iterable of str
        Variables some data measure (node ids); the others on candidate loops are gaps.

    Returns
    -------
    DataFrame
        ``gap``, ``loops`` (the candidate loops it is on) and ``ask`` (the question for stakeholders),
        variables first (most loops first), then delayed links.
    """
    table = dynamic_hypothesis(graph, variable, shape, loops)
    first = set(table["loop"][table["candidate"] == "yes"])
    chosen = [lp for lp in hypothesis_loops(graph, variable, loops) if lp.id in first]
    known = set(measured)
    on: dict[str, list[str]] = {}
    delays: dict[tuple[str, str], list[str]] = {}
    for lp in chosen:
        for node in lp.variables:
            if node not in known:
                on.setdefault(node, []).append(lp.id)
        for link in lp.delays:
            delays.setdefault(link, []).append(lp.id)
    rows = [{"gap": _label(graph, n), "loops": ", ".join(ids),
             "ask": f"How has {_label(graph, n)} changed over time, who records it, and who sees it differently?"}
            for n, ids in sorted(on.items(), key=lambda kv: -len(kv[1]))]
    rows += [{"gap": f"delay: {_label(graph, a)} → {_label(graph, b)}", "loops": ", ".join(ids),
              "ask": f"How long does a change in {_label(graph, a)} take to show in {_label(graph, b)}?"}
             for (a, b), ids in delays.items()]
    return pd.DataFrame(rows, columns=["gap", "loops", "ask"])
