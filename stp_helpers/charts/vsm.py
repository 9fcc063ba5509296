"""Variety-balance chart of the Viable System Model notebook (Ashby's law).

One bar per unit and interface (environment → operations, operations →
management): the gap ``log₂ disturbance − log₂ response`` in bits after the
attenuators and amplifiers declared at that interface.  Bars to the right of
zero (vermillion, labelled "short") are where the regulator lacks variety;
bars at or left of zero (blue, "balanced") have enough.

Examples
--------
>>> from stp_helpers.vsm.model import Variety, build_description
>>> desc = build_description("T", [("a", "Intake", "callers")])
>>> desc.systems[0].units[0].variety = Variety(environment=12, operations=4)
>>> variety_chart(desc).to_dict()["title"]["text"]
'Intake: operations are 1.6 bits short of the environment (outcomes cannot be held below 3 states)'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import (BALANCING, LABEL_CHARS, REINFORCING, bar_end_labels, category_axis,
                                     wrapped_lines)
from stp_helpers.vsm.model import VsmDescription, VsmError
from stp_helpers.vsm.variety import variety_balance

__all__ = ["variety_chart", "variety_finding"]


def variety_finding(balance: pd.DataFrame) -> str:
    """A title sentence for a variety-balance table: its largest gap, computed.

    Examples
    --------
    >>> variety_finding(pd.DataFrame({"unit": ["A"], "interface": ["operations → management"],
    ...                               "gap_bits": [-0.5], "min_outcomes": [1]}))
    'Variety is balanced at all 1 interface: no regulator is short'
    """
    if balance.empty:
        return "No variety estimates yet: enter counts for a unit's environment, operations and management"
    worst = balance.sort_values(["gap_bits", "unit"], ascending=[False, True], kind="stable").iloc[0]
    if worst["gap_bits"] <= 1e-9:
        n = len(balance)
        return f"Variety is balanced at all {n} interface{'s' if n != 1 else ''}: no regulator is short"
    lower, upper = str(worst["interface"]).split(" → ")
    return (f"{worst['unit']}: {upper} are {worst['gap_bits']:.1f} bits short of the {lower} "
            f"(outcomes cannot be held below {int(worst['min_outcomes'])} states)")


def variety_chart(desc: VsmDescription, system: str | None = None, *,
                  subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Bar chart of where variety is out of balance, unit by unit.

    Parameters
    ----------
    desc : VsmDescription
    system : str, optional
        System id (default: the system in focus).
    subtitle : str or list of str, optional
        Case and source.

    Returns
    -------
    altair.LayerChart
        Titled with the largest gap found (see :func:`variety_finding`).

    Raises
    ------
    VsmError
        ``system`` is not in the description.
    """
    if not isinstance(desc, VsmDescription):
        raise VsmError(f"variety_chart needs a VSM description, not {type(desc).__name__}.")
    balance = variety_balance(desc, system)
    title = variety_finding(balance)
    data = balance.assign(
        row=balance["unit"] + " · " + balance["interface"],
        status=["short" if g > 1e-9 else "balanced" for g in balance["gap_bits"]],
        label=[f"{g:+.2f} bits" for g in balance["gap_bits"]],
    )
    if data.empty:
        data = pd.DataFrame({"row": ["(no estimates)"], "gap_bits": [0.0], "status": ["balanced"],
                             "label": [""], "disturbance": [0], "response": [0],
                             "attenuators": [""], "amplifiers": [""]})
    # Row names wrap onto lines (never cut); the scale leaves room for the "+n bits" label past each bar.
    lines = max(wrapped_lines(r, LABEL_CHARS) for r in data["row"])
    low, high = min(0.0, float(data["gap_bits"].min())), max(0.0, float(data["gap_bits"].max()))
    span = (high - low) or 1.0
    base = alt.Chart(data).encode(
        y=alt.Y("row:N", sort=None, title="Unit · interface", axis=category_axis()),
        x=alt.X("gap_bits:Q", title="Variety gap (bits: log₂ disturbance − log₂ response)",
                scale=alt.Scale(domain=[low - (0.05 * span if low < 0 else 0), high + 0.1 * span])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("status:N", scale=alt.Scale(domain=["short", "balanced"], range=[REINFORCING, BALANCING]),
                        legend=alt.Legend(title="Regulator")),
        tooltip=["row", "disturbance", "response", "attenuators", "amplifiers", "gap_bits"],
    )
    # The longest bars (always "short", vermillion) carry their number inside their end in black (5.4:1).
    outside, inside = bar_end_labels(base, "gap_bits", high, text="label:N", inside_colour=alt.value("#000000"),
                                     share=0.6)
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#000000").encode(x="x:Q")
    props: dict = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    return alt.layer(bars, outside, inside, rule).properties(title=alt.TitleParams(**props),
                                                  height=alt.Step(max(30, 17 * lines + 8)), width=420)
