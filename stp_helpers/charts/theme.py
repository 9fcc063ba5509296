"""Every chart of the workbook: one theme, one palette, offline rendering.

Charts are Altair.  They render **with no network**: the JavaScript comes
from the installed ``vl-convert-python`` package (bundled once per machine
into the workbook's cache) and reaches the browser from the workbook's own
server (a cached static file under ``stp serve``, inside the widget elsewhere),
never from a CDN.  Colours are Okabe–Ito (colour-blind safe);
reinforcing loops are vermillion and balancing loops blue, always with their
label.  Titles state the finding; axes carry units.

Method-specific builders live in submodules (``charts.sd`` for run charts and
Monte Carlo bands, and one per method); this module holds the theme, the
palette, offline rendering and the builders every method shares.

Examples
--------
>>> chart = bar_chart(pd.DataFrame({"agency": ["Police", "Housing"], "contacts": [238, 488]}),
...                   category="agency", value="contacts", value_title="Contacts (count)",
...                   title="Housing had the most contacts")
>>> chart.to_dict()["title"]["text"]
'Housing had the most contacts'
>>> show(chart)
Chart: Housing had the most contacts
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

# jsonschema builds a Lark grammar at import for its "iri" format checks (about 1 s and 26 MB per
# kernel); the Vega-Lite schema that Altair validates against uses no "iri" format, so kernels
# that draw charts skip that module.  A process that imported it already keeps it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import altair as alt
import pandas as pd
import traitlets

from stp_helpers import display  # noqa: F401  (importing it installs the kernel's table and value formats)
from stp_helpers import paths
from stp_helpers.charts import offline as chart_js
from stp_helpers.io.atomic import write_atomic

__all__ = [
    "OKABE_ITO",
    "REINFORCING",
    "BALANCING",
    "bar_end_labels",
    "THEME",
    "enable_offline",
    "StpChart",
    "show",
    "bar_chart",
    "SERIES",
    "FONT",
    "chart_title",
    "category_axis",
    "wrap_expr",
    "bundle_path",
    "bundle_text",
]

#: Okabe–Ito palette, colour-blind safe (black first).
OKABE_ITO = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: Colour of reinforcing loops (vermillion).
REINFORCING = "#D55E00"
#: Colour of balancing loops (blue).
BALANCING = "#0072B2"
#: Categorical order for series: no yellow for lines (kept for fills).
SERIES = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000")
#: System fonts only: nothing is fetched from a font server.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

THEME = "stp"
#: A legend label wraps at about this many characters (it fits one column on a phone).
LEGEND_CHARS = 20


@alt.theme.register(THEME, enable=True)
def _stp_theme() -> alt.theme.ThemeConfig:
    """The workbook's Altair theme: readable on a projector, system fonts."""
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": list(SERIES)},
            # Smaller title text on a phone-width chart, so a wrapped title line fits its box.
            "title": {"fontSize": {"expr": "width < 380 ? 15 : 17"},
                      "subtitleFontSize": {"expr": "width < 380 ? 12 : 14"}, "anchor": "start",
                      "subtitleColor": "#444444", "lineHeight": 21, "subtitleLineHeight": 18},
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "grid": True,
                     "gridColor": "#e6e6e6", "labelLimit": 220, "titleLimit": 0},
            # An x axis title ends where the plot ends, so on a phone a long one runs left under the
            # y axis labels (blank there) instead of past the chart's right edge.
            "axisX": {"titleAnchor": "end"},
            # Legends sit under the chart in one column, where a narrow screen never cuts them; labels
            # wrap (WRAPPED_LEGEND_LABEL) and are never shortened.  Nothing in a legend depends on the
            # chart's width, so its height is right from the first drawing.
            "legend": {"labelFontSize": 14, "titleFontSize": 14, "orient": "bottom", "direction": "vertical",
                       "columns": 1, "labelLimit": 0, "titleLimit": 0, "symbolLimit": 0,
                       "layout": {"bottom": {"anchor": "start", "direction": "vertical"}}},
            # Layout is recomputed on every update, so a legend that wraps when the chart narrows
            # (one column, wrapped labels) gets the height it needs instead of being cut.
            "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
            "mark": {"color": SERIES[0]},
            "bar": {"color": SERIES[0]},
            "line": {"strokeWidth": 2.5},
        }
    }


