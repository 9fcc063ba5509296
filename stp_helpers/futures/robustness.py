"""Robust choice across futures: payoff tables, regret and decision rules (methods.md §6.6).

An options × scenarios **payoff table** holds one outcome per option under
each scenario, entered by a group or computed from model runs (see
:func:`payoffs_from_model`).  From it:

* the **regret** of option *o* in scenario *s* is the best payoff in *s*
  minus the payoff of *o* (Savage 1951); **minimax regret** picks the option
  whose largest regret is smallest;
* **maximin** picks the option with the best worst case, **maximax** the
  best best case;
* **expected value** weights each scenario (equal weights unless stated).

When smaller is better (costs, people in crisis) pass ``better="lower"``:
regret becomes payoff minus the column's smallest value, and "worst" means
largest.  Ties go to the option listed first, and the summary names the tie.

Examples
--------
The worked example ``FUT-T3`` (net benefit, £m):

>>> table = example_payoffs()
>>> regret_table(table)["max regret"].to_dict()
{'A': 6.0, 'B': 4.0, 'C': 8.0, 'D (do nothing)': 10.0}
>>> minimax_regret(table), maximin(table), maximax(table)
('B', 'D (do nothing)', 'C')
>>> expected_values(table).to_dict()
{'A': 3.5, 'B': 5.25, 'C': 2.0, 'D (do nothing)': 2.0}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from stp_helpers.errors import RobustnessError
from stp_helpers.futures.payoff_tables import (  # re-exported: the names keep working from this module
    Better,
    check_better,
    example_payoffs,
    normalise_weights,
    payoff_table,
)

__all__ = [
    "RobustnessError",
    "regret_table",
    "minimax_regret",
    "maximin",
    "maximax",
    "expected_values",
    "expected_value_choice",
    "decision_summary",
    "weight_sweep",
    "switch_points",
    "RobustChoice",
    "robust_choice",
    "Payoffs",
    "payoffs_from_model",
    "futures_payoffs",
    "Better",
    "check_better",
    "example_payoffs",
    "normalise_weights",
    "payoff_table",
]


def regret_table(payoffs: pd.DataFrame, better: Better = "higher") -> pd.DataFrame:
    """Regret of each option in each scenario, with the largest regret per option.

    Parameters
    ----------
    payoffs : DataFrame
        From :func:`payoff_table`.
    better : "higher" or "lower"
        Whether larger payoffs are better (benefits) or worse (costs).

    Returns
    -------
    pandas.DataFrame
        One column per scenario plus ``max regret``.

    Examples
    --------
    >>> regret_table(example_payoffs()).loc["A"].tolist()
    [2.0, 1.0, 3.0, 6.0, 6.0]
    >>> regret_table(payoff_table({"x": {"s": 3}, "y": {"s": 5}}), better="lower")["s"].tolist()
    [0.0, 2.0]
    """
    check_better(better)
    table = payoff_table(payoffs)
    regrets = table.max() - table if better == "higher" else table - table.min()
    regrets = regrets + 0.0  # no negative zeros
    regrets["max regret"] = regrets.max(axis=1)
    return regrets


def _pick(scores: pd.Series, largest: bool) -> str:
    best = scores.max() if largest else scores.min()
    return str(scores[np.isclose(scores, best)].index[0])


def _ties(scores: pd.Series, largest: bool) -> list[str]:
    best = scores.max() if largest else scores.min()
    return [str(i) for i in scores[np.isclose(scores, best)].index]


def minimax_regret(payoffs: pd.DataFrame, better: Better = "higher") -> str:
    """The option whose largest regret is smallest (Savage 1951).

    Examples
    --------
    >>> minimax_regret(example_payoffs())
    'B'
    """
    return _pick(regret_table(payoffs, better)["max regret"], largest=False)


def maximin(payoffs: pd.DataFrame, better: Better = "higher") -> str:
    """The option with the best worst case (Wald's rule, the cautious choice).

    Examples
    --------
    >>> maximin(example_payoffs())
    'D (do nothing)'
    """
    check_better(better)
    table = payoff_table(payoffs)
    if better == "higher":
        return _pick(table.min(axis=1), largest=True)
    return _pick(table.max(axis=1), largest=False)


def maximax(payoffs: pd.DataFrame, better: Better = "higher") -> str:
    """The option with the best best case (the optimist's choice).

    Examples
    --------
    >>> maximax(example_payoffs())
    'C'
    """
    check_better(better)
    table = payoff_table(payoffs)
    if better == "higher":
        return _pick(table.max(axis=1), largest=True)
    return _pick(table.min(axis=1), largest=False)


def expected_values(payoffs: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Weighted mean payoff of each option (equal weights unless stated).

    Examples
    --------
    >>> expected_values(example_payoffs(), {"S1": 10, "S2": 1, "S3": 1, "S4": 1}).round(2).to_dict()
    {'A': 8.0, 'B': 7.15, 'C': 8.92, 'D (do nothing)': 2.0}
    """
    table = payoff_table(payoffs)
    w = normalise_weights(weights, list(table.columns))
    return (table * w).sum(axis=1).round(10)


def expected_value_choice(payoffs: pd.DataFrame, weights: Mapping[str, float] | None = None,
                          better: Better = "higher") -> str:
    """The option with the best expected value under ``weights``.

    Examples
    --------
    >>> expected_value_choice(example_payoffs())
    'B'
    """
    check_better(better)
    return _pick(expected_values(payoffs, weights), largest=better == "higher")


def decision_summary(payoffs: pd.DataFrame, weights: Mapping[str, float] | None = None,
                     better: Better = "higher") -> pd.DataFrame:
    """One row per decision rule: the option it picks, the score it uses, and any tie.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule``, ``choice``, ``score``, ``tied with``.

    Examples
    --------
    >>> decision_summary(example_payoffs())[["rule", "choice", "score"]].values.tolist()
    [['minimax regret', 'B', 4.0], ['maximin', 'D (do nothing)', 2.0], ['maximax', 'C', 12.0], ['expected value', 'B', 5.25]]
    """
    check_better(better)
    table = payoff_table(payoffs)
    hi = better == "higher"
    scores = {
        "minimax regret": (regret_table(table, better)["max regret"], False),
        "maximin": (table.min(axis=1) if hi else table.max(axis=1), hi),
        "maximax": (table.max(axis=1) if hi else table.min(axis=1), hi),
        "expected value": (expected_values(table, weights), hi),
    }
    rows = []
    for rule, (series, largest) in scores.items():
        ties = _ties(series, largest)
        rows.append({"rule": rule, "choice": ties[0], "score": round(float(series[ties[0]]), 4),
                     "tied with": ", ".join(ties[1:])})
    return pd.DataFrame(rows, columns=["rule", "choice", "score", "tied with"])


def weight_sweep(payoffs: pd.DataFrame, scenario: str, weights: Mapping[str, float] | None = None,
                 steps: int = 21, better: Better = "higher") -> pd.DataFrame:
    """Expected value of each option as one scenario's weight moves from 0 to 1.

    The other scenarios share the rest in proportion to their stated weights
    (equal when none are stated).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``weight``, ``option``, ``expected value``, ``best`` (the
        option with the best expected value at that weight).

    Raises
    ------
    RobustnessError
        If ``scenario`` is not in the table, or ``steps`` < 2.

    Examples
    --------
    >>> sweep = weight_sweep(example_payoffs(), "S1", steps=5)
    >>> sweep.drop_duplicates("weight")[["weight", "best"]].values.tolist()
    [[0.0, 'B'], [0.25, 'B'], [0.5, 'B'], [0.75, 'C'], [1.0, 'C']]
    """
    check_better(better)
    table = payoff_table(payoffs)
    if scenario not in table.columns:
        raise RobustnessError(f"The table has no scenario {scenario!r}.",
                              fix=f"Choose one of: {', '.join(table.columns)}.")
    if steps < 2:
        raise RobustnessError("A sweep needs at least 2 steps.", fix="Use steps=21.")
    others = [c for c in table.columns if c != scenario]
    base = normalise_weights(weights, list(table.columns))
    rest = base[others]
    rest = rest / rest.sum() if others and rest.sum() > 0 else pd.Series(1.0 / max(len(others), 1), index=others)
    rows = []
    for w in np.linspace(0.0, 1.0, steps):
        mix = pd.Series({scenario: w, **{o: (1 - w) * rest[o] for o in others}})
        ev = (table[mix.index] * mix).sum(axis=1)
        best = _pick(ev.round(10), largest=better == "higher")
        for option, value in ev.items():
            rows.append({"weight": round(float(w), 6), "option": option,
                         "expected value": round(float(value), 6), "best": best})
    return pd.DataFrame(rows, columns=["weight", "option", "expected value", "best"])


def switch_points(sweep: pd.DataFrame) -> list[tuple[float, str, str]]:
    """Where the expected-value choice changes in a sweep: (weight, from, to).

    The weight is the first swept value at which the new option is best.
    In ``FUT-T3``, B and C tie at an S1 weight of 17/29 ≈ 0.586.

    Examples
    --------
    >>> switch_points(weight_sweep(example_payoffs(), "S1", steps=101))
    [(0.59, 'B', 'C')]
    """
    first = sweep.drop_duplicates("weight")[["weight", "best"]].values.tolist()
    out = []
    for (w0, b0), (w1, b1) in zip(first, first[1:]):
        if b0 != b1:
            out.append((float(w1), str(b0), str(b1)))
    return out


@dataclass(frozen=True)
class RobustChoice:
    """What the decision rules say together.

    Attributes
    ----------
    robust : str
        The minimax-regret option.
    summary : DataFrame
        From :func:`decision_summary`.
    max_regret : float
    agree : tuple of str
        The rules that pick the robust option too.
    """

    robust: str
    summary: pd.DataFrame
    max_regret: float
    agree: tuple[str, ...]
    unit: str = ""

    def sentence(self) -> str:
        """One sentence for a title or a status line."""
        unit = f" {self.unit}" if self.unit else ""
        others = [r for r in self.agree if r != "minimax regret"]
        also = f"; {', '.join(others)} agree" if others else "; no other rule agrees"
        return (f"{self.robust} is the robust choice: its largest regret is "
                f"{self.max_regret:,.4g}{unit}{also}")

    def __repr__(self) -> str:
        return self.sentence()


def robust_choice(payoffs: pd.DataFrame, weights: Mapping[str, float] | None = None,
                  better: Better = "higher", unit: str = "") -> RobustChoice:
    """Name the robust (minimax-regret) option and the rules that agree with it.

    Examples
    --------
    >>> robust_choice(example_payoffs(), unit="£m")
    B is the robust choice: its largest regret is 4 £m; expected value agree
    """
    summary = decision_summary(payoffs, weights, better)
    robust = str(summary.loc[summary["rule"] == "minimax regret", "choice"].iloc[0])
    agree = tuple(summary.loc[summary["choice"] == robust, "rule"])
    regret = float(regret_table(payoffs, better).loc[robust, "max regret"])
    return RobustChoice(robust, summary, regret, agree, unit)


# ------------------------------------------- payoffs of a case's futures.yaml
@dataclass(frozen=True)
class Payoffs:
    """An options × scenarios payoff table with what it measures.

    Attributes
    ----------
    table : DataFrame
        Options as rows, scenarios as columns.
    label : str
        What the payoff is, e.g. "Net benefit".
    unit : str
    better : str
        "higher" or "lower".
    weights : dict or None
        Stated scenario weights.
    computed : bool
        True when the table comes from model runs.
    """

    table: pd.DataFrame
    label: str
    unit: str
    better: str = "higher"
    weights: dict[str, float] | None = None
    computed: bool = False

    def title(self) -> str:
        """'Net benefit (£m)'."""
        return f"{self.label} ({self.unit})"


def payoffs_from_model(model: Any, futures: Any,
                       policies: Sequence[Any] = ()) -> pd.DataFrame:
    """Run every option under every future and return the payoff table.

    Each run sets the future's (exogenous) parameters and the option's
    levers (its ``params``, or those of the ``scenarios.yaml`` run named by
    its ``policy``).  With ``value_per_unit``, the payoff is
    ``value_per_unit × (reference outcome − option outcome) − cost`` in the
    same future (the benefit of avoiding the outcome); otherwise it is the
    outcome itself.

    Raises
    ------
    ScenarioError
        When futures.yaml has no computable options, an option names a policy
        that scenarios.yaml lacks, or an option and a future set the same parameter.
    ModelError
        When a parameter is not in the model (naming the scenario or option).
    """
    from stp_helpers import sd  # heavy (PySD): only payoffs computed from runs need it
    from stp_helpers.futures import scenarios as fut  # heavy: imports sd

    rob = futures.robustness
    if rob is None or rob.outcome is None:
        raise fut.ScenarioError("futures.yaml has no 'robustness:' with an outcome to compute.",
                                fix="Add robustness.outcome (variable, measure, unit), or enter payoffs.")
    known = {p.name: p for p in policies}
    levers: dict[str, dict[str, float]] = {}
    for opt in rob.options:
        params = dict(opt.params)
        if opt.policy is not None:
            if opt.policy not in known:
                raise fut.ScenarioError(f"futures.yaml, option {opt.name!r}: scenarios.yaml has no run "
                                    f"{opt.policy!r}.", fix=f"Use one of: {', '.join(known) or 'none'}.")
            params = {**known[opt.policy].params, **params}
        levers[opt.name] = fut.checked_params(model, params, f"option {opt.name!r}")
    futures_params = {s.name: fut.checked_params(model, s.params, f"scenario {s.name!r}") for s in futures.scenarios}
    for fname, fparams in futures_params.items():
        for oname, oparams in levers.items():
            clash = sorted(set(fparams) & set(oparams))
            if clash:
                raise fut.ScenarioError(f"Scenario {fname!r} and option {oname!r} both set {', '.join(clash)}.",
                                    fix="A scenario sets conditions nobody controls; an option sets levers. "
                                        "Move the parameter to one side (rule FUT-3).")
    var = model.resolve(rob.outcome.variable)
    raw: dict[str, dict[str, float]] = {o: {} for o in levers}
    for fname, fparams in futures_params.items():
        for oname, oparams in levers.items():
            run = model.run(params={**fparams, **oparams}, return_columns=[var])
            raw[oname][fname] = float(sd.outcome_table(run).set_index("variable").loc[var, rob.outcome.measure])
    if rob.value_per_unit is None:
        return payoff_table(raw).round(4)
    ref = rob.reference or rob.options[0].name
    costs = {o.name: o.cost for o in rob.options}
    net = {o: {f: rob.value_per_unit * (raw[ref][f] - raw[o][f]) - costs[o] for f in raw[o]} for o in raw}
    return payoff_table(net).round(4)


def futures_payoffs(futures: Any, model: Any = None,
                    policies: Sequence[Any] = ()) -> Payoffs:
    """The payoff table of ``futures.yaml``: entered, or computed from ``model``.

    Raises
    ------
    ScenarioError
        When there is no ``robustness:`` section, or payoffs must be computed
        and no model is given.
    """
    from stp_helpers.futures import scenarios as fut  # heavy: imports sd (PySD)

    rob = futures.robustness
    if rob is None:
        raise fut.ScenarioError("futures.yaml has no options to test ('robustness:').",
                            fix="Add robustness: with options and their payoffs, or an outcome to compute.")
    if rob.options[0].payoffs is not None:
        table = payoff_table({o.name: o.payoffs or {} for o in rob.options}, where="futures.yaml's options table")
        return Payoffs(table[futures.names], rob.payoff, rob.unit, rob.better, rob.weights, computed=False)
    if model is None:
        raise fut.ScenarioError("The payoffs are computed from the case's model, and there is none.",
                            fix="Add model.mdl to the case, or enter payoffs in futures.yaml.")
    table = payoffs_from_model(model, futures, policies)
    return Payoffs(table, rob.payoff, rob.unit, rob.better, rob.weights, computed=True)
