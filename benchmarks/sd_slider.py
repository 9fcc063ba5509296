"""A PolicyExplorer slider move, end to end on the server (goal: at most 30 ms).

For each model with policy levers, the app is built once; then each repeat
moves a slider to a value not used before (so the model really runs), as a
browser would.  The time covers everything the server does for that move:
the observer, the run (the baseline comes from the app's cache), the title,
the new chart data, the status line, and the widget messages serialised and
signed as the kernel sends them.  The same moves are then timed the way the
app worked before: rebuilding the whole chart (baseline run again, chart
built and validated) and serialising it.

Prints the median and 90th percentile per model, side by side, with the
machine and its load.

Run: ``python benchmarks/sd_slider.py [repeats]``
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from typing import Any

import comm
import numpy as np
from comm.base_comm import BaseComm
from jupyter_client.session import Session

from stp_helpers import sd
from stp_helpers.charts import sd as sd_charts
from stp_helpers.widgets.policy import PolicyExplorer

SESSION = Session(key=b"benchmark")


class PackingComm(BaseComm):
    """A comm that serialises and signs each message as ipykernel's session does."""

    def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None,
                    buffers: Any = None, **keys: Any) -> None:
        content = {"data": {} if data is None else data, "comm_id": self.comm_id, **keys}
        SESSION.serialize(SESSION.msg(msg_type, content=content, metadata=metadata or {}))


comm.create_comm = lambda **kwargs: PackingComm(**kwargs)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load average {load:.1f}")


def apps() -> list[tuple[str, PolicyExplorer, str]]:
    """(label, app, lever moved) for the case models and two teaching models."""
    out = []
    for slug, switch, lever in (("wiltshire-complex-needs", "early help switch", "early help reach"),
                                ("stoke-neet", "january start switch", "follow up dropout reduction")):
        app = PolicyExplorer.from_case(slug)
        app.sliders[switch].value = 1  # the policy on, so that its lever acts
        out.append((slug, app, lever))
    for name, lever in (("bathtub", "tap flow"), ("sir", "contact rate")):
        model = sd.teaching_model(name)
        out.append((name, PolicyExplorer(model, levers=[lever]), lever))
    return out


def values_for(app: PolicyExplorer, lever: str, n: int) -> list[float]:
    """Up to ``n`` values on the slider's grid, in a fixed shuffled order, none repeated."""
    slider = app.sliders[lever]
    count = int(round((slider.max - slider.min) / slider.step))
    grid = [round(slider.min + slider.step * k, 10) for k in range(count + 1)]
    order = np.random.default_rng(20240601).permutation(len(grid))
    return [grid[i] for i in order if grid[i] != slider.value][:n]


def rebuild(app: PolicyExplorer, params: dict[str, float]) -> None:
    """The update as the app did it before: a new chart, validated and serialised."""
    chart = sd_charts.outcome_chart(app._model, app._outputs, params=params, subtitle=app._subtitle)
    SESSION.serialize(SESSION.msg("comm_msg", content={"data": {"state": {"spec": chart.to_dict()}}}))


def main(repeats: int = 20) -> None:
    print(f"sd_slider: PolicyExplorer slider move, end to end on the server; median (p90) of up to "
          f"{repeats} moves to new values; goal <= 30 ms")
    print("machine:", machine())
    print(f"{'model':28} {'lever':28} {'n':>3} {'model.run alone':>17} {'app update':>17} "
          f"{'rebuilt chart':>17}")
    for label, app, lever in apps():
        values = values_for(app, lever, repeats)
        slider = app.sliders[lever]
        now, before, alone = [], [], []
        every = {n: s.value for n, s in app.sliders.items()}
        for value in values:
            start = time.perf_counter()
            nudged = value - slider.step / 7 if value > slider.min else value + slider.step / 7
            app._model.run(params={**every, lever: nudged},
                           return_columns=app._outputs)
            alone.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            slider.value = value
            now.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            rebuild(app, app.params)
            before.append((time.perf_counter() - start) * 1000)
        def fmt(times: list[float]) -> str:
            p90 = sorted(times)[max(0, int(0.9 * len(times)) - 1)]
            return f"{statistics.median(times):7.1f} ({p90:5.1f}) ms"
        print(f"{label:28} {lever:28} {len(values):3d} {fmt(alone):>17} {fmt(now):>17} "
              f"{fmt(before):>17}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
