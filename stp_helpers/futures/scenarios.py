"""Futures and scenarios: drivers, scenario structures and scenarios checked by model runs.

Methods.md §6.  A case holds two plain files for this method:

* ``drivers.csv``: one driver of change a row, with its STEEP/PESTLE
  category, a description, and scores 1–5 for **impact** on the focal
  question and for **uncertainty** (rule ``FUT-1``: predetermined when
  impact ≥ 4 and uncertainty ≤ 2; a critical uncertainty when both ≥ 4,
  ranked by impact × uncertainty);
* ``futures.yaml``: the focal question; named scenarios with a narrative,
  optional model parameters, claims a model run can check, and signposts;
  a 2×2 matrix, a question tree (Mont Fleur style) and Three Horizons; and
  the options to test against the scenarios (``robustness:``), with payoffs
  entered or computed from the case's stock-and-flow model.

Scenario parameters are exogenous (``FUT-3``): the futures set conditions
nobody in the case controls (a model constant), while the options set the
levers, usually by naming a run of the case's ``scenarios.yaml``.  Decision
rules live in :mod:`stp_helpers.futures.robustness`.

Examples
--------
>>> drivers = example_drivers()
>>> predetermined_elements(drivers)
['ageing population']
>>> critical_uncertainties(drivers)
['central funding settlement', 'voluntary-sector capacity', 'housing supply']
>>> choose_axes(drivers)
('central funding settlement', 'voluntary-sector capacity')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from stp_helpers import sd
from stp_helpers.errors import ModelError, ScenarioError
from stp_helpers.futures.records import (  # re-exported: the names keep working from this module
    AS_WRITTEN,
    Axis,
    CATEGORIES,
    Claim,
    Driver,
    FutureScenario,
    Futures,
    HorizonItem,
    Matrix,
    Option,
    Outcome,
    Quadrant,
    Question,
    Robustness,
    Signpost,
    choose_axes,
    classify_driver,
    critical_uncertainties,
    example_drivers,
    example_tree,
    predetermined_elements,
    rank_drivers,
    read_drivers,
    read_futures,
    tree_leaves,
    tree_questions,
)

__all__ = [
    "ScenarioError", "matrix_frame", "walk_tree", "tree_paths",
    "horizons_table", "signposts_table", "future_scenarios", "run_futures", "check_claims",
    "AS_WRITTEN",
    "Axis",
    "CATEGORIES",
    "Claim",
    "Driver",
    "FutureScenario",
    "Futures",
    "HorizonItem",
    "Matrix",
    "Option",
    "Outcome",
    "Quadrant",
    "Question",
    "Robustness",
    "Signpost",
    "choose_axes",
    "classify_driver",
    "critical_uncertainties",
    "example_drivers",
    "example_tree",
    "predetermined_elements",
    "rank_drivers",
    "read_drivers",
    "read_futures",
    "tree_leaves",
    "tree_questions",
]

#: STEEP categories plus PESTLE's legal.


def walk_tree(tree: Futures | Sequence[Question], answers: Sequence[str | bool]) -> str:
    """Follow yes/no answers from the first question to a scenario.

    Raises
    ------
    ScenarioError
        If an answer is not yes/no, answers run out before a scenario, or
        answers remain after one.

    Examples
    --------
    >>> walk_tree(example_tree(), ["yes", "yes", "no"])
    'Icarus'
    >>> walk_tree(example_tree(), ["no"])
    'Ostrich'
    """
    qs = tree_questions(tree)
    by_id = {q.id: q for q in qs}
    current = qs[0]
    for i, answer in enumerate(answers):
        word = ("yes" if answer else "no") if isinstance(answer, bool) else str(answer).strip().lower()
        if word not in ("yes", "no"):
            raise ScenarioError(f"Answer {i + 1} ({answer!r}) is not yes or no.", fix="Answer 'yes' or 'no'.")
        target = getattr(current, word)
        if target not in by_id:
            if i + 1 < len(answers):
                raise ScenarioError(f"Answer {i + 1} already reaches the scenario {target!r}; "
                                    f"{len(answers) - i - 1} answer(s) are left over.",
                                    fix="A 'no' ends its branch: drop the later answers.")
            return target
        current = by_id[target]
    raise ScenarioError(f"The answers stop at a question: {current.question}",
                        fix="Answer it with 'yes' or 'no'.")


def tree_paths(tree: Futures | Sequence[Question]) -> pd.DataFrame:
    """Every scenario the tree reaches, with the answers that lead to it.

    Examples
    --------
    >>> tree_paths(example_tree()).values.tolist()
    [['Flight of the Flamingos', 'yes, yes, yes', 3], ['Icarus', 'yes, yes, no', 3], ['Lame Duck', 'yes, no', 2], ['Ostrich', 'no', 1]]
    """
    leaves = tree_leaves(tree_questions(tree))
    return pd.DataFrame([{"scenario": s, "answers": ", ".join(p), "questions": len(p)} for s, p in leaves],
                        columns=["scenario", "answers", "questions"])


def matrix_frame(futures: Futures) -> pd.DataFrame:
    """The 2×2: each scenario with its pole on each axis.

    Raises
    ------
    ScenarioError
        When ``futures`` has no matrix.
    """
    if futures.matrix is None:
        raise ScenarioError("These futures have no 2x2 matrix.", fix="Add 'matrix:' to futures.yaml.")
    m = futures.matrix
    rows = [{"scenario": q.scenario, m.x.driver: getattr(m.x, q.x), m.y.driver: getattr(m.y, q.y),
             "x": q.x, "y": q.y} for q in m.quadrants]
    order = {("low", "high"): 0, ("high", "high"): 1, ("low", "low"): 2, ("high", "low"): 3}
    rows.sort(key=lambda r: order[(r["x"], r["y"])])
    return pd.DataFrame(rows).drop(columns=["x", "y"])


def horizons_table(futures: Futures) -> pd.DataFrame:
    """Three Horizons items in order H1, H2+, H2−, H3."""
    rank = {("H1", None): 0, ("H2", "+"): 1, ("H2", "-"): 2, ("H3", None): 3}
    rows = sorted(futures.horizons, key=lambda h: rank.get((h.horizon, h.direction), 4))
    return pd.DataFrame([{"horizon": h.horizon + (h.direction or "").replace("-", "−"), "item": h.item,
                          "note": h.note or ""} for h in rows], columns=["horizon", "item", "note"])


def signposts_table(futures: Futures, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Early-warning indicators for each scenario.

    Parameters
    ----------
    futures : Futures
    indicators : sequence of str, optional
        Indicators the case tracks (e.g. from its evaluation files); when
        given, a column says which signposts are among them.
    """
    rows = []
    known = {i.lower() for i in indicators} if indicators is not None else None
    for sc in futures.scenarios:
        for sp in sc.signposts:
            row = {"scenario": sc.name, "indicator": sp.indicator, "signal": sp.signal}
            if known is not None:
                row["tracked"] = "yes" if sp.indicator.lower() in known else "no"
            rows.append(row)
    cols = ["scenario", "indicator", "signal"] + (["tracked"] if known is not None else [])
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------ scenarios as runs
def future_scenarios(futures: Futures) -> list[sd.Scenario]:
    """The futures as :class:`stp_helpers.sd.Scenario` runs (narrative as description)."""
    return [sd.Scenario(s.name, s.narrative, dict(s.params)) for s in futures.scenarios]


