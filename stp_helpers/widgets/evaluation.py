"""Apps for intervention design and evaluation: logic model editor, XmR explorer, options weigher.

Each app reads all its controls in one ``_update`` handler, redraws in place
and shows an :class:`~stp_helpers.errors.StpError` in its status line.

Examples
--------
>>> app = XmrExplorer("52, 48, 55, 50, 47, 53, 49, 51, 54, 46, 50, 52, 68, 49", baseline=12)
>>> app
XmrExplorer: Value: 2 of 2 later points signal a change, first at 13 (rule 1)
>>> app.values.value = "52, 48, x"
>>> "not numbers" in app.status.value
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets

from stp_helpers import case as case_mod
from stp_helpers import charts, evaluation, report
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.case import Case
from stp_helpers.charts import evaluation as ev_charts
from stp_helpers.errors import StpError
from stp_helpers.charts.logic_draw import draw_logic_model

__all__ = ["LogicModelEditor", "XmrExplorer", "OptionsWeigher"]

_WIDE = widgets.Layout(width="660px")


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


def _case(slug_or_case: str | Case) -> Case:
    return slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)


class LogicModelEditor(widgets.VBox):
    """Edit a logic model's YAML; the diagram and the structural checks follow.

    Parameters
    ----------
    text : str
        The YAML of a logic model (as in ``logic_model.yaml``).
    """

    def __init__(self, text: str) -> None:
        self.text = widgets.Textarea(value=text, continuous_update=False, description="YAML",
                                     layout=widgets.Layout(width="660px", height="260px"))
        self.diagram = widgets.HTML()
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.model: evaluation.LogicModel | None = None
        self._summary = ""
        super().__init__([self.text, self.status, self.diagram, self.findings])
        self.text.observe(self._update, names="value")
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> LogicModelEditor:
        """Open a case's ``logic_model.yaml``."""
        path = _case(slug_or_case).artefact_path("logic_model.yaml")
        evaluation.read_logic_model(path)  # report a bad file before showing it
        return cls(Path(path).read_text(encoding="utf-8"))

    def _update(self, change: object = None) -> None:
        try:
            model = evaluation.parse_logic_model(self.text.value)
            drawing = draw_logic_model(model)
            found = evaluation.check_logic_model(model)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.model, self._summary = model, drawing.text
        self.diagram.value = drawing.html
        self.findings.value = (evaluation.findings_table(found).to_html(index=False, border=0) if found
                               else _ok("Every structural check passes (LM-1 to LM-7)."))
        self.status.value = _ok(drawing.text + ".")

    def __repr__(self) -> str:
        return f"LogicModelEditor: {self._summary}"


