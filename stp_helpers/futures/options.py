"""Options appraisal: weighted ranking, weight sensitivity, trade-offs and the Pareto front.

Each option is scored on each criterion, in the criterion's own unit, or the
score is taken from a run of the case's model (a scenario, a variable and a
metric: final, peak or cumulative).  Scores are rescaled per criterion to
0–1 with 1 the best (min–max, turned round when lower is better); weights
are rescaled to sum to 1 (equal weights are the neutral convention, as in
the expected-value rule of methods reference §6.6).  The weighted sum ranks
the options.

Sensitivity asks, for each criterion, how far its weight can move (the other
weights keeping their proportions) before the ranking changes: each
option's score is linear in the weight, so the answer is the nearest point
where two lines cross.  The Pareto front is the options no other option
beats on every criterion; between them lie the trade-offs, which the
workbook writes out as the difficult choices.

Examples
--------
>>> rows = pd.DataFrame({"option": ["A", "A", "B", "B", "C", "C"],
...                      "criterion": ["reach", "cost"] * 3, "weight": [0.6, 0.4] * 3,
...                      "better": ["higher"] * 6, "score": [10, 0, 0, 10, 7, 2]})
>>> appraisal = build_appraisal(rows)
>>> rank_options(appraisal)[["option", "score", "rank"]]
  option  score  rank
0      A    0.6     1
1      C    0.5     2
2      B    0.4     3
>>> weight_sensitivity(appraisal)[["criterion", "weight", "low", "high", "move"]]
  criterion  weight    low   high   move
0     reach     0.6  0.533  1.000  0.067
1      cost     0.4  0.000  0.467  0.067
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from stp_helpers.display import Markdown, join, md
from stp_helpers.errors import CaseFileError, OptionsError, Problem
from stp_helpers.paths import relative
from stp_helpers.io.tables import read_csv_rows

if TYPE_CHECKING:
    from stp_helpers.case import Case

__all__ = ["OptionScore", "OptionsError", "Appraisal", "read_options", "build_appraisal", "load_appraisal",
           "normalise", "rank_options", "weight_sensitivity", "pareto_front", "trade_offs"]

METRICS = ("final", "peak", "cumulative")


class OptionScore(BaseModel):
    """One row of ``options.csv``: one option scored on one criterion."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    required_columns: ClassVar[tuple[str, ...]] = ("option", "criterion", "weight", "better", "score")

    option: str = Field(min_length=1, description="the option's name, e.g. January starts")
    criterion: str = Field(min_length=1, description="what is judged, e.g. NEET after 4 years")
    weight: float = Field(ge=0, description="a number 0 or more, the same on every row of the criterion")
    better: Literal["higher", "lower"] = Field(description="higher or lower: which way is better")
    score: float | None = Field(None, description="a number in the criterion's unit (blank if from a model run)")
    unit: str | None = Field(None, description="the criterion's unit, e.g. young people")
    scenario: str | None = Field(None, description="a scenario in scenarios.yaml whose run gives the score")
    variable: str | None = Field(None, description="the model variable the score is taken from")
    metric: Literal["final", "peak", "cumulative"] | None = Field(None, description="final, peak or cumulative")
    evidence: str | None = Field(None, description="where the score comes from")
    source: str | None = Field(None, description="the case source id, or 'synthetic'")

    @model_validator(mode="after")
    def _score_or_run(self) -> OptionScore:
        if self.score is None and not (self.scenario and self.variable):
            raise ValueError("give a score, or a scenario and a variable to take it from a model run")
        return self


