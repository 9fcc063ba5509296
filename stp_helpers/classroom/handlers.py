"""The class page without a kernel: a few Tornado handlers inside the workbook's Jupyter server.

A student's page is static HTML and JavaScript shipped in the package
(``classroom/static/``).  It polls the lesson's state and posts answers to the
SQLite store, so a class of thirty costs thirty small HTTP requests every two
seconds instead of thirty Python kernels.  Only the teacher's page and real
apps start kernels.

Addresses, below the server's base URL:

============================================  =========  ======================================
``stp/class/<lesson>``                        student    the class page
``stp/class/<lesson>/state?student=<id>``     student    stage, revealed parts, own answers
``stp/class/<lesson>/answer`` (POST)          student    send an answer to the open question
``stp/class/<lesson>/board``                  teacher    the distribution of answers
``stp/class/<lesson>/stage`` (POST)           teacher    next, previous, new lesson, resume
``stp/class/<lesson>/export.csv``             teacher    the run's answers as CSV (no ids)
``stp/class/static/<file>``                   anyone     the page's JavaScript and CSS
============================================  =========  ======================================

The same token rules as every page of the server: the handlers use the
server's login (``?token=`` once, then its signed cookie), the teacher's
token opens everything and the class's token only the student addresses
(see :func:`server_is_teacher`); a server without tokens (``stp serve`` on
127.0.0.1, one user) lets its user do both.  Posts carry the ``_xsrf``
cookie's value, as Jupyter's own API requires.

Examples
--------
>>> rules = class_handlers("/user/ann/")
>>> [r[0] for r in rules][1:3]
['/user/ann/stp/class/([a-z0-9][a-z0-9-]{0,40})', '/user/ann/stp/class/([a-z0-9][a-z0-9-]{0,40})/state']
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado import web
from tornado.ioloop import IOLoop

from stp_helpers import paths
from stp_helpers.classroom.lessons import (
    NAME,
    Lesson,
    lesson_path,
    load_lesson,
    served_lesson,
    shipped_lessons,
    stage_parts,
)
from stp_helpers.classroom.store import ClassStore, check_student_id, default_store
from stp_helpers.errors import StpError

__all__ = ["class_handlers", "server_is_teacher", "ClassConfig", "STATIC_DIR"]

STATIC_DIR = paths.PACKAGE_DIR / "classroom" / "static"
#: Largest request body accepted (an answer is at most 200 characters).
MAX_BODY = 4096


def server_is_teacher(handler: JupyterHandler) -> bool:
    """Whether a request comes from the teacher, by the server's login (anyone, when there are no roles).

    The server's identity provider signs in ``teacher`` with the teacher's
    token and ``student`` with the class's; a server without a teacher token
    has one user, who is the teacher.  ``serving_app`` may pass its own rule.
    """
    provider = handler.settings.get("identity_provider")
    if provider is None or not getattr(provider, "auth_enabled", False):
        return True
    if not getattr(provider, "teacher_token", ""):
        return True
    return getattr(handler.current_user, "name", "") == "teacher"


class ClassConfig:
    """What every handler shares: the store, the teacher rule, the lessons it serves, their drawn parts."""

    def __init__(self, base_url: str, is_teacher: Callable[[JupyterHandler], bool], store: ClassStore | None,
                 lessons: Sequence[str | Path]) -> None:
        self.base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        self.is_teacher = is_teacher
        self._store = store
        self.files: dict[str, Path] = {name: lesson_path(name) for name in shipped_lessons()}
        served = served_lesson()
        given = [lesson_path(extra) for extra in [*lessons, *([served] if served is not None else [])]]
        for path in given:
            self.files[path.stem] = path
        self._parts: dict[str, asyncio.Future[list[list[str]]]] = {}
        self._lessons: dict[str, tuple[float, Lesson]] = {}
        for path in given:  # the lesson the class will take is drawn as soon as the server runs
            IOLoop.current().add_callback(self.parts, path.stem)

    @property
    def store(self) -> ClassStore:
        if self._store is None:
            self._store = default_store()
        return self._store

    def lesson(self, name: str) -> Lesson:
        """The lesson, read again only when its file changes (the page polls every two seconds)."""
        if name not in self.files:
            raise web.HTTPError(404, reason="No such lesson")
        stamp = self.files[name].stat().st_mtime
        if name not in self._lessons or self._lessons[name][0] != stamp:
            self._lessons[name] = (stamp, load_lesson(self.files[name]))
        return self._lessons[name][1]

    def parts(self, name: str) -> asyncio.Future[list[list[str]]]:
        """The lesson's drawn parts, computed once (in a thread: the drawing runs a child process)."""
        if name not in self._parts or (self._parts[name].done() and self._parts[name].exception()):
            self._parts[name] = asyncio.ensure_future(
                IOLoop.current().run_in_executor(None, stage_parts, self.files[name]))
        return self._parts[name]


