"""An app to try policy levers on a stock-and-flow model, and the views the notebook shows.

:class:`PolicyExplorer` has one slider per lever (from
:func:`stp_helpers.sd.parameter_specs`), a chart of the chosen outputs
against the model's saved baseline run, a "Reset" button and a status line.
The functions below build the stock-and-flow notebook's tables and charts,
each computing its title (the finding) from the runs.

Examples
--------
>>> app = PolicyExplorer.from_case("wiltshire-complex-needs", outputs=["In crisis"])
>>> app
PolicyExplorer: In crisis ends at 51.3 by month 240, as in the baseline
>>> app.sliders["early help switch"].value = 1
>>> app.title
'In crisis ends 20% lower than in the baseline by month 240: 40.8 against 51.3'
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import altair as alt
import ipywidgets as widgets
import pandas as pd

from stp_helpers import case as case_mod
from stp_helpers import charts, sd
from stp_helpers.case import Case
from stp_helpers.errors import StpError

__all__ = ["PolicyExplorer", "load_case_model", "case_scenarios", "default_levers", "key_outcome",
           "axis_title", "time_title", "compare_runs", "outcome_chart", "scenario_chart",
           "scenario_table", "tornado_table", "uncertainty_chart"]


# ------------------------------------------------------------------ helpers
def load_case_model(slug_or_case: str | Case) -> sd.Model:
    """Open a case's ``model.mdl`` (or ``model.xmile``)."""
    found = slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)
    name = "model.mdl" if found.has("model.mdl") or not found.has("model.xmile") else "model.xmile"
    return sd.load_model(found.artefact_path(name))


def case_scenarios(slug_or_case: str | Case) -> list[sd.Scenario]:
    """Return a case's scenarios (empty if it has no ``scenarios.yaml``)."""
    found = slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)
    if not found.has("scenarios.yaml"):
        return []
    return sd.load_scenarios(found.artefact_path("scenarios.yaml"))


def default_levers(model: sd.Model, scenarios: Sequence[sd.Scenario] = ()) -> list[str]:
    """The parameters the scenarios change, in order; else every constant with a declared range."""
    named = [model.resolve(k) for sc in scenarios for k in sc.params]
    if named:
        return list(dict.fromkeys(named))
    return [s.name for s in sd.parameter_specs(model) if s.from_model]


def key_outcome(model: sd.Model, scenarios: Sequence[sd.Scenario] = ()) -> str:
    """The stock whose final value the scenarios change most (relative); else the first stock."""
    stocks = model.stocks
    if len(scenarios) < 2:
        return stocks[0]
    _, outcomes = sd.run_scenarios(model, scenarios, variables=stocks)
    spread = outcomes.groupby("variable")["final"].agg(lambda v: (v.max() - v.min()) / max(abs(v).max(), 1e-12))
    return str(spread.reindex(stocks).idxmax())


def time_title(model: sd.Model) -> str:
    """'Time (months)' from the model's time units."""
    unit = model.time_units.strip().lower()
    if not unit:
        return "Time (units unstated)"
    return f"Time ({unit if unit.endswith('s') else unit + 's'})"


def axis_title(model: sd.Model, variables: Sequence[str]) -> str:
    """A y-axis title with the variables' units, e.g. 'In crisis (person)'."""
    units = list(dict.fromkeys(model.info(v).units or "units unstated" for v in variables))
    label = variables[0] if len(variables) == 1 else "Value"
    return f"{label} ({', '.join(units)})"


def _time_label(model: sd.Model) -> str:
    return model.time_units.strip().lower() or "time"


def _subtitle(model: sd.Model, extra: str | None = None) -> list[str]:
    return [s for s in (extra, f"Model: {model.name} (stp-workbook)") if s]


def compare_runs(model: sd.Model, outputs: Sequence[str], params: Mapping[str, float] | None = None,
                 label: str = "your run") -> pd.DataFrame:
    """Tidy runs of ``outputs``: the model's baseline and a run with ``params``."""
    cols = [model.resolve(o) for o in outputs]
    base = sd.tidy(model.run(return_columns=cols), scenario="baseline")
    current = sd.tidy(model.run(params=dict(params or {}), return_columns=cols), scenario=label)
    return pd.concat([base, current], ignore_index=True)


def outcome_chart(model: sd.Model, outputs: Sequence[str] | None = None,
                  params: Mapping[str, float] | None = None, subtitle: str | None = None,
                  baseline: bool = True) -> alt.LayerChart:
    """Chart ``outputs`` (default the stocks) of a run with ``params``, against the baseline."""
    outputs = [model.resolve(o) for o in (outputs or model.stocks)]
    if baseline:
        runs = compare_runs(model, outputs, params)
        title = charts.run_finding(runs, outputs[0], time_label=_time_label(model), baseline="baseline")
    else:
        runs = sd.tidy(model.run(params=dict(params or {}), return_columns=outputs))
        title = charts.run_finding(runs, outputs[0], time_label=_time_label(model))
    return charts.run_chart(runs, y_title=axis_title(model, outputs), x_title=time_title(model), title=title,
                            subtitle=_subtitle(model, subtitle), baseline="baseline" if baseline else None)


