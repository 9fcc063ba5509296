"""Kernels come back under ``stp serve``: a page that closes, reloads or navigates away frees its
kernel, a GET that never opens a websocket frees it within a minute, and the cap counts per client.

One server for the module, on a folder with one small notebook (the lifecycle, not the content, is
under test), capped at 10 kernels and 3 per client.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import nbformat
import pytest
from conftest import _free_port

from stp_helpers import paths
from stp_helpers.cli import voila_command, voila_env

CAP, PER_CLIENT = 10, 3
LINK = '<a id="again" href="tiny.ipynb">Open this page again</a>'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("notebooks")
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(f"from IPython.display import HTML\nHTML({LINK!r})")]
    nbformat.write(nb, folder / "tiny.ipynb")
    port = _free_port()
    command = voila_command(port, max_kernels=CAP, max_kernels_per_client=PER_CLIENT)
    command[command.index(str(paths.NOTEBOOKS_DIR))] = str(folder)
    log = folder / "voila.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen(command, env=voila_env(), stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/stp/ready", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def kernels(base: str) -> dict[str, int]:
    """Running kernels and their websocket connections."""
    with urllib.request.urlopen(base + "/stp/ready", timeout=30) as response:
        return json.load(response)["kernels"]


def get_from(base: str, source: str, path: str = "/voila/render/tiny.ipynb") -> tuple[int, str]:
    """A plain GET (no websocket ever) from the client address ``source``."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120, source_address=(source, 0))
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_plain_gets_count_per_client_and_their_kernels_stop_within_a_minute(server: str) -> None:
    before = set(kernels(server))
    for _ in range(PER_CLIENT):
        assert get_from(server, "127.0.0.2")[0] == 200
    status, body = get_from(server, "127.0.0.2")
    assert status == 503 and "You have too many apps open" in body and "Close an app" in body
    assert get_from(server, "127.0.0.3")[0] == 200, "another device still gets its page"
    opened = set(kernels(server)) - before
    assert len(opened) == PER_CLIENT + 1
    done = time.monotonic()
    while opened & set(kernels(server)) and time.monotonic() - done < 60:
        time.sleep(2)
    assert not opened & set(kernels(server)), "kernels of pages that never connected outlived a minute"
    assert get_from(server, "127.0.0.2")[0] == 200, "the device may open apps again"


def _connected(page: object, base: str) -> str:
    """Wait until the app's page has drawn and connected to its kernel; return the kernel's id."""
    if page.locator("h1", has_text="503").count():
        raise AssertionError(page.locator("body").inner_text())
    page.wait_for_selector("#again, h1", timeout=120_000)
    if not page.locator("#again").count():
        raise AssertionError(page.locator("body").inner_text())
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    deadline = time.monotonic() + 60
    while kernels(base).get(kernel, 0) < 1:
        assert time.monotonic() < deadline, "the page never connected to its kernel"
        time.sleep(0.2)
    return kernel


def _open(page: object, base: str) -> str:
    response = page.goto(base + "/voila/render/tiny.ipynb", wait_until="domcontentloaded", timeout=120_000)
    if response is None or response.status != 200:
        raise AssertionError(f"status {response and response.status}: {page.locator('body').inner_text()}")
    return _connected(page, base)


@pytest.mark.browser
def test_sixty_pages_closed_reloaded_or_left_all_open_under_a_cap_of_ten(server: str, browser: object) -> None:
    context = browser.new_context()
    seen: list[str] = []
    refused: list[str] = []
    try:
        page = context.new_page()
        kernel = _open(page, server)
        seen.append(kernel)
        for i in range(59):
            way = ("close", "reload", "link")[i % 3]
            try:
                if way == "close":
                    page.close(run_before_unload=True)
                    page = context.new_page()
                    kernel = _open(page, server)
                else:
                    with page.expect_navigation(wait_until="domcontentloaded", timeout=120_000) as went:
                        page.reload() if way == "reload" else page.click("#again")
                    if went.value is None or went.value.status != 200:
                        raise AssertionError(f"status {went.value and went.value.status}")
                    kernel = _connected(page, server)
            except AssertionError as err:
                refused.append(f"page {i + 2} ({way}): {err}")
                break
            seen.append(kernel)
            assert len(context.pages) == 1, "a link to this server opened another tab"
        page.close(run_before_unload=True)
        running = kernels(server)
    finally:
        context.close()
    assert refused == [] and len(seen) == 60 and len(set(seen)) == 60
    left = set(seen) & set(running)
    assert len(left) <= 1, f"{len(left)} kernels of closed pages still run"
