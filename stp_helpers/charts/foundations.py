"""Charts of the foundations notebooks: loop behaviour, Jackson's grid and the law matrix.

Examples
--------
>>> from stp_helpers.foundations import concepts, sosm
>>> chart = behaviour_chart(concepts.feedback_series(weeks=10), series="loop", title="Two loops",
...                         y_title="Value (index)")
>>> chart.to_dict()["title"]["text"]
'Two loops'
>>> sosm_chart(sosm.grid_table(("complex", "pluralist")), title="Complex–pluralist").to_dict()["title"]["text"]
'Complex–pluralist'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from stp_helpers.charts.theme import BALANCING, REINFORCING, SERIES, category_axis, wrap_expr, wrapped_lines

__all__ = ["behaviour_chart", "sosm_chart", "regime_chart"]

PARTICIPANT_ORDER = ("unitary", "pluralist", "coercive")
CONTEXT_ORDER = ("simple", "complex")


def _title(text: str, subtitle: str | list[str] | None) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle) if subtitle else alt.TitleParams(text=text)


_BEHAVIOUR_HEIGHT = 300


def behaviour_chart(frame: pd.DataFrame, *, series: str, title: str, y_title: str, x_title: str = "Time (weeks)",
                    subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Lines over time, one per series, each labelled at its end (colour is never the only carrier).

    Series whose names start with ``R`` or ``B`` take the loop colours.
    """
    names = list(dict.fromkeys(frame[series]))
    colours = [REINFORCING if n.startswith("R") else BALANCING if n.startswith("B") else SERIES[i % len(SERIES)]
               for i, n in enumerate(names)]
    colour = alt.Color(f"{series}:N", scale=alt.Scale(domain=names, range=colours), legend=None)
    base = alt.Chart(frame).encode(x=alt.X("week:Q", title=x_title), y=alt.Y("value:Q", title=y_title), color=colour)
    lines = base.mark_line(strokeWidth=3).encode(tooltip=["week", series, alt.Tooltip("value:Q", format=".1f")])
    ends = _end_labels(frame[frame["week"] == frame["week"].max()], frame["value"], height=_BEHAVIOUR_HEIGHT)
    labels = alt.Chart(ends).mark_text(align="right", fontSize=14, dy=alt.ExprRef("datum.offset")).encode(
        x="week:Q", y="value:Q", text=f"{series}:N", color=colour)
    return (lines + labels).properties(title=_title(title, subtitle), width="container", height=_BEHAVIOUR_HEIGHT)


def _end_labels(ends: pd.DataFrame, values: pd.Series, *, height: int, gap: int = 19) -> pd.DataFrame:
    """The last points with a pixel ``offset`` each: above its line, and at least ``gap`` px below the label above.

    ``values`` are all the chart's values (they set its scale).

    Where lines end close together (a result that has reached its goal) the lower one's label goes under its line,
    so no two labels overlap.

    >>> ends = pd.DataFrame({"series": ["goal", "result"], "value": [50.0, 49.9]})
    >>> _end_labels(ends, pd.Series([20.0, 80.0, 50.0]), height=300)["offset"].tolist()
    [-10.0, 8.6]
    """
    low = min(0.0, float(values.min()))
    span = (float(values.max()) - low) or 1.0
    per_unit = height / span  # about the chart's scale: its domain starts at zero and ends near the top value
    out = ends.sort_values("value", ascending=False, kind="stable").copy()
    offsets, previous = [], None
    for value in out["value"]:
        point = (span - (float(value) - low)) * per_unit
        place = point - 10 if previous is None else max(point - 10, previous + gap)
        offsets.append(round(place - point, 1))
        previous = place
    return out.assign(offset=offsets)


#: Width of one character as a share of the font size, a little over the system fonts' average (about 0.52).
_CHAR_EM = 0.58
#: A plot narrower than this (a phone) draws the grid's names smaller.
_PHONE_PLOT = 420
#: On a phone the grid's names wrap at no fewer than this many characters (its longest word fits a column).
_GRID_PHONE_CHARS = 12
_GRID_LINE = 15


def _grid_lines(text: str, chars: int) -> int:
    """How many lines a cell's text takes when each item starts a line and wraps at ``chars`` characters."""
    return sum(wrapped_lines(part, chars) for part in text.split("\n"))


