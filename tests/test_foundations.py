"""Foundations (K1–K4): content, Jackson's grid, learning and law helpers, exercise checks, the chooser, guides."""

from __future__ import annotations

import re

import nbformat
import pytest

from stp_helpers import case, catalogue, guide, paths
from stp_helpers.charts import foundations as foundation_charts
from stp_helpers.checks import foundations as check
from stp_helpers.errors import StpError
from stp_helpers.foundations import concepts, law, learning, load_foundations, sosm
from stp_helpers.widgets.foundations import MethodChooser

FOUNDATION_NOTEBOOKS = [e for e in catalogue.entries("foundation")]


# --- Jackson's grid -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("context,participants,first", [
    ("simple", "unitary", "Hard systems thinking (operational research, systems analysis, systems engineering)"),
    ("complex", "unitary", "System dynamics"),
    ("simple", "pluralist", "Strategic assumption surfacing and testing"),
    ("complex", "pluralist", "Interactive planning"),
    ("simple", "coercive", "Critical systems heuristics"),
    ("complex", "coercive", "Postmodern systems thinking"),
])
def test_each_cell_names_jacksons_approaches(context: str, participants: str, first: str) -> None:
    cell = sosm.place(context, participants)
    assert cell.approaches[0] == first
    assert all((paths.NOTEBOOKS_DIR / n).exists() for n in cell.notebooks)


def test_grid_has_six_distinct_cells() -> None:
    cells = {(c.context, c.participants) for c in load_foundations().sosm.cells}
    assert cells == {(c, p) for c in sosm.CONTEXTS for p in sosm.PARTICIPANTS}


@pytest.mark.parametrize("answers,label", [
    ({"many-parts": True}, "simple–coercive"),  # one sign is not enough; no agreement and no accommodation
    ({"many-parts": True, "open": True, "agree-purpose": True}, "complex–unitary"),
    ({"many-parts": True, "open": True, "accommodation": True}, "complex–pluralist"),
    ({"agree-purpose": True, "imposed": True}, "simple–coercive"),  # imposition outweighs stated agreement
    ({"accommodation": True}, "simple–pluralist"),
    ({"own-goals": True, "changes-over-time": True, "open": True, "many-parts": True, "imposed": True},
     "complex–coercive"),
])
def test_classify_follows_the_workbook_rule(answers: dict[str, bool], label: str) -> None:
    placed = sosm.classify(answers)
    assert placed.label == label
    assert len(placed.reasons) == 2


def test_classify_and_place_reject_unknown_values() -> None:
    with pytest.raises(StpError, match="'agree' is not one of the placing questions"):
        sosm.classify({"agree": True})
    with pytest.raises(StpError, match="not a relation between participants"):
        sosm.place("simple", "hostile")


def test_presets_cover_every_question_and_only_shipped_cases() -> None:
    ids = set(sosm.questions()["id"])
    for slug, found in load_foundations().sosm.presets.items():
        assert slug in case.list_cases()
        assert set(found.answers) == ids
    assert sosm.preset("stoke-neet") is None


# --- concepts, learning, law ----------------------------------------------------------------------------------

def test_feedback_series_matches_hand_worked_values() -> None:
    series = concepts.feedback_series(weeks=30, growth=0.07, adjustment=0.1, goal=100, start=10)
    end = series[series["week"] == 30].set_index("loop")["value"]
    assert end[concepts.REINFORCING_LABEL] == pytest.approx(10 * 1.07 ** 30)  # 76.12
    assert end[concepts.BALANCING_LABEL] == pytest.approx(100 * (1 - 0.9 ** 30))  # 95.76
    assert concepts.feedback_finding(series) == ("In 30 weeks the reinforcing loop grows 7.6-fold; "
                                                 "the balancing loop closes 96% of its gap")
    with pytest.raises(StpError):
        concepts.feedback_series(adjustment=1.5)


def test_learning_series_revises_the_goal() -> None:
    series = learning.learning_series(weeks=20, revise_at=10, first_goal=80, second_goal=50, adjustment=0.3)
    result = series[series["series"] == "result"].set_index("week")["value"]
    assert result[10] == pytest.approx(80 - 60 * 0.7 ** 10)  # 78.31: single loop nearly closed the gap
    assert result[20] < result[10]  # after the double loop the result follows the new goal down
    assert learning.learning_finding(series).endswith("(week 10)")


