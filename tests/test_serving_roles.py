"""``stp serve --classroom``: two tokens and two roles, the class's address from the interfaces,
no token on an open endpoint, and Ctrl+C (SIGINT) stops Voilà and every kernel.

One classroom server for the module, started as a teacher starts it (``stp serve --classroom``);
its last test stops it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
from conftest import _free_port
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from stp_helpers import paths


@dataclass
class Class:
    proc: subprocess.Popen
    port: int
    output: Path
    student: str = ""
    teacher: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def interface_addresses() -> set[str]:
    """IPv4 addresses of the interfaces that are up, as iproute2 lists them (not from the hostname)."""
    out = subprocess.run(["ip", "-4", "-o", "addr", "show", "up"], capture_output=True, text=True, check=True).stdout
    return {m.group(1) for m in re.finditer(r"inet (\d+\.\d+\.\d+\.\d+)/", out)} - {"127.0.0.1"}


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Class]:
    port = _free_port()
    output = tmp_path_factory.mktemp("serve") / "out.log"
    with open(output, "w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "stp_helpers.cli", "serve", "--classroom", "--no-browser",
                                 f"--port={port}"], stdout=handle, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                # as a shell starts `stp serve --classroom &`: SIGINT ignored
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    served = Class(proc, port, output)
    deadline = time.monotonic() + 180
    while "Teacher's page with a QR code" not in output.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
        time.sleep(0.3)
    served.lines = output.read_text().splitlines()
    text = output.read_text()
    served.teacher = re.search(r"gallery is at http://127\.0\.0\.1:\d+/\S+\?token=(\S+)", text).group(1)
    served.student = re.search(r"Class address: http://\S+\?token=(\S+)", text).group(1)
    try:
        yield served
    finally:
        if proc.poll() is None:
            proc.kill()
            for child in psutil.Process(proc.pid).children(recursive=True) if psutil.pid_exists(proc.pid) else []:
                child.kill()


def fetch(url: str, cookie: str = "") -> tuple[int, str, str]:
    """Status, body and the login cookie a request gets (no redirects followed)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=180) as response:
            status, body, headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as err:
        status, body, headers = err.code, err.read().decode(), err.headers
    cookies = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [] if c.startswith("username"))
    return status, body, cookies


def test_class_address_comes_from_the_interfaces(lesson: Class) -> None:
    class_urls = [line.split("Class address: ", 1)[1] for line in lesson.lines if line.startswith("Class address: ")]
    hosts = {url.split("//", 1)[1].split(":", 1)[0] for url in class_urls}
    assert hosts and hosts <= interface_addresses() and not any(h.startswith("127.") for h in hosts), class_urls
    join = (paths.cache_dir("classroom") / "join.html").read_text(encoding="utf-8")
    assert class_urls[0] in join and "127.0.0.1" not in join
    assert lesson.student != lesson.teacher and min(len(lesson.student), len(lesson.teacher)) >= 16


def test_student_token_cannot_open_teacher_pages_or_export(lesson: Class) -> None:
    for path in ("teaching/teacher.ipynb", "teaching//teacher.ipynb", "teaching/./teacher.ipynb",
                 "teaching/%74eacher.ipynb", "./teaching/teacher.ipynb"):
        status, body, cookie = fetch(f"{lesson.base}/voila/render/{path}?token={lesson.student}")
        assert status == 403 and "for the teacher" in body, (path, status)
    # the student's signed cookie keeps the student's role, with or without the student token
    assert fetch(f"{lesson.base}/voila/render/teaching/teacher.ipynb", cookie)[0] == 403
    assert fetch(f"{lesson.base}/voila/render/teaching/teacher.ipynb?token=wrong", cookie)[0] == 403
    export = f"{lesson.base}/stp/class/cld-loop-polarity/export.csv"
    assert fetch(f"{export}?token={lesson.student}")[0] == 403
    assert fetch(export, cookie)[0] == 403
    assert fetch(f"{lesson.base}/stp/class/cld-loop-polarity?token={lesson.student}")[0] == 200
    status, body, _ = fetch(f"{export}?token={lesson.teacher}")
    assert status == 200 and body.splitlines()[0].count(",") >= 1
    status, body, _ = fetch(f"{lesson.base}/stp/ready?token={lesson.student}")
    assert status == 200 and "kernels" not in json.loads(body), "kernel ids are for the teacher only"
    status, body, _ = fetch(f"{lesson.base}/voila/render/teaching/teacher.ipynb?token={lesson.teacher}")
    assert status == 200 and "jupyter-config-data" in body
    status, body, _ = fetch(f"{lesson.base}/stp/ready?token={lesson.teacher}")
    assert status == 200 and json.loads(body)["kernels"]


async def _query(url: str, headers: dict[str, str]) -> str:
    socket = await websocket_connect(HTTPRequest(url, headers=headers, connect_timeout=30))
    try:
        return str(await asyncio.wait_for(socket.read_message(), 60))
    finally:
        socket.close()


def _in_own_loop(coroutine: Coroutine[Any, Any, str]) -> str:
    """Run a coroutine on a fresh loop in its own thread.

    A worker that ran a browser test before this file has Playwright's loop
    running in the main thread, where ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_query_socket_needs_login_and_never_sends_a_token(lesson: Class) -> None:
    deadline = time.monotonic() + 120  # the gallery's preheated kernel has run its notebook
    while not json.loads(fetch(f"{lesson.base}/stp/ready?token={lesson.teacher}")[1])["ready"]:
        assert time.monotonic() < deadline, "the gallery's pool never filled"
        time.sleep(1)
    status, body, _ = fetch(f"{lesson.base}/voila/render/index.ipynb?token={lesson.student}&x=1")
    assert status == 200
    kernel = re.search(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"', body).group(1)
    socket_url = f"ws://127.0.0.1:{lesson.port}/voila/query/{kernel}"
    with pytest.raises(HTTPClientError) as refused:
        _in_own_loop(_query(socket_url, {}))
    assert refused.value.code == 403
    message = _in_own_loop(_query(socket_url, {"Authorization": f"token {lesson.student}"}))
    assert "x=1" in message, message
    assert lesson.student not in message and lesson.teacher not in message and "token" not in message


def test_foreign_host_is_accepted_only_because_a_token_guards_the_class(lesson: Class) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", lesson.port, timeout=30)
    conn.request("GET", "/stp/ready", headers={"Host": f"192.0.2.99:{lesson.port}"})
    response = conn.getresponse()
    assert response.status == 302 and "/login" in response.getheader("Location", ""), "no token, no page"
    conn.close()


def test_sigint_stops_voila_and_every_kernel_even_in_the_background(lesson: Class) -> None:
    family = psutil.Process(lesson.proc.pid).children(recursive=True)
    kernels = [p for p in family if "ipykernel" in " ".join(p.cmdline())]
    assert len(family) >= 2 and kernels, [p.cmdline()[:3] for p in family]
    lesson.proc.send_signal(signal.SIGINT)
    assert lesson.proc.wait(timeout=60) == 0
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert alive == [], [p.cmdline()[:4] for p in alive]
