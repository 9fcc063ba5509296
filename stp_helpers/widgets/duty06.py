"""Duty 6's apps: plan an engagement session, and record its findings with the bias monitor.

Examples
--------
>>> planner = SessionPlanner()
>>> planner.summary
'Group model building, 120 minutes: 5 steps.'
>>> planner.format.value = "world_cafe"
>>> planner.summary
'World Café, 120 minutes: 6 steps.'
>>> form = FindingsForm.from_case("wiltshire-complex-needs")
>>> form.summary
'8 findings under 4 themes; 3 points to work on: CB-2, CB-4, CB-5.'
>>> form.save.click()
>>> "read-only" in form.status.value
True
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers import paths
from stp_helpers.case import Case
from stp_helpers.display import escape_html, table_html
from stp_helpers.errors import StpError
from stp_helpers.practice import findings, perspectives
from stp_helpers.stakeholders import engagement
from stp_helpers.widgets.forms import findings_html

__all__ = ["SessionPlanner", "FindingsForm"]


class SessionPlanner(widgets.VBox):
    """A timed agenda for one engagement session (a format of the workbook), with the facilitator's bias checklist."""

    def __init__(self, format: str = "group_model_building", minutes: int = 120) -> None:
        self.format = widgets.Dropdown(options=[(f.name, k) for k, f in engagement.FORMATS.items()], value=format,
                                       description="Format", layout=widgets.Layout(width="420px"))
        self.minutes = widgets.BoundedIntText(value=minutes, min=10, max=600, step=5, description="Minutes",
                                              layout=widgets.Layout(width="220px"))
        self.agenda, self.status = widgets.HTML(), widgets.HTML()
        checklist = "".join(f"<li>{escape_html(q)}</li>" for q in engagement.BIAS_CHECKLIST)
        self.summary = ""
        super().__init__([widgets.HBox([self.format, self.minutes]), self.agenda,
                          widgets.HTML("<b style='font-size:15px'>Before and after: the confirmation-bias checklist"
                                       f"</b><ul style='font-size:15px'>{checklist}</ul>"), self.status],
                         layout=widgets.Layout(width="880px"))
        for control in (self.format, self.minutes):
            control.observe(self._update, names="value")
        self._update()

    def _update(self, change: object = None) -> None:
        fmt = engagement.FORMATS[self.format.value]
        length = int(self.minutes.value) if fmt.unit == "minutes" else 42
        try:
            agenda = engagement.plan_workshop(self.format.value, length)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.agenda.value = (f"<p style='font-size:15px'>Feeds: {escape_html(', '.join(fmt.produces))}. "
                             f"From: {escape_html(fmt.reference)}.</p>" + table_html(agenda))
        self.summary = f"{fmt.name}, {length} {fmt.unit}: {len(fmt.steps)} steps."
        self.status.value = ""

    def __repr__(self) -> str:
        return f"SessionPlanner: {self.summary}"


class FindingsForm(widgets.VBox):
    """``findings.csv`` as text to edit; Check runs FI-1 to FI-5 and the bias monitor (CB-1 to CB-5); Save writes it."""

    def __init__(self, text: str, case: Case | None = None, planned: Sequence[str] = ()) -> None:
        self._case, self._planned = case, tuple(planned)
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="220px"),
                                     continuous_update=False)
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings, self.matrix, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.summary = ""
        super().__init__([widgets.HTML("<b style='font-size:15px'>findings.csv (one row per finding, in the words "
                                       "heard)</b>"), self.text, widgets.HBox([self.check, self.save]), self.findings,
                          self.matrix, self.status], layout=widgets.Layout(width="880px"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug: str) -> FindingsForm:
        """Start from the case's ``findings.csv`` (or the template), checked against its engagement plan."""
        loaded = cases.load(slug)
        text = (findings.findings_text(loaded.read("findings.csv")) if loaded.has("findings.csv")
                else (paths.TEMPLATES_DIR / "case" / "findings.csv").read_text(encoding="utf-8"))
        return cls(text, loaded, perspectives.planned_stakeholders(loaded))

    def _update(self) -> None:
        try:
            rows = findings.parse_findings(self.text.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        found = [*findings.check_findings(rows), *perspectives.monitor_bias(rows, self._planned)]
        self.findings.value = findings_html(found, "Every rule passes and no bias point fires.")
        self.matrix.value = ("<b style='font-size:15px'>Who was heard on what (findings by theme and "
                             "stakeholder)</b>" + table_html(perspectives.perspective_matrix(rows)))
        points = (f"{len(found)} point{'' if len(found) == 1 else 's'} to work on: "
                  f"{', '.join(f.rule for f in found)}." if found else "every rule passes.")
        n, k = len(rows), len(findings.themes(rows))
        self.summary = f"{n} finding{'' if n == 1 else 's'} under {k} theme{'' if k == 1 else 's'}; {points}"
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            rows = findings.parse_findings(self.text.value)
            cases.save_text(self._case.path, "findings.csv", findings.findings_text(rows), overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        tail = "" if self._case.has("findings.csv") else (
            " List findings.csv under 'artefacts:' in case.yaml so the notebooks use it.")
        self.status.value = f"<p>Saved findings.csv in your case folder.{escape_html(tail)}</p>"

    def __repr__(self) -> str:
        return f"FindingsForm: {self.summary}"