def test_tradition_of_and_episode_lookups() -> None:
    assert concepts.tradition_of("Viable system model") == "hard"
    assert concepts.tradition_of("critical systems heuristics") == "critical"
    assert [learning.loop_of(e.id) for e in learning.episodes()].count("double") == 3
    with pytest.raises(StpError):
        learning.loop_of("nothing")


def test_flamingos_facts_are_cited_from_the_case() -> None:
    text = learning.flamingos_facts().text
    assert "double-loop learning (Argyris and Schön)" in text
    assert text.count("(Source: Improvement and Efficiency West Midlands") == 4


def test_law_content_is_sourced_and_marked_as_guidance() -> None:
    data = load_foundations().law
    assert all(r.sources for r in data.regimes)
    assert law.regimes_table().text.startswith("Guidance for learning, not legal advice")
    assert "not legal advice" in law.lawful_bases_table().text
    ids = set(law.regime_ids())
    assert all(s.regime in ids for s in data.situations)
    assert all(set(a.regimes) <= ids for a in data.activities)
    sources = " ".join(s for r in data.regimes for s in r.sources)
    for cited in ("Article 6(1)", "section 149", "Care Act 2014 section 42", "Children Act 1989 section 47",
                  "Children Act 2004 section 11", "Health and Safety at Work etc. Act 1974", "section 121"):
        assert cited in sources


def test_case_checklist_reads_the_case_artefacts() -> None:
    wilts = case.load("wiltshire-complex-needs")
    assert law.case_activities(wilts) == [
        "Interviews with decision-makers (duty 1)", "Gathering case records to map journeys (duty 2)",
        "Workshops with people using services (duty 6)", "Options appraisal for a council decision (duty 9)",
        "Monitoring with service data (duty 12)"]
    assert law.case_activities(case.load("wolverhampton-flamingos")) == []
    assert "none of the activities" in law.case_checklist(case.load("wolverhampton-flamingos")).text


def test_tables_escape_case_text() -> None:
    shown = load_foundations()
    from stp_helpers.foundations.content import table

    out = table([{"a": "<script>x</script>"}])
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert shown.concepts[0].id == "boundary"


# --- exercise checks: answer tables ---------------------------------------------------------------------------

CONCEPTS = {"q1": "emergence", "q2": "boundary", "q3": "feedback", "q4": "purpose"}
TRADITIONS = {"t1": "hard", "t2": "soft", "t3": "critical", "t4": "hard"}
PHILOSOPHY = {"p1": "ontology", "p2": "epistemology", "p3": "ontology", "p4": "epistemology"}
EPISODES = {"call-centre": "single", "flamingos-housing": "double", "crisis-staff": "single",
            "plymouth-targets": "double", "leaflet-reprint": "single", "wiltshire-question": "double"}
JOURNAL = {"journal-1": "experience", "journal-2": "reflection", "journal-3": "conceptualisation",
           "journal-4": "experimentation"}
REGIMES = {"neighbour": "adult-safeguarding", "records": "data-protection", "closure": "equality",
           "cafe": "health-safety", "youth-group": "child-safeguarding", "birth-dates": "data-protection"}

# (check, model answer, alternative right answer, [(wrong answer, feedback line it must contain)])
TABLE = [
    (check.match_concepts, CONCEPTS, {**CONCEPTS, "q1": "Emergent property", "q3": "a feedback loop"},
     [({**CONCEPTS, "q1": "feedback"}, "3 of 4 statements matched. q1: you chose feedback"),
      ({**CONCEPTS, "q2": "purpose", "q4": "boundary"}, "q2: you chose purpose")]),
    (check.match_traditions, TRADITIONS, {"t1": "functionalist", "t2": "Interpretive", "t3": "emancipatory",
                                          "t4": "Hard systems thinking"},
     [({**TRADITIONS, "t4": "soft"}, "t4: the soft tradition asks"),
      ({**TRADITIONS, "t3": "radical"}, "t3: 'radical' is not a tradition")]),
    (check.match_philosophy, PHILOSOPHY, {k: "Ontological" if v == "ontology" else "an epistemological claim"
                                          for k, v in PHILOSOPHY.items()},
     [({**PHILOSOPHY, "p3": "epistemology"}, "p3: is the statement about what exists"),
      ({k: "ontology" for k in PHILOSOPHY}, "2 of 4 statements matched. p2:")]),
    (check.classify_episodes, EPISODES, {k: f"{v.title()}-loop learning" for k, v in EPISODES.items()},
     [({**EPISODES, "flamingos-housing": "single"}, "flamingos-housing: you said single"),
      ({k: "double" for k in EPISODES}, "3 of 6 episodes matched. call-centre: you said double")]),
    (check.place_journal, JOURNAL, {"journal-1": "Concrete experience", "journal-2": "reflective observation",
                                    "journal-3": "abstract conceptualization", "journal-4": "active experimentation"},
     [({**JOURNAL, "journal-3": "reflection"}, "journal-3: you chose Reflective observation"),
      ({**JOURNAL, "journal-4": "planning later"}, "journal-4: use experience, reflection")]),
    (check.match_regimes, REGIMES, {**REGIMES, "neighbour": "Care Act 2014", "closure": "PSED",
                                    "records": "UK GDPR", "cafe": "HSWA"},
     [({**REGIMES, "neighbour": "data-protection"}, "neighbour: you chose UK GDPR and Data Protection Act 2018"),
      ({k: v for k, v in REGIMES.items() if k != "cafe"}, "Give an answer for cafe too.")]),
]


