"""Slider specifications for a model's constants (for the apps)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from stp_helpers.errors import ModelError

__all__ = ["ParameterSpec", "parameter_specs"]


@dataclass(frozen=True)
class ParameterSpec:
    """What an app needs to build a slider for one constant.

    Attributes
    ----------
    name : str
        Model name of the constant.
    value : float
        Its value in the model file.
    min, max, step : float
        Slider range, from the model's ``[min,max,step]`` where present.
    units : str
        Units as written ("" if none).
    doc : str
        Documentation comment.
    from_model : bool
        True if the range came from the model file, False if defaulted.
    """

    name: str
    value: float
    min: float
    max: float
    step: float
    units: str
    doc: str
    from_model: bool


def parameter_specs(model, factor: float = 3.0) -> list[ParameterSpec]:
    """Return slider specifications for every scalar constant of ``model``.

    Ranges come from the model's ``[min,max,step]`` annotations where they
    exist.  Otherwise the slider runs from 0 to ``factor`` × the base value
    (for a negative value, from ``factor`` × value to 0; for 0, from 0 to 1)
    with 100 steps.

    Parameters
    ----------
    model : Model
        An opened model.
    factor : float
        Multiple of the base value used as the default maximum (default 3).

    Returns
    -------
    list of ParameterSpec
        In the model's order of constants.

    Raises
    ------
    ModelError
        If ``factor`` is not greater than 1.

    Examples
    --------
    >>> spec = ParameterSpec("contact rate", 6.0, 0.0, 18.0, 0.18, "1/Day", "", False)
    >>> spec.max / spec.value
    3.0
    """
    if not factor > 1:
        raise ModelError(f"factor={factor!r} must be greater than 1.", "Use e.g. factor=3.")
    specs = []
    for name, value in model.base_values.items():
        info = model.info(name)
        lo, hi, step = info.minimum, info.maximum, info.step
        from_model = not (math.isnan(lo) or math.isnan(hi))
        if math.isnan(lo):
            lo = min(0.0, factor * value)
        if math.isnan(hi):
            hi = max(factor * value, 0.0) if value != 0 else max(1.0, lo + 1.0)
            if hi <= lo:
                hi = lo + 1.0
        if math.isnan(step) or step <= 0:
            step = _nice_step((hi - lo) / 100)
        specs.append(ParameterSpec(name, value, lo, hi, step, info.units, info.doc, from_model))
    return specs


def _nice_step(raw: float) -> float:
    """Round a step down to 1, 2 or 5 times a power of ten."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (5, 2, 1):
        if mult * power <= raw:
            return float(mult * power)
    return float(power)