def bundle_path() -> Any:
    return paths.cache_dir("js") / chart_js.bundle_name()


def build_bundle() -> str:
    """Build the bundle in this process and cache it (this loads vl-convert, about 90 MB).

    Kernels never call it: :func:`bundle_text` runs it in a child process.
    """
    alt.JupyterChart.enable_offline()
    text = str(alt.JupyterChart._esm)
    write_atomic(bundle_path(), text)
    return text


def bundle_text() -> str:
    """The chart widget's full offline JavaScript (~0.9 MB), built once per machine.

    A missing bundle is built by a child process, so the calling kernel reads
    a file and never imports vl-convert; only if that child fails is it built here.
    """
    cached = bundle_path()
    if not cached.exists():
        try:
            subprocess.run([sys.executable, "-c", "from stp_helpers.charts.theme import build_bundle; build_bundle()"],
                           check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError):
            return build_bundle()
    return cached.read_text(encoding="utf-8")


def _loader(url: str) -> str:
    """A tiny ES module that starts importing the served bundle and draws with it when it arrives.

    anywidget gives a widget two seconds to load its module; on a slow
    classroom network or a busy laptop the 0.9 MB bundle can take longer,
    and a chart whose module timed out is never drawn.  So this module
    returns at once and only ``render`` waits for the bundle.  The browser
    fetches and evaluates the bundle once per page, whatever the number of
    charts.  anywidget evaluates ``_esm`` from a ``blob:`` address, so the
    bundle's address is made absolute against the page's own address.

    >>> print(_loader("/voila/templates/stp/static/jupyterchart-0.mjs?v=0"))
    const bundle = import(new URL("/voila/templates/stp/static/jupyterchart-0.mjs?v=0", document.baseURI).href);
    export default { async render(view) { return (await bundle).default.render(view); } };
    <BLANKLINE>
    """
    return (f"const bundle = import(new URL({json.dumps(url)}, document.baseURI).href);\n"
            "export default { async render(view) { return (await bundle).default.render(view); } };\n")


def enable_offline() -> None:
    """Make every :class:`altair.JupyterChart` load its JavaScript offline.

    In a kernel of the workbook's Voilà server (``stp serve``), which serves
    the bundle as a static file and names it in ``STP_CHART_JS``, each chart
    widget carries only a two-line module that imports that file: the browser
    downloads it once, caches it, and evaluates it once per page.  Everywhere
    else (JupyterLab, nbconvert) the whole bundle travels inside the widget.
    The bundle is built once by ``vl-convert-python`` and kept in the cache.
    Safe to call many times.
    """
    if getattr(alt.JupyterChart, "_is_offline", False):
        return
    served = os.environ.get(chart_js.CHART_JS_ENV, "").strip()
    alt.JupyterChart._esm = _loader(served) if served else bundle_text()
    alt.JupyterChart._is_offline = True


def wrap_expr(chars: int | str, field: str | None = None) -> str:
    r"""A Vega expression that wraps a label into lines of about ``chars`` characters.

    ``chars`` is a number or a Vega expression (a width that follows the chart's); the text
    is an axis or legend label, or the datum's ``field``.  Line breaks already in it are kept.

    >>> print(wrap_expr(20))
    split(trim(replace(datum.label, regexp('(.{1,20})(\\s+|$)', 'g'), '$1\n')), '\n')
    >>> print(wrap_expr("12", field="label"))
    split(trim(replace(datum['label'], regexp('(.{1,' + (12) + '})(\\s+|$)', 'g'), '$1\n')), '\n')
    """
    text = "datum.label" if field is None else f"datum['{field}']"
    width = str(chars) if isinstance(chars, int) else f"' + ({chars}) + '"
    return ("split(trim(replace(%s, regexp('(.{1,%s})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')" % (text, width))


