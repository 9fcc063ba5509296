"""The exercise app, driven in Python: predict, answer, check, model answer, progress."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import IpcKernelManager

from stp_helpers.checks import Feedback
from stp_helpers.checks.exercise import APP_PREDICT_FIRST, APP_YOUR_TURN, MODEL_OFF, Exercise
from stp_helpers.checks.inputs import Choice, Choices, Column, DiagramPick, Number, ShortText, Table
from stp_helpers.checks.matching import LOOP_POLARITY

MODEL = "Two reinforcing loops: R1 and R2."


def count_check(answer: Any, prediction: Any) -> Feedback:
    """Right answer 2; the prediction is compared after a right answer."""
    if answer is ...:
        return Feedback(None)
    if not isinstance(answer, (int, float)):
        return Feedback(False, [], "Write a whole number.")
    if answer != 2:
        return Feedback(False, [], "Count the loops with no negative link, or two.",
                        "Which loop did you count twice?")
    question = None
    if prediction is not ... and prediction != "2":
        question = f"You predicted {prediction}; there are 2. What made you expect {prediction}?"
    return Feedback(True, ["Both found."], None, question)


def app(**kwargs: Any) -> Exercise:
    return Exercise("loop_count", count_check, Number("Reinforcing loops", units="loops", integer=True), MODEL,
                    explanation="R1 has no negative link; R2 has two.",
                    predict=Choice("How many?", ["1", "2", "3"]), notebook="methods/cld.ipynb", **kwargs)


def state_text(widget: Any) -> str:
    """The state of a widget and every widget below it, as sent to the browser."""
    texts, todo = [], [widget]
    while todo:
        item = todo.pop()
        texts.append(json.dumps(item.get_state(), default=str))
        todo += list(getattr(item, "children", ()))
    return "\n".join(texts)


def test_model_answer_is_in_no_widget_state_before_an_attempt() -> None:
    exercise = app()
    assert MODEL not in state_text(exercise)
    assert "R1 has no negative link" not in state_text(exercise)
    exercise.predict.control.value = "3"
    exercise.lock_button.click()
    assert MODEL not in state_text(exercise)
    exercise.answer.control.value = "3"
    exercise.check_button.click()
    assert MODEL in exercise.model_panel.value and MODEL in state_text(exercise)


def test_predict_locks_then_answer_checks_and_compares() -> None:
    exercise = app()
    assert repr(exercise) == APP_PREDICT_FIRST
    assert exercise.check_button.disabled and not exercise.lock_button.disabled
    exercise.lock_button.click()  # nothing chosen: nothing locked
    assert exercise.record_of.prediction is ... and not exercise.predict.control.disabled
    exercise.predict.control.value = "3"
    exercise.lock_button.click()
    assert exercise.predict.control.disabled and exercise.lock_button.disabled
    assert not exercise.check_button.disabled
    assert repr(exercise) == APP_YOUR_TURN
    exercise.check_button.click()  # empty answer
    assert repr(exercise) == APP_YOUR_TURN and exercise.record_of.attempts == []
    exercise.answer.control.value = "three"
    exercise.check_button.click()
    assert repr(exercise) == "Not yet. Write a whole number."
    exercise.answer.control.value = "2"
    exercise.check_button.click()
    assert repr(exercise) == "Correct. Both found. You predicted 3; there are 2. What made you expect 3?"
    assert "Correct." in exercise.feedback_panel.value
    assert exercise.record_of.attempts == [("three", False), ("2", True)]
    assert exercise.record_of.first_correct == 2


def test_show_me_opens_the_model_answer_and_is_recorded() -> None:
    calls: list[tuple[str, str, str, object]] = []
    exercise = app(record=lambda nb, key, item: calls.append((nb, key, repr(item), item.passed)))
    exercise.predict.control.value = "2"
    exercise.lock_button.click()
    exercise.show_button.click()
    assert MODEL in exercise.model_panel.value and exercise.show_button.disabled
    assert exercise.record_of.model_shown == "on request"
    exercise.answer.control.value = "2"
    exercise.check_button.click()
    assert calls == [
        ("methods/cld.ipynb", "loop_count:prediction", "Prediction: 2", None),
        ("methods/cld.ipynb", "loop_count:model-answer", "Asked for the model answer", None),
        ("methods/cld.ipynb", "loop_count", "Correct. Both found.", True),
    ]


def test_progress_goes_to_a_learners_store(tmp_path: Path) -> None:
    from stp_helpers.learner.progress import ProgressStore

    store = ProgressStore("ada", root=tmp_path)
    exercise = app(record=store.record)
    exercise.submit(5, prediction="1")
    exercise.submit(2)
    summary = store.summary().set_index("exercise")
    assert summary.loc["loop_count", "attempts"] == 2
    assert summary.loc["loop_count", "attempts_to_pass"] == 2
    assert summary.loc["loop_count:prediction", "attempts"] == 1
    assert store.attempts()["feedback"].tolist()[0] == "Prediction: 1"


def test_teacher_can_turn_model_answers_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_MODEL_ANSWERS", "off")
    exercise = app()
    assert exercise.show_button.layout.display == "none"
    exercise.submit(3, prediction="2")
    assert MODEL not in state_text(exercise)
    assert MODEL_OFF in exercise.model_panel.value
    assert app(model_answers=True).show_button.layout.display != "none"


def test_coding_route_uses_the_same_check_and_fills_the_app() -> None:
    exercise = app().submit(2, prediction="2")
    assert repr(exercise) == "Correct. Both found."
    assert exercise.answer.control.value == "2" and exercise.predict.control.value == "2"
    assert exercise.predict.control.disabled
    assert exercise._repr_mimebundle_()["text/plain"] == "Correct. Both found."
    waiting = app().submit(..., prediction=...)
    assert repr(waiting) == APP_PREDICT_FIRST and waiting.record_of.attempts == []


def polarity_check(answer: Any, prediction: Any) -> Feedback:
    if answer is ...:
        return Feedback(None)
    given = {k: LOOP_POLARITY.match(v) for k, v in answer.items()}
    wrong = [k for k, v in {"B1": "B", "R1": "R"}.items() if given.get(k) != v]
    return Feedback(not wrong, [], f"{wrong[0]}: count its negative links." if wrong else None)


@pytest.mark.parametrize("make,enter,expected", [
    (lambda: ShortText("Archetype", placeholder="a name"), lambda i: setattr(i.control, "value", " Fixes "), "Fixes"),
    (lambda: Choice("Pick", ["a", "b"]), lambda i: setattr(i.control, "value", "b"), "b"),
    (lambda: Choices("Tick", ["1", "2", "3"], as_type=int),
     lambda i: [setattr(i.boxes[k], "value", True) for k in (0, 2)], {1, 3}),
    (lambda: Number("Share", units="of contacts", percent=True), lambda i: setattr(i.control, "value", "60%"), 0.6),
    (lambda: DiagramPick("Loop", __import__("ipywidgets").HTML("<svg></svg>"), ["B1", "R1"]),
     lambda i: setattr(i.control, "value", "R1"), "R1"),
])
def test_each_input_gives_the_checks_form(make: Any, enter: Any, expected: Any) -> None:
    field = make()
    assert field.value() is ...
    enter(field)
    assert field.value() == expected
    field.lock()
    assert all(c.disabled for c in field.controls())


def test_table_with_named_rows_answers_a_dict_and_runs_the_check() -> None:
    table = Table("Polarity of each loop", [Column("polarity", ("R", "B"))], row_names=("B1", "R1"))
    exercise = Exercise("polarities", polarity_check, table, "B1 B, R1 R")
    table.cells[0][0].value = "R"
    table.cells[1][0].value = "R"
    exercise.check_button.click()
    assert repr(exercise) == "Not yet. B1: count its negative links."
    assert exercise.record_of.attempts == [("B1: R; R1: R", False)]
    exercise.submit({"B1": "balancing", "R1": "positive"})
    assert repr(exercise) == "Correct."
    assert table.cells[0][0].value == "" and table.cells[1][0].value == ""  # words outside the options stay out


def test_table_of_free_rows_keeps_only_complete_rows() -> None:
    links = Table("Links", [Column("source", ("a", "b")), Column("target", ("a", "b")),
                            Column("polarity", ("+", "-")), Column("delay", ("no", "yes"))], rows=3)
    assert links.value() is ...
    links.show([("a", "b", "+", "no"), ("b", "a", "-", "yes")])
    links.cells[2][0].value = "a"  # an unfinished row
    assert links.value() == [("a", "b", "+", "no"), ("b", "a", "-", "yes")]
    assert links.text() == "a b + no; b a - yes"


def test_a_named_learner_has_app_attempts_recorded_in_a_kernel(tmp_path: Path) -> None:
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code in (
        "from stp_helpers.learner import progress\nfrom stp_helpers.checks import Feedback\n"
        "from stp_helpers.checks.exercise import Exercise\nfrom stp_helpers.checks.inputs import ShortText\n"
        "store = progress.track('dee', notebook='methods/cld.ipynb')\n"
        "app = Exercise('name_it', lambda a, p: Feedback(a == 'x', fix=None if a == 'x' else 'Try x.'),"
        " ShortText('Name'), 'x', predict=ShortText('Guess'))",
        "app.predict.control.value = 'y'; app.lock_button.click()\n"
        "app.answer.control.value = 'z'; app.check_button.click()\n"
        "app.answer.control.value = 'x'; app.check_button.click()",
        "progress.untrack(); app.answer.control.value = 'w'; app.check_button.click()",
    )]
    NotebookClient(nb, kernel_name="python3", timeout=120, kernel_manager_class=IpcKernelManager).execute(env={**os.environ, "STP_PROGRESS": str(tmp_path)})
    data = json.loads((tmp_path / "dee.json").read_text())
    assert [(a["notebook"], a["exercise"], a["passed"], a["feedback"]) for a in data["attempts"]] == [
        ("methods/cld.ipynb", "name_it:prediction", None, "Prediction: y"),
        ("methods/cld.ipynb", "name_it", False, "Not yet. Try x."),
        ("methods/cld.ipynb", "name_it", True, "Correct."),
    ]
