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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

__all__ = ["CHART_JS_ENV", "bundle_digest", "bundle_name", "chart_svg"]

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


def chart_svg(chart: "alt.TopLevelMixin") -> str:
    """An Altair chart as an SVG string (vl-convert; no JavaScript, no network).

    Only the processes that export images (reports, portfolios) call this, so
    vl-convert is imported here and never by an app's kernel.
    """
    import vl_convert  # heavy (about 90 MB): only processes that export images load it

    return vl_convert.vegalite_to_svg(chart.to_dict())

