"""Apps and notebook views for futures and scenarios.

:class:`RegretExplorer` weighs scenarios with sliders and redraws the regret
table and the decision rules' choices; :class:`DriverRanker` re-scores a
driver and redraws the impact–uncertainty chart.  The ``*_view`` functions
build the scenarios notebook's outputs from a case and say plainly, through
the package, which artefact a case lacks instead of failing.

Examples
--------
>>> from stp_helpers.futures import robustness
>>> app = RegretExplorer(robustness.example_payoffs(), unit="£m")
>>> app
RegretExplorer: B is the robust choice: its largest regret is 4 £m; expected value agree
>>> app.sliders["S1"].value = 10
>>> app.choice_text
'With these weights, expected value picks C; minimax regret picks B; maximin picks D (do nothing).'
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import altair as alt
import ipywidgets as widgets
import pandas as pd

from stp_helpers import case as case_mod
from stp_helpers import charts, sd
from stp_helpers.charts import sd as sd_charts
from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios as fut
from stp_helpers.case import Case
from stp_helpers.charts import scenarios as fut_charts
from stp_helpers.display import HTML, Markdown, join, md
from stp_helpers.errors import StpError

__all__ = ["CaseFutures", "case_futures", "drivers_view", "drivers_table", "matrix_view", "tree_view", "narratives_view",
           "horizons_view", "runs_view", "claims_view", "payoffs_view", "regret_view", "sweep_view",
           "signposts_view", "tracked_indicators", "RegretExplorer", "DriverRanker"]


@dataclass
class CaseFutures:
    """What a case holds for futures work; ``missing`` lists the files it lacks."""

    case: Case
    drivers: list[fut.Driver] | None = None
    futures: fut.Futures | None = None
    model: sd.Model | None = None
    policies: list[sd.Scenario] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def note(self, file_name: str, what: str) -> Markdown:
        """A calm note saying the case has no ``file_name`` and how to add one."""
        return md(f"*{{title}}* has no `{file_name}`, so there is no {what} to show. "
                  "To add one, copy the case (`stp new-case my-case --from {slug}`) and "
                  f"write `{file_name}` in the copy; the Wiltshire case has an example.",
                  title=self.case.meta.title, slug=self.case.slug)

    def payoffs(self) -> robustness.Payoffs:
        """The case's payoff table (entered, or computed from its model)."""
        if self.futures is None:
            raise fut.ScenarioError(f"{self.case.meta.title} has no futures.yaml.")
        return robustness.futures_payoffs(self.futures, self.model, self.policies)

    def payoffs_or_example(self) -> robustness.Payoffs:
        """The case's payoff table, or the worked example FUT-T3 when the case has none."""
        if self.futures is None or self.futures.robustness is None:
            return robustness.Payoffs(robustness.example_payoffs(), "Net benefit (worked example FUT-T3)", "£m")
        return self.payoffs()


def case_futures(slug_or_case: str | Case) -> CaseFutures:
    """Load a case's drivers, futures, model and policy runs, noting what is missing.

    Raises
    ------
    CaseFileError
        When a file the case lists is malformed (missing files are noted, not raised).
    """
    found = slug_or_case if isinstance(slug_or_case, Case) else case_mod.load(slug_or_case)
    out = CaseFutures(found)
    if found.has("drivers.csv"):
        out.drivers = fut.read_drivers(found.artefact_path("drivers.csv"))
    else:
        out.missing.append("drivers.csv")
    if found.has("futures.yaml"):
        out.futures = fut.read_futures(found.artefact_path("futures.yaml"))
    else:
        out.missing.append("futures.yaml")
    model_file = next((f for f in ("model.mdl", "model.xmile") if found.has(f)), None)
    if model_file is not None:
        out.model = sd.load_model(found.artefact_path(model_file))
    else:
        out.missing.append("model.mdl")
    if found.has("scenarios.yaml"):
        out.policies = sd.load_scenarios(found.artefact_path("scenarios.yaml"))
    return out


def _subtitle(cf: CaseFutures, extra: str | None = None) -> list[str]:
    synthetic = " (values synthetic)" if cf.futures is not None and cf.futures.synthetic else ""
    source = cf.futures.source if cf.futures is not None else None
    cite = f"Source: {cf.case.cite(source)}" if source else None
    return [s for s in (f"{cf.case.meta.title}{synthetic}", extra, cite) if s]


def drivers_view(cf: CaseFutures) -> charts.StpChart | Markdown:
    """The impact–uncertainty chart of the case's drivers."""
    if cf.drivers is None:
        return cf.note("drivers.csv", "impact-uncertainty chart")
    return charts.show(fut_charts.driver_chart(cf.drivers, subtitle=_subtitle(cf, "Scores synthetic, for teaching")))


