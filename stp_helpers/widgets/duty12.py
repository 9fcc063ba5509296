"""Duty 12's app: the monitoring plan, in the logic model editor with the indicator series beside it.

The logic model's indicators (``logic_model.yaml``) are edited in the existing
:class:`~stp_helpers.widgets.evaluation.LogicModelEditor`, which draws the model
and runs LM-1 to LM-7; the series (``indicators.csv``) are edited below it.
Check runs the plan's rules MP-1 to MP-5 and shows each indicator with the
links it tests; Save writes both files together into a case of your own.

Examples
--------
>>> form = MonitoringPlanForm.from_case("stoke-neet")
>>> form
MonitoringPlanForm: 4 indicators, 2 tracked; every rule passes.
>>> form.save.click()
>>> "stp new-case mine --from stoke-neet" in form.status.value
True
>>> form.series.value = "indicator,period,value\\nneet_rate,2007-01,lots\\n"
>>> "not a number" in form.status.value
True
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.display import table_html
from stp_helpers.errors import StpError
from stp_helpers.evaluation import logic_model, monitoring
from stp_helpers.widgets.evaluation import LogicModelEditor
from stp_helpers.widgets.forms import findings_html

__all__ = ["MonitoringPlanForm"]

_FILES = ("logic_model.yaml", "indicators.csv")


class MonitoringPlanForm(widgets.VBox):
    """The monitoring plan: logic model (with its indicators) and series; Check explains each rule; Save writes both.

    Parameters
    ----------
    model_text : str
        The YAML of ``logic_model.yaml``.
    series_text : str
        The CSV of ``indicators.csv``.
    case : Case, optional
        Where Save writes (refused for a shipped case).
    """

    def __init__(self, model_text: str, series_text: str, case: Case | None = None) -> None:
        self._case = case
        self.editor = LogicModelEditor(model_text)
        self.series = widgets.Textarea(value=series_text, continuous_update=False,
                                       layout=widgets.Layout(width="660px", height="160px"))
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.plan = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        super().__init__([widgets.HTML("<b style='font-size:15px'>logic_model.yaml (elements, links and "
                                       "indicators)</b>"), self.editor,
                          widgets.HTML("<b style='font-size:15px'>indicators.csv (one row per indicator and "
                                       "period)</b>"), self.series,
                          widgets.HBox([self.check, self.save]), self.findings, self.plan, self.status],
                         layout=widgets.Layout(width="680px"))
        self.editor.text.observe(self._update, names="value")
        self.series.observe(self._update, names="value")
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug: str) -> MonitoringPlanForm:
        """Start from the case's ``logic_model.yaml`` and ``indicators.csv``, or a starter plan where it has none."""
        loaded = cases.load(slug)
        if loaded.has("logic_model.yaml"):
            model_text = Path(loaded.artefact_path("logic_model.yaml")).read_text(encoding="utf-8")
        else:
            model_text = monitoring.STARTER_LOGIC_MODEL
        if loaded.has("indicators.csv"):
            series_text = monitoring.indicator_values_text(loaded.read("indicators.csv"))
        elif loaded.has("logic_model.yaml"):
            series_text = "indicator,period,value,note\n"
        else:
            series_text = monitoring.STARTER_INDICATORS
        return cls(model_text, series_text, loaded)

    def _parse(self) -> tuple[logic_model.LogicModel, list[monitoring.IndicatorValue]]:
        model = logic_model.parse_logic_model(self.editor.text.value, name="logic_model.yaml")
        text = self.series.value
        rows = monitoring.parse_indicator_values(text) if text.strip().count("\n") >= 1 else []
        return model, rows

    def _update(self, change: object = None) -> None:
        try:
            model, rows = self._parse()
        except StpError as err:
            self.status.value = err.to_html()
            return
        found = monitoring.check_monitoring_plan(model, rows)
        self.findings.value = findings_html(found, "Every rule (MP-1 to MP-5) passes.")
        self.plan.value = table_html(monitoring.monitoring_plan(model, rows))
        tracked = len({r.indicator for r in rows} & {i.id for i in model.indicators})
        count = len(model.indicators)
        self.summary = (f"{count} indicator{'' if count == 1 else 's'}, {tracked} tracked; "
                        + (f"{len(found)} point{'' if len(found) == 1 else 's'} to work on: "
                           + ", ".join(dict.fromkeys(f.rule for f in found)) + "." if found
                           else "every rule passes."))
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                slug = self._case.slug if self._case is not None else "a-shipped-case"
                raise StpError("This is a shipped case, which is read-only.",
                               fix=f"Copy it with 'stp new-case mine --from {slug}' and set CASE = \"mine\".")
            model, rows = self._parse()
            cases.save_texts(self._case.path, {"logic_model.yaml": self.editor.text.value,
                                               "indicators.csv": monitoring.indicator_values_text(rows)},
                             overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        unlisted = [name for name in _FILES if not self._case.has(name)]
        tail = (f" List {' and '.join(unlisted)} under 'artefacts:' in case.yaml so the notebooks use "
                f"{'it' if len(unlisted) == 1 else 'them'}." if unlisted else "")
        self.status.value = f"<p>Saved logic_model.yaml and indicators.csv in your case folder.{tail}</p>"

    def __repr__(self) -> str:
        return f"MonitoringPlanForm: {self.summary}"