class _Base(APIHandler):
    """The server's login and roles, JSON replies, and refusals as JSON."""

    def initialize(self, config: ClassConfig) -> None:
        self.class_config = config

    def need(self, role: str) -> None:
        """Refuse the request unless it is signed in, and as the teacher for ``role="teacher"``."""
        if self.current_user is None:
            raise web.HTTPError(403, reason="This page needs the class's address with its token")
        if role == "teacher" and not self.class_config.is_teacher(self):
            raise web.HTTPError(403, reason="Only the teacher can do this")

    def body_json(self) -> dict[str, Any]:
        if len(self.request.body) > MAX_BODY:
            raise web.HTTPError(413, reason="Too much data")
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError as err:
            raise web.HTTPError(400, reason="Not JSON") from err
        if not isinstance(data, dict):
            raise web.HTTPError(400, reason="Not a JSON object")
        return data

    def reply(self, data: object, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data))

    def refuse(self, err: StpError, status: int = 409) -> None:
        self.reply({"error": err.problem, "fix": err.fix or ""}, status)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": f"{status_code}: {self._reason}", "fix": ""}))


class StaticHandler(JupyterHandler):
    """The page's own JavaScript and CSS (no login: they hold nothing about the class)."""

    def initialize(self, config: ClassConfig) -> None:
        self.class_config = config

    @allow_unauthenticated
    def get(self, name: str) -> None:
        self.set_header("Content-Type", "text/javascript" if name.endswith(".js") else "text/css")
        self.finish((STATIC_DIR / name).read_bytes())


class PageHandler(JupyterHandler):
    """The class page: the lesson's title and the addresses its script uses (a login is asked for first)."""

    def initialize(self, config: ClassConfig) -> None:
        self.class_config = config

    @web.authenticated
    async def get(self, name: str) -> None:
        lesson = self.class_config.lesson(name)
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the page's answers carry back
        await self.class_config.parts(name)  # drawn once, before the first student sees the page
        base = self.class_config.base_url + "stp/class/"
        page = (STATIC_DIR / "class.html").read_text(encoding="utf-8")
        for key, value in (("TITLE", lesson.title), ("API", base + name), ("STATIC", base + "static/")):
            page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)


class StateHandler(_Base):
    """The revealed stages, the open question and this browser's answers."""

    async def get(self, name: str) -> None:
        self.need("student")
        lesson = self.class_config.lesson(name)
        parts = await self.class_config.parts(name)
        student = self.get_query_argument("student", "")
        try:
            run, stage, mine = self.class_config.store.snapshot(name, check_student_id(student))
        except StpError as err:
            self.refuse(err, 400)
            return
        stage = min(stage, len(lesson.stages))
        # The page says which run it shows and how many stages it has drawn: their parts are not sent again.
        known = self.get_query_argument("known", "0")
        drawn = int(known) if known.isdigit() and self.get_query_argument("run", "") == str(run) else 0
        shown = []
        for number, (spec, html_parts) in enumerate(zip(lesson.stages[:stage], parts), start=1):
            question = spec.question
            shown.append({"title": spec.title, "parts": html_parts if number > drawn else None,
                          "question": None if question is None else {
                "id": question.id, "prompt": question.prompt, "options": question.options,
                "open": number == stage, "mine": mine.get(question.id)}})
        self.reply({"lesson": name, "title": lesson.title, "run": run, "stage": stage,
                    "stages": len(lesson.stages), "shown": shown})


