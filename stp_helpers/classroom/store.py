"""Teacher mode's shared state: the stage a lesson has reached and the class's anonymous answers.

A small SQLite file on the teacher's server (``STP_CLASSROOM_DB``, default in
the workbook's cache) holds, per lesson, the current *run* (one class taking
the lesson), the stage the teacher has reached in it, and the answers.

- A lesson starts at stage 1.  A run left alone for :attr:`ClassStore.idle_hours`
  (default 3) is archived at the next visit and a new one starts at stage 1, so
  the next class never sees everything revealed at once; the teacher may
  :meth:`~ClassStore.resume` the archived run instead.
- An answer belongs to the stage its question is asked at: once the teacher
  moves on, the store refuses it (the page's word is kept by the server).
- Students are anonymous: an id is a random 32-hex-digit token their browser
  keeps (:func:`new_student_id`), never a name.
- Nothing here loads pandas: the server imports this module for the class page.
- *New lesson* archives the run (:meth:`~ClassStore.new_run`); every run stays
  in the file and exports as CSV without ids.

Examples
--------
>>> import tempfile, pathlib
>>> store = ClassStore(pathlib.Path(tempfile.mkdtemp()) / "class.sqlite3")
>>> store.stage("demo")
1
>>> ada, bo = new_student_id(), new_student_id()
>>> store.submit("demo", "mode", ada, "S-shaped growth", stage=1)
>>> store.submit("demo", "mode", bo, "exponential growth", stage=1)
>>> store.submit("demo", "mode", ada, "exponential growth", stage=1)   # a student may change their answer
>>> store.counts("demo", "mode")
{'exponential growth': 2}
>>> store.set_stage("demo", 2)
>>> store.submit("demo", "mode", bo, "S-shaped growth", stage=1)
Traceback (most recent call last):
...
stp_helpers.errors.StpError: Answers to this question closed when the teacher moved on to stage 2. Your answer as sent before still counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from stp_helpers import paths
from stp_helpers.errors import StpError
from stp_helpers.io.atomic import write_atomic

__all__ = ["ClassStore", "RunInfo", "default_store", "new_student_id", "check_student_id",
           "LESSON_PATTERN", "STUDENT_PATTERN", "MAX_ANSWER", "MAX_STAGE"]

LESSON_PATTERN = r"[a-z0-9][a-z0-9-]{0,40}"
STUDENT_PATTERN = r"[0-9a-f]{32}"
MAX_ANSWER = 200
MAX_STAGE = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lesson_runs (
    lesson TEXT NOT NULL, run INTEGER NOT NULL, step INTEGER NOT NULL, current INTEGER NOT NULL,
    started TEXT NOT NULL, updated TEXT NOT NULL, PRIMARY KEY (lesson, run));
CREATE TABLE IF NOT EXISTS class_answers (
    lesson TEXT NOT NULL, run INTEGER NOT NULL, question TEXT NOT NULL, student TEXT NOT NULL,
    answer TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (lesson, run, question, student));
"""


def new_student_id() -> str:
    """A fresh anonymous student id: 32 random hex digits (what a browser keeps)."""
    return secrets.token_hex(16)


def check_student_id(value: object) -> str:
    """Return ``value`` if it is an anonymous id; refuse anything else (a typed name above all).

    >>> check_student_id("Ada Lovelace")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.StpError: This page sent no anonymous student id. Reload the page; it makes one.
    """
    if not isinstance(value, str) or not re.fullmatch(STUDENT_PATTERN, value):
        raise StpError("This page sent no anonymous student id.", fix="Reload the page; it makes one.")
    return value