@pytest.mark.parametrize("check_fn,model,alternative,wrong", TABLE, ids=[t[0].__name__ for t in TABLE])
def test_answer_table(check_fn, model, alternative, wrong) -> None:  # type: ignore[no-untyped-def]
    assert repr(check_fn(model)).startswith("Correct.")
    assert repr(check_fn(alternative)).startswith("Correct.")
    for answer, line in wrong:
        feedback = repr(check_fn(answer))
        assert feedback.startswith("Not yet."), feedback
        assert line in feedback, feedback
    assert repr(check_fn(...)) == "Your turn: fill in the cell above, then run this one."
    with pytest.raises(TypeError):
        check_fn("emergence")


def test_predictions_are_compared_once_right() -> None:
    assert "You predicted feedback for q1; it shows emergence." in repr(check.match_concepts(CONCEPTS, "feedback"))
    assert "as you predicted" in repr(check.match_traditions(TRADITIONS, "functionalist"))
    assert "3 episodes are double-loop, you predicted 2." in repr(check.classify_episodes(EPISODES, 2))
    assert "3 episodes are double-loop, as you predicted." in repr(check.classify_episodes(EPISODES, 3))
    assert "You predicted" not in repr(check.match_concepts({**CONCEPTS, "q1": "feedback"}, "feedback"))


def test_place_vignette_answer_table() -> None:
    assert repr(check.place_vignette("simple-coercive", "estate")).startswith("Correct. simple–coercive.")
    assert repr(check.place_vignette(("Simple", "Coercive"), "estate", prediction="complex-pluralist")).endswith(
        "Your first guess differed; the questions moved it. Which of its notebooks would you open first, and what "
        "would you ask it?")
    wrong = repr(check.place_vignette("simple-pluralist", "estate"))
    assert wrong.startswith("Not yet. Context simple: right. Participants: you said pluralist")
    wrong = repr(check.place_vignette("complex coercive", "estate"))
    assert "Participants coercive: right. Context: you said complex" in wrong
    assert "Name both parts" in repr(check.place_vignette("complex", "estate"))
    assert repr(check.place_vignette(..., "estate")).startswith("Your turn")
    with pytest.raises(TypeError):
        check.place_vignette(3, "estate")


def test_fitting_method_answer_table() -> None:
    for right in ("stock_flow", "methods/vsm.ipynb", "System dynamics", "cld", "Organisational cybernetics"):
        assert repr(check.fitting_method(right, "college")).startswith("Correct."), right
    wrong = repr(check.fitting_method("ssm", "college"))
    assert wrong.startswith("Not yet. ssm is in the grid: it fits complex–pluralist.")
    assert "is not a method of the grid" in repr(check.fitting_method("astrology", "college"))
    assert repr(check.fitting_method(..., "college")).startswith("Your turn")


def test_lawful_basis_answer_table() -> None:
    for right in ("public task", "Public-task", "Article 6(1)(e)"):
        assert repr(check.lawful_basis(right)).startswith("Correct."), right
    assert "imbalance of power" in repr(check.lawful_basis("consent"))
    assert "Not available to a public authority" in repr(check.lawful_basis("legitimate interests"))
    assert "not one of the six lawful bases" in repr(check.lawful_basis("necessity"))
    assert "what changed your mind" in repr(check.lawful_basis("public task", prediction="consent"))
    assert repr(check.lawful_basis(...)).startswith("Your turn")


