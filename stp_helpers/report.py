"""A case's measures and evaluation views, and a self-contained HTML report for decision-makers.

The views read a case's ``logic_model.yaml``, ``indicators.csv``,
``demand.csv``, ``options.csv`` and ``contribution.yaml`` and return the
tables and charts the notebooks show.  :func:`build_report` puts them into
one HTML page (duty 12): the logic model as inline SVG, charts as inline SVG
made by ``vl-convert`` (no JavaScript), tables as HTML.  The page needs no
network: no scripts, no style sheets, fonts or images from elsewhere.

Examples
--------
>>> page = build_report("stoke-neet")
>>> page.startswith("<!DOCTYPE html>") and "<script" not in page
True
"""

from __future__ import annotations

import html
from pathlib import Path

from typing import TYPE_CHECKING

import pandas as pd

from stp_helpers.io.atomic import write_atomic
from stp_helpers import case as case_mod
from stp_helpers import evaluation
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.case import Case
from stp_helpers.charts import evaluation as ev_charts
from stp_helpers.errors import CaseExistsError, StpError
from stp_helpers.charts.logic_draw import draw_logic_model
from stp_helpers.charts.offline import chart_svg

if TYPE_CHECKING:
    import altair as alt

__all__ = ["case_logic_model", "case_indicators", "indicator_definition", "indicator_xmr", "xmr_view",
           "target_view", "target_judgement", "case_demand", "demand_share_xmr", "demand_share_view", "case_appraisal",
           "case_contribution", "build_report", "write_report"]


def _case(slug_or_case: str | Case) -> Case:
    return slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)


def _subtitle(found: Case, what: str, synthetic: bool) -> list[str]:
    return [found.meta.title, f"{what}{' (synthetic data, for teaching)' if synthetic else ''}"]


def case_logic_model(slug_or_case: str | Case) -> evaluation.LogicModel:
    """Read a case's ``logic_model.yaml``."""
    return evaluation.read_logic_model(_case(slug_or_case).artefact_path("logic_model.yaml"))


def case_indicators(slug_or_case: str | Case) -> list[spc.IndicatorValue]:
    """Read a case's ``indicators.csv``."""
    return spc.read_indicators(_case(slug_or_case).artefact_path("indicators.csv"))


def indicator_definition(slug_or_case: str | Case, indicator: str) -> evaluation.Indicator | None:
    """The logic model's definition of an indicator, or None when it has none."""
    found = _case(slug_or_case)
    if not found.has("logic_model.yaml"):
        return None
    return next((i for i in case_logic_model(found).indicators if i.id == indicator), None)


def indicator_xmr(slug_or_case: str | Case, indicator: str | None = None,
                  baseline: int | None = None) -> pd.DataFrame:
    """The XmR table of one indicator of a case (default: the first in ``indicators.csv``).

    The baseline defaults to the indicator's ``baseline_points`` in the logic
    model (``SPC-1``), else every point.
    """
    found = _case(slug_or_case)
    rows = case_indicators(found)
    indicator = indicator or rows[0].indicator
    series = spc.indicator_series(rows, indicator)
    spec = indicator_definition(found, indicator)
    if baseline is None:
        baseline = spec.baseline_points if spec and spec.baseline_points else len(series)
    limits = spc.xmr_limits(series["value"], baseline=min(baseline, len(series)))
    return spc.xmr_table(series["value"], limits, labels=series["period"])


def _name_unit(found: Case, indicator: str) -> tuple[str, str, bool]:
    spec = indicator_definition(found, indicator)
    if spec is None:
        return indicator, f"{indicator} (units unstated)", True
    return spec.name, f"{spec.name} ({spec.unit or 'units unstated'})", spec.synthetic


def xmr_view(slug_or_case: str | Case, indicator: str | None = None, baseline: int | None = None) -> alt.LayerChart:
    """The XmR chart of one indicator of a case, its title the finding."""
    found = _case(slug_or_case)
    indicator = indicator or case_indicators(found)[0].indicator
    table = indicator_xmr(found, indicator, baseline)
    name, y_title, synthetic = _name_unit(found, indicator)
    return ev_charts.xmr_chart(table, y_title=y_title, name=name,
                               subtitle=_subtitle(found, f"Limits from the first {int(table['baseline'].sum())} points",
                                                  synthetic))


