"""Slider specifications for a model's constants (for the apps)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from stp_helpers.errors import ModelError
from stp_helpers.paths import relative
from stp_helpers.sd.model import Model

__all__ = ["ParameterSpec", "parameter_specs", "parameter_spec"]


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


def parameter_specs(model: Model, factor: float = 3.0) -> list[ParameterSpec]:
    """Return slider specifications for every scalar constant of ``model``.

    A constant is a parameter whatever it feeds: a constant inflow such as
    "Referrals" gets a slider too.

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
    return [_spec(model, name, value, factor) for name, value in model.base_values.items()]


def parameter_spec(model: Model, name: str, factor: float = 3.0) -> ParameterSpec:
    """Return the slider specification of one constant (model or Python name).

    Raises
    ------
    ModelError
        If ``name`` is not a variable of the model, or is not a scalar constant
        (the message says what it is and lists parameters).

    Examples
    --------
    >>> from stp_helpers import sd
    >>> spec = parameter_spec(sd.teaching_model("bathtub"), "tap flow")
    >>> spec.value, spec.min, spec.max, spec.from_model
    (10.0, 0.0, 30.0, True)
    """
    if not factor > 1:
        raise ModelError(f"factor={factor!r} must be greater than 1.", "Use e.g. factor=3.")
    real = model.resolve(name)
    base = model.base_values
    if real not in base:
        info = model.info(real)
        what = "a constant with subscripts" if info.constant else f"a {info.kind}"
        raise ModelError(
            f"{relative(model.source)}: {real!r} is {what}, not a scalar constant, so it cannot "
            f"be a lever.",
            f"Use one of: {', '.join(repr(c) for c in list(base)[:6])}.",
        )
    return _spec(model, real, base[real], factor)


def _spec(model: Model, name: str, value: float, factor: float) -> ParameterSpec:
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
    return ParameterSpec(name, value, lo, hi, step, info.units, info.doc, from_model)


def _nice_step(raw: float) -> float:
    """Round a step down to 1, 2 or 5 times a power of ten."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for mult in (5, 2, 1):
        if mult * power <= raw:
            return float(mult * power)
    return float(power)