# --- the chooser app ------------------------------------------------------------------------------------------

def test_chooser_redraws_when_an_answer_changes() -> None:
    app = MethodChooser.from_case("wiltshire-complex-needs")
    assert app.title == "Placed complex–pluralist: Interactive planning, Soft systems methodology fit"
    before = app.view.chart.to_dict()
    app.answers["agree-purpose"].value = "yes"
    assert app.placement.label == "complex–unitary"
    assert app.view.chart.to_dict() != before
    assert "methods/stock_flow.ipynb" in app.result.value
    app.answers["imposed"].value = "yes"
    assert app.title == "Placed complex–coercive: Postmodern systems thinking fits"


def test_chooser_starts_from_no_for_cases_without_a_reading() -> None:
    app = MethodChooser.from_case("salford-spotlight")
    assert all(t.value == "no" for t in app.answers.values())
    assert "answer each question for your case" in app.children[0].value


# --- the charts fit a phone and a projector --------------------------------------------------------------------

def test_grid_names_each_approach_on_its_own_lines_and_rows_hold_a_phone_column() -> None:
    spec = foundation_charts.sosm_chart(sosm.grid_table(("complex", "unitary")), title="Grid").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    chosen = next(r for r in rows if r["chosen"])
    assert chosen["label"].split("\n") == ["Your case", "System dynamics",
                                            "Organisational cybernetics (viable system model)", "Complexity theory"]
    assert "lineBreak" not in spec["layer"][1]["mark"]  # wrapped to the column's width, not cut at '; '
    assert spec["height"]["step"] >= 9 * 15  # nine lines of a phone's twelve-character column


def test_law_matrix_never_cuts_an_activity_name() -> None:
    spec = foundation_charts.regime_chart(law.activity_matrix(), law.short_names(), title="Matrix").to_dict()
    y_axis = spec["layer"][0]["encoding"]["y"]["axis"]
    x_axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert y_axis["labelLimit"] == 0 and "labelExpr" in y_axis
    assert x_axis["labelLimit"] == 0 and x_axis["labelAngle"] == {"expr": "width < 500 ? -90 : 0"}
    assert spec["height"]["step"] >= 3 * 17  # three lines of an activity name


def test_line_labels_that_end_together_are_placed_apart() -> None:
    run = learning.learning_series(weeks=20, revise_at=10, first_goal=80, second_goal=50, adjustment=0.3)
    spec = foundation_charts.behaviour_chart(run, series="series", title="t", y_title="v").to_dict()
    ends = {r["series"]: r for r in spec["datasets"][spec["layer"][1]["data"]["name"]]}
    pixels = {name: (80 - row["value"]) * 300 / 80 + row["offset"] for name, row in ends.items()}
    assert abs(pixels["goal"] - pixels["result"]) >= 17


# --- glossary, reading list, path -----------------------------------------------------------------------------

def test_glossary_is_well_formed() -> None:
    terms = guide.glossary()
    anchors = [guide.anchor(t.term) for t in terms]
    assert len(set(anchors)) == len(anchors)
    known = {e.path for e in catalogue.entries()}
    assert all(t.taught in known for t in terms)
    with pytest.raises(StpError):
        guide.glossary_entry("phlogiston")