def sosm_chart(grid: pd.DataFrame, *, title: str, subtitle: str | list[str] | None = None) -> alt.LayerChart:
    r"""Jackson's grid: participants across, context down, each cell naming its approaches.

    Each approach starts its own line and wraps to the column's width (smaller type on a phone), so no name is
    cut and none runs into the next cell; rows are tall enough for a phone's narrow columns.  The chosen cell is
    filled vermillion and its text starts "Your case" (colour is never the only carrier).

    >>> from stp_helpers.foundations import sosm
    >>> spec = sosm_chart(sosm.grid_table(("simple", "coercive")), title="Grid").to_dict()
    >>> [row["label"] for row in spec["datasets"][spec["data"]["name"]] if row["chosen"]]
    ['Your case\nCritical systems heuristics\nTeam syntegrity']
    """
    frame = grid.assign(label=[("Your case\n" if chosen else "") + text.replace("; ", "\n")
                               for chosen, text in zip(grid["chosen"], grid["approaches"])])
    font = f"width < {_PHONE_PLOT} ? 12 : 14"
    chars = f"max({_GRID_PHONE_CHARS}, floor((width / 3 - 16) / (({font}) * {_CHAR_EM})))"
    lines = max(_grid_lines(text, _GRID_PHONE_CHARS) for text in frame["label"])
    base = alt.Chart(frame).transform_calculate(lines=wrap_expr(chars, field="label")).encode(
        x=alt.X("participants:N", sort=list(PARTICIPANT_ORDER), title="Participants",
                axis=alt.Axis(orient="top", labelFontSize=14, labelAngle=0, grid=False)),
        # Context names stand on end beside their rows, so a phone keeps its width for the three columns.
        y=alt.Y("context:N", sort=list(CONTEXT_ORDER), title="Problem context",
                axis=alt.Axis(labelFontSize=14, labelAngle=-90, labelAlign="center", labelBaseline="bottom",
                              labelPadding=6, grid=False)))
    cells = base.mark_rect(stroke="#000000").encode(
        color=alt.condition(alt.datum.chosen, alt.value(REINFORCING), alt.value("#FFFFFF")),
        tooltip=["context", "participants", "approaches", "notebooks"])
    # Black on vermillion is 5.4:1 (white would be 3.6:1).
    # Names start at the top of their cell (a block of lines is not centred on its anchor).
    text = base.mark_text(fontSize=alt.ExprRef(font), lineHeight=_GRID_LINE, baseline="top", dy=12).encode(
        y=alt.Y("context:N", sort=list(CONTEXT_ORDER), bandPosition=0), text="lines:N", color=alt.value("#000000"))
    return (cells + text).properties(title=_title(title, subtitle), width="container",
                                     height=alt.Step(lines * _GRID_LINE + 28))


#: Activity names in the law matrix wrap at about this many characters (the same on a phone and a projector).
_ACTIVITY_CHARS = 17
#: Below this plot width the regime names stand on end above their columns (a phone); above it they wrap.
_UPRIGHT_BELOW = 500
_REGIME_CHARS = 12
_REGIME_LINE = 17


def regime_chart(matrix: pd.DataFrame, names: dict[str, str], *, title: str,
                 subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """Activities (rows) against regimes (columns); engaged cells filled blue and marked 'yes'.

    Activity names wrap onto lines (never cut) and each row is tall enough for its name.  Regime names wrap
    above their columns on a wide chart; on a phone's narrow columns they stand on end, one line each.

    >>> from stp_helpers.foundations import law
    >>> spec = regime_chart(law.activity_matrix(), law.short_names(), title="Matrix").to_dict()
    >>> spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"], spec["height"]["step"] >= 40
    (0, True)
    """
    frame = matrix.reset_index().melt(id_vars="activity", var_name="regime", value_name="engaged")
    frame["regime"] = frame["regime"].map(names)
    frame["mark"] = frame["engaged"].map({True: "yes", False: ""})
    upright = f"width < {_UPRIGHT_BELOW}"
    # A wrapped label's first line sits on the axis and the rest would run down into the cells, so every
    # label is padded at the front to the same number of lines and the labels are lifted by the extra lines.
    depth = max(wrapped_lines(n, _REGIME_CHARS) for n in names.values())
    wrapped = wrap_expr(_REGIME_CHARS)
    padded = ""
    for n in range(1, depth):  # a label of n lines gets depth - n empty lines in front
        items = ["''"] * (depth - n) + [f"{wrapped}[{i}]" for i in range(n)]
        padded += f"length({wrapped}) == {n} ? [{', '.join(items)}] : "
    padded += wrapped
    regime_axis = alt.Axis(
        orient="top", grid=False, labelLimit=0, labelFontSize=14, labelLineHeight=_REGIME_LINE,
        labelExpr=f"{upright} ? datum.label : {padded}", labelPadding=alt.ExprRef(
            f"{upright} ? 4 : {4 + (depth - 1) * _REGIME_LINE}"),
        labelAngle=alt.ExprRef(f"{upright} ? -90 : 0"), labelAlign=alt.ExprRef(f"{upright} ? 'left' : 'center'"),
        labelBaseline=alt.ExprRef(f"{upright} ? 'middle' : 'bottom'"))
    lines = max(wrapped_lines(a, _ACTIVITY_CHARS) for a in matrix.index)
    base = alt.Chart(frame).encode(
        x=alt.X("regime:N", sort=list(names.values()), title=None, axis=regime_axis),
        y=alt.Y("activity:N", sort=list(matrix.index), title=None, axis=category_axis(_ACTIVITY_CHARS)))
    cells = base.mark_rect(stroke="#000000").encode(
        color=alt.condition(alt.datum.engaged, alt.value("#0072B2"), alt.value("#FFFFFF")),
        tooltip=["activity", "regime", "mark"])
    text = base.mark_text(fontSize=14, color="#FFFFFF").encode(text="mark:N")  # white on blue: 5.2:1
    return (cells + text).properties(title=_title(title, subtitle), width="container",
                                     height=alt.Step(max(40, 17 * lines + 10)))
