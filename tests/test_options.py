"""Options appraisal: a hand-worked ranking, weight sensitivity, Pareto front, trade-offs and bad files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stp_helpers import case, sd
from stp_helpers.futures import options
from stp_helpers.errors import CaseFileError

FIX = Path(__file__).parent / "fixtures" / "evaluation"


@pytest.fixture
def hand() -> options.Appraisal:
    # Normalised: A (1, 0), B (0, 1), C (0.7, 0.2); weights 0.6, 0.4.
    return options.build_appraisal(options.read_options(FIX / "options_hand.csv"))


def test_ranking_by_hand(hand: options.Appraisal) -> None:
    ranking = options.rank_options(hand)
    assert ranking["option"].tolist() == ["A", "C", "B"]
    assert ranking["score"].tolist() == pytest.approx([0.6, 0.5, 0.4])


def test_sensitivity_by_hand(hand: options.Appraisal) -> None:
    # V_A = w, V_B = 1 - w, V_C = 0.2 + 0.5 w: B and C swap at w = 0.8/1.5 = 0.5333; A and B at 0.5.
    sens = options.weight_sensitivity(hand).set_index("criterion")
    assert sens.loc["reach", "low"] == pytest.approx(0.533, abs=5e-4)
    assert sens.loc["reach", "high"] == 1.0
    assert sens.loc["reach", "move"] == pytest.approx(0.067, abs=5e-4)
    assert sens.loc["cost", "high"] == pytest.approx(0.467, abs=5e-4)
    top = options.weight_sensitivity(hand, which="top").set_index("criterion")
    assert top.loc["reach", "low"] == pytest.approx(0.5) and "B overtakes A" in top.loc["reach", "change"]


def test_sensitivity_agrees_with_reranking(hand: options.Appraisal) -> None:
    assert options.rank_options(hand, {"reach": 0.55, "cost": 0.45})["option"].tolist() == ["A", "C", "B"]
    assert options.rank_options(hand, {"reach": 0.52, "cost": 0.48})["option"].tolist() == ["A", "B", "C"]


def test_pareto_and_trade_offs() -> None:
    rows = pd.DataFrame({"option": list("AABBCCDD"), "criterion": ["x", "y"] * 4, "weight": 1,
                         "better": ["higher", "lower"] * 4, "score": [5, 5, 3, 1, 4, 6, 1, 1]})
    appraisal = options.build_appraisal(rows)
    assert options.pareto_front(appraisal) == ["A", "B"]  # C beaten by A, D by B
    text = options.trade_offs(appraisal).text
    assert "**C** is dominated" in text and "**D** is dominated" in text and "Choosing **A** over **B**" in text


def test_lower_is_better_flips_the_scale() -> None:
    rows = pd.DataFrame({"option": ["A", "B"], "criterion": "cost", "weight": 1, "better": "lower", "score": [10, 20]})
    assert options.rank_options(options.build_appraisal(rows))["option"].iloc[0] == "A"


def test_bad_options_file_reports_every_problem() -> None:
    with pytest.raises(CaseFileError) as info:
        options.read_options(FIX / "options_inconsistent.csv")
    text = str(info.value)
    assert 'row 3, column "score": \'abc\' is not a number' in text


def test_inconsistent_weights(tmp_path: Path) -> None:
    path = tmp_path / "options.csv"
    path.write_text("option,criterion,weight,better,score\nA,x,0.6,higher,1\nB,x,0.5,higher,2\n")
    with pytest.raises(CaseFileError, match="row 3, column \"weight\""):
        options.read_options(path)


@pytest.mark.parametrize("weights", [{"x": 0.0}, {"nope": 1.0}])
def test_bad_weights(weights: dict[str, float]) -> None:
    rows = pd.DataFrame({"option": ["A", "B"], "criterion": "x", "weight": 1, "better": "higher", "score": [1, 2]})
    with pytest.raises(options.OptionsError):
        options.rank_options(options.build_appraisal(rows), weights)


def test_stoke_scores_come_from_model_runs() -> None:
    found = case.load("stoke-neet")
    appraisal = options.load_appraisal(found)
    model = sd.load_model(found.artefact_path("model.mdl"))
    outcomes = sd.run_scenarios(model, found.artefact_path("scenarios.yaml"), variables=["NEET"]).outcomes
    final = dict(zip(outcomes["scenario"], outcomes["final"]))
    assert appraisal.scores.loc["January starts with weekly contact", "NEET after four years"] == pytest.approx(
        final["january starts"])
    assert appraisal.scores.loc["Careers advice in Year 11", "NEET after four years"] == 700


def test_plymouth_reads() -> None:
    appraisal = options.build_appraisal(options.read_options(case.load("plymouth-alliance").artefact_path("options.csv")))
    assert len(appraisal.options) == 4 and len(appraisal.criteria) == 4
