"""Stock-and-flow charts: runs of chosen variables over time, scenarios, and Monte Carlo bands.

The generic builders (:func:`run_chart`, :func:`bands_chart`) take tidy frames.
The model builders (:func:`outcome_chart`, :func:`scenario_chart`,
:func:`uncertainty_chart`) run a :class:`stp_helpers.sd.Model` and compute
their titles (the finding) from the runs.  They are used by the stock-and-flow
notebooks and the PolicyExplorer app.  The theme and palette come from
:mod:`stp_helpers.charts.theme`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from stp_helpers.charts.theme import SERIES, chart_title  # noqa: F401  (chart_title: used by the doctests)
from stp_helpers import sd
from stp_helpers.sd.model import Model
from stp_helpers.sd.scenarios import Scenario

#: Grey of a baseline run (drawn dashed).
BASELINE_GREY = "#8c8c8c"
#: Altair's default row limit; the builders stay under it.
MAX_ROWS = 5000


def number(value: float) -> str:
    """Format a model value for a title: 412, 51.3, 0.042.

    >>> number(1234.56), number(51.28), number(0.04213)
    ('1,235', '51.3', '0.0421')
    """
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def _thin(frame: pd.DataFrame, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Keep every k-th time so a tidy frame has fewer than ``limit`` rows."""
    if len(frame) < limit:
        return frame
    times = sorted(frame["time"].unique())
    step = -(-len(frame) // (limit - 1))
    keep = set(times[::step]) | {times[-1]}
    return frame[frame["time"].isin(keep)]


def run_finding(
    runs: pd.DataFrame,
    variable: str,
    *,
    time_label: str = "time",
    baseline: str | None = None,
    current: str | None = None,
) -> str:
    """A title sentence for one variable of one or two runs, computed from the data.

    Parameters
    ----------
    runs : DataFrame
        Tidy: ``time``, ``variable``, ``value`` and optionally ``scenario``.
    variable : str
        The variable the sentence is about.
    time_label : str
        How to name a time, e.g. ``"month"`` ("by month 240").
    baseline, current : str, optional
        Scenario names to compare; ``current`` defaults to the last scenario
        that is not the baseline.

    Examples
    --------
    >>> runs = pd.DataFrame({"scenario": ["baseline"] * 2 + ["early help"] * 2,
    ...                      "time": [0.0, 60.0] * 2, "variable": "In crisis",
    ...                      "value": [50.0, 50.0, 50.0, 34.5]})
    >>> run_finding(runs, "In crisis", time_label="month", baseline="baseline")
    'In crisis ends 31% lower with early help than in the baseline by month 60: 34.5 against 50.0'
    """
    rows = runs[runs["variable"] == variable]
    if rows.empty:
        raise ValueError(f"no rows for {variable!r}")
    if "scenario" in rows.columns and baseline is not None and baseline in set(rows["scenario"]):
        others = [s for s in dict.fromkeys(rows["scenario"]) if s != baseline]
        current = current or (others[-1] if others else baseline)
        base = rows[rows["scenario"] == baseline].sort_values("time")
        cur = rows[rows["scenario"] == current].sort_values("time")
        who = "" if current in {"current", "your run"} else f" with {current}"
        return compare_finding(variable, base["time"].to_numpy(float), base["value"].to_numpy(float),
                               cur["time"].to_numpy(float), cur["value"].to_numpy(float),
                               time_label=time_label, who=who)
    if "scenario" in rows.columns:
        rows = rows[rows["scenario"] == (current or rows["scenario"].iloc[-1])]
    rows = rows.sort_values("time")
    y, t = rows["value"].to_numpy(float), rows["time"].to_numpy(float)
    peak = int(y.argmax())
    start, end = number(float(y[0])), number(float(y[-1]))
    if 0 < peak < len(y) - 1 and y[peak] > max(y[0], y[-1]) * 1.001:
        return (f"{variable} peaks at {number(float(y[peak]))} at {time_label} {float(t[peak]):g}, "
                f"then ends at {end}")
    return f"{variable} goes from {start} to {end} by {time_label} {float(t[-1]):g}"


def compare_finding(variable: str, base_t: np.ndarray, base_y: np.ndarray, cur_t: np.ndarray,
                    cur_y: np.ndarray, *, time_label: str = "time", who: str = "") -> str:
    """A title sentence comparing a run with the baseline (see :func:`run_finding`).

    The final values are compared; when they differ by less than 0.5%, a
    changed peak or time to settle is reported (:func:`path_change`).

    Examples
    --------
    >>> t = np.array([0.0, 60.0])
    >>> compare_finding("In crisis", t, np.array([50.0, 50.0]), t, np.array([50.0, 34.5]),
    ...                 time_label="month", who=" with early help")
    'In crisis ends 31% lower with early help than in the baseline by month 60: 34.5 against 50.0'
    """
    end, b_end = float(cur_y[-1]), float(base_y[-1])
    t_end = f"{float(cur_t[-1]):g}"
    change = (end - b_end) / abs(b_end) * 100 if b_end else 0.0
    if abs(change) < 0.5:
        path = path_change(base_t, base_y, cur_t, cur_y, time_label)
        if path:
            return f"{variable} {path}, and ends at {number(end)} as in the baseline"
        return f"{variable} ends at {number(end)} by {time_label} {t_end}, as in the baseline"
    word = "lower" if change < 0 else "higher"
    return (f"{variable} ends {abs(change):.0f}% {word}{who} than in the baseline by {time_label} "
            f"{t_end}: {number(end)} against {number(b_end)}")


def settling_time(times: np.ndarray, values: np.ndarray, band: float) -> float:
    """The first time after which a series stays within ``band`` of its final value.

    Examples
    --------
    >>> settling_time(np.arange(5.0), np.array([0.0, 8, 9.5, 10, 10]), band=1.0)
    2.0
    """
    outside = np.flatnonzero(np.abs(values - values[-1]) > band)
    return float(times[0] if outside.size == 0 else times[min(outside[-1] + 1, times.size - 1)])


def path_change(base_t: np.ndarray, base_y: np.ndarray, cur_t: np.ndarray, cur_y: np.ndarray,
                time_label: str = "time") -> str | None:
    """Say how a run's path differs from the baseline's when its end does not.

    Compares the peak (height and time) and the time to settle within 2% of
    the baseline's range of the final value.  Returns None when neither
    changed (by 0.5% of the peak, or by one saved step).

    Examples
    --------
    >>> t = np.arange(0.0, 10.0)
    >>> base = np.array([0, 4, 8, 10, 10, 10, 10, 10, 10, 10.0])
    >>> fast = np.array([0, 10, 14, 12, 10, 10, 10, 10, 10, 10.0])
    >>> path_change(t, base, t, fast, "month")
    'peaks at 14.0 in month 2 against 10.0 in the baseline'
    """
    span = max(float(np.ptp(base_y)), 1e-12)
    tol = 0.005 * max(abs(float(base_y.max())), abs(float(cur_y.max())), 1e-12)
    b_peak, c_peak = float(base_y.max()), float(cur_y.max())
    inside = 0 < int(cur_y.argmax()) < cur_y.size - 1 or 0 < int(base_y.argmax()) < base_y.size - 1
    if inside and abs(c_peak - b_peak) > tol and (c_peak > cur_y[-1] + tol
                                                  or b_peak > base_y[-1] + tol):
        when = float(cur_t[int(cur_y.argmax())])
        return (f"peaks at {number(c_peak)} in {time_label} {when:g} against {number(b_peak)} "
                f"in the baseline")
    band = 0.02 * span
    b_settle, c_settle = settling_time(base_t, base_y, band), settling_time(cur_t, cur_y, band)
    step = float(np.min(np.diff(cur_t))) if cur_t.size > 1 else 0.0
    if abs(c_settle - b_settle) > step:
        word = "sooner" if c_settle < b_settle else "later"
        return (f"settles {word}, by {time_label} {c_settle:g} against {b_settle:g} "
                f"in the baseline")
    return None


def run_layers(runs: pd.DataFrame, baseline: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The data of a run chart's two layers: the baseline (dashed) and the rest, thinned.

    The rest has a ``series`` column naming each line: the variable when
    there is one run, the scenario when there is one variable, else both.

    Examples
    --------
    >>> runs = pd.DataFrame({"scenario": ["baseline", "baseline", "you", "you"], "time": [0.0, 1] * 2,
    ...                      "variable": "x", "value": [1.0, 2, 1, 3]})
    >>> base, rest = run_layers(runs, "baseline")
    >>> len(base), list(rest["series"])
    (2, ['x', 'x'])
    """
    data = runs if "scenario" in runs.columns else runs.assign(scenario="run")
    base = data[data["scenario"] == baseline] if baseline is not None else data.iloc[0:0]
    rest = data[data["scenario"] != baseline] if baseline is not None else data
    n_scen, n_var = rest["scenario"].nunique(), rest["variable"].nunique()
    if n_scen <= 1:
        rest = rest.assign(series=rest["variable"])
    elif n_var == 1:
        rest = rest.assign(series=rest["scenario"])
    else:
        rest = rest.assign(series=rest["variable"] + " (" + rest["scenario"] + ")")
    return _thin(base), _thin(rest)


def update_run_spec(spec: dict[str, Any], runs: pd.DataFrame, title: str,
                    baseline: str | None = None) -> dict[str, Any]:
    """A new Vega-Lite spec of a :func:`run_chart`: the same chart with new data and title.

    Only the datasets and the title are replaced, so a slider move costs no
    chart building or validation (the app assigns the result to its
    widget's ``spec``).  The runs must have the same variables and scenarios
    as the chart was built with.

    Parameters
    ----------
    spec : dict
        ``run_chart(...).to_dict()``.
    runs : DataFrame
        Tidy runs, as given to :func:`run_chart`.
    title : str
        The new finding.
    baseline : str, optional
        As given to :func:`run_chart`.

    Returns
    -------
    dict
        A shallow copy of ``spec`` with new ``datasets`` and ``title``.

    Examples
    --------
    >>> runs = pd.DataFrame({"time": [0.0, 1.0], "variable": "x", "value": [1.0, 2.0]})
    >>> spec = run_chart(runs, y_title="x (litre)", title="x doubles").to_dict()
    >>> new = update_run_spec(spec, runs.assign(value=[1.0, 3.0]), "x triples")
    >>> new["title"]["text"], [r["value"] for r in next(iter(new["datasets"].values()))]
    ('x triples', [1.0, 3.0])
    """
    base, rest = run_layers(runs, baseline)
    frames = ([base] if not base.empty else []) + [rest]
    names = [(layer.get("data") or spec["data"])["name"] for layer in spec["layer"]][:len(frames)]
    datasets = dict(spec.get("datasets", {}))
    for name, frame in zip(names, frames):
        datasets[name] = frame.to_dict("records")
    out = dict(spec)
    out["datasets"] = datasets
    out["title"] = {**spec["title"], "text": title} if isinstance(spec.get("title"), dict) else title
    return out


def run_chart(
    runs: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    x_title: str = "Time",
    subtitle: str | list[str] | None = None,
    baseline: str | None = None,
    observed: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Lines of one or more runs of chosen variables over time.

    Parameters
    ----------
    runs : DataFrame
        Tidy: ``time``, ``variable``, ``value`` and optionally ``scenario``.
    y_title, x_title : str
        Axis titles with units, e.g. ``"In crisis (person)"``, ``"Time (months)"``.
    title : str
        The finding (see :func:`run_finding`).
    subtitle : str or list of str, optional
    baseline : str, optional
        The scenario drawn dashed grey; the other runs use the palette.
    observed : DataFrame, optional
        Observations (``time``, ``variable``, ``value``) drawn as points.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> runs = pd.DataFrame({"time": [0.0, 1.0], "variable": "x", "value": [1.0, 2.0]})
    >>> chart_title(run_chart(runs, y_title="x (litre)", title="x doubles"))
    'x doubles'
    """
    if runs.empty:
        raise ValueError("run_chart needs at least one row")
    base, rest = run_layers(runs, baseline)
    order = list(dict.fromkeys(rest["series"]))
    x = alt.X("time:Q", title=x_title)
    y = alt.Y("value:Q", title=y_title)
    tips = ["scenario:N", "variable:N", alt.Tooltip("time:Q"), alt.Tooltip("value:Q", format=",.4g")]
    layers = []
    if not base.empty:
        layers.append(alt.Chart(base).mark_line(color=BASELINE_GREY, strokeDash=[6, 4]).encode(
            x=x, y=y, detail="variable:N", tooltip=tips))
    layers.append(alt.Chart(rest).mark_line().encode(
        x=x, y=y, color=alt.Color("series:N", sort=order, title=None,
                                  scale=alt.Scale(range=list(SERIES))),
        tooltip=tips))
    if observed is not None and not observed.empty:
        layers.append(alt.Chart(_thin(observed)).mark_point(filled=True, color="#000000", size=40).encode(
            x=x, y=y, tooltip=["variable:N", "time:Q", "value:Q"]))
    props: dict[str, Any] = {"text": title}
    subs = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    if not base.empty:
        subs.append(f"Dashed grey: {baseline}")
    if subs:
        props["subtitle"] = subs
    return alt.layer(*layers).properties(title=alt.TitleParams(**props))


def bands_chart(
    bands: pd.DataFrame,
    *,
    y_title: str,
    title: str,
    x_title: str = "Time",
    variable: str | None = None,
    subtitle: str | list[str] | None = None,
) -> alt.LayerChart:
    """Monte Carlo percentile bands: 5–95 and 25–75 areas and the median line.

    Parameters
    ----------
    bands : DataFrame
        From :func:`stp_helpers.sd.percentile_bands`: ``variable``, ``time``,
        ``p5``, ``p25``, ``p50``, ``p75``, ``p95``.
    variable : str, optional
        The variable to draw (default the first).

    Examples
    --------
    >>> bands = pd.DataFrame({"variable": "x", "time": [0.0, 1.0], "p5": [0.0, 1.0], "p25": [1.0, 2.0],
    ...                       "p50": [2.0, 3.0], "p75": [3.0, 4.0], "p95": [4.0, 5.0]})
    >>> chart_title(bands_chart(bands, y_title="x (litre)", title="x rises"))
    'x rises'
    """
    if bands.empty:
        raise ValueError("bands_chart needs at least one row")
    variable = variable or str(bands["variable"].iloc[0])
    data = _thin(bands[bands["variable"] == variable])
    base = alt.Chart(data).encode(x=alt.X("time:Q", title=x_title))
    outer = base.mark_area(color=SERIES[0], opacity=0.2).encode(
        y=alt.Y("p5:Q", title=y_title), y2="p95:Q",
        tooltip=[alt.Tooltip("time:Q"), alt.Tooltip("p5:Q", format=",.4g", title="5th percentile"),
                 alt.Tooltip("p95:Q", format=",.4g", title="95th percentile")])
    inner = base.mark_area(color=SERIES[0], opacity=0.4).encode(y="p25:Q", y2="p75:Q")
    median = base.mark_line(color=SERIES[0]).encode(
        y="p50:Q", tooltip=[alt.Tooltip("time:Q"), alt.Tooltip("p50:Q", format=",.4g", title="median")])
    subs = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    subs.append("Shaded: 5–95% (light) and 25–75% (dark) of runs; line: median")
    return alt.layer(outer, inner, median).properties(title=alt.TitleParams(text=title, subtitle=subs))


# ------------------------------------------------------------ model builders
def time_title(model: Model) -> str:
    """'Time (months)' from the model's time units."""
    unit = model.time_units.strip().lower()
    if not unit:
        return "Time (units unstated)"
    return f"Time ({unit if unit.endswith('s') else unit + 's'})"


def time_label(model: Model) -> str:
    """How a title names a time: the model's time unit ("month"), else "time"."""
    return model.time_units.strip().lower() or "time"


def axis_title(model: Model, variables: Sequence[str]) -> str:
    """A y-axis title with the variables' units, e.g. 'In crisis (person)'."""
    units = list(dict.fromkeys(model.info(v).units or "units unstated" for v in variables))
    label = variables[0] if len(variables) == 1 else "Value"
    return f"{label} ({', '.join(units)})"


def model_subtitle(model: Model, extra: str | None = None) -> list[str]:
    """Subtitle lines: ``extra`` (e.g. the case's title) and the model's name."""
    return [s for s in (extra, f"Model: {model.name} (stp-workbook)") if s]


def outcome_chart(model: Model, outputs: Sequence[str] | None = None,
                  params: Mapping[str, float] | None = None, subtitle: str | None = None,
                  baseline: bool = True) -> alt.LayerChart:
    """Chart ``outputs`` (default the stocks) of a run with ``params``, against the baseline."""
    outputs = [model.resolve(o) for o in (outputs or model.stocks)]
    if baseline:
        runs = sd.compare_runs(model, outputs, params)
        title = run_finding(runs, outputs[0], time_label=time_label(model), baseline="baseline")
    else:
        runs = sd.tidy(model.run(params=dict(params or {}), return_columns=outputs))
        title = run_finding(runs, outputs[0], time_label=time_label(model))
    return run_chart(runs, y_title=axis_title(model, outputs), x_title=time_title(model), title=title,
                     subtitle=model_subtitle(model, subtitle), baseline="baseline" if baseline else None)


def scenario_chart(model: Model, scenarios: Sequence[Scenario], variable: str) -> alt.LayerChart:
    """One variable under every scenario; the first scenario is the (dashed) baseline."""
    variable = model.resolve(variable)
    runs, outcomes = sd.run_scenarios(model, scenarios, variables=[variable])
    rows = outcomes.sort_values("final", kind="stable")
    best, first = str(rows["scenario"].iloc[0]), scenarios[0].name
    title = run_finding(runs, variable, time_label=time_label(model), baseline=first, current=best)
    return run_chart(runs, y_title=axis_title(model, [variable]), x_title=time_title(model),
                     title=title, subtitle=model_subtitle(model, f"{len(scenarios)} scenarios"),
                     baseline=first)


def uncertainty_chart(model: Model, outcome: str, n: int = 100, seed: int = 20240601,
                      parameters: int = 3, spread: float = 0.2) -> alt.LayerChart:
    """Monte Carlo bands of ``outcome``: the ``parameters`` most sensitive constants vary ±``spread``.

    Values are uniform between (1 − spread) and (1 + spread) × base, clipped
    to the declared range; the Latin hypercube uses ``seed``.
    """
    outcome = model.resolve(outcome)
    names = list(sd.oat_elasticities(model, outcome)["parameter"].head(parameters))
    dists = {}
    for name in names:
        info, base = model.info(name), model.base_values[name]
        lo, hi = sorted((base * (1 - spread), base * (1 + spread)))
        lo = lo if math.isnan(info.minimum) else max(lo, info.minimum)
        hi = hi if math.isnan(info.maximum) else min(hi, info.maximum)
        dists[name] = sd.uniform(lo, hi)
    result = sd.monte_carlo(model, dists, n=n, seed=seed, outputs=[outcome], workers=1, progress=None)
    bands = result.bands()
    last = bands.iloc[-1]
    title = (f"In 90% of {n} runs, {outcome} ends between {number(float(last['p5']))} and "
             f"{number(float(last['p95']))} by {time_label(model)} {float(last['time']):g}")
    varied = ", ".join(f"{k} ±{spread:.0%}" for k in names)
    return bands_chart(bands, y_title=axis_title(model, [outcome]), x_title=time_title(model),
                       title=title, subtitle=model_subtitle(model, f"Varied: {varied}; seed {seed}"))
