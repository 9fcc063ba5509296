"""A class on one laptop: N students open an app and move a control every few seconds.

Starts the workbook's Voilà server on 127.0.0.1, opens the Wiltshire app in N
browser contexts of one headless Chromium (every request that leaves
127.0.0.1 is aborted), then for D seconds each student moves the scale slider
one step every few seconds (staggered) and waits for the chart title to
change.  Prints the update latency (p50, p95, max), errors, and the memory of
the server and of each kernel.  Bounded in count and time; asserts nothing.

    python benchmarks/classroom_load.py --students 30 --seconds 300
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from stp_helpers import catalogue
from stp_helpers.cli import voila_command, voila_env

TITLE = ".vega-embed .role-title-text"


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def kernels(server_pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            ppid = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("PPid:"))
            if ppid == server_pid and b"ipykernel" in cmd:
                found.append(int(proc.name))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between one student's moves")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(voila_command(port, max_kernels=args.students + 5), env=voila_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    url = catalogue.entry("cases/wiltshire.ipynb").voila_url(base)
    latencies: list[float] = []
    errors: list[str] = []
    opened = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("STP_CHROMIUM", "/usr/bin/chromium"),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                               "--disable-background-networking"])
            pages = []
            start_open = time.perf_counter()
            for _ in range(args.students):
                context = browser.new_context()
                page = context.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else r.abort())
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(url, wait_until="commit")
                pages.append(page)
            for page in pages:
                try:
                    page.wait_for_selector(".widget-slider .noUi-handle", timeout=300_000)
                    page.wait_for_selector(TITLE, timeout=300_000)
                    opened += 1
                except Exception as err:  # noqa: BLE001 - a benchmark counts failures
                    errors.append(f"open: {err}")
            open_time = time.perf_counter() - start_open
            deadline = time.monotonic() + args.seconds
            turn = 0
            while time.monotonic() < deadline:
                page = pages[turn % len(pages)]
                turn += 1
                try:
                    before = page.eval_on_selector_all(TITLE, "els => els.map(e => e.textContent).join('|')")
                    handle = page.locator(".widget-slider .noUi-handle").first
                    handle.focus()
                    key = "ArrowRight" if (turn // len(pages)) % 2 == 0 else "ArrowLeft"
                    t0 = time.perf_counter()
                    page.keyboard.press(key)
                    page.wait_for_function(
                        "([sel, old]) => Array.from(document.querySelectorAll(sel)).map(e => e.textContent).join('|') !== old",
                        arg=[TITLE, before], timeout=60_000)
                    latencies.append(time.perf_counter() - t0)
                except Exception as err:  # noqa: BLE001
                    errors.append(f"update: {err}")
                time.sleep(max(0.0, args.every / len(pages)))
            kernel_rss = [rss_mb(pid) for pid in kernels(server.pid)]
            server_rss = rss_mb(server.pid)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"students: {args.students} (opened {opened}) in {open_time:.1f} s; {args.seconds:.0f} s of moves, "
          f"one move per student every {args.every:g} s")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"updates answered: {len(latencies)}; latency p50 {statistics.median(ordered):.2f} s, "
              f"p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
    if kernel_rss:
        print(f"memory: server {server_rss:.0f} MB; {len(kernel_rss)} kernels, each {min(kernel_rss):.0f}-"
              f"{max(kernel_rss):.0f} MB, all {sum(kernel_rss) / 1024:.2f} GB")


if __name__ == "__main__":
    main()