def read_options(path: str | Path) -> list[OptionScore]:
    """Read and validate ``options.csv``.

    Raises
    ------
    CaseFileError
        Bad values (with row and column); a criterion whose weight or
        direction differs between rows; an option scored twice on a criterion;
        an option not scored on every criterion.
    """
    path = Path(path)
    rows = read_csv_rows(path, OptionScore)
    name = relative(path)
    problems = []
    first: dict[str, tuple[int, OptionScore]] = {}
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows, start=2):
        if row.criterion in first:
            j, ref = first[row.criterion]
            for col in ("weight", "better", "unit"):
                if getattr(row, col) != getattr(ref, col):
                    problems.append(Problem(name, f"{row.criterion!r} has {col} {getattr(row, col)!r} here but "
                                            f"{getattr(ref, col)!r} on row {j}.", row=i, column=col,
                                            fix=f"Give the criterion one {col} on every row."))
        else:
            first[row.criterion] = (i, row)
        if (row.option, row.criterion) in seen:
            problems.append(Problem(name, f"{row.option!r} is scored twice on {row.criterion!r}.", row=i,
                                    column="option", fix="Keep one row per option and criterion."))
        seen.add((row.option, row.criterion))
    for option in dict.fromkeys(r.option for r in rows):
        lacking = [c for c in first if (option, c) not in seen]
        if lacking:
            problems.append(Problem(name, f"{option!r} has no score on {', '.join(map(repr, lacking))}.",
                                    fix="Score every option on every criterion."))
    if problems:
        raise CaseFileError(problems)
    return rows


@dataclass(frozen=True)
class Appraisal:
    """Options × criteria scores with each criterion's weight, direction and unit.

    Attributes
    ----------
    scores : DataFrame
        Raw scores, one row per option, one column per criterion.
    weights : Series
        Weights as given (not rescaled), by criterion.
    better : Series
        ``"higher"`` or ``"lower"``, by criterion.
    units : Series
        Units, by criterion ('' when not given).
    """

    scores: pd.DataFrame
    weights: pd.Series
    better: pd.Series
    units: pd.Series

    @property
    def options(self) -> list[str]:
        return list(self.scores.index)

    @property
    def criteria(self) -> list[str]:
        return list(self.scores.columns)

    def with_weights(self, weights: Mapping[str, float]) -> Appraisal:
        """A copy with some weights changed."""
        unknown = [k for k in weights if k not in self.criteria]
        if unknown:
            raise OptionsError(f"Unknown criterion: {', '.join(unknown)}.", f"Use one of: {', '.join(self.criteria)}.")
        new = self.weights.copy()
        for k, v in weights.items():
            new[k] = float(v)
        return Appraisal(self.scores, new, self.better, self.units)


def build_appraisal(rows: Sequence[OptionScore] | pd.DataFrame, runs: pd.DataFrame | None = None) -> Appraisal:
    """Gather option rows into an :class:`Appraisal`.

    Parameters
    ----------
    rows : list of OptionScore, or DataFrame with the same columns
    runs : DataFrame, optional
        Outcomes of model runs (``scenario``, ``variable``, ``final``,
        ``peak``, ``cumulative``, as from :func:`stp_helpers.sd.run_scenarios`)
        for rows whose score is blank.

    Raises
    ------
    OptionsError
        Fewer than two options, no criterion, weights all zero, a negative
        weight, a score missing with no run to take it from.
    """
    frame = pd.DataFrame([r.model_dump() for r in rows]) if not isinstance(rows, pd.DataFrame) else rows.copy()
    for col, default in (("unit", ""), ("scenario", None), ("variable", None), ("metric", None), ("score", None)):
        if col not in frame:
            frame[col] = default
    if frame.empty:
        raise OptionsError("There are no options.", "Add rows: option, criterion, weight, better, score.")
    scores = []
    for _, row in frame.iterrows():
        value = row["score"]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            if runs is None or not row["scenario"]:
                raise OptionsError(f"{row['option']!r} has no score on {row['criterion']!r}.",
                                   "Enter a score, or give a scenario and variable and run the model.")
            hit = runs[(runs["scenario"] == row["scenario"]) & (runs["variable"] == row["variable"])]
            if hit.empty:
                raise OptionsError(f"No model run for scenario {row['scenario']!r} and variable {row['variable']!r}.",
                                   "Check the names against scenarios.yaml and the model.")
            value = float(hit.iloc[0][row["metric"] or "final"])
        scores.append(float(value))
    frame["score"] = scores
    table = frame.pivot_table(index="option", columns="criterion", values="score", aggfunc="first", sort=False)
    table = table.reindex(index=list(dict.fromkeys(frame["option"])), columns=list(dict.fromkeys(frame["criterion"])))
    table.columns.name, table.index.name = None, "option"
    if table.isna().any().any():
        raise OptionsError("Some options are not scored on every criterion.", "Score every option on every criterion.")
    if len(table) < 2:
        raise OptionsError("An appraisal needs at least two options.", "Add another option (doing nothing counts).")
    per = frame.drop_duplicates("criterion").set_index("criterion")
    weights = per["weight"].astype(float).reindex(table.columns)
    if (weights < 0).any() or weights.sum() <= 0:
        raise OptionsError("The weights must be 0 or more and not all 0.", "Give at least one criterion a weight.")
    units = per["unit"].fillna("").astype(str).reindex(table.columns)
    return Appraisal(table.astype(float), weights, per["better"].reindex(table.columns), units)


