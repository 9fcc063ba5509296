"""Duty 9: options tested across futures and on the model with their assumptions explicit; the form and exercise."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exercise_tables import assert_answer_row, assert_placeholder_waits
from stp_helpers import case
from stp_helpers.checks import duty09 as check
from stp_helpers.errors import CaseFileError
from stp_helpers.futures import assumptions, robustness
from stp_helpers.widgets.futures_forms import OptionsForm

WILTS = case.load("wiltshire-complex-needs")
SOURCES = [s.id for s in WILTS.meta.sources]


def test_wiltshire_options_pass_and_every_assumption_is_named() -> None:
    rows, futures = WILTS.read("options.csv"), WILTS.read("futures.yaml")
    assert assumptions.check_options(rows, SOURCES, futures) == []
    table = assumptions.assumptions_table(rows, futures)
    assert len(table) == len(rows) + 1 + 4 + 4  # scores, the value of a contact, four costs, four futures
    assert table.iloc[12].tolist()[:2] == ["value of one contact avoided", "0.0001 £m"]
    assert (table["evidence"] != "").all() and (table["source"] != "").all()


def test_each_rule_on_hand_made_records() -> None:
    draft = assumptions.example_draft_options()
    assert [(f.rule, f.field) for f in assumptions.check_options(draft, ["seed-000"], None)] == [
        ("IO-2", "row 5"), ("IO-3", "row 7"), ("IO-5", "futures.yaml")]
    two = [r for r in draft if r.option != "A multi-agency hub"]
    typed = [r.model_copy(update={"scenario": None, "variable": None, "metric": None, "score": 1.0}) for r in two]
    assert [f.rule for f in assumptions.check_options(typed, ["seed-000"], WILTS.read("futures.yaml"))] == [
        "IO-1", "IO-3", "IO-4"]
    odd = [r.model_copy(update={"source": "seed-999", "evidence": "x"}) for r in draft]
    assert str(assumptions.check_options(odd, ["seed-000"], WILTS.read("futures.yaml"))[0]) == (
        "IO-3 row 2: 'Carry on as now' on 'Crisis-driven contacts' names an unknown source 'seed-999'. "
        "Use a source id of the case (seed-000) or 'synthetic' for an invented value.")


def test_scaling_the_value_by_hand() -> None:
    # FUT-T3 read as net benefits with costs: scaling the value by 1 changes nothing
    table = robustness.example_payoffs()
    costs = {o: 1.0 for o in table.index}
    assert assumptions.scale_value(table, costs).equals(table.astype(float).round(4))
    # A: benefit 3 at cost 1 nets 2; at half the value 0.5; at double 5
    one = pd.DataFrame({"S": [2.0]}, index=["A"])
    assert assumptions.scale_value(one, {"A": 1}, value_factor=0.5).loc["A", "S"] == 0.5
    assert assumptions.scale_value(one, {"A": 1}, value_factor=2).loc["A", "S"] == 5.0
    assert assumptions.scale_value(one, {"A": 1}, cost_factor=0).loc["A", "S"] == 3.0


def test_texts_round_trip_and_bad_text_names_row_and_fix() -> None:
    rows = WILTS.read("options.csv")
    assert assumptions.parse_options(assumptions.options_text(rows)) == rows
    with pytest.raises(CaseFileError, match=r'^options.csv, row 2, column "weight"'):
        assumptions.parse_options("option,criterion,weight,better,score\nA,cost,-1,lower,3\n")
    hostile = [r.model_copy(update={"option": "<b>x</b>"}) for r in rows[:1]]
    assert "<b>" not in assumptions.findings_markdown(assumptions.check_options(hostile, SOURCES, None)).text
    assert repr(assumptions.findings_markdown([])) == "Every rule (IO-1 to IO-5) passes."


def test_form_refuses_shipped_case_and_saves_into_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = OptionsForm.from_case("wiltshire-complex-needs")
    assert form.summary == "3 options; every rule passes."
    form.save.click()
    assert "read-only" in form.status.value
    form.text.value = "option,criterion,weight,better,score\nA,cost,1,cheaper,3\n"
    form.check.click()
    assert "options.csv, row 2" in form.status.value and "better" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", root=tmp_path)
    mine = OptionsForm.from_case("mine")
    assert mine.summary == "3 options; 4 points to work on: IO-2, IO-3, IO-4, IO-5."
    mine.save.click()
    assert "Saved options.csv" in mine.status.value and "artefacts:" in mine.status.value
    assert len(assumptions.parse_options((folder / "options.csv").read_text(encoding="utf-8"))) == 6


ANSWERS = [  # answer, prediction, verdict, a line the feedback must say
    ("Do nothing", "yes", "Correct.", "You predicted yes, and the choice does change."),
    ("do nothing", "no", "Correct.", "You predicted no; what did you not expect?"),
    ("Early help at scale", "no", "Not yet.", "That is the robust choice at the value as written."),  # near miss
    ("Weak early help", "yes", "Not yet.", "Weak early help does not have the smallest largest regret."),
    ("Early help", None, "Not yet.", "then take each option's largest"),
    ("A hub", "yes", "Not yet.", "'A hub' is not one of the options"),
]


@pytest.mark.parametrize(("answer", "prediction", "verdict", "line"), ANSWERS)
def test_halved_value_answer_table(answer: str, prediction: str | None, verdict: str, line: str) -> None:
    assert_answer_row(check.halved_value_exercise, answer, prediction, verdict, line)


def test_halved_value_placeholder_misuse_and_the_whole_sweep() -> None:
    assert_placeholder_waits(check.halved_value_exercise, "yes")
    with pytest.raises(TypeError, match="option's name"):
        check.halved_value_choice(["Do nothing"])
    table, costs, unit = check._payoffs()
    sweep = assumptions.value_sweep(table, dict(costs), factors=(0.5, 1), unit=unit)
    assert sweep["robust choice"].tolist() == ["Do nothing", "Early help at scale"]