def checked_params(model: sd.Model, params: Mapping[str, float], who: str) -> dict[str, object]:
    """The model's parameters checked for a scenario or option, with ``who`` named in any error."""
    try:
        return model.check_params(params)
    except ModelError as err:
        raise ModelError(f"futures.yaml, {who}: {err.problem}", err.fix) from err


def run_futures(model: sd.Model, futures: Futures, variables: Sequence[str] | None = None,
                reference: bool = True) -> sd.ScenarioRuns:
    """Run the model under every future; the model as written comes first when ``reference``.

    Raises
    ------
    ModelError
        When a scenario sets a parameter the model lacks (or a stock, or a
        value outside its range); the message names the scenario.
    """
    runs = future_scenarios(futures)
    for sc in runs:
        checked_params(model, sc.params, f"scenario {sc.name!r}")
    if reference:
        runs = [sd.Scenario(AS_WRITTEN, "The model's own values."), *runs]
    return sd.run_scenarios(model, runs, variables=variables)


def check_claims(model: sd.Model, futures: Futures) -> pd.DataFrame:
    """Check each narrative claim against a run: does the variable end up higher or lower?

    Each claim compares the scenario's run with the model as written.

    Returns
    -------
    pandas.DataFrame
        ``scenario``, ``claim``, ``variable``, ``measure``, ``as written``,
        ``in scenario``, ``model says`` and ``holds`` (True/False).
    """
    variables = list(dict.fromkeys(model.resolve(c.variable) for s in futures.scenarios for c in s.claims))
    if not variables:
        return pd.DataFrame(columns=["scenario", "claim", "variable", "measure", "as written", "in scenario",
                                     "model says", "holds"])
    _, outcomes = run_futures(model, futures, variables=variables)
    table = outcomes.set_index(["scenario", "variable"])
    rows = []
    for sc in futures.scenarios:
        for claim in sc.claims:
            var = model.resolve(claim.variable)
            base = float(table.loc[(AS_WRITTEN, var), claim.measure])
            value = float(table.loc[(sc.name, var), claim.measure])
            said = "higher" if value > base else "lower" if value < base else "unchanged"
            rows.append({"scenario": sc.name, "claim": claim.text, "variable": var, "measure": claim.measure,
                         "as written": round(base, 1), "in scenario": round(value, 1), "model says": said,
                         "holds": said == claim.direction})
    return pd.DataFrame(rows)
