"""Two apps: edit the stakeholder register (grid, salience, network update) and answer the CSH questions.

Examples
--------
>>> app = RegisterEditor.from_case("plymouth-alliance")
>>> app.title
'5 of 8 stakeholders are key players: Service providers, Commissioners, Public health team, People using services, Frontline workers'
>>> app.stakeholder.value = "Frontline workers"
>>> app.sliders["power"].value = 0.45
>>> app.title.startswith("4 of 8")
True
>>> app.sliders["power"].value = 1.5  # the slider clips to its maximum
>>> app.register.get("Frontline workers").power
1.0

The CSH explorer opens on the workbook's judged reading, where the case has one:

>>> app = CshExplorer.from_case("stoke-neet")
>>> app.title
'Young people and families want the most change in values: 9 of 12 judged questions wide (the workbook’s judgement)'
>>> app.group.value, app.question.value
('Young people and families', 1)
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from stp_helpers import case as cases
from stp_helpers import charts, stakeholders
from stp_helpers.stakeholders import csh, csh_judged
from stp_helpers.charts.stakeholders import (disagreement_chart, gap_chart, grid_chart, judged_gap_chart,
                                             network_chart)
from stp_helpers.errors import StpError

__all__ = ["RegisterEditor", "CshExplorer"]

_ERROR = '<div class="stp-error"'


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


def _table_html(table: pd.DataFrame) -> str:
    return table.to_html(index=False, border=0, classes="stp-table", escape=True)


def _words_title(record: csh.CshRecord) -> str:
    """The word-overlap prompt as a chart title, for answers with no judged reading: words, not values.

    Examples
    --------
    >>> _words_title(csh.build_csh({"A": {1: ("targets", "people")}}))
    'No gap judged yet. Words, not values: A’s is and ought share fewest words,
     most at Q1 beneficiary; read and judge them'
    """
    found = csh.widest_gap(record)
    if found is None:
        return "No gap judged yet, and no is and ought answers differ in words: read each pair and judge it"
    group, number = found
    return (f"No gap judged yet. Words, not values: {group}’s is and ought share fewest words, most at "
            f"Q{number} {csh.QUESTIONS[number - 1].category}; read and judge them")


def _csh_gap_chart(record: csh.CshRecord, subtitle: str | None = None) -> Any:
    """The judged gap chart when any answer is judged; otherwise the word-overlap chart, titled as words."""
    if csh_judged.judged_table(record).empty:
        return gap_chart(record, title=_words_title(record), subtitle=subtitle)
    return judged_gap_chart(record, subtitle=subtitle)


class RegisterEditor(widgets.VBox):
    """Edit scores and links; the grid, the salience table and the network redraw.

    Parameters
    ----------
    register : Register
    folder : path, optional
        The case folder Save writes to.
    subtitle : str, optional
        Chart subtitle (the case's title).
    """

    def __init__(self, register: stakeholders.Register, *, folder: str | Path | None = None,
                 subtitle: str | None = None) -> None:
        self.register = register
        self._folder = Path(folder) if folder is not None else None
        self._subtitle = subtitle
        self._syncing = False
        style = {"description_width": "110px"}
        names = register.names()
        self.stakeholder = widgets.Dropdown(options=names, value=names[0], description="Stakeholder",
                                            style=style, layout=widgets.Layout(width="420px"))
        self.sliders = {s: widgets.FloatSlider(min=0, max=1, step=0.05, description=s.capitalize(),
                                               continuous_update=False, readout_format=".2f", style=style,
                                               layout=widgets.Layout(width="420px")) for s in stakeholders.SCORES}
        self.new_name = widgets.Text(description="New name", placeholder="a role or group", style=style,
                                     continuous_update=False, layout=widgets.Layout(width="420px"))
        self.add_button = widgets.Button(description="Add stakeholder")
        self.influencer = widgets.Dropdown(options=names, description="Influencer", style=style)
        self.influenced = widgets.Dropdown(options=names, description="Influences", style=style)
        self.link_button = widgets.Button(description="Add link")
        self.save_button = widgets.Button(description="Save to case", button_style="primary")
        self.status = widgets.HTML()
        self.salience = widgets.HTML()
        self.grid_view = charts.show(grid_chart(register, subtitle=subtitle))
        self.network_view = charts.show(network_chart(stakeholders.influence_network(register), subtitle=subtitle))
        self._load_scores()
        self._redraw()
        super().__init__([
            self.stakeholder, *self.sliders.values(), self.grid_view, self.salience,
            widgets.HBox([self.new_name, self.add_button]),
            widgets.HBox([self.influencer, self.influenced, self.link_button]), self.network_view,
            self.save_button, self.status], layout=widgets.Layout(width="860px"))
        self.stakeholder.observe(lambda _: self._load_scores(), names="value")
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        self.add_button.on_click(lambda _: self.add_stakeholder(self.new_name.value))
        self.link_button.on_click(lambda _: self.add_link(self.influencer.value, self.influenced.value))
        self.save_button.on_click(lambda _: self.save())

    @classmethod
    def from_case(cls, slug: str) -> RegisterEditor:
        """Open a case's register (``stakeholders.csv`` and ``stakeholder_links.csv``)."""
        found = cases.load(slug)
        return cls(stakeholders.load_register(found), folder=found.path, subtitle=found.meta.title)

    @property
    def title(self) -> str:
        """The grid chart's title (its finding)."""
        return charts.chart_title(self.grid_view.chart)

    def _load_scores(self) -> None:
        row = self.register.get(self.stakeholder.value)
        self._syncing = True
        try:
            for score, slider in self.sliders.items():
                slider.value = getattr(row, score)
        finally:
            self._syncing = False

    def _redraw(self) -> None:
        self.grid_view.chart = grid_chart(self.register, subtitle=self._subtitle)
        self.network_view.chart = network_chart(stakeholders.influence_network(self.register),
                                                subtitle=self._subtitle)
        table = stakeholders.salience_table(self.register)
        self.salience.value = _table_html(table[table["count"] > 0][["class", "group", "stakeholders"]])

    def _update(self, change: object = None) -> None:
        if self._syncing:
            return
        try:
            register = self.register
            for score, slider in self.sliders.items():
                register = register.with_score(self.stakeholder.value, score, slider.value)
            self.register = register
            self._redraw()
        except StpError as err:
            self.status.value = err.to_html()
            return
        row = self.register.get(self.stakeholder.value)
        self.status.value = _ok(f"{row.name}: {stakeholders.grid_quadrant(row.power, row.interest)}, "
                                f"{stakeholders.salience_class(stakeholders.salience_attributes(row))}.")

    def _names_changed(self) -> None:
        names = self.register.names()
        for box in (self.stakeholder, self.influencer, self.influenced):
            old = box.value
            with box.hold_sync():
                box.options = names
                box.value = old if old in names else names[0]

    def add_stakeholder(self, name: str) -> None:
        """Add a stakeholder with middle scores (0.5) and select it."""
        try:
            text = " ".join(str(name or "").split())
            if not text:
                raise stakeholders.StakeholderError("Type the stakeholder's name first.",
                                                    "Use a role or group, e.g. 'Carers'.")
            if text.casefold() in {n.casefold() for n in self.register.names()}:
                raise stakeholders.StakeholderError(f"{text!r} is already in the register.",
                                                    "Pick it from the list to change its scores.")
            self.register = self.register.with_stakeholder(text)
            self._names_changed()
            self.stakeholder.value = text
            self._redraw()
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Added {text}; set its scores with the sliders.")

    def add_link(self, influencer: Any, influenced: Any, strength: float = 0.5) -> None:
        """Add an influence link between two stakeholders in the register."""
        try:
            self.register = self.register.with_link(str(influencer), str(influenced), strength)
            self._redraw()
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Added the link {influencer} → {influenced}.")

    def save(self) -> None:
        """Write the register into the case folder (shipped cases refuse, with how to copy them)."""
        try:
            if self._folder is None:
                raise StpError("This register has no case folder to save to.",
                               "Open it with RegisterEditor.from_case('my-case').")
            written = stakeholders.save_register(self.register, self._folder, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Saved {' and '.join(p.name for p in written)}.")

    def __repr__(self) -> str:
        return f"RegisterEditor: {self.title}"


class CshExplorer(widgets.VBox):
    """Answer the twelve questions per group and mode; the gap and disagreement charts follow.

    Where the case carries the workbook's judged readings (``gap`` and
    ``reason`` in ``csh.yaml``), the app opens on the group judged to want
    most change in values, at its first question judged widest, and the gap
    chart shows the judged readings.  With no judged reading it opens where
    the is and ought answers share fewest words, and says that is a prompt:
    words, not values.  Editing an answer clears that question's judged
    reading, since the reading was made from the old answer.

    Parameters
    ----------
    record : CshRecord
    folder : path, optional
        The case folder Save writes to.
    subtitle : str, optional
        Chart subtitle.
    """

    def __init__(self, record: csh.CshRecord, *, folder: str | Path | None = None,
                 subtitle: str | None = None) -> None:
        self.record = record
        self._folder = Path(folder) if folder is not None else None
        self._subtitle = subtitle
        self._syncing = False
        style = {"description_width": "90px"}
        self.group = widgets.Dropdown(options=[g.group for g in record.groups], description="Group", style=style,
                                      layout=widgets.Layout(width="420px"))
        self.question = widgets.Dropdown(options=[(f"Q{q.number} {q.category} ({q.source})", q.number)
                                                  for q in csh.QUESTIONS], value=1, description="Question",
                                         style=style, layout=widgets.Layout(width="420px"))
        self.mode = widgets.ToggleButtons(options=list(csh.MODES), value="ought", description="Mode", style=style)
        self.prompt = widgets.HTML()
        self.reading = widgets.HTML()
        self.answer = widgets.Textarea(description="Answer", continuous_update=False, style=style,
                                       layout=widgets.Layout(width="640px", height="64px"))
        self.save_button = widgets.Button(description="Save to case", button_style="primary")
        self.status = widgets.HTML()
        self.gap_view = charts.show(_csh_gap_chart(record, subtitle=subtitle))
        self.disagreement_view = charts.show(disagreement_chart(record, subtitle=subtitle))
        # Open on the finding the chart's title names: the judged reading first, the word prompt without one.
        start = csh_judged.judged_start(record) or csh.widest_gap(record)
        if start is not None:
            self.group.value, self.question.value = start
        self._load_answer()
        super().__init__([self.group, self.question, self.mode, self.prompt, self.answer, self.reading,
                          self.gap_view, self.disagreement_view, self.save_button, self.status],
                         layout=widgets.Layout(width="760px"))
        for box in (self.group, self.question, self.mode):
            box.observe(lambda _: self._load_answer(), names="value")
        self.answer.observe(self._update, names="value")
        self.save_button.on_click(lambda _: self.save())

    @classmethod
    def from_case(cls, slug: str) -> CshExplorer:
        """Open a case's ``csh.yaml``."""
        found = cases.load(slug)
        return cls(csh.load_csh(found), folder=found.path, subtitle=found.meta.title)

    @property
    def title(self) -> str:
        """The gap chart's title (its finding)."""
        return charts.chart_title(self.gap_view.chart)

    def _load_answer(self) -> None:
        q = csh.QUESTIONS[self.question.value - 1]
        current = self.record.group(self.group.value).answers.get(q.number, csh.CshAnswer())
        self._syncing = True
        try:
            self.prompt.value = f'<p style="font-size:15px"><strong>{html.escape(q.text(self.mode.value))}</strong></p>'
            self.answer.value = current.is_ if self.mode.value == "is" else current.ought
        finally:
            self._syncing = False
        self._show_reading()

    def _show_reading(self) -> None:
        """The judged reading of this group's answer to this question, or the word prompt, labelled as words."""
        answer = self.record.group(self.group.value).answers.get(self.question.value, csh.CshAnswer())
        if answer.gap:
            text = (f"<strong>Judged gap in values: {html.escape(answer.gap)}</strong> (the workbook’s judgement). "
                    f"{html.escape(answer.reason)}")
        else:
            shared = 1 - csh.word_gap(answer.is_, answer.ought)
            text = (f"No judged reading for this answer yet. {html.escape(csh_judged.WORDS_LABEL).capitalize()}: "
                    f"{shared:.2f}. Read the is and ought answers and judge the gap in values: none, some or wide.")
        self.reading.value = f'<p style="font-size:15px">{text}</p>'

    def _update(self, change: object = None) -> None:
        if self._syncing:
            return
        judged = self.record.group(self.group.value).answers.get(self.question.value, csh.CshAnswer()).gap
        try:
            self.record = csh.set_answer(self.record, self.group.value, self.question.value, self.mode.value,
                                         self.answer.value)
            self.gap_view.chart = _csh_gap_chart(self.record, subtitle=self._subtitle)
            self.disagreement_view.chart = disagreement_chart(self.record, subtitle=self._subtitle)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self._show_reading()
        row = csh.answers_table(self.record, self.group.value).iloc[self.question.value - 1]
        cleared = f" Its judged reading ({judged}) was made from the old answer, so it is cleared." if judged else ""
        self.status.value = _ok(f"{self.group.value}, Q{row['number']} changed.{cleared} "
                                f"Words shared: {1 - row['gap']:.2f} (a prompt: words, not values).")

    def save(self) -> None:
        """Write ``csh.yaml`` into the case folder (shipped cases refuse, with how to copy them)."""
        try:
            if self._folder is None:
                raise StpError("These answers have no case folder to save to.",
                               "Open them with CshExplorer.from_case('my-case').")
            path = csh.save_csh(self.record, self._folder, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Saved {path.name}.")

    def __repr__(self) -> str:
        return f"CshExplorer: {self.title}"
