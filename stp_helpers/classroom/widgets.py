"""Teacher-mode apps: the teacher's panel (stages, board, new lesson, export) and a kernel class page.

In a class the students use the kernel-less class page
(:mod:`stp_helpers.classroom.handlers`); these apps are the teacher's page and
the same lesson for one learner in JupyterLab.  They read and write the
lesson's :class:`~stp_helpers.classroom.store.ClassStore`; the boards and the
student view poll it every ``poll`` seconds in a background thread (and on
``refresh``), so a click at the front reaches every screen.

Examples
--------
>>> import tempfile, pathlib
>>> from stp_helpers.classroom.store import ClassStore
>>> store = ClassStore(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite3")
>>> teacher = TeacherPanel("stakeholder-salience", store=store, poll=0)
>>> teacher.control.label.value
'<b>Stage 1 of 3:</b> Families waiting for help'
>>> teacher.control.next.click(); store.stage("stakeholder-salience")
2
>>> [board.title for board in teacher.boards]
['No answers yet', 'No answers yet']
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import threading
from collections.abc import Callable, Sequence

import ipywidgets as widgets
import pandas as pd

from stp_helpers import charts, paths
from stp_helpers.classroom.lessons import Lesson, Question, load_lesson, stage_parts
from stp_helpers.classroom.store import ClassStore, check_student_id, default_store
from stp_helpers.errors import StpError
from stp_helpers.io.atomic import write_atomic
from stp_helpers.learner.browser import BrowserId

__all__ = ["StageControl", "PulseQuestion", "PulseBoard", "ClassPage", "TeacherPanel", "pulse_chart"]

#: The class page's own address, relative to a Voilà page at ``voila/render/teaching/<page>.ipynb``.
CLASS_PAGE = "../../../stp/class/{lesson}"


class Poller:
    """Calls ``action`` every ``seconds`` in a daemon thread until stopped."""

    def __init__(self, seconds: float, action: Callable[[], None]) -> None:
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


def pulse_chart(counts: dict[str, int], options: Sequence[str], prompt: str) -> charts.StpChart:
    """Bar chart of the class's answers: every option shown, zero included, whole students on the axis."""
    table = pd.DataFrame({"answer": list(options), "students": [int(counts.get(o, 0)) for o in options]})
    total = int(table["students"].sum())
    if total == 0:
        title = "No answers yet"
    else:
        top = table.sort_values("students", ascending=False, kind="stable").iloc[0]
        title = f"{total} answer{'s' if total != 1 else ''} so far: most say {top['answer']} ({int(top['students'])})"
    chart = charts.bar_chart(table, category="answer", value="students", value_title="Students (count)",
                             category_title="Answer", title=title, subtitle=prompt, order=list(options))
    return chart.configure_axisQuantitative(tickMinStep=1, format="d")


