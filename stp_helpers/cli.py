"""The ``stp`` command: serve the gallery, open JupyterLab, make and check cases.

    stp serve                 the Voilà gallery on http://127.0.0.1:8866
    stp lab                   JupyterLab on the notebooks
    stp new-case SLUG [--from CASE] [--dir DIR]
    stp check-case PATH       every problem with file, row/field and a fix; exit 1 if any
    stp portfolio [--learner NAME] [--out FILE] [--pdf FILE] [--csv FILE]   the portfolio of evidence (HTML, PDF, CSV)

User mistakes print a message and exit with status 1 (2 for wrong usage);
they never print a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Sequence

from stp_helpers import paths
from stp_helpers.errors import StpError

__all__ = ["main", "voila_command", "voila_env"]

DEFAULT_PORT = 8866


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment for Voilà: the workbook's offline template on the path."""
    env = dict(os.environ if base is None else base)
    share = str(paths.PACKAGE_DIR / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (share, env.get("JUPYTER_PATH", "")) if p)
    return env


def voila_command(port: int = DEFAULT_PORT, host: str = "127.0.0.1", open_browser: bool = False,
                  token: str = "", max_kernels: int = 40, cull_idle_seconds: int = 45,
                  preheat: Sequence[str] = (), teacher_token: str = "", max_kernels_per_client: int = 0,
                  fill_delay: float | None = None, lessons: Sequence[str] = ()) -> list[str]:
    """Return the command line that serves the notebooks folder with the workbook's Voilà.

    Sources are stripped, tracebacks hidden, kernels capped and unused ones
    stopped.  Without a token, only 127.0.0.1 may be used as ``host``, and
    requests naming another host are refused.  With ``teacher_token``, the
    teacher's pages need that token and ``token`` opens the others.
    Notebooks named in ``preheat`` (paths below ``notebooks/``) keep kernels
    ready, already run.  The port is never changed silently.
    """
    from stp_helpers.serving import preheat_arguments, voila_arguments

    if host not in ("127.0.0.1", "localhost") and not token:
        raise StpError(f"Serving on {host} needs a token.", fix="Use 'stp serve --classroom', which makes one.")
    return [
        sys.executable, "-m", "stp_helpers.serving_app", str(paths.NOTEBOOKS_DIR),
        f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={host}", "--template=stp",
        "--strip_sources=True", "--show_tracebacks=False", f"--token={token}",
        "--Voila.identity_provider_class=stp_helpers.serving_app.ClassroomIdentityProvider",
        f"--ClassroomIdentityProvider.teacher_token={teacher_token}",
        f"--StpVoila.allow_remote_access={bool(token)}",
        *(f"--StpVoila.lessons={lesson}" for lesson in lessons),
        *voila_arguments(max_kernels=max_kernels, cull_idle_seconds=cull_idle_seconds,
                         max_kernels_per_client=max_kernels_per_client),
        *preheat_arguments(preheat, fill_delay=fill_delay),
        *(["--no-browser"] if not open_browser else []),
    ]


#: Seconds a lesson's pools wait before refilling after giving a kernel, so that refills do not
#: start while the class arrives (Voilà's default is 1 s: thirty students meant thirty new kernels).
LESSON_FILL_DELAY = 600
#: Longest wait for the gallery's preheated kernel before the address is printed anyway.
GALLERY_READY_SECONDS = 90


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0" if host in ("", "0.0.0.0") else host, port))
        except OSError:
            return True
    return False


def _check_port(host: str, port: int) -> None:
    if not _port_taken(host, port):
        return
    free = next((p for p in range(port + 1, port + 50) if not _port_taken(host, p)), None)
    hint = f"stp serve --port {free}" if free else "stp serve --port <a free port>"
    raise StpError(f"Port {port} is already in use on this computer (another 'stp serve', Voilà or JupyterLab?).",
                   fix=f"Stop that server (Ctrl+C in its window), or use another port: {hint}")


