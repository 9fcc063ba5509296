"""Requisite variety (Ashby): outcomes, variety gaps in bits, and the balance of amplifiers and attenuators in a VSM description."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
import math

import pandas as pd

from stp_helpers.vsm.model import Device, VsmDescription, VsmError

__all__ = [
    "min_outcomes",
    "variety_balance",
    "variety_from_demand",
    "variety_gap_bits",
]


def _positive(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 1:
        raise VsmError(f"{what} should be a count of distinguishable states, at least 1; got {value!r}.",
                       "Count the states you can tell apart (1, 2, 3 …).")
    return float(value)


def min_outcomes(disturbances: float, responses: float) -> int:
    """Fewest outcome states a regulator can hold: ⌈V_D / V_R⌉ (Ashby 1956).

    Parameters
    ----------
    disturbances : int
        Variety of the disturbances (distinguishable states).
    responses : int
        Variety of the regulator's responses.

    Returns
    -------
    int

    Raises
    ------
    VsmError
        A count below 1.

    Examples
    --------
    >>> min_outcomes(12, 4)
    3
    >>> min_outcomes(4, 12)
    1
    """
    d, r = _positive(disturbances, "The disturbance variety"), _positive(responses, "The response variety")
    return max(1, math.ceil(d / r - 1e-12))


def variety_gap_bits(disturbances: float, responses: float) -> float:
    """Return log₂ V_D − log₂ V_R: the bits of variety the regulator lacks (negative: spare).

    Ashby's law in bits is H(O) ≥ H(D) − H(R).

    Raises
    ------
    VsmError
        A count below 1.

    Examples
    --------
    >>> round(variety_gap_bits(12, 4), 3)
    1.585
    """
    d, r = _positive(disturbances, "The disturbance variety"), _positive(responses, "The response variety")
    return math.log2(d) - math.log2(r)


def variety_from_demand(demand: pd.DataFrame, columns: Iterable[str]) -> int:
    """Count the distinguishable states in demand data: distinct combinations of ``columns``.

    Parameters
    ----------
    demand : DataFrame
        One row per demand (a call, a referral, a visit).
    columns : iterable of str
        The columns that tell demands apart (e.g. ``["need", "urgency"]``).

    Returns
    -------
    int

    Raises
    ------
    VsmError
        No rows, or a column that is not in the data.

    Examples
    --------
    >>> demand = pd.DataFrame({"need": ["housing", "housing", "debt"], "urgency": ["high", "low", "low"]})
    >>> variety_from_demand(demand, ["need", "urgency"])
    3
    """
    columns = list(columns)
    missing = [c for c in columns if c not in demand.columns]
    if missing or not columns:
        raise VsmError(f"The demand data have no column(s) {', '.join(map(repr, missing)) or 'named'}.",
                       f"Use some of: {', '.join(map(str, demand.columns))}.")
    if demand.empty:
        raise VsmError("The demand data have no rows.", "Load the demand records first.")
    return int(len(demand[columns].drop_duplicates()))


def _factor(devices: Sequence[Device], between: str) -> tuple[float, list[str]]:
    chosen = [d for d in devices if d.between == between]
    factor = math.prod(d.factor or 1.0 for d in chosen)
    return factor, [d.name for d in chosen]


def variety_balance(desc: VsmDescription, sid: str | None = None) -> pd.DataFrame:
    """Tabulate the variety balance at each interface of each unit with estimates.

    For environment → operations and operations → management the table gives
    the declared varieties, the attenuators (dividing the disturbance) and
    amplifiers (multiplying the response) at that interface, and the gap
    ``log₂(effective disturbance) − log₂(effective response)`` in bits:
    positive means the regulator lacks variety (Ashby's law), negative spare.

    Parameters
    ----------
    desc : VsmDescription
    sid : str, optional
        System id (default: the system in focus).

    Returns
    -------
    DataFrame
        Columns ``unit``, ``interface``, ``disturbance``, ``response``,
        ``attenuators``, ``amplifiers``, ``gap_bits``, ``min_outcomes``,
        ``balanced``; empty when no unit has two estimates.

    Examples
    --------
    >>> from stp_helpers.vsm.model import Variety, build_description
    >>> desc = build_description("T", [("a", "A", "e")])
    >>> desc.systems[0].units[0].variety = Variety(environment=12, operations=4)
    >>> variety_balance(desc)[["interface", "gap_bits", "min_outcomes"]].to_dict("records")
    [{'interface': 'environment → operations', 'gap_bits': 1.585, 'min_outcomes': 3}]
    """
    system = desc.system(sid)
    rows = []
    for unit in system.units:
        v = unit.variety
        if v is None:
            continue
        for between, lo, hi in (("environment-operations", v.environment, v.operations),
                                ("operations-management", v.operations, v.management)):
            if lo is None or hi is None:
                continue
            att, att_names = _factor(unit.attenuators, between)
            amp, amp_names = _factor(unit.amplifiers, between)
            gap = variety_gap_bits(lo / att if lo / att >= 1 else 1, hi * amp)
            rows.append({
                "unit": unit.name, "interface": between.replace("-", " → "),
                "disturbance": lo, "response": hi,
                "attenuators": ", ".join(att_names), "amplifiers": ", ".join(amp_names),
                "gap_bits": round(gap, 3),
                "min_outcomes": min_outcomes(max(1.0, lo / att), hi * amp),
                "balanced": gap <= 1e-9,
            })
    columns = ["unit", "interface", "disturbance", "response", "attenuators", "amplifiers",
               "gap_bits", "min_outcomes", "balanced"]
    return pd.DataFrame(rows, columns=columns)
