"""Answer tables of the case notebooks' exercises, run through their apps (notebooks/cases/*.ipynb)."""

from __future__ import annotations

from typing import Any

import pytest
from exercise_tables import assert_answer_row

from stp_helpers import case, report, vsm
from stp_helpers.checks import duties as check_duties
from stp_helpers.checks import scenarios as check_futures
from stp_helpers.checks import scoping as check
from stp_helpers.checks import csh as check_csh
from stp_helpers.checks import stoke as check_stoke
from stp_helpers.checks import vsm as check_vsm
from stp_helpers.checks import wiltshire as check_options
from stp_helpers.checks.exercise import APP_PREDICT_FIRST, APP_YOUR_TURN
from stp_helpers.stakeholders import csh
from stp_helpers.widgets import scenarios as futures_views

WILTS = case.load("wiltshire-complex-needs")
CRISIS_X2 = {"Crisis-driven contacts over 20 years": 0.7}
PLYMOUTH = case.load("plymouth-alliance")
STOKE = case.load("stoke-neet")
SALFORD = case.load("salford-spotlight")
FLAMINGOS = futures_views.case_futures(case.load("wolverhampton-flamingos"))

# (exercise, answer, prediction, verdict, a line the feedback must hold)
TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("wiltshire-share", 23.2, "less", "Correct.",
     "Police holds 23.2% of the counted contacts. Your prediction (less than a quarter) matched the data."),
    ("wiltshire-share", "23.24", "more than a quarter", "Correct.",
     "Your prediction (more than a quarter) did not match the data."),
    ("wiltshire-share", 0.232, "less", "Not yet.", "The ratio is right. Give it in per cent: multiply by 100."),
    ("wiltshire-share", "about a quarter", "less", "Not yet.", "'about a quarter' is not a number"),
    ("wiltshire-share", 50, "less", "Not yet.",
     "Divide Police's contacts by the total of all counted contacts (leave out the agencies with no count). "
     "Your answer says more than a quarter; you predicted less."),
    ("wiltshire-largest", "Housing services", ..., "Correct.", "Housing services recorded 488 contacts."),
    ("wiltshire-largest", "housing", ..., "Correct.", "Housing services recorded 488 contacts."),
    ("wiltshire-largest", "Police", ..., "Not yet.",
     "Police is the second largest, with 238 contacts. Look again at the housing column"),
    ("wiltshire-largest", "Fire service", ..., "Not yet.", "'Fire service' is not one of the agencies counted"),
    ("wiltshire-options", "A multi-agency hub", "Early help with a single key worker", "Correct.",
     "A multi-agency hub ranks first with a weighted score of 0.63 of 1, ahead of Early help with a single key "
     "worker (0.57). You predicted Early help with a single key worker, which ranks 2."),
    ("wiltshire-options", "multi-agency hub", "A multi-agency hub", "Correct.", "Your prediction matched."),
    ("wiltshire-options", "Carry on as now", "Carry on as now", "Not yet.",
     "Carry on as now ranks 3 of 3, with a weighted score of 0.30. Multiply each criterion's score by its weight "
     "and add them up for every option: which total is highest? You predicted this option too"),
    ("wiltshire-options", "Early help with a single key worker", ..., "Not yet.",
     "Early help with a single key worker ranks 2 of 3"),
    ("wolverhampton-tree", "Lame Duck", "Ostrich", "Correct.",
     "Yes, no leads to Lame Duck after 2 questions. Your prediction (Ostrich) did not match."),
    ("wolverhampton-tree", "the lame duck", "Lame Duck", "Correct.", "Your prediction (Lame Duck) matched."),
    ("wolverhampton-tree", "Ostrich", "Ostrich", "Not yet.",
     "Start at the first question and follow one answer at a time; remember that a 'no' ends its branch. "
     "Your answer is your prediction: walk the path to test it."),
    ("wolverhampton-tree", "Icarus", ..., "Not yet.", "remember that a 'no' ends its branch. What early signs"),
    ("wolverhampton-tree", "Dodo", ..., "Not yet.", "'Dodo' is not one of the tree's scenarios"),
    ("wolverhampton-robust", "Keep running Flamingos rounds", "Big-bang joint service", "Correct.",
     "Keep running Flamingos rounds's largest regret is 1 points, the smallest of any option. Your prediction "
     "(Big-bang joint service) did not match: Big-bang joint service has the best best case"),
    ("wolverhampton-robust", "keep running the Flamingo rounds", "Keep running Flamingos rounds", "Correct.",
     "Your prediction (Keep running Flamingos rounds) matched."),
    ("wolverhampton-robust", "Big-bang joint service", "Big-bang joint service", "Not yet.",
     "Big-bang joint service's largest regret is 4 points. For each option, find its largest regret across the "
     "futures (how far it falls short of the best option there) and take the smallest; a high payoff in one future "
     "is not enough. You predicted this option too: was that for its best case or its worst?"),
    ("wolverhampton-robust", "Each agency trains its own managers", ..., "Not yet.",
     "Each agency trains its own managers's largest regret is 5 points."),
    ("plymouth-duty8", ["drivers.csv", "futures.yaml", "scenarios.yaml"], 3, "Correct.",
     "The case lacks 3 of the duty's 3 evidence artefacts: drivers.csv, futures.yaml, scenarios.yaml. "
     "You predicted 3 missing artefacts, and there are 3."),
    ("plymouth-duty8", ["Drivers", "futures", "scenarios.YAML"], 2, "Correct.",
     "You predicted 2 missing artefacts; there are 3. Which one did you not expect?"),
    ("plymouth-duty8", ["drivers.csv"], 2, "Not yet.",
     "All 1 files you listed are missing indeed. 2 more artefact(s) of this duty are missing; look again at the "
     "table above. You predicted 2 missing artefacts; your answer has 1."),
    ("plymouth-duty8", ["options.csv", "drivers.csv"], ..., "Not yet.",
     "1 of your files are right. The case already has or does not need options.csv"),
    ("stoke-neet", 15.9, 25, "Correct.",
     "With january starts without follow-up the model ends with 15.9% fewer young people NEET than with september "
     "starts only (621 against 739 after 48 months). Your prediction (25%) was 9.1 points too high."),
    ("stoke-neet", "15.9%", "15%", "Correct.", "Your prediction (15%) was close."),
    ("stoke-neet", -15.9, ..., "Not yet.", "Give the fall as a positive number."),
    ("stoke-neet", 25, 25, "Not yet.",
     "Compare the final NEET of the scenario with the first scenario's: the fall as a percentage of the first "
     "scenario's final value, a positive number. Your answer is your prediction: run the scenarios to test it."),
    ("stoke-duty9", ["futures.yaml", "vsm.yaml"], 3, "Correct.",
     "The case lacks 2 of the duty's 4 evidence artefacts: futures.yaml, vsm.yaml. You predicted 3 missing "
     "artefacts; there are 2. What made you expect a third?"),
    ("stoke-duty9", ["VSM", "Futures"], ..., "Correct.", "futures.yaml, vsm.yaml"),
    ("stoke-duty9", ["options.csv", "futures.yaml"], 2, "Not yet.",
     "1 of your files are right. The case already has or does not need options.csv"),
    ("stoke-duty9", ["futures.yaml"], 3, "Not yet.",
     "1 more artefact(s) of this duty are missing; look again at the table above. You predicted 3 missing "
     "artefacts; your answer has 1."),
    # Graded by the workbook's judged reading in values (csh.yaml), not by shared words: no question is 'wide'.
    ("salford-gap", 2, 5, "Correct.",
     "Q2 (purpose) shows the widest gap in values for Delivery agencies: the workbook judges it 'some': “Force and "
     "national targets stay the purpose; the ought admits a local priority only where the partnership asks.” Q6, Q8, "
     "Q11 and Q12 are judged 'some' as well. No question is judged 'wide'. You predicted Q5; the workbook judges it "
     "'none'"),
    ("salford-gap", 12.0, "12", "Correct.", "You predicted Q12, and it is judged 'some', among the widest gaps."),
    ("salford-gap", 5, 5, "Not yet.",
     "Q5 (resources): the workbook judges its gap in values 'none': “Both answers keep officer deployment and "
     "adviser caseloads under the agencies' control.” Words shared, not values: its answers share 100% of their "
     "words. Look for a question whose 'ought' answer keeps who or what holds the role now, and adds to it, shares "
     "it or redirects it. Your answer is your prediction: read the pair again to test it."),
    ("salford-gap", 1, ..., "Not yet.", "Q1 (beneficiary): the workbook judges its gap in values 'none': “Both answers "
     "name victims of vehicle crime and claimants ready for work.”"),
    ("salford-gap", 13, ..., "Not yet.", "Question numbers run from 1 to 12."),
    ("salford-vsm", ["VSM-2", "VSM-8"], 2, "Correct.",
     "You found 2 of 2 pathologies. You predicted 2 pathologies, and there are 2."),
    ("salford-vsm", ["vsm-8", "VSM-2"], 3, "Correct.", "You predicted 3 pathologies; there are 2. What made you expect "
     "a third?"),
    ("salford-vsm", ["VSM-2"], 1, "Not yet.",
     "You found 1 of 2 pathologies. One is missing: how would an alarm from the front line reach policy"),
    ("salford-vsm", ["VSM-2", "VSM-8", "VSM-1"], 3, "Not yet.",
     "VSM-1 (nothing viable to manage) does not fire here: look again at what the description records for it."),
]


