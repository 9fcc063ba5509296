"""Named parameter sets run side by side (methods.md §6.5).

A ``scenarios.yaml`` holds a list of scenarios, each with ``name``,
``description`` and ``params`` (model variable → number)::

    scenarios:
      - name: baseline
        description: The system as it is.
        params: {}
      - name: early help
        description: Early-help team at full strength.
        params:
          early help switch: 1

A bare top-level list is accepted too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from stp_helpers.errors import CaseFileError, ModelError, Problem
from stp_helpers.io.parse import parse_yaml, read_limited
from stp_helpers.paths import relative
from stp_helpers.sd.model import Model

__all__ = ["Scenario", "ScenarioRuns", "load_scenarios", "parse_scenarios", "run_scenarios",
           "outcome_table", "tidy"]


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values with its narrative.

    Attributes
    ----------
    name : str
    description : str
    params : dict
        Model variable name → number.
    """

    name: str
    description: str = ""
    params: dict[str, float] = field(default_factory=dict)


class ScenarioRuns(NamedTuple):
    """What :func:`run_scenarios` returns (unpacks as ``runs, outcomes``).

    Attributes
    ----------
    runs : pandas.DataFrame
        Tidy: columns ``scenario``, ``time``, ``variable``, ``value``.
    outcomes : pandas.DataFrame
        One row per scenario and variable: ``final``, ``peak``,
        ``peak_time``, ``cumulative``.
    """

    runs: pd.DataFrame
    outcomes: pd.DataFrame


def parse_scenarios(data: object, path: str = "scenarios.yaml") -> list[Scenario]:
    """Check and convert loaded YAML into scenarios.

    Parameters
    ----------
    data : object
        What ``yaml.safe_load`` returned.
    path : str
        File name used in messages.

    Returns
    -------
    list of Scenario

    Raises
    ------
    CaseFileError
        Listing every problem (missing names, duplicates, non-numeric values).

    Examples
    --------
    >>> parse_scenarios([{"name": "base", "params": {"rate": 0.1}}])
    [Scenario(name='base', description='', params={'rate': 0.1})]
    >>> parse_scenarios([{"params": {"rate": "high"}}], "s.yaml")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: s.yaml, column "scenarios[0].name": the scenario has no name. Add name: <a short label>.
    s.yaml, column "scenarios[0].params.rate": 'high' is not a number. Give a number such as 0.25.
    """
    if isinstance(data, Mapping) and "scenarios" in data:
        data = data["scenarios"]
    problems: list[Problem] = []
    if not isinstance(data, list) or not data:
        raise CaseFileError([Problem(path, "there is no list of scenarios.",
                                     fix="Write 'scenarios:' followed by '- name: ...' items.")])
    out, seen = [], set()
    for i, item in enumerate(data):
        where = f"scenarios[{i}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(path, "each scenario must be a mapping.", column=where,
                                    fix="Use 'name:', 'description:' and 'params:' keys."))
            continue
        unknown = set(item) - {"name", "description", "params"}
        if unknown:
            problems.append(Problem(path, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}.",
                                    column=where, fix="Use only name, description and params."))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(path, "the scenario has no name.", column=f"{where}.name",
                                    fix="Add name: <a short label>."))
            name = f"scenario {i + 1}"
        elif name in seen:
            problems.append(Problem(path, f"the name {name!r} is used twice.",
                                    column=f"{where}.name", fix="Give each scenario its own name."))
        seen.add(name)
        params = item.get("params") or {}
        if not isinstance(params, Mapping):
            problems.append(Problem(path, "params must map variable names to numbers.",
                                    column=f"{where}.params", fix="Write e.g. 'contact rate: 6'."))
            params = {}
        clean = {}
        for key, value in params.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(Problem(path, f"{value!r} is not a number.",
                                        column=f"{where}.params.{key}",
                                        fix="Give a number such as 0.25."))
                continue
            clean[str(key)] = float(value)
        out.append(Scenario(name, str(item.get("description") or "").strip(), clean))
    if problems:
        raise CaseFileError(problems)
    return out


def load_scenarios(path: str | os.PathLike[str]) -> list[Scenario]:
    """Read a ``scenarios.yaml`` file.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    list of Scenario

    Raises
    ------
    CaseFileError
        If the file is missing, is not valid YAML, or breaks the schema.

    Examples
    --------
    >>> load_scenarios("no/such/scenarios.yaml")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: no/such/scenarios.yaml: the file does not exist. Check the path.
    """
    where = relative(path)
    file = Path(path)
    if not file.is_file():
        raise CaseFileError([Problem(where, "the file does not exist.", fix="Check the path.")])
    raw = read_limited(file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CaseFileError([Problem(where, "The file is not UTF-8 text.", line=raw[: err.start].count(b"\n") + 1,
                                     fix="Save it again as UTF-8 text.")]) from None
    if not text.strip():
        raise CaseFileError([Problem(where, "The file is empty.",
                                     fix="Write 'scenarios:' followed by '- name: ...' items, or delete the file.")])
    data, _ = parse_yaml(text, where)
    return parse_scenarios(data, where)


def tidy(run: pd.DataFrame, **labels: str) -> pd.DataFrame:
    """Melt a wide run into columns (labels…, time, variable, value).

    Parameters
    ----------
    run : pandas.DataFrame
        Indexed by time, one column per variable.
    **labels : str
        Constant columns to add first (e.g. ``scenario="baseline"``).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([0.0, 1.0], name="time"))
    >>> tidy(run, scenario="a").to_dict("records")[1]
    {'scenario': 'a', 'time': 1.0, 'variable': 'x', 'value': 2.0}
    """
    frame = run.copy()
    frame.index = pd.Index(frame.index.astype(float), name="time")
    long = frame.reset_index().melt(id_vars="time", var_name="variable", value_name="value")
    for i, (key, value) in enumerate(labels.items()):
        long.insert(i, key, value)
    return long


def outcome_table(run: pd.DataFrame) -> pd.DataFrame:
    """Summarise each variable of a run: final value, peak, its time, cumulative total.

    The cumulative total is Σ value(t) · Δt over the saved times before the
    last one (Euler's rule), so for a flow it is the amount that flowed.

    Parameters
    ----------
    run : pandas.DataFrame
        Indexed by time, one numeric column per variable.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``final``, ``peak``, ``peak_time``, ``cumulative``.

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"flow": [2.0, 4.0, 1.0]}, index=[0.0, 1.0, 2.0])
    >>> outcome_table(run).to_dict("records")
    [{'variable': 'flow', 'final': 1.0, 'peak': 4.0, 'peak_time': 1.0, 'cumulative': 6.0}]
    """
    t = np.asarray(run.index, dtype=float)
    dt = np.diff(t)
    rows = []
    for col in run.select_dtypes(include=[np.number]).columns:
        y = run[col].to_numpy(float)
        peak = int(np.nanargmax(y))
        rows.append({"variable": col, "final": float(y[-1]), "peak": float(y[peak]),
                     "peak_time": float(t[peak]), "cumulative": float(np.sum(y[:-1] * dt))})
    return pd.DataFrame(rows, columns=["variable", "final", "peak", "peak_time", "cumulative"])


def run_scenarios(
    model: Model,
    scenarios: Sequence[Scenario] | str | os.PathLike[str],
    variables: Sequence[str] | None = None,
    final_time: float | None = None,
) -> ScenarioRuns:
    """Run every scenario and return tidy runs plus an outcome table.

    All scenarios are checked (names and ranges) before any runs.

    Parameters
    ----------
    model : Model
    scenarios : sequence of Scenario, or a path to ``scenarios.yaml``
    variables : sequence of str or None
        Variables to keep; default stocks and flows.
    final_time : float or None
        Override the model's FINAL TIME for every scenario.

    Returns
    -------
    ScenarioRuns
        ``runs`` (scenario, time, variable, value) and ``outcomes``
        (scenario, variable, final, peak, peak_time, cumulative).

    Raises
    ------
    CaseFileError
        If a scenarios file is malformed.
    ModelError
        If a scenario names an unknown parameter or an out-of-range value
        (the message names the scenario), or a run fails.

    Examples
    --------
    >>> [s.name for s in parse_scenarios({"scenarios": [{"name": "a"}, {"name": "b"}]})]
    ['a', 'b']
    """
    if isinstance(scenarios, str | os.PathLike):
        scenarios = load_scenarios(scenarios)
    for sc in scenarios:
        try:
            model.check_params(sc.params)
        except ModelError as err:
            raise ModelError(f"Scenario {sc.name!r}: {err.problem}", err.fix) from err
    cols = list(variables) if variables is not None else (model.stocks + model.flows) or None
    runs, outcomes = [], []
    for sc in scenarios:
        out = model.run(params=sc.params, final_time=final_time, return_columns=cols)
        runs.append(tidy(out, scenario=sc.name))
        table = outcome_table(out)
        table.insert(0, "scenario", sc.name)
        outcomes.append(table)
    return ScenarioRuns(pd.concat(runs, ignore_index=True),
                        pd.concat(outcomes, ignore_index=True))