def category_axis(chars: int | None = None) -> alt.Axis:
    """A category axis whose names wrap onto lines (never cut) and whose title sits above them.

    >>> category_axis().to_dict()["titleAngle"]
    0
    """
    return alt.Axis(labelExpr=wrap_expr(chars or LABEL_CHARS), labelLimit=0, titleAngle=0, titleAlign="left",
                    titleAnchor="start", titleY=-8, titleX=0, titleBaseline="bottom", grid=False)


def wrapped_lines(text: str, chars: int) -> int:
    """How many lines :func:`wrap_expr` makes of ``text`` (for a row height)."""
    return len(textwrap.wrap(str(text), chars, break_long_words=False)) or 1


def chart_title(chart: alt.TopLevelMixin) -> str:
    """Return a chart's title text ('' when it has none)."""
    spec = chart.to_dict(validate=False)
    finding = (spec.get("usermeta") or {}).get("finding")
    if finding:
        return str(finding)
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title)


#: Widest a chart grows (px); it takes its container's width up to this.
MAX_WIDTH = 900
#: A title line holds at most this many characters (the finding fits one or two lines on a phone).
TITLE_CHARS = 32
SUBTITLE_CHARS = 40
#: Category and key labels wrap at about this many characters.
LABEL_CHARS = 22
#: A title longer than this moves what follows its first ': ' or '; ' into the subtitle.
TITLE_MAX = 80