class StageControl(widgets.VBox):
    """The teacher's buttons: previous and next stage, new lesson (the old run is archived), resume, export."""

    def __init__(self, lesson: Lesson, store: ClassStore | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        self._lesson = lesson
        self._store = store or default_store()
        self._on_change = on_change
        self.previous = widgets.Button(description="Previous stage", tooltip="Go back one stage")
        self.next = widgets.Button(description="Next stage", button_style="primary", tooltip="Reveal the next stage")
        self.new = widgets.Button(description="New lesson", tooltip="Archive these answers and start at stage 1")
        self.resume = widgets.Button(description="Resume last run", tooltip="Go back to the archived run")
        self.export = widgets.Button(description="Export CSV", tooltip="Save this run's answers (no ids)")
        self.label = widgets.HTML()
        self.status = widgets.HTML()
        self.download = widgets.HTML()
        super().__init__([widgets.HBox([self.previous, self.next]), self.label,
                          widgets.HBox([self.new, self.resume, self.export]), self.status, self.download])
        self.previous.on_click(lambda _: self._move(-1))
        self.next.on_click(lambda _: self._move(+1))
        self.new.on_click(lambda _: self._act(self._new))
        self.resume.on_click(lambda _: self._act(self._resume))
        self.export.on_click(lambda _: self._act(self._export))
        self.show()

    def show(self) -> None:
        """Show the stage the class is at."""
        step = min(self._store.stage(self._lesson.name), len(self._lesson.stages))
        name = self._lesson.stages[step - 1].title
        self.label.value = f"<b>Stage {step} of {len(self._lesson.stages)}:</b> {html.escape(name)}"

    def _act(self, action: Callable[[], str]) -> None:
        try:
            message = action()
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = html.escape(message)
        self.show()
        if self._on_change:
            self._on_change()

    def _move(self, delta: int) -> None:
        def move() -> str:
            step = min(max(self._store.stage(self._lesson.name) + delta, 1), len(self._lesson.stages))
            self._store.set_stage(self._lesson.name, step)
            return ""
        self._act(move)

    def _new(self) -> str:
        run = self._store.new_run(self._lesson.name)
        self.download.value = ""
        return f"New lesson started (run {run}) at stage 1; the earlier answers are archived."

    def _resume(self) -> str:
        info = self._store.resume(self._lesson.name)
        return f"Resumed run {info.run} at stage {info.stage} ({info.answers} answers)."

    def _export(self) -> str:
        text = self._store.export_rows(self._lesson.name)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = write_atomic(paths.cache_dir("classroom", "exports") / f"{self._lesson.name}-{stamp}.csv", text)
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self.download.value = (f'<a download="{html.escape(target.name)}" href="data:text/csv;base64,{data}">'
                               f"Download {html.escape(target.name)}</a>")
        return f"Saved {max(text.count(chr(10)) - 1, 0)} answers to {target}."

    def __repr__(self) -> str:
        return f"StageControl: {len(self._lesson.stages)} stages"


class PulseBoard(widgets.VBox):
    """The teacher's live view of one question: how many students chose each option."""

    def __init__(self, lesson: str, question: Question, store: ClassStore | None = None, poll: float = 2.0) -> None:
        self._lesson, self._question = lesson, question
        self._store = store or default_store()
        self.view = charts.show(self._chart())
        super().__init__([self.view])
        self._poller = Poller(poll, self.refresh) if poll else None

    def _chart(self) -> charts.StpChart:
        return pulse_chart(self._store.counts(self._lesson, self._question.id), self._question.options,
                           self._question.prompt)

    @property
    def title(self) -> str:
        return charts.chart_title(self.view.chart)

    def refresh(self) -> None:
        """Redraw from the store when the answers changed."""
        chart = self._chart()
        if chart.to_dict() != self.view.chart.to_dict():
            self.view.chart = chart

    def close(self) -> None:
        if self._poller:
            self._poller.stop()
        super().close()

    def __repr__(self) -> str:
        return f"PulseBoard: {self.title}"


class PulseQuestion(widgets.VBox):
    """A student's anonymous answer to a question, open only while the class is at its stage."""

    def __init__(self, lesson: str, question: Question, stage: int, browser: BrowserId,
                 store: ClassStore | None = None) -> None:
        self._lesson, self._question, self._stage, self._browser = lesson, question, stage, browser
        self._store = store or default_store()
        self.choice = widgets.RadioButtons(options=list(question.options), value=None, description="",
                                           layout=widgets.Layout(width="auto"))
        self.choice.add_class("stp-pulse-choice")
        self.send = widgets.Button(description="Send my answer", button_style="primary")
        self.status = widgets.HTML("Your answer is anonymous: no name is sent or shown.")
        super().__init__([widgets.HTML(f"<b>{html.escape(question.prompt)}</b>"), self.choice, self.send, self.status])
        self.send.on_click(self._update)

    def _update(self, change: object = None) -> None:
        try:
            if self.choice.value is None:
                raise StpError("No answer chosen.", fix="Pick one of the options, then send it.")
            student = check_student_id(self._browser.student)
            self._store.submit(self._lesson, self._question.id, student, self.choice.value, stage=self._stage)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = html.escape(f"Sent: {self.choice.value}. You can change it until the teacher moves on.")

    def set_open(self, is_open: bool) -> None:
        """Lock the question once the class has moved on (the store refuses late answers too)."""
        self.choice.disabled = self.send.disabled = not is_open

    def __repr__(self) -> str:
        return f"PulseQuestion: {self._question.id}"


class ClassPage(widgets.VBox):
    """A lesson as a student sees it, in a kernel (JupyterLab; a class uses the kernel-less class page)."""

    def __init__(self, lesson: str, store: ClassStore | None = None, poll: float = 2.0) -> None:
        self.lesson = load_lesson(lesson)
        self._store = store or default_store()
        self.browser = BrowserId()
        parts = stage_parts(lesson)
        self.stages: list[widgets.VBox] = []
        self.questions: dict[int, PulseQuestion] = {}
        for number, (stage, html_parts) in enumerate(zip(self.lesson.stages, parts), start=1):
            children: list[widgets.Widget] = [widgets.HTML(f"<h3>Stage {number}: {html.escape(stage.title)}</h3>")]
            children += [widgets.HTML(p) for p in html_parts]
            if stage.question is not None:
                self.questions[number] = PulseQuestion(self.lesson.name, stage.question, number, self.browser,
                                                       store=self._store)
                children.append(self.questions[number])
            self.stages.append(widgets.VBox(children))
        self.waiting = widgets.HTML("<i>Wait for your teacher to reveal the next step.</i>")
        super().__init__()
        self.refresh()
        self._poller = Poller(poll, self.refresh) if poll else None

    def refresh(self) -> None:
        """Show the stages the teacher has reached; lock the questions of earlier stages."""
        step = min(self._store.stage(self.lesson.name), len(self.stages))
        for number, question in self.questions.items():
            question.set_open(number == step)
        shown = (self.browser, *self.stages[:step], *((self.waiting,) if step < len(self.stages) else ()))
        if tuple(self.children) != shown:
            self.children = shown

    def close(self) -> None:
        if self._poller:
            self._poller.stop()
        super().close()

    def __repr__(self) -> str:
        return f"ClassPage: {self.lesson.title}"


class TeacherPanel(widgets.VBox):
    """The teacher's page: the class page's address, the stage control, the current stage and the boards."""

    def __init__(self, lesson: str, store: ClassStore | None = None, poll: float = 2.0) -> None:
        self.lesson = load_lesson(lesson)
        self._store = store or default_store()
        self._parts = stage_parts(lesson)
        address = CLASS_PAGE.format(lesson=self.lesson.name)
        self.link = widgets.HTML(f'<p>Students open the <a href="{html.escape(address)}" target="_self">class page'
                                 "</a> (no kernel each; its address is this server's with "
                                 f"<code>/stp/class/{html.escape(self.lesson.name)}</code>).</p>")
        self.current = widgets.HTML()
        self.boards = [PulseBoard(self.lesson.name, s.question, store=self._store, poll=poll)
                       for s in self.lesson.stages if s.question is not None]
        self.control = StageControl(self.lesson, store=self._store, on_change=self.refresh)
        super().__init__([self.link, self.control, self.current, *self.boards])
        self.refresh()

    def refresh(self) -> None:
        """Show what the class sees now, and redraw the boards."""
        step = min(self._store.stage(self.lesson.name), len(self.lesson.stages))
        self.control.show()
        self.current.value = "".join(self._parts[step - 1])
        for board in self.boards:
            board.refresh()

    def close(self) -> None:
        for board in self.boards:
            board.close()
        super().close()

    def __repr__(self) -> str:
        return f"TeacherPanel: {self.lesson.title}, {len(self.lesson.stages)} stages"
