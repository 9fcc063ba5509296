"""The Wiltshire case's evaluation artefacts and the check of its options exercise."""

from __future__ import annotations

import pandas as pd
import pytest
import wiltshire_reference

from stp_helpers import case, duties, report
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.checks import wiltshire as check

SLUG = "wiltshire-complex-needs"


@pytest.fixture(scope="module")
def appraisal() -> options.Appraisal:
    return report.case_appraisal(SLUG)


def _tiny() -> options.Appraisal:
    rows = pd.DataFrame({"option": ["A", "A", "B", "B"], "criterion": ["reach", "cost"] * 2,
                         "weight": [0.5, 0.5] * 2, "better": ["higher", "lower"] * 2, "score": [10, 5, 2, 1]})
    return options.build_appraisal(rows)


def test_duty_12_is_evidenced() -> None:
    wilts = case.load(SLUG)
    assert duties.missing_artefacts(wilts, 12) == []
    assert all(duties.missing_artefacts(wilts, n) == [] for n in range(1, 13))


def test_option_scores_come_from_model_runs(appraisal: options.Appraisal) -> None:
    contacts = appraisal.scores["Crisis-driven contacts over 20 years"]
    # Growing crisis demand, from the model's equations typed out by hand: person-months in crisis
    # over months 0-239 x 10.663 contacts per crisis month.
    in_crisis = wiltshire_reference.run()[:-1, 2]
    assert contacts["Carry on as now"] == pytest.approx(
        in_crisis.sum() * wiltshire_reference.CONTACTS_PER_CRISIS_MONTH, rel=1e-3)
    assert contacts["A multi-agency hub"] < contacts["Early help with a single key worker"] < contacts["Carry on as now"]


def test_first_option_check(appraisal: options.Appraisal) -> None:
    first = options.rank_options(appraisal)["option"].iloc[0]
    assert first == "Early help with a single key worker"
    assert repr(check.first_option(first, appraisal, prediction="A multi-agency hub")).startswith("Correct.")
    assert "Your prediction matched." in repr(check.first_option(first.upper(), appraisal, prediction=first))
    assert repr(check.first_option("Carry on as now", appraisal)).startswith("Not yet. Carry on as now ranks 3")
    assert "is not an option here" in repr(check.first_option("Do nothing", appraisal))
    assert repr(check.first_option(..., appraisal)).startswith("Your turn")


def test_first_option_edge_and_misuse() -> None:
    tiny = _tiny()
    assert repr(check.first_option("a", tiny)).startswith("Correct. A ranks first")
    with pytest.raises(TypeError, match="option's name"):
        check.first_option(1, tiny)
    with pytest.raises(TypeError, match="options.Appraisal"):
        check.first_option("A", "not an appraisal")


def test_crisis_contacts_signal_after_early_help() -> None:
    table = report.indicator_xmr(SLUG, "crisis_contacts")
    assert int(table["baseline"].sum()) == 12
    rows = spc.indicator_series(report.case_indicators(SLUG), "crisis_contacts")
    limits = spc.xmr_limits(rows["value"], baseline=12)
    assert all(v > limits.lower for v in rows["value"][:12])
    assert rows["value"].iloc[-1] < limits.lower
    assert not report.case_contribution(SLUG).credible
