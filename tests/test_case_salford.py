"""The Salford SPOTlight case: its artefacts read cleanly and carry the seed's facts and story."""

from __future__ import annotations

import pytest

from stp_helpers import case, cld, evaluation, report, ssm, stakeholders, vsm
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders import engagement
from stp_helpers.futures import options
from stp_helpers.evaluation import spc
from stp_helpers.vsm import diagnosis as vsm_diagnosis
from stp_helpers.io.cld_csv import read_case_cld

SLUG = "salford-spotlight"
FILES = ("stakeholders.csv", "stakeholder_links.csv", "engagement.yaml", "ssm.yaml", "csh.yaml", "cld.csv",
         "cld_variables.csv", "vsm.yaml", "options.csv", "logic_model.yaml", "indicators.csv", "contribution.yaml")


@pytest.fixture(scope="module")
def salford() -> case.Case:
    return case.load(SLUG)


def test_case_check_passes_and_lists_every_artefact(salford: case.Case) -> None:
    assert case.check(salford.path) == []
    cited = {a.file: a for a in salford.meta.artefacts}
    assert set(cited) == set(FILES)
    assert all(a.source == "seed-003" for a in cited.values())
    assert [s.id for s in salford.meta.sources] == ["seed-003"]
    for name in ("options.csv", "logic_model.yaml", "indicators.csv", "contribution.yaml", "stakeholders.csv"):
        assert cited[name].synthetic and "synthetic" in cited[name].description


def test_facts_carry_the_seeds_numbers(salford: case.Case) -> None:
    # Seed 003, Salford section: six weeks, four stages, trios of three (one full-time, two part-time),
    # bi-monthly stocktakes, three first reports in December 2007, a fourth SPOTlight, a three-day event.
    values = {f.id: f.value for f in salford.meta.facts}
    assert values["spotlight-weeks"] == 6
    assert values["spotlight-stages"] == 4
    assert values["trio-size"] == 3
    assert (values["trio-full-time"], values["trio-part-time"]) == (1, 2)
    assert values["trio-full-time"] + values["trio-part-time"] == values["trio-size"]
    assert values["stocktake-interval"] == 2
    assert values["first-reports"] == 3
    assert values["fourth-spotlight"] == 4
    assert values["open-space-event"] == 3
    assert all(f.source == "seed-003" for f in salford.meta.facts)


def test_stakeholders_and_engagement(salford: case.Case) -> None:
    register = stakeholders.load_register(salford)
    names = set(register.names())
    for group in ("LSP high-level panel", "Transform trios", "Jobcentre Plus", "Manchester Work Solutions",
                  "GP cluster leads", "Registered Social Landlords", "Police",
                  "Residents of the priority neighbourhood", "Lone parents", "Community research organisations"):
        assert group in names, group
    # GP practices and Registered Social Landlords were engaged for the first time (seed-003)
    before, after = register.snapshots()
    for group in ("GP cluster leads", "Registered Social Landlords"):
        assert register.get(group, after).interest > register.get(group, before).interest
    plan = engagement.load_engagement(salford)
    assert [w.format for w in plan.workshops if w.source == "seed-003"] == ["spotlight", "spotlight"]
    assert engagement.unengaged(plan, register) == []


def test_cld_marks_every_link_and_keeps_the_seed_story(salford: case.Case) -> None:
    graph = read_case_cld(salford.artefact_path("cld.csv")).graph
    for _, _, data in graph.edges(data=True):
        assert data["note"].startswith(("seed:", "inferred:")), data
    # seed: Jobcentre Plus not promoting services in the toughest areas: easy wins cut promotion there
    assert graph.edges["easy_wins", "promotion_toughest"]["polarity"] == "-"
    loops = cld.find_loops(graph)
    by_members = {frozenset(loop.variables): loop.polarity for loop in loops}
    # targets met by easy wins relieve the pressure: balancing, and blind to the neighbourhood
    assert by_members[frozenset({"job_outcome_pressure", "easy_wins", "district_results"})] == "B"
    # early results feed momentum, which feeds delivery: reinforcing
    assert by_members[frozenset({"actions_delivered", "early_results", "momentum"})] == "R"


def test_worldviews_and_boundaries(salford: case.Case) -> None:
    record = ssm.read_ssm(salford.artefact_path("ssm.yaml"))
    assert [w.id for w in record.worldviews] == ["residents", "police-target", "jobcentre-incentives"]
    assert any({"police", "residents"} == set(c.parties) for c in record.rich_picture.conflicts)
    answers = csh.load_csh(salford)
    assert [g.group for g in answers.groups] == ["Residents", "Delivery agencies", "SPOTlight partnership"]
    # the police-priority mismatch is a question of purpose (Q2): the residents' 'ought' names anti-social behaviour
    assert "anti-social behaviour" in csh.answer_text(answers, "Residents", 2, "ought")
    assert "motor vehicle theft" in csh.answer_text(answers, "Residents", 2, "is")


def test_vsm_diagnosis_names_what_the_seed_does_not_describe(salford: case.Case) -> None:
    # Hand-worked: two pairs of SPOTlights interact with no System 2 (VSM-2) and there is no algedonic
    # channel (VSM-8); S3 (stocktakes), S3* and S4 (cross-cutting trio) and S5 (panel) are all present.
    found = vsm_diagnosis.diagnose(vsm.from_case(salford))
    assert found.rules() == ["VSM-2", "VSM-8"]
    assert found.warnings() == ["VSM-11"] * 4


def test_evaluation_artefacts(salford: case.Case) -> None:
    appraisal = report.case_appraisal(salford)
    assert len(options.rank_options(appraisal)) == 4
    model = report.case_logic_model(salford)
    assert {i.id for i in model.indicators} == {"lone_parent_training_starts", "gp_referrals"}
    series = spc.indicator_series(report.case_indicators(salford), "lone_parent_training_starts")
    assert len(series) == 24 and series["period"].iloc[0] == "2007-01"
    # baseline 2007: mean 71/12, mean moving range 18/11 (hand-worked)
    limits = spc.xmr_limits(series["value"], baseline=12)
    assert limits.centre == pytest.approx(71 / 12)
    assert limits.upper == pytest.approx(71 / 12 + 2.66 * 18 / 11)
    verdict = report.case_contribution(salford)
    assert isinstance(verdict, evaluation.ContributionVerdict)
    # Mayne (2008): the rival reads "Partly", so the claim is plausible, not credible (CA-1).
    assert str(verdict).startswith("Plausible, needs more evidence") and not verdict.credible
