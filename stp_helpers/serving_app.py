"""The Voilà application behind ``stp serve``: roles, the Host check, and pages that give their kernel back.

Voilà's own application, with five changes:

- **Roles.** In classroom mode there are two tokens.  The teacher's opens
  every page; the students' opens every page but the teacher's
  (``teaching/teacher.ipynb``, where the lesson is driven and exported).
  The role is kept in the signed login cookie, so a student cannot change it.
- **The Host check.** Without a token (the default, on 127.0.0.1 only), a
  request whose ``Host`` is not this computer is refused, so a web page
  cannot reach the server through DNS rebinding.
- **Kernels come back.** Each page gets the ``_xsrf`` cookie its shutdown
  request must carry (Voilà's page sends it when it closes, and got
  "403: _xsrf argument missing" without it), and each kernel is recorded
  against the client that opened it (see :mod:`stp_helpers.serving_kernels`).
- **The class page without kernels.** Teacher mode's handlers
  (:func:`stp_helpers.classroom.handlers.class_handlers`) are mounted with
  the same roles: the students' token posts answers, the teacher's drives
  the lesson and exports it.
- **No token on an open door.** The preheated pages' ``/voila/query/<kernel>``
  websocket needs a login, and never sends a token on.

Run it as ``python -m stp_helpers.serving_app NOTEBOOK_DIR [voila options]``
(``stp serve`` does).

Examples
--------
>>> is_teacher_page("teaching/teacher.ipynb"), is_teacher_page("/teaching//./teacher.ipynb")
(True, True)
>>> is_teacher_page("teaching/class.ipynb")
False
>>> scrub_token({"QUERY_STRING": "token=abc&x=1"})
{'QUERY_STRING': 'x=1'}
"""

from __future__ import annotations

import json
import posixpath
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, List, Unicode
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler

from stp_helpers.classroom.handlers import class_handlers

__all__ = ["TEACHER_PAGES", "ClassroomIdentityProvider", "QuerySocket", "ReadyHandler", "StpVoila", "StpVoilaHandler",
           "is_teacher", "is_teacher_page", "main", "pool_status", "require_teacher", "scrub_token"]

#: Notebooks (below ``notebooks/``) only the teacher's token opens.
TEACHER_PAGES = frozenset({"teaching/teacher.ipynb"})
#: The ``name`` of a user who signed in with the teacher's token.
TEACHER, STUDENT = "teacher", "student"
#: Where Voilà's page writes its kernel's id (the page configuration).
KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-fA-F-]{36})"')


def is_teacher_page(path: str) -> bool:
    """Whether ``path`` (as in ``/voila/render/<path>``) is a page only the teacher may open."""
    clean = posixpath.normpath("/" + (path or "")).lstrip("/")
    return clean in TEACHER_PAGES


def scrub_token(info: dict[str, Any]) -> dict[str, Any]:
    """``info`` (Voilà's request information) without any ``token`` in its query string."""
    query = str(info.get("QUERY_STRING", ""))
    if "token" not in query:
        return info
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "token"]
    return {**info, "QUERY_STRING": urlencode(kept)}


class ClassroomIdentityProvider(PasswordIdentityProvider):
    """Two tokens, two roles: ``token`` signs in a student, ``teacher_token`` the teacher."""

    teacher_token = Unicode("", config=True, help="The token that signs in the teacher (classroom mode).")

    def _user(self, role: str) -> User:
        name = "Teacher" if role == TEACHER else "Student"
        return User(uuid.uuid4().hex, role, name, name[0], None, None)

    async def get_user_token(self, handler: web.RequestHandler) -> User | None:
        given = self.get_token(handler)
        if not given or not self.token:
            return None
        role = TEACHER if self.teacher_token and given == self.teacher_token else (
            STUDENT if given == self.token else "")
        if not role:
            return None
        known = self.get_user_cookie(handler)
        if known is not None and not isinstance(known, User):
            known = await known
        return known if known is not None and known.name == role else self._user(role)

    def process_login_form(self, handler: web.RequestHandler) -> User | None:
        typed = handler.get_argument("password", default="")
        if self.teacher_token and typed == self.teacher_token:
            return self._user(TEACHER)
        if self.token and typed == self.token:
            return self._user(STUDENT)
        return None


