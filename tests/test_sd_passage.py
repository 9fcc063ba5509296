"""A case's structure passage (model_passage.yaml) and the model's own answer to it, read through PySD."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case, sd
from stp_helpers.errors import CaseFileError, ModelError
from stp_helpers.io.model_passage import read_model_passage
from stp_helpers.sd import passage


def test_every_shipped_passage_names_variables_of_its_case_model() -> None:
    for slug in case.list_cases():
        found = case.load(slug)
        text = passage.case_passage(found)
        if text is None:
            continue
        assert passage.has_model(found), slug
        roles = passage.quantity_roles(sd.case_model(found), text.quantities)
        assert {r.kind for r in roles} == set(passage.KINDS), slug  # each passage has all three kinds


def test_stoke_flows_in_and_out_by_hand() -> None:
    """From model.mdl: NEET = INTEG(not staying on at 16 + dropping out - enrolling - ageing out of NEET)."""
    roles = {r.name: r for r in passage.quantity_roles(sd.case_model("stoke-neet"),
                                                       ["dropping out", "ageing out of NEET", "NEET share"])}
    assert roles["dropping out"].into == ("NEET",) and roles["dropping out"].out_of == ("In education or training",)
    assert roles["ageing out of NEET"].into == () and roles["ageing out of NEET"].out_of == ("NEET",)
    assert roles["NEET share"].kind == "parameter or auxiliary" and roles["NEET share"].detail == "auxiliary"
    assert passage.answer_rows([roles["ageing out of NEET"]]) == [("ageing out of NEET", "flow", "NEET", "out")]


def test_an_unknown_name_is_a_model_error() -> None:
    with pytest.raises(ModelError):
        passage.quantity_roles(sd.teaching_model("bathtub"), ["bath water"])


@pytest.mark.parametrize("text", ["passage: x\n", "passage: x\nquantities: {}\n",
                                  "passage: x\nquantities:\n  Stock: ['']\n", "- a list\n",
                                  "passage: x\nquantities:\n  Stock: []\nextra: 1\n"])
def test_a_bad_passage_file_is_a_case_file_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "model_passage.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError):
        read_model_passage(path)


def test_a_case_without_model_or_passage_says_so() -> None:
    plymouth = case.load("plymouth-alliance")
    assert not passage.has_model(plymouth) and passage.case_passage(plymouth) is None
