"""From a stock-and-flow model to a causal loop diagram (methods.md §2.8).

Links come from PySD's ``model.dependencies``.  A flow → stock link takes
its sign from the stock's equation (inflow +, outflow −).  Every other
link's polarity is estimated by perturbation: at each saved state of a
base run, the target's equation is evaluated with the source nudged up and
down (central difference) and every other input held at its run value
(Richardson 1995).  Rule ``POL-1`` turns the signs into a label.
"""

from __future__ import annotations

import ast
import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from stp_helpers.sd.model import Model

__all__ = ["causal_graph", "polarity_label", "PolarityLabel", "flow_signs"]

_DELAY_PREFIXES = ("_smooth_", "_delay_", "_delayn_", "_delayfixed_", "_delay_fixed_")


@dataclass(frozen=True)
class PolarityLabel:
    """A link's polarity over a run (rule ``POL-1``).

    Attributes
    ----------
    label : str
        ``"+"``, ``"-"``, ``"ambiguous"``, ``"no effect"`` or ``"saturated"``.
    polarity : str
        What a CLD shows: ``"+"`` or ``"-"`` (for ``"saturated"``, the sign
        where the link acts), ``"?"`` for ambiguous or no effect.
    change_times : tuple of float
        For ``"ambiguous"``: times where the sign changes.  For
        ``"saturated"``: times where the effect starts or stops being zero.
    """

    label: str
    polarity: str
    change_times: tuple[float, ...] = ()


def polarity_label(
    derivatives: Sequence[float] | np.ndarray,
    times: Sequence[float] | np.ndarray | None = None,
    tolerance: float = 1e-12,
) -> PolarityLabel:
    """Label a link from its partial derivatives over a run (``POL-1``).

    One sign throughout gives that sign; both signs give ``"ambiguous"``
    (non-monotonic) with the change times; always zero gives ``"no
    effect"``; zero over part of the run gives ``"saturated"`` there.

    Parameters
    ----------
    derivatives : sequence of float
        ∂y/∂x at each saved state (NaN values are skipped).
    times : sequence of float or None
        The states' times (or the x values); default 0, 1, 2 …
    tolerance : float
        |derivative| at or below this counts as zero.

    Returns
    -------
    PolarityLabel

    Examples
    --------
    ``POL-T1``: y = x(10 − x), dy/dx = 10 − 2x, over x from 2 to 8:

    >>> import numpy as np
    >>> x = np.linspace(2, 8, 61)
    >>> polarity_label(10 - 2 * x, x)
    PolarityLabel(label='ambiguous', polarity='?', change_times=(5.0,))

    ``POL-T2``: y = min(x, 5) has slope 1 below 5 and 0 above:

    >>> x = np.linspace(0, 10, 101)
    >>> polarity_label(np.where(x < 5, 1.0, 0.0), x)
    PolarityLabel(label='saturated', polarity='+', change_times=(5.0,))
    >>> polarity_label([0.0, 0.0]).label
    'no effect'
    """
    d = np.asarray(derivatives, dtype=float)
    t = np.arange(d.size, dtype=float) if times is None else np.asarray(times, dtype=float)
    keep = np.isfinite(d)
    d, t = d[keep], t[keep]
    sign = np.where(np.abs(d) <= tolerance, 0, np.sign(d)).astype(int)
    if sign.size == 0 or not sign.any():
        return PolarityLabel("no effect", "?")
    nonzero = sign[sign != 0]
    if (nonzero > 0).any() and (nonzero < 0).any():
        idx = np.flatnonzero(sign != 0)
        changes = [_crossing(t, sign, a, b) for a, b in zip(idx[:-1], idx[1:])
                   if sign[a] != sign[b]]
        return PolarityLabel("ambiguous", "?", tuple(changes))
    polarity = "+" if nonzero[0] > 0 else "-"
    if (sign == 0).any():
        edges = np.flatnonzero((sign[1:] == 0) != (sign[:-1] == 0)) + 1
        return PolarityLabel("saturated", polarity, tuple(float(_round(t[i])) for i in edges))
    return PolarityLabel(polarity, polarity)


