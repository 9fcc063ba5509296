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
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stp_helpers import sd
from stp_helpers.errors import CaseFileError, ModelError, Problem, ScenarioError, StpError
from stp_helpers.paths import relative
from stp_helpers.io.tables import load_yaml, read_csv_rows, read_yaml_model

__all__ = [
    "ScenarioError", "CATEGORIES", "Driver", "read_drivers", "example_drivers", "classify_driver",
    "rank_drivers", "critical_uncertainties", "predetermined_elements", "choose_axes",
    "Futures", "read_futures", "example_tree", "matrix_frame", "walk_tree", "tree_paths",
    "horizons_table", "signposts_table", "future_scenarios", "run_futures", "check_claims",
    "AS_WRITTEN",
]

#: STEEP categories plus PESTLE's legal.
CATEGORIES = ("social", "technological", "economic", "environmental", "political", "legal")
#: Name of the run of the model as written, used as the reference for claims.
AS_WRITTEN = "model as written"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ------------------------------------------------------------------ drivers
class Driver(_Strict):
    """One row of ``drivers.csv``: a driver of change scored for impact and uncertainty."""

    required_columns: ClassVar[tuple[str, ...]] = ("driver", "category", "impact", "uncertainty", "source")

    driver: str = Field(min_length=1, description="a short name, e.g. 'central funding settlement'")
    category: Literal["social", "technological", "economic", "environmental", "political", "legal"] = Field(
        description="one of social, technological, economic, environmental, political, legal (STEEP/PESTLE)")
    description: str | None = Field(None, description="what the driver is and how it bears on the focal question")
    impact: int = Field(ge=1, le=5, description="a whole number from 1 (little impact) to 5 (decisive impact)")
    uncertainty: int = Field(ge=1, le=5, description="a whole number from 1 (predictable) to 5 (could go either way)")
    source: str = Field(min_length=1, description="the id of one of the case's sources, e.g. seed-000")

    @field_validator("category", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


def read_drivers(path: str | Path) -> list[Driver]:
    """Read and validate ``drivers.csv``.

    Raises
    ------
    CaseFileError
        Every problem: missing columns, scores outside 1–5, unknown
        categories, a driver named twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "drivers.csv"
    >>> _ = path.write_text("driver,category,impact,uncertainty,source\\nfunding,political,6,5,s1\\n")
    >>> read_drivers(path)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: ...drivers.csv, row 2, column "impact": '6' is above the largest allowed value (5). Expected: a whole number from 1 (little impact) to 5 (decisive impact)
    """
    path = Path(path)
    rows = read_csv_rows(path, Driver)
    seen: set[str] = set()
    problems = []
    for i, row in enumerate(rows):
        if row.driver.lower() in seen:
            problems.append(Problem(relative(path), f"The driver {row.driver!r} appears twice.", row=i + 2,
                                    column="driver", fix="Merge the two rows, or name them apart."))
        seen.add(row.driver.lower())
    if problems:
        raise CaseFileError(problems)
    return rows


def example_drivers() -> list[Driver]:
    """The six drivers of the worked example ``FUT-T1`` (methods.md §6.1)."""
    rows = [("ageing population", "social", 5, 1), ("central funding settlement", "political", 5, 5),
            ("housing supply", "economic", 4, 4), ("digital adoption", "technological", 3, 4),
            ("voluntary-sector capacity", "social", 4, 5), ("severe weather", "environmental", 2, 5)]
    return [Driver(driver=d, category=c, impact=i, uncertainty=u, source="methods.md FUT-T1")
            for d, c, i, u in rows]


def classify_driver(impact: int, uncertainty: int) -> str:
    """Rule ``FUT-1``: "predetermined", "critical uncertainty" or "other".

    Examples
    --------
    >>> classify_driver(5, 1), classify_driver(4, 4), classify_driver(3, 5)
    ('predetermined', 'critical uncertainty', 'other')
    """
    if impact >= 4 and uncertainty <= 2:
        return "predetermined"
    if impact >= 4 and uncertainty >= 4:
        return "critical uncertainty"
    return "other"


def rank_drivers(drivers: Sequence[Driver]) -> pd.DataFrame:
    """Drivers with score (impact × uncertainty) and role, highest score first.

    Ties keep the order of the file after impact.  ``rank`` numbers the
    critical uncertainties 1, 2, …; other rows have rank 0.

    Examples
    --------
    >>> rank_drivers(example_drivers())[["driver", "score", "role"]].head(2).values.tolist()
    [['central funding settlement', 25, 'critical uncertainty'], ['voluntary-sector capacity', 20, 'critical uncertainty']]
    """
    if not drivers:
        raise ScenarioError("There are no drivers to rank.", fix="Add rows to drivers.csv.")
    rows = [{"driver": d.driver, "category": d.category, "impact": d.impact, "uncertainty": d.uncertainty,
             "score": d.impact * d.uncertainty, "role": classify_driver(d.impact, d.uncertainty),
             "order": i} for i, d in enumerate(drivers)]
    frame = pd.DataFrame(rows).sort_values(["score", "impact", "order"], ascending=[False, False, True],
                                           kind="stable")
    critical = frame["role"] == "critical uncertainty"
    frame["rank"] = 0
    frame.loc[critical, "rank"] = range(1, int(critical.sum()) + 1)
    return frame.drop(columns="order").reset_index(drop=True)


def critical_uncertainties(drivers: Sequence[Driver]) -> list[str]:
    """Critical uncertainties (``FUT-1``), highest impact × uncertainty first."""
    table = rank_drivers(drivers)
    return table.loc[table["role"] == "critical uncertainty", "driver"].tolist()


def predetermined_elements(drivers: Sequence[Driver]) -> list[str]:
    """Predetermined elements (``FUT-1``): present in every scenario."""
    table = rank_drivers(drivers)
    return table.loc[table["role"] == "predetermined", "driver"].tolist()


def choose_axes(drivers: Sequence[Driver], dependent: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """The two highest-ranked critical uncertainties the group judges independent.

    Parameters
    ----------
    drivers : sequence of Driver
    dependent : sequence of (str, str)
        Pairs the group judges not independent (one largely drives the other).

    Raises
    ------
    ScenarioError
        When fewer than two critical uncertainties form an independent pair.

    Examples
    --------
    >>> choose_axes(example_drivers(), dependent=[("central funding settlement", "voluntary-sector capacity")])
    ('central funding settlement', 'housing supply')
    """
    ranked = critical_uncertainties(drivers)
    banned = {frozenset(p) for p in dependent}
    for i, first in enumerate(ranked):
        for second in ranked[i + 1:]:
            if frozenset((first, second)) not in banned:
                return first, second
    raise ScenarioError(f"{len(ranked)} critical uncertaint{'y' if len(ranked) == 1 else 'ies'} "
                        "found; a 2x2 needs two that are independent.",
                        fix="Re-score the drivers with the group, or build a question tree instead.")


# ------------------------------------------------------------- futures.yaml
class Axis(_Strict):
    driver: str = Field(min_length=1, description="the critical uncertainty on this axis (a driver's name)")
    low: str = Field(min_length=1, description="a label for the low pole")
    high: str = Field(min_length=1, description="a label for the high pole")


class Quadrant(_Strict):
    scenario: str = Field(min_length=1, description="the name of one of the scenarios")
    x: Literal["low", "high"] = Field(description="low or high")
    y: Literal["low", "high"] = Field(description="low or high")


class Matrix(_Strict):
    x: Axis
    y: Axis
    quadrants: list[Quadrant] = Field(min_length=4, max_length=4, description="four quadrants")


class Question(_Strict):
    id: str = Field(min_length=1, description="a short id other questions point to")
    question: str = Field(min_length=1, description="a yes/no question")
    yes: str = Field(min_length=1, description="the id of the next question, or a scenario name")
    no: str = Field(min_length=1, description="the id of the next question, or a scenario name")

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        # YAML 1.1 reads the keys yes/no as booleans True/False.
        if isinstance(data, dict):
            data = {({True: "yes", False: "no"}[k] if isinstance(k, bool) else k): v for k, v in data.items()}
        return data


class HorizonItem(_Strict):
    item: str = Field(min_length=1)
    horizon: Literal["H1", "H2", "H3"] = Field(description="H1, H2 or H3")
    direction: Literal["+", "-"] | None = Field(None, description="'+' or '-' for H2 items only (rule TH-1)")
    note: str | None = None


class Claim(_Strict):
    text: str = Field(min_length=1, description="the narrative's claim in words")
    variable: str = Field(min_length=1, description="a model variable")
    measure: Literal["final", "peak", "cumulative"] = "final"
    direction: Literal["higher", "lower"] = Field(description="higher or lower than the model as written")


class Signpost(_Strict):
    indicator: str = Field(min_length=1, description="what to watch (ideally an indicator the case tracks)")
    signal: str = Field(min_length=1, description="the change that says this scenario is unfolding")


class FutureScenario(_Strict):
    name: str = Field(min_length=1)
    narrative: str = Field(min_length=1, description="the scenario's story in a paragraph")
    params: dict[str, float] = Field(default_factory=dict,
                                     description="exogenous model constants → values for this future")
    claims: list[Claim] = Field(default_factory=list)
    signposts: list[Signpost] = Field(default_factory=list)


class Outcome(_Strict):
    variable: str = Field(min_length=1, description="the model variable the options are judged on")
    measure: Literal["final", "peak", "cumulative"] = "cumulative"
    unit: str = Field(min_length=1, description="its unit, e.g. contacts")


class Option(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    policy: str | None = Field(None, description="the name of a run in the case's scenarios.yaml")
    params: dict[str, float] = Field(default_factory=dict, description="lever values for this option")
    cost: float = Field(0.0, description="cost in the payoff's unit, subtracted from the benefit")
    payoffs: dict[str, float] | None = Field(None, description="scenario name → payoff, when entered by hand")


class Robustness(_Strict):
    payoff: str = Field(min_length=1, description="what the payoff measures, e.g. 'Net benefit'")
    unit: str = Field(min_length=1, description="the payoff's unit, e.g. £m")
    better: Literal["higher", "lower"] = "higher"
    outcome: Outcome | None = None
    value_per_unit: float | None = Field(None, description="payoff units per outcome unit avoided")
    reference: str | None = Field(None, description="the option benefits are counted against")
    weights: dict[str, float] | None = Field(None, description="scenario name → relative weight")
    options: list[Option] = Field(min_length=2)
    synthetic: bool = False


class Futures(_Strict):
    """The contents of ``futures.yaml``."""

    focal_question: str = Field(min_length=1, description="the question the scenarios serve")
    source: str = Field(min_length=1, description="the id of one of the case's sources")
    synthetic: bool = False
    year: int | None = Field(None, description="the year the scenarios look to")
    scenarios: list[FutureScenario] = Field(min_length=1)
    matrix: Matrix | None = None
    tree: list[Question] | None = None
    horizons: list[HorizonItem] = Field(default_factory=list)
    robustness: Robustness | None = None

    def scenario(self, name: str) -> FutureScenario:
        """Return the scenario called ``name``."""
        for item in self.scenarios:
            if item.name == name:
                return item
        raise ScenarioError(f"There is no scenario {name!r}.",
                            fix=f"Use one of: {', '.join(s.name for s in self.scenarios)}.")

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]


def _cross_problems(fut: Futures, name: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    out: list[Problem] = []

    def add(problem: str, loc: tuple[Any, ...], fix: str) -> None:
        column = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        line = next((lines[loc[:k]] for k in range(len(loc), 0, -1) if loc[:k] in lines), None)
        out.append(Problem(name, problem, column=column, line=line, fix=fix))

    names = fut.names
    for i, sc in enumerate(fut.scenarios):
        if names.index(sc.name) != i:
            add(f"The scenario name {sc.name!r} is used twice.", ("scenarios", i, "name"), "Give each its own name.")
    if fut.matrix is not None:
        seen = set()
        for i, quad in enumerate(fut.matrix.quadrants):
            if quad.scenario not in names:
                add(f"{quad.scenario!r} is not one of the scenarios.", ("matrix", "quadrants", i, "scenario"),
                    f"Use one of: {', '.join(names)}.")
            if (quad.x, quad.y) in seen:
                add(f"Two quadrants sit at x={quad.x}, y={quad.y}.", ("matrix", "quadrants", i),
                    "Give the four quadrants the four combinations of low and high.")
            seen.add((quad.x, quad.y))
        if fut.matrix.x.driver == fut.matrix.y.driver:
            add("Both axes use the same driver.", ("matrix", "y", "driver"), "Choose two independent uncertainties.")
    if fut.tree:
        ids = [q.id for q in fut.tree]
        reached: set[str] = set()
        for i, q in enumerate(fut.tree):
            if ids.index(q.id) != i:
                add(f"The question id {q.id!r} is used twice.", ("tree", i, "id"), "Give each question its own id.")
            for branch in ("yes", "no"):
                target = getattr(q, branch)
                reached.add(target)
                if target not in ids and target not in names:
                    add(f"{target!r} is neither a question id nor a scenario.", ("tree", i, branch),
                        f"Point to a question ({', '.join(ids)}) or a scenario ({', '.join(names)}).")
        for i, q in enumerate(fut.tree[1:], start=1):
            if q.id not in reached:
                add(f"No answer leads to question {q.id!r}.", ("tree", i, "id"),
                    "Point a 'yes' or 'no' of an earlier question to it, or remove it.")
        if not out:
            try:
                _tree_leaves(fut.tree)
            except ScenarioError as err:
                add(err.problem, ("tree",), err.fix or "")
    for i, item in enumerate(fut.horizons):
        if item.horizon == "H2" and item.direction is None:
            add(f"The H2 item {item.item!r} has no direction (rule TH-1).", ("horizons", i),
                "Add direction: '+' (builds towards H3) or '-' (prolongs H1).")
        if item.horizon != "H2" and item.direction is not None:
            add(f"Only H2 items take a direction; {item.item!r} is {item.horizon}.", ("horizons", i, "direction"),
                "Remove the direction.")
    rob = fut.robustness
    if rob is not None:
        opts = [o.name for o in rob.options]
        entered = [o.payoffs is not None for o in rob.options]
        for i, opt in enumerate(rob.options):
            if opts.index(opt.name) != i:
                add(f"The option {opt.name!r} is listed twice.", ("robustness", "options", i, "name"),
                    "Give each option its own name.")
            for key in opt.payoffs or {}:
                if key not in names:
                    add(f"{key!r} is not one of the scenarios.", ("robustness", "options", i, "payoffs", key),
                        f"Use one of: {', '.join(names)}.")
            missing = [s for s in names if opt.payoffs is not None and s not in opt.payoffs]
            if missing:
                add(f"The options table has missing cells: option {opt.name!r} has no payoff under "
                    f"{', '.join(map(repr, missing))}.", ("robustness", "options", i, "payoffs"),
                    "Give a payoff for every scenario.")
        if any(entered) and not all(entered):
            add("Some options have payoffs entered and some do not.", ("robustness", "options"),
                "Enter payoffs for every option, or for none (then they are computed from the model).")
        if not any(entered) and rob.outcome is None:
            add("The payoffs are neither entered nor computable: there is no outcome.", ("robustness",),
                "Add 'outcome:' (variable, measure, unit) or enter 'payoffs:' for each option.")
        if rob.reference is not None and rob.reference not in opts:
            add(f"The reference {rob.reference!r} is not one of the options.", ("robustness", "reference"),
                f"Use one of: {', '.join(opts)}.")
        for key in rob.weights or {}:
            if key not in names:
                add(f"{key!r} is not one of the scenarios.", ("robustness", "weights", key),
                    f"Use one of: {', '.join(names)}.")
        if rob.weights is not None and any(v < 0 for v in rob.weights.values()):
            add("A weight is negative.", ("robustness", "weights"), "Use weights of 0 or more.")
    return out


def read_futures(path: str | Path) -> Futures:
    """Read and validate ``futures.yaml``, cross-checking every name it uses.

    Raises
    ------
    CaseFileError
        Every problem, with its line: schema errors, quadrants or tree
        branches naming unknown scenarios, a tree with a loop, an H2 item
        without a direction, an options table with missing cells.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "futures.yaml"
    >>> _ = path.write_text("focal_question: q\\nsource: s\\nscenarios:\\n  - name: A\\n    narrative: a\\n"
    ...                     "horizons:\\n  - item: pilot\\n    horizon: H2\\n")
    >>> read_futures(path)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: ...futures.yaml, line 7, column "horizons[0]": The H2 item 'pilot' has no direction (rule TH-1). Add direction: '+' (builds towards H3) or '-' (prolongs H1).
    """
    path = Path(path)
    fut = read_yaml_model(path, Futures)
    _, lines = load_yaml(path)
    problems = _cross_problems(fut, relative(path), lines)
    if problems:
        raise CaseFileError(problems)
    return fut


# --------------------------------------------------------------- structures
def example_tree() -> list[Question]:
    """The Mont Fleur question tree (``FUT-T2``, methods.md §6.3)."""
    return [Question(id="settlement", question="Is a negotiated settlement reached?", yes="transition",
                     no="Ostrich"),
            Question(id="transition", question="Is the transition rapid and decisive?", yes="policies",
                     no="Lame Duck"),
            Question(id="policies", question="Are the new government's policies sustainable?",
                     yes="Flight of the Flamingos", no="Icarus")]


def _questions(tree: Futures | Sequence[Question]) -> list[Question]:
    qs = tree.tree if isinstance(tree, Futures) else list(tree)
    if not qs:
        raise ScenarioError("There is no question tree.", fix="Add 'tree:' to futures.yaml.")
    return qs


def _tree_leaves(tree: Sequence[Question]) -> list[tuple[str, tuple[str, ...]]]:
    by_id = {q.id: q for q in tree}
    out: list[tuple[str, tuple[str, ...]]] = []

    def walk(qid: str, path: tuple[str, ...], seen: tuple[str, ...]) -> None:
        if qid in seen:
            raise ScenarioError(f"The question tree loops back to {qid!r}.",
                                fix="Make every branch end in a scenario.")
        q = by_id[qid]
        for branch in ("yes", "no"):
            target = getattr(q, branch)
            if target in by_id:
                walk(target, path + (branch,), seen + (qid,))
            else:
                out.append((target, path + (branch,)))

    walk(tree[0].id, (), ())
    return out


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
    qs = _questions(tree)
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
    leaves = _tree_leaves(_questions(tree))
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


def _checked(model: sd.Model, params: Mapping[str, float], who: str) -> dict[str, object]:
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
        _checked(model, sc.params, f"scenario {sc.name!r}")
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
