"""Shared fixtures: test data, CLD-T1, doctest namespace, shipped-data guard, Voilà server and browser."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import layout
import pytest
from jupyter_client.manager import KernelManager

import stp_helpers
from stp_helpers import catalogue, cld, paths

REPO = paths.REPO_ROOT
#: Third-party models and examples copied into the repository (licences in tests/data/SOURCES.md).
TEST_DATA = Path(__file__).resolve().parent / "data"


def data_file(*parts: str) -> Path:
    """Return a path under ``tests/data/``; a missing fixture fails the test, never skips it."""
    path = TEST_DATA.joinpath(*parts)
    assert path.exists(), f"test fixture missing: tests/data/{'/'.join(parts)} (see tests/data/SOURCES.md)"
    return path


# CLD-T1 (methods.md §2.4), the five-variable diagram many tests share: U unmet need,
# C crisis interventions, W staff workload, P prevention capacity, S staff sickness absence.
# Five loops: B1 (C, U), B2 (P, U) delayed, R1 (S, W) delayed, R2 (C, W, P, U), R3 (C, W, S, P, U).
# tests/fixtures/cld/cld_t1.csv holds the same diagram as a case file (with notes).
CLD_T1_LINKS: tuple[tuple[str, str, str, bool], ...] = (
    ("U", "C", "+", False), ("C", "U", "-", False), ("C", "W", "+", False),
    ("W", "P", "-", True), ("P", "U", "-", False), ("W", "S", "+", True),
    ("S", "W", "+", False), ("S", "P", "-", False), ("U", "P", "+", True),
)
CLD_T1_LABELS: tuple[tuple[str, str], ...] = (
    ("U", "unmet need"), ("C", "crisis interventions"), ("W", "staff workload"),
    ("P", "prevention capacity"), ("S", "staff sickness absence"),
)


@pytest.fixture
def cld_t1() -> nx.DiGraph:
    """CLD-T1 built afresh for each test (tests may change it)."""
    graph, warnings = cld.build_cld(CLD_T1_LINKS, CLD_T1_LABELS)
    assert warnings == []
    return graph

# Teacher mode's shared store: a fresh one per test session, so stored notebook outputs
# (a lesson with no answers yet) are what every run sees; kernels inherit it.
os.environ["STP_CLASSROOM_DB"] = str(Path(tempfile.mkdtemp(prefix="stp-class-")) / "class.sqlite3")
REGISTRY = paths.DATA_DIR / "registry.txt"


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace.update(nx=nx, np=np, pd=pd, stp_helpers=stp_helpers)


def data_hashes() -> dict[str, str]:
    """SHA-256 of every shipped data file, keyed by its path below data/."""
    out = {}
    for path in sorted(paths.DATA_DIR.rglob("*")):
        if path.is_file() and path != REGISTRY and "__pycache__" not in path.parts:
            out[path.relative_to(paths.DATA_DIR).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def read_registry() -> dict[str, str]:
    entries = {}
    for line in REGISTRY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, digest = line.rsplit(" ", 1)
            entries[name] = digest
    return entries


@pytest.fixture(scope="session", autouse=True)
def shipped_data_unchanged() -> Iterator[None]:
    """After the session, every shipped data file still matches data/registry.txt."""
    yield
    changed = {k for k, v in data_hashes().items() if read_registry().get(k) != v}
    assert not changed, f"shipped data changed during the tests: {sorted(changed)}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve notebooks/ with Voilà on 127.0.0.1 for the session; yield its base URL."""
    from stp_helpers.cli import voila_command, voila_env

    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(voila_command(port), env=voila_env(), stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voilà exited: {log.read_text()}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        raise RuntimeError(f"Voilà did not start within 60 s: {log.read_text()}")
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


CHROMIUM = os.environ.get("STP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never downloaded, never skipped)."""
    from playwright.sync_api import sync_playwright

    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    assert executable, "Chromium is missing: the test command installs it with apt-get install chromium"
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


# --- browser journeys: a page with the network cut off, and what it requested ---

#: A drawn chart: Vega in the page, or a chart drawn on the server as SVG (the class page's lesson figures).
CHART = ".vega-embed svg, .vega-embed canvas, figure.stp-figure svg"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


@dataclass
class Visit:
    page: object
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record = Visit(page)

    def route(r: object) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            record.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: record.failed.append(f"{r.url} {r.failure}"))
    page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(str(e)))
    try:
        yield record
    finally:
        context.close()


