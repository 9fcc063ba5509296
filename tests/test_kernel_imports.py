"""A kernel that draws charts stays light: vl-convert is loaded only by processes that export images."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SHOW_A_CHART = textwrap.dedent("""
    import sys
    import pandas as pd
    import stp_helpers.charts as charts
    chart = charts.bar_chart(pd.DataFrame({"agency": ["Police", "Housing"], "contacts": [238, 488]}),
                             category="agency", value="contacts", value_title="Contacts (count)",
                             title="Housing had the most contacts")
    widget = charts.show(chart)
    assert len(widget._esm) > 100_000, "the chart carries the offline bundle"
    print(sorted(name for name in ("vl_convert", "altair") if name in sys.modules))
""")


def _run(code: str, cache: Path) -> str:
    env = {**os.environ, "STP_CACHE": str(cache)}
    env.pop("STP_CHART_JS", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_showing_a_chart_with_no_cached_bundle_does_not_import_vl_convert(tmp_path: Path) -> None:
    # An empty cache: the bundle must be built, by a child process, not in the kernel.
    assert _run(SHOW_A_CHART, tmp_path) == "['altair']"
    bundles = list((tmp_path / "js").glob("jupyterchart-*.mjs"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 100_000


def test_showing_a_chart_with_the_cached_bundle_does_not_import_vl_convert(tmp_path: Path) -> None:
    _run(SHOW_A_CHART, tmp_path)
    assert _run(SHOW_A_CHART, tmp_path) == "['altair']"


def test_building_the_bundle_in_process_loads_vl_convert(tmp_path: Path) -> None:
    # The check above can fail: the in-process builder does load vl-convert.
    code = "import sys; from stp_helpers.charts.theme import build_bundle; build_bundle(); print('vl_convert' in sys.modules)"
    assert _run(code, tmp_path) == "True"
