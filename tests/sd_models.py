"""Tiny Vensim models the stock-and-flow tests share, and a fixture helper to load them.

``growth_mdl()`` is ``tests/data/sd/growth.mdl``: exponential growth from 100
people at 10 %/year over ten yearly steps (Population(10) = 100 · 1.1¹⁰ =
259.374…); extra equations are spliced in before the control section.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stp_helpers.sd import Model, load_model

#: The growth model itself, written once (Population(10) = 259.374246 at DT 1).
GROWTH_FILE = Path(__file__).resolve().parent / "data" / "sd" / "growth.mdl"
_CONTROL = "FINAL TIME ="

#: Equations that add a scaled output (for sensitivity and Monte Carlo tests).
SCALED_OUTPUT = (
    "scale = 2 ~ Dmnl [0,10] ~ Multiplies the output. |",
    "output = scale * Population ~ person ~ Output. |",
)


def growth_mdl(*extra: str) -> str:
    """Return the growth model's text with ``extra`` equations added."""
    text = GROWTH_FILE.read_text(encoding="utf-8")
    head, control = text.split(_CONTROL, 1)
    return head + "".join(f"{line}\n" for line in extra) + _CONTROL + control


@contextmanager
def loaded(tmp_path_factory: pytest.TempPathFactory, text: str, name: str = "growth.mdl") -> Iterator[Model]:
    """Load ``text`` as a model with its own translation cache, for a module-scoped fixture."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(tmp_path_factory.mktemp("stp-cache")))
        folder: Path = tmp_path_factory.mktemp("model")
        (folder / name).write_text(text, encoding="utf-8")
        yield load_model(folder / name)
