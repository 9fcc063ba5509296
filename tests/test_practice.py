"""Duty outputs: scoping.yaml and information_plan.csv (readers, writers, checks), their forms and exercises,
and the duty 1 and 2 notebooks on every shipped case and on a fresh case."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from conftest import run_notebook

from stp_helpers import case, catalogue, paths
from stp_helpers.checks import practice as check
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.practice import findings, information, iteration, scoping, strategy, vision
from stp_helpers.widgets.practice import (InformationPlanForm, IterationLogForm, ScopingForm, StrategyForm,
                                          StructuredReflection, VisionPlanForm)

WILTS = case.load("wiltshire-complex-needs")
PLYMOUTH = case.load("plymouth-alliance")


# --- scoping.yaml ---------------------------------------------------------------------------------------------

def test_shipped_scoping_statements_read_and_cite_real_facts() -> None:
    for shipped in (WILTS, PLYMOUTH):
        statement = shipped.read("scoping.yaml")
        facts = {f.id for f in shipped.meta.facts}
        sources = {s.id for s in shipped.meta.sources}
        assert all(c.fact in facts for c in statement.basis if c.fact)
        assert all(c.source in sources for c in statement.basis if c.source)
        assert any(c.inference for c in statement.basis), "inferences are marked"
    assert [f.rule for f in scoping.check_scoping(WILTS.read("scoping.yaml"))] == ["SC-7"]
    assert [(f.rule, f.field) for f in scoping.check_scoping(PLYMOUTH.read("scoping.yaml"))] == [("SC-7", "agreed.date")]


def test_scoping_rules_on_hand_made_statements() -> None:
    good = scoping.ScopingStatement(
        client="Council", decision_makers=["Director"], purpose="How could partners prevent crises for families?",
        boundary=scoping.Boundary(inside=["housing"], outside=["national policy"]),
        success_criteria=["Fewer crisis contacts each year"], constraints=["No new money"],
        participants=["Officers", "Residents who use the services"],
        agreed=scoping.Agreement(by="Board", date="2026-01-31"))
    assert scoping.check_scoping(good) == []
    vague = good.model_copy(update={"success_criteria": ["Better working"]})
    assert [str(f) for f in scoping.check_scoping(vague)] == [
        "SC-4 success_criteria: 'Better working' does not say how it would be seen. "
        "Add what would be counted or observed, and roughly when."]
    nobody = good.model_copy(update={"client": ""})
    assert scoping.check_scoping(nobody)[0].rule == "SC-1"


def test_scoping_round_trips_through_its_writer(tmp_path: Path) -> None:
    statement = WILTS.read("scoping.yaml")
    target = tmp_path / "scoping.yaml"
    target.write_text(scoping.scoping_text(statement), encoding="utf-8")
    assert scoping.read_scoping(target) == statement


def test_bad_scoping_names_file_line_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "scoping.yaml"
    bad.write_text("client: Council\npurpose: A question?\nbudget: 5\nagreed:\n  by: Board\n  date: soon\n")
    with pytest.raises(CaseFileError) as caught:
        scoping.read_scoping(bad)
    text = str(caught.value)
    assert "scoping.yaml" in text and "budget" in text and "agreed.date" in text.replace("agreed, date", "agreed.date")
    with pytest.raises(StpError, match="not valid YAML"):
        scoping.parse_scoping("client: [unclosed")


# --- information_plan.csv -------------------------------------------------------------------------------------

def test_shipped_information_plans_pass_and_cite_facts() -> None:
    for shipped in (WILTS, PLYMOUTH):
        needs = shipped.read("information_plan.csv")
        assert information.check_information_plan(needs) == []
        cited = {n.basis for n in needs} - {"inference"}
        known = {f.id for f in shipped.meta.facts} | {s.id for s in shipped.meta.sources}
        assert cited <= known
    assert len(WILTS.read("information_plan.csv")) == 6


def test_information_rules_on_the_draft() -> None:
    found = information.check_information_plan(information.example_draft())
    assert [(f.rule, f.field.split(" ")[1]) for f in found] == [("IP-1", "2"), ("IP-3", "3"), ("IP-4", "4")]


def test_bad_information_plan_names_file_row_column_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "information_plan.csv"
    bad.write_text("need,source,owner,quality,gap\nContacts,records,police,ok,\n,records,police,good,\n")
    with pytest.raises(CaseFileError) as caught:
        information.read_information_plan(bad)
    text = str(caught.value)
    assert 'row 2, column "quality"' in text and "good, fair, poor, unknown" in text
    assert 'row 3, column "need"' in text
    with pytest.raises(StpError, match="Row 2, column 'quality'"):
        information.parse_information_plan("need,quality\nContacts,ok\n")


def test_information_plan_round_trips(tmp_path: Path) -> None:
    needs = WILTS.read("information_plan.csv")
    target = tmp_path / "information_plan.csv"
    target.write_text(information.information_plan_text(needs), encoding="utf-8")
    assert information.read_information_plan(target) == needs


# --- check-case and new-case ----------------------------------------------------------------------------------

def test_check_case_reports_bad_outputs(tmp_path: Path) -> None:
    folder = case.new_case("my-case", root=tmp_path)
    assert case.check(folder) == []
    (folder / "information_plan.csv").write_text("need,source,owner,quality,gap\nx,y,z,great,\n")
    (folder / "scoping.yaml").write_text("client: [a\n")
    problems = [str(p) for p in case.check(folder)]
    assert any("information_plan.csv, row 2" in p and "quality" in p for p in problems)
    assert any("scoping.yaml" in p and "YAML" in p for p in problems)


def test_fresh_case_starts_from_the_templates(tmp_path: Path) -> None:
    folder = case.new_case("fresh", root=tmp_path)
    fresh = case.load(folder)
    assert fresh.has("scoping.yaml") and fresh.has("information_plan.csv")
    rules = [f.rule for f in scoping.check_scoping(fresh.read("scoping.yaml"))]
    assert rules == ["SC-7"], "the template shows the shape of a good statement; only the agreement is missing"


# --- forms ----------------------------------------------------------------------------------------------------

def test_scoping_form_explains_and_saves_only_to_own_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = ScopingForm.from_case("wiltshire-complex-needs")
    form.fields["outside"].value = ""
    form.check.click()
    assert form.summary == "2 points to work on: SC-3 (boundary.outside), SC-7 (agreed)."
    assert "Say what the work takes in" in form.findings.value
    form.save.click()
    assert "read-only" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", root=tmp_path)
    mine = ScopingForm.from_case("mine")
    mine.fields["agreed_by"].value = "Board"
    mine.fields["agreed_date"].value = "2026-02-01"
    mine.check.click()
    assert mine.summary == "Every rule passes."
    mine.save.click()
    assert "Saved" in mine.status.value
    assert scoping.read_scoping(folder / "scoping.yaml").agreed.by == "Board"


def test_information_form_shows_bad_rows_in_the_app() -> None:
    form = InformationPlanForm.from_case("wiltshire-complex-needs")
    assert form.summary == "6 needs, 0 points to work on."
    form.text.value = "need,quality\nContacts,ok\n"
    form.check.click()
    assert "Row 2, column &#x27;quality&#x27;" in form.status.value or "Row 2, column 'quality'" in form.status.value


def test_structured_reflection_composes_gibbs_stages(tmp_path: Path) -> None:
    box = StructuredReflection(duty=1, learner="ada", root=str(tmp_path))
    box.stages["Description"].value = "Met the director."
    box.stages["Action plan"].value = "Ask residents next."
    assert box.text.value == "Description: Met the director.\nAction plan: Ask residents next."
    box.ksbs.value = ("S9",)
    box.save.click()
    assert "Saved for ada" in box.status.value


# --- exercises: answer tables ---------------------------------------------------------------------------------

SCOPING = ["SC-2", "SC-3", "SC-4", "SC-6", "SC-7"]
INFO = ["IP-1", "IP-3", "IP-4"]


def test_scoping_rules_answer_table() -> None:
    assert repr(check.scoping_rules(SCOPING)).startswith("Correct. The draft breaks 5 rules")
    assert repr(check.scoping_rules(["sc-7", "SC 6", "SC-4", "SC-3", "SC-2"])).startswith("Correct.")
    assert "SC-5 holds in the draft: reread its constraints." in repr(check.scoping_rules(["SC-2", "SC-5"]))
    assert "check the draft's boundary" in repr(check.scoping_rules(["SC-2", "SC-4", "SC-6", "SC-7"]))
    assert "SC-9 is not a rule here" in repr(check.scoping_rules(["SC-9"]))
    assert repr(check.scoping_rules(...)).startswith("Your turn")
    assert "You predicted 3; what did you not expect?" in repr(check.scoping_rules(SCOPING, prediction=3))
    with pytest.raises(TypeError):
        check.scoping_rules("SC-2")


def test_information_rules_answer_table() -> None:
    assert repr(check.information_rules(INFO)).startswith("Correct. The draft breaks 3 rules")
    assert repr(check.information_rules(("ip-4", "IP-3", "IP-1"))).startswith("Correct.")
    assert "IP-2 holds in the draft: reread its actions." in repr(check.information_rules(["IP-1", "IP-2"]))
    assert "check the draft's personal data and lawful bases" in repr(check.information_rules(["IP-1", "IP-3"]))
    assert repr(check.information_rules(...)).startswith("Your turn")


def test_rule_apps_hide_the_model_answer_until_an_attempt() -> None:
    app = check.scoping_rules_exercise()
    assert app.model_panel.value == ""
    wrong = check.information_rules_exercise(["IP-5"], 1)
    assert repr(wrong).startswith("Not yet.") and "Model answer." in wrong.model_panel.value
    assert repr(check.information_rules_exercise(INFO, 3)).startswith("Correct.")


# --- the duty notebooks on every case -------------------------------------------------------------------------

DUTY_NOTEBOOKS = ["duty01.ipynb", "duty02.ipynb", "duty03.ipynb", "duty07.ipynb", "duty10.ipynb"]
CASES = case.list_cases()


@pytest.mark.parametrize("notebook", DUTY_NOTEBOOKS)
@pytest.mark.parametrize("slug", [*sorted(c for c in CASES if (paths.shipped_cases_dir() / c).exists()), "fresh-case"])
def test_duty_notebook_runs_on_every_case(notebook: str, slug: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if slug == "fresh-case":
        monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
        case.new_case(slug)
    out = tmp_path / "out.ipynb"
    run_notebook(catalogue.notebook_path(catalogue.entry(notebook)), out, slug, paths.NOTEBOOKS_DIR)
    nb = nbformat.read(out, as_version=4)
    text = "\n".join(o.get("data", {}).get("text/plain", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    form, exemplar = {
        "duty01.ipynb": ("ScopingForm:", "Wiltshire: complex needs across agencies"),
        "duty02.ipynb": ("InformationPlanForm:", "Contacts with each agency for one person over 19 years"),
        "duty03.ipynb": ("IterationLogForm:", "Listening to services and to people using them"),
        "duty07.ipynb": ("StrategyForm:", "Spend follows crises, in social care, housing and benefits"),
        "duty10.ipynb": ("VisionPlanForm:", "People whose lives resemble the woman's"),
    }[notebook]
    assert form in text
    assert exemplar in text, "the exemplar is shown whatever the case"



# --- vision.yaml and communication_plan.csv (duty 10) ---------------------------------------------------------

def test_shipped_visions_and_plans_pass_and_cite_facts() -> None:
    for shipped in (WILTS, PLYMOUTH):
        assert vision.check_vision(shipped.read("vision.yaml")) == []
        assert vision.check_communication_plan(shipped.read("communication_plan.csv")) == []
        facts = {f.id for f in shipped.meta.facts}
        claims = shipped.read("vision.yaml").basis
        assert all(c.fact in facts for c in claims if c.fact) and any(c.inference for c in claims)
        assert all(r.model and r.translation for r in shipped.read("communication_plan.csv"))


def test_vision_and_plan_rules_on_hand_made_input() -> None:
    assert [f.rule for f in vision.check_vision(vision.Vision(statement="Roll out a hub", horizon="2030"))] == [
        "VI-1", "VI-3", "VI-4", "VI-5"]
    draft = vision.check_communication_plan(vision.example_draft_plan())
    assert [(f.rule, f.field) for f in draft] == [("CP-2", "row 2 (Cabinet members)"), ("CP-3", "audience"),
                                                  ("CP-4", "row 3 (Agency leaders)")]


def test_bad_vision_and_plan_name_file_row_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "communication_plan.csv"
    bad.write_text("audience,message,channel,model,translation\n,hello,email,cld.csv,a story\n")
    with pytest.raises(CaseFileError) as caught:
        vision.read_communication_plan(bad)
    assert 'row 2, column "audience"' in str(caught.value) and "who it is for" in str(caught.value)
    missing = tmp_path / "plan2.csv"
    missing.write_text("audience,message\nCabinet,hello\n")
    with pytest.raises(CaseFileError, match="The column 'channel' is missing"):
        vision.read_communication_plan(missing)
    yaml_bad = tmp_path / "vision.yaml"
    yaml_bad.write_text("statement: A future\nmission: x\n")
    with pytest.raises(CaseFileError, match="mission"):
        vision.read_vision(yaml_bad)


def test_vision_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "vision.yaml"
    target.write_text(vision.vision_text(WILTS.read("vision.yaml")), encoding="utf-8")
    assert vision.read_vision(target) == WILTS.read("vision.yaml")
    plan = tmp_path / "communication_plan.csv"
    plan.write_text(vision.communication_plan_text(WILTS.read("communication_plan.csv")), encoding="utf-8")
    assert vision.read_communication_plan(plan) == WILTS.read("communication_plan.csv")


def test_vision_form_checks_and_refuses_shipped_cases() -> None:
    form = VisionPlanForm.from_case("wiltshire-complex-needs")
    assert form.summary == "Every rule passes."
    form.plan.value = vision.communication_plan_text(vision.example_draft_plan())
    form.check.click()
    assert form.summary == "3 points to work on: CP-2, CP-3, CP-4."
    form.save.click()
    assert "read-only" in form.status.value
    form.vision.value = "statement: [unclosed"
    form.check.click()
    assert "not valid YAML" in form.status.value


def test_plan_rules_answer_table() -> None:
    assert repr(check.plan_rules(["CP-2", "CP-3", "CP-4"])).startswith("Correct. The draft breaks 3 rules")
    assert repr(check.plan_rules(["cp-4", "CP 3", "CP-2"], prediction=3)).endswith(
        "You predicted 3; as you expected. Which audience would you add first, and through what channel?")
    assert "CP-1 holds in the draft: reread its messages and channels." in repr(check.plan_rules(["CP-1"]))
    assert "check the draft's audiences" in repr(check.plan_rules(["CP-2", "CP-4"]))
    assert repr(check.plan_rules(...)).startswith("Your turn")



# --- iteration_log.csv (duty 3) -------------------------------------------------------------------------------

def test_shipped_iteration_logs_pass_and_cite_facts() -> None:
    for shipped in (WILTS, PLYMOUTH):
        log = shipped.read("iteration_log.csv")
        assert iteration.check_iteration_log(log) == [] and len(log) == 3
        known = {f.id for f in shipped.meta.facts} | {s.id for s in shipped.meta.sources} | {"inference"}
        assert {r.basis for r in log} <= known
    assert [r.when for r in PLYMOUTH.read("iteration_log.csv")] == ["2012", "2015", "2016"]  # dates from the source


def test_iteration_rules_on_hand_made_logs() -> None:
    assert [(f.rule, f.field) for f in iteration.check_iteration_log(iteration.example_draft_log())] == [
        ("IL-2", "row 3 (iteration 2)"), ("IL-3", "row 3 (iteration 2)"), ("IL-5", "row 4 (iteration 3)")]
    one = [iteration.Iteration(iteration=2, approach="CLD", with_whom="staff", next="model")]
    assert [f.rule for f in iteration.check_iteration_log(one)] == ["IL-1", "IL-4"]  # the first row needs no reason


def test_bad_iteration_log_names_file_row_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "iteration_log.csv"
    bad.write_text("iteration,approach,with_whom,what_changed,why\nfirst,CLD,staff,,\n")
    with pytest.raises(CaseFileError) as caught:
        iteration.read_iteration_log(bad)
    assert 'row 2, column "iteration"' in str(caught.value) and "whole number" in str(caught.value)
    with pytest.raises(StpError, match="Row 2, column 'iteration'"):
        iteration.parse_iteration_log("iteration,approach\n0,CLD\n")
    target = tmp_path / "log.csv"
    target.write_text(iteration.iteration_log_text(WILTS.read("iteration_log.csv")), encoding="utf-8")
    assert iteration.read_iteration_log(target) == WILTS.read("iteration_log.csv")


def test_iteration_form_and_exercise() -> None:
    form = IterationLogForm.from_case("plymouth-alliance")
    assert form.summary == "3 iterations, 0 points to work on."
    form.text.value = iteration.iteration_log_text(iteration.example_draft_log())
    form.check.click()
    assert form.summary == "3 iterations, 3 points to work on."
    assert repr(check.log_rules(["IL-2", "IL-3", "IL-5"])).startswith("Correct. The draft breaks 3 rules")
    assert "IL-4 holds in the draft: reread its number of iterations." in repr(check.log_rules(["IL-4"]))
    assert "check the draft's next steps" in repr(check.log_rules(["IL-2", "IL-3"]))
    assert repr(check.log_rules_exercise(["IL-2", "IL-3", "IL-5"], 3)).startswith("Correct.")


# --- findings.csv (duty 6) ------------------------------------------------------------------------------------

def test_wiltshire_findings_pass_and_cite_facts() -> None:
    rows = WILTS.read("findings.csv")
    assert findings.check_findings(rows) == [] and len(rows) == 8
    known = {f.id for f in WILTS.meta.facts} | {s.id for s in WILTS.meta.sources}
    assert {r.basis for r in rows} - {"inference"} <= known and "inference" in {r.basis for r in rows}
    workshops = {w.id for w in WILTS.read("engagement.yaml").workshops}
    assert {r.source for r in rows} <= known | workshops
    assert {r.stakeholder for r in rows} <= {s.name for s in WILTS.read("stakeholders.csv")}
    assert list(findings.themes(rows)) == ["concentrated demand", "crisis-driven demand", "fragmentation",
                                           "missed early help"]


def test_findings_rules_on_hand_made_rows() -> None:
    assert [(f.rule, f.field) for f in findings.check_findings(findings.example_draft_findings())] == [
        ("FI-1", "row 3 (Police time goes on repeat missing-person episodes)"),
        ("FI-3", "row 4 (Nobody holds the whole story of one person)"), ("FI-4", "stakeholder"),
        ("FI-5", "row 4 (Nobody holds the whole story of one person)")]
    one = [findings.EngagementFinding(finding="Crises repeat", stakeholder="Residents who use services",
                                      source="interview", basis="inference", implication="Map it")]
    assert [str(f) for f in findings.check_findings(one)] == [
        "FI-2 row 2 (Crises repeat): no theme. Group it under a theme, so patterns across stakeholders show.",
        "FI-4 stakeholder: fewer than two stakeholders, or none of the people served, are heard. Record what the "
        "people who live with the situation said, not only those who run services."]


def test_bad_findings_name_file_row_column_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "findings.csv"
    bad.write_text("finding,theme,stakeholder,source\n,fragmentation,Police,w1\n")
    with pytest.raises(CaseFileError) as caught:
        findings.read_findings(bad)
    assert "findings.csv" in str(caught.value) and 'row 2, column "finding"' in str(caught.value)
    bad.write_text("finding,theme,stakeholder,source,mood\nx,fragmentation,Police,w1,cross\n")
    with pytest.raises(CaseFileError, match="Unknown column.*'mood'. Use only these columns: finding,theme"):
        findings.read_findings(bad)
    missing = tmp_path / "f2.csv"
    missing.write_text("finding,theme\nCrises repeat,fragmentation\n")
    with pytest.raises(CaseFileError, match="The column 'stakeholder' is missing"):
        findings.read_findings(missing)
    with pytest.raises(StpError, match="Row 2, column 'finding'"):
        findings.parse_findings("finding,theme\n,fragmentation\n")
    with pytest.raises(StpError, match="Unknown column 'mood'"):
        findings.parse_findings("finding,mood\nx,y\n")
    target = tmp_path / "round.csv"
    target.write_text(findings.findings_text(WILTS.read("findings.csv")), encoding="utf-8")
    assert findings.read_findings(target) == WILTS.read("findings.csv")


# --- strategy_assessment.yaml (duty 7) ------------------------------------------------------------------------

def test_wiltshire_strategy_assessment_passes_and_rests_on_the_loops() -> None:
    assessment = WILTS.read("strategy_assessment.yaml")
    assert strategy.check_strategy(assessment) == []
    assert [e.works for e in assessment.elements] == ["against", "against", "mixed", "with"]
    known = {f.id for f in WILTS.meta.facts} | {s.id for s in WILTS.meta.sources} | {"inference"}
    assert {e.basis for e in assessment.elements} | {i.basis for i in assessment.influencers} <= known
    assert any(c.inference for c in assessment.basis)
    names = set(re.findall(r"[a-z]+_[a-z_]+", " ".join(e.structure for e in assessment.elements)))
    cld_text = (paths.shipped_cases_dir() / "wiltshire-complex-needs" / "cld.csv").read_text(encoding="utf-8")
    assert len(names) == 9 and all(n in cld_text for n in names), "every variable named is in cld.csv"


def test_strategy_rules_on_hand_made_assessments() -> None:
    assert [(f.rule, f.field) for f in strategy.check_strategy(strategy.example_draft_strategy())] == [
        ("SA-2", "elements[1]"), ("SA-3", "elements[1]"), ("SA-4", "influencers"), ("SA-5", "recommendations")]
    good = WILTS.read("strategy_assessment.yaml")
    no_owner = good.model_copy(update={"owner": ""})
    assert [str(f) for f in strategy.check_strategy(no_owner)] == [
        "SA-1 owner: the current strategy or its owner is not stated. Say what is being done now, in a sentence, "
        "and who decides it."]
    unjudged = good.model_copy(update={"elements": [good.elements[0], good.elements[1].model_copy(
        update={"works": "unknown"})]})
    assert [(f.rule, f.field) for f in strategy.check_strategy(unjudged)] == [("SA-3", "elements[1]")]


def test_bad_strategy_assessment_names_file_field_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "strategy_assessment.yaml"
    bad.write_text("strategy: Crisis first\nelements:\n  - element: Spend follows crises\n    works: sideways\n"
                   "budget: 5\n")
    with pytest.raises(CaseFileError) as caught:
        strategy.read_strategy(bad)
    text = str(caught.value)
    assert "strategy_assessment.yaml" in text and "budget" in text and "with, against, mixed" in text.replace(
        "'with', 'against', 'mixed'", "with, against, mixed")
    with pytest.raises(StpError, match="not valid YAML"):
        strategy.parse_strategy("strategy: [unclosed")
    with pytest.raises(StpError, match="Field 'elements.0.works'"):
        strategy.parse_strategy("elements:\n  - element: x\n    works: sideways\n")
    target = tmp_path / "round.yaml"
    target.write_text(strategy.strategy_text(WILTS.read("strategy_assessment.yaml")), encoding="utf-8")
    assert strategy.read_strategy(target) == WILTS.read("strategy_assessment.yaml")


def test_new_kinds_in_new_case_and_check_case(tmp_path: Path) -> None:
    folder = case.new_case("kinds", root=tmp_path)
    fresh = case.load(folder)
    assert findings.check_findings(fresh.read("findings.csv")) == []
    assert [f.rule for f in strategy.check_strategy(fresh.read("strategy_assessment.yaml"))] == ["SA-3"], \
        "the template shows the shape; the learner judges each element"
    (folder / "findings.csv").write_text("finding,theme,stakeholder,source\nx,y,z,\n,y,z,w1\n")
    (folder / "strategy_assessment.yaml").write_text("strategy: x\ninfluencers:\n  - lever: money\n")
    problems = [str(p) for p in case.check(folder)]
    assert any("findings.csv, row 3" in p and "finding" in p for p in problems)
    assert any("strategy_assessment.yaml" in p and "who" in p for p in problems)


def test_strategy_form_and_exercise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = StrategyForm.from_case("wiltshire-complex-needs")
    assert form.summary == "Every rule passes."
    form.text.value = strategy.strategy_text(strategy.example_draft_strategy())
    form.check.click()
    assert form.summary == "4 points to work on: SA-2, SA-3, SA-4, SA-5."
    form.save.click()
    assert "read-only" in form.status.value
    form.text.value = "elements:\n  - element: x\n    works: sideways\n"
    form.check.click()
    assert "elements.0.works" in form.status.value
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("mine", root=tmp_path)
    mine = StrategyForm.from_case("mine")
    assert mine.summary == "1 point to work on: SA-3."
    mine.text.value = mine.text.value.replace("works: unknown", "works: against")
    mine.check.click()
    assert mine.summary == "Every rule passes."
    mine.save.click()
    assert "Saved" in mine.status.value
    assert [e.works for e in strategy.read_strategy(folder / "strategy_assessment.yaml").elements] == ["against"] * 2


def test_strategy_rules_answer_table() -> None:
    right = ["SA-2", "SA-3", "SA-4", "SA-5"]
    assert repr(check.strategy_rules(right)).startswith("Correct. The draft breaks 4 rules")
    assert repr(check.strategy_rules(["sa-5", "SA 4", "SA-3", "SA-2"], prediction=2)).endswith(
        "You predicted 2; what did you not expect? Which element would a sceptical decision-maker challenge first?")
    assert "SA-1 holds in the draft: reread its strategy and owner." in repr(check.strategy_rules(["SA-1", "SA-2"]))
    assert "check the draft's verdict and recommendations" in repr(check.strategy_rules(["SA-2", "SA-3", "SA-4"]))
    assert "SA-9 is not a rule here" in repr(check.strategy_rules(["SA-9"]))
    assert repr(check.strategy_rules(...)).startswith("Your turn")
    assert check.strategy_rules_exercise().model_panel.value == ""
    assert repr(check.strategy_rules_exercise(right, 4)).startswith("Correct.")
