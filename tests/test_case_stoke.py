"""The Stoke-on-Trent case: its new artefacts read cleanly and the case thread's exercise check."""

from __future__ import annotations

import pytest

from stp_helpers import case, cld, duties, sd, ssm, stakeholders
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders import engagement
from stp_helpers.checks import stoke as check
from stp_helpers.io.cld_csv import read_case_cld

SLUG = "stoke-neet"
NEW_FILES = ("stakeholders.csv", "stakeholder_links.csv", "engagement.yaml", "cld.csv", "cld_variables.csv",
             "ssm.yaml", "csh.yaml")


@pytest.fixture(scope="module")
def stoke() -> case.Case:
    return case.load(SLUG)


def test_case_check_passes_and_lists_the_new_artefacts(stoke: case.Case) -> None:
    assert case.check(stoke.path) == []
    for name in NEW_FILES:
        assert stoke.has(name), name
    cited = {a.file: a for a in stoke.meta.artefacts}
    assert all(cited[name].source == "seed-003" for name in NEW_FILES)


def test_cld_loops_follow_the_seed_story(stoke: case.Case) -> None:
    graph = read_case_cld(stoke.artefact_path("cld.csv")).graph
    loops = cld.find_loops(graph)
    assert sorted(loops.ids()) == ["B1", "B2", "R1", "R2"]
    # every link says whether it comes from the seed or is inferred
    for _, _, data in graph.edges(data=True):
        assert data["note"].startswith(("seed:", "inferred:")), data
    # January starts reach NEET only through the wait to re-enter (a delayed link)
    assert graph.edges["time_out_of_learning", "reengagement"]["delay"] is True


def test_stakeholders_and_engagement(stoke: case.Case) -> None:
    register = stakeholders.load_register(stoke)
    assert len(register.snapshots()) == 2
    moved = stakeholders.compare_snapshots(register)
    young = moved[moved["name"] == "Young people at risk of NEET"].iloc[0]
    assert not young["changed"] and young["quadrant_after"] == "keep informed"
    plan = engagement.load_engagement(stoke)
    assert engagement.unengaged(plan, register) == ["Parents and carers"]


def test_ssm_and_csh(stoke: case.Case) -> None:
    record = ssm.read_ssm(stoke.artefact_path("ssm.yaml"))
    assert [w.id for w in record.worldviews] == ["college", "young-person"]
    assert len(ssm.changes_to_act_on(record.model_for("college"))) == 3
    answers = csh.load_csh(stoke)
    assert csh.check_csh(answers).empty
    assert {g.group for g in answers.groups} == {"Partners at the table", "Young people and families"}


def test_duty_nine_gaps(stoke: case.Case) -> None:
    assert duties.missing_artefacts(stoke, 9) == ["futures.yaml", "vsm.yaml"]


def test_model_reduction_matches_the_scenario_table(stoke: case.Case) -> None:
    model, scenarios = sd.case_model(stoke), sd.case_scenarios(stoke)
    table = sd.scenario_table(model, scenarios, "NEET").set_index("scenario")
    for name in ("january starts", "january starts without follow-up"):
        pct, *_ = check.model_reduction(stoke, name)
        assert pct == pytest.approx(-table.loc[name, "final_change_pct"], abs=0.01)
    # follow-up is calibrated so the package gives the seed's reported 25% fall
    assert check.model_reduction(stoke)[0] == pytest.approx(25.0, abs=0.05)
    with pytest.raises(KeyError):
        check.model_reduction(stoke, "no such scenario")


def test_neet_reduction_feedback(stoke: case.Case) -> None:
    assert repr(check.neet_reduction(..., stoke)).startswith("Your turn")
    pct = check.model_reduction(stoke)[0]
    ok = check.neet_reduction(pct + 0.3, stoke, prediction=25)
    assert ok.passed and "25% reduction" in repr(ok) and "Your prediction (25%)" in repr(ok)
    negative = check.neet_reduction(-pct, stoke)
    assert negative.passed is False and "positive" in repr(negative)
    wrong = check.neet_reduction(pct + 5, stoke)
    assert wrong.passed is False and f"{pct:.1f}" not in repr(wrong)  # a hint, not the answer
    assert repr(check.neet_reduction("22", stoke)).startswith("Not yet. Compare the final NEET")
    with pytest.raises(TypeError):
        check.neet_reduction(["22"], stoke)
    with pytest.raises(TypeError):
        check.neet_reduction(True, stoke)
