"""The kernels of ``stp serve``: a cap for the server and for each client, and kernels that come back.

Every page Voilà serves starts (or takes from a preheated pool) a kernel
of 170-300 MB.  A class of 30 on one laptop must not exhaust its memory,
and one student must not be able to lock the others out, so:

- at most ``max_kernels`` kernels serve pages at once (kernels waiting in
  a preheated pool do not count: their number is fixed by the pool);
- at most ``max_kernels_per_client`` of them belong to one client address;
- a kernel whose page never connected, or whose page went away (closed,
  reloaded, navigated elsewhere, the browser crashed), is stopped after
  ``cull_idle_timeout`` seconds with no connection and no work (``stp
  serve --cull-idle``, 45 s by default); a connected kernel is kept.

The page's own shutdown request (sent when it closes) frees its kernel at
once; the cull is the backstop for the pages that cannot send it.

Examples
--------
>>> pages = {"k1": ClientKernel("10.0.0.7"), "k2": ClientKernel("10.0.0.7")}
>>> refusal(pages, "10.0.0.7", max_kernels=3, per_client=2).reason
'You have too many apps open'
>>> refusal(pages, "10.0.0.8", max_kernels=3, per_client=2) is None
True
>>> pages["k3"] = ClientKernel("10.0.0.9")
>>> refusal(pages, "10.0.0.8", max_kernels=3, per_client=2).reason
'The class is full'
"""

from __future__ import annotations

import os
import time
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

from stp_helpers import LIGHT_KERNEL_ENV
from stp_helpers.charts import offline as chart_js
from stp_helpers.serving import chart_bundle_url, publish_chart_bundle

__all__ = ["CappedKernelManager", "ClientKernel", "full_message", "refusal"]

#: Where the "class is full" page sends the teacher.
FIX_FULL = ("Teacher: restart with a higher cap, e.g. 'stp serve --classroom --max-kernels 60' "
            "(each app costs about 200-300 MB of memory), or free kernels sooner with a shorter "
            "'--cull-idle SECONDS' (default 45: a kernel no page is connected to stops after that long). "
            "Closing an app frees its kernel at once.")
#: What a student who opened too many apps is told.
FIX_CLIENT = ("Close an app you are not using (its tab), then reload this page. "
              "Teacher: 'stp serve --max-kernels-per-client N' sets how many apps one device may keep open.")


def full_message(max_kernels: int) -> str:
    """The text of the "class is full" page for a cap of ``max_kernels``.

    >>> "--max-kernels" in full_message(40) and "--cull-idle" in full_message(40)
    True
    """
    return f"{max_kernels} apps are open on this server, its limit. {FIX_FULL}"


class ClientKernel:
    """Whose page a kernel serves, and since when it has had no page connected."""

    __slots__ = ("client", "since")

    def __init__(self, client: str) -> None:
        self.client = client
        #: ``time.monotonic()`` when the kernel was given to a page or its last page left.
        self.since = time.monotonic()


def refusal(pages: dict[str, ClientKernel], client: str | None, max_kernels: int,
            per_client: int) -> web.HTTPError | None:
    """The error that refuses one more page to ``client``, or ``None`` when it may have one.

    ``pages`` are the kernels serving pages now; ``client`` ``None`` checks
    the server's cap only; a cap of 0 is no cap.
    """
    if max_kernels and len(pages) >= max_kernels:
        return web.HTTPError(503, reason="The class is full", log_message=full_message(max_kernels))
    mine = sum(1 for page in pages.values() if page.client == client)
    if client is not None and per_client and mine >= per_client:
        return web.HTTPError(
            503, reason="You have too many apps open",
            log_message=f"This device already has {mine} apps open, the most one device may. {FIX_CLIENT}")
    return None


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager with a cap for the server and per client, that frees unconnected kernels."""

    max_kernels = Int(40, config=True, help="Most kernels serving pages at once; 0 means no cap.")
    max_kernels_per_client = Int(0, config=True,
                                 help="Most kernels serving one client address at once; 0 means no cap.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        bundle = publish_chart_bundle()
        base_url = str(getattr(self.parent, "base_url", "/") or "/")
        #: The chart JavaScript's address, told to every kernel (see ``charts.enable_offline``).
        self.chart_js_url = chart_bundle_url(bundle, base_url) if bundle else ""
        #: Kernels serving pages (not those waiting in a pool), by kernel id.
        self.pages: dict[str, ClientKernel] = {}

    # --- the caps -------------------------------------------------------------------------

    def assign(self, kernel_id: str, client: str) -> None:
        """Record that ``kernel_id`` now serves a page of ``client`` (an address)."""
        if kernel_id not in self.pages:
            self.pages[kernel_id] = ClientKernel(client)

    def refusal(self, client: str | None) -> web.HTTPError | None:
        """The error that refuses one more page to ``client`` here, or ``None`` (see :func:`refusal`)."""
        alive = set(self.list_kernel_ids())
        for gone in [k for k in self.pages if k not in alive]:
            del self.pages[gone]
        return refusal(self.pages, client, self.max_kernels, self.max_kernels_per_client)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        env = dict(kwargs.get("env") or os.environ)
        preheating = env.get("VOILA_PREHEAT") == "True"
        if not preheating:
            error = self.refusal(None)
            if error is not None:
                raise error
        if self.chart_js_url:
            env[chart_js.CHART_JS_ENV] = self.chart_js_url
        env.setdefault(LIGHT_KERNEL_ENV, "1")  # pandas without pyarrow: about 35 MB less per kernel
        kwargs["env"] = env
        kernel_id = await super().start_kernel(*args, **kwargs)
        if not preheating:
            handler = CallContext.get(CallContext.JUPYTER_HANDLER)
            self.assign(kernel_id, handler.request.remote_ip if handler is not None else "")
        return kernel_id

    # --- kernels that come back ----------------------------------------------------------

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        if kernel_id in self.pages and not self._kernel_connections.get(kernel_id, 0):
            self.pages[kernel_id].since = time.monotonic()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        page = self.pages.get(kernel_id)
        kernel = self._kernels.get(kernel_id)
        if page is not None and kernel is not None:
            if self._kernel_connections.get(kernel_id, 0):
                return  # a page is connected: its kernel stays
            idle = (utcnow() - getattr(kernel, "last_activity", utcnow())).total_seconds()
            alone = time.monotonic() - page.since
            if getattr(kernel, "execution_state", "") != "busy" and min(idle, alone) > self.cull_idle_timeout:
                self.log.info("Stopping kernel %s: no page has been connected to it for %d s.",
                              kernel_id, int(min(idle, alone)))
                await ensure_async(self.shutdown_kernel(kernel_id))
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self.pages.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
