"""Serving the workbook to a class: kernel cap, idle culling, classroom token, teacher's page.

``stp serve`` binds to 127.0.0.1, strips notebook sources and hides
tracebacks.  ``stp serve --classroom`` is the explicit opt-in to listen on the
local network: it requires a token, prints the address for each network
interface, and writes a page the teacher can project with the address and a
QR code.  Every app's kernel counts against a cap, and idle kernels are culled.

Examples
--------
>>> args = voila_arguments(max_kernels=40, cull_idle_seconds=900)
>>> "--CappedKernelManager.max_kernels=40" in args
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
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

from stp_helpers import chart_js, paths
from stp_helpers.atomic import write_atomic
from stp_helpers.display import HTML
from stp_helpers.errors import StpError

__all__ = ["CappedKernelManager", "voila_arguments", "preheat_arguments", "publish_chart_bundle",
           "chart_bundle_url", "classroom_token", "lan_addresses", "teacher_page"]

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
            subprocess.run([sys.executable, "-c", "from stp_helpers.charts import _bundle_text; _bundle_text()"],
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


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that refuses new kernels beyond ``max_kernels``.

    A class of 30 on one laptop must not exhaust its memory: past the cap the
    page says the class is full instead of slowing every app down.
    """

    max_kernels = Int(40, config=True, help="Most kernels running at once; 0 means no cap.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        bundle = publish_chart_bundle()
        base_url = str(getattr(self.parent, "base_url", "/") or "/")
        #: The chart JavaScript's address, told to every kernel (see ``charts.enable_offline``).
        self.chart_js_url = chart_bundle_url(bundle, base_url) if bundle else ""

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        if self.max_kernels and len(self.list_kernel_ids()) >= self.max_kernels:
            raise web.HTTPError(
                503, reason="The class is full",
                log_message=f"{self.max_kernels} apps are already open on this server. "
                            "Close an app you are not using, or ask the teacher to raise --max-kernels.")
        if self.chart_js_url:
            kwargs["env"] = {**(kwargs.get("env") or os.environ), chart_js.CHART_JS_ENV: self.chart_js_url}
        return await super().start_kernel(*args, **kwargs)


def voila_arguments(max_kernels: int = 40, cull_idle_seconds: int = 900) -> list[str]:
    """Voilà options for the kernel cap and for culling idle kernels."""
    manager = "CappedKernelManager"
    return [
        f"--VoilaConfiguration.multi_kernel_manager_class=stp_helpers.serving.{manager}",
        f"--{manager}.max_kernels={max_kernels}",
        f"--{manager}.cull_idle_timeout={cull_idle_seconds}",
        f"--{manager}.cull_interval={max(10, min(60, cull_idle_seconds // 4))}",
        f"--{manager}.cull_connected=False",
    ]


#: Most ready kernels one notebook's pool may keep (each holds its memory while the server runs).
MAX_POOL = 60


def preheat_arguments(notebooks: Sequence[str]) -> list[str]:
    """Voilà options that keep run kernels ready for each of ``notebooks``.

    Opening a preheated app skips starting a kernel and running the notebook.
    Each name may end in ``:N`` for a pool of N ready kernels (default 1),
    e.g. ``teaching/class.ipynb:30`` before a class of thirty opens the same
    page at once; each kernel costs its memory (about 170 MB for the class
    page) for as long as the server runs.

    >>> preheat_arguments(["index.ipynb"])[1]
    '--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 0}, "index.ipynb": {"pool_size": 1}}'
    >>> preheat_arguments(["teaching/class.ipynb:30"])[1]
    '--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 0}, "teaching/class.ipynb": {"pool_size": 30}}'
    """
    if not notebooks:
        return []
    from stp_helpers import catalogue

    known = {e.path for e in catalogue.CATALOGUE}
    pools: dict[str, dict[str, int]] = {"default": {"pool_size": 0}}
    for item in notebooks:
        name, _, size = item.partition(":")
        if name not in known:
            raise StpError(f"{name!r} is not a notebook of the workbook.",
                           fix="Name it as the gallery does, e.g. 'cases/wiltshire.ipynb'.")
        if size and not (size.isdigit() and 1 <= int(size) <= MAX_POOL):
            raise StpError(f"{item!r} asks for a pool of {size!r} kernels.",
                           fix=f"Give a whole number from 1 to {MAX_POOL}, e.g. '{name}:30'.")
        pools[name] = {"pool_size": int(size) if size else 1}
    return ["--preheat_kernel=True", f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}"]


def classroom_token() -> str:
    """A fresh random token for one lesson."""
    return secrets.token_urlsafe(9)


def lan_addresses() -> list[str]:
    """The machine's IPv4 addresses other than loopback (best effort, no traffic sent)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if not address.startswith("127."):
                found.add(address)
    except OSError:
        pass
    return sorted(found)


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