def drivers_table(cf: CaseFutures) -> pd.DataFrame | Markdown:
    """The case's drivers ranked by impact × uncertainty, with their role."""
    if cf.drivers is None:
        return cf.note("drivers.csv", "driver ranking")
    return fut.rank_drivers(cf.drivers)


def matrix_view(cf: CaseFutures) -> HTML | Markdown:
    """The case's 2×2 matrix, with narratives."""
    if cf.futures is None:
        return cf.note("futures.yaml", "2x2 matrix")
    if cf.futures.matrix is None:
        return Markdown("This case's `futures.yaml` builds its scenarios another way (see the question tree).")
    return fut_charts.matrix_html(cf.futures)


def tree_view(cf: CaseFutures, highlight: str | None = None) -> HTML | Markdown:
    """The case's question tree."""
    if cf.futures is None:
        return cf.note("futures.yaml", "question tree")
    if not cf.futures.tree:
        return Markdown("This case's `futures.yaml` has no question tree; its scenarios come from a 2x2 matrix.")
    return fut_charts.draw_tree(cf.futures, highlight=highlight)


def narratives_view(cf: CaseFutures) -> Markdown:
    """Each scenario's name and narrative, as a list."""
    if cf.futures is None:
        return cf.note("futures.yaml", "scenario narrative")
    return join(md("- **{name}**: {narrative}", name=s.name, narrative=s.narrative)
                for s in cf.futures.scenarios)


def horizons_view(cf: CaseFutures) -> pd.DataFrame | Markdown:
    """The case's Three Horizons items."""
    if cf.futures is None:
        return cf.note("futures.yaml", "Three Horizons table")
    if not cf.futures.horizons:
        return Markdown("This case's `futures.yaml` lists no Three Horizons items.")
    return fut.horizons_table(cf.futures)


def _outcome_variable(cf: CaseFutures) -> str:
    assert cf.model is not None
    rob = cf.futures.robustness if cf.futures is not None else None
    if rob is not None and rob.outcome is not None:
        return cf.model.resolve(rob.outcome.variable)
    claims = [c.variable for s in (cf.futures.scenarios if cf.futures else []) for c in s.claims]
    return cf.model.resolve(claims[0]) if claims else cf.model.stocks[0]


def runs_view(cf: CaseFutures, variable: str | None = None) -> charts.StpChart | Markdown:
    """Every scenario run side by side on the case's model (the model as written dashed).

    Without ``futures.yaml`` the case's ``scenarios.yaml`` runs are shown instead.
    """
    if cf.model is None:
        return cf.note("model.mdl", "stock-and-flow run")
    if cf.futures is None or not any(s.params for s in cf.futures.scenarios):
        if not cf.policies:
            return cf.note("futures.yaml", "scenario run")
        var = cf.model.resolve(variable) if variable else sd.key_outcome(cf.model, cf.policies)
        return charts.show(sd_charts.scenario_chart(cf.model, cf.policies, var))
    var = cf.model.resolve(variable) if variable else _outcome_variable(cf)
    runs, outcomes = fut.run_futures(cf.model, cf.futures, variables=[var])
    finals = outcomes.set_index("scenario")["final"].drop(fut.AS_WRITTEN)
    base = float(outcomes.set_index("scenario").loc[fut.AS_WRITTEN, "final"])
    hi, lo = finals.idxmax(), finals.idxmin()
    when = f"{sd_charts.time_label(cf.model)} {float(runs['time'].max()):g}"
    title = (f"By {when}, {var} ranges from {charts.number(finals[lo])} ({lo}) to "
             f"{charts.number(finals[hi])} ({hi}), against {charts.number(base)} as written")
    chart = charts.run_chart(runs, y_title=sd_charts.axis_title(cf.model, [var]), x_title=sd_charts.time_title(cf.model),
                             title=title, subtitle=_subtitle(cf, f"{len(finals)} scenarios, no new policy"),
                             baseline=fut.AS_WRITTEN)
    return charts.show(chart)


def claims_view(cf: CaseFutures) -> pd.DataFrame | Markdown:
    """Each narrative claim checked against a run of the case's model."""
    if cf.futures is None:
        return cf.note("futures.yaml", "narrative claim")
    if cf.model is None:
        return cf.note("model.mdl", "model check of the narratives")
    table = fut.check_claims(cf.model, cf.futures)
    if table.empty:
        return Markdown("This case's scenarios make no claims a model run could check.")
    return table


def payoffs_view(cf: CaseFutures) -> pd.DataFrame | Markdown:
    """The options × scenarios payoff table."""
    if cf.futures is None:
        return cf.note("futures.yaml", "options table")
    return cf.payoffs().table.round(2)


