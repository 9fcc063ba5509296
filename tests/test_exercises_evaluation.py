"""Answer tables of the logic model and measures notebooks' exercises, run through their apps."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row, assert_placeholder_waits

from stp_helpers import case, evaluation, report
from stp_helpers.checks import evaluation as check
from stp_helpers.evaluation import spc

MODEL = evaluation.example_logic_model()
APPRAISAL = report.case_appraisal(case.load("wiltshire-complex-needs"))
LIMITS = spc.xmr_limits(spc.EXAMPLE_SERIES, baseline=12)
DEMAND = spc.example_demand()
INDICATOR = {"name": "Tenancies kept 12 months",
             "definition": "People still in their tenancy 12 months after referral, as a percentage.",
             "numerator": "people still in their tenancy after 12 months",
             "denominator": "people referred 12 months earlier", "unit": "% of people referred",
             "source": "Housing management system", "baseline": 62, "baseline_date": "2024-Q1",
             "direction": "higher", "target_date": "2026-Q1", "frequency": "quarterly",
             "owner": "Housing options manager"}

APPS = {
    "breaches": lambda: check.breaches_exercise(MODEL),
    "indicator": lambda: check.indicator_exercise(),
    "weight": lambda: check.weight_exercise(APPRAISAL),
    "limits": lambda: check.limits_exercise(spc.EXAMPLE_SERIES, 12, 13),
    "verdict": lambda: check.verdict_exercise(LIMITS, 35, "lower"),
    "share": lambda: check.share_exercise(DEMAND),
}

# (exercise, answer, prediction, verdict, a line the feedback must hold)
TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("breaches", {"LM-2": ["A3"], "LM-4": ["L1"], "LM-5": ["A3"]}, 3, "Correct.",
     "You predicted 3 breaches, and there are 3."),
    ("breaches", [("lm-5", "A3"), ("LM-2", "A3"), ("LM-4", "L1")], 1, "Correct.",
     "You predicted 1 breach; there are 3. Which one did you not expect?"),
    ("breaches", {"LM-2": ["A3"], "LM-4": ["L1"]}, ..., "Not yet.",
     "One more breach of LM-5 is still to find. Hint: which activity has no input pointing to it?"),
    ("breaches", {"LM-2": ["A3", "A1"], "LM-4": ["L1"], "LM-5": ["A3"]}, ..., "Not yet.",
     "LM-2 does not apply to A1: reread what LM-2 asks"),
    ("breaches", {"LM-9": ["A3"]}, ..., "Not yet.", "LM-9 is not a logic-model rule"),
    ("indicator", INDICATOR, "owner", "Correct.", "You predicted practitioners most often leave out the owner"),
    ("indicator", {**INDICATOR, "baseline": "62", "direction": "Higher", "frequency": "every quarter"}, ..., "Correct.",
     "Every SM-1 field is there"),
    ("indicator", {k: "x" for k in check.INDICATOR_FIELDS}, ..., "Not yet.",
     "baseline: 'x' is not a number."),
    ("indicator", {**{k: "x" for k in check.INDICATOR_FIELDS}, "baseline": 62, "direction": "higher"}, ..., "Not yet.",
     "name: 'x' says nothing yet; write what it measures, in a few words."),
    ("indicator", {**INDICATOR, "frequency": "x"}, ..., "Not yet.",
     "frequency: 'x' says nothing yet; write how often it is measured"),
    ("indicator", {**INDICATOR, "target_date": "soon"}, ..., "Not yet.", "target date: 'soon' says nothing yet"),
    ("indicator", {k: v for k, v in INDICATOR.items() if k != "owner"}, ..., "Not yet.", "11 of 12 SM-1 fields are filled."),
    ("weight", "Support among the partners", "Support among the partners", "Correct.",
     "You predicted Support among the partners as the weight the choice turns on, and it is."),
    ("weight", "support among partners", "New cost a year", "Correct.",
     "You predicted New cost a year as the weight the choice turns on; it is Support among the partners."),
    ("weight", "Crisis-driven contacts over 20 years", ..., "Not yet.",
     "For Crisis-driven contacts over 20 years, its weight must move 0.11; another criterion needs a smaller move."),
    ("weight", "cost", ..., "Not yet.", "'cost' is not a criterion"),
    ("limits", LIMITS, "yes", "Correct.", "You predicted point 13 (68) would fall outside; it falls outside. What told you?"),
    ("limits", {"lower": "38.98", "upper": "62.19"}, "no", "Correct.",
     "You predicted point 13 (68) would not fall outside; it falls outside."),
    ("limits", spc.xmr_limits(spc.EXAMPLE_SERIES, baseline=20), ..., "Not yet.", "Your limits rest on 20 points"),
    ("limits", (30.0, 70.0), ..., "Not yet.", "Check the limits: centre ± 2.66 × the mean moving range"),
    ("verdict", "system change needed", "yes", "Correct.",
     "You predicted more effort would be enough; it is not: the system as it stands almost never produces this."),
    ("verdict", "Needs a change to the system", "no", "Correct.", "You predicted more effort would not be enough"),
    ("verdict", "chance", ..., "Not yet.",
     "A target of 35 lies below the lower natural process limit (38.98). Compare the target with the limits"),
    ("verdict", "more effort", ..., "Not yet.", "'more effort' is not one of the three verdicts"),
    ("share", 0.6, 0.3, "Correct.", "You predicted 0.30; it is 0.60. What made you expect less?"),
    ("share", "60%", "60%", "Correct.", "You predicted 0.60; it is 0.60. What told you, before counting?"),
    ("share", 0.4, ..., "Not yet.", "That is the value-demand share."),
    ("share", 0.45, ..., "Not yet.", "Count each kind: chasing, repeats and complaints are failure demand"),
]


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(APPS[exercise], answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", sorted(APPS))
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    assert_placeholder_waits(APPS[exercise], "yes")


def test_the_indicator_table_in_the_app_reaches_the_check() -> None:
    app = APPS["indicator"]()
    for row, name in zip(app.answer.cells, app.answer.row_names):
        row[0].value = str(INDICATOR[name])
    app.predict.control.value = "owner"
    app.lock_button.click()
    app.check_button.click()
    assert repr(app).startswith("Correct. Every SM-1 field is there")
