"""Tiny Vensim models the stock-and-flow tests share, and a fixture helper to load them.

``growth_mdl()`` is exponential growth from 100 people at 10 %/year over ten
yearly steps (Population(10) = 100 · 1.1¹⁰ = 259.374…); extra equations are
spliced in before the control section.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stp_helpers.sd import Model, load_model

_GROWTH = """\
Population = INTEG(growth, 100) ~ person [0,?] ~ The population. |
growth = growth rate * Population ~ person/Year ~ Inflow. |
growth rate = 0.1 ~ 1/Year [0,1,0.01] ~ Fractional growth rate. |
"""
_CONTROL = """\
FINAL TIME = 10 ~ Year ~ End. |
INITIAL TIME = 0 ~ Year ~ Start. |
SAVEPER = TIME STEP ~ Year ~ Save every step. |
TIME STEP = 1 ~ Year ~ Step. |
"""

#: Equations that add a scaled output (for sensitivity and Monte Carlo tests).
SCALED_OUTPUT = (
    "scale = 2 ~ Dmnl [0,10] ~ Multiplies the output. |",
    "output = scale * Population ~ person ~ Output. |",
)


def growth_mdl(*extra: str) -> str:
    """Return the growth model's text with ``extra`` equations added."""
    lines = "".join(f"{line}\n" for line in extra)
    return "{UTF-8}\n" + _GROWTH + lines + _CONTROL


@contextmanager
def loaded(tmp_path_factory: pytest.TempPathFactory, text: str, name: str = "growth.mdl") -> Iterator[Model]:
    """Load ``text`` as a model with its own translation cache, for a module-scoped fixture."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(tmp_path_factory.mktemp("stp-cache")))
        folder: Path = tmp_path_factory.mktemp("model")
        (folder / name).write_text(text, encoding="utf-8")
        yield load_model(folder / name)
