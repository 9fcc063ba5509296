"""Drivers and futures files: the drivers register, scenario structures and their reading, with every problem named by file, line and fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
import pandas as pd

from stp_helpers.errors import CaseFileError, Problem, ScenarioError
from stp_helpers.io.tables import load_yaml, read_csv_rows, read_yaml_model
from stp_helpers.paths import relative

__all__ = [
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
    success: str = Field("", description="what success looks like in this future, and for whom (duty 8)")
    risks: list[str] = Field(default_factory=list, description="what could go wrong in this future")
    opportunities: list[str] = Field(default_factory=list, description="what this future opens up")


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
                tree_leaves(fut.tree)
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


def tree_questions(tree: Futures | Sequence[Question]) -> list[Question]:
    qs = tree.tree if isinstance(tree, Futures) else list(tree)
    if not qs:
        raise ScenarioError("There is no question tree.", fix="Add 'tree:' to futures.yaml.")
    return qs


def tree_leaves(tree: Sequence[Question]) -> list[tuple[str, tuple[str, ...]]]:
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