def _lines(text: Any, width: int) -> list[str]:
    parts = text if isinstance(text, list) else [text]
    out: list[str] = []
    for part in parts:
        out += textwrap.wrap(str(part), width=width, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def title_lines(title: Any) -> tuple[list[str], list[str]]:
    """A chart title's text and subtitle as wrapped lines.

    >>> title_lines(alt.TitleParams(text="x" * 10, subtitle=["a", "b"]))
    (['xxxxxxxxxx'], ['a', 'b'])
    >>> title_lines("8 of 16 stakeholders are key players: " + ", ".join(["a long stakeholder name"] * 4))[0]
    ['8 of 16 stakeholders are key', 'players:']
    """
    if isinstance(title, alt.TitleParams):
        text, subtitle = title.text, title.subtitle
    elif isinstance(title, dict):
        text, subtitle = title.get("text", ""), title.get("subtitle", alt.Undefined)
    else:
        text, subtitle = title, alt.Undefined
    text = "" if text is alt.Undefined else " ".join(text) if isinstance(text, list) else str(text)
    rest: list[str] = []
    if len(text) > TITLE_MAX:
        cuts = [i for i in (text.find(": "), text.find("; ")) if 0 < i <= TITLE_MAX]
        if cuts:
            cut = min(cuts)
            text, more = text[:cut + 1].rstrip(":;") + ":", text[cut + 2:]
            rest = [more]
    subs = [] if subtitle is alt.Undefined or subtitle is None else (
        subtitle if isinstance(subtitle, list) else [subtitle])
    sub = _lines(rest + list(subs), SUBTITLE_CHARS) if rest or subs else []
    return _lines(text, TITLE_CHARS), sub


#: A legend label wraps onto lines of about :data:`LEGEND_CHARS` characters, at every width.  A label
#: that wrapped only on a narrow chart would change the legend's height after Vega had sized the
#: chart to its first width, and the legend's last entries would be cut.
WRAPPED_LEGEND_LABEL = f"isString(datum.label) ? {wrap_expr(LEGEND_CHARS)} : datum.label"
#: An axis title longer than this wraps onto lines (a phone-width chart has about 300 px of axis).
AXIS_TITLE_CHARS = 30


def wrap_axis_titles(chart: alt.TopLevelMixin, chars: int = AXIS_TITLE_CHARS) -> None:
    """Wrap every x and y axis title longer than ``chars`` characters onto lines, in place.

    Legends without a label expression of their own get :data:`WRAPPED_LEGEND_LABEL`, so their
    labels wrap onto lines (a legend under the chart starts after the y axis labels).

    >>> c = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(
    ...     x=alt.X("a:Q", title="Crisis-driven contacts over 20 years (contacts)"))
    >>> wrap_axis_titles(c)
    >>> c.to_dict()["encoding"]["x"]["title"]
    ['Crisis-driven contacts over 20', 'years (contacts)']
    """
    parts = [chart, *(chart.layer if isinstance(chart, alt.LayerChart) else [])]
    for part in parts:
        encoding = part["encoding"] if "encoding" in part._kwds else alt.Undefined
        if not isinstance(encoding, alt.SchemaBase):
            continue
        for channel in ("x", "y"):
            enc = encoding._kwds.get(channel, alt.Undefined)
            if not isinstance(enc, alt.SchemaBase):
                continue
            title = enc._kwds.get("title", alt.Undefined)
            if isinstance(title, str) and len(title) > chars:
                enc["title"] = _lines(title, chars)
        for channel in ("color", "strokeDash", "shape", "fill", "stroke"):
            enc = encoding._kwds.get(channel, alt.Undefined)
            if not isinstance(enc, (alt.Color, alt.StrokeDash, alt.Shape, alt.Fill, alt.Stroke)):
                continue
            legend = enc._kwds.get("legend", alt.Undefined)
            if legend is alt.Undefined:
                enc["legend"] = alt.Legend(labelExpr=WRAPPED_LEGEND_LABEL)
            elif isinstance(legend, alt.Legend) and legend._kwds.get("labelExpr", alt.Undefined) is alt.Undefined:
                legend["labelExpr"] = WRAPPED_LEGEND_LABEL


def fit(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The layout standard: width from the container, wrapped title, an accessible description.

    A single or layered chart takes its container's width (``width="container"``;
    the widget caps it at :data:`MAX_WIDTH`); concatenated charts keep their
    widths.  The title is wrapped into lines of at most :data:`TITLE_CHARS`
    characters and the subtitle into lines of :data:`SUBTITLE_CHARS`; the
    chart's ``description`` (the SVG's aria-label) is the title followed by
    the subtitle.

    >>> c = fit(alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a").properties(
    ...     title="Waiting list peaks at 412 in week 23, then B2 (capacity) catches up"))
    >>> d = c.to_dict()
    >>> d["width"], d["title"]["text"]
    ('container', ['Waiting list peaks at 412 in', 'week 23, then B2 (capacity)', 'catches up'])
    >>> d["description"]
    'Waiting list peaks at 412 in week 23, then B2 (capacity) catches up'
    """
    title = getattr(chart, "title", alt.Undefined)
    props: dict[str, Any] = {}
    if title is not alt.Undefined:
        original = chart_title(chart)
        text, sub = title_lines(title)
        props["usermeta"] = {"finding": original}
        params: dict[str, Any] = {"text": text if len(text) > 1 else text[0]}
        if sub:
            params["subtitle"] = sub
        if isinstance(title, alt.TitleParams):
            for key in ("anchor", "fontSize", "color"):
                if getattr(title, key, alt.Undefined) is not alt.Undefined:
                    params[key] = getattr(title, key)
        props["title"] = alt.TitleParams(**params)
        head = " ".join(text)
        props["description"] = head + ("" if not sub else (" " if head.endswith(":") else ". ") + " ".join(sub))
    if isinstance(chart, (alt.Chart, alt.LayerChart)):
        props["width"] = "container"
        wrap_axis_titles(chart)
    return chart.properties(**props) if props else chart


class StpChart(alt.JupyterChart):
    """An offline :class:`altair.JupyterChart` with a stable text form.

    The plain-text form is ``Chart: <title>``, so a notebook's stored output
    says what the chart shows and is the same on every run (nbval compares it).
    """

    @traitlets.validate("chart")
    def _fit(self, proposal: Any) -> Any:
        """Every chart drawn, first or on an app's update, follows the layout standard (:func:`fit`)."""
        return fit(proposal["value"]) if proposal["value"] is not None else None

    def __repr__(self) -> str:
        return f"Chart: {chart_title(self.chart)}" if self.chart is not None else "Chart"


def show(chart: alt.TopLevelMixin) -> StpChart:
    """Return an offline, updatable chart widget for ``chart``.

    Parameters
    ----------
    chart : altair chart
        Built by one of this module's builders.

    Returns
    -------
    StpChart
        A widget; assign ``.chart`` to redraw it in place (apps do this).
    """
    enable_offline()
    return StpChart(chart, layout={"width": "100%", "max_width": f"{MAX_WIDTH}px"})