def load_appraisal(found: Case) -> Appraisal:
    """Read a case's ``options.csv``, running its model for scores taken from runs."""
    rows = read_options(found.artefact_path("options.csv"))
    runs = None
    wanted = [r for r in rows if r.score is None]
    if wanted:
        from stp_helpers import sd  # heavy (PySD): only scores taken from runs need it

        name = "model.mdl" if found.has("model.mdl") else "model.xmile"
        model = sd.load_model(found.artefact_path(name))
        scenarios = [s for s in sd.load_scenarios(found.artefact_path("scenarios.yaml"))
                     if s.name in {r.scenario for r in wanted}]
        runs = sd.run_scenarios(model, scenarios, variables=sorted({r.variable for r in wanted})).outcomes
    return build_appraisal(rows, runs)


def normalise(appraisal: Appraisal) -> pd.DataFrame:
    """Scores rescaled per criterion to 0–1, 1 the best; a criterion on which all tie scores 1."""
    out = {}
    for c in appraisal.criteria:
        col = appraisal.scores[c]
        lo, hi = col.min(), col.max()
        scaled = (col - lo) / (hi - lo) if hi > lo else col * 0 + 1.0
        out[c] = 1 - scaled if appraisal.better[c] == "lower" and hi > lo else scaled
    return pd.DataFrame(out, index=appraisal.scores.index)


