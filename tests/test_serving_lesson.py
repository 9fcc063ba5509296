"""``stp serve --lesson``: the lesson's app is preheated, one kernel per student, before the address is
printed, and the pool does not refill while the class arrives; Voilà waits long enough for 30 kernels
starting on two cores."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest
from conftest import _free_port

from stp_helpers import serving
from stp_helpers.cli import LESSON_FILL_DELAY, voila_command
from stp_helpers.errors import StpError


def test_voila_waits_for_a_busy_machine() -> None:
    command = voila_command(8866)
    assert f"--VoilaExecutor.iopub_timeout={serving.IOPUB_TIMEOUT}" in command  # nbclient's default: 4 s
    assert f"--VoilaExecutor.startup_timeout={serving.KERNEL_START_TIMEOUT}" in command
    assert f"--CappedKernelManager.kernel_info_timeout={serving.KERNEL_START_TIMEOUT}" in command
    assert serving.IOPUB_TIMEOUT >= 120 and serving.KERNEL_START_TIMEOUT >= 120


def test_lesson_preheats_its_app_per_student_and_the_teachers_page_once() -> None:
    assert serving.lesson_preheat("cld-loop-polarity", 30) == ["methods/cld.ipynb:30", "teaching/teacher.ipynb:1"]
    with pytest.raises(StpError, match="from 1 to 60"):
        serving.lesson_preheat("cld-loop-polarity", 0)
    with pytest.raises(StpError, match="no lesson called"):
        serving.lesson_preheat("no-such-lesson", 30)


def _status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stp/ready", timeout=30) as response:
        return json.load(response)


def test_serve_lesson_fills_the_pool_first_and_does_not_refill_while_students_arrive(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    port = _free_port()
    output = tmp_path_factory.mktemp("lesson") / "out.log"
    with open(output, "w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "stp_helpers.cli", "serve", f"--port={port}", "--no-browser",
                                 "--lesson", "cld-loop-polarity", "--class-size", "2"],
                                stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 400
        while "gallery is at" not in output.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(0.2)
        status = _status(port)  # as soon as the address is printed, every pool is full
        assert status["ready"] and status["pools"]["methods/cld.ipynb"] == {"ready": 2, "size": 2}
        assert status["pools"]["teaching/teacher.ipynb"] == {"ready": 1, "size": 1}
        assert "Preheating the lesson's apps" in output.read_text()
        page = f"http://127.0.0.1:{port}/stp/class/cld-loop-polarity"
        assert f"The lesson's class page: {page}" in output.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stp/class/static/class.js", timeout=60) as response:
            assert response.status == 200  # teacher mode's class page is mounted in the server
        started = output.read_text().count("Kernel started")
        for _ in range(2):  # two students arrive
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/methods/cld.ipynb", timeout=120) as r:
                assert r.status == 200 and "jupyter-config-data" in r.read().decode()
        time.sleep(8)  # Voilà's own refill would have started a kernel 1 s after each
        log = output.read_text()
        assert len(re.findall(r"Using pre-heated kernel: \S+ for methods/cld.ipynb", log)) == 2
        assert log.count("Kernel started") == started, "the pool refilled while the class arrived"
        assert _status(port)["pools"]["methods/cld.ipynb"]["ready"] == 0
        assert f"--VoilaKernelManager.fill_delay={LESSON_FILL_DELAY}" in " ".join(
            psutil.Process(proc.pid).children()[0].cmdline())
    finally:
        family = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=90)
        psutil.wait_procs(family, timeout=30)
