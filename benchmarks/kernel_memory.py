"""Memory of an app's kernel after its page has run (goal: an app kernel <= 200 MB).

For each notebook of the catalogue, a fresh kernel (the venv's ``python3``)
runs every cell with nbclient, as Voilà does when it serves the page, and the
kernel process's resident memory (RSS) is read with psutil before it stops.
The kernel gets ``STP_CHART_JS`` as under ``stp serve``, so its chart widgets
carry the two-line loader rather than the whole bundle; each notebook runs
twice, with pandas' default (pyarrow loaded) and as ``stp serve`` starts its
kernels (``STP_LIGHT_KERNEL=1``: pyarrow hidden from pandas).  The import cost table
measures each step in a fresh plain process: Python, + ipykernel, + pandas
(with and without pyarrow), + Altair, + the workbook's charts and one shown
chart, + vl-convert.

Run: ``python benchmarks/kernel_memory.py`` (representative subset) or
``python benchmarks/kernel_memory.py --all`` (every notebook; slow on a
shared 2-core machine), or name notebooks: ``... index.ipynb duty07.ipynb``.
"""

from __future__ import annotations

import ast
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from stp_helpers import catalogue

SUBSET = ("index.ipynb", "teaching/class.ipynb", "methods/cld.ipynb", "methods/stock_flow.ipynb",
          "cases/wiltshire.ipynb", "duty07.ipynb")

#: Each step adds to the previous ones; run in a fresh process and print RSS in MB.
STEPS = (
    ("Python", ""),
    ("+ ipykernel", "import ipykernel.kernelapp"),
    ("+ pandas", "import pandas"),
    ("+ Altair", "import altair"),
    ("+ stp_helpers.charts, one chart shown", "import stp_helpers.charts as c, pandas as pd; "
     "c.show(c.bar_chart(pd.DataFrame({'a': ['x', 'y'], 'v': [1, 2]}), category='a', value='v', "
     "value_title='V', title='T'))"),
    ("+ vl-convert", "import vl_convert"),
)
NO_PYARROW = "import sys; sys.modules['pyarrow'] = None"


def _step_rss(code: str) -> float:
    probe = f"{code}\nimport psutil, sys; print(psutil.Process().memory_info().rss / 1e6)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def import_costs() -> None:
    print("\nImport cost in a plain process (RSS, MB)")
    print(f"{'Step':44} {'with pyarrow':>13} {'pyarrow hidden':>15}")
    code_with, code_without = [], [NO_PYARROW]
    for name, line in STEPS:
        if line:
            code_with.append(line)
            code_without.append(line)
        with_pa = _step_rss("\n".join(code_with) or "pass")
        without = _step_rss("\n".join(code_without))
        print(f"{name:44} {with_pa:13.0f} {without:15.0f}")


def kernel_rss(path: Path, light: bool) -> tuple[float, float, set[str]]:
    """RSS (MB) of a fresh kernel after running the notebook, the seconds taken, and heavy modules loaded.

    ``light`` sets ``STP_LIGHT_KERNEL=1`` as ``stp serve`` does for its kernels (pandas without pyarrow).
    """
    os.environ["STP_LIGHT_KERNEL"] = "1" if light else ""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        probe = nbformat.v4.new_code_cell(
            "import sys as _s; print(sorted(m for m in ('pyarrow', 'vl_convert', 'altair', 'pandas', 'pysd') "
            "if m in _s.modules))")
        nb.cells.append(probe)  # only in this in-memory copy: the notebook file is not written
        client.execute_cell(probe, len(nb.cells) - 1)
        loaded = set(ast.literal_eval(probe.outputs[0]["text"]))
        rss = psutil.Process(client.km.provisioner.pid).memory_info().rss / 1e6
    return rss, time.perf_counter() - start, loaded


def main(argv: list[str]) -> None:
    if "--all" in argv:
        names = [e.path for e in catalogue.entries()]
    else:
        names = [a for a in argv if not a.startswith("--")] or list(SUBSET)
    os.environ["STP_CLASSROOM_DB"] = str(Path(tempfile.mkdtemp(prefix="stp-class-")) / "class.sqlite3")
    os.environ["STP_CHART_JS"] = "/voila/templates/stp/static/jupyterchart-0.mjs?v=0"
    print(f"kernel_memory: {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start (goal: an app kernel <= 200 MB)")
    import_costs()
    print("\nApp kernels after the page has run (RSS, MB)")
    print(f"{'Notebook':30} {'default':>8} {'stp serve':>10} {'run s':>6}  heavy modules (stp serve)")
    sizes = []
    for name in names:
        path = catalogue.notebook_path(catalogue.entry(name))
        before, _, _ = kernel_rss(path, light=False)
        rss, seconds, loaded = kernel_rss(path, light=True)
        sizes.append(rss)
        print(f"{name:30} {before:8.0f} {rss:10.0f} {seconds:6.1f}  {', '.join(sorted(loaded)) or '-'}", flush=True)
    print(f"\n{len(sizes)} kernels as stp serve starts them: median {sorted(sizes)[len(sizes) // 2]:.0f} MB, max {max(sizes):.0f} MB; "
          f"{sum(s <= 200 for s in sizes)} of {len(sizes)} <= 200 MB; load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main(sys.argv[1:])
