"""An app that places a case in Jackson's system of systems methodologies and names fitting methods.

Examples
--------
>>> app = MethodChooser.from_case("wiltshire-complex-needs")
>>> app.placement.label
'complex–pluralist'
>>> app.answers["imposed"].value = "yes"
>>> app.placement.label
'complex–coercive'
>>> app.title
'Placed complex–coercive: Postmodern systems thinking fits'
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers import charts
from stp_helpers.charts import foundations as foundation_charts
from stp_helpers.errors import StpError
from stp_helpers.foundations import sosm

__all__ = ["MethodChooser"]


class MethodChooser(widgets.VBox):
    """Seven yes/no questions about a case; the grid, the placement and the workbook's fitting notebooks.

    Parameters
    ----------
    title : str
        The case's title, shown above the questions.
    answers : dict of str to bool, optional
        Starting answers by question id (default: all no).
    evidence : str, optional
        Why the starting answers were chosen.
    """

    def __init__(self, title: str, answers: dict[str, bool] | None = None, evidence: str | None = None) -> None:
        answers = answers or {}
        self._case_title = title
        intro = f"<p style='font-size:15px'><strong>{html.escape(title)}</strong>"
        intro += f"<br>Starting answers: {html.escape(evidence)}</p>" if evidence else "</p>"
        self.answers: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = [widgets.HTML(intro)]
        for _, question in sosm.questions().iterrows():
            toggle = widgets.ToggleButtons(options=["no", "yes"], value="yes" if answers.get(question["id"]) else "no",
                                           description="", style={"button_width": "60px"},
                                           tooltips=["No", "Yes"])
            label = widgets.HTML(f"<span style='font-size:15px'>{html.escape(question['text'])}</span>",
                                 layout=widgets.Layout(width="480px"))
            self.answers[question["id"]] = toggle
            rows.append(widgets.HBox([label, toggle]))
        self.result = widgets.HTML()
        self.status = widgets.HTML()
        self.placement = sosm.classify(self._values())
        self.view = charts.show(self._chart())
        super().__init__([*rows, self.view, self.result, self.status], layout=widgets.Layout(width="660px"))
        self._describe()
        for toggle in self.answers.values():
            toggle.observe(self._update, names="value")

    @classmethod
    def from_case(cls, slug: str) -> MethodChooser:
        """Start from a case: the workbook's reading of a shipped case where it has one, else all no."""
        loaded = cases.load(slug)
        found = sosm.preset(loaded.slug)
        answers, evidence = found if found else ({}, "none yet; answer each question for your case.")
        return cls(loaded.meta.title, answers, evidence)

    @property
    def title(self) -> str:
        """The chart's current title (its finding)."""
        return charts.chart_title(self.view.chart)

    def _values(self) -> dict[str, bool]:
        return {qid: toggle.value == "yes" for qid, toggle in self.answers.items()}

    def _chart(self) -> object:
        names = [re.sub(r"\s*\(.*\)", "", a) for a in self.placement.approaches]
        verb = "fits" if len(names) == 1 else "fit"
        title = f"Placed {self.placement.label}: {', '.join(names)} {verb}"
        if len(title) > 80:
            title = f"Placed {self.placement.label}: {names[0]} and others fit"
        return foundation_charts.sosm_chart(
            sosm.grid_table((self.placement.context, self.placement.participants)), title=title,
            subtitle=[self._case_title, "After Jackson (2003); the grid is a heuristic, not a prescription"])

    def _describe(self) -> None:
        links = ", ".join(f'<a href="../{html.escape(n)}">{html.escape(n)}</a>' for n in self.placement.notebooks)
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in self.placement.reasons)
        self.result.value = (f"<div style='font-size:15px'><strong>{html.escape(self.placement.label)}</strong>: "
                             f"{html.escape(', '.join(self.placement.approaches))}.<br>In this workbook: {links}"
                             f"<ul>{reasons}</ul></div>")

    def _update(self, change: object = None) -> None:
        try:
            self.placement = sosm.classify(self._values())
            self.view.chart = self._chart()
        except StpError as err:
            self.status.value = err.to_html()
            return
        self._describe()
        self.status.value = ""

    def __repr__(self) -> str:
        return f"MethodChooser: {self.title}"