def regret_view(cf: CaseFutures) -> charts.StpChart | Markdown:
    """The case's regret table as a chart titled with the robust choice."""
    if cf.futures is None:
        return cf.note("futures.yaml", "regret table")
    pay = cf.payoffs()
    how = "computed from model runs" if pay.computed else "entered by the group"
    return charts.show(fut_charts.regret_chart(pay.table, better=pay.better, unit=pay.unit,
                                               subtitle=_subtitle(cf, f"{pay.title()}, {how}")))


def sweep_view(cf: CaseFutures, scenario: str | None = None) -> charts.StpChart | Markdown:
    """How the expected-value choice moves as one scenario's weight goes from 0 to 1."""
    if cf.futures is None:
        return cf.note("futures.yaml", "weight sweep")
    pay = cf.payoffs()
    scenario = scenario or str(pay.table.columns[0])
    sweep = robustness.weight_sweep(pay.table, scenario, pay.weights, steps=101, better=pay.better)
    return charts.show(fut_charts.sweep_chart(sweep, scenario, unit=pay.unit, better=pay.better,
                                              subtitle=_subtitle(cf, "Other scenarios share the rest equally")))


def tracked_indicators(cf: CaseFutures) -> list[str] | None:
    """Names in the ``indicator`` column of the case's ``indicators.csv`` (None when it has none).

    Underscores read as spaces, so ``rent_arrears_cases`` matches the
    signpost "Rent arrears cases".
    """
    if not cf.case.has("indicators.csv"):
        return None
    import csv

    path = cf.case.artefact_path("indicators.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        names = [row.get("indicator") or "" for row in csv.DictReader(handle)]
    return list(dict.fromkeys(n.strip().replace("_", " ") for n in names if n.strip()))


def signposts_view(cf: CaseFutures, indicators: Sequence[str] | None = None) -> pd.DataFrame | Markdown:
    """Early-warning indicators for each scenario.

    When the case tracks indicators (its ``indicators.csv``, read by the
    evaluation notebook) or ``indicators`` are given, a column says which
    signposts are among them.
    """
    if cf.futures is None:
        return cf.note("futures.yaml", "signpost")
    return fut.signposts_table(cf.futures, indicators if indicators is not None else tracked_indicators(cf))


# ---------------------------------------------------------------------- apps
_WIDE = widgets.Layout(width="640px")


class RegretExplorer(widgets.VBox):
    """Weigh the scenarios and see the regret table and each rule's choice update.

    A weight of 0 rules a scenario out of every rule (the regret table
    loses its column); other weights are relative and only move the
    expected-value choice.

    Parameters
    ----------
    payoffs : DataFrame or robustness.Payoffs
    better : "higher" or "lower"
    unit : str
    weights : mapping, optional
        Starting weights (default 1 each), rounded to the sliders' whole numbers.
    subtitle : str, optional
    """

    def __init__(self, payoffs: pd.DataFrame | robustness.Payoffs, better: str = "higher", unit: str = "",
                 weights: Mapping[str, float] | None = None, subtitle: str | list[str] | None = None,
                 note: str = "") -> None:
        if isinstance(payoffs, robustness.Payoffs):
            better, unit, weights = payoffs.better, payoffs.unit, weights or payoffs.weights
            payoffs = payoffs.table
        self._table = robustness.payoff_table(payoffs)
        self._better, self._unit, self._subtitle = better, unit, subtitle
        start = dict(weights or {})
        self.sliders = {
            s: widgets.IntSlider(value=int(round(start.get(s, 1))), min=0, max=10, step=1, description=s,
                                 continuous_update=False, style={"description_width": "200px"},
                                 layout=widgets.Layout(width="600px"))
            for s in self._table.columns
        }
        self.view = charts.show(self._chart(self._table))
        self.rules = widgets.HTML()
        self.status = widgets.HTML()
        heading = widgets.HTML(f'<div style="font-size:15px">Weights (0 rules a scenario out){html.escape(note)}</div>')
        super().__init__([heading, *self.sliders.values(), self.view, self.rules, self.status], layout=_WIDE)
        for slider in self.sliders.values():
            slider.observe(self._update, names="value")
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case | CaseFutures) -> RegretExplorer:
        """The case's options table; the worked example FUT-T3 when the case has none."""
        cf = slug_or_case if isinstance(slug_or_case, CaseFutures) else case_futures(slug_or_case)
        if cf.futures is None or cf.futures.robustness is None:
            return cls(robustness.example_payoffs(), unit="£m", subtitle="Worked example FUT-T3 (methods.md §6.6)",
                       note=f" · {cf.case.meta.title} has no options table, so this is the worked example")
        return cls(cf.payoffs(), subtitle=_subtitle(cf))

    def _chart(self, table: pd.DataFrame) -> alt.LayerChart:
        return fut_charts.regret_chart(table, better=self._better, unit=self._unit, subtitle=self._subtitle)

    @property
    def weights(self) -> dict[str, int]:
        """The sliders' weights."""
        return {s: int(w.value) for s, w in self.sliders.items()}

    @property
    def title(self) -> str:
        """The regret chart's title (the robust choice)."""
        return charts.chart_title(self.view.chart)

    @property
    def choice_text(self) -> str:
        """The status sentence naming each rule's choice."""
        return html.unescape(self.status.value.split(">", 1)[1].rsplit("<", 1)[0]) if self.status.value else ""

    def _update(self, change: object = None) -> None:
        weights = {s: w for s, w in self.weights.items() if w > 0}
        try:
            if not weights:
                raise robustness.RobustnessError("Every scenario has weight 0.",
                                                 fix="Give at least one scenario a weight above 0.")
            table = self._table[list(weights)]
            summary = robustness.decision_summary(table, weights, self._better)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.view.chart = self._chart(table)
        self.rules.value = summary.to_html(index=False, border=0)
        pick = dict(zip(summary["rule"], summary["choice"]))
        text = (f"With these weights, expected value picks {pick['expected value']}; minimax regret picks "
                f"{pick['minimax regret']}; maximin picks {pick['maximin']}.")
        self.status.value = f'<div class="stp-status">{html.escape(text)}</div>'

    def __repr__(self) -> str:
        return f"RegretExplorer: {self.title}"


