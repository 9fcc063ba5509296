"""Re-opening a model whose translation is cached (target < 0.3 s).

The first ``load_model`` translates into the cache; later calls with the
same file content only hash the file and ``pysd.load`` the translated
Python.  Prints the median of the repeats per model and the machine.

Run: ``python benchmarks/sd_reopen.py [repeats]``
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from stp_helpers.sd import load_model

REPO = Path(__file__).resolve().parents[1]
MODELS = [
    REPO / "data" / "models" / "sir.mdl",
    REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl",
    REPO / "data" / "cases" / "stoke-neet" / "model.mdl",
]


def main(repeats: int = 20) -> None:
    print(f"sd_reopen: median of {repeats} re-opens of a cached model (target < 0.3 s)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    for path in MODELS:
        start = time.perf_counter()
        load_model(path)
        first = time.perf_counter() - start
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            load_model(path)
            times.append(time.perf_counter() - start)
        med = statistics.median(times)
        print(f"  {path.relative_to(REPO).as_posix():<45} first {first:6.2f} s, "
              f"re-open median {med * 1000:6.1f} ms  {'ok' if med < 0.3 else 'SLOW'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