def is_teacher(handler: JupyterHandler) -> bool:
    """Whether the request comes from the teacher (anyone, when the server has no token)."""
    provider = handler.settings.get("identity_provider")
    if provider is None or not provider.auth_enabled:
        return True
    user = handler.current_user
    return getattr(user, "name", "") == TEACHER or not getattr(provider, "teacher_token", "")


def require_teacher(handler: JupyterHandler) -> None:
    """Refuse the request (403) unless it comes from the teacher."""
    if not is_teacher(handler):
        raise web.HTTPError(403, reason="This page is for the teacher",
                            log_message="Open it with the teacher's address (the one 'stp serve --classroom' "
                                        "printed for the teacher); the class's address opens the apps.")


class StpVoilaHandler(TornadoVoilaHandler):
    """Voilà's page, for the right role, within the caps, with the cookie its shutdown request needs."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        if path and is_teacher_page(path):
            require_teacher(self)
        manager = self.kernel_manager
        client = None if is_teacher(self) and self.settings.get("identity_provider").auth_enabled \
            else self.request.remote_ip
        refusal = getattr(manager, "refusal", None)
        if refusal is not None:
            error = refusal(client)
            if error is not None:
                raise error
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie the page sends back with its shutdown request
        kernel_id = ""
        async for html in self.get_generator(path=path):
            if not kernel_id and (found := KERNEL_ID.search(html)):
                kernel_id = found.group(1)
                if hasattr(manager, "assign"):
                    manager.assign(kernel_id, self.request.remote_ip)
            self.write(html)
            self.flush()


class QuerySocket(RequestInfoSocketHandler, JupyterHandler):
    """Voilà's request-information websocket for preheated pages, behind the login, without tokens."""

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        await JupyterHandler.prepare(self, _redirect_to_login=False)

    def write_message(self, message: Any, binary: bool = False) -> Any:
        if isinstance(message, dict):
            message = scrub_token(message)
        return super().write_message(message, binary)


def pool_status(manager: Any) -> dict[str, Any]:
    """How full each preheated pool is: ``{"ready": bool, "pools": {notebook: {"ready", "size"}}}``.

    A kernel is ready when it has started and run its notebook to the end.
    """
    config = getattr(manager, "kernel_pools_config", {}) or {}
    pools: dict[str, dict[str, int]] = {}
    for name, pool in (getattr(manager, "_pools", None) or {}).items():  # Voilà's pools, by notebook
        size = int(config.get(name, {}).get("pool_size", 0))
        if not size:
            continue
        ready = 0
        for item in list(pool):
            if item.done() and not item.cancelled() and item.exception() is None and item.result()["task"].done():
                ready += 1
        pools[name] = {"ready": ready, "size": size}
    return {"ready": all(p["ready"] >= p["size"] for p in pools.values()), "pools": pools}


class ReadyHandler(JupyterHandler):
    """``/stp/ready``: the server answers, whether its preheated pools are full (for ``stp serve``),
    and, for the teacher, the running kernels with their page connections."""

    @web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        status = pool_status(self.kernel_manager)
        if is_teacher(self):  # kernel ids open kernels: only the teacher sees them
            manager = self.kernel_manager
            status["kernels"] = {k: manager.kernel_model(k)["connections"] for k in manager.list_kernel_ids()}
        self.finish(json.dumps(status))


class StpVoila(Voila):
    """Voilà with the workbook's roles, Host check and page handler."""

    allow_remote_access = Bool(False, config=True,
                               help="Accept any Host header (classroom mode, where a token guards the server).")
    lessons = List(Unicode(), config=True,
                   help="Teachers' lesson files the class pages serve besides the shipped lessons.")

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        settings["allow_remote_access"] = self.allow_remote_access
        settings["local_hostnames"] = ["localhost"]
        return settings

    def init_handlers(self) -> list[Any]:
        swap = {TornadoVoilaHandler: StpVoilaHandler, RequestInfoSocketHandler: QuerySocket}
        handlers = [(spec[0], swap.get(spec[1], spec[1]), *spec[2:]) if isinstance(spec, tuple) else spec
                    for spec in super().init_handlers()]
        return [(url_path_join(self.server_url, "/stp/ready"), ReadyHandler),
                *class_handlers(self.server_url, is_teacher=is_teacher, lessons=self.lessons), *handlers]


main = StpVoila.launch_instance

if __name__ == "__main__":
    main()
