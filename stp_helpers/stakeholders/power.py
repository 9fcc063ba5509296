"""Power, interest, salience and influence.

Mendelow's power/interest grid, the salience classes of Mitchell, Agle and Wood,
the influence network (who reaches most, who brokers) and change between snapshots.

Examples
--------
>>> grid_quadrant(0.8, 0.3)
'keep satisfied'
>>> salience_class({"legitimacy", "urgency"})
'dependent'
>>> from stp_helpers.stakeholders.register import build_register
>>> register = build_register(
...     [{"name": "Commissioners", "power": 0.9, "interest": 0.8, "legitimacy": 0.9, "urgency": 0.4},
...      {"name": "People using services", "power": 0.2, "interest": 0.9, "legitimacy": 0.9,
...       "urgency": 0.9}],
...     links=[("People using services", "Commissioners")])
>>> grid_table(register)[["name", "quadrant", "salience"]].to_string(index=False)
'                 name      quadrant  salience\\n        Commissioners   key players  dominant\\nPeople using services keep informed dependent'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from stp_helpers.errors import StakeholderError
from stp_helpers.stakeholders.register import (
    QUADRANTS,
    SALIENCE_CLASSES,
    Register,
    Stakeholder,
    as_date,
    score_value,
)

__all__ = [
    "attributes_by_name",
    "brokers",
    "compare_snapshots",
    "grid_finding",
    "grid_quadrant",
    "grid_table",
    "influence_network",
    "rank_influence",
    "salience_attributes",
    "salience_class",
    "salience_group",
    "salience_table",
]


def grid_quadrant(power: float, interest: float, threshold: float = 0.5, scale: str = "0-1") -> str:
    """Return Mendelow's quadrant for a power and an interest score (rule MEN, threshold inclusive).

    Scores are on the declared ``scale`` (``"0-1"``, ``"1-5"`` or ``"0-10"``)
    and normalised to [0, 1]; ``threshold`` is on the normalised scale, so the
    default 0.5 is the scale's midpoint.

    Examples
    --------
    >>> [grid_quadrant(*s) for s in [(0.8, 0.3), (0.5, 0.5), (0.2, 0.9), (0.1, 0.1)]]
    ['keep satisfied', 'key players', 'keep informed', 'monitor']
    >>> grid_quadrant(9, 2, scale="0-10"), grid_quadrant(3, 3, scale="1-5")
    ('keep satisfied', 'key players')
    """
    power, interest = score_value(power, "power", scale), score_value(interest, "interest", scale)
    high_p, high_i = power >= threshold, interest >= threshold
    if high_p and high_i:
        return "key players"
    if high_p:
        return "keep satisfied"
    return "keep informed" if high_i else "monitor"


def salience_attributes(row: Stakeholder, threshold: float = 0.5) -> frozenset[str]:
    """Return the salience attributes a stakeholder holds (score at or above ``threshold``)."""
    return frozenset(a for a in ("power", "legitimacy", "urgency") if getattr(row, a) >= threshold)


def attributes_by_name(register: Register, names: Iterable[str] | None = None,
                       snapshot: dt.date | str | None = None) -> dict[str, list[str]]:
    """Each stakeholder's salience attributes (sorted), for the names given or everyone.

    Raises
    ------
    StakeholderError
        A name that is not in the register.
    """
    wanted = list(names) if names is not None else register.names()
    return {n: sorted(salience_attributes(register.get(n, snapshot))) for n in wanted}


def salience_class(attributes: Iterable[str]) -> str:
    """Return the Mitchell–Agle–Wood class for a set of attributes (rule SAL).

    Raises
    ------
    StakeholderError
        An attribute other than power, legitimacy or urgency.

    Examples
    --------
    >>> salience_class({"power", "urgency"}), salience_class(set()), salience_class(["power", "legitimacy", "urgency"])
    ('dangerous', 'non-stakeholder', 'definitive')
    """
    held = frozenset(str(a).strip().lower() for a in attributes)
    unknown = held - {"power", "legitimacy", "urgency"}
    if unknown:
        raise StakeholderError(f"{sorted(unknown)[0]!r} is not a salience attribute.",
                               "Use power, legitimacy and urgency.")
    return next(name for name, (attrs, _) in SALIENCE_CLASSES.items() if attrs == held)


def salience_group(klass: str) -> str:
    """Return the group of a salience class: none, latent, expectant or definitive."""
    return SALIENCE_CLASSES[klass][1]


def grid_table(register: Register, snapshot: dt.date | str | None = None, threshold: float = 0.5) -> pd.DataFrame:
    """One row per stakeholder: scores, quadrant, approach, salience class and group.

    Rows are ordered key players first, then by power and interest.
    """
    order = list(QUADRANTS)
    records = []
    for row in register.at(snapshot):
        quadrant = grid_quadrant(row.power, row.interest, threshold)
        klass = salience_class(salience_attributes(row, threshold))
        records.append({"name": row.name, "role": row.role, "power": row.power, "interest": row.interest,
                        "legitimacy": row.legitimacy, "urgency": row.urgency, "stance": row.stance,
                        "quadrant": quadrant, "approach": QUADRANTS[quadrant], "salience": klass,
                        "salience_group": salience_group(klass), "snapshot": row.snapshot.isoformat()})
    table = pd.DataFrame.from_records(records, columns=[
        "name", "role", "power", "interest", "legitimacy", "urgency", "stance", "quadrant", "approach",
        "salience", "salience_group", "snapshot"])
    table["_q"] = table["quadrant"].map(order.index)
    table = table.sort_values(["_q", "power", "interest", "name"], ascending=[True, False, False, True],
                              kind="stable")
    return table.drop(columns="_q").reset_index(drop=True).round(2)


def salience_table(register: Register, snapshot: dt.date | str | None = None) -> pd.DataFrame:
    """Count stakeholders in each of the eight salience classes, with their names."""
    table = grid_table(register, snapshot)
    out = []
    for klass, (attrs, group) in SALIENCE_CLASSES.items():
        names = table.loc[table["salience"] == klass, "name"].tolist()
        out.append({"class": klass, "group": group, "attributes": ", ".join(sorted(attrs)) or "none",
                    "count": len(names), "stakeholders": ", ".join(names)})
    return pd.DataFrame(out)


def grid_finding(register: Register, snapshot: dt.date | str | None = None) -> str:
    """A chart title stating who the key players are, e.g. '2 of 5 stakeholders are key players: A, B'."""
    table = grid_table(register, snapshot)
    keys = table.loc[table["quadrant"] == "key players", "name"].tolist()
    n = len(table)
    if not keys:
        return f"None of {n} stakeholders is a key player: nobody has both power and interest"
    verb = "is a key player" if len(keys) == 1 else "are key players"
    return f"{len(keys)} of {n} stakeholders {verb}: {', '.join(keys)}"


# ------------------------------------------------------------------ influence network
def influence_network(register: Register, snapshot: dt.date | str | None = None) -> nx.DiGraph:
    """A directed graph: nodes are stakeholders (with their scores), edges are influence links.

    Edge attributes: ``strength`` and ``how``.  Node attributes: the four
    scores, ``quadrant`` and ``salience``.
    """
    graph = nx.DiGraph()
    for row in grid_table(register, snapshot).itertuples(index=False):
        graph.add_node(row.name, power=row.power, interest=row.interest, legitimacy=row.legitimacy,
                       urgency=row.urgency, quadrant=row.quadrant, salience=row.salience)
    for link in register.links:
        if link.influencer in graph and link.influenced in graph:
            graph.add_edge(link.influencer, link.influenced, strength=link.strength, how=link.how)
    return graph


def rank_influence(graph: nx.DiGraph) -> pd.DataFrame:
    """Rank stakeholders by who can carry change furthest.

    Columns: ``reach`` (stakeholders reachable along influence links),
    ``out_strength`` (sum of the strengths of its links), ``betweenness``
    (normalised betweenness centrality: how often it sits on the shortest
    route between two others, i.e. a broker) and ``broker`` (betweenness > 0).
    Sorted by reach, then betweenness, then name.

    Examples
    --------
    >>> g = nx.DiGraph([("A", "B"), ("B", "C"), ("A", "D")])
    >>> rank_influence(g)[["name", "reach", "betweenness"]].to_string(index=False)
    'name  reach  betweenness\\n   A      3        0.000\\n   B      1        0.167\\n   C      0        0.000\\n   D      0        0.000'
    """
    if graph.number_of_nodes() == 0:
        raise StakeholderError("The influence network is empty.", "Add stakeholders to the register first.")
    between = nx.betweenness_centrality(graph, normalized=True) if graph.number_of_nodes() > 2 else \
        {n: 0.0 for n in graph}
    rows = [{"name": n, "reach": len(nx.descendants(graph, n)),
             "out_strength": round(sum(d.get("strength", 1.0) for _, _, d in graph.out_edges(n, data=True)), 3),
             "influenced_by": graph.in_degree(n), "betweenness": round(between[n], 3),
             "broker": between[n] > 0} for n in graph]
    table = pd.DataFrame(rows)
    table = table.sort_values(["reach", "betweenness", "out_strength", "name"],
                              ascending=[False, False, False, True], kind="stable")
    return table.reset_index(drop=True)


def brokers(graph: nx.DiGraph) -> list[str]:
    """Stakeholders on the shortest route between others (betweenness > 0), most central first."""
    table = rank_influence(graph)
    table = table[table["broker"]].sort_values(["betweenness", "name"], ascending=[False, True], kind="stable")
    return table["name"].tolist()


# ------------------------------------------------------------------ snapshots
def compare_snapshots(register: Register, before: dt.date | str | None = None,
                      after: dt.date | str | None = None) -> pd.DataFrame:
    """How each stakeholder's quadrant and salience changed between two snapshots.

    Defaults: the first and the last snapshot.  New stakeholders show
    ``(not yet listed)`` before.
    """
    dates = register.snapshots()
    a = as_date(before) if before is not None else dates[0]
    b = as_date(after) if after is not None else dates[-1]
    old = grid_table(register, a).set_index("name")
    new = grid_table(register, b).set_index("name")
    out = []
    for name in sorted(set(old.index) | set(new.index), key=str.casefold):
        was = old.loc[name] if name in old.index else None
        now = new.loc[name] if name in new.index else None
        row = {"name": name,
               "quadrant_before": was["quadrant"] if was is not None else "(not yet listed)",
               "quadrant_after": now["quadrant"] if now is not None else "(not yet listed)",
               "salience_before": was["salience"] if was is not None else "(not yet listed)",
               "salience_after": now["salience"] if now is not None else "(not yet listed)"}
        row["changed"] = (row["quadrant_before"], row["salience_before"]) != (row["quadrant_after"],
                                                                              row["salience_after"])
        out.append(row)
    table = pd.DataFrame(out)
    return table.sort_values(["changed", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