def _subtitle(case_title: str | None, source: str | None) -> list[str]:
    parts = [p for p in (case_title, f"Source: {source}" if source else None) if p]
    return parts


def bar_end_labels(base: alt.Chart, value: str, top: float, *, text: str | None = None,
                   inside_colour: Any = None, outside_colour: Any = None, share: float = 0.7,
                   font_size: int = 14) -> tuple[alt.Chart, alt.Chart]:
    """Each horizontal bar's number at its end: inside the longest bars, just past the others.

    A bar of at least ``share`` of ``top`` has its number inside its end (in ``inside_colour``,
    default white), so no number runs out of a phone-width chart; a bar of zero has no end to
    write inside, so its number goes past it.  ``text`` is the field written (default the value).
    Returns the layers for the numbers past the bars and inside them.

    >>> base = alt.Chart(pd.DataFrame({"n": [0, 5, 10]})).encode(x="n:Q")
    >>> outside, inside = bar_end_labels(base, "n", 10)
    >>> inside.to_dict()["transform"][0]["filter"]
    "datum['n'] > 0 && datum['n'] >= 7.0"
    """
    long_bar = f"datum['{value}'] > 0 && datum['{value}'] >= {top * share!r}"
    label = text or f"{value}:Q"
    outside = base.transform_filter(f"!({long_bar})").mark_text(align="left", dx=4, fontSize=font_size).encode(
        text=label, **({} if outside_colour is None else {"color": outside_colour}))
    inside = base.transform_filter(long_bar).mark_text(align="right", dx=-4, fontSize=font_size).encode(
        text=label, color=alt.value("#FFFFFF") if inside_colour is None else inside_colour)
    return outside, inside


def bar_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    value_title: str,
    title: str,
    category_title: str | None = None,
    subtitle: str | list[str] | None = None,
    highlight: str | None = None,
    order: list[str] | None = None,
) -> alt.LayerChart:
    """Horizontal bars, largest first, with the value written at each bar's end.

    Parameters
    ----------
    data : DataFrame
        One row per category.
    category, value : str
        Column names.
    value_title : str
        Axis title with units, e.g. ``"Contacts (count)"``.
    title : str
        The finding the chart shows.
    category_title : str, optional
        Axis title for the categories (default: the column name, capitalised).
    subtitle : str or list of str, optional
        Case, scenario and source.
    highlight : str, optional
        A category drawn in vermillion; the others are blue.
    order : list of str, optional
        Category order from top to bottom (default: largest value first).

    Returns
    -------
    altair.LayerChart
    """
    if data.empty:
        raise ValueError("bar_chart needs at least one row")
    if order is None:
        order = data.sort_values(value, ascending=False, kind="stable")[category].tolist()
    colour: Any = alt.value(SERIES[0])
    if highlight is not None:
        colour = alt.condition(
            alt.datum[category] == highlight, alt.value(REINFORCING), alt.value(SERIES[0])
        )
    # Long category names wrap onto lines (never cut with "…"); the axis title sits above the names.
    lines = max(wrapped_lines(c, LABEL_CHARS) for c in data[category])
    top = float(data[value].max()) if len(data) else 1.0
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", sort=order, title=category_title or category.capitalize(),
                axis=category_axis()),
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, top * 1.1 if top > 0 else 1], nice=True),
                axis=alt.Axis(labelFlush=True)),
    )
    bars = base.mark_bar().encode(color=colour, tooltip=[category, value])
    inside_colour: Any = alt.value("#FFFFFF")  # white on blue: 5.2:1
    if highlight is not None:  # black on vermillion: 5.4:1
        inside_colour = alt.condition(alt.datum[category] == highlight, alt.value("#000000"), alt.value("#FFFFFF"))
    outside, inside = bar_end_labels(base, value, top, inside_colour=inside_colour)
    props: dict[str, Any] = {"text": title}
    if subtitle:
        props["subtitle"] = subtitle
    return (bars + outside + inside).properties(title=alt.TitleParams(**props), height=alt.Step(max(32, 17 * lines + 8)))


# Builders of the stock-and-flow notebook, re-exported for ``charts.run_chart`` etc.
