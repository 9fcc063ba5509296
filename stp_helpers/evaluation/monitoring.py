"""A monitoring plan (duty 12): which indicator watches which outcome, what it tests, and its baseline.

The plan is read from two files a case already has: the indicators of
``logic_model.yaml`` (what each measures, SMART fields, baseline) and the
series of ``indicators.csv`` (the values over time).  Each indicator tests
the links of the logic model that lead into the outcome it measures, so an
indicator on "fewer young people NEET" tests the assumptions on those links
(Weiss 1995; Funnell & Rogers 2011).  A signal on an XmR chart (Wheeler &
Chambers 1992) says *that* the process changed, and when; contribution
analysis (Mayne 2008) asks *what* the intervention had to do with it.

Quality rules of the plan (a workbook design, built on ``LM-4``, ``SM-1`` and
``SPC-1`` of the methods reference):

- ``MP-1`` every outcome (short, medium, long) has at least one indicator;
- ``MP-2`` every indicator passes ``SM-1``;
- ``MP-3`` every series in ``indicators.csv`` belongs to an indicator of the
  logic model, and at least one indicator is tracked over time;
- ``MP-4`` every tracked indicator records its baseline points (``SPC-1``):
  at least :data:`~stp_helpers.evaluation.spc.MIN_BASELINE`, and no more than
  its series holds;
- ``MP-5`` every indicator tests a stated assumption: a link into its outcome
  says why it should hold.

Examples
--------
>>> from stp_helpers.evaluation.logic_model import parse_logic_model
>>> model = parse_logic_model(STARTER_LOGIC_MODEL)
>>> [f.rule for f in check_monitoring_plan(model, parse_indicator_values(STARTER_INDICATORS))]
['MP-2', 'MP-4']
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from stp_helpers.case import Case
from stp_helpers.display import Markdown, findings_list, md
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.evaluation.indicators import IndicatorValue, read_indicators
from stp_helpers.evaluation.logic_model import OUTCOME_STAGES, LogicModel, smart_check
from stp_helpers.evaluation.spc import (RULES as SPC_RULES, MIN_BASELINE, Signal, XmRLimits, detect_signals,
                                       indicator_series, parse_series, xmr_limits)
from stp_helpers.io.tables import csv_text

__all__ = ["RULES", "PlanFinding", "STARTER_LOGIC_MODEL", "STARTER_INDICATORS", "parse_indicator_values",
           "indicator_values_text", "links_tested", "check_monitoring_plan", "monitoring_plan",
           "signal_completed_at", "first_signal", "feedback_loop", "case_plan", "plan_findings_markdown",
           "signals_summary", "signals_view", "feedback_markdown"]

RULES = {"MP-1": "every outcome has an indicator", "MP-2": "every indicator is SMART (SM-1)",
         "MP-3": "every series belongs to an indicator, and one is tracked",
         "MP-4": "every tracked indicator records its baseline (SPC-1)",
         "MP-5": "every indicator tests a stated assumption"}


@dataclass(frozen=True)
class PlanFinding:
    """One quality finding on a monitoring plan: the rule, where it applies, what is wrong and the fix."""

    rule: str
    where: str
    problem: str
    fix: str

    @property
    def field(self) -> str:
        """``where`` under the name every rule finding gives its place (the forms' findings list reads it)."""
        return self.where

    def __str__(self) -> str:
        return f"{self.rule} {self.where}: {self.problem} {self.fix}"


#: A first plan for a case with none: one outcome, one indicator, a short series (fill it in).
STARTER_LOGIC_MODEL = """\
# logic_model.yaml: the theory of change and its indicators (duties 10 and 12). Check: stp check-case
title: My intervention
elements:
  - {id: I1, stage: input, label: Staff time}
  - {id: A1, stage: activity, label: What the intervention does}
  - {id: O1, stage: output, label: What it produces}
  - {id: S1, stage: short, label: The first change for people}
  - {id: P1, stage: impact, label: The long-run change it serves}
links:
  - {from: I1, to: A1}
  - {from: A1, to: O1, assumption: Why the activity produces the output}
  - {from: O1, to: S1, assumption: Why the output changes things for people}
  - {from: S1, to: P1, assumption: Why the first change lasts}
indicators:
  - id: first_change
    name: The first change, counted
    outcome: S1
    definition: People showing the first change in the month, as a percentage of people served.
    numerator: people showing the first change
    denominator: people served in the month
    unit: "% of people served"
    source: tbc
    direction: lower
    frequency: monthly
    owner: tbc
"""

#: The series to go with :data:`STARTER_LOGIC_MODEL` (too short for a baseline yet).
STARTER_INDICATORS = "indicator,period,value,note\nfirst_change,2026-01,40,\nfirst_change,2026-02,38,\n"


def parse_indicator_values(text: str, name: str = "indicators.csv") -> list[IndicatorValue]:
    """Read ``indicators.csv`` from text (as typed in a form), with the file reader's rules.

    Raises
    ------
    CaseFileError
        Every problem, named by ``name``, row and column, with its fix.

    Examples
    --------
    >>> [r.value for r in parse_indicator_values("indicator,period,value\\nneet,2007-01,9.4\\n")]
    [9.4]
    >>> parse_indicator_values("indicator,period,value\\nneet,2007-01,lots\\n")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: indicators.csv, row 2, column "value": 'lots' is not a number. Expected: a number, e.g. 7.2 (blank marks a missing value)
    """
    with tempfile.TemporaryDirectory() as folder:  # the file reader's rules, on text that is not a file yet
        path = Path(folder) / "indicators.csv"
        path.write_text(text, encoding="utf-8")
        try:
            return read_indicators(path)
        except CaseFileError as err:
            raise CaseFileError([dataclasses.replace(p, path=name) for p in err.problems]) from None


def indicator_values_text(rows: Sequence[IndicatorValue]) -> str:
    """Return ``indicators.csv`` text for rows (write it with ``case.save_text``).

    >>> print(indicator_values_text(parse_indicator_values("indicator,period,value\\nneet,2007-01,9.4\\n")), end="")
    indicator,period,value,note
    neet,2007-01,9.4,
    """
    return csv_text(["indicator", "period", "value", "note"],
                    [[r.indicator, r.period, "" if r.value is None else f"{r.value:g}", r.note] for r in rows])


def links_tested(model: LogicModel, indicator_id: str) -> list[tuple[str, str, str]]:
    """The links of the logic model that lead into the outcome an indicator measures: (from, to, assumption).

    An indicator on an outcome tests the assumptions of the links that are meant to bring it about.

    >>> from stp_helpers.evaluation.logic_model import parse_logic_model
    >>> links_tested(parse_logic_model(STARTER_LOGIC_MODEL), "first_change")
    [('O1', 'S1', 'Why the output changes things for people')]
    """
    spec = next((i for i in model.indicators if i.id == indicator_id), None)
    if spec is None:
        raise StpError(f"The logic model has no indicator {indicator_id!r}.",
                       f"Use one of: {', '.join(i.id for i in model.indicators) or 'none yet'}.")
    return [(l.source, l.target, l.assumption or "") for l in model.links
            if l.target == spec.outcome and not l.feedback]


def _series(rows: Sequence[IndicatorValue]) -> dict[str, list[IndicatorValue]]:
    found: dict[str, list[IndicatorValue]] = {}
    for row in rows:
        found.setdefault(row.indicator, []).append(row)
    return found


def check_monitoring_plan(model: LogicModel, rows: Sequence[IndicatorValue]) -> list[PlanFinding]:
    """Return every quality finding (``MP-1`` to ``MP-5``), in rule order; empty when the plan passes.

    Parameters
    ----------
    model : LogicModel
        The logic model with its indicators.
    rows : sequence of IndicatorValue
        The rows of ``indicators.csv`` (may be empty).

    Examples
    --------
    >>> from stp_helpers.evaluation.logic_model import example_logic_model
    >>> for f in check_monitoring_plan(example_logic_model(), []):
    ...     print(f.rule, f.where)
    MP-1 L1
    MP-3 indicators.csv
    """
    outcomes = [e for e in model.elements if e.stage in OUTCOME_STAGES]
    found: list[PlanFinding] = []
    measured = {i.outcome for i in model.indicators}
    for e in outcomes:
        if e.id not in measured:
            found.append(PlanFinding("MP-1", e.id, f"the outcome '{e.label}' has no indicator.",
                                     "Add an indicator that would show whether it is happening (outcome: "
                                     f"{e.id})."))
    for i, ind in enumerate(model.indicators):
        result = smart_check(ind)
        if not result.passed:
            found.append(PlanFinding("MP-2", f"indicators[{i}] ({ind.id})", result.explain().split(": ", 1)[1],
                                     "Fill in each field so that someone else could collect it from your words."))
    series = _series(rows)
    ids = {i.id for i in model.indicators}
    strays = [name for name in series if name not in ids]
    if strays:
        found.append(PlanFinding("MP-3", f"indicators.csv ({strays[0]})", f"the series '{strays[0]}' is not an "
                                 "indicator of the logic model.", "Define it under 'indicators:' with the same id, "
                                 "or rename the series to an indicator's id."))
    elif not any(i in series for i in ids):
        found.append(PlanFinding("MP-3", "indicators.csv", "no indicator is tracked over time yet.",
                                 "Record each period's value of at least one indicator, e.g. monthly."))
    for i, ind in enumerate(model.indicators):
        if ind.id not in series:
            continue
        points = len(series[ind.id])
        if ind.baseline_points is None:
            found.append(PlanFinding("MP-4", f"indicators[{i}] ({ind.id})", "the baseline points are not recorded.",
                                     "Set 'baseline_points:' to the number of points, from the first, that "
                                     f"the limits rest on (at least {MIN_BASELINE})."))
        elif not MIN_BASELINE <= ind.baseline_points <= points:
            found.append(PlanFinding("MP-4", f"indicators[{i}] ({ind.id})", f"the baseline of "
                                     f"{ind.baseline_points} points does not fit a series of {points}.",
                                     f"Use between {MIN_BASELINE} and {points} points, or collect more values."))
    for i, ind in enumerate(model.indicators):
        if ind.outcome is None:
            continue  # MP-2 already asks for the outcome
        if not any(assumption for _, _, assumption in links_tested(model, ind.id)):
            found.append(PlanFinding("MP-5", f"indicators[{i}] ({ind.id})", f"no link into {ind.outcome} states "
                                     "an assumption, so the indicator tests nothing you have said.",
                                     f"Write on a link into {ind.outcome} why it should hold."))
    order = list(RULES)
    return sorted(found, key=lambda f: order.index(f.rule))


def monitoring_plan(model: LogicModel, rows: Sequence[IndicatorValue]) -> pd.DataFrame:
    """The plan as a table: one row per indicator, with the links it tests and its baseline.

    Columns: ``indicator``, ``outcome``, ``tests`` (the links into the outcome with their
    assumptions), ``smart``, ``baseline``, ``tracked`` (points recorded and baseline points),
    ``frequency``, ``owner``.
    """
    series = _series(rows)
    out = []
    for ind in model.indicators:
        links = links_tested(model, ind.id)
        tests = "; ".join(f"{u} → {v}: {a or '(no assumption stated)'}" for u, v, a in links) or "(no link)"
        outcome = ""
        if ind.outcome:
            try:
                outcome = f"{ind.outcome} {model.element(ind.outcome).label}"
            except KeyError:
                outcome = ind.outcome
        base = "" if ind.baseline is None else f"{ind.baseline:g}" + (f" ({ind.baseline_date})"
                                                                       if ind.baseline_date else "")
        points = len(series.get(ind.id, []))
        tracked = (f"{points} points, baseline {ind.baseline_points}" if points and ind.baseline_points
                   else f"{points} points, baseline not set" if points else "not tracked yet")
        result = smart_check(ind)
        out.append({"indicator": ind.id, "outcome": outcome, "tests": tests,
                    "smart": "passes" if result.passed else "missing: " + ", ".join(result.missing),
                    "baseline": base, "tracked": tracked, "frequency": ind.frequency or "",
                    "owner": ind.owner or ""})
    return pd.DataFrame(out, columns=["indicator", "outcome", "tests", "smart", "baseline", "tracked",
                                      "frequency", "owner"])


def signal_completed_at(signal: Signal) -> int:
    """The point (from 1) at which a signal is first complete.

    A run of eight (rule 4) is complete at its eighth point, although the run is
    reported at its last; every other rule is complete at the point it is reported at.

    >>> signal_completed_at(Signal("4", 30, tuple(range(17, 31)), "below"))
    24
    >>> signal_completed_at(Signal("1", 25, (25,), "below"))
    25
    """
    return signal.points[7] if signal.rule == "4" else signal.point


def first_signal(values: str | Sequence[object], limits: XmRLimits) -> tuple[int, str] | None:
    """The first point after the baseline at which a detection rule is complete, and the rule.

    When two rules complete at the same point, the lower-numbered rule is named.

    Returns
    -------
    tuple of (int, str), or None
        ``(point, rule)`` with points counted from 1; None when no rule fires after the baseline.

    Examples
    --------
    >>> from stp_helpers.evaluation.spc import EXAMPLE_SERIES, xmr_limits
    >>> first_signal(EXAMPLE_SERIES, xmr_limits(EXAMPLE_SERIES, baseline=12))
    (13, '1')
    >>> first_signal([5, 6, 5, 6, 5, 6, 5, 6], xmr_limits([5, 6, 5, 6, 5, 6], baseline=6)) is None
    True
    """
    series = parse_series(values)
    order = ["1", "2", "3", "4", "mR"]
    done = sorted((signal_completed_at(s), order.index(s.rule), s.rule) for s in detect_signals(series, limits)
                  if signal_completed_at(s) > limits.baseline)
    return (done[0][0], done[0][2]) if done else None


def _rows_of(value: Any, fields: Sequence[str]) -> list[dict[str, str]]:
    return [{f: str(getattr(item, f, "") or "") for f in fields} for item in value]


def feedback_loop(case: Case) -> pd.DataFrame:
    """How a case hears from its stakeholders and tells them back: the feedback mechanisms (S5, S10).

    "Hear" rows come from the plan of ``engagement.yaml`` (who, by what method, how often,
    why); "tell back" rows from ``communication_plan.csv`` (who, through what channel, when,
    the message).  Empty when the case has neither.

    Returns
    -------
    DataFrame
        Columns ``step``, ``who``, ``how``, ``when``, ``why``.
    """
    out: list[dict[str, str]] = []
    if case.has("engagement.yaml"):
        for item in _rows_of(case.read("engagement.yaml").plan, ("stakeholder", "method", "frequency", "purpose")):
            out.append({"step": "hear", "who": item["stakeholder"], "how": item["method"],
                        "when": item["frequency"], "why": item["purpose"]})
    if case.has("communication_plan.csv"):
        for item in _rows_of(case.read("communication_plan.csv"), ("audience", "channel", "when", "message")):
            out.append({"step": "tell back", "who": item["audience"], "how": item["channel"],
                        "when": item["when"], "why": item["message"]})
    return pd.DataFrame(out, columns=["step", "who", "how", "when", "why"])


def case_plan(case: Case) -> tuple[LogicModel | None, list[IndicatorValue]]:
    """A case's logic model (None when it has none) and the rows of its ``indicators.csv`` (empty when none)."""
    model = case.read("logic_model.yaml") if case.has("logic_model.yaml") else None
    rows = case.read("indicators.csv") if case.has("indicators.csv") else []
    return model, rows


def plan_findings_markdown(found: Sequence[PlanFinding]) -> Markdown:
    """Findings as a Markdown list (case text escaped once), or a line saying every rule passes.

    >>> plan_findings_markdown([])
    Every rule (MP-1 to MP-5) passes.
    >>> print(plan_findings_markdown([PlanFinding("MP-3", "indicators.csv", "no *series*.", "Add one.")]).text)
    - **MP-3** indicators.csv: no \\*series\\*. *Add one.*
    """
    return findings_list(found, "Every rule (MP-1 to MP-5) passes.")


def signals_summary(case: Case, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """For each indicator tracked in ``indicators.csv`` (or those named): its baseline, the first signal after it,
    and which way.

    The baseline is the indicator's ``baseline_points`` (``SPC-1``), else every point.  ``reading``
    says whether the change goes the way the logic model hopes (its ``direction``): a signal
    the wrong way is a lead to an unanticipated outcome.

    Returns
    -------
    DataFrame
        Columns ``indicator``, ``baseline``, ``limits``, ``first signal``, ``rule``, ``reading``.
    """
    model, rows = case_plan(case)
    specs = {i.id: i for i in (model.indicators if model else [])}
    out = []
    for name in dict.fromkeys(r.indicator for r in rows):
        if indicators is not None and name not in indicators:
            continue
        spec = specs.get(name)
        try:
            series = indicator_series(rows, name)
            points = spec.baseline_points if spec and spec.baseline_points else len(series)
            limits = xmr_limits(series["value"], baseline=min(points, len(series)))
        except StpError as err:
            out.append({"indicator": name, "baseline": "", "limits": "", "first signal": "", "rule": "",
                        "reading": str(err)})
            continue
        periods = series["period"].tolist()
        found = first_signal(series["value"], limits)
        base = f"{periods[0]} to {periods[limits.baseline - 1]} ({limits.baseline} points)"
        bounds = f"{limits.lower:.3g} to {limits.upper:.3g} (centre {limits.centre:.3g})"
        if found is None:
            out.append({"indicator": name, "baseline": base, "limits": bounds, "first signal": "none", "rule": "",
                        "reading": "no signal: read each later point as noise"})
            continue
        point, rule = found
        value = float(series["value"].iloc[point - 1])
        side = "higher" if value > limits.centre else "lower"
        hoped = spec.direction if spec else None
        reading = (f"{side}, as the plan hopes" if hoped == side else
                   f"{side}, the wrong way: look for an unanticipated outcome" if hoped else
                   f"{side}; the plan states no direction")
        out.append({"indicator": name, "baseline": base, "limits": bounds, "first signal": periods[point - 1],
                    "rule": f"{rule}: {SPC_RULES[rule]}", "reading": reading})
    return pd.DataFrame(out, columns=["indicator", "baseline", "limits", "first signal", "rule", "reading"])


def signals_view(case: Case) -> pd.DataFrame | Markdown:
    """:func:`signals_summary` of a case, or a line saying what to fill in when it tracks no indicator yet."""
    if not case.has("indicators.csv"):
        return md("*{title}* tracks no indicator yet: fill in `indicators.csv` with the form above.",
                  title=case.meta.title)
    return signals_summary(case)


def feedback_markdown(case: Case) -> Markdown:
    """A sentence on the case's feedback loop: how many ways it hears and tells back, and what is missing."""
    table = feedback_loop(case)
    heard, told = int((table["step"] == "hear").sum()), int((table["step"] == "tell back").sum())
    if not heard and not told:
        return md("*{title}* records no way yet of hearing from stakeholders or telling them back: add the "
                  "engagement plan (`engagement.yaml`, duties 4 and 6) and the communication plan "
                  "(`communication_plan.csv`, duty 10).", title=case.meta.title)
    line = f"{heard} way{'' if heard == 1 else 's'} of hearing, {told} of telling back."
    if not told:
        line += (" The loop is open: what stakeholders say is gathered, but no channel tells them what "
                 "changed as a result. Add rows to `communication_plan.csv`.")
    elif not heard:
        line += " Results are told, but nobody's experience is gathered: add the engagement plan."
    return Markdown(line)
