"""The models notebooks and apps open: teaching models by name, case models through ``Case.read``.

A notebook never builds a data path by hand: :func:`teaching_model` opens one
of the workbook's teaching models by name, and :func:`case_model` and
:func:`case_scenarios` read a case's model and scenarios through
:meth:`stp_helpers.case.Case.read`.  The tables the stock-and-flow notebooks
show (:func:`scenario_table`, :func:`tornado_table`) and the choices the apps
make from a case (:func:`default_levers`, :func:`key_outcome`) live here too;
their charts are in :mod:`stp_helpers.charts.sd`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from stp_helpers import case as case_mod
from stp_helpers import paths
from stp_helpers.case import Case
from stp_helpers.errors import ModelError
from stp_helpers.sd.load import load_model
from stp_helpers.sd.model import Model
from stp_helpers.sd.params import parameter_specs
from stp_helpers.sd.scenarios import Scenario, run_scenarios, tidy
from stp_helpers.sd.sensitivity import oat_elasticities

__all__ = ["teaching_model", "teaching_models", "case_model", "case_scenarios", "default_levers",
           "key_outcome", "compare_runs", "scenario_table", "tornado_table"]


def teaching_models() -> list[str]:
    """Names of the teaching models shipped with the workbook.

    Examples
    --------
    >>> "bathtub" in teaching_models()
    True
    """
    return sorted(p.stem for p in paths.teaching_models_dir().glob("*.mdl"))


def teaching_model(name: str) -> Model:
    """Open a teaching model by name, e.g. ``"bathtub"``.

    Raises
    ------
    ModelError
        If there is no teaching model of that name (the message lists them).

    Examples
    --------
    >>> teaching_model("bathtub").stocks
    ['Water in tub']
    >>> teaching_model("bath")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: There is no teaching model 'bath'. Use one of: bathtub, failure_demand, flawed_bathtub, population_limits, sir.
    """
    known = teaching_models()
    if name not in known:
        raise ModelError(f"There is no teaching model {name!r}.", f"Use one of: {', '.join(known)}.")
    return load_model(paths.teaching_models_dir() / f"{name}.mdl")


def _case(slug_or_case: str | Case) -> Case:
    return slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)


def case_model(slug_or_case: str | Case) -> Model:
    """Open a case's ``model.mdl`` (or ``model.xmile``) through ``Case.read``.

    Examples
    --------
    >>> case_model("stoke-neet").name
    'stoke-neet'
    """
    found = _case(slug_or_case)
    name = "model.mdl" if found.has("model.mdl") or not found.has("model.xmile") else "model.xmile"
    return found.read(name)


def case_scenarios(slug_or_case: str | Case) -> list[Scenario]:
    """Return a case's scenarios (empty if it has no ``scenarios.yaml``)."""
    found = _case(slug_or_case)
    return found.read("scenarios.yaml") if found.has("scenarios.yaml") else []


def default_levers(model: Model, scenarios: Sequence[Scenario] = ()) -> list[str]:
    """The parameters the scenarios change, in order; else every constant with a declared range."""
    named = [model.resolve(k) for sc in scenarios for k in sc.params]
    if named:
        return list(dict.fromkeys(named))
    return [s.name for s in parameter_specs(model) if s.from_model]


def key_outcome(model: Model, scenarios: Sequence[Scenario] = ()) -> str:
    """The stock whose final value the scenarios change most (relative); else the first stock."""
    stocks = model.stocks
    if len(scenarios) < 2:
        return stocks[0]
    _, outcomes = run_scenarios(model, scenarios, variables=stocks)
    spread = outcomes.groupby("variable")["final"].agg(
        lambda v: (v.max() - v.min()) / max(abs(v).max(), 1e-12))
    return str(spread.reindex(stocks).idxmax())


def compare_runs(model: Model, outputs: Sequence[str], params: Mapping[str, float] | None = None,
                 label: str = "your run") -> pd.DataFrame:
    """Tidy runs of ``outputs``: the model's baseline and a run with ``params``."""
    cols = [model.resolve(o) for o in outputs]
    base = tidy(model.run(return_columns=cols), scenario="baseline")
    current = tidy(model.run(params=dict(params or {}), return_columns=cols), scenario=label)
    return pd.concat([base, current], ignore_index=True)


def scenario_table(model: Model, scenarios: Sequence[Scenario], variable: str) -> pd.DataFrame:
    """Final, peak and cumulative values of one variable per scenario, with the change on the first."""
    variable = model.resolve(variable)
    _, outcomes = run_scenarios(model, scenarios, variables=[variable])
    table = outcomes.drop(columns="variable").reset_index(drop=True)
    first = float(table["final"].iloc[0])
    table["final_change_pct"] = (table["final"] - first) / abs(first) * 100 if first else math.nan
    return table.round(2)


def tornado_table(model: Model, outcome: str, top: int = 8,
                  params: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The ``top`` parameters by |elasticity| of ``outcome``'s final value (±10% one at a time).

    ``params`` sets other parameters for every run (e.g. a policy switched on).
    """
    table = oat_elasticities(model, outcome, params=params) if params else oat_elasticities(
        model, outcome)
    cols = ["parameter", "base", "outcome_low", "outcome_high", "elasticity"]
    return table[cols].head(top).round(3).reset_index(drop=True)
