"""Duty 9's output: intervention options tested across futures and on the model, with their assumptions explicit.

The options live in files the futures wing already reads: ``options.csv``
(each option scored on each criterion, a score entered with its evidence and
source or taken from a run of the case's model) and the ``robustness:``
section of ``futures.yaml`` (the options run under every future, with the
value of the outcome avoided and each option's cost).  This module names the
assumptions those files rest on, tests how far one can move before the
robust choice changes, and checks the options record.

Quality rules (a workbook design, after the duty's activity "develop at least
three intervention options ... test them against the scenarios and with the
model"; the criteria ask that assumptions be made explicit):

- ``IO-1`` at least three options are appraised;
- ``IO-2`` every score says where it comes from (its evidence: a model run, an
  estimate, a judgement), so the assumption behind it is explicit;
- ``IO-3`` every score names its source: a source id of the case, or
  ``synthetic`` for an invented teaching value;
- ``IO-4`` at least one criterion is taken from a run of the case's model, so
  the options are tested on the structure;
- ``IO-5`` the options are also tested across the futures: ``futures.yaml``
  has a ``robustness:`` table of at least two options.

Examples
--------
>>> rows = example_draft_options()
>>> [f.rule for f in check_options(rows, source_ids=["seed-000"], futures=None)]
['IO-2', 'IO-3', 'IO-5']
>>> table = pd.DataFrame({"S1": [0.0, 1.0], "S2": [0.0, -1.0]}, index=["Do nothing", "Act"])
>>> scale_value(table, costs={"Do nothing": 0, "Act": 2}, value_factor=0.5).values.tolist()
[[0.0, 0.0], [-0.5, -1.5]]
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from stp_helpers.display import Markdown, findings_list
from stp_helpers.errors import CaseFileError, RuleFinding
from stp_helpers.futures.options import OptionScore, read_options
from stp_helpers.futures.records import Futures
from stp_helpers.futures.robustness import robust_choice
from stp_helpers.io.tables import csv_text

__all__ = ["RULES", "Finding", "check_options", "example_draft_options", "parse_options", "options_text",
           "assumptions_table", "option_costs", "scale_value", "value_sweep", "findings_markdown", "STARTER_OPTIONS"]

RULES = {"IO-1": "three options or more", "IO-2": "evidence for every score", "IO-3": "a source for every score",
         "IO-4": "a criterion from a model run", "IO-5": "the options tested across the futures"}

_COLUMNS = ("option", "criterion", "weight", "better", "score", "unit", "scenario", "variable", "metric",
            "evidence", "source")

#: A starting ``options.csv`` for a case that has none (replace every row with your own).
STARTER_OPTIONS = csv_text(_COLUMNS, [
    [o, c, w, b, s, u, "", "", "", "", ""]
    for o in ("Carry on as now", "First option", "An option that changes the organisation")
    for c, w, b, s, u in (("Outcome for people", 0.5, "higher", 3, "score 1-5"), ("New cost a year", 0.5, "lower", 0,
                                                                                   "£k"))])


#: A quality finding: the rule, the field, what is wrong and how to fix it.
Finding = RuleFinding


def check_options(rows: Sequence[OptionScore], source_ids: Iterable[str], futures: Futures | None) -> list[Finding]:
    """Return every quality finding (``IO-1`` to ``IO-5``), in rule order; empty when the record passes.

    Parameters
    ----------
    rows : sequence of OptionScore
        The rows of ``options.csv``.
    source_ids : iterable of str
        The ids of the case's sources (``case.yaml``).
    futures : Futures or None
        The case's ``futures.yaml`` (None when it has none).

    Examples
    --------
    >>> print(check_options(example_draft_options(), ["seed-000"], None)[0])
    IO-2 row 5: 'A multi-agency hub' on 'New cost a year' gives no evidence. Say where the score comes from: a model run, an estimate (of what), or a judgement (whose).
    """
    found: list[Finding] = []
    options = list(dict.fromkeys(r.option for r in rows))
    if len(options) < 3:
        found.append(Finding("IO-1", "option", f"only {len(options)} option{'' if len(options) == 1 else 's'} "
                             "are appraised.", "Develop at least three, one of them carrying on as now and one "
                             "that changes the organisation or the boundary."))
    bare = [(i, r) for i, r in enumerate(rows, start=2) if not (r.evidence or "").strip()]
    if bare:
        i, r = bare[0]
        found.append(Finding("IO-2", f"row {i}", f"{r.option!r} on {r.criterion!r} gives no evidence.",
                             "Say where the score comes from: a model run, an estimate (of what), or a judgement "
                             "(whose)."))
    known = {s.lower() for s in source_ids} | {"synthetic"}
    unsourced = [(i, r) for i, r in enumerate(rows, start=2) if (r.source or "").strip().lower() not in known]
    if unsourced:
        i, r = unsourced[0]
        found.append(Finding("IO-3", f"row {i}", f"{r.option!r} on {r.criterion!r} names "
                             f"{'no source' if not r.source else 'an unknown source ' + repr(r.source)}.",
                             f"Use a source id of the case ({', '.join(sorted(known - {'synthetic'})) or 'none yet'})"
                             " or 'synthetic' for an invented value."))
    if not any(r.scenario and r.variable for r in rows):
        found.append(Finding("IO-4", "scenario, variable", "no criterion is taken from a model run.",
                             "Take at least one criterion from a run of the case's model: give its scenario, "
                             "variable and metric."))
    if futures is None or futures.robustness is None:
        found.append(Finding("IO-5", "futures.yaml", "the options are not tested across the futures.",
                             "Add 'robustness:' to futures.yaml with the options and an outcome, and read the "
                             "regret table."))
    return found


def example_draft_options() -> list[OptionScore]:
    """A flawed first draft of Wiltshire's options, for the exercise and the doctests (workbook example)."""
    rows = [("Carry on as now", "Crisis-driven contacts", "lower", None, "baseline", "Run of the model", "synthetic"),
            ("Carry on as now", "New cost a year", "lower", 0, None, "No new spending", "synthetic"),
            ("A multi-agency hub", "Crisis-driven contacts", "lower", None, "early help at scale", "Run of the model",
             "synthetic"),
            ("A multi-agency hub", "New cost a year", "lower", 1200, None, "", "synthetic"),
            ("Early help with a key worker", "Crisis-driven contacts", "lower", None, "early help", "Run of the model",
             "synthetic"),
            ("Early help with a key worker", "New cost a year", "lower", 450, None, "Ten key workers", "")]
    return [OptionScore(option=o, criterion=c, weight=0.5, better=b, score=s, scenario=sc,
                        variable="total agency contacts" if sc else None, metric="cumulative" if sc else None,
                        evidence=e or None, source=src or None) for o, c, b, s, sc, e, src in rows]


