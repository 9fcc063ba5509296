"""What a PySD model says about its variables: kind, units, range, documentation.

:func:`read_variables` reads PySD's documentation table into
:class:`VariableInfo` records; :func:`flows_by_stock` reads each stock's flows
from PySD's dependencies.  :class:`stp_helpers.sd.Model` uses both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["CONTROL_VARIABLES", "VariableInfo", "is_control", "flows_by_stock", "read_variables",
           "clean_text"]

#: The time settings PySD adds to every model (real names).
CONTROL_VARIABLES = ("INITIAL TIME", "FINAL TIME", "TIME STEP", "SAVEPER")
_CONTROL_PY = {"initial_time", "final_time", "time_step", "saveper", "time"}


@dataclass(frozen=True)
class VariableInfo:
    """What the model file says about one variable.

    Attributes
    ----------
    name : str
        The name as written in the model (PySD's "Real Name").
    py_name : str
        PySD's Python name.
    kind : str
        ``"stock"``, ``"flow"``, ``"constant"``, ``"lookup"``, ``"data"`` or
        ``"auxiliary"``.
    units : str
        Units as written ("" if none).
    minimum, maximum, step : float
        The range annotation ``[min, max, step]``; ``nan`` where absent.
    doc : str
        The documentation comment.
    constant : bool
        True for a constant (a parameter), whatever it feeds: a constant
        inflow has ``kind == "flow"`` and ``constant == True``.
    """

    name: str
    py_name: str
    kind: str
    units: str
    minimum: float
    maximum: float
    step: float
    doc: str
    constant: bool = False


def is_control(name: object) -> bool:
    """True for a time setting's name (INITIAL TIME … SAVEPER, TIME), in any case."""
    return str(name).strip().upper().replace("_", " ") in CONTROL_VARIABLES + ("TIME",)


def _float(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _limits(value) -> tuple[float, float, float]:
    if isinstance(value, tuple | list):
        vals = [_float(v) for v in value] + [math.nan] * 3
        return vals[0], vals[1], vals[2]
    return math.nan, math.nan, math.nan


def clean_text(value: object) -> str:
    """A documentation cell as text: '' for None or NaN, else stripped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def flows_by_stock(pysd_model: Any) -> dict[str, list[str]]:
    """Each stock's flows, from PySD's dependencies (model names)."""
    deps = pysd_model.dependencies
    py_to_real = {v: k for k, v in pysd_model.namespace.items()}
    out: dict[str, list[str]] = {}
    for var, inputs in deps.items():
        if var in py_to_real and isinstance(inputs, dict):
            for key in inputs:
                if key.startswith("_integ_") and isinstance(deps.get(key), dict):
                    step = deps[key].get("step", {}) or {}
                    out[py_to_real[var]] = [py_to_real[s] for s in step if s in py_to_real]
    return out

def read_variables(pysd_model: Any) -> dict[str, VariableInfo]:
    """What PySD's documentation table says about each variable (time settings left out)."""
    doc = pysd_model.doc
    flows = {f for fl in flows_by_stock(pysd_model).values() for f in fl}
    info = {}
    for row in doc.itertuples(index=False):
        real, py = str(row[0]), str(row[1])
        if py in _CONTROL_PY:
            continue
        typ, sub = clean_text(row[5]), clean_text(row[6])
        if typ == "Stateful" and sub == "Integ":
            kind = "stock"
        elif real in flows:
            kind = "flow"
        elif typ == "Constant":
            kind = "constant"
        elif typ == "Lookup":
            kind = "lookup"
        elif typ == "Data":
            kind = "data"
        else:
            kind = "auxiliary"
        lo, hi, step = _limits(row[4])
        info[real] = VariableInfo(real, py, kind, clean_text(row[3]), lo, hi, step,
                                  clean_text(row[7]),
                                  constant=typ == "Constant")
    return info
