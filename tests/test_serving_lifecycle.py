"""``stp serve`` (the README's first command, through ``scripts/serve``) starts and stops cleanly:
the gallery's address is printed once Voilà answers on it and opened in the browser, nothing floods
the console, a foreign Host is refused, a busy port is an error with a fix, and SIGTERM stops Voilà
and every kernel.  The class address comes from the interfaces even when the hostname is loopback.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from conftest import _free_port
from test_serving_roles import interface_addresses

from stp_helpers import serving
from stp_helpers.cli import main


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen, int, Path, Path, str]]:
    folder = tmp_path_factory.mktemp("serve")
    opened = folder / "opened.txt"
    browser = folder / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n')
    browser.chmod(0o755)
    output = folder / "out.log"
    port = _free_port()
    with open(output, "w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "stp_helpers.cli", "serve", f"--port={port}"],
                                stdout=handle, stderr=subprocess.STDOUT,
                                env={**os.environ, "BROWSER": str(browser), "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 180
    while "gallery is at" not in output.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
        time.sleep(0.1)
    url = re.search(r"gallery is at (\S+)", output.read_text()).group(1)
    # at once, as a user would: the printed address answers
    with urllib.request.urlopen(url, timeout=120) as response:
        status = response.status
    assert status == 200
    try:
        yield proc, port, output, opened, url
    finally:
        if proc.poll() is None:
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()


def test_serve_prints_the_gallery_once_it_answers_and_opens_it(gallery: tuple) -> None:
    proc, port, output, opened, url = gallery
    assert url == f"http://127.0.0.1:{port}/voila/render/index.ipynb"
    deadline = time.monotonic() + 10
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert opened.read_text().split() == [url]
    assert " 404 " not in output.read_text() and "/login" not in output.read_text()


def test_default_server_refuses_a_foreign_host(gallery: tuple) -> None:
    port = gallery[1]
    for host, expected in ((f"rebind.example:{port}", 403), (f"localhost:{port}", 200), (f"127.0.0.1:{port}", 200)):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/voila/tree", headers={"Host": host})
        assert conn.getresponse().status == expected, host
        conn.close()


def test_busy_port_is_an_error_with_a_fix(gallery: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", f"--port={gallery[1]}", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert f"Port {gallery[1]} is already in use" in err and "stp serve --port " in err


def test_sigterm_stops_voila_and_every_kernel(gallery: tuple) -> None:
    proc = gallery[0]
    family = psutil.Process(proc.pid).children(recursive=True)
    assert sum("ipykernel" in " ".join(p.cmdline()) for p in family) >= 1, [p.cmdline()[:3] for p in family]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert alive == [], [p.cmdline()[:4] for p in alive]


def test_class_address_ignores_a_hostname_that_resolves_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "debian")
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.1.1", 0))])
    found = serving.lan_addresses()
    assert found and set(found) == interface_addresses()