class DriverRanker(widgets.VBox):
    """Re-score one driver at a time and see which become critical uncertainties.

    Parameters
    ----------
    drivers : sequence of Driver
    subtitle : str, optional
    """

    def __init__(self, drivers: Sequence[fut.Driver], subtitle: str | list[str] | None = None) -> None:
        if not drivers:
            raise fut.ScenarioError("There are no drivers to rank.", fix="Add rows to drivers.csv.")
        self._drivers = {d.driver: d for d in drivers}
        self._subtitle = subtitle
        first = next(iter(self._drivers.values()))
        self.driver = widgets.Dropdown(options=list(self._drivers), value=first.driver, description="Driver",
                                       layout=widgets.Layout(width="600px"))
        self.impact = widgets.IntSlider(value=first.impact, min=1, max=5, description="Impact",
                                        continuous_update=False)
        self.uncertainty = widgets.IntSlider(value=first.uncertainty, min=1, max=5, description="Uncertainty",
                                             continuous_update=False)
        self.view = charts.show(fut_charts.driver_chart(list(self._drivers.values()), subtitle=subtitle))
        self.status = widgets.HTML()
        self._loading = False
        super().__init__([self.driver, self.impact, self.uncertainty, self.view, self.status], layout=_WIDE)
        self.driver.observe(self._select, names="value")
        self.impact.observe(self._update, names="value")
        self.uncertainty.observe(self._update, names="value")

    @classmethod
    def from_case(cls, slug_or_case: str | Case | CaseFutures) -> DriverRanker:
        """The case's drivers; the worked example FUT-T1 when the case has none."""
        cf = slug_or_case if isinstance(slug_or_case, CaseFutures) else case_futures(slug_or_case)
        if cf.drivers is None:
            return cls(fut.example_drivers(), subtitle="Worked example FUT-T1 (methods.md §6.1)")
        return cls(cf.drivers, subtitle=_subtitle(cf))

    @property
    def drivers(self) -> list[fut.Driver]:
        """The drivers with the scores as they now stand."""
        return list(self._drivers.values())

    @property
    def title(self) -> str:
        return charts.chart_title(self.view.chart)

    def _select(self, change: object = None) -> None:
        d = self._drivers[self.driver.value]
        self._loading = True
        try:
            self.impact.value, self.uncertainty.value = d.impact, d.uncertainty
        finally:
            self._loading = False

    def _update(self, change: object = None) -> None:
        if self._loading:
            return
        name = self.driver.value
        self._drivers[name] = self._drivers[name].model_copy(
            update={"impact": int(self.impact.value), "uncertainty": int(self.uncertainty.value)})
        try:
            axes = fut.choose_axes(self.drivers)
            text = f"Axes for a 2x2: {axes[0]} × {axes[1]}."
        except StpError as err:
            text = str(err)
        self.view.chart = fut_charts.driver_chart(self.drivers, subtitle=self._subtitle)
        self.status.value = f'<div class="stp-status">{html.escape(text)}</div>'

    def __repr__(self) -> str:
        return f"DriverRanker: {self.title}"
