"""The evaluation apps without a browser: controls redraw, bad input shows a message and changes nothing."""

from __future__ import annotations

from stp_helpers import charts, evaluation, report
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.charts import evaluation as ev_charts
from stp_helpers.widgets.evaluation import LogicModelEditor, OptionsWeigher, XmrExplorer

ERROR = '<div class="stp-error"'


def test_logic_model_editor_checks_as_you_edit() -> None:
    app = LogicModelEditor(evaluation.EXAMPLE_LOGIC_MODEL)
    assert repr(app) == "LogicModelEditor: Logic model: 10 elements, 9 links; 3 errors, 0 warnings"
    assert "LM-2" in app.findings.value and "LM-5" in app.findings.value
    app.text.value = app.text.value.replace("  - {from: I1, to: A2}\n", "  - {from: I1, to: A2}\n  - {from: I1, to: A3}\n")
    assert repr(app) == "LogicModelEditor: Logic model: 10 elements, 10 links; 2 errors, 0 warnings"
    before = app.diagram.value
    app.text.value = app.text.value.replace("{from: I1, to: A3}", "{from: I1, to: A9}")
    assert app.status.value.startswith(ERROR) and "dangling" in app.status.value
    assert app.diagram.value == before and "10 links" in repr(app)


def test_logic_model_editor_from_case() -> None:
    assert repr(LogicModelEditor.from_case("stoke-neet")).endswith("0 errors, 0 warnings")


def test_xmr_explorer_baseline_and_target() -> None:
    app = XmrExplorer(list(spc.EXAMPLE_SERIES), baseline=12)
    assert app.title == "Value: 10 of 10 later points signal a change, first at 13 (rule 1)"
    app.target.value = "35"
    assert "system change needed" in app.status.value
    app.baseline.value = 22
    table = spc.xmr_table(spc.EXAMPLE_SERIES, spc.xmr_limits(spc.EXAMPLE_SERIES, 22))
    assert app.title == ev_charts.xmr_finding(table, "Value")


def test_xmr_explorer_bad_input_keeps_the_chart() -> None:
    app = XmrExplorer(list(spc.EXAMPLE_SERIES), baseline=12)
    title = app.title
    for text, words in (("52, 48, x, 50", "not numbers"), ("1, 2, 3", "at least 6"), ("1,,2,3,4,5,6", "missing")):
        app.values.value = text
        assert app.status.value.startswith(ERROR) and words in app.status.value
        assert app.title == title
    app.values.value = ", ".join(str(v) for v in spc.EXAMPLE_SERIES)
    app.target.value = "soon"
    assert "is not a number" in app.status.value


def test_xmr_explorer_switches_indicator() -> None:
    app = XmrExplorer.from_case("plymouth-alliance")
    assert app.indicator.value == "days_to_first_appointment"
    assert app.title.startswith("Days to first appointment (mandatory target measure): no signals")
    assert "Target 21: chance" in app.status.value
    app.indicator.value = "repeat_assessments"
    assert app.baseline.value == 12 and app.title.startswith("Repeat assessments:")


def test_options_weigher_reranks() -> None:
    app = OptionsWeigher.from_case("plymouth-alliance")
    appraisal = report.case_appraisal("plymouth-alliance")
    assert app.title == charts.chart_title(ev_charts.ranking_chart(options.rank_options(appraisal), appraisal.criteria))
    app.sliders["Transition cost"].value = 0.6
    weights = {c: s.value for c, s in app.sliders.items()}
    expected = options.rank_options(appraisal, weights)
    assert repr(app).startswith(f"OptionsWeigher: {expected['option'].iloc[0]} ranks first")
    for slider in app.sliders.values():
        slider.value = 0
    assert app.status.value.startswith(ERROR)
