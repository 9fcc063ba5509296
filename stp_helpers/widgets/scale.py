"""An app that scales one person's agency contacts to many similar people.

Examples
--------
>>> from stp_helpers import case
>>> app = ScaleExplorer(case.load("wiltshire-complex-needs"), people=300)
>>> app.title
'If 300 people live similar lives, agencies record about 307,200 contacts'
>>> app.people.value = 500
>>> app.title
'If 500 people live similar lives, agencies record about 512,000 contacts'
"""

from __future__ import annotations

import ipywidgets as widgets

from stp_helpers import charts, scoping
from stp_helpers.case import Case
from stp_helpers.errors import StpError

__all__ = ["ScaleExplorer"]


class ScaleExplorer(widgets.VBox):
    """Slider for the number of similar people; a chart of the contacts they imply.

    Parameters
    ----------
    case : Case
        A case with ``agency_contacts.csv``.
    people : int
        Starting number of similar people.
    """

    def __init__(self, case: Case, people: int = 300) -> None:
        self._case = case
        self.people = widgets.IntSlider(
            value=people, min=25, max=2000, step=25, description="Similar people",
            continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width="560px"),
        )
        self.status = widgets.HTML()
        self.view = charts.show(scoping.scale_chart(case, people))
        super().__init__([self.people, self.view, self.status], layout=widgets.Layout(width="660px"))
        self.people.observe(self._update, names="value")

    @property
    def title(self) -> str:
        """The chart's current title (its finding)."""
        return charts.chart_title(self.view.chart)

    def _update(self, change: object = None) -> None:
        try:
            self.view.chart = scoping.scale_chart(self._case, int(self.people.value))
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = ""

    def __repr__(self) -> str:
        return f"ScaleExplorer: {self.title}"
