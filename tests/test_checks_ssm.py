"""Known-answer tests for every SSM check (methods.md §1) and the exercise feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import paths, ssm
from stp_helpers.checks import ssm as check
from stp_helpers.ssm.records import Activity, ActivityModel, ComparisonRow, Concern, Conflict, RichPicture

FIXTURES = Path(__file__).parent / "fixtures" / "ssm"

# methods.md §1.5: the T-rule table (SSM-T2 included).
# Checkland & Scholes (1990) and Checkland & Poulter (2006): T is the same entity in a changed
# state; the usual errors are a resource as input and an output that is a different thing.
T_TABLE = [
    ("need for respite care", "need for respite care met", True),
    ("residents at risk of eviction", "residents securely housed", True),
    ("building", "hospital", False),
    ("funding", "services", False),
    ("staff", "reports", False),
    ("claimants ready for work", "claimants placed in jobs", True),
    ("lone parents out of work", "lone parents in work", True),
    ("patients waiting for surgery", "patients treated", True),
    ("people needing housing", "houses built for people", False),
    ("need for library services", "need for library services met", True),
    ("complaints procedure", "complaints handled", False),
    ("a high rate of motor vehicle theft", "a reduced rate of motor vehicle theft", True),
    ("young people not in education, employment or training", "young people in work or learning", True),
    ("offenders leaving prison", "offenders resettled", True),
    ("referrals", "assessments", False),
]


@pytest.mark.parametrize("given,made,valid", T_TABLE, ids=[f"{a}->{b}" for a, b, _ in T_TABLE])
def test_t_rule_known_answers(given: str, made: str, valid: bool) -> None:
    verdict = ssm.check_transformation(given, made)
    assert verdict.valid is valid
    assert verdict.reason.startswith("Valid" if valid else "T-error")


def test_t_rule_names_the_entity_each_side() -> None:
    verdict = ssm.check_transformation("people needing housing", "houses built for people")
    assert (verdict.input_head, verdict.output_head) == ("people", "houses")
    assert "ready" not in ssm.check_transformation("claimants ready for work", "claimants placed in jobs").reason


def test_t_rule_says_when_it_cannot_tell() -> None:
    verdict = ssm.check_transformation("improve", "better")
    assert verdict.valid is None and verdict.reason.startswith("Can't tell")
    cw = ssm.make_catwoe("x", transformation=("improve", "better"))
    assert not {f.rule: f for f in ssm.check_catwoe(cw)}["RD-3"].passed


@pytest.mark.parametrize("case", ["salford-spotlight", "stoke-neet", "wiltshire-complex-needs",
                                  "plymouth-alliance"])
def test_shipped_catwoes_pass_the_t_rule_and_pqr(case: str) -> None:
    record = ssm.read_ssm(paths.shipped_cases_dir() / case / "ssm.yaml")
    for cw in record.worldviews:
        rules = {f.rule: f for f in ssm.check_catwoe(cw)}
        assert rules["RD-3"].passed, (cw.id, rules["RD-3"].message)
        assert rules["RD-4"].passed, (cw.id, rules["RD-4"].message)


def test_t_rule_gives_the_reason() -> None:
    assert "resource" in ssm.check_transformation("building", "hospital").reason
    assert "'reports'" not in ssm.check_transformation("staff", "reports").reason.split("?")[1]
    different = ssm.check_transformation("referrals", "assessments")
    assert not different.valid and "different thing" in different.reason
    assert not ssm.check_transformation("need", "need").valid
    assert "needs an input" in ssm.check_transformation("", "need met").reason
    for word in ("money", "budget", "equipment", "IT", "system"):
        assert not ssm.check_transformation(word, f"{word} used").valid, word
    assert ssm.check_transformation("unmet need", "need met").valid
    assert ssm.check_transformation("services commissioned in silos", "services commissioned together").valid


def _good() -> ssm.Catwoe:
    return ssm.read_ssm(FIXTURES / "respite.yaml").worldviews[0]


def _rules(findings: list[ssm.Finding]) -> dict[str, ssm.Finding]:
    return {f.rule: f for f in findings}


def test_a_good_catwoe_passes_every_check() -> None:
    found = ssm.check_catwoe(_good())
    assert [f.rule for f in found] == ["RD-1", "CW-1", "RD-2", "RD-3", "CW-2", "RD-4", "RD-5", "5E-1"]
    assert all(f.passed for f in found), [str(f) for f in found if not f.passed]


def test_ssm_t4_empty_owner_fails_rd1_naming_o() -> None:
    found = _rules(ssm.check_catwoe(_good().model_copy(update={"owners": ""})))
    assert not found["RD-1"].passed
    assert found["RD-1"].message.startswith("O (owners) is empty.")


def test_cw1_vague_elements() -> None:
    found = _rules(ssm.check_catwoe(_good().model_copy(update={"customers": "everyone"})))
    assert not found["CW-1"].passed and "C (customers) reads 'everyone'" in found["CW-1"].message
    assert _rules(ssm.check_catwoe(_good().model_copy(update={"environment": "TBC"})))["CW-1"].passed is False


def test_rd2_several_things_in_t() -> None:
    cw = _good()
    several = cw.model_copy(update={"transformation": ssm.Transformation(input="carers and patients",
                                                                         output="carers and patients supported")})
    assert not _rules(ssm.check_catwoe(several))["RD-2"].passed
    modifier = cw.model_copy(update={"transformation": ssm.Transformation(
        input="people facing labels and thresholds", output="people supported")})
    assert _rules(ssm.check_catwoe(modifier))["RD-2"].passed


def test_rd3_uses_the_t_rule() -> None:
    bad = _good().model_copy(update={"transformation": ssm.Transformation(input="funding", output="services")})
    found = _rules(ssm.check_catwoe(bad))["RD-3"]
    assert not found.passed and found.message.startswith("T-error: 'funding' is a resource")


def test_cw2_customers_also_owners() -> None:
    same = _good().model_copy(update={"owners": "the council, carers of people with dementia"})
    found = _rules(ssm.check_catwoe(same))["CW-2"]
    assert not found.passed and "both the customers and the owners" in found.message


def test_rd4_pqr_distinct_and_r_not_p_reworded() -> None:
    cw = _good().model_copy(update={"p": "reduce repeat homelessness", "q": "coordinating casework",
                                    "r": "reduce repeat homelessness"})
    assert "same thing" in _rules(ssm.check_catwoe(cw))["RD-4"].message
    reworded = cw.model_copy(update={"r": "reduce homelessness that repeats"})
    found = _rules(ssm.check_catwoe(reworded))["RD-4"]
    assert not found.passed and "100% of R's words are also in P" in found.message
    assert _rules(ssm.check_catwoe(_good()))["RD-4"].passed


def test_rd5_key_phrase_missing() -> None:
    cw = _good().model_copy(update={"q": "booking breaks", "customers": "families of people with dementia"})
    found = _rules(ssm.check_catwoe(cw))["RD-5"]
    assert not found.passed and "does not mention C ('families of people with dementia')" in found.message


def test_5e1_measures_and_effectiveness_looks_at_r() -> None:
    cw = _good()
    none = cw.model_copy(update={"measures": ssm.Measures()})
    assert _rules(ssm.check_catwoe(none))["5E-1"].message.startswith("Efficacy has no measure.")
    at_p = cw.model_copy(update={"measures": cw.measures.model_copy(
        update={"effectiveness": "need for respite care met, per carer"})})
    found = _rules(ssm.check_catwoe(at_p))["5E-1"]
    assert not found.passed and "looks at P" in found.message


def test_rich_picture_rules() -> None:
    good = ssm.read_ssm(FIXTURES / "respite.yaml").rich_picture
    assert all(f.passed for f in ssm.check_rich_picture(good))
    bad = good.model_copy(update={
        "concerns": [Concern(quote="No breaks")], "conflicts": [Conflict(parties=["carers"], about="nights")],
        "practitioner": "analyst", "issues": ["The solution is a new booking app"], "version": ""})
    found = _rules(ssm.check_rich_picture(bad))
    assert [r for r, f in found.items() if not f.passed] == ["RP-1", "RP-2", "RP-3", "RP-4", "RP-5"]
    assert "'analyst'" in found["RP-3"].message and "version" in found["RP-5"].message
    assert not _rules(ssm.check_rich_picture(RichPicture()))["RP-3"].passed


def _chain(n: int, monitoring: bool = True) -> ActivityModel:
    acts = [Activity(id=f"a{i}", label=f"Do step {i}", after=[f"a{i - 1}"] if i > 1 else []) for i in range(1, n + 1)]
    if monitoring:
        acts += [Activity(id="m1", label="Monitor the steps", kind="monitor", after=[f"a{n}"]),
                 Activity(id="c1", label="Take control action", kind="control", after=["m1"])]
    return ActivityModel(id="m", root="x", activities=acts)


@pytest.mark.parametrize("n,ok", [(4, False), (5, True), (9, True), (10, False)])
def test_ssm_t3_model_size(n: int, ok: bool) -> None:
    assert _rules(ssm.check_model(_chain(n)))["CM-1"].passed is ok


def test_model_rules_on_a_good_model() -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    found = ssm.check_model(record.models[0], record.worldviews[0])
    assert [f.rule for f in found] == ["CM-1", "CM-2", "CM-3", "CM-4", "CM-5", "CM-6"]
    assert all(f.passed for f in found), [str(f) for f in found if not f.passed]


def test_cm2_labels_start_with_a_verb() -> None:
    for label in ("The assessment of need", "Assessment of need", "Booking breaks"):
        model = _chain(5).model_copy()
        model.activities[0] = model.activities[0].model_copy(update={"label": label})
        assert not _rules(ssm.check_model(model))["CM-2"].passed, label
    model = _chain(5)
    model.activities[0] = model.activities[0].model_copy(update={"label": "Bring carers together"})
    assert _rules(ssm.check_model(model))["CM-2"].passed


def test_cm3_monitoring_and_control_required() -> None:
    found = _rules(ssm.check_model(_chain(6, monitoring=False)))["CM-3"]
    assert not found.passed and "no monitor activity" in found.message


def test_cm4_traces_to_the_root_definition() -> None:
    cw = ssm.make_catwoe("x", customers="tenants", transformation=("rent arrears", "rent arrears cleared"))
    found = _rules(ssm.check_model(_chain(5), cw))["CM-4"]
    assert not found.passed and "T ('rent arrears')" in found.message
    assert "CM-4" not in _rules(ssm.check_model(_chain(5)))


def test_cm5_orphan_and_cm6_cycle() -> None:
    model = _chain(5)
    orphan = model.model_copy(update={"activities": [*model.activities, Activity(id="z", label="Wait")]})
    found = _rules(ssm.check_model(orphan))["CM-5"]
    assert not found.passed and found.message.startswith("z ('Wait') is connected to no other activity")
    acts = [a.model_copy(update={"after": ["a5"]}) if a.id == "a1" else a for a in model.activities]
    cyc = _rules(ssm.check_model(model.model_copy(update={"activities": acts})))["CM-6"]
    assert not cyc.passed and "a1 → a2 → a3 → a4 → a5 → a1" in cyc.message
    assert _rules(ssm.check_model(model))["CM-6"].passed


def test_comparison_rules() -> None:
    model = ssm.read_ssm(FIXTURES / "respite.yaml").models[0]
    found = _rules(ssm.check_comparison(model))
    assert found["CMP-1"].passed and found["CMP-3"].passed
    assert found["CMP-2"].message.startswith("1 of 2 changes are both desirable and feasible")
    assert "a5's change is not yet culturally feasible" in found["CMP-2"].message
    rows = [r.model_copy(update={"comments": ""}) if r.activity == "a2" else r for r in model.comparison[:-1]]
    bad = _rules(ssm.check_comparison(model.model_copy(update={"comparison": rows})))
    assert not bad["CMP-1"].passed and bad["CMP-1"].message.startswith("a2 does not exist")
    assert not bad["CMP-3"].passed and "starting with c1" in bad["CMP-3"].message
    twice = model.model_copy(update={"comparison": [*model.comparison, ComparisonRow(activity="a3", exists="yes")]})
    assert "a3 has more than one" in _rules(ssm.check_comparison(twice))["CMP-3"].message


def test_whole_record_and_outputs() -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    found = ssm.check_record(record)
    assert len(found) == 5 + 8 * 2 + 6 + 3
    table = ssm.findings_table(found)
    assert list(table.columns) == ["scope", "rule", "ok", "message"]
    assert ssm.findings_text(found).startswith(f"{sum(f.passed for f in found)} of {len(found)} checks pass.")
    html = ssm.findings_html(ssm.check_catwoe(ssm.make_catwoe("x", transformation=("staff", "reports"))))
    assert html.index("warn") < html.index('class="ssm-finding ok"') and "T-error" in html


# ----- exercise feedback -----

def test_exercise_1_t_errors() -> None:
    assert repr(check.t_errors(...)).startswith("Your turn")
    assert check.t_errors({2, 4, 5, 6}).passed
    missed = check.t_errors({2, 4, 5})
    assert not missed.passed and "number 6" in missed.fix and "T-error" not in missed.fix
    extra = check.t_errors({1, 2, 4, 5, 6})
    assert not extra.passed and "Number 1" in extra.fix
    assert "no number 12" in check.t_errors({12}).fix
    assert "You predicted 3 T-errors; there are 4." in repr(check.t_errors([2, 4, 5, 6], prediction=3))
    with pytest.raises(TypeError):
        check.t_errors("2, 4")


def test_exercise_2_plymouth_catwoe() -> None:
    com = ssm.make_catwoe("commissioner", customers="people with complex needs", actors="alliance providers",
                          transformation=("services commissioned in silos", "services commissioned together"),
                          worldview="Outcomes need shared risk", owners="the council cabinet",
                          environment="the council budget")
    per = ssm.make_catwoe("person", customers="a person with complex needs", actors="trusted workers",
                          transformation=("a person done to", "a person worked with"),
                          worldview="Being a partner matters", owners="the alliance board",
                          environment="existing thresholds")
    assert repr(check.plymouth_catwoe(..., per)).startswith("Your turn")
    assert check.plymouth_catwoe(com, per).passed
    funded = com.model_copy(update={"transformation": ssm.Transformation(input="funding", output="services")})
    bad = check.plymouth_catwoe(funded, per)
    assert not bad.passed and bad.fix.startswith("In the commissioner's CATWOE, RD-3: T-error")
    same_w = check.plymouth_catwoe(com, per.model_copy(update={"worldview": com.worldview}))
    assert not same_w.passed and "same words" in same_w.fix
    with pytest.raises(TypeError):
        check.plymouth_catwoe({"C": "x"}, per)


def test_exercise_3_spotlight_comparison() -> None:
    answer = {"a1": "yes", "a2": "yes", "a3": "yes", "a4": "partly", "a5": "yes", "a6": "yes", "a7": "no",
              "m1": "yes", "c1": "yes"}
    assert check.spotlight_comparison(answer).passed
    wrong = check.spotlight_comparison({**answer, "a4": "yes"})
    assert not wrong.passed and wrong.fix.startswith("a4 (Ask residents") and "'partly'" not in wrong.fix
    assert "'z9' is not an activity" in check.spotlight_comparison({**answer, "z9": "yes"}).fix
    assert "not yes, partly or no" in check.spotlight_comparison({**answer, "a1": "maybe"}).fix
    model = check.salford_model()
    assert all(f.passed for f in ssm.check_model(model) if f.rule != "CM-4")
    assert "seed-003" in check.salford_process().text
    assert list(check.spotlight_evidence().index) == list(answer)
