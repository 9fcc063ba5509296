"""The exercise app every exercise uses: predict, answer, check, then the model answer.

One small widget class, the same in JupyterLab and in Voilà:

1. **Predict** (optional): an input that fits the question; "Lock my prediction"
   disables it and records it.
2. **Answer**: an input that fits the task (see :mod:`stp_helpers.checks.inputs`).
3. **Check**: runs the exercise's check function, the same one a learner calls in
   code from the starter cell, and shows its :class:`~stp_helpers.checks.Feedback`,
   which compares the answer with the prediction.
4. **Model answer**: its text stays in the kernel until an attempt, or until the
   learner presses "Show me the model answer" (recorded).  It is in no widget's
   state before then, so it is not in the page.  A teacher turns model answers off
   for a class with ``STP_MODEL_ANSWERS=off`` (or ``model_answers=False``).
5. **Progress**: predictions, attempts and "show me" go to ``record`` (e.g.
   ``ProgressStore(...).record``) when one is given.

Examples
--------
>>> from stp_helpers.checks import Feedback
>>> from stp_helpers.checks.inputs import Choice, Number
>>> def check_sum(answer, prediction):
...     if answer is ...:
...         return Feedback(None)
...     return Feedback(answer == 4, fix=None if answer == 4 else "Count again.")
>>> app = Exercise("sum", check_sum, Number("2 + 2 ="), "4",
...                predict=Choice("Even or odd?", ["even", "odd"]))
>>> app
Your turn: make your prediction and lock it, then answer and press Check.
>>> app.model_panel.value
''
>>> app.predict.control.value = "even"; app.lock_button.click()
>>> app.answer.control.value = "5"; app.check_button.click()
>>> app
Not yet. Count again.
>>> "4" in app.model_panel.value
True
>>> app.submit(4)
Correct.
>>> app.record_of.first_correct
2
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from stp_helpers.checks import Feedback, is_placeholder
from stp_helpers.checks.inputs import AnswerInput

__all__ = ["Exercise", "ExerciseRecord", "Note", "model_answers_enabled", "set_recorder", "APP_YOUR_TURN"]

APP_YOUR_TURN = "Your turn: answer, then press Check."
APP_PREDICT_FIRST = "Your turn: make your prediction and lock it, then answer and press Check."
MODEL_OFF = "Model answers are turned off for this class: talk your answer through with your teacher."

#: Signature of a check as the app calls it: ``check(answer, prediction) -> Feedback``.
Check = Callable[[Any, Any], Feedback]
#: Signature of a progress recorder: ``record(notebook, exercise, feedback_or_note)``.
Recorder = Callable[[str, str, Any], None]


_recorder: list[Recorder | None] = [None]


def set_recorder(recorder: Recorder | None) -> None:
    """Record every exercise app of this kernel with ``recorder`` (None stops it).

    :func:`stp_helpers.learner.progress.track` calls this when a learner is named,
    so apps record without importing the progress store.
    """
    _recorder[0] = recorder


def model_answers_enabled(setting: bool | None = None) -> bool:
    """Return whether model answers may be shown: ``setting``, else ``STP_MODEL_ANSWERS`` (default on).

    >>> model_answers_enabled(False), model_answers_enabled(True)
    (False, True)
    """
    if setting is not None:
        return setting
    return os.environ.get("STP_MODEL_ANSWERS", "on").strip().lower() not in {"off", "0", "no", "false"}


@dataclass(frozen=True)
class Note:
    """Something recorded that is not an attempt (a prediction, a "show me"); ``passed`` is None."""

    text: str
    passed: None = None

    def __repr__(self) -> str:
        return self.text


@dataclass
class ExerciseRecord:
    """What happened in one exercise app: the prediction, each attempt, the first correct one."""

    prediction: Any = ...
    attempts: list[tuple[str, bool | None]] = field(default_factory=list)
    first_correct: int | None = None
    model_shown: str | None = None


class Exercise(widgets.VBox):
    """Predict → answer → check → model answer, for one exercise.

    Parameters
    ----------
    key : str
        The exercise's name in the progress record, e.g. ``"loop_polarities"``.
    check : callable
        ``check(answer, prediction) -> Feedback``; the same function the coding route calls.
    answer : AnswerInput
        The input for the answer.
    model_answer : str
        The model answer, shown after an attempt or on request.
    explanation : str
        Why it is right, shown with the model answer.
    predict : AnswerInput, optional
        The input for the prediction.
    title : str
        The task, shown above the inputs.
    notebook : str
        The notebook's path below ``notebooks/``, for the progress record.
    record : callable, optional
        ``record(notebook, key, feedback)``, e.g. ``ProgressStore("ada").record``; default
        the kernel's recorder (see :func:`set_recorder`), if any.
    model_answers : bool, optional
        Default ``STP_MODEL_ANSWERS`` (on unless "off").
    """

    def __init__(self, key: str, check: Check, answer: AnswerInput, model_answer: str, *,
                 explanation: str = "", predict: AnswerInput | None = None, title: str = "",
                 notebook: str = "", record: Recorder | None = None,
                 model_answers: bool | None = None) -> None:
        self.key, self.notebook = key, notebook
        self.answer, self.predict = answer, predict
        self.record_of = ExerciseRecord()
        self._check, self._record = check, record
        self._model = (model_answer, explanation)
        self._models_on = model_answers_enabled(model_answers)
        self._feedback: Feedback | None = None
        self.lock_button = widgets.Button(description="Lock my prediction", button_style="info")
        self.check_button = widgets.Button(description="Check", button_style="primary",
                                           disabled=predict is not None)
        self.show_button = widgets.Button(description="Show me the model answer", layout=widgets.Layout(width="auto"))
        if not self._models_on:
            self.show_button.layout.display = "none"
        self.feedback_panel = widgets.HTML(self._your_turn_html())
        self.feedback_panel.add_class("stp-exercise-feedback")
        self.model_panel = widgets.HTML("")
        self.model_panel.add_class("stp-model-answer")
        rows: list[widgets.Widget] = []
        if title:
            rows.append(widgets.HTML(f"<p style='font-size:15px'>{html.escape(title)}</p>"))
        if predict is not None:
            rows += [widgets.HTML("<b>Predict.</b>"), predict.box, self.lock_button]
        rows += [widgets.HTML("<b>Answer.</b>"), answer.box,
                 widgets.HBox([self.check_button, self.show_button]), self.feedback_panel, self.model_panel]
        super().__init__(rows, layout=widgets.Layout(width="860px", border="1px solid #ccc", padding="8px"))
        self.add_class("stp-exercise")
        self.lock_button.on_click(lambda _b: self._update({"name": "lock"}))
        self.check_button.on_click(lambda _b: self._update({"name": "check"}))
        self.show_button.on_click(lambda _b: self._update({"name": "show"}))

    # --- the one handler -------------------------------------------------------------
    def _update(self, change: dict[str, Any] | None = None) -> None:
        action = (change or {}).get("name")
        if action == "lock":
            self._lock_prediction(self.predict.value() if self.predict is not None else ...)
        elif action == "check":
            self._attempt(self.answer.value(), self.answer.text())
        elif action == "show":
            self._open_model("on request")
        self._refresh()

    def _lock_prediction(self, prediction: Any) -> None:
        if self.predict is None or is_placeholder(prediction) or self.record_of.prediction is not ...:
            return
        self.record_of.prediction = prediction
        self.predict.lock()
        self._save(Note(f"Prediction: {self.predict.text() or prediction}"), suffix=":prediction")

    def _attempt(self, answer: Any, said: str) -> None:
        feedback = self._check(answer, self.record_of.prediction)
        self._feedback = feedback
        if feedback.passed is None:
            return
        self.record_of.attempts.append((said, feedback.passed))
        if feedback.passed and self.record_of.first_correct is None:
            self.record_of.first_correct = len(self.record_of.attempts)
        self._save(feedback)
        self._open_model("after an attempt")

    def _open_model(self, why: str) -> None:
        if self.record_of.model_shown is not None:
            return
        self.record_of.model_shown = why
        if why == "on request":
            self._save(Note("Asked for the model answer"), suffix=":model-answer")

    def _refresh(self) -> None:
        with self.hold_sync():
            locked = self.predict is None or self.record_of.prediction is not ...
            self.lock_button.disabled = locked
            self.check_button.disabled = not locked
            self.feedback_panel.value = self._feedback_html()
            if self.record_of.model_shown is not None:
                self.model_panel.value = self._model_html()
                self.show_button.disabled = True

    def _save(self, item: Any, suffix: str = "") -> None:
        record = self._record or _recorder[0]
        if record is not None:
            record(self.notebook, self.key + suffix, item)

    # --- what the learner sees -------------------------------------------------------
    def _your_turn_text(self) -> str:
        return APP_PREDICT_FIRST if self.predict is not None and self.record_of.prediction is ... else APP_YOUR_TURN

    def _your_turn_html(self) -> str:
        return f"<div class='stp-feedback' style='font-size:15px'>{html.escape(self._your_turn_text())}</div>"

    def _feedback_html(self) -> str:
        if self._feedback is None or self._feedback.passed is None:
            return self._your_turn_html()
        return self._feedback._repr_html_()

    def _model_html(self) -> str:
        if not self._models_on:
            return f"<p class='stp-model-off'>{html.escape(MODEL_OFF)}</p>"
        answer, explanation = self._model
        more = f"<p>{html.escape(explanation)}</p>" if explanation else ""
        return (f"<div style='font-size:15px;border-left:4px solid #0072B2;padding:4px 10px'>"
                f"<b>Model answer.</b> {html.escape(answer)}{more}</div>")

    def feedback(self) -> Feedback | None:
        """The last feedback shown, or None before any check."""
        return self._feedback

    # --- the coding route ------------------------------------------------------------
    def submit(self, answer: Any = ..., prediction: Any = ...) -> Exercise:
        """Check an answer written in code (the starter cell) with the same check, and show it here.

        A ``...`` answer leaves the app waiting; a prediction given here is locked
        as if typed into the app.  Returns the app, so a check cell shows it.
        """
        if self.predict is not None and not is_placeholder(prediction):
            self.predict.show(prediction)
            self._lock_prediction(prediction)
        if not is_placeholder(answer):
            self.answer.show(answer)
            self._attempt(answer, self.answer.text() or str(answer))
        self._refresh()
        return self

    def __repr__(self) -> str:
        if self._feedback is None or self._feedback.passed is None:
            return self._your_turn_text()
        return repr(self._feedback)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle
