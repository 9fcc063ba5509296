"""The ``stp`` command: serve the gallery, open JupyterLab, make and check cases.

    stp serve                 the Voilà gallery on http://127.0.0.1:8866
    stp lab                   JupyterLab on the notebooks
    stp new-case SLUG [--from CASE] [--dir DIR]
    stp check-case PATH       every problem with file, row/field and a fix; exit 1 if any
    stp portfolio [--learner NAME] [--out FILE]   a self-contained HTML portfolio of evidence

User mistakes print a message and exit with status 1 (2 for wrong usage);
they never print a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
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
                  token: str = "", max_kernels: int = 40, cull_idle_seconds: int = 900,
                  preheat: Sequence[str] = ()) -> list[str]:
    """Return the command line that serves the notebooks folder with Voilà.

    Sources are stripped, tracebacks hidden, kernels capped and idle ones culled.
    Without a token, only 127.0.0.1 may be used as ``host``.  Notebooks named in
    ``preheat`` (paths below ``notebooks/``) keep one kernel ready, already run.
    """
    from stp_helpers.serving import preheat_arguments, voila_arguments

    if host not in ("127.0.0.1", "localhost") and not token:
        raise StpError(f"Serving on {host} needs a token.", fix="Use 'stp serve --classroom', which makes one.")
    return [
        sys.executable, "-m", "voila", str(paths.NOTEBOOKS_DIR),
        f"--port={port}", f"--Voila.ip={host}", "--template=stp",
        "--strip_sources=True", "--show_tracebacks=False", f"--token={token}",
        *voila_arguments(max_kernels=max_kernels, cull_idle_seconds=cull_idle_seconds),
        *preheat_arguments(preheat),
        *(["--no-browser"] if not open_browser else []),
    ]


def _wait_for(url: str, seconds: float = 60) -> bool:
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            time.sleep(0.3)
    return False


def _serve(args: argparse.Namespace) -> int:
    import subprocess
    import webbrowser

    from stp_helpers import serving

    args.preheat = args.preheat if args.preheat is not None else ["index.ipynb"]
    token, host = "", "127.0.0.1"
    if args.classroom:
        token = serving.classroom_token()
        host = args.host or "0.0.0.0"
    elif args.host and args.host not in ("127.0.0.1", "localhost"):
        raise StpError("Listening beyond this computer needs the explicit classroom mode.",
                       fix="Use 'stp serve --classroom' (it prints a token for the class).")
    query = f"?token={token}" if token else ""
    local = f"http://127.0.0.1:{args.port}/voila/render/index.ipynb{query}"
    cmd = voila_command(args.port, host, token=token, max_kernels=args.max_kernels,
                        cull_idle_seconds=args.cull_idle, preheat=args.preheat)
    proc = subprocess.Popen(cmd, env=voila_env())
    try:
        if _wait_for(f"http://127.0.0.1:{args.port}/login"):
            print(f"The stp-workbook gallery is at {local} (Ctrl+C to stop)", flush=True)
            if args.classroom:
                addresses = serving.lan_addresses() if host == "0.0.0.0" else [host]
                urls = [f"http://{a}:{args.port}/voila/render/index.ipynb{query}" for a in addresses]
                for url in urls:
                    print(f"Class address: {url}", flush=True)
                page = serving.teacher_page(urls[0] if urls else local)
                target = paths.cache_dir("classroom") / "join.html"
                target.write_text(page.html, encoding="utf-8")
                print(f"Teacher's page with a QR code: {target}", flush=True)
            if not args.no_browser:
                webbrowser.open(local)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return 0


def _lab(args: argparse.Namespace) -> int:
    import subprocess

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
    from stp_helpers.learner.portfolio import write_portfolio
    from stp_helpers.learner.progress import ProgressStore

    learner = args.learner or os.environ.get("STP_LEARNER", "").strip()
    if not learner:
        raise StpError("No learner named.", fix="Pass --learner NAME or set STP_LEARNER.")
    target = write_portfolio(ProgressStore(learner), args.out or f"portfolio-{learner}.html",
                             overwrite=args.overwrite)
    print(f"Wrote {paths.relative(target)}: open it in any browser (it needs no network).")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stp", description="The stp-workbook of systems thinking methods.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the Voilà gallery on 127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--no-browser", action="store_true", help="do not open a browser")
    serve.add_argument("--classroom", action="store_true",
                       help="listen on the local network with a token, for a class (explicit opt-in)")
    serve.add_argument("--host", default=None, help="with --classroom: the address to listen on (default all)")
    serve.add_argument("--max-kernels", type=int, default=40, help="most apps open at once (default 40)")
    serve.add_argument("--cull-idle", type=int, default=900, help="seconds before an idle app's kernel stops")
    serve.add_argument("--preheat", action="append", default=None, metavar="NOTEBOOK[:N]",
                       help="keep N kernels (default 1) ready, already run, for this notebook (repeatable; "
                            "default: the gallery), e.g. teaching/class.ipynb:30 before a class opens it. "
                            "Each kernel costs about 170-290 MB.")
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
