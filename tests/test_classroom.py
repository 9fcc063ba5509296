"""Teacher mode: the shared store, the apps without a browser, and a teacher with two students in Chromium."""

from __future__ import annotations

import csv
import json
import os
import threading
from pathlib import Path

import ipywidgets as w
import pytest

from stp_helpers import catalogue
from stp_helpers.classroom.store import ClassStore, default_store
from stp_helpers.errors import StpError
from stp_helpers.classroom.lessons import BehaviourModeLesson, BehaviourModeTeacher
from stp_helpers.classroom.widgets import Reveal


def test_store_rules(tmp_path: Path) -> None:
    store = ClassStore(tmp_path / "c.sqlite3")
    with pytest.raises(StpError, match="not a usable lesson name"):
        store.stage("Week 3; DROP TABLE answers")
    with pytest.raises(StpError, match="empty"):
        store.submit("demo", "q", "s1", "  ")
    with pytest.raises(StpError, match="characters long"):
        store.submit("demo", "q", "s1", "x" * 500)
    with pytest.raises(StpError, match="not a stage number"):
        store.set_stage("demo", -1)
    store.submit("demo", "q", "s1", "a")
    store.submit("demo", "q", "s2", "b")
    store.submit("demo", "q", "s3", "b")
    out = store.export_csv("demo", tmp_path / "answers.csv")
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["question", "answer", "at"] and sorted(r[1] for r in rows[1:]) == ["a", "b", "b"]
    assert all("s1" not in cell for row in rows for cell in row), "no student ids in the export"
    with pytest.raises(StpError, match="already exists"):
        store.export_csv("demo", out)
    store.reset("demo")
    assert store.distribution("demo", "q").empty and store.stage("demo") == 0


def test_concurrent_answers_are_all_kept(tmp_path: Path) -> None:
    store = ClassStore(tmp_path / "c.sqlite3")

    def answer(i: int) -> None:
        ClassStore(store.path).submit("demo", "q", f"student-{i}", "S-shaped" if i % 3 else "exponential")

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = dict(store.distribution("demo", "q").itertuples(index=False))
    assert counts == {"S-shaped": 20, "exponential": 10}


def test_apps_without_a_browser(tmp_path: Path) -> None:
    store = ClassStore(tmp_path / "c.sqlite3")
    teacher = BehaviourModeTeacher("demo", store=store, poll=0)
    student = BehaviourModeLesson("demo", store=store, poll=0)
    assert teacher.board.title == "No answers yet"
    student.question.send.click()
    assert "No answer chosen" in student.question.status.value
    student.question.choice.value = "exponential"
    student.question.send.click()
    teacher.board.refresh()
    assert teacher.board.title == "1 answer so far: most say exponential (1)"
    assert len(student.reveal.children) == 3  # the run so far, the question, "wait for your teacher"
    teacher.control.next.click()
    student.reveal.refresh()
    titles = [getattr(c, "chart", None) for c in student.reveal.children]
    assert any(t is not None and "S-shaped growth" in str(t.to_dict()["title"]) for t in titles)
    teacher.control.next.click()
    teacher.control.next.click()  # past the last stage: stays there
    assert store.stage("demo") == 2
    teacher.control.previous.click()
    assert store.stage("demo") == 1


def test_reveal_polls_in_the_background(tmp_path: Path) -> None:
    store = ClassStore(tmp_path / "c.sqlite3")
    reveal = Reveal("poll", [w.HTML("one")], store=store, poll=0.1)
    store.set_stage("poll", 1)
    import time

    deadline = time.monotonic() + 5
    while len(reveal.children) != 1 or reveal.children[0].value != "one":
        assert time.monotonic() < deadline, "the reveal did not follow the stage"
        time.sleep(0.05)
    reveal.close()


@pytest.mark.browser
def test_teacher_and_two_students(voila_server: str, browser: object) -> None:
    default_store().reset("demo")
    pages = {}
    contexts = []
    for role, path in (("teacher", "teaching/teacher.ipynb"), ("ada", "teaching/class.ipynb"),
                       ("bo", "teaching/class.ipynb")):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else r.abort())
        page.goto(catalogue.entry(path).voila_url(voila_server), wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(".vega-embed svg", timeout=120_000)
        pages[role] = page
    try:
        pages["teacher"].get_by_text("No answers yet").first.wait_for(timeout=30_000)
        for role, answer in (("ada", "S-shaped"), ("bo", "exponential")):
            page = pages[role]
            page.get_by_label(answer, exact=True).check()
            page.get_by_role("button", name="Send my answer").click()
            page.get_by_text(f"Sent: {answer}.").wait_for(timeout=30_000)
        pages["teacher"].get_by_text("2 answers so far: most say").first.wait_for(timeout=30_000)
        for role in ("ada", "bo"):
            assert pages[role].get_by_text("The population follows").count() == 0
        pages["teacher"].get_by_role("button", name="Next stage").click()
        for role in ("ada", "bo"):
            pages[role].get_by_text("The population follows S-shaped growth").first.wait_for(timeout=30_000)
            assert "2 answers so far" not in pages[role].inner_text("body"), "students do not see the board"
    finally:
        for context in contexts:
            context.close()
        default_store().reset("demo")  # the class notebooks' stored outputs show a lesson with no answers


def test_lesson_run_is_cached_so_class_kernels_skip_pysd(tmp_path: Path) -> None:
    """The first kernel runs the model; the others read the run from the cache without importing PySD."""
    import subprocess
    import sys

    code = ("import sys, json\nfrom stp_helpers.classroom import lessons\nd = lessons.behaviour_lesson_data()\n"
            "print(json.dumps([d.cut_year, d.final_year, d.mode, d.units, len(d.run), float(d.run['value'].sum()),"
            " 'pysd' in sys.modules]))")
    env = {**os.environ, "STP_CACHE": str(tmp_path)}
    first, second = (json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                               capture_output=True, text=True).stdout) for _ in range(2))
    assert first[-1] is True and second[-1] is False  # only the first imported PySD
    assert first[:-1] == second[:-1] and first[2] == "S-shaped"
    assert len(list((tmp_path / "lessons").glob("behaviour-*.json"))) == 1
