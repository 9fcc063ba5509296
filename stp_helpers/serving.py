"""Serving the workbook to a class: Voilà's options, tokens, the class's address, the teacher's page.

``stp serve`` binds to 127.0.0.1, strips notebook sources and hides
tracebacks.  ``stp serve --classroom`` is the explicit opt-in to listen on the
local network: it makes a token for the students and one for the teacher,
prints the address for each network interface, and writes a page the teacher
can project with the address and a QR code.  Kernels are capped, for the
server and per client, and come back when their page goes (see
:mod:`stp_helpers.serving_kernels`); roles and the Host check live in
:mod:`stp_helpers.serving_app`.

Examples
--------
>>> args = voila_arguments(max_kernels=40, cull_idle_seconds=45)
>>> "--CappedKernelManager.max_kernels=40" in args and "--VoilaExecutor.iopub_timeout=120" in args
True
>>> page = teacher_page("http://192.168.1.20:8866/voila/render/index.ipynb?token=abc")
>>> "<svg" in page.html and "192.168.1.20" in page.text
True
"""

from __future__ import annotations

import html
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from stp_helpers import paths
from stp_helpers.charts import offline as chart_js
from stp_helpers.display import HTML
from stp_helpers.errors import StpError
from stp_helpers.io.atomic import write_atomic

__all__ = [
    "chart_bundle_url",
    "classroom_token",
    "lan_addresses",
    "lesson_preheat",
    "lesson_source",
    "preheat_arguments",
    "publish_chart_bundle",
    "teacher_page",
    "voila_arguments",
]

#: Where the workbook's Voilà template keeps its static files (served below
#: ``<base_url>voila/templates/stp/static/`` by Voilà, standalone or as an extension).
TEMPLATE_STATIC = paths.PACKAGE_DIR / "share" / "jupyter" / "voila" / "templates" / "stp" / "static"


def publish_chart_bundle(folder: Path = TEMPLATE_STATIC) -> Path | None:
    """Put the chart widget's JavaScript in the template's static folder, once per version.

    The bundle is copied from the workbook's cache (built there by
    ``vl-convert-python`` in a child process if missing, so the server never
    loads it).  Its name carries a digest of the library versions, so a
    browser may cache it for good.  Returns the file, or ``None`` when the
    folder cannot be written (charts then carry the bundle inline, as before).
    """
    cached = paths.cache_dir("js") / chart_js.bundle_name()
    target = folder / cached.name
    if target.exists() and target.stat().st_size > 0:
        return target
    try:
        if not cached.exists():
            subprocess.run([sys.executable, "-c", "from stp_helpers.charts.theme import build_bundle; build_bundle()"],
                           check=True, capture_output=True, timeout=300)
        write_atomic(target, cached.read_bytes())
    except (OSError, subprocess.SubprocessError):
        return None
    return target


def chart_bundle_url(bundle: Path, base_url: str = "/") -> str:
    """The address of a published bundle on a Voilà server at ``base_url``.

    The ``v`` query makes Tornado's static handler send a ten-year
    ``Cache-Control`` header, so every app after the first loads it from the
    browser's cache.

    >>> chart_bundle_url(Path("jupyterchart-0123.mjs"), "/user/ann/")
    '/user/ann/voila/templates/stp/static/jupyterchart-0123.mjs?v=0123'
    """
    digest = bundle.stem.rsplit("-", 1)[-1]
    return f"{base_url.rstrip('/')}/voila/templates/stp/static/{bundle.name}?v={digest}"


#: Seconds nbclient waits for a cell's output, and for a kernel to start, when 30 kernels start
#: at once on two cores (nbclient's 4 s default dropped outputs: issue 25).
IOPUB_TIMEOUT, KERNEL_START_TIMEOUT = 120, 180


def voila_arguments(max_kernels: int = 40, cull_idle_seconds: int = 45, max_kernels_per_client: int = 0,
                    iopub_timeout: int = IOPUB_TIMEOUT, start_timeout: int = KERNEL_START_TIMEOUT) -> list[str]:
    """Voilà options for the kernel caps, for stopping kernels no page uses, and for a busy machine.

    A kernel with no page connected (closed, reloaded, never opened by a
    browser) stops after ``cull_idle_seconds`` idle; the culler looks every
    10 s at most, so such a kernel is gone within a minute by default.
    """
    manager = "CappedKernelManager"
    return [
        f"--VoilaConfiguration.multi_kernel_manager_class=stp_helpers.serving_kernels.{manager}",
        f"--{manager}.max_kernels={max_kernels}",
        f"--{manager}.max_kernels_per_client={max_kernels_per_client}",
        f"--{manager}.cull_idle_timeout={cull_idle_seconds}",
        f"--{manager}.cull_interval={max(5, min(10, cull_idle_seconds // 3))}",
        f"--{manager}.cull_connected=False",
        f"--{manager}.kernel_info_timeout={start_timeout}",
        f"--VoilaExecutor.iopub_timeout={iopub_timeout}",
        f"--VoilaExecutor.startup_timeout={start_timeout}",
    ]


#: Most ready kernels one notebook's pool may keep (each holds its memory while the server runs).
MAX_POOL = 60