def parse_options(text: str) -> list[OptionScore]:
    """Read options from CSV text (as typed in a form); every problem names ``options.csv``, its row and fix.

    Examples
    --------
    >>> sorted({r.option for r in parse_options(STARTER_OPTIONS)})
    ['An option that changes the organisation', 'Carry on as now', 'First option']
    >>> parse_options("option,criterion,weight,better,score\\nA,cost,1,cheaper,3\\n")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: options.csv, row 2, column "better": ...
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "options.csv"
        path.write_text(text, encoding="utf-8")
        try:
            return read_options(path)
        except CaseFileError as err:
            raise CaseFileError([dataclasses.replace(p, path="options.csv") for p in err.problems]) from err


def options_text(rows: Sequence[OptionScore]) -> str:
    """Return ``options.csv`` text for the rows (write it with ``case.save_text``).

    >>> parse_options(options_text(example_draft_options())) == example_draft_options()
    True
    """
    return csv_text(_COLUMNS, [["" if getattr(r, c) is None else getattr(r, c) for c in _COLUMNS] for r in rows])


def assumptions_table(rows: Sequence[OptionScore], futures: Futures | None = None) -> pd.DataFrame:
    """Every assumption the options rest on: what is assumed, its value, its basis, and how it is tested.

    Scores from model runs rest on the model's structure and parameters;
    entered scores rest on their evidence; the robustness table rests on the
    value of an outcome avoided, each option's cost and the futures' conditions.

    Examples
    --------
    >>> assumptions_table(example_draft_options()).iloc[1].tolist()
    ['Carry on as now: New cost a year', '0', 'No new spending', 'synthetic', 'weights and their sensitivity']
    """
    out = []
    for r in rows:
        if r.scenario and r.variable:
            out.append((f"{r.option}: {r.criterion}", f"{r.metric or 'final'} {r.variable} in run {r.scenario!r}",
                        r.evidence or "", r.source or "", "the model's structure and parameters; the futures"))
        else:
            value = f"{r.score:g}" + (f" {r.unit}" if r.unit else "")
            out.append((f"{r.option}: {r.criterion}", value, r.evidence or "", r.source or "",
                        "weights and their sensitivity"))
    rob = futures.robustness if futures is not None else None
    if rob is not None:
        basis = "synthetic" if rob.synthetic else futures.source  # type: ignore[union-attr]
        if rob.value_per_unit is not None and rob.outcome is not None:
            out.append((f"value of one {rob.outcome.unit[:-1] if rob.outcome.unit.endswith('s') else rob.outcome.unit}"
                        " avoided", f"{rob.value_per_unit:g} {rob.unit}", f"{rob.payoff} counts it", basis,
                        "scale it: does the robust choice change?"))
        for opt in rob.options:
            out.append((f"cost of {opt.name}", f"{opt.cost:g} {rob.unit}", opt.description or "", basis,
                        "the regret table across the futures"))
        for sc in futures.scenarios:  # type: ignore[union-attr]
            if sc.params:
                out.append((f"conditions in {sc.name}", ", ".join(f"{k} = {v:g}" for k, v in sc.params.items()),
                            "exogenous: nobody in the case controls them (FUT-3)", basis, "run on the model"))
    return pd.DataFrame(out, columns=["assumption", "value", "evidence", "source", "tested by"])


def option_costs(futures: Futures) -> dict[str, float]:
    """Each option's cost in the robustness table of ``futures.yaml`` (empty when it has none).

    >>> option_costs(Futures(focal_question="q", source="s", scenarios=[{"name": "A", "narrative": "a"}]))
    {}
    """
    rob = futures.robustness
    return {} if rob is None else {o.name: o.cost for o in rob.options}


def scale_value(table: pd.DataFrame, costs: Mapping[str, float], value_factor: float = 1.0,
                cost_factor: float = 1.0) -> pd.DataFrame:
    """The net-benefit payoff table with the value of the outcome and the costs scaled.

    A computed payoff is ``value × outcome avoided − cost``, so scaling the
    value scales ``payoff + cost``; the model need not run again.

    Parameters
    ----------
    table : DataFrame
        Options × futures net benefits.
    costs : mapping
        Option → cost, in the payoff's unit.
    value_factor, cost_factor : float
        How much to scale the value of the outcome avoided, and the costs.
    """
    scaled = table.copy().astype(float)
    for option in scaled.index:
        cost = float(costs.get(option, 0.0))
        scaled.loc[option] = (scaled.loc[option] + cost) * value_factor - cost * cost_factor
    return scaled.round(4)


def value_sweep(table: pd.DataFrame, costs: Mapping[str, float], factors: Sequence[float] = (0.25, 0.5, 1, 2),
                unit: str = "") -> pd.DataFrame:
    """The robust choice (minimax regret) and its largest regret as the value of the outcome avoided is scaled.

    Examples
    --------
    >>> table = pd.DataFrame({"S1": [0.0, 1.0], "S2": [0.0, -1.0]}, index=["Do nothing", "Act"])
    >>> value_sweep(table, {"Do nothing": 0, "Act": 2}, factors=(0.5, 2))[["value scaled by", "robust choice"]].values.tolist()
    [[0.5, 'Do nothing'], [2.0, 'Act']]
    """
    rows = []
    for factor in factors:
        choice = robust_choice(scale_value(table, costs, value_factor=factor), unit=unit)
        rows.append({"value scaled by": float(factor), "robust choice": choice.robust,
                     "largest regret": round(choice.max_regret, 3), "rules that agree": ", ".join(choice.agree)})
    return pd.DataFrame(rows, columns=["value scaled by", "robust choice", "largest regret", "rules that agree"])


def findings_markdown(found: Sequence[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(found, "Every rule (IO-1 to IO-5) passes.")