def target_view(slug_or_case: str | Case, indicator: str, target: float | None = None,
                better: str | None = None) -> alt.LayerChart:
    """The indicator against its target (from the logic model unless given): met or missed, point by point."""
    found = _case(slug_or_case)
    spec = indicator_definition(found, indicator)
    target = target if target is not None else (spec.target if spec else None)
    better = better or (spec.direction if spec and spec.direction else "lower")
    if target is None:
        raise StpError(f"The indicator {indicator!r} has no target.",
                       "Give one (target=...), or add 'target:' to its entry in logic_model.yaml.")
    table = indicator_xmr(found, indicator)
    name, y_title, synthetic = _name_unit(found, indicator)
    return ev_charts.target_chart(table, target, better, y_title=y_title, name=name,
                                  subtitle=_subtitle(found, f"Target {target:g}, {better} is better", synthetic))


def target_judgement(slug_or_case: str | Case, indicator: str) -> spc.TargetJudgement:
    """What the indicator's target (from the logic model) means against its natural process limits (``TGT-1``)."""
    found = _case(slug_or_case)
    spec = indicator_definition(found, indicator)
    if spec is None or spec.target is None:
        raise StpError(f"The indicator {indicator!r} has no target in logic_model.yaml.",
                       "Add 'target:' to its entry, or judge another indicator.")
    table = indicator_xmr(found, indicator)
    limits = spc.XmRLimits(float(table["centre"].iloc[0]), float(table["url"].iloc[0]) / spc.D4,
                           int(table["baseline"].sum()))
    return spc.judge_target(limits, spec.target, spec.direction or "lower")


def case_demand(slug_or_case: str | Case) -> list[spc.DemandRecord]:
    """Read a case's ``demand.csv``."""
    return spc.read_demand(_case(slug_or_case).artefact_path("demand.csv"))


def demand_share_xmr(slug_or_case: str | Case, baseline: int | None = None) -> pd.DataFrame:
    """XmR table of the failure-demand share by period (baseline from the logic model's
    ``failure_demand_share`` indicator, else the first half of the periods)."""
    found = _case(slug_or_case)
    shares = spc.failure_share_by_period(case_demand(found))
    spec = indicator_definition(found, "failure_demand_share")
    if baseline is None:
        baseline = spec.baseline_points if spec and spec.baseline_points else max(spc.MIN_BASELINE, len(shares) // 2)
    limits = spc.xmr_limits(shares["failure_share"], baseline=min(baseline, len(shares)))
    return spc.xmr_table(shares["failure_share"], limits, labels=shares["period"])


def demand_share_view(slug_or_case: str | Case) -> alt.LayerChart:
    """XmR chart of the failure-demand share over time."""
    found = _case(slug_or_case)
    table = demand_share_xmr(found)
    synthetic = any(a.synthetic for a in found.meta.artefacts if a.file == "demand.csv")
    return ev_charts.xmr_chart(table, y_title="Failure demand (share of contacts)", name="Failure demand share",
                               subtitle=_subtitle(found, "failure / (failure + value)", synthetic))


def case_appraisal(slug_or_case: str | Case) -> options.Appraisal:
    """A case's options appraisal (model runs filled in where ``options.csv`` asks for them)."""
    return options.load_appraisal(_case(slug_or_case))


def case_contribution(slug_or_case: str | Case) -> evaluation.ContributionVerdict:
    """``CA-1`` applied to a case's ``contribution.yaml`` and logic model."""
    found = _case(slug_or_case)
    record = evaluation.read_contribution(found.artefact_path("contribution.yaml"))
    return evaluation.assess_contribution(record, case_logic_model(found))


# ------------------------------------------------------------------ report
def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, classes="stp-table", na_rep="", escape=True)


