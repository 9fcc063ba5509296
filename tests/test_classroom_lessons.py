"""Lessons as data: the shipped lessons, the notebooks a lesson opens, and what a bad lesson file is told."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stp_helpers import paths
from stp_helpers.classroom.lessons import (
    lesson_notebooks,
    lesson_plan,
    load_lesson,
    shipped_lessons,
    stage_parts,
)
from stp_helpers.errors import CaseFileError, StpError

LESSON = """\
title: Loops
stages:
  - title: Guess
    show:
      - text: Count the negative links.
    question:
      id: loop
      prompt: Reinforcing or balancing?
      options: [reinforcing, balancing]
      answer: balancing
"""


def write(tmp_path: Path, text: str, name: str = "week-3.yaml") -> Path:
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def problems(path: Path) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        load_lesson(path)
    return [str(p) for p in caught.value.problems]


def test_the_three_shipped_lessons() -> None:
    assert shipped_lessons() == ["behaviour-mode", "cld-loop-polarity", "stakeholder-salience"]
    answers = {}
    for name in shipped_lessons():
        lesson = load_lesson(name)
        answers[name] = [(s.question.id, s.question.answer) for s in lesson.stages if s.question]
        assert lesson.references, f"{name} cites its literature"
    assert answers == {
        "behaviour-mode": [("behaviour-mode", "S-shaped")],
        "cld-loop-polarity": [("crisis-loop", "balancing"), ("prevention-loop", "reinforcing")],
        # Mitchell, Agle & Wood (1997): legitimacy + urgency is dependent, power + urgency dangerous
        "stakeholder-salience": [("families-class", "dependent"), ("councillor-class", "dangerous")],
    }
    kinds = {name: [p.kind for s in load_lesson(name).stages for p in s.show] for name in shipped_lessons()}
    assert kinds["behaviour-mode"] == ["text", "run", "run", "cld", "text"]
    assert "cld" in kinds["cld-loop-polarity"] and "table" in kinds["stakeholder-salience"]


def test_the_notebooks_a_lesson_opens(tmp_path: Path) -> None:
    assert lesson_notebooks("behaviour-mode") == ["methods/stock_flow.ipynb"]
    assert lesson_notebooks(paths.DATA_DIR / "lessons" / "cld-loop-polarity.yaml") == ["methods/cld.ipynb"]
    assert lesson_notebooks(write(tmp_path, LESSON)) == []  # only the class page: no kernel to preheat
    assert lesson_notebooks(write(tmp_path, "app: methods/vsm.ipynb\n" + LESSON)) == ["methods/vsm.ipynb"]
    with pytest.raises(StpError, match="no lesson called 'week-9'. Use one of behaviour-mode"):
        lesson_notebooks("week-9")


def test_a_teacher_lesson_loads_and_its_plan_is_escaped(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, LESSON.replace("title: Loops", "title: Loops <script>x</script>")))
    assert lesson.name == "week-3" and lesson.question_stages() == {"loop": 1}
    plan = lesson_plan(write(tmp_path, LESSON.replace("title: Loops", "title: Loops <script>x</script>")))
    assert "<script>" not in plan.html and "&lt;script&gt;" in plan.html
    assert repr(plan).splitlines()[1] == "1. Guess. Reinforcing or balancing? (2 options; expected: balancing)"


@pytest.mark.parametrize(("change", "expected"), [
    (("options: [reinforcing, balancing]", "options: [reinforcing]"),
     'week-3.yaml, line 9, column "stages[0].question.options": List should have at least 2 items after '
     'validation, not 1. Expected: 2 to 8 different answers to choose from.'),
    (("answer: balancing", "answer: neither"),
     'week-3.yaml, line 7, column "stages[0].question": The answer \'neither\' is not one of the options. '
     'Expected: id, prompt, options and (optionally) answer.'),
    (("      - text: Count the negative links.", "      - text: Count them.\n        table: {columns: [a], rows: [[b]]}"),
     'week-3.yaml, line 5, column "stages[0].show[0]": Each item under \'show\' needs exactly one of text, run, '
     'cld or table (found text, table). Expected: the parts the stage shows.'),
    (("      - text: Count the negative links.", "      - run: {model: bathtubb, title: A run}"),
     'week-3.yaml, line 5, column "stages[0].show[0].run.model": \'bathtubb\' is not a teaching model; use one '
     'of bathtub, failure_demand, flawed_bathtub, population_limits, sir. Expected: a teaching model in '
     'data/models, e.g. population_limits.'),
    (("      - text: Count the negative links.", "      - cld: {title: Two, links: ['a -> b', 'b -> a (+)']}"),
     'week-3.yaml, line 5, column "stages[0].show[0].cld.links": Link 1 (\'a -> b\') is not written as '
     '\'source -> target (+)\'. Expected: one link per item, e.g. \'births -> population (+)\'; add \'delayed\' after it.'),
    (("      - text: Count the negative links.", "      - cld: {title: Two, links: ['a -> b (x)']}"),
     'week-3.yaml, line 5, column "stages[0].show[0].cld.links": Link 1 (\'a -> b (x)\') has no polarity: write '
     '(+), (-) or (?) after it. Expected: one link per item, e.g. \'births -> population (+)\'; add \'delayed\' after it.'),
    (("      id: loop", "      id: Loop 1"),
     'week-3.yaml, line 7, column "stages[0].question.id": String should match pattern '
     '\'^[a-z0-9][a-z0-9-]{0,40}$\'. Expected: lowercase letters, digits and hyphens, e.g. behaviour-mode.'),
    (("title: Loops", "title: Loops\ncolour: blue"),
     'week-3.yaml, line 2, column "colour": \'blue\' is not a field this file has. Remove it or check its '
     'spelling; the fields here are: title, summary, app, stages, references.'),
    (("title: Loops", "title: Loops\napp: ../../etc/passwd"),
     'week-3.yaml, line 2, column "app": \'../../etc/passwd\' is not a notebook of the workbook. Expected: a '
     'workbook notebook the class opens after the lesson, e.g. methods/stock_flow.ipynb.'),
    (("stages:\n", "stages: []\nnothing:\n"),
     'week-3.yaml, line 2, column "stages": List should have at least 1 item after validation, not 0. '
     'Expected: the stages in order (at least one).'),
])
def test_a_bad_lesson_names_file_line_field_and_fix(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    text = LESSON.replace(*change)
    assert text != LESSON
    found = problems(write(tmp_path, text))
    assert any(p.endswith(expected) for p in found), found


def test_every_problem_is_listed_at_once_and_broken_yaml_gives_its_line(tmp_path: Path) -> None:
    text = LESSON.replace("answer: balancing", "answer: neither").replace("title: Loops", "title: Lo\ncolour: red")
    assert len(problems(write(tmp_path, text))) == 3  # a short title, an unknown field, an answer not offered
    broken = problems(write(tmp_path, "title: Loops\nstages:\n  - title: [unclosed\n"))
    assert len(broken) == 1 and "week-3.yaml, line 3: The file is not valid YAML" in broken[0]
    assert "is not a usable lesson name" in problems(write(tmp_path, LESSON, "Week 3.yaml"))[0]
    assert "comes from its file name" in problems(write(tmp_path, "name: other\n" + LESSON))[0]


def test_lesson_files_are_read_with_the_safe_limited_loader(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    with pytest.raises(CaseFileError):
        load_lesson(write(tmp_path, bomb))
    with pytest.raises(CaseFileError, match="python/object"):
        load_lesson(write(tmp_path, "title: !!python/object/apply:os.system ['true']\nstages: []\n"))


def test_parts_are_drawn_once_in_a_child_process_and_escaped(tmp_path: Path) -> None:
    """The drawing runs in a child; the caller never loads PySD, Altair or vl-convert for it."""
    lesson = write(tmp_path, LESSON.replace("Count the negative links.", "Count <b>the</b> **negative** links."))
    code = ("import sys, json\nfrom stp_helpers.classroom.lessons import stage_parts\n"
            f"p = stage_parts({str(lesson)!r})\n"
            "print(json.dumps([p, [m for m in ('pysd', 'altair', 'vl_convert') if m in sys.modules]]))")
    env = {**__import__("os").environ, "STP_CACHE": str(tmp_path / "cache")}
    parts, loaded = json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                              capture_output=True, text=True).stdout)
    assert loaded == []
    assert parts == [["<p>Count &lt;b&gt;the&lt;/b&gt; <b>negative</b> links.</p>"]]
    assert len(list((tmp_path / "cache" / "lessons").glob("week-3-*.json"))) == 1


def test_the_behaviour_lesson_cuts_the_run_where_it_reaches_fifteen_percent() -> None:
    parts = stage_parts("behaviour-mode")
    assert [len(s) for s in parts] == [2, 1, 2]
    first, whole = parts[0][1], parts[1][0]
    assert 'aria-label="The first ' in first and "years: what happens next?" in first
    assert "<svg" in first and "<svg" in whole and "S-shaped growth" in whole
    assert "<svg" in parts[2][0] and "R1" in parts[2][0] and "B1" in parts[2][0]


def test_the_served_lesson_may_be_a_teachers_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stp serve --lesson FILE`` sets STP_LESSON: the teacher's page drives it and the class page serves it."""
    from stp_helpers.classroom.handlers import class_handlers
    from stp_helpers.classroom.lessons import current_lesson

    assert current_lesson("behaviour-mode") == "behaviour-mode"
    own = write(tmp_path, LESSON, "week-7.yaml")
    monkeypatch.setenv("STP_LESSON", str(own))
    assert current_lesson("behaviour-mode") == str(own) and load_lesson(current_lesson("x")).name == "week-7"
    served = class_handlers("/")[1][2]["config"].files
    assert served["week-7"] == own and sorted(served) == ["behaviour-mode", "cld-loop-polarity",
                                                          "stakeholder-salience", "week-7"]
    monkeypatch.setenv("STP_LESSON", str(Path.cwd() / "cld-loop-polarity"))  # `--lesson cld-loop-polarity`
    assert load_lesson(current_lesson("x")).name == "cld-loop-polarity"
    assert class_handlers("/")[1][2]["config"].files["cld-loop-polarity"] == paths.DATA_DIR / "lessons" / \
        "cld-loop-polarity.yaml"


