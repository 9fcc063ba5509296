"""Teacher-mode apps: stage control and reveal, pulse questions and the pulse board.

The teacher's apps write to the lesson's :class:`~stp_helpers.classroom.store.ClassStore`;
the students' apps read it every ``poll`` seconds in a background thread (and
on :meth:`refresh`), so a click at the front reaches every screen.

Examples
--------
>>> import tempfile, pathlib, ipywidgets as w
>>> from stp_helpers.classroom.store import ClassStore
>>> store = ClassStore(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite3")
>>> control = StageControl("demo", ["The data so far", "The whole run"], store=store)
>>> reveal = Reveal("demo", [w.HTML("one"), w.HTML("two")], store=store, poll=0)
>>> len(reveal.children)
1
>>> control.next.click(); reveal.refresh(); len(reveal.children)
2
>>> control.label.value
'<b>Stage 1 of 2:</b> The data so far'
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence

import altair as alt
import ipywidgets as widgets
import pandas as pd

from stp_helpers import charts
from stp_helpers.classroom.store import ClassStore, default_store, student_id
from stp_helpers.errors import StpError

__all__ = ["StageControl", "Reveal", "PulseQuestion", "PulseBoard", "pulse_chart"]


class _Poller:
    """Calls ``action`` every ``seconds`` in a daemon thread until stopped."""

    def __init__(self, seconds: float, action) -> None:  # type: ignore[no-untyped-def]
        self._stop = threading.Event()
        self._seconds, self._action = seconds, action
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._seconds):
            try:
                self._action()
            except Exception:  # a failed poll must never kill the app; the next one retries
                continue

    def stop(self) -> None:
        self._stop.set()


class StageControl(widgets.VBox):
    """The teacher's Previous / Next buttons for the stages of a lesson."""

    def __init__(self, lesson: str, steps: Sequence[str], store: ClassStore | None = None) -> None:
        if not steps:
            raise StpError("A lesson needs at least one stage.", fix="List the stages' names.")
        self._lesson, self._steps = lesson, tuple(steps)
        self._store = store or default_store()
        self.previous = widgets.Button(description="Previous stage", icon="")
        self.next = widgets.Button(description="Next stage", button_style="primary")
        self.label = widgets.HTML()
        self.status = widgets.HTML()
        super().__init__([widgets.HBox([self.previous, self.next]), self.label, self.status])
        self.previous.on_click(lambda _: self._update(-1))
        self.next.on_click(lambda _: self._update(+1))
        self._update(0)

    def _update(self, delta: int) -> None:
        try:
            step = min(max(self._store.stage(self._lesson) + delta, 0), len(self._steps))
            self._store.set_stage(self._lesson, step)
        except StpError as err:
            self.status.value = err.to_html()
            return
        name = self._steps[step - 1] if step else "nothing revealed yet"
        self.label.value = f"<b>Stage {step} of {len(self._steps)}:</b> {html.escape(name)}"
        self.status.value = ""

    def __repr__(self) -> str:
        return f"StageControl: {len(self._steps)} stages"


class Reveal(widgets.VBox):
    """Shows the first N parts, N being the stage the teacher has reached."""

    def __init__(self, lesson: str, parts: Sequence[widgets.Widget], store: ClassStore | None = None,
                 poll: float = 2.0, always: Sequence[widgets.Widget] = ()) -> None:
        self._lesson, self._parts, self._always = lesson, tuple(parts), tuple(always)
        self._store = store or default_store()
        self.waiting = widgets.HTML("<i>Wait for your teacher to reveal the next step.</i>")
        super().__init__()
        self.refresh()
        self._poller = _Poller(poll, self.refresh) if poll else None

    def refresh(self) -> None:
        """Read the stage and show the parts it reveals."""
        step = min(self._store.stage(self._lesson), len(self._parts))
        shown = self._always + self._parts[:step] + ((self.waiting,) if step < len(self._parts) else ())
        if tuple(self.children) != shown:
            self.children = shown

    def close(self) -> None:
        if self._poller:
            self._poller.stop()
        super().close()

    def __repr__(self) -> str:
        return f"Reveal: {len(self._parts)} stages"


class PulseQuestion(widgets.VBox):
    """A student's anonymous answer to a class question."""

    def __init__(self, lesson: str, question: str, prompt: str, options: Sequence[str],
                 store: ClassStore | None = None) -> None:
        self._lesson, self._question = lesson, question
        self._store = store or default_store()
        self.prompt = widgets.HTML(f"<b>{html.escape(prompt)}</b>")
        self.choice = widgets.RadioButtons(options=list(options), value=None, layout=widgets.Layout(width="auto"))
        self.send = widgets.Button(description="Send my answer", button_style="primary")
        self.status = widgets.HTML("Your answer is anonymous: no name is sent or shown.")
        super().__init__([self.prompt, self.choice, self.send, self.status])
        self.send.on_click(self._update)

    def _update(self, change: object = None) -> None:
        try:
            if self.choice.value is None:
                raise StpError("No answer chosen.", fix="Pick one of the options, then send it.")
            self._store.submit(self._lesson, self._question, student_id(), self.choice.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = html.escape(f"Sent: {self.choice.value}. You can change it until the teacher moves on.")

    def __repr__(self) -> str:
        return f"PulseQuestion: {self._question}"


def pulse_chart(counts: pd.DataFrame, options: Sequence[str], prompt: str) -> alt.LayerChart:
    """Bar chart of the class's answers (every option shown, zero included)."""
    table = pd.DataFrame({"answer": list(options)})
    table = table.merge(counts, on="answer", how="left").fillna({"students": 0})
    table["students"] = table["students"].astype(int)
    total = int(table["students"].sum())
    if total == 0:
        title = "No answers yet"
    else:
        top = table.sort_values("students", ascending=False, kind="stable").iloc[0]
        title = f"{total} answer{'s' if total != 1 else ''} so far: most say {top['answer']} ({int(top['students'])})"
    return charts.bar_chart(table, category="answer", value="students", value_title="Students (count)",
                            category_title="Answer", title=title, subtitle=prompt, order=list(options))


class PulseBoard(widgets.VBox):
    """The teacher's live view of a pulse question, with CSV export."""

    def __init__(self, lesson: str, question: str, prompt: str, options: Sequence[str],
                 store: ClassStore | None = None, poll: float = 2.0) -> None:
        self._lesson, self._question, self._prompt, self._options = lesson, question, prompt, tuple(options)
        self._store = store or default_store()
        self.view = charts.show(pulse_chart(self._counts(), self._options, prompt))
        self.status = widgets.HTML()
        super().__init__([self.view, self.status])
        self._poller = _Poller(poll, self.refresh) if poll else None

    def _counts(self) -> pd.DataFrame:
        return self._store.distribution(self._lesson, self._question)

    @property
    def title(self) -> str:
        return charts.chart_title(self.view.chart)

    def refresh(self) -> None:
        """Redraw from the store when the answers changed."""
        chart = pulse_chart(self._counts(), self._options, self._prompt)
        if charts.chart_title(chart) != self.title or chart.to_dict() != self.view.chart.to_dict():
            self.view.chart = chart

    def close(self) -> None:
        if self._poller:
            self._poller.stop()
        super().close()

    def __repr__(self) -> str:
        return f"PulseBoard: {self.title}"
