"""Logic-model rules (LM-T1 and each rule alone), SMART (SM-1), contribution (CA-1), and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stp_helpers import case, evaluation
from stp_helpers.errors import CaseFileError

FIX = Path(__file__).parent / "fixtures" / "evaluation"


def _errors(model: evaluation.LogicModel) -> list[tuple[str, str]]:
    return sorted((f.rule, f.element) for f in evaluation.check_logic_model(model) if f.severity == "error")


def test_lm_t1_errors_exactly() -> None:
    model = evaluation.read_logic_model(FIX / "lm_t1.yaml")
    assert _errors(model) == [("LM-2", "A3"), ("LM-4", "L1"), ("LM-5", "A3")]


def _model(elements: str, links: str, indicators: str = "") -> evaluation.LogicModel:
    return evaluation.parse_logic_model(f"elements: [{elements}]\nlinks: [{links}]\n{indicators}")


BASE = ("{id: I1, stage: input, label: i}, {id: A1, stage: activity, label: a}, {id: O1, stage: output, label: o}, "
        "{id: S1, stage: short, label: s}, {id: P1, stage: impact, label: p}")
CHAIN = "{from: I1, to: A1}, {from: A1, to: O1, assumption: x}, {from: O1, to: S1, assumption: x}, {from: S1, to: P1, assumption: x}"
SMART = """indicators:
  - {id: s, name: repeat crisis contacts, outcome: S1, definition: crisis contacts per person per quarter,
     numerator: crisis contacts, denominator: people supported, unit: contacts per person, source: case records,
     baseline: 1, baseline_date: 2024, direction: lower, target_date: 2025, frequency: monthly, owner: navigator lead}
