"""Charts of the SSM notebook: how each worldview's CATWOE fares on the checks.

Examples
--------
>>> from stp_helpers.ssm.definitions import make_catwoe
>>> chart = check_chart([make_catwoe("a"), make_catwoe("b", owners="the council")])
>>> chart.to_dict()["title"]["text"]
'a has the most to look at: 4 of 8 checks'
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import BALANCING, SERIES
from stp_helpers.ssm.records import Catwoe
from stp_helpers.ssm.quality import check_catwoe

__all__ = ["check_frame", "check_chart"]

_PASS, _LOOK = "passes", "look again"


def check_frame(worldviews: Iterable[Catwoe]) -> pd.DataFrame:
    """Return one row per worldview and outcome: how many CATWOE checks pass or need a look."""
    rows = []
    for cw in worldviews:
        found = check_catwoe(cw)
        ok = sum(f.passed for f in found)
        rows.append({"worldview": cw.id, "outcome": _PASS, "checks": ok,
                     "rules": ", ".join(f.rule for f in found if f.passed)})
        rows.append({"worldview": cw.id, "outcome": _LOOK, "checks": len(found) - ok,
                     "rules": ", ".join(f.rule for f in found if not f.passed)})
    return pd.DataFrame(rows, columns=["worldview", "outcome", "checks", "rules"])


def _finding(frame: pd.DataFrame) -> str:
    look = frame[frame["outcome"] == _LOOK].set_index("worldview")["checks"]
    total = int(frame.groupby("worldview", sort=False)["checks"].sum().max())
    if look.empty or int(look.max()) == 0:
        n = frame["worldview"].nunique()
        return f"{'Every' if n > 1 else 'The'} worldview passes all {total} CATWOE checks"
    worst = look.idxmax()
    return f"{worst} has the most to look at: {int(look.max())} of {total} checks"


def check_chart(worldviews: Iterable[Catwoe], *, subtitle: str | list[str] | None = None,
                title: str | None = None) -> alt.Chart:
    """Stacked bars: CATWOE checks passed and to look at, per worldview.

    Parameters
    ----------
    worldviews : iterable of Catwoe
    subtitle : str or list of str, optional
        Case and source.
    title : str, optional
        Default: the worldview with the most to look at (the finding).

    Returns
    -------
    altair.Chart

    Raises
    ------
    ValueError
        When there is no worldview.
    """
    frame = check_frame(worldviews)
    if frame.empty:
        raise ValueError("check_chart needs at least one worldview")
    props: dict = {"text": title or _finding(frame)}
    if subtitle:
        props["subtitle"] = subtitle
    order = list(dict.fromkeys(frame["worldview"]))
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y("worldview:N", sort=order, title="Worldview (CATWOE id)"),
        x=alt.X("checks:Q", stack="zero", title="CATWOE checks (count)", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("outcome:N", scale=alt.Scale(domain=[_PASS, _LOOK], range=[BALANCING, SERIES[3]]),
                        legend=alt.Legend(title="Outcome")),
        order=alt.Order("outcome:N", sort="descending"),
        tooltip=["worldview", "outcome", "checks", "rules"],
    ).properties(title=alt.TitleParams(**props), height=alt.Step(40))