def scenario_chart(model: sd.Model, scenarios: Sequence[sd.Scenario], variable: str) -> alt.LayerChart:
    """One variable under every scenario; the first scenario is the (dashed) baseline."""
    variable = model.resolve(variable)
    runs, outcomes = sd.run_scenarios(model, scenarios, variables=[variable])
    rows = outcomes.sort_values("final", kind="stable")
    best, first = str(rows["scenario"].iloc[0]), scenarios[0].name
    title = charts.run_finding(runs, variable, time_label=_time_label(model), baseline=first, current=best)
    return charts.run_chart(runs, y_title=axis_title(model, [variable]), x_title=time_title(model),
                            title=title, subtitle=_subtitle(model, f"{len(scenarios)} scenarios"),
                            baseline=first)


def scenario_table(model: sd.Model, scenarios: Sequence[sd.Scenario], variable: str) -> pd.DataFrame:
    """Final, peak and cumulative values of one variable per scenario, with the change on the first."""
    variable = model.resolve(variable)
    _, outcomes = sd.run_scenarios(model, scenarios, variables=[variable])
    table = outcomes.drop(columns="variable").reset_index(drop=True)
    first = float(table["final"].iloc[0])
    table["final_change_pct"] = (table["final"] - first) / abs(first) * 100 if first else math.nan
    return table.round(2)


def tornado_table(model: sd.Model, outcome: str, top: int = 8) -> pd.DataFrame:
    """The ``top`` parameters by |elasticity| of ``outcome``'s final value (±10% one at a time)."""
    table = sd.oat_elasticities(model, outcome)
    cols = ["parameter", "base", "outcome_low", "outcome_high", "elasticity"]
    return table[cols].head(top).round(3).reset_index(drop=True)


def uncertainty_chart(model: sd.Model, outcome: str, n: int = 100, seed: int = 20240601,
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
    title = (f"In 90% of {n} runs, {outcome} ends between {charts.number(float(last['p5']))} and "
             f"{charts.number(float(last['p95']))} by {_time_label(model)} {float(last['time']):g}")
    varied = ", ".join(f"{k} ±{spread:.0%}" for k in names)
    return charts.bands_chart(bands, y_title=axis_title(model, [outcome]), x_title=time_title(model),
                              title=title, subtitle=_subtitle(model, f"Varied: {varied}; seed {seed}"))


# ---------------------------------------------------------------------- app
class PolicyExplorer(widgets.VBox):
    """Sliders for policy levers; a chart of the outputs against the baseline run.

    Parameters
    ----------
    model : Model
    levers : sequence of str, optional
        Constants to offer as sliders (default every constant).
    outputs : sequence of str, optional
        Variables to chart (default the stocks).
    subtitle : str, optional
        E.g. the case's title.
    """

    def __init__(self, model: sd.Model, levers: Sequence[str] | None = None,
                 outputs: Sequence[str] | None = None, subtitle: str | None = None) -> None:
        self._model = model
        self._outputs = [model.resolve(o) for o in (outputs or model.stocks)]
        self._subtitle = subtitle
        specs = {s.name: s for s in sd.parameter_specs(model)}
        names = [model.resolve(n) for n in (levers or list(specs))]
        self._specs = {n: specs[n] for n in names}
        self.sliders = {
            n: widgets.FloatSlider(
                value=s.value, min=s.min, max=s.max, step=s.step, description=n,
                continuous_update=False, readout_format=".4g", style={"description_width": "220px"},
                layout=widgets.Layout(width="600px"))
            for n, s in self._specs.items()
        }
        self.reset_button = widgets.Button(description="Reset", tooltip="Back to the model file's values")
        self.status = widgets.HTML()
        self._resetting = False
        self.view = charts.show(outcome_chart(model, self._outputs, subtitle=subtitle))
        self._status_text()
        super().__init__([*self.sliders.values(), self.reset_button, self.view, self.status],
                         layout=widgets.Layout(width="660px"))
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        self.reset_button.on_click(self.reset)

    @classmethod
    def from_case(cls, slug_or_case: str | Case, levers: Sequence[str] | None = None,
                  outputs: Sequence[str] | None = None) -> PolicyExplorer:
        """Open a case's model; levers default to the parameters its scenarios change."""
        found = slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)
        model = load_case_model(found)
        levers = levers or default_levers(model, case_scenarios(found))
        return cls(model, levers=levers, outputs=outputs, subtitle=found.meta.title)

    @property
    def params(self) -> dict[str, float]:
        """Lever values that differ from the model file."""
        return {n: float(s.value) for n, s in self.sliders.items() if s.value != self._specs[n].value}

    @property
    def title(self) -> str:
        """The chart's current title (its finding)."""
        return charts.chart_title(self.view.chart)

    def _status_text(self) -> None:
        changed = self.params
        text = ("Showing the model file's values." if not changed else
                "Changed: " + ", ".join(f"{k} = {v:g}" for k, v in changed.items()) + ".")
        self.status.value = f'<div class="stp-status">{html.escape(text)}</div>'

    def _update(self, change: object = None) -> None:
        if self._resetting:
            return
        try:
            self.view.chart = outcome_chart(self._model, self._outputs, params=self.params,
                                            subtitle=self._subtitle)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self._status_text()

    def reset(self, button: object = None) -> None:
        """Put every slider back to the model file's value and redraw once."""
        self._resetting = True
        try:
            for name, slider in self.sliders.items():
                spec = self._specs[name]
                with slider.hold_sync():
                    slider.min, slider.max, slider.step = spec.min, spec.max, spec.step
                    slider.value = spec.value
        finally:
            self._resetting = False
        self._update()

    def __repr__(self) -> str:
        return f"PolicyExplorer: {self.title}"
