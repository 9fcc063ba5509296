"""An app to try policy levers on a stock-and-flow model.

:class:`PolicyExplorer` has one slider per lever (from
:func:`stp_helpers.sd.parameter_specs`), a chart of the chosen outputs
against the model's baseline run, a "Reset" button and a status line.  The
views the stock-and-flow notebooks show are in :mod:`stp_helpers.charts.sd`
(charts) and :mod:`stp_helpers.sd.cases` (models, scenarios and tables).

Examples
--------
>>> app = PolicyExplorer.from_case("wiltshire-complex-needs", outputs=["In crisis"])
>>> app.sliders["early help switch"].value = 1
>>> app.title.startswith("In crisis ends")
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets

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
        not a constant.
    """

    def __init__(self, model: Model, levers: Sequence[str] | None = None,
                 outputs: Sequence[str] | None = None, subtitle: str | None = None) -> None:
        self._model = model
        self._outputs = [model.resolve(o) for o in (outputs or model.stocks)]
        self._subtitle = subtitle
        specs = {s.name: s for s in sd.parameter_specs(model)}
        names = [model.resolve(n) for n in (levers or list(specs))]
        self._specs = {n: sd.parameter_spec(model, n) for n in names}
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
        self.view = charts.show(sd_charts.outcome_chart(model, self._outputs, subtitle=subtitle))
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
            self.view.chart = sd_charts.outcome_chart(self._model, self._outputs, params=self.params,
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
