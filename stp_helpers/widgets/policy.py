"""An app to try policy levers on a stock-and-flow model.

:class:`PolicyExplorer` has one slider per lever (from
:func:`stp_helpers.sd.parameter_specs`), a chart of the chosen outputs
against the model's baseline run, a "Reset" button and a status line.  The
views the stock-and-flow notebooks show are in :mod:`stp_helpers.charts.sd`
(charts) and :mod:`stp_helpers.sd.cases` (models, scenarios and tables).

A slider move runs the model once: runs are cached per parameter set (the
baseline is run once), and the chart's data and title are replaced in its
Vega-Lite spec instead of building a new chart (``benchmarks/sd_slider.py``
measures the whole update).  When a lever changes nothing because another
lever is off (early-help reach with the early-help switch at 0), the status
line says so.

Examples
--------
>>> app = PolicyExplorer.from_case("wiltshire-complex-needs", outputs=["In crisis"])
>>> app.sliders["early help switch"].value = 1
>>> app.title.startswith("In crisis ends")
True
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import numpy as np
import pandas as pd

from stp_helpers import case as case_mod
from stp_helpers import charts, sd
from stp_helpers.case import Case
from stp_helpers.charts import sd as sd_charts
from stp_helpers.errors import StpError
from stp_helpers.sd.model import Model

__all__ = ["PolicyExplorer"]


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

    Raises
    ------
    ModelError
        If a lever or output is not a variable of the model, or a lever is
        not a scalar constant.
    """

    #: How many runs (parameter sets) the app keeps.
    CACHE_SIZE = 64

    def __init__(self, model: Model, levers: Sequence[str] | None = None,
                 outputs: Sequence[str] | None = None, subtitle: str | None = None) -> None:
        self._model = model
        self._outputs = [model.resolve(o) for o in (outputs or model.stocks)]
        self._subtitle = subtitle
        names = [model.resolve(n) for n in levers] if levers else [
            s.name for s in sd.parameter_specs(model)]
        self._specs = {n: sd.parameter_spec(model, n) for n in names}
        self._runs: OrderedDict[frozenset, pd.DataFrame] = OrderedDict()
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
        self._time_label = sd_charts.time_label(model)
        runs = self._compare({})
        chart = sd_charts.run_chart(
            runs, y_title=sd_charts.axis_title(model, self._outputs), x_title=sd_charts.time_title(model),
            title=self._finding(runs), subtitle=sd_charts.model_subtitle(model, subtitle),
            baseline="baseline")
        self.view = charts.show(chart)
        self._spec = self.view.spec
        self._current_data = self._spec["layer"][-1].get("data", self._spec.get("data"))["name"]
        self._title = charts.chart_title(chart)
        self._status_text([])
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
        model = sd.case_model(found)
        levers = levers or sd.default_levers(model, sd.case_scenarios(found))
        return cls(model, levers=levers, outputs=outputs, subtitle=found.meta.title)

    @property
    def params(self) -> dict[str, float]:
        """Lever values that differ from the model file."""
        return {n: float(s.value) for n, s in self.sliders.items() if s.value != self._specs[n].value}

    @property
    def title(self) -> str:
        """The chart's current title (its finding)."""
        return self._title

    # ------------------------------------------------------------------ runs
    def _run(self, params: Mapping[str, float]) -> pd.DataFrame:
        """The outputs under ``params``, from the cache when this set was run before.

        Every lever is passed (unchanged ones at the model file's value), so
        each run sets the same parameters and the model needs no reload.
        """
        key = frozenset(params.items())
        if key in self._runs:
            self._runs.move_to_end(key)
            return self._runs[key]
        every = {n: s.value for n, s in self._specs.items()} | dict(params)
        run = self._model.run(params=every, return_columns=self._outputs)
        self._runs[key] = run
        if len(self._runs) > self.CACHE_SIZE:
            self._runs.popitem(last=False)
        return run

    def _compare(self, params: Mapping[str, float]) -> pd.DataFrame:
        return pd.concat([sd.tidy(self._run({}), scenario="baseline"),
                          sd.tidy(self._run(params), scenario="your run")], ignore_index=True)

    def _finding(self, runs: pd.DataFrame) -> str:
        return sd_charts.run_finding(runs, self._outputs[0], time_label=self._time_label,
                                     baseline="baseline")

    def _current_finding(self, current: pd.DataFrame) -> str:
        base, var = self._run({}), self._outputs[0]
        return sd_charts.compare_finding(
            var, base.index.to_numpy(float), base[var].to_numpy(float),
            current.index.to_numpy(float), current[var].to_numpy(float), time_label=self._time_label)

    def _new_spec(self, current: pd.DataFrame, title: str) -> dict:
        """The chart's spec with the run's data and title; the baseline's data never changes."""
        if len(current) * len(self._outputs) >= sd_charts.MAX_ROWS:  # thinned: the general path
            runs = pd.concat([sd.tidy(self._run({}), scenario="baseline"),
                              sd.tidy(current, scenario="your run")], ignore_index=True)
            return sd_charts.update_run_spec(self._spec, runs, title, baseline="baseline")
        times = current.index.to_numpy(float).tolist()
        records = [{"scenario": "your run", "time": t, "variable": var, "value": v, "series": var}
                   for var in self._outputs
                   for t, v in zip(times, current[var].to_numpy(float).tolist())]
        spec = dict(self._spec)
        spec["datasets"] = {**self._spec["datasets"], self._current_data: records}
        spec["title"] = {**self._spec["title"], "text": title}
        return spec

    @staticmethod
    def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
        return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12, atol=0.0))

    def no_effect(self, params: Mapping[str, float] | None = None,
                  moved: str | None = None) -> list[str]:
        """Sentences for changed levers that change nothing, naming the lever that is off.

        A lever has no effect when the run with it changed equals the run
        without the change.  If setting another lever, now at 0, to its
        maximum would make it act, that lever is named (a switch that is off).
        With ``moved`` (the slider just moved), only that lever is tested,
        unless the run equals the baseline: then every changed lever is.
        """
        params = dict(self.params if params is None else params)
        current = self._run(params)
        names = list(params)
        if moved in params and not self._same(current, self._run({})):
            names = [moved]
        notes = []
        for name in names:
            value = params[name]
            without = {k: v for k, v in params.items() if k != name}
            if not self._same(self._run(without), current):
                continue
            gate = None
            for other, spec in self._specs.items():
                if other == name or params.get(other, spec.value) != 0 or spec.max <= 0:
                    continue
                if not self._same(self._run({**without, other: spec.max}),
                                  self._run({**params, other: spec.max})):
                    gate = (other, spec.max)
                    break
            if gate:
                notes.append(f"{name} = {value:g} has no effect while {gate[0]} is 0: set "
                             f"{gate[0]} to {gate[1]:g} to see it act.")
            else:
                notes.append(f"{name} = {value:g} has no effect on "
                             f"{', '.join(self._outputs)} with the other levers as they are.")
        return notes

    # ---------------------------------------------------------------- update
    def _status_text(self, notes: Sequence[str]) -> None:
        changed = self.params
        text = ("Showing the model file's values." if not changed else
                "Changed: " + ", ".join(f"{k} = {v:g}" for k, v in changed.items()) + ".")
        extra = "".join(f"<br>{html.escape(n)}" for n in notes)
        self.status.value = f'<div class="stp-status">{html.escape(text)}{extra}</div>'

    def _update(self, change: object = None) -> None:
        if self._resetting:
            return
        params = self.params
        moved = getattr(change, "owner", None) or (change.get("owner") if isinstance(change, dict)
                                                   else None)
        try:
            current = self._run(params)
            title = self._current_finding(current)
            notes = self.no_effect(params, moved=moved.description if moved else None)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self._title = title
        self.view.spec = self._new_spec(current, title)
        self._status_text(notes)

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
