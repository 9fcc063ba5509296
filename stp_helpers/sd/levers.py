"""Leverage, not only sensitivity: what each lever does across its range, with a policy running.

One-at-a-time elasticities (:func:`stp_helpers.sd.oat_elasticities`) measure
how sensitive an outcome is to a small change in a number, with the model as
written.  In a model where a policy is switched off, every parameter of that
policy scores zero: a parameter of a policy that is not running cannot
matter.  :func:`lever_effects` asks the leverage question instead.  With
the policy on, what does each lever do when it moves across the range the
model declares for it (the choices actually within reach)?  Parameters with
a base value of 0, such as switches, are included.  Meadows (2008) ranks
changing parameters as the weakest of twelve leverage points.  The table
shows, for example, that switching early help on (a change of structure: a
new way out of risk) matters more than fine-tuning any number once it runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from stp_helpers.sd.model import Model
from stp_helpers.sd.params import parameter_spec

__all__ = ["lever_effects"]


def _final(model: Model, outcome: str, params: Mapping[str, float]) -> float:
    return float(model.run(params=dict(params), return_columns=[outcome])[outcome].iloc[-1])


def lever_effects(model: Model, outcome: str, levers: Sequence[str] | None = None,
                  policy: Mapping[str, float] | None = None, delta: float = 0.1) -> pd.DataFrame:
    """Each lever's effect on ``outcome``'s final value across its declared range, with ``policy`` on.

    Parameters
    ----------
    model : Model
    outcome : str
        The variable whose final value is measured.
    levers : sequence of str, optional
        Default every scalar constant (base 0 included).
    policy : mapping, optional
        Parameter values held for every run (e.g. a scenario's ``params``:
        the policy switched on).  A lever in ``policy`` starts from that value.
    delta : float
        Relative change for the elasticity column (default ±10%).

    Returns
    -------
    pandas.DataFrame
        One row per lever, largest |effect| first: ``parameter``, ``base`` (with
        the policy), ``low``, ``high`` (the range), ``outcome_base``,
        ``outcome_low``, ``outcome_high``, ``effect`` (high − low),
        ``effect_pct`` (effect as % of outcome_base) and ``elasticity``
        (±``delta`` around a nonzero base, NaN for base 0).

    Raises
    ------
    ModelError
        For an unknown outcome, a lever that is not a scalar constant, or a
        failed run.

    Examples
    --------
    >>> from stp_helpers import sd
    >>> bath = sd.teaching_model("bathtub")
    >>> table = lever_effects(bath, "Water in tub", levers=["tap flow", "plug in"])
    >>> table[["parameter", "low", "high"]].values.tolist()
    [['plug in', 0.0, 1.0], ['tap flow', 0.0, 30.0]]
    """
    target = model.resolve(outcome)
    held = {model.resolve(k): float(v) for k, v in (policy or {}).items()}
    names = [model.resolve(n) for n in levers] if levers else list(model.base_values)
    base_out = _final(model, target, held)
    rows = []
    for name in names:
        spec = parameter_spec(model, name)
        base = held.get(name, spec.value)
        low = _final(model, target, {**held, name: spec.min})
        high = _final(model, target, {**held, name: spec.max})
        elasticity = math.nan
        if base != 0:
            lo_p = min(max(base * (1 - delta), spec.min), spec.max)
            hi_p = min(max(base * (1 + delta), spec.min), spec.max)
            if hi_p != lo_p and base_out != 0:
                y_lo = _final(model, target, {**held, name: lo_p})
                y_hi = _final(model, target, {**held, name: hi_p})
                elasticity = ((y_hi - y_lo) / base_out) / ((hi_p - lo_p) / base)
        effect = high - low
        rows.append({"parameter": name, "base": base, "low": spec.min, "high": spec.max,
                     "outcome_base": base_out, "outcome_low": low, "outcome_high": high,
                     "effect": effect,
                     "effect_pct": effect / abs(base_out) * 100 if base_out else math.nan,
                     "elasticity": elasticity})
    table = pd.DataFrame(rows)
    order = table["effect"].abs().sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)
