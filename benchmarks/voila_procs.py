"""Processes of a benchmark's Voilà server, read from /proc: its kernels, their memory and CPU time.

Shared by ``voila_first_chart.py`` and ``classroom_load.py`` (Linux only).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kernels(server_pid: int) -> list[int]:
    """Process ids of the server's ipykernel children."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
        if ppid == server_pid and b"ipykernel" in cmdline:
            found.append(int(proc.name))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def kernels_cpu(server_pid: int) -> tuple[int, ...]:
    """CPU ticks (user + system) of each kernel, sorted: unchanged between reads means all are idle."""
    ticks = []
    for pid in kernels(server_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks.append(int(fields[11]) + int(fields[12]))
    return tuple(sorted(ticks))


def wait_until_idle(server_pid: int, *, at_least: int = 0, quiet: float = 2.0, deadline: float,
                    poll: float = 0.25) -> None:
    """Wait until the server has ``at_least`` kernels and none has used CPU for ``quiet`` seconds.

    A kernel's CPU time standing still says it has finished running its
    notebook.  Gives up silently at ``deadline`` (a ``time.monotonic()`` value).
    """
    last, still = None, 0
    while time.monotonic() < deadline and still * poll < quiet:
        ticks = kernels_cpu(server_pid)
        still = still + 1 if (len(ticks) >= at_least and ticks == last) else 0
        last = ticks
        time.sleep(poll)