@pytest.mark.parametrize("item", FOUNDATION_NOTEBOOKS, ids=[e.path for e in FOUNDATION_NOTEBOOKS])
def test_foundation_notebooks_link_terms_to_the_glossary(item: catalogue.Entry) -> None:
    nb = nbformat.read(catalogue.notebook_path(item), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = re.findall(r"\]\(\.\./glossary\.md#([a-z0-9-]+)\)", text)
    assert len(links) >= 3
    anchors = {guide.anchor(t.term) for t in guide.glossary()}
    assert set(links) <= anchors
    taught_here = {guide.anchor(t.term) for t in guide.glossary() if t.taught == item.path}
    assert taught_here <= set(links), "every term this notebook teaches is linked where it first appears"


def test_reading_list_gathers_every_notebooks_references() -> None:
    listed = guide.reading_list()
    texts = [t for t, _ in listed]
    assert len(set(texts)) == len(texts)
    argyris = [cited for text, cited in listed if text.startswith("Argyris, C. and Schön")]
    assert any("foundations/learning_and_change.ipynb" in cited for cited in argyris)
    for item in catalogue.entries():
        for reference in guide.references_of(catalogue.notebook_path(item)):
            key = guide.reference_key(reference)
            assert any(item.path in cited for text, cited in listed if guide.reference_key(text) == key), reference
    total = sum(len(guide.references_of(catalogue.notebook_path(e))) for e in catalogue.entries())
    assert sum(len(c) for _, c in listed) <= total and len(listed) > 40


def test_learning_path_names_catalogue_notebooks_with_time_to_learn() -> None:
    rows = guide.learning_path()
    assert [r["month"] for r in rows] == sorted(r["month"] for r in rows)
    assert {r["notebook"] for r in rows} >= {e.path for e in catalogue.entries() if e.kind in ("foundation", "duty")}
    assert all(isinstance(r["minutes"], int) and r["minutes"] > 0 for r in rows)
    first = [r for r in rows if r["notebook"] == "foundations/concepts_and_schools.ipynb"][0]
    assert (first["month"], first["minutes"]) == (1, 50)
    assert guide.minutes_to_learn("**Time to learn:** 2 hours") == 120
    assert guide.minutes_to_learn("no line here") is None


def test_guide_files_are_current(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for written in guide.write_guides(tmp_path):
        shipped = paths.NOTEBOOKS_DIR / written.name
        assert shipped.read_text(encoding="utf-8") == written.read_text(encoding="utf-8"), (
            f"{shipped.name} is stale: run python -c 'from stp_helpers import guide; guide.write_guides()'")


# --- the exercise apps: answer tables run through the apps ----------------------------------------------------

APP_TABLE = [
    (check.concepts_exercise, CONCEPTS, "feedback", {**CONCEPTS, "q3": "purpose"}, "q3: you chose purpose"),
    (check.traditions_exercise, TRADITIONS, "hard", {**TRADITIONS, "t2": "critical"}, "t2: the critical tradition asks"),
    (check.philosophy_exercise, PHILOSOPHY, "ontology", {**PHILOSOPHY, "p2": "ontology"}, "p2: is the statement about"),
    (check.episodes_exercise, EPISODES, 3, {**EPISODES, "plymouth-targets": "single"}, "plymouth-targets: you said single"),
    (check.journal_exercise, JOURNAL, "conceptualisation", {**JOURNAL, "journal-2": "experience"},
     "journal-2: you chose Concrete experience"),
    (check.regimes_exercise, REGIMES, "adult-safeguarding", {**REGIMES, "closure": "data-protection"},
     "closure: you chose UK GDPR"),
    (check.basis_exercise, "Public task (Article 6(1)(e))", "Consent (Article 6(1)(a))", "Consent (Article 6(1)(a))",
     "imbalance of power"),
    (lambda *a: check.vignette_exercise("estate", *a), "simple-coercive", "complex-pluralist", "simple-pluralist",
     "Participants: you said pluralist"),
    (lambda *a: check.method_exercise("college", *a), "vsm", "no", "ssm", "it fits complex–pluralist"),
]


@pytest.mark.parametrize("build,model,prediction,wrong,line", APP_TABLE, ids=[str(i) for i in range(len(APP_TABLE))])
def test_exercise_apps(build, model, prediction, wrong, line) -> None:  # type: ignore[no-untyped-def]
    app = build()
    assert repr(app).startswith("Your turn: make your prediction")
    assert app.model_panel.value == "", "the model answer is not in the page before an attempt"
    assert repr(build(wrong, prediction)).startswith("Not yet.") and line in repr(build(wrong, prediction))
    right = build(model, prediction)
    assert repr(right).startswith("Correct.")
    assert "Model answer." in right.model_panel.value


def test_apps_compare_the_prediction() -> None:
    assert "3 episodes are double-loop, as you predicted." in repr(check.episodes_exercise(EPISODES, 3))
    assert "it shows emergence" in repr(check.concepts_exercise(CONCEPTS, "feedback"))
    assert "Your first guess differed" in repr(check.vignette_exercise("estate", "simple-coercive", "complex-unitary"))
    assert "You expected a soft method to fit" in repr(check.method_exercise("college", "stock_flow", "yes"))


def test_matching_app_by_clicks() -> None:
    app = check.journal_exercise()
    app.predict.control.value = "reflection"
    app.lock_button.click()
    for row, stage in zip(app.answer.cells, JOURNAL.values()):
        row[0].value = stage
    app.check_button.click()
    assert repr(app).startswith("Correct. All 4 entries matched.")
    assert "You predicted reflection for journal-3; it shows conceptualisation." in repr(app)
