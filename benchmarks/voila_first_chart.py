"""Time from opening a Voilà app in headless Chromium to its first chart drawn.

Starts the workbook's Voilà server on 127.0.0.1, opens the app once right
after the server starts ("cold": first kernel, cold caches) and then several
more times ("warm"), and reads the resident memory (RSS) of the app's kernel
once its chart is drawn.  Prints the figures and the machine; asserts nothing.

    python benchmarks/voila_first_chart.py [notebook] [--runs N]
"""

from __future__ import annotations

import argparse
import json
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

CHART = ".vega-embed svg, .vega-embed canvas"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kernel_rss_mb(server_pid: int) -> float:
    """Largest RSS (MB) among the server's ipykernel children."""
    best = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        ppid = int(next(l.split()[1] for l in status.splitlines() if l.startswith("PPid:")))
        if ppid == server_pid and "ipykernel" in cmdline:
            rss = next((l for l in status.splitlines() if l.startswith("VmRSS:")), "VmRSS: 0 kB")
            best = max(best, int(rss.split()[1]) / 1024)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", nargs="?", default="cases/wiltshire.ipynb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--preheat", action="store_true", help="serve with Voilà's preheated kernel pool")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = voila_command(port)
    if args.preheat:
        pools = json.dumps({"default": {"pool_size": 0}, args.notebook: {"pool_size": 1}})
        command += ["--preheat_kernel=True", f"--VoilaKernelManager.kernel_pools_config={pools}"]
    server = subprocess.Popen(command, env=voila_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    if args.preheat:
        time.sleep(20)  # let the pool execute the notebook before the first visit
    url = catalogue.entry(args.notebook).voila_url(base)
    times, rss = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("STP_CHROMIUM", "/usr/bin/chromium"),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for _ in range(args.runs + 1):
                context = browser.new_context()
                page = context.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:")) else r.abort())
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector(CHART, timeout=120_000)
                times.append(time.perf_counter() - start)
                rss.append(kernel_rss_mb(server.pid))
                context.close()
                time.sleep(10.0 if args.preheat else 1.0)  # preheat: let the pool refill
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    cold, warm = times[0], times[1:]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"app: {args.notebook}{' (preheated kernel pool)' if args.preheat else ''}")
    print(f"first chart, cold (first open after server start): {cold:.2f} s")
    print(f"first chart, warm (median of {len(warm)}): {statistics.median(warm):.2f} s "
          f"(min {min(warm):.2f}, max {max(warm):.2f})")
    print(f"kernel RSS after first chart: median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB")


if __name__ == "__main__":
    main()
