"""Serving a class: the kernel cap, the classroom token, loopback by default, the teacher's page,
the chart JavaScript served once as a cached file."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CHART, Visit, _free_port, open_app

from stp_helpers import catalogue, serving
from stp_helpers.charts import offline as chart_js
from stp_helpers.cli import main, voila_command, voila_env
from stp_helpers.errors import StpError


LOGS: dict[str, Path] = {}


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll ``condition`` until it holds; fail the test if Voilà exits or ``timeout`` s pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        tail = log.read_text()[-3000:] if log is not None else ""
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"Voilà exited with code {proc.returncode} before it did {what}:\n{tail}")
        if time.monotonic() > deadline:
            pytest.fail(f"Voilà did not {what} within {timeout} s:\n{tail}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    """True once the server answers ``url`` at all (an HTTP error status is an answer)."""
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextmanager
def served(**options: object) -> Iterator[str]:
    port = _free_port()
    log = Path(tempfile.mkdtemp()) / "voila.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(voila_command(port, **options), env=voila_env(),
                                stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    LOGS[base] = log
    try:
        wait_for(lambda: _answers(base + "/login"), 90, "answer on " + base, proc, log)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_start_up_wait_fails_when_the_server_never_answers(tmp_path: Path) -> None:
    silent = f"http://127.0.0.1:{_free_port()}/login"
    with pytest.raises(pytest.fail.Exception, match="did not answer on .* within 1 s"):
        wait_for(lambda: _answers(silent), 1, "answer on " + silent)
    log = tmp_path / "voila.log"
    log.write_text("Traceback: port in use\n")
    gone = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    gone.wait()
    with pytest.raises(pytest.fail.Exception, match="exited with code 3(.|\n)*port in use"):
        wait_for(lambda: _answers(silent), 60, "answer", gone, log)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


class _Stop(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _no_redirect(url: str) -> tuple[int, str]:
    try:
        with urllib.request.build_opener(_Stop).open(url, timeout=60) as response:
            return response.status, ""
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location", "")


def test_kernel_cap_turns_the_next_app_away_politely() -> None:
    with served(max_kernels=1) as base:
        assert fetch(base + "/voila/render/cases/wiltshire.ipynb")[0] == 200
        status, body = fetch(base + "/voila/render/index.ipynb")
    assert status == 503
    assert "503: The class is full" in body and "Back to the gallery" in body
    assert "--max-kernels 60" in body and "--cull-idle" in body, "the page tells the teacher what to do"
    assert "http://" not in body.replace('data-base-url="/voila/"', "") and "https://" not in body


def test_classroom_token_is_required() -> None:
    with served(token="lesson-token-123") as base:
        status, location = _no_redirect(base + "/voila/render/index.ipynb")
        assert status in (302, 303) and location.startswith("/login"), (status, location)
        status, body = fetch(base + "/voila/render/index.ipynb?token=lesson-token-123")
        assert status == 200 and "voila" in body.lower()


def test_only_loopback_without_a_token() -> None:
    with pytest.raises(StpError, match="needs a token"):
        voila_command(8866, host="0.0.0.0")
    assert "--Voila.ip=127.0.0.1" in voila_command(8866)


def test_serve_refuses_a_network_host_without_classroom(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--no-browser"]) == 1
    assert "classroom" in capsys.readouterr().err


def test_teacher_page_and_tokens() -> None:
    page = serving.teacher_page("http://10.0.0.5:8866/voila/render/index.ipynb?token=t0k")
    assert page.html.count("<svg") == 1 and "http://10.0.0.5:8866/voila/render/index.ipynb?token=t0k" in page.html
    assert "src=" not in page.html and "href=" not in page.html
    tokens = {serving.classroom_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) >= 12 for t in tokens)


def test_preheated_gallery_uses_a_ready_kernel() -> None:
    with served(preheat=["index.ipynb"]) as base:
        # Voilà hands out a pooled kernel once the pool is filled (kernel started, notebook queued).
        wait_for(lambda: "Kernel pool of index.ipynb is filled" in LOGS[base].read_text(), 120,
                 "fill the pool for index.ipynb", log=LOGS[base])
        status, body = fetch(base + "/voila/render/index.ipynb")
        log = LOGS[base].read_text()
    assert status == 200 and "stp-workbook: systems thinking methods" in body
    assert "Using pre-heated kernel" in log and "for index.ipynb" in log


def test_preheat_names_must_be_notebooks() -> None:
    with pytest.raises(StpError, match="'nope.ipynb' is not a notebook of the workbook"):
        voila_command(8866, preheat=["nope.ipynb"])
    for bad in ("teaching/class.ipynb:0", "teaching/class.ipynb:61", "teaching/class.ipynb:x", "teaching/class.ipynb:"):
        if bad.endswith(":"):
            assert '"teaching/class.ipynb": {"pool_size": 1}' in " ".join(voila_command(8866, preheat=[bad]))
            continue
        with pytest.raises(StpError, match="Give a whole number from 1 to 60"):
            voila_command(8866, preheat=[bad])
    pools = " ".join(voila_command(8866, preheat=["index.ipynb", "teaching/class.ipynb:30"]))
    assert '"index.ipynb": {"pool_size": 1}, "teaching/class.ipynb": {"pool_size": 30}' in pools


def test_chart_bundle_is_published_as_a_cacheable_file() -> None:
    bundle = serving.publish_chart_bundle()
    assert bundle is not None and bundle.name == chart_js.bundle_name() and bundle.stat().st_size > 100_000
    url = serving.chart_bundle_url(bundle)
    assert url == f"/voila/templates/stp/static/{bundle.name}?v={chart_js.bundle_digest()}"
    with served() as base:
        fetch(base + "/voila/render/index.ipynb")  # the server is up
        with urllib.request.urlopen(base + url, timeout=60) as response:
            body, headers = response.read(), response.headers
    assert body == bundle.read_bytes()
    assert "javascript" in headers["Content-Type"]
    assert "max-age=" in headers.get("Cache-Control", "") and int(headers["Cache-Control"].split("=")[1]) >= 86400


def test_kernels_of_the_server_send_a_tiny_loader() -> None:
    code = ("from stp_helpers import charts; import altair as alt; charts.enable_offline(); "
            "print(len(alt.JupyterChart._esm)); print(alt.JupyterChart._esm)")
    env = {**os.environ, chart_js.CHART_JS_ENV: "/voila/templates/stp/static/jupyterchart-x.mjs?v=x"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    size, loader = out.split("\n", 1)
    assert int(size) < 300 and 'import(new URL("/voila/templates/stp/static/jupyterchart-x.mjs?v=x"' in loader
    assert "http" not in loader


@pytest.mark.browser
def test_an_app_fetches_the_chart_bundle_once(voila_server: str, visit: Visit) -> None:
    bundles: list[str] = []
    visit.page.on("request", lambda r: bundles.append(r.url) if "/jupyterchart-" in r.url else None)
    received: list[int] = []
    visit.page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    open_app(visit, voila_server, catalogue.entry("cases/wiltshire.ipynb"))
    assert visit.page.locator(CHART).count() >= 2
    assert bundles == [voila_server + serving.chart_bundle_url(serving.publish_chart_bundle())]
    assert sum(received) < 2_000_000, "chart widgets carry the loader, not the 0.9 MB bundle each"
    assert visit.failed == [] and visit.external == [] and visit.console_errors == []