def _check_name(kind: str, value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(LESSON_PATTERN, value):
        raise StpError(f"{value!r} is not a usable {kind} name.",
                       fix="Use lowercase letters, digits and hyphens, e.g. 'week-3'.")
    return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class RunInfo:
    """One class's run of a lesson: its number, stage, times and how many answered."""

    run: int
    stage: int
    current: bool
    started: str
    updated: str
    answers: int
    students: int


class ClassStore:
    """The lessons' shared state in one SQLite file (safe for many processes at once).

    Parameters
    ----------
    path : path
        The SQLite file; created with its folder when missing.
    idle_hours : float
        A run untouched this long is archived at the next visit, and the lesson
        starts again at stage 1.
    """

    def __init__(self, path: str | os.PathLike[str], idle_hours: float = 3.0) -> None:
        self.path = Path(path)
        self.idle = dt.timedelta(hours=idle_hours)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._damaged_as_error(), closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _damaged_as_error(self) -> Iterator[None]:
        """Turn a damaged or foreign database file (and rows it cannot hold) into an StpError."""
        try:
            yield
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise StpError(f"The class database {paths.relative(self.path)} is busy ({err}).",
                               fix="Try again in a moment.") from err
            raise StpError(f"The class database {paths.relative(self.path)} cannot be used ({err}).",
                           fix="Check the folder's permissions, or set STP_CLASSROOM_DB to a new file.") from err
        except (sqlite3.DatabaseError, ValueError, TypeError) as err:
            raise StpError(f"The class database {paths.relative(self.path)} is damaged or is not a class "
                           f"database ({err}).",
                           fix="Move the file aside (a new one is made), or set STP_CLASSROOM_DB to a new file.") from err

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (so a read-then-write cannot interleave)."""
        with self._damaged_as_error():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            finally:
                db.close()

    def _current(self, db: sqlite3.Connection, lesson: str) -> tuple[int, int]:
        """The current run and stage, starting a new run when there is none or it went idle."""
        row = db.execute("SELECT run, step, updated FROM lesson_runs WHERE lesson = ? AND current = 1",
                         (lesson,)).fetchone()
        now = _now()
        if row and now - dt.datetime.fromisoformat(row[2]) <= self.idle:
            return int(row[0]), int(row[1])
        return self._start(db, lesson, now), 1

    def _start(self, db: sqlite3.Connection, lesson: str, now: dt.datetime) -> int:
        db.execute("UPDATE lesson_runs SET current = 0 WHERE lesson = ?", (lesson,))
        last = db.execute("SELECT MAX(run) FROM lesson_runs WHERE lesson = ?", (lesson,)).fetchone()[0]
        run = int(last or 0) + 1
        db.execute("INSERT INTO lesson_runs VALUES (?, ?, 1, 1, ?, ?)", (lesson, run, now.isoformat(), now.isoformat()))
        return run

    def _touch(self, db: sqlite3.Connection, lesson: str, run: int) -> None:
        db.execute("UPDATE lesson_runs SET updated = ? WHERE lesson = ? AND run = ?", (_now().isoformat(), lesson, run))

    def stage(self, lesson: str) -> int:
        """The stage the class sees (1 when the lesson is new or its last run went idle)."""
        return self.snapshot(lesson)[1]

    def run(self, lesson: str) -> int:
        """The number of the current run (1 for the first class to take the lesson)."""
        _check_name("lesson", lesson)
        with self._write() as db:
            return self._current(db, lesson)[0]

    def set_stage(self, lesson: str, step: int) -> None:
        """Move the class to ``step`` (1 is the first stage); answers of other stages close."""
        _check_name("lesson", lesson)
        if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= MAX_STAGE:
            raise StpError(f"{step!r} is not a stage number.", fix=f"Use a whole number from 1 to {MAX_STAGE}.")
        with self._write() as db:
            run, _ = self._current(db, lesson)
            db.execute("UPDATE lesson_runs SET step = ?, updated = ? WHERE lesson = ? AND run = ?",
                       (step, _now().isoformat(), lesson, run))

    def submit(self, lesson: str, question: str, student: str, answer: str, *, stage: int) -> None:
        """Record (or replace) one student's answer to the question asked at ``stage``.

        Raises
        ------
        StpError
            The class has moved on from ``stage`` (the answer is refused), the
            id is not an anonymous id, or the answer is empty or too long.
        """
        _check_name("lesson", lesson)
        _check_name("question", question)
        check_student_id(student)
        text = str(answer).strip()
        if not text:
            raise StpError("The answer is empty.", fix="Choose or type an answer, then send it.")
        if len(text) > MAX_ANSWER:
            raise StpError(f"The answer is {len(text)} characters long.", fix=f"Keep it under {MAX_ANSWER}.")
        with self._write() as db:
            run, step = self._current(db, lesson)
            if step != stage:
                raise StpError(f"Answers to this question closed when the teacher moved on to stage {step}.",
                               fix="Your answer as sent before still counts.")
            db.execute("INSERT INTO class_answers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(lesson, run, question, student)"
                       " DO UPDATE SET answer=excluded.answer, at=excluded.at",
                       (lesson, run, question, student, text, _now().isoformat()))
            self._touch(db, lesson, run)

    def answer_of(self, lesson: str, question: str, student: str) -> str | None:
        """What ``student`` answered in the current run (``None`` if nothing)."""
        _check_name("lesson", lesson)
        _check_name("question", question)
        check_student_id(student)
        with self._write() as db:
            run, _ = self._current(db, lesson)
            row = db.execute("SELECT answer FROM class_answers WHERE lesson = ? AND run = ? AND question = ? AND "
                             "student = ?", (lesson, run, question, student)).fetchone()
        return row[0] if row else None

    def snapshot(self, lesson: str, student: str | None = None) -> tuple[int, int, dict[str, str]]:
        """The run, the stage and ``student``'s answers in it, read at once (one poll of the class page)."""
        _check_name("lesson", lesson)
        if student is not None:
            check_student_id(student)
        query = "SELECT question, answer FROM class_answers WHERE lesson = ? AND run = ? AND student = ?"
        # a plain read first (thirty pages poll every two seconds); the write lock only to start a run
        with self._damaged_as_error(), closing(sqlite3.connect(self.path, timeout=30)) as db:
            row = db.execute("SELECT run, step, updated FROM lesson_runs WHERE lesson = ? AND current = 1",
                             (lesson,)).fetchone()
            if row and _now() - dt.datetime.fromisoformat(row[2]) <= self.idle:
                rows = db.execute(query, (lesson, row[0], student)).fetchall() if student else []
                return int(row[0]), int(row[1]), dict(rows)
        with self._write() as db:
            run, step = self._current(db, lesson)
            rows = db.execute(query, (lesson, run, student)).fetchall() if student else []
        return run, step, dict(rows)

    def counts(self, lesson: str, question: str) -> dict[str, int]:
        """Answers of the current run and how many students gave each, most common first (no ids)."""
        _check_name("lesson", lesson)
        _check_name("question", question)
        with self._write() as db:
            run, _ = self._current(db, lesson)
            rows = db.execute("SELECT answer, COUNT(*) FROM class_answers WHERE lesson = ? AND run = ? AND "
                              "question = ? GROUP BY answer ORDER BY COUNT(*) DESC, answer",
                              (lesson, run, question)).fetchall()
        return {str(answer): int(n) for answer, n in rows}

    def new_run(self, lesson: str) -> int:
        """*New lesson*: archive the current run (kept in the file) and start at stage 1; return the new run."""
        _check_name("lesson", lesson)
        with self._write() as db:
            return self._start(db, lesson, _now())

    def resume(self, lesson: str) -> RunInfo:
        """Go back to the latest archived run, at its stage (the current one is archived if it has answers).

        Raises
        ------
        StpError
            There is no earlier run to resume.
        """
        _check_name("lesson", lesson)
        with self._write() as db:
            run, _ = self._current(db, lesson)
            earlier = db.execute("SELECT MAX(run) FROM lesson_runs WHERE lesson = ? AND run < ?",
                                 (lesson, run)).fetchone()[0]
            if earlier is None:
                raise StpError("There is no earlier run of this lesson to resume.", fix="Carry on with this one.")
            answered = db.execute("SELECT COUNT(*) FROM class_answers WHERE lesson = ? AND run = ?",
                                  (lesson, run)).fetchone()[0]
            if not answered:
                db.execute("DELETE FROM lesson_runs WHERE lesson = ? AND run = ?", (lesson, run))
            db.execute("UPDATE lesson_runs SET current = 0 WHERE lesson = ?", (lesson,))
            db.execute("UPDATE lesson_runs SET current = 1, updated = ? WHERE lesson = ? AND run = ?",
                       (_now().isoformat(), lesson, earlier))
        return next(r for r in self.runs(lesson) if r.run == earlier)

    def runs(self, lesson: str) -> list[RunInfo]:
        """Every run of the lesson, oldest first (the archive and the current one)."""
        _check_name("lesson", lesson)
        with self._damaged_as_error(), closing(sqlite3.connect(self.path, timeout=30)) as db:
            rows = db.execute(
                "SELECT r.run, r.step, r.current, r.started, r.updated, COUNT(a.answer), COUNT(DISTINCT a.student) "
                "FROM lesson_runs r LEFT JOIN class_answers a ON a.lesson = r.lesson AND a.run = r.run "
                "WHERE r.lesson = ? GROUP BY r.run ORDER BY r.run", (lesson,)).fetchall()
        with self._damaged_as_error():
            return [RunInfo(int(r[0]), int(r[1]), bool(r[2]), r[3], r[4], int(r[5]), int(r[6])) for r in rows]

    def export_rows(self, lesson: str, run: int | None = None) -> str:
        """The CSV text of a run's answers (default: the current run): question, answer, time; no ids."""
        _check_name("lesson", lesson)
        with self._write() as db:
            current, _ = self._current(db, lesson)
            rows = db.execute("SELECT ?, question, answer, at FROM class_answers WHERE lesson = ? AND run = ? "
                              "ORDER BY question, at, answer", (run or current, lesson, run or current)).fetchall()
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["run", "question", "answer", "at"])
        writer.writerows(rows)
        return buffer.getvalue()

    def export_csv(self, lesson: str, target: str | os.PathLike[str], *, run: int | None = None,
                   overwrite: bool = False) -> Path:
        """Write a run's answers (see :meth:`export_rows`) to a CSV file."""
        target = Path(target)
        if target.exists() and not overwrite:
            raise StpError(f"{paths.relative(target)} already exists.", fix="Choose another name or overwrite.")
        return write_atomic(target, self.export_rows(lesson, run))


def default_store() -> ClassStore:
    """The store at ``STP_CLASSROOM_DB`` (default: the workbook's cache)."""
    path = os.environ.get("STP_CLASSROOM_DB", "").strip()
    return ClassStore(Path(path) if path else paths.cache_dir("classroom") / "class.sqlite3")