class XmrExplorer(widgets.VBox):
    """Type or load a series; see its XmR chart, the signals and what a target means.

    Parameters
    ----------
    values : str or sequence of numbers
    labels : sequence of str, optional
        One per value (periods); default 1, 2, 3 ...
    baseline : int, optional
        Points the limits rest on (default all).
    target : float, optional
    better : {"lower", "higher"}
    name, y_title : str
        How the chart names the measure, and its axis title with units.
    """

    def __init__(self, values: str | Sequence[float], labels: Sequence[str] | None = None,
                 baseline: int | None = None, target: float | None = None, better: str = "lower",
                 name: str = "Value", y_title: str = "Value (units unstated)",
                 series: dict[str, tuple[list[float], list[str], int | None, str, str]] | None = None) -> None:
        first = spc.parse_series(values)
        self._labels = list(labels) if labels is not None else None
        self._busy = False
        self._name, self._y_title, self._series = name, y_title, dict(series or {})
        self.indicator = widgets.Dropdown(options=list(self._series), description="Indicator",
                                          layout=widgets.Layout(width="420px"))
        self.values = widgets.Textarea(value=", ".join(f"{v:g}" for v in first), continuous_update=False,
                                       description="Values", layout=widgets.Layout(width="660px", height="90px"))
        self.baseline = widgets.IntSlider(value=baseline or len(first), min=spc.MIN_BASELINE,
                                          max=max(len(first), spc.MIN_BASELINE), description="Baseline",
                                          continuous_update=False, layout=widgets.Layout(width="420px"))
        self.target = widgets.Text(value="" if target is None else f"{target:g}", description="Target",
                                   continuous_update=False, layout=widgets.Layout(width="240px"))
        self.better = widgets.Dropdown(options=["lower", "higher"], value=better, description="Better",
                                       layout=widgets.Layout(width="200px"))
        self.status = widgets.HTML()
        self.signals = widgets.HTML()
        table = spc.xmr_table(first, spc.xmr_limits(first, self.baseline.value), labels=self._labels)
        self.view = charts.show(ev_charts.xmr_chart(table, y_title=y_title, name=name))
        top = [self.indicator] if self._series else []
        super().__init__([*top, self.values, widgets.HBox([self.baseline, self.target, self.better]),
                          self.view, self.status, self.signals], layout=_WIDE)
        for control in (self.values, self.baseline, self.target, self.better):
            control.observe(self._update, names="value")
        self.indicator.observe(self._choose, names="value")
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case, indicator: str | None = None) -> XmrExplorer:
        """Load every series in a case's ``indicators.csv``; show ``indicator`` (default the first)."""
        found = _case(slug_or_case)
        rows = report.case_indicators(found)
        series = {}
        for ind in dict.fromkeys(r.indicator for r in rows):
            frame = spc.indicator_series(rows, ind)
            spec = report.indicator_definition(found, ind)
            name = spec.name if spec else ind
            unit = f"{name} ({spec.unit})" if spec and spec.unit else f"{name} (units unstated)"
            series[ind] = (frame["value"].tolist(), frame["period"].tolist(),
                           spec.baseline_points if spec else None, name, unit)
        chosen = indicator or next(iter(series))
        values, labels, baseline, name, unit = series[chosen]
        spec = report.indicator_definition(found, chosen)
        app = cls(values, labels, baseline=baseline, target=spec.target if spec else None,
                  better=(spec.direction if spec and spec.direction else "lower"), name=name, y_title=unit,
                  series=series)
        app.indicator.value = chosen
        return app

    def _choose(self, change: object = None) -> None:
        values, labels, baseline, name, unit = self._series[self.indicator.value]
        self._labels, self._name, self._y_title = labels, name, unit
        self._busy = True
        try:
            with self.baseline.hold_sync():
                self.baseline.max = max(len(values), spc.MIN_BASELINE)
                self.baseline.value = baseline or len(values)
            self.values.value = ", ".join(f"{v:g}" for v in values)
        finally:
            self._busy = False
        self._update()

    @property
    def title(self) -> str:
        """The chart's title (its finding)."""
        return charts.chart_title(self.view.chart)

    def _update(self, change: object = None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._redraw()
        finally:
            self._busy = False

    def _redraw(self) -> None:
        try:
            series = spc.parse_series(self.values.value)
            labels = self._labels if self._labels is not None and len(self._labels) == len(series) else None
            if len(series) < spc.MIN_BASELINE:
                spc.xmr_limits(series)  # raises the clear message
            with self.baseline.hold_sync():
                self.baseline.max = len(series)
                if self.baseline.value > len(series):
                    self.baseline.value = len(series)
            limits = spc.xmr_limits(series, baseline=min(self.baseline.value, len(series)))
            signals = spc.detect_signals(series, limits)
            table = spc.xmr_table(series, limits, labels=labels, signals=signals)
            text = self.target.value.strip()
            judged = None
            if text:
                try:
                    target = float(text)
                except ValueError:
                    raise spc.SeriesError(f"The target {text!r} is not a number.",
                                          "Type a number, or leave it empty.") from None
                judged = spc.judge_target(limits, target, self.better.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.view.chart = ev_charts.xmr_chart(table, y_title=self._y_title, name=self._name)
        line = repr(limits) + "."
        if judged is not None:
            line += f" {judged!r}"
        self.status.value = _ok(line)
        self.signals.value = (spc.signals_table(signals).to_html(index=False, border=0) if signals
                              else _ok("No signals: read each point as noise around the centre line."))

    def __repr__(self) -> str:
        return f"XmrExplorer: {self.title}"


class OptionsWeigher(widgets.VBox):
    """One slider per criterion weight; the ranking, its sensitivity and the difficult choices follow.

    Parameters
    ----------
    appraisal : Appraisal
    subtitle : str, optional
    """

    def __init__(self, appraisal: options.Appraisal, subtitle: str | None = None) -> None:
        self._appraisal, self._subtitle = appraisal, subtitle
        self.sliders = {c: widgets.FloatSlider(value=float(w), min=0, max=1, step=0.05, description=c,
                                               continuous_update=False, style={"description_width": "240px"},
                                               layout=widgets.Layout(width="600px"))
                        for c, w in (appraisal.weights / appraisal.weights.sum()).items()}
        self.status = widgets.HTML()
        self.choices = widgets.HTML()
        self.view = charts.show(ev_charts.ranking_chart(options.rank_options(appraisal), appraisal.criteria,
                                                        subtitle=subtitle))
        super().__init__([*self.sliders.values(), self.view, self.status, self.choices], layout=_WIDE)
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> OptionsWeigher:
        """Open a case's ``options.csv`` (running its model where scores come from runs)."""
        found = _case(slug_or_case)
        return cls(report.case_appraisal(found), subtitle=found.meta.title)

    @property
    def title(self) -> str:
        """The chart's title (its finding)."""
        return charts.chart_title(self.view.chart)

    def _update(self, change: object = None) -> None:
        weights = {c: s.value for c, s in self.sliders.items()}
        try:
            chosen = self._appraisal.with_weights(weights)
            ranking = options.rank_options(chosen)
            choices = options.trade_offs(chosen)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.view.chart = ev_charts.ranking_chart(ranking, chosen.criteria, subtitle=self._subtitle)
        total = sum(weights.values())
        self.status.value = _ok(f"Weights are rescaled to sum to 1 (they now sum to {total:.2f}).")
        items = "".join(f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in choices.text.splitlines())
        self.choices.value = f'<ul style="font-size:15px">{items}</ul>'

    def __repr__(self) -> str:
        return f"OptionsWeigher: {self.title}"
