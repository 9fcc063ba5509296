"""Slider change → updated run data, for each shipped model (target < 30 ms).

Each repeat moves the first slider (``parameter_specs``) to a new value and
runs the model, as an app's update handler does.  Prints the median of the
repeats per model and the machine.

Run: ``python benchmarks/sd_slider.py [repeats]``
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

from stp_helpers.sd import load_model, parameter_specs

REPO = Path(__file__).resolve().parents[1]
MODELS = [
    REPO / "data" / "models" / "bathtub.mdl",
    REPO / "data" / "models" / "population_limits.mdl",
    REPO / "data" / "models" / "sir.mdl",
    REPO / "data" / "models" / "failure_demand.mdl",
    REPO / "data" / "cases" / "wiltshire-complex-needs" / "model.mdl",
    REPO / "data" / "cases" / "stoke-neet" / "model.mdl",
]


def machine() -> str:
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def main(repeats: int = 30) -> None:
    print(f"sd_slider: median of {repeats} slider moves (target < 30 ms)")
    print("machine:", machine())
    for path in MODELS:
        model = load_model(path)
        spec = parameter_specs(model)[0]
        values = [spec.min + (spec.max - spec.min) * (i % 10) / 9 for i in range(repeats)]
        columns = model.stocks + model.flows
        model.run(params={spec.name: values[0]}, return_columns=columns)  # warm up
        times = []
        for value in values:
            start = time.perf_counter()
            model.run(params={spec.name: value}, return_columns=columns)
            times.append((time.perf_counter() - start) * 1000)
        med = statistics.median(times)
        steps = (model.time_settings["FINAL TIME"] - model.time_settings["INITIAL TIME"]) / (
            model.time_settings["TIME STEP"])
        flag = "ok" if med < 30 else "SLOW"
        print(f"  {model.name:<26} {med:7.1f} ms  ({int(steps)} steps, slider "
              f"{spec.name!r})  {flag}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