def _round(value: float) -> float:
    return round(float(value), 9)


def _crossing(t: np.ndarray, sign: np.ndarray, a: int, b: int) -> float:
    """Time of a sign change between nonzero samples a < b."""
    zeros = np.flatnonzero(sign[a + 1 : b] == 0)
    if zeros.size:  # the derivative is zero at a sample: that is the change
        return _round(t[a + 1 + zeros[zeros.size // 2]])
    return _round(t[b])


def flow_signs(source: str) -> dict[str, dict[str, str]]:
    """Read each stock's flows and signs from PySD's generated Python.

    Parameters
    ----------
    source : str
        The text of the translated ``model.py``.

    Returns
    -------
    dict
        ``{"_integ_<stock>": {flow_py_name: "+" | "-" | "?"}}``.

    Examples
    --------
    >>> code = "_integ_tub = Integ(lambda: inflow() - outflow(), lambda: 5, '_integ_tub')"
    >>> flow_signs(code)
    {'_integ_tub': {'inflow': '+', 'outflow': '-'}}
    """
    out: dict[str, dict[str, str]] = {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id.startswith("_integ_")
                and isinstance(node.value, ast.Call) and node.value.args
                and isinstance(node.value.args[0], ast.Lambda)):
            continue
        signs: dict[str, str] = {}
        _collect(node.value.args[0].body, 1, signs)
        out[node.targets[0].id] = signs
    return out


def _collect(node: ast.AST, sign: int, signs: dict[str, str]) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        _collect(node.left, sign, signs)
        _collect(node.right, -sign if isinstance(node.op, ast.Sub) else sign, signs)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _collect(node.operand, -sign if isinstance(node.op, ast.USub) else sign, signs)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args:
        _add(signs, node.func.id, "+" if sign > 0 else "-")
    else:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and not sub.args:
                _add(signs, sub.func.id, "?")


def _add(signs: dict[str, str], name: str, sign: str) -> None:
    signs[name] = sign if signs.get(name, sign) == sign else "?"


def _links(model: Model) -> list[tuple[str, str, bool, str | None]]:
    """(source_py, target_py, delay, fixed polarity or None) for every link."""
    deps = model.pysd.dependencies
    nodes = {i.py_name for i in (model.info(n) for n in model.variables_list())
             if i.kind != "lookup"}
    source = (model.cache / "model.py").read_text(encoding="utf-8")
    integ = flow_signs(source)
    links = []
    for target in nodes:
        for key in (deps.get(target) or {}):
            if key in nodes:
                links.append((key, target, False, None))
            elif key.startswith("_integ_") and isinstance(deps.get(key), dict):
                for flow in deps[key].get("step", {}) or {}:
                    if flow in nodes:
                        links.append((flow, target, False, integ.get(key, {}).get(flow, "?")))
            elif key.startswith("_") and not key.startswith("__") and isinstance(
                    deps.get(key), dict):
                sign = "+" if key.startswith(_DELAY_PREFIXES) else "?"
                for inp in deps[key].get("step", {}) or {}:
                    if inp in nodes:
                        links.append((inp, target, True, sign))
    return sorted(set(links))


def _perturb(model: Model, links: list[tuple[str, str, bool, str | None]], base: pd.DataFrame, rel_step: float) -> dict[tuple, PolarityLabel]:
    """Estimate POL-1 labels for links without a fixed polarity."""
    module = model.pysd.components._components
    deps = model.pysd.dependencies
    py_to_real = {model.info(n).py_name: n for n in model.variables_list()}
    times = base.index.to_numpy(float)
    settings = model.time_settings
    controls = {"initial_time": settings["INITIAL TIME"], "final_time": settings["FINAL TIME"],
                "time_step": settings["TIME STEP"], "saveper": settings["SAVEPER"]}
    out = {}
    by_target: dict[str, list[str]] = {}
    for src, tgt, _delay, fixed in links:
        if fixed is None:
            by_target.setdefault(tgt, []).append(src)
    lookups = {model.info(n).py_name for n in model.lookups}
    for target, sources in by_target.items():
        # a lookup is a function of its argument, not a value: it stays itself, so the
        # perturbation measures its slope over the range the run visits
        inputs = [k for k in (deps.get(target) or {}) if not k.startswith("__") and k not in lookups]
        if any(k not in py_to_real or py_to_real[k] not in base.columns for k in inputs if
               k != "time" and k not in controls) or py_to_real.get(target) not in base.columns:
            for src in sources:
                out[(src, target)] = PolarityLabel("ambiguous", "?")
            continue
        func = inspect.unwrap(getattr(module, target))
        saved = {k: getattr(module, k) for k in inputs + ["time"]}
        try:
            for src in sources:
                derivs = np.full(times.size, np.nan)
                for i, t in enumerate(times):
                    values = {k: controls[k] if k in controls else float(
                        base[py_to_real[k]].iloc[i]) for k in inputs if k != "time"}
                    values["time"] = float(t)
                    x = values[src]
                    h = rel_step * max(abs(x), 1.0)
                    hi = _evaluate(module, func, values, src, x + h)
                    lo = _evaluate(module, func, values, src, x - h)
                    derivs[i] = (hi - lo) / (2 * h)
                scale = max(float(np.nanmax(np.abs(base[py_to_real[target]]))), 1.0)
                out[(src, target)] = polarity_label(derivs, times, tolerance=1e-9 * scale)
        finally:
            for k, v in saved.items():
                setattr(module, k, v)
    return out


def _evaluate(module, func, values: dict[str, float], src: str, x: float) -> float:
    for k, v in values.items():
        setattr(module, k, _const(x if k == src else v))
    try:
        with np.errstate(all="ignore"):
            return float(func())
    except (ArithmeticError, ValueError, TypeError):
        return math.nan


def _const(value: float):
    return lambda *args: value


def causal_graph(model: Model, polarity: bool = True, rel_step: float = 1e-4) -> nx.DiGraph:
    """Build a causal loop diagram from a model's equations.

    Parameters
    ----------
    model : Model
        An opened model (scalar variables; links into subscripted
        variables get polarity ``"?"``).
    polarity : bool
        If True (default), estimate each link's polarity by perturbation
        around the base run; otherwise every non-flow link gets ``"?"``.
    rel_step : float
        Perturbation step relative to max(|x|, 1).

    Returns
    -------
    networkx.DiGraph
        Nodes are variables (lookups and time settings left out) with
        attributes ``label``, ``kind`` and ``units``.  Edges carry
        ``polarity`` (``"+"``, ``"-"`` or ``"?"``), ``delay`` (True only
        through SMOOTH/DELAY functions), ``pol_label`` (the ``POL-1`` label)
        and ``change_times``.  Node keys are the model's variable names.

    Raises
    ------
    ModelError
        If the base run fails.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("inflow", "Stock", polarity="+", delay=False)
    >>> g.edges["inflow", "Stock"]["polarity"]
    '+'
    """
    links = _links(model)
    py_to_real = {model.info(n).py_name: n for n in model.variables_list()}
    graph = nx.DiGraph(name=model.name)
    for real in model.variables_list():
        info = model.info(real)
        if info.kind == "lookup":
            continue
        graph.add_node(real, label=real, kind=info.kind, units=info.units)
    labels: dict[tuple, PolarityLabel] = {}
    if polarity and any(fixed is None for *_, fixed in links):
        scalar = [n for n in model.variables_list() if model.info(n).kind != "lookup"]
        base = model.run(check_finite=False)
        base = base[[c for c in base.columns if c in scalar and base[c].dtype != object]]
        if len(base) > 201:
            base = base.iloc[np.unique(np.linspace(0, len(base) - 1, 201).astype(int))]
        try:
            labels = _perturb(model, links, base, rel_step)
        finally:
            model.reset()
    for src, tgt, delay, fixed in links:
        if fixed is not None:
            lab = PolarityLabel(fixed if fixed in "+-" else "ambiguous", fixed)
        else:
            lab = labels.get((src, tgt), PolarityLabel("ambiguous", "?"))
        graph.add_edge(py_to_real[src], py_to_real[tgt], polarity=lab.polarity, delay=delay,
                       pol_label=lab.label, change_times=list(lab.change_times))
    return graph