def assert_rendered_offline(visit: Visit) -> None:
    """A Voilà page as a learner sees it: a chart drawn, no error or traceback, code stripped, nothing
    requested beyond 127.0.0.1, no failed request and no console error."""
    page = visit.page
    assert page.locator(CHART).count() >= 1
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error')
    assert errors.count() == 0, errors.first.inner_text()
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error" not in body.split("References")[0].replace("StpError", "")
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0, "code sources are stripped"
    assert visit.external == [], f"requests left 127.0.0.1: {visit.external}"
    assert visit.failed == [], f"failed requests: {visit.failed}"
    assert visit.console_errors == [], visit.console_errors


def assert_fits(visit: Visit) -> None:
    """The page as a teacher projects it and a learner reads it on a phone: at 1280 px and then at 412 px,
    nothing wider than the screen, no text clipped, no chart labels overlapping, every chart named
    (tests/layout.py); the viewport is left at 1280 px."""
    found = [p for width in layout.WIDTHS for p in layout.problems_at(visit.page, width)]
    visit.page.set_viewport_size({"width": 1280, "height": 900})
    assert found == [], "\n".join(found)


def open_app(visit: Visit, base: str, item: catalogue.Entry) -> None:
    """Open a catalogue notebook in Voilà and wait for its first chart and for the network to settle."""
    visit.page.goto(item.voila_url(base), wait_until="domcontentloaded", timeout=120_000)
    visit.page.wait_for_selector(CHART, timeout=120_000)
    visit.page.wait_for_load_state("networkidle", timeout=60_000)




_CHART_TITLES = """
expected => {
  const clean = s => s.replace(/\\s+/g, " ").replace(/;/g, ":").trim();
  const label = (svg, kind) => {
    const el = svg.querySelector(`[aria-roledescription="${kind}"]`);
    const text = el ? el.getAttribute("aria-label") || "" : "";
    const m = text.match(/^[A-Za-z]+ text '([\\s\\S]*)'$/);
    return m ? m[1] : "";
  };
  return [...document.querySelectorAll("svg")].some(
    svg => clean(label(svg, "title") + " " + label(svg, "subtitle")).includes(clean(expected)));
}
"""


def wait_for_chart_title(page: object, text: str, timeout: float = 30_000) -> None:
    """Wait until a drawn chart's title (with its subtitle) reads ``text``.

    Titles wrap onto lines of a few words and a long one continues in the
    subtitle, so the words are not one text node; Vega's accessible labels
    on the title and subtitle marks hold each whole.
    """
    page.wait_for_function(_CHART_TITLES, arg=text, timeout=timeout)


class IpcKernelManager(KernelManager):
    """A test kernel on Unix sockets in a folder of its own: no TCP port to lose.

    jupyter_client picks free TCP ports and then the kernel binds them; when two
    workers, papermill and the Voilà servers start kernels at once, another process
    can bind a port in between ("Address already in use", a kernel that dies before
    it replies).  Sockets in a fresh folder per kernel cannot collide.
    """

    def __init__(self, **kwargs: object) -> None:
        folder = tempfile.mkdtemp(prefix="stp-kernel-")
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("connection_file", os.path.join(folder, "kernel.json"))
        kwargs.setdefault("ip", os.path.join(folder, "ipc"))
        super().__init__(**kwargs)
        self.folder = folder

    def cleanup_resources(self, restart: bool = False) -> None:
        super().cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.folder, ignore_errors=True)


def run_notebook(notebook: Path, out: Path, case_slug: str, cwd: Path) -> None:
    """Run a notebook with papermill for case ``case_slug`` (its ``CASE`` parameter), on an IPC kernel."""
    import papermill  # heavy; only the tests that run whole notebooks need it
    papermill.execute_notebook(str(notebook), str(out), parameters={"CASE": case_slug}, kernel_name="python3",
                               progress_bar=False, cwd=str(cwd), kernel_manager_class=IpcKernelManager)


#: nbval waits only 5 s for each output message once a cell has run; with two workers, Voilà
#: servers and Chromium sharing 2 cores a message can take longer, and one late message stops
#: the kernel and fails every later cell.  The cell's own timeout (``--nbval-cell-timeout``)
#: still bounds the whole cell.
NBVAL_OUTPUT_TIMEOUT = 120


def pytest_configure(config: pytest.Config) -> None:
    # nbval starts each notebook's kernel with jupyter_client's KernelManager, named in its own
    # module; its kernels get IPC sockets too.
    import nbval.kernel
    nbval.kernel.KernelManager = IpcKernelManager


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if hasattr(item, "output_timeout"):  # nbval's IPyNbCell
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT
