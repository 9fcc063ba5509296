"""Payoff tables: options by scenarios, checked and normalised, with the worked example FUT-T3."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal
import math

import numpy as np
import pandas as pd

from stp_helpers.errors import RobustnessError

__all__ = [
    "Better",
    "check_better",
    "example_payoffs",
    "normalise_weights",
    "payoff_table",
]


Better = Literal["higher", "lower"]


def example_payoffs() -> pd.DataFrame:
    """Return the worked example ``FUT-T3`` of methods.md §6.6 (net benefit, £m).

    Examples
    --------
    >>> example_payoffs().loc["B"].tolist()
    [8.0, 7.0, 5.0, 1.0]
    """
    return payoff_table({
        "A": {"S1": 10, "S2": 6, "S3": 2, "S4": -4},
        "B": {"S1": 8, "S2": 7, "S3": 5, "S4": 1},
        "C": {"S1": 12, "S2": 3, "S3": -1, "S4": -6},
        "D (do nothing)": {"S1": 2, "S2": 2, "S3": 2, "S4": 2},
    })


def check_better(better: str) -> None:
    if better not in ("higher", "lower"):
        raise RobustnessError(f"better={better!r} is not a direction.",
                              fix='Use better="higher" (a benefit) or better="lower" (a cost).')


def payoff_table(data: Mapping[str, Mapping[str, object]] | pd.DataFrame,
                 where: str = "the options table") -> pd.DataFrame:
    """Check an options × scenarios table and return it as floats.

    Parameters
    ----------
    data : mapping or DataFrame
        Option → {scenario → payoff}, or a frame with options as the index
        and scenarios as columns.
    where : str
        Named in messages (e.g. the file the table came from).

    Returns
    -------
    pandas.DataFrame
        Options as the index (named ``option``), scenarios as columns.

    Raises
    ------
    RobustnessError
        If the table is empty, or any cell is missing or not a number; the
        message lists every such cell by option and scenario.

    Examples
    --------
    >>> payoff_table({"A": {"S1": 1, "S2": 2}, "B": {"S1": 3}})
    Traceback (most recent call last):
    ...
    stp_helpers.errors.RobustnessError: the options table has a missing cell: option 'B' under scenario 'S2'. Fill in every option under every scenario (use 0 if the outcome is truly nothing).
    """
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
    else:
        if not isinstance(data, Mapping):
            raise RobustnessError(f"{where} is not a table of options and scenarios.",
                                  fix="Give a mapping option → {scenario → payoff}.")
        columns: list[str] = []
        for row in data.values():
            if not isinstance(row, Mapping):
                raise RobustnessError(f"{where}: each option needs a mapping of scenario → payoff.")
            columns += [str(c) for c in row if str(c) not in columns]
        frame = pd.DataFrame([[row.get(c, np.nan) for c in columns] for row in data.values()],
                             index=[str(k) for k in data], columns=columns, dtype=object)
    if frame.empty or frame.shape[1] == 0:
        raise RobustnessError(f"{where} is empty.", fix="Give at least one option and one scenario.")
    problems, missing = [], []
    values = np.full(frame.shape, np.nan)
    for i, option in enumerate(frame.index):
        for j, scenario in enumerate(frame.columns):
            cell = frame.iat[i, j]
            if cell is None or (isinstance(cell, float) and math.isnan(cell)):
                missing.append(f"option {option!r} under scenario {scenario!r}")
                continue
            if isinstance(cell, bool) or not isinstance(cell, int | float | np.integer | np.floating):
                problems.append(f"{cell!r} (option {option!r}, scenario {scenario!r}) is not a number")
                continue
            if not math.isfinite(float(cell)):
                problems.append(f"{cell!r} (option {option!r}, scenario {scenario!r}) is not finite")
                continue
            values[i, j] = float(cell)
    if missing:
        word = "a missing cell" if len(missing) == 1 else f"{len(missing)} missing cells"
        raise RobustnessError(f"{where} has {word}: {'; '.join(missing)}.",
                              fix="Fill in every option under every scenario (use 0 if the outcome is truly nothing).")
    if problems:
        raise RobustnessError(f"{where}: {'; '.join(problems)}.", fix="Give a number such as 2.5.")
    if frame.index.duplicated().any() or pd.Index(frame.columns).duplicated().any():
        raise RobustnessError(f"{where} names an option or scenario twice.", fix="Give each its own name.")
    out = pd.DataFrame(values, index=pd.Index([str(i) for i in frame.index], name="option"),
                       columns=[str(c) for c in frame.columns])
    out.columns.name = "scenario"
    return out


def normalise_weights(weights: Mapping[str, float] | None, scenarios: Sequence[str]) -> pd.Series:
    """Return scenario weights that sum to 1 (equal weights when ``weights`` is None).

    Weights are relative: ``{"S1": 2, "S2": 1}`` means S1 is twice as likely.

    Raises
    ------
    RobustnessError
        For an unknown scenario, a missing or negative weight, or weights summing to 0.

    Examples
    --------
    >>> normalise_weights({"S1": 3, "S2": 1}, ["S1", "S2"]).to_dict()
    {'S1': 0.75, 'S2': 0.25}
    """
    scenarios = list(scenarios)
    if weights is None:
        return pd.Series(1.0 / len(scenarios), index=scenarios)
    unknown = [k for k in weights if k not in scenarios]
    if unknown:
        raise RobustnessError(f"Weights name scenario(s) the table lacks: {', '.join(map(repr, unknown))}.",
                              fix=f"Use the scenarios of the table: {', '.join(scenarios)}.")
    missing = [s for s in scenarios if s not in weights]
    if missing:
        raise RobustnessError(f"No weight given for {', '.join(map(repr, missing))}.",
                              fix="Give every scenario a weight (0 rules it out).")
    series = pd.Series({s: float(weights[s]) for s in scenarios})
    if (series < 0).any() or not np.isfinite(series).all():
        raise RobustnessError("A weight is negative or not a number.", fix="Use weights of 0 or more.")
    if series.sum() <= 0:
        raise RobustnessError("The weights add up to 0.", fix="Give at least one scenario a positive weight.")
    return series / series.sum()