class AnswerHandler(_Base):
    """A student's answer to the question of the current stage (refused once the teacher moved on)."""

    def post(self, name: str) -> None:
        self.need("student")
        lesson = self.class_config.lesson(name)
        data = self.body_json()
        question, answer = str(data.get("question", "")), str(data.get("answer", ""))
        stages = lesson.question_stages()
        if question not in stages:
            self.reply({"error": "This lesson has no such question.", "fix": "Reload the page."}, 404)
            return
        options = lesson.stages[stages[question] - 1].question.options  # type: ignore[union-attr]
        if answer not in options:
            self.reply({"error": "That is not one of the options.", "fix": "Choose one of the options."}, 400)
            return
        try:
            self.class_config.store.submit(name, question, check_student_id(data.get("student")), answer,
                                     stage=stages[question])
        except StpError as err:
            self.refuse(err)
            return
        self.reply({"sent": answer})


class BoardHandler(_Base):
    """The teacher's view: stage and the count of each answer, for every question."""

    def get(self, name: str) -> None:
        self.need("teacher")
        lesson = self.class_config.lesson(name)
        store = self.class_config.store
        run, stage, _ = store.snapshot(name)
        questions = {q: {"stage": s, "counts": store.counts(name, q)} for q, s in lesson.question_stages().items()}
        self.reply({"lesson": name, "run": run, "stage": stage, "stages": len(lesson.stages), "questions": questions})


class StageHandler(_Base):
    """The teacher moves the class: ``{"action": "next" | "previous" | "new" | "resume"}``."""

    def post(self, name: str) -> None:
        self.need("teacher")
        lesson = self.class_config.lesson(name)
        action = self.body_json().get("action")
        store = self.class_config.store
        try:
            if action in ("next", "previous"):
                step = store.stage(name) + (1 if action == "next" else -1)
                store.set_stage(name, min(max(step, 1), len(lesson.stages)))
            elif action == "new":
                store.new_run(name)
            elif action == "resume":
                store.resume(name)
            else:
                self.reply({"error": f"{action!r} is not an action.", "fix": "Use next, previous, new or resume."}, 400)
                return
        except StpError as err:
            self.refuse(err)
            return
        self.reply({"run": store.run(name), "stage": store.stage(name)})


class ExportHandler(_Base):
    """The current run's answers as a CSV download (question, answer, time; no ids)."""

    def get(self, name: str) -> None:
        self.need("teacher")
        self.class_config.lesson(name)
        text = self.class_config.store.export_rows(name)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}-answers.csv"')
        self.finish(text)


def class_handlers(base_url: str = "/", *, is_teacher: Callable[[JupyterHandler], bool] = server_is_teacher,
                   store: ClassStore | None = None, lessons: Sequence[str | Path] = ()) -> list[tuple[str, type, dict]]:
    """The class page's Tornado rules, for a server at ``base_url``.

    Parameters
    ----------
    base_url : str
        The server's base URL (``/`` for ``stp serve``).
    is_teacher : callable
        Whether a request comes from the teacher (default :func:`server_is_teacher`, the server's roles).
    store : ClassStore or None
        Default: :func:`~stp_helpers.classroom.store.default_store` (``STP_CLASSROOM_DB``).
    lessons : sequence of paths
        Teachers' lesson files to serve besides the shipped ones and the one
        named by ``STP_LESSON`` (``stp serve --lesson FILE``).
    """
    config = ClassConfig(base_url, is_teacher, store, lessons)
    prefix = config.base_url + "stp/class/"
    lesson = f"({NAME})"
    return [
        (prefix + r"static/(class\.js|class\.css)", StaticHandler, {"config": config}),
        (prefix + lesson, PageHandler, {"config": config}),
        (prefix + lesson + "/state", StateHandler, {"config": config}),
        (prefix + lesson + "/answer", AnswerHandler, {"config": config}),
        (prefix + lesson + "/board", BoardHandler, {"config": config}),
        (prefix + lesson + "/stage", StageHandler, {"config": config}),
        (prefix + lesson + r"/export\.csv", ExportHandler, {"config": config}),
    ]