def preheat_arguments(notebooks: Sequence[str], fill_delay: float | None = None) -> list[str]:
    """Voilà options that keep run kernels ready for each of ``notebooks``.

    Opening a preheated app skips starting a kernel and running the notebook.
    Each name may end in ``:N`` for a pool of N ready kernels (default 1),
    e.g. ``teaching/class.ipynb:30`` before a class of thirty opens the same
    page at once; each kernel costs its memory (about 170 MB for the class
    page) for as long as the server runs.  A pool refills ``fill_delay``
    seconds after each kernel it gives (Voilà's default: 1 s).

    >>> preheat_arguments(["index.ipynb"])[1]
    '--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 0}, "index.ipynb": {"pool_size": 1}}'
    >>> preheat_arguments(["teaching/class.ipynb:30"], fill_delay=600)[1:]
    ['--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 0}, "teaching/class.ipynb": {"pool_size": 30}}', '--VoilaKernelManager.fill_delay=600']
    """
    if not notebooks:
        return []
    known = set(_catalogue_paths())
    pools: dict[str, dict[str, int]] = {"default": {"pool_size": 0}}
    for item in notebooks:
        name, _, size = item.partition(":")
        if name not in known:
            raise StpError(f"{name!r} is not a notebook of the workbook.",
                           fix="Name it as the gallery does, e.g. 'cases/wiltshire.ipynb'.")
        if size and not (size.isdigit() and 1 <= int(size) <= MAX_POOL):
            raise StpError(f"{item!r} asks for a pool of {size!r} kernels.",
                           fix=f"Give a whole number from 1 to {MAX_POOL}, e.g. '{name}:30'.")
        pools[name] = {"pool_size": max(int(size) if size else 1, pools.get(name, {}).get("pool_size", 0))}
    delay = [] if fill_delay is None else [f"--VoilaKernelManager.fill_delay={fill_delay:g}"]
    return ["--preheat_kernel=True", f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}", *delay]


def _catalogue_paths() -> list[str]:
    """Every notebook below ``notebooks/``, as the gallery names it (e.g. ``cases/wiltshire.ipynb``)."""
    root = paths.NOTEBOOKS_DIR
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def lesson_preheat(lesson: str | os.PathLike[str], class_size: int) -> list[str]:
    """What ``stp serve --lesson`` preheats: a kernel per student for each notebook every student
    opens, and one for the teacher's page.

    The notebooks come from teacher mode's reader of the lesson file (a
    shipped lesson's name or a path); the class page itself needs no kernel.

    >>> lesson_preheat("cld-loop-polarity", 30)
    ['methods/cld.ipynb:30', 'teaching/teacher.ipynb:1']
    """
    # imported here: the lesson reader validates with pydantic, which only --lesson needs
    from stp_helpers.classroom.lessons import TEACHER_PAGE, lesson_notebooks, lesson_path

    if not 1 <= class_size <= MAX_POOL:
        raise StpError(f"A class of {class_size} cannot be preheated.",
                       fix=f"Give --class-size a whole number from 1 to {MAX_POOL}.")
    apps = [name for name in lesson_notebooks(lesson_path(lesson)) if name != TEACHER_PAGE]
    return [f"{name}:{class_size}" for name in apps] + [f"{TEACHER_PAGE}:1"]


def lesson_source(lesson: str | os.PathLike[str]) -> tuple[str, list[str]]:
    """A lesson's name on the class page, and the lesson files the server must be told about.

    >>> lesson_source("cld-loop-polarity")
    ('cld-loop-polarity', [])
    """
    # imported here: the lesson reader validates with pydantic, which only --lesson needs
    from stp_helpers.classroom.lessons import lesson_path, shipped_lessons

    path = lesson_path(lesson)
    shipped = str(lesson) in shipped_lessons()
    return path.stem, ([] if shipped else [str(path.resolve())])


def classroom_token() -> str:
    """A fresh random token for one lesson (a class's, or its teacher's)."""
    return secrets.token_urlsafe(12)


def lan_addresses() -> list[str]:
    """The IPv4 addresses of this machine's network interfaces that are up, other than loopback.

    Read from the interfaces themselves, not from the hostname: Debian
    resolves the hostname to 127.0.1.1, which no other device can reach.
    """
    import psutil  # imported here: only --classroom needs the interfaces

    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    found = {str(a.address) for name, addrs in psutil.net_if_addrs().items() if name in up
             for a in addrs if a.family == socket.AF_INET}
    return sorted((a for a in found if not a.startswith(("127.", "169.254."))),
                  key=lambda a: (not a.startswith(("192.168.", "10.", "172.")), a))


def teacher_page(url: str) -> HTML:
    """A page to project: the class's address in large type and as a QR code."""
    import segno

    qr = segno.make(url, error="m").svg_inline(scale=8, dark="#000000", light="#ffffff")
    safe = html.escape(url)
    body = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Join the class</title>"
        "<style>body{font-family:system-ui,sans-serif;text-align:center;margin:3em}"
        "p.url{font-size:28px;word-break:break-all}</style></head><body>"
        f"<h1>Join the class</h1><p>Scan the code or type the address:</p>{qr}<p class='url'>{safe}</p>"
        "<p>Works on this room's network only; nothing leaves it.</p></body></html>"
    )
    return HTML(body, f"Join the class at {url}")
