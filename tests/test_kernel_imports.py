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


REPO = Path(__file__).resolve().parents[1]


def _run_light(code: str, cache: Path, light: str) -> str:
    env = {**os.environ, "STP_CACHE": str(cache), "STP_LIGHT_KERNEL": light}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# As every notebook does, the page imports the workbook first.
LIGHT_PAGE = "from stp_helpers import case, charts\n" + SHOW_A_CHART + textwrap.dedent("""
    print(sys.modules.get("pyarrow") is not None, pd.Series(["a", "b"]).dtype.storage)
""")


def test_a_light_kernel_draws_a_chart_without_pyarrow(tmp_path: Path) -> None:
    # stp serve sets STP_LIGHT_KERNEL=1 for its kernels (stp_helpers.serving_kernels).
    assert _run_light(LIGHT_PAGE, tmp_path, "1").splitlines()[-1] == "False python"
    # The check can fail: by default pandas loads pyarrow and keeps strings in it.
    assert _run_light(LIGHT_PAGE, tmp_path, "").splitlines()[-1] == "True pyarrow"


def test_a_light_kernel_still_writes_and_reads_monte_carlo_parquet(tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        from stp_helpers.sd import load_model, uniform
        from stp_helpers.sd.parquet import monte_carlo_to_parquet, read_parquet_info
        print(sys.modules.get("pyarrow") is not None)
        model = load_model({str(REPO / "data" / "models" / "sir.mdl")!r})
        stored = monte_carlo_to_parquet(model, {{"contact rate": uniform(4, 6)}}, 6, 3,
                                        {str(tmp_path / "runs.parquet")!r}, outputs=["Infected"], workers=1,
                                        progress=False)
        info = read_parquet_info(stored.path)
        frame = stored.load()
        print(info.n, frame.values.shape, repr(float(frame.values.sum())), sys.modules.get("pyarrow") is not None)
    """)
    before, light = _run_light(code, tmp_path, "1").splitlines()
    assert before == "False" and light.split()[0] == "6" and light.endswith("True")
    # The same seed in a default process (pyarrow loaded by pandas) gives the same runs, value for value.
    (tmp_path / "runs.parquet").unlink()
    assert _run_light(code, tmp_path, "").splitlines() == ["True", light]
