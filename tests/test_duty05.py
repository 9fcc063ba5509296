"""Duty 5: reference modes read from a case's data, a dynamic hypothesis from the initial CLD, the enquiry gaps
it implies (added to the information plan), the app and the exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty05 as check
from stp_helpers.cld import build_cld, hypothesis
from stp_helpers.errors import GraphError, SeriesError
from stp_helpers.evaluation import patterns
from stp_helpers.evaluation.spc import EXAMPLE_SERIES
from stp_helpers.practice import enquiry, information
from stp_helpers.widgets.duty05 import PatternReader

WILTS = case.load("wiltshire-complex-needs")

# methods.md §2.4 (CLD-T1): U unmet need, C crisis interventions, W workload, P prevention, S sickness absence.
CLD_T1, _ = build_cld([("U", "C", "+"), ("C", "U", "-"), ("C", "W", "+"), ("W", "P", "-", "yes"), ("P", "U", "-"),
                       ("W", "S", "+", "yes"), ("S", "W", "+"), ("S", "P", "-"), ("U", "P", "+", "yes")])


# --- reference modes (RM-1 to RM-3) -----------------------------------------------------------------------------

def test_reference_mode_on_hand_worked_series() -> None:
    # SPC-T1 with its 12-point baseline: rule 1 at 13, then the run of eight above the centre from point 15.
    shift = patterns.read_reference_mode(EXAMPLE_SERIES, name="Value", baseline=12)
    assert (shift.shape, shift.change_start, shift.unusual_points) == ("shifts up", 15, [13])
    assert round(shift.before, 3) == 50.583 and round(shift.after or 0, 3) == round(sum(EXAMPLE_SERIES[14:]) / 8, 3)
    stable = patterns.read_reference_mode([5, 6, 5, 7, 6, 5, 6, 5, 6, 5, 7, 5], name="Calls")
    assert stable.shape == "stable" and stable.change_start is None and stable.limits.baseline == 6  # RM-1: half
    assert "a stable process" in stable.sentence()
    odd = patterns.read_reference_mode([5, 6, 5, 7, 6, 5, 30, 5, 6, 5, 6, 5], name="Calls", baseline=6)
    assert odd.shape == "stable with unusual points" and odd.unusual == ["7"]
    with pytest.raises(SeriesError, match="needs at least 6 values; Calls has 3"):
        patterns.read_reference_mode([1, 2, 3], name="Calls")
    with pytest.raises(SeriesError, match="2 periods for 6 values"):
        patterns.read_reference_mode([1, 2, 3, 4, 5, 6], ["a", "b"])


def test_reference_modes_of_the_shipped_cases() -> None:
    contacts = patterns.case_reference_mode(WILTS, "crisis_contacts")
    assert (contacts.shape, contacts.change_period, contacts.limits.baseline) == ("shifts down", "2021-03", 12)
    assert contacts.title() == "Crisis-driven agency contacts held near 539 a month, then fell from 2021-03"
    assert patterns.case_reference_mode(WILTS, "crisis_onsets").shape == "stable"
    salford = patterns.reference_modes_table(case.load("salford-spotlight"))
    assert salford[["shape", "change from"]].values.tolist() == [["shifts up", "2007-12"]]
    assert patterns.reference_modes_table(case.load("wolverhampton-flamingos")).empty
    with pytest.raises(SeriesError, match="has no indicators.csv"):
        patterns.case_reference_mode(case.load("wolverhampton-flamingos"), "x")


# --- dynamic hypothesis and enquiry gaps (DH-1 to DH-4) ---------------------------------------------------------

def test_dynamic_hypothesis_on_the_five_variable_example() -> None:
    stable = hypothesis.dynamic_hypothesis(CLD_T1, "U", "stable")
    assert stable[["loop", "candidate"]].values.tolist() == [["B1", "yes"], ["B2", "yes"], ["R2", "also"],
                                                            ["R3", "also"]]
    shift = hypothesis.dynamic_hypothesis(CLD_T1, "U", "shifts down")
    assert shift[["loop", "candidate"]].values.tolist() == [["B2", "yes"], ["R2", "yes"], ["R3", "yes"],
                                                           ["B1", "also"]]
    assert hypothesis.hypothesis_sentence(CLD_T1, "U", "stable").startswith(
        "Hypothesis (an inference to test): U is stable because balancing loops B1, B2 hold it; R2, R3 would explain why the level does not fall.")
    # R1 (S -> W -> S) does not pass through U, so it is no candidate.
    assert "R1" not in set(shift["loop"])
    gaps = hypothesis.enquiry_gaps(CLD_T1, "U", "shifts down", measured=["U", "C"])
    assert gaps["gap"].tolist() == ["P", "W", "S", "delay: U → P", "delay: W → P", "delay: W → S"]
    assert gaps.set_index("gap").loc["P", "loops"] == "B2, R2, R3"
    with pytest.raises(GraphError, match="'Z' is not a variable"):
        hypothesis.dynamic_hypothesis(CLD_T1, "Z", "stable")
    lonely, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("c", "a", "+")])
    assert "No loop of the diagram passes through c" in hypothesis.hypothesis_sentence(lonely, "c", "stable")
    assert "no loop through it has a delay" in hypothesis.hypothesis_sentence(lonely, "a", "shifts up")


def test_gaps_become_needs_the_plan_asks_to_complete() -> None:
    gaps = hypothesis.enquiry_gaps(WILTS.read("cld.csv").graph, "crisis_contacts", "shifts down",
                                   measured=["crisis_contacts"])
    needs = enquiry.needs_from_gaps(gaps.to_dict("records"))
    assert len(needs) == len(gaps) == 12
    assert {f.rule for f in information.check_information_plan(needs)} == {"IP-1", "IP-2"}
    merged = enquiry.merge_needs(WILTS.read("information_plan.csv"), needs)
    assert len(merged) == 6 + 12 and enquiry.merge_needs(merged, needs) == merged


# --- the app ------------------------------------------------------------------------------------------------------

def test_pattern_reader_refuses_a_shipped_case_and_adds_to_a_copy(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = PatternReader.from_case("wiltshire-complex-needs")
    assert app.summary == "Crisis-driven agency contacts: shifts down from 2021-03; 8 candidate loops; 12 gaps."
    assert app.view.chart is not None and "2021-03" in app.reading.value
    app.add.click()
    assert "read-only" in app.status.value and "stp new-case mine --from" in app.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", template="wiltshire-complex-needs", root=tmp_path)
    mine = PatternReader.from_case("mine")
    mine.add.click()
    assert "Added 12 needs to information_plan.csv" in mine.status.value
    plan = information.read_information_plan(folder / "information_plan.csv")
    assert len(plan) == 18 and plan[-1].basis == "inference"
    mine.add.click()
    assert "Added 0 needs" in mine.status.value


def test_pattern_reader_on_a_blank_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    case.new_case("blank", root=tmp_path)
    app = PatternReader.from_case("blank")
    assert app.summary == "No data yet." and "has no indicators.csv yet" in app.reading.value
    app.add.click()
    assert "no gaps to add" in app.status.value
    assert repr(PatternReader.from_case("salford-spotlight")).startswith("PatternReader: Lone parents")


# --- the exercise -------------------------------------------------------------------------------------------------

ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    ("2021-01", "shifts down", "Correct.", "You predicted 'shifts down', as the data show."),
    ("January 2021", "stable", "Correct.", "what did the eye take for noise?"),
    ("2021-1", None, "Correct.", "2 months later: which delayed link"),
    ("2020-09", "stable with unusual points", "Not yet.", "an unusual point, not a pattern"),  # near miss
    ("2021-03", "shifts down", "Not yet.", "A point outside the limits is not where a change starts."),  # near miss
    ("2020-11", "shifts down", "Not yet.", "the run of eight or more on one side starts later"),
    ("2023-05", "shifts down", "Not yet.", "is not a month of the series"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_shift_start_answer_table(answer: str, prediction: str | None, verdict: str, line: str) -> None:
    assert_answer_row(check.shift_start_exercise, answer, prediction, verdict, line)


def test_shift_start_placeholder_model_answer_and_misuse() -> None:
    assert_placeholder_waits(check.shift_start_exercise, "shifts down")
    assert check.exercise_mode().change_period == "2021-01"  # read by RM-2, not typed
    with pytest.raises(TypeError, match="a month as text"):
        check.shift_start(202101)
