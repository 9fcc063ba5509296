"""The two checks every exercise's answer table runs, shared by the tests/test_exercises_*.py files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stp_helpers.checks.exercise import APP_YOUR_TURN


def assert_answer_row(make: Callable[[], Any], answer: Any, prediction: Any, verdict: str, line: str) -> None:
    """A fresh app given ``answer`` and ``prediction`` says ``verdict`` first and ``line`` somewhere."""
    said = repr(make().submit(answer, prediction))
    assert said.startswith(verdict), said
    assert line in said, said


def assert_placeholder_waits(make: Callable[[], Any], prediction: Any) -> None:
    """The placeholder answer gets "Your turn" and the model answer stays out of the page."""
    waiting = make()
    assert repr(waiting.submit(..., prediction)) == APP_YOUR_TURN
    assert waiting.model_panel.value == ""
