"""Teacher mode: the class store (stages, locks, ids, runs and their archive, export) and the apps without a browser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading
from pathlib import Path

import pytest

from stp_helpers.classroom.store import ClassStore, check_student_id, new_student_id
from stp_helpers.classroom.widgets import ClassPage, TeacherPanel, pulse_chart
from stp_helpers.errors import StpError

ADA, BO, CY = ("a" * 32), ("b" * 32), ("c" * 32)


@pytest.fixture
def store(tmp_path: Path) -> ClassStore:
    return ClassStore(tmp_path / "class.sqlite3")


def test_a_lesson_starts_at_stage_one_and_stages_are_checked(store: ClassStore) -> None:
    assert store.stage("week-3") == 1 and store.run("week-3") == 1
    with pytest.raises(StpError, match="not a usable lesson name"):
        store.stage("Week 3; DROP TABLE class_answers")
    with pytest.raises(StpError, match="not a usable lesson name"):
        store.stage("week-3\n")  # a trailing newline is not a name
    for bad in (0, -1, 101, True, 1.5):
        with pytest.raises(StpError, match="not a stage number"):
            store.set_stage("week-3", bad)  # type: ignore[arg-type]
    store.set_stage("week-3", 3)
    assert store.stage("week-3") == 3


def test_answers_close_when_the_teacher_moves_on(store: ClassStore) -> None:
    store.submit("demo", "mode", ADA, "S-shaped", stage=1)
    store.set_stage("demo", 2)
    with pytest.raises(StpError, match="closed when the teacher moved on to stage 2"):
        store.submit("demo", "mode", BO, "exponential", stage=1)
    with pytest.raises(StpError, match="closed"):
        store.submit("demo", "mode", ADA, "exponential", stage=1)  # nor may an earlier answer change
    assert store.counts("demo", "mode") == {"S-shaped": 1}
    store.set_stage("demo", 1)  # the teacher goes back: the question is open again
    store.submit("demo", "mode", BO, "exponential", stage=1)
    assert store.counts("demo", "mode") == {"S-shaped": 1, "exponential": 1}


def test_one_id_is_one_student_and_ids_are_never_names(store: ClassStore) -> None:
    for answer in ("exponential", "S-shaped", "S-shaped"):
        store.submit("demo", "mode", ADA, answer, stage=1)
    store.submit("demo", "mode", BO, "exponential", stage=1)
    assert store.counts("demo", "mode") == {"S-shaped": 1, "exponential": 1}
    assert store.answer_of("demo", "mode", ADA) == "S-shaped"
    assert store.snapshot("demo", BO) == (1, 1, {"mode": "exponential"})
    for name in ("ada", "Ada Lovelace", "teacher", "A" * 32, "a" * 31, "../" + "a" * 29):
        with pytest.raises(StpError, match="no anonymous student id"):
            store.submit("demo", "mode", name, "S-shaped", stage=1)
    first, second = new_student_id(), new_student_id()
    assert first != second and check_student_id(first) == first and len(first) == 32
    with pytest.raises(StpError, match="empty"):
        store.submit("demo", "mode", CY, "  ", stage=1)
    with pytest.raises(StpError, match="500 characters long"):
        store.submit("demo", "mode", CY, "x" * 500, stage=1)


def test_new_lesson_archives_the_run_and_resume_brings_it_back(store: ClassStore) -> None:
    store.submit("demo", "mode", ADA, "S-shaped", stage=1)
    store.submit("demo", "mode", BO, "exponential", stage=1)
    store.set_stage("demo", 3)
    assert store.new_run("demo") == 2
    assert store.stage("demo") == 1 and store.counts("demo", "mode") == {}
    store.submit("demo", "mode", CY, "linear", stage=1)
    runs = store.runs("demo")
    assert [(r.run, r.stage, r.current, r.answers, r.students) for r in runs] == [
        (1, 3, False, 2, 2), (2, 1, True, 1, 1)]
    archived = list(csv.reader(io.StringIO(store.export_rows("demo", run=1))))
    assert archived[0] == ["run", "question", "answer", "at"]
    assert sorted(r[2] for r in archived[1:]) == ["S-shaped", "exponential"]
    resumed = store.resume("demo")  # run 2 has an answer, so it stays in the archive too
    assert (resumed.run, resumed.stage, resumed.answers) == (1, 3, 2)
    assert store.stage("demo") == 3 and store.counts("demo", "mode") == {"S-shaped": 1, "exponential": 1}
    assert [r.run for r in store.runs("demo")] == [1, 2]
    store.new_run("demo")
    store.resume("demo")  # the new run had no answers: it is dropped, not archived
    assert [r.run for r in store.runs("demo")] == [1, 2]
    with pytest.raises(StpError, match="no earlier run"):
        ClassStore(store.path).resume("other")


def test_a_run_left_idle_is_archived_and_the_next_class_starts_at_stage_one(store: ClassStore) -> None:
    store.submit("demo", "mode", ADA, "S-shaped", stage=1)
    store.set_stage("demo", 3)
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=4)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE lesson_runs SET updated = ?", (old,))
    assert store.stage("demo") == 1 and store.run("demo") == 2  # everything revealed last time is not shown
    assert store.counts("demo", "mode") == {}
    assert store.resume("demo").stage == 3  # unless the teacher resumes it


def test_export_has_no_ids_and_refuses_to_overwrite(store: ClassStore, tmp_path: Path) -> None:
    store.submit("demo", "q", ADA, "a", stage=1)
    store.submit("demo", "q", BO, "b", stage=1)
    store.submit("demo", "q", CY, "b", stage=1)
    out = store.export_csv("demo", tmp_path / "answers.csv")
    rows = list(csv.reader(out.open()))
    assert [r[:3] for r in rows] == [["run", "question", "answer"], ["1", "q", "a"], ["1", "q", "b"], ["1", "q", "b"]]
    assert not any(i in out.read_text() for i in (ADA, BO, CY)), "no student ids in the export"
    with pytest.raises(StpError, match="already exists"):
        store.export_csv("demo", out)
    assert store.export_csv("demo", out, overwrite=True) == out


def test_thirty_students_answering_at_once_are_all_kept(store: ClassStore) -> None:
    ids = [f"{i:032x}" for i in range(30)]

    def answer(i: int) -> None:
        ClassStore(store.path).submit("demo", "q", ids[i], "S-shaped" if i % 3 else "exponential", stage=1)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts("demo", "q") == {"S-shaped": 20, "exponential": 10}
    assert store.runs("demo")[0].students == 30


def test_the_board_counts_whole_students() -> None:
    spec = pulse_chart({"b": 1}, ["a", "b"], "Which?").to_dict()
    assert spec["config"]["axisQuantitative"] == {"tickMinStep": 1, "format": "d"}
    assert spec["title"]["text"] == "1 answer so far: most say b (1)"


def test_teacher_and_student_apps_without_a_browser(store: ClassStore) -> None:
    teacher = TeacherPanel("behaviour-mode", store=store, poll=0)
    student = ClassPage("behaviour-mode", store=store, poll=0)
    assert [b.title for b in teacher.boards] == ["No answers yet"]
    assert "Stage 1 of 3:</b> Predict" in teacher.control.label.value
    question = student.questions[1]
    question.send.click()
    assert "No answer chosen" in question.status.value
    question.choice.value = "S-shaped"
    question.send.click()
    assert "sent no anonymous student id" in question.status.value  # no id from the page yet: nothing is written
    student.browser.student = ADA
    question.send.click()
    assert question.status.value.startswith("Sent: S-shaped.")
    teacher.refresh()
    assert teacher.boards[0].title == "1 answer so far: most say S-shaped (1)"
    assert len(student.children) == 3  # the browser id, stage 1, "wait for your teacher"
    teacher.control.next.click()
    student.refresh()
    assert len(student.children) == 4 and question.choice.disabled and question.send.disabled
    assert "S-shaped growth" in teacher.current.value  # the teacher sees what the class sees
    question.choice.value = "linear"
    question.send.click()  # a page that missed the lock is still refused by the store
    assert "closed" in question.status.value and store.counts("behaviour-mode", "behaviour-mode") == {"S-shaped": 1}
    teacher.control.next.click()
    teacher.control.next.click()  # past the last stage: stays there
    assert store.stage("behaviour-mode") == 3
    teacher.control.export.click()
    assert "Saved 1 answers" in teacher.control.status.value
    assert 'download="behaviour-mode-' in teacher.control.download.value
    teacher.control.new.click()
    assert store.stage("behaviour-mode") == 1 and store.counts("behaviour-mode", "behaviour-mode") == {}
    assert "archived" in teacher.control.status.value and "Stage 1 of 3" in teacher.control.label.value
    teacher.control.resume.click()
    assert store.stage("behaviour-mode") == 3 and "Resumed run 1 at stage 3 (1 answers)" in teacher.control.status.value
    teacher.close()
    student.close()
