"""Duty 5's app: read a reference mode from the case's data, state a dynamic hypothesis, list the enquiry gaps.

Pick an indicator of ``indicators.csv`` and the variable of ``cld.csv`` it
measures.  The app draws the pattern against its natural limits, names the
loops that could produce it (an inference to test) and the gaps they leave;
"Add to my information plan" appends one need per gap to
``information_plan.csv``, to complete there (source, owner, action).

Examples
--------
>>> app = PatternReader.from_case("wiltshire-complex-needs")
>>> app.summary
'Crisis-driven agency contacts: shifts down from 2021-03; 8 candidate loops; 12 gaps.'
>>> app.indicator.value = "crisis_onsets"
>>> app.summary
'People entering crisis: stable; crisis contacts stands in for it; 4 candidate loops; 5 gaps.'
>>> app.add.click()
>>> "read-only" in app.status.value
True
"""

from __future__ import annotations


import ipywidgets as widgets
import pandas as pd

from stp_helpers import case as cases
from stp_helpers import charts
from stp_helpers.case import Case
from stp_helpers.display import escape_html, table_html
from stp_helpers.charts.patterns import reference_mode_chart
from stp_helpers.cld import hypothesis
from stp_helpers.errors import StpError
from stp_helpers.evaluation import patterns
from stp_helpers.practice import enquiry, information

__all__ = ["PatternReader"]


def _note(text: str) -> str:
    return f"<p style='font-size:15px'>{escape_html(text)}</p>"


class PatternReader(widgets.VBox):
    """Reference mode → dynamic hypothesis → enquiry gaps, for one case; gaps go to the information plan."""

    def __init__(self, case: Case) -> None:
        self._case = case
        self._graph = case.read("cld.csv").graph if case.has("cld.csv") else None
        self._gaps = pd.DataFrame(columns=["gap", "loops", "ask"])
        found = patterns.case_indicators(case)
        nodes = sorted(map(str, self._graph.nodes)) if self._graph is not None else []
        self.indicator = widgets.Dropdown(options=found, description="Data", layout=widgets.Layout(width="420px"))
        self.variable = widgets.Dropdown(options=nodes, description="Measures", layout=widgets.Layout(width="420px"))
        self.add = widgets.Button(description="Add to my information plan", layout=widgets.Layout(width="auto"))
        self.reading, self.loops, self.gaps, self.status = (widgets.HTML() for _ in range(4))
        self.view = charts.show(reference_mode_chart(patterns.case_reference_mode(case, found[0]))) if found else \
            widgets.HTML()
        self.summary = ""
        super().__init__([self.indicator, self.variable, self.view, self.reading, self.loops, self.gaps, self.add,
                          self.status], layout=widgets.Layout(width="880px"))
        self.indicator.observe(self._pick_variable, names="value")
        self.variable.observe(self._update, names="value")
        self.add.on_click(lambda _b: self._add())
        self._pick_variable()

    @classmethod
    def from_case(cls, slug: str) -> PatternReader:
        """Open a case (its ``indicators.csv`` and ``cld.csv`` where it has them)."""
        return cls(cases.load(slug))

    def _pick_variable(self, change: object = None) -> None:
        """A new indicator selects the diagram variable sharing most words with its id (the same id first)."""
        words = {w for w in str(self.indicator.value or "").split("_") if len(w) > 2}
        nodes = list(self.variable.options or ())
        best = max(nodes, key=lambda n: (n == self.indicator.value, len(words & set(n.split("_")))), default=None)
        if best is not None and self.variable.value != best:
            self.variable.value = best  # observed: _update runs
            return
        self._update()

    def _update(self, change: object = None) -> None:
        if not self.indicator.value:
            self.reading.value = _note(f"{self._case.meta.title} has no indicators.csv yet. Gather the behaviour "
                                       "over time of two or three key variables (indicator, period, value, note) and "
                                       "list the file in case.yaml; then run this again.")
            self.summary = "No data yet."
            return
        try:
            mode = patterns.case_reference_mode(self._case, self.indicator.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.view.chart = reference_mode_chart(mode, subtitle=self._case.meta.title)
        self.reading.value = _note(mode.sentence())
        if self._graph is None or not self.variable.value:
            self.loops.value = _note("The case has no cld.csv yet: draw an initial causal loop diagram (the editor "
                                     "below), then pick the variable these data measure.")
            self.summary = f"{mode.name}: {mode.shape}; no diagram yet."
            return
        stand_in = self.variable.value != self.indicator.value
        table = hypothesis.dynamic_hypothesis(self._graph, self.variable.value, mode.shape)
        sentence = hypothesis.hypothesis_sentence(self._graph, self.variable.value, mode.shape)
        self._gaps = hypothesis.enquiry_gaps(self._graph, self.variable.value, mode.shape,
                                             measured=[self.variable.value])
        self.loops.value = _note(sentence) + table_html(table[["loop", "kind", "delayed", "candidate", "why"]])
        self.gaps.value = ("<b style='font-size:15px'>What to ask (enquiry gaps)</b>" + table_html(self._gaps)
                           if not self._gaps.empty else _note("No gaps: every variable on the candidate loops has data."))
        label = self._graph.nodes[self.variable.value].get("label") or self.variable.value
        shape = f"{mode.shape} from {mode.change_period}" if mode.change_period else mode.shape
        alias = f"; {label} stands in for it" if stand_in else ""
        self.summary = (f"{mode.name}: {shape}{alias}; {int((table['candidate'] == 'yes').sum())} candidate loops; "
                        f"{len(self._gaps)} gaps.")
        self.status.value = ""

    def _add(self) -> None:
        try:
            if self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            if self._gaps.empty:
                raise StpError("There are no gaps to add.", fix="Pick the data and the variable they measure first.")
            existing = self._case.read("information_plan.csv") if self._case.has("information_plan.csv") else []
            new = enquiry.needs_from_gaps(self._gaps.to_dict("records"),
                                          serves=f"dynamic hypothesis for {self.indicator.value}")
            merged = enquiry.merge_needs(existing, new)
            cases.save_text(self._case.path, "information_plan.csv", information.information_plan_text(merged),
                            overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        added = len(merged) - len([n for n in existing if "(replace this row)" not in n.need])
        listed = "" if self._case.has("information_plan.csv") else (
            " List information_plan.csv under 'artefacts:' in case.yaml so the notebooks use it.")
        self.status.value = _note(f"Added {added} need{'' if added == 1 else 's'} to information_plan.csv. "
                                  f"Complete each one's source, owner and action in the plan below.{listed}")

    def __repr__(self) -> str:
        return f"PatternReader: {self.summary}"
