"""Time from logging in to JupyterHub to the Voilà gallery drawn, in headless Chromium.

Starts the local JupyterHub of ``deploy/jupyterhub_config.py`` on 127.0.0.1 and,
for each of N users, submits the login form (``next`` = spawn, then the gallery)
and waits for the gallery's first chart: "cold" is a user's first login (their
server starts, their notebooks are copied, the gallery's kernel starts and runs);
"warm" logs the same user in again in a fresh browser while their server runs.
Every request outside 127.0.0.1 is aborted and counted.  Prints the figures and
the machine; asserts nothing.  Stops everything it started.

    python benchmarks/jupyterhub_login.py [--users N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from stp_helpers import paths

CHART = ".vega-embed svg, .vega-embed canvas"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")

_spec = importlib.util.spec_from_file_location("stp_localhub", paths.REPO_ROOT / "deploy" / "localhub.py")
localhub = importlib.util.module_from_spec(_spec)
sys.modules["stp_localhub"] = localhub
_spec.loader.exec_module(localhub)


def login_to_gallery(browser: object, hub: object, user: str, external: list[str]) -> float:
    """Seconds from submitting the login form to the gallery's first chart drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def route(r: object) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    gallery = f"/user/{user}/{localhub.GALLERY}"
    target = quote(f"/hub/spawn?next={quote(gallery, safe='')}", safe="")
    try:
        page.goto(f"{hub.base}/hub/login?next={target}", wait_until="domcontentloaded", timeout=60_000)
        page.fill("#username_input", user)
        page.fill("#password_input", hub.password)
        start = time.perf_counter()
        page.click("#login_submit")
        page.wait_for_url(f"**{gallery}", timeout=180_000)
        page.wait_for_selector(CHART, timeout=180_000)
        return time.perf_counter() - start
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    users = [f"apprentice{i}" for i in range(1, args.users + 1)]
    cold, warm, external = [], [], []
    with (tempfile.TemporaryDirectory(prefix="stp-hub-bench-") as tmp,
          localhub.running_hub(Path(tmp), users=users, limit=1200) as hub, sync_playwright() as pw):
        browser = pw.chromium.launch(executable_path=os.environ.get("STP_CHROMIUM", "/usr/bin/chromium"),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                           "--disable-background-networking"])
        try:
            for user in users:
                cold.append(login_to_gallery(browser, hub, user, external))
            for user in users:
                warm.append(login_to_gallery(browser, hub, user, external))
        finally:
            browser.close()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"users: {len(users)}, one after another; requests outside 127.0.0.1 aborted: {len(external)}")
    for url in sorted(set(external)):
        print(f"  aborted: {url[:120]}")
    print(f"login to gallery drawn, cold (server starts): median {statistics.median(cold):.1f} s "
          f"(min {min(cold):.1f}, max {max(cold):.1f})")
    print(f"login to gallery drawn, warm (server running): median {statistics.median(warm):.1f} s "
          f"(min {min(warm):.1f}, max {max(warm):.1f})")


if __name__ == "__main__":
    main()