HOSTILE = """\
title: "Evil <img src=x onerror=alert(1)>"
stages:
  - title: "<script>alert(2)</script>"
    show:
      - text: "<b onmouseover=alert(3)>hi</b> **bold <i>x</i>**"
      - run: {model: bathtub, title: "Run <script>alert(4)</script> & more", y_title: "Water <svg onload=alert(5)>"}
      - cld: {title: "CLD <script>alert(6)</script>", links: ["<img src=x onerror=alert(7)> -> b (+)", "b -> <img src=x onerror=alert(7)> (-)"]}
      - table: {columns: ["<script>alert(8)</script>"], rows: [["<img src=x onerror=alert(9)>"]]}
    question:
      id: q
      prompt: "<img src=x onerror=alert(10)>?"
      options: ["<script>alert(11)</script>", "b"]
"""


def test_lesson_text_never_becomes_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every piece of a lesson file reaches the page escaped: text, chart and diagram titles, tables, the plan."""
    import re

    monkeypatch.setenv("STP_CACHE", str(tmp_path / "cache"))
    lesson = write(tmp_path, HOSTILE, "evil.yaml")
    page = "".join(part for stage in stage_parts(lesson) for part in stage) + lesson_plan(lesson).html
    assert re.findall(r"<(?:script|img|b on|svg [^>]*onload)|<i>x", page) == []
    assert page.count("&lt;script&gt;") >= 5 and "<b>bold &lt;i&gt;x&lt;/i&gt;</b>" in page
