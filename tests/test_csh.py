"""CSH: the twelve questions, gap measures (hand-worked), CSH-1/2/3, disagreement, round trip, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders import csh_judged as judged
from stp_helpers.stakeholders.csh_passage import CshPassage
from stp_helpers.errors import CaseExistsError, CaseFileError

FIX = Path(__file__).parent / "fixtures" / "stakeholders"
CASES = ["plymouth-alliance", "wiltshire-complex-needs"]


def test_twelve_questions_in_four_sources() -> None:
    assert [q.number for q in csh.QUESTIONS] == list(range(1, 13))
    by_source = {s: [q.number for q in csh.QUESTIONS if q.source == s] for s in csh.SOURCES}
    assert by_source == {"motivation": [1, 2, 3], "control": [4, 5, 6], "knowledge": [7, 8, 9],
                         "legitimacy": [10, 11, 12]}
    assert [q.category for q in csh.QUESTIONS][9:] == ["witness", "emancipation", "worldview"]


@pytest.mark.parametrize("a,b,gap", [
    ("service users and carers", "carers and families", 0.75),  # {service, users, carers} vs {carers, families}
    ("X b C", "b c d", 0.5),  # 2 shared of 4 ("a" would be a filler word)
    ("Commissioners.", "the commissioners", 0.0),  # case, punctuation, filler words ignored
    ("targets", "what matters to people", 1.0),
    ("", "", 0.0), ("", "anything", 1.0)])
def test_word_gap_known_answers(a: str, b: str, gap: float) -> None:
    assert csh.word_gap(a, b) == gap


def _record() -> csh.CshRecord:
    return csh.build_csh({
        "A": {1: ("targets", "people"), 4: ("the council", "the council and people"), 10: ("The council", "advocates")},
        "B": {1: ("targets", "people and carers"), 4: ("the council", "the council")}})


def test_csh2_tensions_and_gap_table() -> None:
    rec = _record()
    t = csh.tensions(rec)
    assert list(zip(t["group"], t["number"], t["gap"])) == [("A", 1, 1.0), ("A", 10, 1.0), ("B", 1, 1.0),
                                                            ("A", 4, 0.5)]
    assert csh.gap_table(rec, 1)["label"].tolist() == ["Q1 beneficiary (A)"]
    assert csh.gap_finding(rec).startswith("A want the most change: mean is/ought gap 0.83 over 3")


def test_disagreement_between_groups() -> None:
    table = csh.disagreement_table(_record()).set_index("number")
    assert table.loc[1, "mean_gap"] == 0.5  # {people} vs {people, carers}
    assert table.loc[4, "mean_gap"] == 0.5  # {council, people} vs {council}
    assert 10 not in table.index  # only one group answered
    assert csh.disagreement_table(_record(), "is").loc[0, "mean_gap"] == 0.0
    with pytest.raises(csh.CshError, match="not a mode"):
        csh.disagreement_table(_record(), "was")


def test_csh1_and_csh3() -> None:
    found = csh.check_csh(_record())
    assert found["rule"].tolist() == ["CSH-1", "CSH-3", "CSH-1"]
    assert found.loc[0, "finding"].startswith("6 of 24 answers given; missing: 2i, 2o, 3i")
    assert "'is' mode" in found.loc[1, "finding"]
    full = csh.build_csh({"A": {n: ("x", "y") for n in range(1, 13)}})
    full = csh.set_answer(csh.set_answer(full, "A", 10, "is", "an advocate"), "A", 10, "ought", "advocates")
    assert csh.check_csh(full).empty


def test_set_answer_leaves_original_and_validates() -> None:
    rec = _record()
    new = csh.set_answer(rec, "b", 1, "ought", "  targets ")
    assert csh.answer_text(new, "B", 1, "ought") == "targets"
    assert csh.answer_text(rec, "B", 1, "ought") == "people and carers"
    for args, msg in [(("C", 1, "is", "x"), "not a group"), (("A", 13, "is", "x"), "twelve"),
                      (("A", 1, "was", "x"), "not a mode")]:
        with pytest.raises(csh.CshError, match=msg):
            csh.set_answer(rec, *args)


@pytest.mark.parametrize("slug", CASES)
def test_case_answers_complete_and_round_trip(slug: str, tmp_path: Path) -> None:
    found = case.load(slug)
    rec = csh.load_csh(found)
    assert len(rec.groups) == 3
    assert not (csh.check_csh(rec)["rule"] == "CSH-1").any()
    assert rec.source in {s.id for s in found.meta.sources}
    (tmp_path / "csh.yaml").write_text(csh.csh_yaml_text(rec))
    assert csh.read_csh(tmp_path / "csh.yaml") == rec
    assert csh.boundary_prompts(rec)


def test_save_refuses_shipped_case(tmp_path: Path) -> None:
    rec = csh.load_csh("plymouth-alliance")
    with pytest.raises(CaseExistsError):
        csh.save_csh(rec, case.load("plymouth-alliance").path)
    assert csh.read_csh(csh.save_csh(rec, tmp_path)) == rec


def test_bad_file_reports_every_problem() -> None:
    with pytest.raises(CaseFileError) as err:
        csh.read_csh(FIX / "bad_csh.yaml")
    text = str(err.value)
    assert "question 13 is not one of the twelve" in text and "was" in text
    assert len(err.value.problems) == 2


def test_duplicate_group(tmp_path: Path) -> None:
    (tmp_path / "csh.yaml").write_text("groups:\n  - group: A\n  - group: a\n")
    with pytest.raises(CaseFileError, match="appears twice"):
        csh.read_csh(tmp_path / "csh.yaml")


# Ulrich (1983): the witness speaks for those affected but not involved, so never a body in control (CSH-3).
@pytest.mark.parametrize("witness,refused", [
    ("the police", True), ("Housing services", True), ("the partnership board", True), ("DWP", True),
    ("an independent advocate", False), ("people with lived experience of the services", False),
    ("carers of people with dementia", False), ("Healthwatch", False),
])
def test_witness_is_never_a_decision_making_agency(witness: str, refused: bool) -> None:
    record = csh.build_csh({"g": {4: ("the council cabinet", "the council cabinet"), 10: (witness, witness)}})
    assert (not csh.check_csh(record).query("rule == 'CSH-3'").empty) is refused


# --- the judged reading: how far is and ought differ in values (the workbook's judgement) -------------------

JUDGED_CASES = ["plymouth-alliance", "salford-spotlight"]


@pytest.mark.parametrize("slug", JUDGED_CASES)
def test_every_answered_question_is_judged_with_a_reason(slug: str) -> None:
    rec = csh.load_csh(slug)
    for g in rec.groups:
        for n, a in g.answers.items():
            assert a.gap in csh.JUDGED_GAPS, (g.group, n)
            assert a.reason.endswith(".") and len(a.reason) < 200, (g.group, n)
    assert not judged.judged_table(rec).empty


def test_judged_reading_is_not_word_overlap() -> None:
    # Plymouth, people using services: Q4 shares the most words of any pair, yet hands control to others (wide).
    table = judged.judged_table(csh.load_csh("plymouth-alliance"), "People using services").set_index("number")
    assert table.loc[4, "words_shared"] == table["words_shared"].max()
    assert table.loc[4, "gap"] == "wide"
    assert judged.extreme_gap(csh.load_csh("plymouth-alliance"), "People using services", widest=False) == (
        "some", [5, 7])
    # Salford, delivery agencies: Q2 shares no words, yet keeps targets as the purpose (some); nothing is wide.
    assert judged.extreme_gap(csh.load_csh("salford-spotlight"), "Delivery agencies") == ("some", [2, 6, 8, 11, 12])


def test_judged_finding_and_chart_lead_with_values() -> None:
    rec = csh.load_csh("salford-spotlight")
    title = "Residents want the most change in values: 9 of 12 judged questions wide (the workbook’s judgement)"
    assert judged.judged_finding(rec) == title
    from stp_helpers import charts
    from stp_helpers.charts.stakeholders import judged_gap_chart
    assert charts.chart_title(judged_gap_chart(rec)) == title
    assert judged.judged_finding(csh.build_csh({"A": {1: ("a", "b")}})).startswith("No is/ought gap has been judged")


def test_judged_reading_round_trips_and_a_changed_answer_drops_it(tmp_path: Path) -> None:
    rec = judged.judge(csh.build_csh({"A": {1: ("targets", "people")}}), "A", 1, "wide", "Targets give way.")
    (tmp_path / "csh.yaml").write_text(csh.csh_yaml_text(rec))
    assert csh.read_csh(tmp_path / "csh.yaml") == rec
    changed = csh.set_answer(rec, "A", 1, "ought", "targets")
    assert changed.groups[0].answers[1].gap == "" and rec.groups[0].answers[1].gap == "wide"
    with pytest.raises(csh.CshError, match="not a judged gap"):
        judged.judge(rec, "A", 1, "large", "x")
    with pytest.raises(csh.CshError, match="needs its reason"):
        judged.judge(rec, "A", 1, "some", " ")


@pytest.mark.parametrize("extra,message", [
    ("gap: big\n        reason: Why.", "Residents, question 2: the judged gap 'big' is not a reading"),
    ("gap: wide", "Residents, question 2: a judged gap needs its reason"),
    ("reason: Why.", "Residents, question 2: a judged gap needs its reason"),
])
def test_a_bad_judged_reading_names_file_question_and_fix(tmp_path: Path, extra: str, message: str) -> None:
    (tmp_path / "csh.yaml").write_text("groups:\n  - group: Residents\n    answers:\n      2:\n        is: x\n"
                                       f"        ought: y\n        {extra}\n")
    with pytest.raises(CaseFileError) as err:
        csh.read_csh(tmp_path / "csh.yaml")
    problem = err.value.problems[0]
    assert message in problem.problem and problem.path.endswith("csh.yaml")
    assert problem.column == "groups[0].answers.2.gap" and "none, some or wide" in problem.fix


def test_the_passage_names_all_four_roles_and_round_trips(tmp_path: Path) -> None:
    rec = csh.load_csh("plymouth-alliance")
    assert list(rec.passage.roles) == ["client", "decision-maker", "expert", "witness"]
    assert rec.passage.source in {s.id for s in case.load("plymouth-alliance").meta.sources}
    (tmp_path / "csh.yaml").write_text(csh.csh_yaml_text(rec))
    assert csh.read_csh(tmp_path / "csh.yaml").passage == rec.passage
    roles = {r: {"answer": "x", "why": "y"} for r in ["client", "decision-maker", "expert"]}
    for bad, said in [(roles, "the role 'witness' is missing"), ({**roles, "witness": roles["client"], "owner": roles["client"]},
                                                                 "'owner' is not one of Ulrich's roles")]:
        with pytest.raises(ValueError, match=said):
            CshPassage(source="s", text="t", roles=bad)