def app(exercise: str) -> Any:
    return {"wiltshire-share": lambda: check.share_exercise(WILTS),
            "wiltshire-largest": lambda: check.largest_agency_exercise(WILTS),
            "wiltshire-options": lambda: check_options.first_option_exercise(
                report.case_appraisal(WILTS).with_weights(CRISIS_X2)),
            "wolverhampton-tree": lambda: check_futures.tree_exercise(FLAMINGOS.futures, ["yes", "no"]),
            "wolverhampton-robust": lambda: check_futures.robust_exercise(FLAMINGOS.payoffs()),
            "plymouth-duty8": lambda: check_duties.artefacts_exercise(PLYMOUTH, 8),
            "stoke-neet": lambda: check_stoke.reduction_exercise(STOKE, "january starts without follow-up"),
            "stoke-duty9": lambda: check_duties.artefacts_exercise(STOKE, 9),
            "salford-gap": lambda: check_csh.widest_gap_exercise(csh.load_csh(SALFORD), "Delivery agencies"),
            "salford-vsm": lambda: check_vsm.pathology_exercise(vsm.from_case(SALFORD))}[exercise]()


@pytest.mark.parametrize("exercise,answer,prediction,verdict,line", TABLE,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_answer_table(exercise: str, answer: Any, prediction: Any, verdict: str, line: str) -> None:
    assert_answer_row(lambda: app(exercise), answer, prediction, verdict, line)


@pytest.mark.parametrize("exercise", ["wiltshire-share", "wiltshire-largest", "wiltshire-options",
                                      "wolverhampton-tree", "wolverhampton-robust", "plymouth-duty8",
                                      "stoke-neet", "stoke-duty9", "salford-gap", "salford-vsm"])
def test_placeholder_is_your_turn_and_keeps_the_model_answer_back(exercise: str) -> None:
    waiting = app(exercise)
    assert repr(waiting.submit(...)) == (APP_YOUR_TURN if waiting.predict is None else APP_PREDICT_FIRST)
    assert waiting.model_panel.value == ""


def test_the_model_answer_opens_after_an_attempt() -> None:
    exercise = app("wiltshire-share")
    exercise.submit(50, "less")
    assert "23.2%" in exercise.model_panel.value
