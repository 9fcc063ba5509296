"""A class on one laptop: N students open an app and use it every few seconds, at once.

Starts the workbook's Voilà server on 127.0.0.1 as ``stp serve --classroom``
does (a class token and a teacher token, a kernel cap of N + 5, a fresh class
store), then N students, each a browser context of one headless Chromium
(every request that leaves 127.0.0.1 is aborted), open the app at the same
time.  A student "can answer" once the page shows the question and their
first answer has come back confirmed.  For D seconds every student,
concurrently, acts every few seconds (with a random offset, seed 20261123)
and waits up to 30 s for the app to answer:

- ``--app lesson`` (default): the class page without a kernel,
  ``/stp/class/behaviour-mode`` (static HTML and JavaScript posting to the
  teacher's SQLite store); a student picks a behaviour mode, sends it, and
  waits for "Sent: <mode>".  The lesson's chart is drawn once before the
  class arrives (as the teacher opening the lesson does), and that time is
  printed too;
- ``--app scale``: the Wiltshire case thread; a student moves the scale
  slider one step and waits for the chart's title to change.

A student whose app never opened counts as an error and does not act.
With ``--pool N`` the server keeps N kernels of the app ready, already run
(``stp serve --preheat <app>:N``), and the class arrives once they are.  Prints the moves, the
updates answered, their latency (p50, p95, max), the errors by kind, and the
memory of the server and of each kernel.  Bounded in count and time; asserts
nothing.

Every student's browser runs on this same machine, so the figures include
thirty pages drawing their charts on the server's cores: a class using its
own devices leaves the server more room.  ``--http-only`` measures the
server alone: N plain HTTP clients, at once, each fetch the class page, its
script and style sheet and the lesson's state, and send one answer.

    python benchmarks/classroom_load.py --students 30 --seconds 300
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from voila_procs import free_port, kernels, rss_mb, wait_until_idle

from stp_helpers import catalogue
from stp_helpers.cli import voila_command, voila_env

TITLE = ".vega-embed .role-title-text"
SLIDER = ".widget-slider .noUi-handle"
RADIO = "#stp-stages input[type=radio]"
APPS = {"lesson": "stp/class/behaviour-mode", "scale": "cases/wiltshire.ipynb"}
STUDENT_TOKEN, TEACHER_TOKEN = "class-benchmark-token", "teacher-benchmark-token"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
SEED = 20261123


def wait_for_pool(server_pid: int, size: int, timeout: float = 900) -> float:
    """Wait until ``size`` kernels exist and none has used CPU for 3 s (the notebook has run in each)."""
    start = time.monotonic()
    wait_until_idle(server_pid, at_least=size, quiet=3.0, deadline=start + timeout, poll=0.5)
    return time.monotonic() - start


class Tally:
    """What the class saw: open times, moves, answered latencies, errors by kind."""

    def __init__(self) -> None:
        self.opened: list[float] = []
        self.answered: list[float] = []
        self.moves = 0
        self.latencies: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.first_error: dict[str, str] = {}

    def error(self, kind: str, detail: object) -> None:
        self.errors[kind] += 1
        self.first_error.setdefault(kind, str(detail).splitlines()[0][:160])


async def student(browser: object, url: str, index: int, start: float, args: argparse.Namespace,
                  tally: Tally, rng: random.Random) -> None:
    context = await browser.new_context()  # type: ignore[attr-defined]
    page = await context.new_page()

    async def route(r: object) -> None:
        if r.request.url.startswith(LOCAL):  # type: ignore[attr-defined]
            await r.continue_()  # type: ignore[attr-defined]
        else:
            tally.error("external request", r.request.url)  # type: ignore[attr-defined]
            await r.abort()  # type: ignore[attr-defined]

    await page.route("**/*", route)
    page.on("pageerror", lambda e: tally.error("page error", e))
    try:
        await page.goto(url, wait_until="commit", timeout=120_000)
        for ready in ((SLIDER, TITLE) if args.app == "scale" else (RADIO, "figure.stp-figure svg")):
            await page.wait_for_selector(ready, timeout=300_000)
        tally.opened.append(time.perf_counter() - start)
        if args.app == "lesson":
            await send_answer(page, index)
            tally.answered.append(time.perf_counter() - start)
    except Exception as err:  # noqa: BLE001 - a benchmark counts failures
        tally.error("open", err)
        await context.close()
        return
    deadline = time.monotonic() + args.seconds
    await asyncio.sleep(rng.uniform(0, args.every))
    step = 0
    while time.monotonic() < deadline:
        step += 1
        tally.moves += 1
        t0 = time.perf_counter()
        try:
            if args.app == "scale":
                await move_slider(page, step)
            else:
                await send_answer(page, step)
            tally.latencies.append(time.perf_counter() - t0)
        except Exception as err:  # noqa: BLE001
            tally.error("update not answered in 30 s", err)
        await asyncio.sleep(max(0.0, args.every - (time.perf_counter() - t0)) + rng.uniform(-0.5, 0.5))
    await context.close()


async def move_slider(page: object, step: int) -> None:
    """Move the scale slider one step and wait for the chart's title to change."""
    before = await page.eval_on_selector_all(TITLE, "els => els.map(e => e.textContent).join('|')")  # type: ignore[attr-defined]
    await page.locator(SLIDER).first.focus()  # type: ignore[attr-defined]
    await page.keyboard.press("ArrowRight" if (step // 5) % 2 == 0 else "ArrowLeft")  # type: ignore[attr-defined]
    await page.wait_for_function(  # type: ignore[attr-defined]
        "([sel, old]) => Array.from(document.querySelectorAll(sel)).map(e => e.textContent).join('|') !== old",
        arg=[TITLE, before], timeout=30_000)


async def send_answer(page: object, step: int) -> None:
    """Pick the next behaviour mode, send it, and wait for the class page to confirm it."""
    radios = page.locator(RADIO)  # type: ignore[attr-defined]
    choice = step % await radios.count()
    await radios.nth(choice).check()
    label = await radios.nth(choice).evaluate("e => e.value")
    await page.get_by_role("button", name="Send my answer").click()  # type: ignore[attr-defined]
    await page.wait_for_function(  # type: ignore[attr-defined]
        "label => Array.from(document.querySelectorAll('#stp-stages p'))"
        ".some(e => e.textContent.startsWith('Sent: ' + label + '.'))", arg=label, timeout=30_000)


def http_class(url: str, base: str, students: int) -> list[float]:
    """Seconds until each of ``students`` plain HTTP clients, started at once, had the page and an answer sent."""
    import http.cookiejar
    import json
    import threading

    page = url.split("?")[0]
    times: list[float] = []

    def one(i: int) -> None:
        t0 = time.perf_counter()
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for address in (url, f"{base}/stp/class/static/class.js", f"{base}/stp/class/static/class.css",
                        f"{page}/state?student={i:032x}&run=&known=0"):
            opener.open(address, timeout=120).read()
        xsrf = next(c.value for c in jar if c.name == "_xsrf")
        body = json.dumps({"student": f"{i:032x}", "question": "behaviour-mode", "answer": "S-shaped"}).encode()
        opener.open(urllib.request.Request(f"{page}/answer", data=body, headers={
            "Content-Type": "application/json", "X-XSRFToken": xsrf}), timeout=120).read()
        times.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(times)


async def run_class(url: str, args: argparse.Namespace) -> tuple[Tally, float]:
    from playwright.async_api import async_playwright

    tally = Tally()
    rng = random.Random(SEED)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=os.environ.get("STP_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-renderer-backgrounding", "--disable-background-timer-throttling"])
        start = time.perf_counter()
        await asyncio.gather(*(student(browser, url, i, start, args, tally, random.Random(rng.random()))
                               for i in range(args.students)))
        elapsed = time.perf_counter() - start
        await browser.close()
    return tally, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between one student's moves")
    parser.add_argument("--app", choices=sorted(APPS), default="lesson")
    parser.add_argument("--pool", type=int, default=0, help="kernels kept ready for the app (stp serve --preheat)")
    parser.add_argument("--http-only", action="store_true", help="the class page's server alone: plain HTTP clients")
    args = parser.parse_args()
    import tempfile

    env = voila_env()
    env["STP_CLASSROOM_DB"] = str(Path(tempfile.mkdtemp(prefix="stp-class-")) / "class.sqlite")

    port = free_port()
    preheat = [f"{APPS[args.app]}:{args.pool}"] if args.pool and args.app != "lesson" else []
    server = subprocess.Popen(voila_command(port, max_kernels=args.students + args.pool + 5, preheat=preheat,
                                            token=STUDENT_TOKEN, teacher_token=TEACHER_TOKEN), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/stp/class/static/class.js", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    drawn = 0.0
    if args.app == "lesson":
        url = f"{base}/{APPS['lesson']}?token={STUDENT_TOKEN}"
        t0 = time.perf_counter()
        urllib.request.urlopen(url, timeout=300).read()  # the teacher opens the lesson: its chart is drawn once
        drawn = time.perf_counter() - t0
    else:
        url = catalogue.entry(APPS[args.app]).voila_url(base) + f"?token={STUDENT_TOKEN}"
    pool_ready = wait_for_pool(server.pid, args.pool) if preheat else 0.0
    if args.http_only:
        try:
            times = http_class(url, base, args.students)
        finally:
            server.terminate()
            server.wait(timeout=60)
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"{args.students} plain HTTP clients at once on the class page: {len(times)} had the page, its script, "
              f"its style, the lesson's state and an answer confirmed; median {statistics.median(times):.2f} s, "
              f"the last after {times[-1]:.2f} s; failed: {args.students - len(times)}")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    peak_kernels: list[float] = []
    peak_server = 0.0

    async def sample_memory() -> None:
        nonlocal peak_server
        while True:
            rss = [rss_mb(pid) for pid in kernels(server.pid)]
            if sum(rss) >= sum(peak_kernels):
                peak_kernels[:] = rss
            peak_server = max(peak_server, rss_mb(server.pid))
            await asyncio.sleep(5)

    async def measured() -> tuple[Tally, float]:
        sampler = asyncio.create_task(sample_memory())
        try:
            return await run_class(url, args)
        finally:
            sampler.cancel()

    try:
        tally, elapsed = asyncio.run(measured())
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # thirty kernels can take longer to stop: the figures still count
            left = kernels(server.pid)
            server.kill()
            for pid in left:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"app: {args.app} ({APPS[args.app]})"
          + (f"; a pool of {args.pool} preheated kernels, ready {pool_ready:.0f} s after the server started"
             if preheat else "; no kernel per student" if args.app == "lesson" else "; no preheated kernels"))
    if args.app == "lesson":
        print(f"lesson parts ready for the class {drawn:.1f} s after the teacher first opened the page "
              "(drawn once per lesson file, then read from the cache)")
    opened = sorted(tally.opened)
    if opened:
        print(f"students: {args.students}, opened {len(opened)} at once; each page shown after "
              f"{statistics.median(opened):.2f} s (median), the last after {opened[-1]:.2f} s")
    answered = sorted(tally.answered)
    if answered:
        print(f"can answer (first answer confirmed): {len(answered)} of {args.students}; median "
              f"{statistics.median(answered):.2f} s, the last of them after {answered[-1]:.2f} s")
    print(f"moves: {tally.moves} in {args.seconds:.0f} s (one per student every {args.every:g} s); "
          f"answered: {len(tally.latencies)}; run took {elapsed:.0f} s")
    if tally.latencies:
        ordered = sorted(tally.latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"update latency: p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    print(f"errors: {sum(tally.errors.values())}")
    for kind, count in sorted(tally.errors.items()):
        print(f"  {kind}: {count} (first: {tally.first_error[kind]})")
    print(f"failed pages: {args.students - len(opened)}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not peak_kernels:
        print(f"memory at the peak: server {peak_server:.0f} MB; no kernels")
    if peak_kernels:
        print(f"memory at the peak: server {peak_server:.0f} MB; {len(peak_kernels)} kernels, each "
              f"{min(peak_kernels):.0f}-{max(peak_kernels):.0f} MB, all {sum(peak_kernels) / 1024:.2f} GB")


if __name__ == "__main__":
    main()