def _ready(proc: object, port: int, token: str, lesson: bool) -> bool:
    """Wait until the server answers on 127.0.0.1:``port`` and its pools are full; False if it stopped."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/stp/ready",
                                     headers={"Authorization": f"token {token}"} if token else {})
    answered = None
    shown = ""
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                status = json.load(response)
        except (OSError, ValueError):
            time.sleep(0.3)
            continue
        answered = answered or time.monotonic()
        if status.get("ready") or (not lesson and time.monotonic() - answered > GALLERY_READY_SECONDS):
            return True
        progress = ", ".join(f"{p['ready']}/{p['size']} for {name}" for name, p in status.get("pools", {}).items())
        if lesson and progress != shown:
            print(f"Preheating the lesson's apps: {progress} kernels ready.", flush=True)
            shown = progress
        time.sleep(1)
    return False


def _stop_tree(proc: object, grace: float = 30) -> None:
    """Stop Voilà (which stops its kernels), then any of its processes still running."""
    import psutil  # imported here: only stopping the server walks its process tree

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        family = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    left = [p for p in family if p.is_running()]
    for child in left:
        try:
            child.terminate()
        except psutil.Error:
            pass
    _, left = psutil.wait_procs(left, timeout=5)
    for child in left:
        try:
            child.kill()
        except psutil.Error:
            pass


class _Stopped(Exception):
    """SIGINT or SIGTERM reached ``stp serve``."""


def _on_signal(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _print_addresses(args: argparse.Namespace, host: str, token: str, teacher: str) -> str:
    """Print where the gallery (and the class) are; return the address to open in a browser."""
    from stp_helpers import (
        serving,  # imported here: the other commands never load the server's modules
    )

    gallery = "voila/render/index.ipynb"
    lesson = f"stp/class/{args.lesson_name}" if args.lesson_name else ""
    if not args.classroom:
        local = f"http://127.0.0.1:{args.port}/{gallery}"
        print(f"The stp-workbook gallery is at {local} (Ctrl+C to stop)", flush=True)
        if lesson:
            print(f"The lesson's class page: http://127.0.0.1:{args.port}/{lesson}", flush=True)
        return local
    mine = f"http://127.0.0.1:{args.port}/{gallery}?token={teacher}"
    print(f"The stp-workbook gallery is at {mine} (Ctrl+C to stop)", flush=True)
    print(f"Teacher's page (this address is for you only): "
          f"http://127.0.0.1:{args.port}/voila/render/teaching/teacher.ipynb?token={teacher}", flush=True)
    addresses = serving.lan_addresses() if host == "0.0.0.0" else [host]
    urls = [f"http://{a}:{args.port}/{gallery}?token={token}" for a in addresses]
    for url in urls:
        print(f"Class address: {url}", flush=True)
    if lesson:
        urls = [f"http://{a}:{args.port}/{lesson}?token={token}" for a in addresses]
        for url in urls:
            print(f"The lesson's class page (for the students): {url}", flush=True)
    if not urls:
        print("No network interface other than loopback is up, so no other device can reach this one. "
              "Join the room's network (or start a hotspot), then start 'stp serve --classroom' again.", flush=True)
    page = serving.teacher_page(urls[0] if urls else f"http://127.0.0.1:{args.port}/{gallery}?token={token}")
    target = paths.cache_dir("classroom") / "join.html"
    target.write_text(page.html, encoding="utf-8")
    print(f"Teacher's page with a QR code: {target}", flush=True)
    return mine


def _serve(args: argparse.Namespace) -> int:
    from stp_helpers import (
        serving,  # imported here: the other commands never load the server's modules
    )

    preheat = list(args.preheat) if args.preheat is not None else ["index.ipynb"]
    fill_delay, lessons, args.lesson_name = None, [], ""
    if args.lesson:
        preheat += serving.lesson_preheat(args.lesson, args.class_size)
        fill_delay = LESSON_FILL_DELAY
        args.lesson_name, lessons = serving.lesson_source(args.lesson)
    token, teacher, host = "", "", "127.0.0.1"
    if args.classroom:
        token, teacher = serving.classroom_token(), serving.classroom_token()
        host = args.host or "0.0.0.0"
    elif args.host and args.host not in ("127.0.0.1", "localhost"):
        raise StpError("Listening beyond this computer needs the explicit classroom mode.",
                       fix="Use 'stp serve --classroom' (it prints a token for the class).")
    _check_port(host, args.port)
    per_client = args.max_kernels_per_client if args.max_kernels_per_client is not None else (
        5 if args.classroom else 0)
    cmd = voila_command(args.port, host, token=token, teacher_token=teacher, max_kernels=args.max_kernels,
                        cull_idle_seconds=args.cull_idle, preheat=preheat, max_kernels_per_client=per_client,
                        fill_delay=fill_delay, lessons=lessons)
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    # STP_CLASSROOM=1: kernels bind learners to the browser, never to a typed name (learner.browser);
    # STP_LESSON: the class page and the teacher's page take this lesson (classroom.lessons.served_lesson)
    env = {**voila_env(), **({"STP_CLASSROOM": "1"} if args.classroom else {}),
           **({"STP_LESSON": os.path.abspath(args.lesson)} if args.lesson else {})}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    try:
        if not _ready(proc, args.port, teacher or token, lesson=bool(args.lesson)):
            raise StpError(f"Voilà stopped before it served the gallery (exit status {proc.returncode}).",
                           fix="Read its messages above; 'stp serve --port N' picks another port.")
        address = _print_addresses(args, host, token, teacher)
        if not args.no_browser:
            webbrowser.open(address)
        return proc.wait()
    except _Stopped:
        return 0
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        _stop_tree(proc)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _lab(args: argparse.Namespace) -> int:
    cmd = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={paths.NOTEBOOKS_DIR}",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={args.port}"]
    if args.no_browser:
        cmd.append("--no-browser")
    try:
        return subprocess.call(cmd, env=voila_env())
    except KeyboardInterrupt:
        return 0


def _new_case(args: argparse.Namespace) -> int:
    from stp_helpers import case

    folder = case.new_case(args.slug, template=args.template, root=args.dir)
    print(f"Made {paths.relative(folder)}.")
    print(f"Fill in {paths.relative(folder / 'case.yaml')}, then run: stp check-case {paths.relative(folder)}")
    return 0


def _check_case(args: argparse.Namespace) -> int:
    from stp_helpers import case

    target = args.path
    if not os.path.isdir(target):
        target = str(case.find(target))
    problems = case.check(target)
    if not problems:
        print(f"{paths.relative(target)}: no problems found.")
        return 0
    for problem in problems:
        print(str(problem))
    print(f"{len(problems)} problem(s) found.")
    return 1


def _portfolio(args: argparse.Namespace) -> int:
    from stp_helpers.learner.pdf import write_pdf
    from stp_helpers.learner.portfolio import write_csv, write_portfolio
    from stp_helpers.learner.store import PortfolioStore

    learner = args.learner or os.environ.get("STP_LEARNER", "").strip()
    if not learner:
        raise StpError("No learner named.", fix="Pass --learner NAME or set STP_LEARNER.")
    store = PortfolioStore(learner)
    print(store.coverage_line())
    if args.out or not (args.pdf or args.csv):
        target = write_portfolio(store, args.out or f"portfolio-{learner}.html", overwrite=args.overwrite)
        print(f"Wrote {paths.relative(target)}: open it in any browser (it needs no network).")
    if args.csv:
        print(f"Wrote {paths.relative(write_csv(store, args.csv, overwrite=args.overwrite))}: evidence items with KSB claims.")
    if args.pdf:
        print(f"Wrote {paths.relative(write_pdf(store, args.pdf, overwrite=args.overwrite))}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stp", description="The stp-workbook of systems thinking methods.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the Voilà gallery on 127.0.0.1 (Ctrl+C stops it and every kernel)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--no-browser", action="store_true", help="do not open a browser")
    serve.add_argument("--classroom", action="store_true",
                       help="listen on the local network with a token, for a class (explicit opt-in)")
    serve.add_argument("--host", default=None, help="with --classroom: the address to listen on (default all)")
    serve.add_argument("--max-kernels", type=int, default=40, help="most apps open at once (default 40)")
    serve.add_argument("--max-kernels-per-client", type=int, default=None, metavar="N",
                       help="most apps one device may keep open (default: 5 with --classroom, else no limit)")
    serve.add_argument("--cull-idle", type=int, default=45, metavar="SECONDS",
                       help="stop an app's kernel once no page has used it for this long (default 45)")
    serve.add_argument("--preheat", action="append", default=None, metavar="NOTEBOOK[:N]",
                       help="keep N kernels (default 1) ready, already run, for this notebook (repeatable; "
                            "default: the gallery), e.g. teaching/class.ipynb:30 before a class opens it. "
                            "Each kernel costs about 170-290 MB.")
    serve.add_argument("--lesson", default=None, metavar="LESSON",
                       help="a lesson (a shipped lesson's name or a YAML file): preheat a kernel per student for "
                            "the app it opens, and print the address only once they are ready")
    serve.add_argument("--class-size", type=int, default=30, metavar="N",
                       help="with --lesson: how many students open each of its notebooks (default 30)")
    serve.set_defaults(func=_serve)
    lab = sub.add_parser("lab", help="open the notebooks in JupyterLab")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=_lab)
    new = sub.add_parser("new-case", help="make a case folder from the template or another case")
    new.add_argument("slug")
    new.add_argument("--from", dest="template", default=None, help="a case to copy (slug or folder)")
    new.add_argument("--dir", default=None, help="where to put it (default: $STP_DATA, else ./cases)")
    new.set_defaults(func=_new_case)
    check = sub.add_parser("check-case", help="check every file of a case folder")
    check.add_argument("path", help="a case folder or slug")
    check.set_defaults(func=_check_case)
    port = sub.add_parser("portfolio", help="build a self-contained HTML portfolio of evidence")
    port.add_argument("--learner", default=None, help="learner name (default: $STP_LEARNER)")
    port.add_argument("--out", default=None, help="file to write (default: portfolio-LEARNER.html)")
    port.add_argument("--pdf", default=None, metavar="FILE", help="also print it to this PDF (headless Chromium)")
    port.add_argument("--csv", default=None, metavar="FILE", help="also write the evidence items and KSB claims as CSV")
    port.add_argument("--overwrite", action="store_true", help="replace an existing file")
    port.set_defaults(func=_portfolio)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``stp`` command; return its exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StpError as err:
        print(str(err), file=sys.stderr)
        return 1
    except Exception as err:  # a bug, not a user's mistake: say so without a traceback
        print(f"stp {args.command}: internal error ({type(err).__name__}: {err}). "
              "Please report it with the command you ran; set STP_DEBUG=1 to see the traceback.",
              file=sys.stderr)
        if os.environ.get("STP_DEBUG"):
            raise
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