"""


def test_a_clean_chain_passes() -> None:
    assert evaluation.check_logic_model(_model(BASE, CHAIN, SMART)) == []


def test_lm1_backward_link_unless_feedback() -> None:
    back = _model(BASE, CHAIN + ", {from: S1, to: A1, assumption: x}", SMART)
    assert _errors(back) == [("LM-1", "S1")]
    loop = _model(BASE, CHAIN + ", {from: S1, to: A1, assumption: x, feedback: true}", SMART)
    assert _errors(loop) == []


def test_lm3_lm6_unreached_outcome_and_impact() -> None:
    model = _model(BASE, "{from: I1, to: A1}, {from: A1, to: O1, assumption: x}", SMART)
    assert _errors(model) == [("LM-2", "A1"), ("LM-3", "S1"), ("LM-6", "P1")]


def test_lm7_warns_on_a_link_without_assumption() -> None:
    model = _model(BASE, CHAIN.replace("{from: A1, to: O1, assumption: x}", "{from: A1, to: O1}"), SMART)
    found = evaluation.check_logic_model(model)
    assert [(f.rule, f.severity, f.element) for f in found] == [("LM-7", "warning", "A1")]


def test_lm4_names_the_missing_smart_fields() -> None:
    model = _model(BASE, CHAIN, SMART.replace("owner: navigator lead", "owner: null"))
    (finding,) = evaluation.check_logic_model(model)
    assert finding.rule == "LM-4" and "missing owner" in finding.message


def test_dangling_link_message_names_line_and_fix() -> None:
    with pytest.raises(CaseFileError) as info:
        evaluation.read_logic_model(FIX / "lm_dangling.yaml")
    text = str(info.value)
    assert "lm_dangling.yaml, line 6, column \"links[1].to\"" in text
    assert "dangling: 'O7' is not an element" in text and "add an element 'O7'" in text


def test_bad_stage_and_bad_yaml() -> None:
    with pytest.raises(CaseFileError, match="is not one of the allowed values|stage"):
        evaluation.parse_logic_model("elements: [{id: A1, stage: step, label: x}]")
    with pytest.raises(CaseFileError, match="not valid YAML"):
        evaluation.parse_logic_model("elements: [{id: A1")


def test_smart_explains_what_is_missing() -> None:
    result = evaluation.smart_check({"id": "x", "name": "x", "outcome": "S1", "owner": "me"})
    assert not result.passed
    assert "not measurable without source and baseline and baseline date" in result.explain()
    full = evaluation.example_logic_model().indicators[0]
    assert evaluation.smart_check(full).passed


# Doran (1981) and SM-1: each letter's content is checked, not only that the field has text in it.
@pytest.mark.parametrize("field,value,passes", [
    ("definition", "x", False), ("definition", "crisis contacts per person per quarter", True),
    ("owner", "tbc", False), ("owner", "navigator lead", True),
    ("source", "?", False), ("unit", "%", False), ("unit", "% of residents", True),
    ("target_date", "soon", False), ("target_date", "2025-03", True), ("target_date", "Q2 2026", True),
    ("target_date", "within 12 months", True), ("target_date", "March 2026", True), ("target_date", "later", False),
    ("baseline_date", "some time ago", False), ("baseline_date", "M01-M12", True),
    ("frequency", "often", False), ("frequency", "every 2 weeks", True), ("frequency", "quarterly", True),
])
def test_smart_checks_each_letters_content(field: str, value: str, passes: bool) -> None:

    fields = yaml.safe_load(SMART)["indicators"][0]
    assert evaluation.smart_check(fields).passed
    result = evaluation.smart_check({**fields, field: value})
    assert result.passed is passes
    if not passes:
        assert field in result.missing and repr(value) in result.explain()


def test_smart_accepts_target_instead_of_direction() -> None:
    fields = evaluation.example_logic_model().indicators[1].model_dump()
    assert fields["direction"] is None and fields["target"] == 75
    assert evaluation.smart_check(fields).passed


def test_contribution_ca1() -> None:
    model = evaluation.read_logic_model(case.load("plymouth-alliance").artefact_path("logic_model.yaml"))
    found = evaluation.read_contribution(case.load("plymouth-alliance").artefact_path("contribution.yaml"))
    # Mayne (2008): credible only when the rivals were examined and found weaker.
    record = found.model_copy(update={"alternatives": [a.model_copy(update={"compared": "weaker"})
                                                       for a in found.alternatives]})
    assert evaluation.assess_contribution(record, model).credible
    weak = record.model_copy(update={"links": [l.model_copy(update={"evidence": "weak"}) if l.source == "S1" else l
                                               for l in record.links]})
    verdict = evaluation.assess_contribution(weak, model)
    assert not verdict.credible and "S1 → M1 is weak" in repr(verdict)
    off_model = record.model_copy(update={"path": ["A3", "S1", "M1"]})
    assert "A3 → S1 is not a link of the logic model" in repr(evaluation.assess_contribution(off_model, model))


@pytest.mark.parametrize("slug", ["salford-spotlight", "plymouth-alliance"])
def test_a_rival_found_partly_keeps_the_claim_plausible(slug: str) -> None:
    found = case.load(slug)
    record = evaluation.read_contribution(found.artefact_path("contribution.yaml"))
    assert any(a.finding.startswith("Partly") for a in record.alternatives if a.finding)
    verdict = evaluation.assess_contribution(record, evaluation.read_logic_model(found.artefact_path("logic_model.yaml")))
    assert not verdict.credible
    assert repr(verdict).startswith("Plausible, needs more evidence (CA-1).") and "was found partly" in repr(verdict)


def test_an_assessed_rival_must_be_compared() -> None:
    model = evaluation.read_logic_model(case.load("plymouth-alliance").artefact_path("logic_model.yaml"))
    found = evaluation.read_contribution(case.load("plymouth-alliance").artefact_path("contribution.yaml"))
    record = found.model_copy(update={"alternatives": [a.model_copy(update={"compared": None})
                                                       for a in found.alternatives]})
    verdict = evaluation.assess_contribution(record, model)
    assert not verdict.credible and "not compared" in repr(verdict)
    for compared, credible in (("weaker", True), ("partly", False), ("as strong", False), ("stronger", False)):
        one = record.model_copy(update={"alternatives": [a.model_copy(update={"compared": compared})
                                                         for a in found.alternatives]})
        assert evaluation.assess_contribution(one, model).credible is credible, compared


def test_stoke_contribution_waits_on_rival_explanations() -> None:
    found = case.load("stoke-neet")
    verdict = evaluation.assess_contribution(evaluation.read_contribution(found.artefact_path("contribution.yaml")),
                                             evaluation.read_logic_model(found.artefact_path("logic_model.yaml")))
    assert not verdict.credible and "has not been assessed" in repr(verdict)


def test_contribution_needs_all_six_steps(tmp_path: Path) -> None:
    src = case.load("stoke-neet").artefact_path("contribution.yaml").read_text()
    path = tmp_path / "contribution.yaml"
    path.write_text(src.replace("  more_evidence: >-", "  more_evidence_x: >-"))
    with pytest.raises(CaseFileError, match="steps"):
        evaluation.read_contribution(path)


@pytest.mark.parametrize("slug,errors", [("stoke-neet", []), ("plymouth-alliance", [("LM-4", "S2")])])
def test_case_logic_models(slug: str, errors: list[tuple[str, str]]) -> None:
    model = evaluation.read_logic_model(case.load(slug).artefact_path("logic_model.yaml"))
    assert _errors(model) == errors


def test_round_trip_through_yaml() -> None:
    import yaml

    model = evaluation.example_logic_model()
    text = yaml.safe_dump(model.model_dump(by_alias=True, exclude_none=True), sort_keys=False)
    again = evaluation.parse_logic_model(text)
    assert again == model