def _section(title: str, *body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{''.join(body)}</section>"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.45;
max-width:1100px;margin:2em auto;padding:0 1em;color:#111}
h1{font-size:1.8em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
.stp-table{border-collapse:collapse;margin:1em 0;font-size:14px}
.stp-table th,.stp-table td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.stp-table th{background:#eef4fa}.note{color:#444;font-size:14px}.chart{overflow-x:auto;margin:1em 0}
.verdict{border-left:4px solid #0072B2;padding:4px 10px}
"""


def build_report(slug_or_case: str | Case) -> str:
    """Build a self-contained HTML report of a case's intervention design and evaluation.

    Sections appear for the artefacts the case has: logic model (diagram and
    checks), indicators (SMART), measures (XmR charts of every indicator and
    the target view), failure demand, options appraisal, contribution
    analysis, and the sources.

    Returns
    -------
    str
        A complete HTML document with no scripts and no external resources.

    Raises
    ------
    CaseFileError
        From any artefact that is malformed.
    """
    found = _case(slug_or_case)
    meta = found.meta
    parts = [f"<h1>{html.escape(meta.title)}</h1>", _p(meta.summary.strip()),
             '<p class="note">Built by stp-workbook from the case folder. Parts marked synthetic are made up '
             'for teaching and are not evidence about the organisation.</p>']
    if found.has("logic_model.yaml"):
        model = case_logic_model(found)
        findings = evaluation.check_logic_model(model)
        checks = (_table(evaluation.findings_table(findings)) if findings
                  else _p("The logic model passes every structural check (LM-1 to LM-7)."))
        extras = "".join(f"<li>{html.escape(a)}</li>" for a in model.assumptions)
        factors = "".join(f"<li>{html.escape(a)}</li>" for a in model.external_factors)
        parts.append(_section("Theory of change", draw_logic_model(model).html, checks,
                              f"<h3>Assumptions</h3><ul>{extras}</ul><h3>External factors</h3><ul>{factors}</ul>"))
        parts.append(_section("Indicators", _table(evaluation.indicators_table(model))))
    if found.has("indicators.csv"):
        charts_html = []
        for ind in dict.fromkeys(r.indicator for r in case_indicators(found)):
            try:
                charts_html.append(f'<div class="chart">{chart_svg(xmr_view(found, ind))}</div>')
                spec = indicator_definition(found, ind)
                if spec is not None and spec.target is not None:
                    judged = target_judgement(found, ind)
                    charts_html.append(f'<div class="chart">{chart_svg(target_view(found, ind))}</div>'
                                       f'<p class="verdict">{html.escape(repr(judged))}</p>')
            except StpError as err:
                charts_html.append(f'<p class="verdict">{html.escape(ind)}: {html.escape(str(err))}</p>')
        parts.append(_section("Measures: signals, not single points",
                              _p("Each chart shows natural process limits from a baseline; marked points are "
                                 "signals under the Western Electric rules. A point inside the limits is noise, "
                                 "whichever side of a target it falls."), *charts_html))
    if found.has("demand.csv"):
        summary = spc.failure_demand_summary(case_demand(found))
        parts.append(_section("Failure demand", f'<div class="chart">{chart_svg(ev_charts.demand_chart(summary))}</div>',
                              f'<div class="chart">{chart_svg(demand_share_view(found))}</div>'))
    if found.has("options.csv"):
        appraisal = case_appraisal(found)
        ranking = options.rank_options(appraisal)
        sens = options.weight_sensitivity(appraisal)
        parts.append(_section(
            "Options appraisal",
            f'<div class="chart">{chart_svg(ev_charts.ranking_chart(ranking, appraisal.criteria))}</div>',
            _table(sens), f'<div class="chart">{chart_svg(ev_charts.sensitivity_chart(sens))}</div>',
            "<h3>Difficult choices</h3><ul>" + "".join(
                f"<li>{html.escape(line[2:].replace('**', ''))}</li>"
                for line in options.trade_offs(appraisal).text.splitlines()) + "</ul>"))
    if found.has("contribution.yaml") and found.has("logic_model.yaml"):
        record = evaluation.read_contribution(found.artefact_path("contribution.yaml"))
        verdict = case_contribution(found)
        steps = "".join(f"<dt>{html.escape(evaluation.MAYNE_STEPS[k])}</dt><dd>{html.escape(v.strip())}</dd>"
                        for k, v in record.steps.items())
        rivals = pd.DataFrame([{"rival explanation": a.explanation, "assessed": "yes" if a.assessed else "no",
                                "finding": a.finding or ""} for a in record.alternatives])
        parts.append(_section("Contribution analysis", _p(record.claim),
                              f'<p class="verdict">{html.escape(repr(verdict))}</p>',
                              _table(verdict.links.drop(columns="in_model")),
                              _table(rivals) if not rivals.empty else "", f"<dl>{steps}</dl>"))
    sources = "".join(f"<li>{html.escape(s.id)}: {html.escape(s.title)}"
                      f"{' (' + html.escape(s.author) + ')' if s.author else ''}</li>" for s in meta.sources)
    parts.append(_section("Sources", f"<ul>{sources}</ul>"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(meta.title)}: evaluation report</title><style>{_STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def write_report(slug_or_case: str | Case, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write :func:`build_report` to ``path`` atomically; refuse to overwrite unless asked.

    Raises
    ------
    CaseExistsError
        ``path`` exists and ``overwrite`` is False, or it lies inside a shipped case.
    """
    target = Path(path)
    found = _case(slug_or_case)
    if found.read_only and target.resolve().is_relative_to(found.path.resolve()):
        raise CaseExistsError(f"{found.slug} is a shipped case and is read-only.",
                              f"Write the report elsewhere, or copy the case with 'stp new-case mine --from {found.slug}'.")
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{target} already exists.", "Choose another name, or pass overwrite=True.")
    return write_atomic(target, build_report(found))
