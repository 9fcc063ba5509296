"""Where the chart widget's offline JavaScript lives, without importing Altair.

The Voilà server (``stp_helpers.serving``) publishes the bundle as a static
file and tells its kernels the address in :data:`CHART_JS_ENV`; the kernels
(``stp_helpers.charts.enable_offline``) then send each chart widget a
two-line module that imports it.  This module only names things, so the
server can use it without loading Altair, pandas or vl-convert.

Examples
--------
>>> bundle_name().startswith("jupyterchart-") and bundle_name().endswith(".mjs")
True
>>> len(bundle_digest())
16
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

__all__ = ["CHART_JS_ENV", "bundle_digest", "bundle_name"]

#: Environment variable the workbook's Voilà server sets for its kernels: the
#: address (a path on that server) of the chart JavaScript it serves as a file.
CHART_JS_ENV = "STP_CHART_JS"


def bundle_digest() -> str:
    """A digest of the versions that make up the bundle (Altair, vl-convert, anywidget)."""
    key = f"altair-{version('altair')}-vlc-{version('vl-convert-python')}-anywidget-{version('anywidget')}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def bundle_name() -> str:
    """The bundle's file name, the same in the cache and on the server."""
    return f"jupyterchart-{bundle_digest()}.mjs"
