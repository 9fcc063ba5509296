"""SSM records: PQR, root definitions, reading, writing, round trips, tables, drawing, report."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case, ssm
from stp_helpers.errors import CaseExistsError, CaseFileError, GraphError, StpError
from stp_helpers.charts.ssm_draw import draw_activity_model

FIXTURES = Path(__file__).parent / "fixtures" / "ssm"
CASES = ["wiltshire-complex-needs", "plymouth-alliance"]


def test_parse_pqr_known_answer_ssm_t1() -> None:
    sentence = ("A council-owned system to reduce repeat homelessness by coordinating housing, health and "
                "benefits casework in order to help residents keep secure tenancies.")
    assert ssm.parse_pqr(sentence) == ssm.PQR("reduce repeat homelessness",
                                              "coordinating housing, health and benefits casework",
                                              "help residents keep secure tenancies")
    assert ssm.parse_pqr("Reduce repeat homelessness.") is None


def test_root_definition_is_generated_from_catwoe_then_editable() -> None:
    cw = ssm.make_catwoe("carer", customers="carers", actors="respite workers",
                         transformation=("need for respite care", "need for respite care met"),
                         worldview="Carers who get a break care for longer", owners="the council",
                         environment="the respite budget")
    # PQR (Checkland & Scholes 1990): P from T; Q (how) and R (the longer-term aim) are written,
    # never taken from the actors or the worldview.
    assert ssm.root_definition(cw) == (
        "A system owned by the council to turn need for respite care into need for respite care met by "
        "… in order to ….")
    assert ssm.default_pqr(cw).r == "" and "view" not in ssm.root_definition(cw)
    rd4 = {f.rule: f for f in ssm.check_catwoe(cw)}["RD-4"]
    assert not rd4.passed and "Q (how)" in rd4.message
    edited = cw.model_copy(update={"q": "Booking short breaks", "r": "keep carers caring at home"})
    assert "by booking short breaks in order to keep carers caring at home." in ssm.root_definition(edited)
    assert ssm.parse_pqr(ssm.root_definition(edited)).q == "booking short breaks"
    no_r = cw.model_copy(update={"q": "Booking short breaks"})
    message = {f.rule: f for f in ssm.check_catwoe(no_r)}["RD-4"].message
    assert "R (why)" in message and "W says why" in message


def test_empty_parts_show_as_gaps() -> None:
    assert ssm.root_definition(ssm.make_catwoe("x")) == "A system to … by … in order to …."


def test_make_catwoe_refuses_bad_shapes() -> None:
    with pytest.raises(StpError, match="pair"):
        ssm.make_catwoe("x", transformation="funding → services")
    with pytest.raises(StpError, match="letters, digits"):
        ssm.make_catwoe("my view")


@pytest.mark.parametrize("path", [FIXTURES / "respite.yaml"] + [case.load(c).artefact_path("ssm.yaml") for c in CASES],
                         ids=["fixture"] + CASES)
def test_every_record_round_trips(path: Path, tmp_path: Path) -> None:
    record = ssm.read_ssm(path)
    target = tmp_path / "ssm.yaml"
    target.write_text(ssm.ssm_yaml(record), encoding="utf-8")
    again = ssm.read_ssm(target)
    assert again == record
    assert ssm.ssm_yaml(again) == ssm.ssm_yaml(record)


@pytest.mark.parametrize("slug", CASES)
def test_case_records_cite_their_seed(slug: str) -> None:
    this = case.load(slug)
    record = this.read("ssm.yaml") if case.ARTEFACT_KINDS["ssm.yaml"].reader else ssm.read_ssm(
        this.artefact_path("ssm.yaml"))
    seed = {"wiltshire-complex-needs": "seed-000", "plymouth-alliance": "seed-004"}[slug]
    assert record.source == seed and record.rich_picture.source == seed
    assert all(w.source == seed for w in record.worldviews) and len(record.worldviews) >= 2
    assert all(row.source == seed for m in record.models for row in m.comparison)
    assert "seed" in this.cite(seed).lower() or this.cite(seed)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ssm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_fields_are_all_reported_with_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, "worldviews:\n  - customers: carers\nmodels:\n  - id: m\n    root: x\n"
                            "    comparison:\n      - activity: a1\n        exists: maybe\n")
    with pytest.raises(CaseFileError) as info:
        ssm.read_ssm(path)
    text = str(info.value)
    assert 'column "situation": A value is required here.' in text
    assert 'line 2, column "worldviews[0].id": A value is required here.' in text
    assert 'line 8, column "models[0].comparison[0].exists"' in text and "'maybe'" in text


def test_unknown_ids_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "situation: s\nworldviews:\n  - id: a\n  - id: a\nmodels:\n  - id: m\n    root: b\n"
                            "    activities:\n      - id: a1\n        label: Do it\n        after: [a9]\n"
                            "    comparison:\n      - activity: a7\n        exists: 'yes'\n")
    with pytest.raises(CaseFileError) as info:
        ssm.read_ssm(path)
    lines = info.value.lines()
    assert any("'a' is used twice" in line for line in lines)
    assert any("'b' is not the id of a worldview" in line and "Use one of: a, a" in line for line in lines)
    assert any("'a9' is not an activity of model 'm'" in line for line in lines)
    assert any("line 13" in line and "'a7' is not an activity" in line for line in lines)


def test_bad_yaml_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="not valid YAML"):
        ssm.read_ssm(_write(tmp_path, "situation: [unclosed\n"))
    with pytest.raises(CaseFileError, match="empty"):
        ssm.read_ssm(_write(tmp_path, ""))
    with pytest.raises(CaseFileError, match="top level"):
        ssm.read_ssm(_write(tmp_path, "- a\n- b\n"))


def test_save_to_own_case_and_refuse_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    folder = tmp_path / "mine"
    path = ssm.save_ssm(record, folder)
    assert ssm.read_ssm(path) == record
    with pytest.raises(CaseExistsError):
        ssm.save_ssm(record, folder, overwrite=False)
    shipped = case.load("plymouth-alliance").path
    before = (shipped / "ssm.yaml").read_bytes()
    with pytest.raises(CaseExistsError, match="stp new-case"):
        ssm.save_ssm(record, shipped)
    assert (shipped / "ssm.yaml").read_bytes() == before


def test_tables_and_changes() -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    table = ssm.catwoe_table(record.worldviews)
    assert list(table.columns) == ["carer", "council"]
    assert table.loc["T transformation", "carer"] == "need for respite care → need for respite care met"
    assert table.loc["P what", "council"] == "keep carers at risk of breakdown able to keep caring"
    assert ssm.five_es_table(record.worldviews).loc["elegance", "carer"] == ""
    model = record.models[0]
    comp = ssm.comparison_table(model)
    assert list(comp.index) == [a.id for a in model.activities]
    assert comp.loc["a2", "exists"] == "no"
    assert ssm.changes_to_act_on(model) == ["a1: Ask GPs to refer carers"]
    uncovered = model.model_copy(update={"comparison": model.comparison[:2]})
    assert ssm.comparison_table(uncovered).loc["a5", "exists"] == "not compared"
    assert list(ssm.stages_table().index) == [1, 2, 3, 4, 5, 6, 7]


def test_report_section_has_root_definitions_model_and_comparison() -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    text = ssm.report_markdown(record, cite="a test").text
    assert text.startswith("## Soft Systems Methodology")
    assert f"- **carer** (carers' group): {ssm.root_definition(record.worldviews[0])}" in text
    assert "### Activity model carer-model (from carer)" in text
    assert "| Find carers who need a break | partly |" in text
    assert "**Changes both desirable and feasible:** a1: Ask GPs to refer carers" in text
    assert "Source: a test." in text


def test_drawing_marks_isolated_activities_and_refuses_empty() -> None:
    record = ssm.read_ssm(FIXTURES / "respite.yaml")
    model = record.models[0]
    drawing = draw_activity_model(model)
    assert repr(drawing) == ("Activity model carer-model: 5 operational activities, 7 dependencies; "
                             "monitoring and control: 3")
    assert drawing.html.count('class="ssm-activity"') == 8 and drawing.html.count('class="ssm-dependency"') == 7
    lonely = model.model_copy(update={"activities": [*model.activities, ssm.Activity(id="x", label="Wait")]})
    assert "isolated: x" in repr(draw_activity_model(lonely)) and ">isolated<" in draw_activity_model(lonely).html
    cyclic = model.model_copy(update={"activities": [a.model_copy(update={"after": ["a5"]}) if a.id == "a1" else a
                                                     for a in model.activities]})
    assert "5 operational activities, 8 dependencies" in repr(draw_activity_model(cyclic))
    with pytest.raises(GraphError, match="no activities"):
        draw_activity_model(model.model_copy(update={"activities": []}))


def test_rich_picture_image_is_named_present_and_valid(tmp_path: Path) -> None:
    text = (FIXTURES / "respite.yaml").read_text(encoding="utf-8").replace(
        "  practitioner:", "  image: rich_picture.png\n  practitioner:")
    path = _write(tmp_path, text)
    with pytest.raises(CaseFileError, match="rich_picture.png is named but not in the case folder"):
        ssm.read_ssm(path)
    (tmp_path / "rich_picture.png").write_bytes(b"GIF89a" + bytes(10))
    with pytest.raises(CaseFileError, match="GIF image"):
        ssm.read_ssm(path)
    (tmp_path / "rich_picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10))
    assert ssm.read_ssm(path).rich_picture.image == "rich_picture.png"
    with pytest.raises(CaseFileError, match="not a rich picture file name"):
        ssm.read_ssm(_write(tmp_path, text.replace("image: rich_picture.png", "image: ../secret.png")))
