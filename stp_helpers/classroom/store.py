"""Teacher mode: reveal an app in stages, and a class pulse of anonymous answers.

A small SQLite file on the teacher's server (``STP_CLASSROOM_DB``, default in
the workbook's cache) holds, per lesson, the stage the teacher has reached and
the students' answers.  Students are anonymous: each kernel draws a random id,
and no name is asked for or shown.  The data stay on the machine and export
as CSV.

Examples
--------
>>> import tempfile, pathlib
>>> store = ClassStore(pathlib.Path(tempfile.mkdtemp()) / "class.sqlite3")
>>> store.set_stage("demo", 2)
>>> store.stage("demo")
2
>>> store.submit("demo", "mode", "s1", "S-shaped growth")
>>> store.submit("demo", "mode", "s2", "exponential growth")
>>> store.submit("demo", "mode", "s1", "exponential growth")   # a student may change their answer
>>> store.distribution("demo", "mode").to_dict("records")
[{'answer': 'exponential growth', 'students': 2}]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from stp_helpers import paths
from stp_helpers.io.atomic import write_atomic
from stp_helpers.errors import StpError

__all__ = ["ClassStore", "default_store", "student_id", "LESSON_PATTERN"]

LESSON_PATTERN = r"^[a-z0-9][a-z0-9-]{0,40}$"
MAX_ANSWER = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stages (lesson TEXT PRIMARY KEY, step INTEGER NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    lesson TEXT NOT NULL, question TEXT NOT NULL, student TEXT NOT NULL, answer TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (lesson, question, student));
"""

_STUDENT = secrets.token_hex(6)


def student_id() -> str:
    """This kernel's anonymous student id (random, never a name)."""
    return _STUDENT


def _check_name(kind: str, value: str) -> str:
    if not isinstance(value, str) or not re.match(LESSON_PATTERN, value):
        raise StpError(f"{value!r} is not a usable {kind} name.",
                       fix="Use lowercase letters, digits and hyphens, e.g. 'week-3'.")
    return value


class ClassStore:
    """The lesson's shared state in one SQLite file (safe for many kernels at once).

    Parameters
    ----------
    path : path
        The SQLite file; created with its folder when missing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def set_stage(self, lesson: str, step: int) -> None:
        """Set the stage the class sees (0 = nothing revealed yet)."""
        _check_name("lesson", lesson)
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= 100:
            raise StpError(f"{step!r} is not a stage number.", fix="Use a whole number from 0 to 100.")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO stages VALUES (?, ?, ?) ON CONFLICT(lesson) DO UPDATE SET step=excluded.step,"
                       " updated=excluded.updated", (lesson, step, now))

    def stage(self, lesson: str) -> int:
        """The stage the teacher has reached (0 when not started)."""
        _check_name("lesson", lesson)
        with closing(self._connect()) as db:
            row = db.execute("SELECT step FROM stages WHERE lesson = ?", (lesson,)).fetchone()
        return int(row[0]) if row else 0

    def submit(self, lesson: str, question: str, student: str, answer: str) -> None:
        """Record (or replace) one student's answer to a question."""
        _check_name("lesson", lesson)
        _check_name("question", question)
        text = str(answer).strip()
        if not text:
            raise StpError("The answer is empty.", fix="Choose or type an answer, then send it.")
        if len(text) > MAX_ANSWER:
            raise StpError(f"The answer is {len(text)} characters long.", fix=f"Keep it under {MAX_ANSWER}.")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?) ON CONFLICT(lesson, question, student) DO UPDATE"
                       " SET answer=excluded.answer, at=excluded.at", (lesson, question, student, text, now))

    def distribution(self, lesson: str, question: str) -> pd.DataFrame:
        """Answers and how many students gave each, most common first (no student ids)."""
        _check_name("lesson", lesson)
        _check_name("question", question)
        with closing(self._connect()) as db:
            rows = db.execute("SELECT answer, COUNT(*) FROM answers WHERE lesson = ? AND question = ? "
                              "GROUP BY answer ORDER BY COUNT(*) DESC, answer", (lesson, question)).fetchall()
        return pd.DataFrame(rows, columns=["answer", "students"])

    def reset(self, lesson: str) -> None:
        """Forget a lesson's stage and answers (start it again)."""
        _check_name("lesson", lesson)
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM stages WHERE lesson = ?", (lesson,))
            db.execute("DELETE FROM answers WHERE lesson = ?", (lesson,))

    def export_csv(self, lesson: str, target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the lesson's answers (question, answer, time; no ids) to a CSV file."""
        _check_name("lesson", lesson)
        target = Path(target)
        if target.exists() and not overwrite:
            raise StpError(f"{paths.relative(target)} already exists.", fix="Choose another name or overwrite.")
        with closing(self._connect()) as db:
            rows = db.execute("SELECT question, answer, at FROM answers WHERE lesson = ? ORDER BY question, at",
                              (lesson,)).fetchall()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["question", "answer", "at"])
        writer.writerows(rows)
        return write_atomic(target, buffer.getvalue())


def default_store() -> ClassStore:
    """The store at ``STP_CLASSROOM_DB`` (default: the workbook's cache)."""
    path = os.environ.get("STP_CLASSROOM_DB", "").strip()
    return ClassStore(Path(path) if path else paths.cache_dir("classroom") / "class.sqlite3")
