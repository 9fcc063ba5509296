"""Time from opening a Voilà app in headless Chromium to its first chart drawn.

Starts the workbook's Voilà server on 127.0.0.1 exactly as ``stp serve`` does
(``voila_command``; with ``--preheat``, as ``stp serve --preheat <notebook>``:
one kernel kept ready, the notebook already run in it), opens the app once
right after the server starts ("cold": first kernel, cold caches) and then
``--runs`` more times ("warm"), each in a fresh browser profile (nothing in the
browser's cache) unless ``--same-browser`` reuses one (a learner who opened an
app before).  With ``--preheat`` each visit waits until the pool's next kernel
has run the notebook (its kernel idle for 2 s), so every visit gets a ready one.

Two times per visit: ``page``, from the browser's navigation start to the
first ``.vega-embed svg`` in the page (what a learner sees, read inside the
page), and ``wall``, the same seen from Playwright (adds starting the tab and
polling).  Also the page's milestones (HTML received, DOMContentLoaded, kernel
websocket opened), the bytes received over the websocket, and the resident
memory (RSS) of the app's kernel once its chart is drawn.  Requests are not
intercepted (interception slows every request); any request that leaves
127.0.0.1 is counted and printed.  Prints the figures and the machine; asserts
nothing.

    python benchmarks/voila_first_chart.py [notebook] [--runs N] [--preheat] [--same-browser]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from voila_procs import free_port, kernels, rss_mb, wait_until_idle

from stp_helpers import catalogue
from stp_helpers.cli import voila_command, voila_env

CHART = ".vega-embed svg, .vega-embed canvas"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")

#: Runs in the page before any of its scripts: notes when the kernel's websocket
#: opens and when the first chart's SVG appears (ms since navigation start).
MARKS = """
window.__stp = {};
const mark = (k) => { if (!(k in window.__stp)) window.__stp[k] = performance.now(); };
const Socket = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Socket(...args);
  if (String(args[0]).includes('/channels')) ws.addEventListener('open', () => mark('websocket'));
  return ws;
};
window.WebSocket.prototype = Socket.prototype;
Object.assign(window.WebSocket, Socket);
new MutationObserver(() => {
  if (document.querySelector('.vega-embed svg, .vega-embed canvas')) mark('chart');
}).observe(document, {subtree: true, childList: true});
"""


def kernel_rss_mb(server_pid: int) -> float:
    """Largest RSS (MB) among the server's ipykernel children."""
    return max((rss_mb(pid) for pid in kernels(server_pid)), default=0.0)


def wait_for_ready_pool(server_pid: int, log: Path, filled: int, timeout: float = 180) -> float:
    """Wait until the pool has handed out ``filled`` kernels and every kernel has been idle for 2 s.

    Voilà logs "filled" when the pool's kernel has started, before it has run
    the notebook; the kernels' CPU time standing still says the run is over.
    """
    start = time.monotonic()
    while log.read_text(errors="replace").count("is filled with") < filled:
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"the kernel pool did not fill within {timeout:.0f} s:\n{log.read_text()}")
        time.sleep(0.2)
    wait_until_idle(server_pid, quiet=2.0, deadline=start + timeout)
    return time.monotonic() - start


def _spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    return (f"median {statistics.median(values):.{digits}f} {unit} "
            f"(min {min(values):.{digits}f}, max {max(values):.{digits}f}, n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", nargs="?", default="cases/wiltshire.ipynb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--preheat", action="store_true",
                        help="serve as 'stp serve --preheat NOTEBOOK' does: one kernel kept ready, already run")
    parser.add_argument("--same-browser", action="store_true",
                        help="reuse one browser profile (its cache) for every visit")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = voila_command(port, preheat=[args.notebook] if args.preheat else [])
    log = Path(tempfile.mkdtemp()) / "voila.log"
    with open(log, "w") as handle:
        server = subprocess.Popen(command, env=voila_env(), stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    if args.preheat:
        wait_for_ready_pool(server.pid, log, filled=1)
    url = catalogue.entry(args.notebook).voila_url(base)
    visits: list[dict[str, float]] = []
    external: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("STP_CHROMIUM", "/usr/bin/chromium"),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = None
            for run in range(args.runs + 1):
                if context is None or not args.same_browser:
                    context = browser.new_context()
                    context.add_init_script(MARKS)
                page = context.new_page()
                page.on("request", lambda r: external.append(r.url) if not r.url.startswith(LOCAL) else None)
                received: list[int] = []
                page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector(CHART, timeout=120_000)
                wall = time.perf_counter() - start
                marks = page.evaluate("""() => {
                    const n = performance.getEntriesByType('navigation')[0];
                    return {html: n.responseEnd, dom: n.domContentLoadedEventEnd, ...window.__stp};
                }""")
                visits.append({"wall": wall, "page": marks["chart"] / 1000, "html": marks["html"] / 1000,
                               "dom": marks["dom"] / 1000, "websocket": marks.get("websocket", 0) / 1000,
                               "ws_mb": sum(received) / 1e6, "rss": kernel_rss_mb(server.pid)})
                page.close()
                if not args.same_browser:
                    context.close()
                if args.preheat:
                    wait_for_ready_pool(server.pid, log, filled=run + 2)
                else:
                    time.sleep(1.0)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    cold, warm = visits[0], visits[1:]
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"app: {args.notebook}{' (preheated kernel pool, as stp serve --preheat)' if args.preheat else ''}, "
          f"{'one browser profile' if args.same_browser else 'fresh browser profile per visit'}")
    print(f"first chart, cold (first open after server start): page {cold['page']:.2f} s, wall {cold['wall']:.2f} s")
    print(f"first chart, warm, page (navigation start to first svg): {_spread([v['page'] for v in warm])}")
    print(f"first chart, warm, wall (Playwright): {_spread([v['wall'] for v in warm])}")
    for key, label in (("html", "HTML received"), ("dom", "DOMContentLoaded"), ("websocket", "kernel websocket open")):
        print(f"  {label}: {_spread([v[key] for v in warm])}")
    print(f"websocket data received per visit: {_spread([v['ws_mb'] for v in warm], 'MB', 1)}")
    print(f"kernel RSS after first chart: {_spread([v['rss'] for v in visits], 'MB', 0)}")
    print(f"requests that left 127.0.0.1: {len(external)}{' ' + str(sorted(set(external))[:5]) if external else ''}")


if __name__ == "__main__":
    main()