def rank_options(appraisal: Appraisal, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Weighted scores and ranks, best first.

    Returns
    -------
    DataFrame
        ``option``, ``score`` (0–1), ``rank`` (ties share a rank), and one
        column per criterion with its weighted contribution.
    """
    chosen = appraisal.with_weights(weights) if weights else appraisal
    if chosen.weights.sum() <= 0:
        raise OptionsError("The weights are all 0.", "Give at least one criterion a weight.")
    w = chosen.weights / chosen.weights.sum()
    parts = normalise(chosen) * w
    table = parts.copy()
    table.insert(0, "score", parts.sum(axis=1))
    table = table.round(3).reset_index()
    table["rank"] = table["score"].rank(method="min", ascending=False).astype(int)
    table = table.sort_values(["rank", "option"], kind="stable").reset_index(drop=True)
    return table[["option", "score", "rank", *appraisal.criteria]]


def _lines(appraisal: Appraisal, criterion: str) -> tuple[float, pd.Series, pd.Series]:
    w = appraisal.weights / appraisal.weights.sum()
    norm = normalise(appraisal)
    w0 = float(w[criterion])
    others = [c for c in appraisal.criteria if c != criterion]
    if w0 < 1:
        rest = (norm[others] * w[others]).sum(axis=1) / (1 - w0)
    else:
        rest = norm[others].mean(axis=1)
    return w0, norm[criterion], rest


def weight_sensitivity(appraisal: Appraisal, which: Literal["ranking", "top"] = "ranking") -> pd.DataFrame:
    """How far each criterion's weight can move before the ranking (or the top option) changes.

    The weight w of one criterion moves from 0 to 1 while the others keep
    their proportions; each option's score is then w·sᵢ + (1 − w)·rᵢ.

    Parameters
    ----------
    appraisal : Appraisal
    which : {"ranking", "top"}
        Watch the whole ranking, or only which option is first.

    Returns
    -------
    DataFrame
        ``criterion``, ``weight`` (rescaled), ``low`` and ``high`` (the range
        over which the ranking holds), ``move`` (the smaller distance to a
        change; NaN when no weight changes it) and ``change`` (what happens first).
    """
    if which not in ("ranking", "top"):
        raise OptionsError(f"which={which!r} is not known.", 'Use "ranking" or "top".')
    rows = []
    base = rank_options(appraisal)
    top = base["option"].iloc[0]
    for c in appraisal.criteria:
        w0, s, r = _lines(appraisal, c)
        low, high, below, above = 0.0, 1.0, "", ""
        if len(appraisal.criteria) > 1:
            for o, p in itertools.combinations(appraisal.options, 2):
                if which == "top" and top not in (o, p):
                    continue
                d0, slope = r[o] - r[p], (s[o] - s[p]) - (r[o] - r[p])
                if abs(slope) < 1e-12:
                    continue
                cross = -d0 / slope
                if not 0 <= cross <= 1:
                    continue
                later = o if slope > 0 else p  # ahead once the weight passes the crossing
                earlier = p if later == o else o
                if cross < w0 - 1e-12 and cross > low:
                    low, below = cross, f"below {cross:.3f}, {earlier} overtakes {later}"
                elif cross > w0 + 1e-12 and cross < high:
                    high, above = cross, f"above {cross:.3f}, {later} overtakes {earlier}"
        moves = [d for d, t in ((w0 - low, below), (high - w0, above)) if t]
        move = min(moves) if moves else math.nan
        change = (below if below and (not above or w0 - low <= high - w0) else above) or "no weight changes it"
        rows.append({"criterion": c, "weight": round(w0, 3), "low": round(low, 3), "high": round(high, 3),
                     "move": round(move, 3), "change": change})
    return pd.DataFrame(rows, columns=["criterion", "weight", "low", "high", "move", "change"])


def pareto_front(appraisal: Appraisal) -> list[str]:
    """Options that no other option beats on every criterion (at least as good on all, better on one).

    >>> rows = pd.DataFrame({"option": list("AABBCC"), "criterion": ["x", "y"] * 3, "weight": 1,
    ...                      "better": "higher", "score": [1, 5, 5, 1, 1, 1]})
    >>> pareto_front(build_appraisal(rows))
    ['A', 'B']
    """
    norm = normalise(appraisal)
    front = []
    for o in appraisal.options:
        beaten = any((norm.loc[p] >= norm.loc[o]).all() and (norm.loc[p] > norm.loc[o]).any()
                     for p in appraisal.options if p != o)
        if not beaten:
            front.append(o)
    return front


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"
    return f"{text} {unit}".strip()


def trade_offs(appraisal: Appraisal) -> Markdown:
    """The difficult choices, written out: dominated options, trade-offs on the front, the fragile weights."""
    norm = normalise(appraisal)
    front = pareto_front(appraisal)
    ranking = rank_options(appraisal)
    lines = [md("- **{option}** ranks first with the weights as given (score {score} of 1).",
                option=ranking['option'].iloc[0], score=f"{ranking['score'].iloc[0]:.2f}")]
    for o in appraisal.options:
        if o not in front:
            by = [p for p in front if (norm.loc[p] >= norm.loc[o]).all()]
            lines.append(md("- **{o}** is dominated: {by} is at least as good on every criterion.",
                            o=o, by=", ".join(by)))
    for o, p in itertools.combinations(front, 2):
        gains = [c for c in appraisal.criteria if norm.loc[o, c] > norm.loc[p, c]]
        losses = [c for c in appraisal.criteria if norm.loc[o, c] < norm.loc[p, c]]
        if gains and losses:
            def say(cs: list[str]) -> str:
                return "; ".join(f"{c} ({_fmt(appraisal.scores.loc[o, c], appraisal.units[c])} against "
                                 f"{_fmt(appraisal.scores.loc[p, c], appraisal.units[c])})" for c in cs)
            lines.append(md("- Choosing **{o}** over **{p}** gains on {gains}, but gives up {losses}.",
                            o=o, p=p, gains=say(gains), losses=say(losses)))
    sens = weight_sensitivity(appraisal, which="top").dropna(subset=["move"])
    if not sens.empty:
        tight = sens.sort_values("move", kind="stable").iloc[0]
        lines.append(md("- The first choice turns on the weight of **{criterion}** (now {weight}): {change}.",
                        criterion=tight['criterion'], weight=f"{tight['weight']:.2f}", change=tight['change']))
    else:
        lines.append(Markdown("- No single weight, moved alone, changes the first choice."))
    return join(lines)
