"""The root definition builder without a browser: typing updates sentence and feedback; save and reload."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case, charts, ssm
from stp_helpers.widgets.ssm_builder import RootDefinitionBuilder

ERROR = '<div class="stp-error"'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"  # 1×1 px


@pytest.fixture
def own_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    return case.new_case("my-plymouth", template="plymouth-alliance")


def test_opens_a_case_with_its_worldviews() -> None:
    app = RootDefinitionBuilder.from_case("plymouth-alliance")
    record = ssm.read_ssm(case.load("plymouth-alliance").artefact_path("ssm.yaml"))
    assert app.record == record
    assert list(app.worldview.options) == ["provider", "assurance"]
    assert app.fields["T input"].value == record.worldviews[0].transformation.input
    assert ssm.root_definition(record.worldviews[0]).split(" by the work")[0][:60] in app.sentence.value
    assert "provider-model" in app.drawing.value and 'class="ssm-activity"' in app.drawing.value
    assert charts.chart_title(app.chart.chart) == "Every worldview passes all 8 CATWOE checks"
    assert repr(app) == "RootDefinitionBuilder: 2 worldviews (provider, assurance); editing provider; 8 of 8 checks pass"


def test_typing_a_t_error_updates_sentence_feedback_table_and_chart() -> None:
    app = RootDefinitionBuilder.from_case("plymouth-alliance")
    app.fields["T input"].value = "funding"
    app.fields["T output"].value = "services"
    assert "to turn funding into services by" in app.sentence.value
    assert "T-error: &#x27;funding&#x27; is a resource" in app.feedback.value
    assert "funding → services" in app.side_by_side.value
    assert charts.chart_title(app.chart.chart) == "provider has the most to look at: 1 of 8 checks"
    assert app.record.worldviews[0].transformation.input == "funding"
    assert app.status.value == ""


def test_pqr_placeholders_follow_catwoe_and_own_words_win() -> None:
    app = RootDefinitionBuilder.from_case("plymouth-alliance")
    app.fields["A actors"].value = "peer mentors"
    app.fields["T input"].value = "people in crisis"
    assert app.fields["P what"].placeholder.startswith("generated: turn people in crisis into")
    assert app.fields["Q how"].placeholder == "write how it is done (the means)"
    assert app.fields["R why"].placeholder == "write the longer-term aim T serves (not W)"
    app.fields["Q how"].value = "Pooling budgets"
    assert "by pooling budgets in order to" in app.sentence.value


def test_switching_and_adding_worldviews() -> None:
    app = RootDefinitionBuilder.from_case("wiltshire-complex-needs")
    app.worldview.value = "person"
    assert app.fields["Stakeholder"].value == "the woman at the centre of the case study"
    assert "person-model" in app.drawing.value
    app.worldview.value = "council"
    assert "No activity model for council yet" in app.drawing.value
    app.add_worldview("police")
    assert app.worldview.value == "police" and app.fields["C customers"].value == ""
    assert "RD-1" in app.feedback.value and "Added worldview police" in app.status.value
    app.add_worldview("police")
    assert ERROR in app.status.value and "already a worldview" in app.status.value
    app.add_worldview("two words")
    assert ERROR in app.status.value and len(app.record.worldviews) == 3


def test_save_and_reload_in_own_case(own_case: Path) -> None:
    app = RootDefinitionBuilder.from_case("my-plymouth")
    app.fields["W worldview"].value = "Cooperation beats competition"
    app.fields["T output"].value = "reports"  # a T-error: saving is never blocked
    app.save_button.click()
    assert ERROR not in app.status.value and "Saved 2 worldviews to ssm.yaml" in app.status.value
    again = RootDefinitionBuilder.from_case("my-plymouth")
    assert again.record == app.record
    assert again.fields["W worldview"].value == "Cooperation beats competition"


def test_shipped_case_refuses_to_save_and_keeps_the_edits() -> None:
    app = RootDefinitionBuilder.from_case("plymouth-alliance")
    path = case.load("plymouth-alliance").artefact_path("ssm.yaml")
    before = path.read_bytes()
    app.fields["O owners"].value = "the alliance"
    app.save_button.click()
    assert ERROR in app.status.value and "stp new-case" in app.status.value
    assert path.read_bytes() == before and app.record.worldviews[0].owners == "the alliance"


def test_rich_picture_upload(own_case: Path) -> None:
    app = RootDefinitionBuilder.from_case("my-plymouth")
    app.attach_picture(b"GIF89a....", "drawing.png")
    assert ERROR in app.status.value and "GIF" in app.status.value
    assert app.record.rich_picture.image is None
    app.attach_picture(PNG, "drawing.png")
    assert app.record.rich_picture.image == "rich_picture.png"
    assert (own_case / "rich_picture.png").read_bytes() == PNG


def test_uploads_over_the_limit_never_reach_the_case(own_case: Path) -> None:
    from stp_helpers.ssm.rich_picture import MAX_IMAGE_BYTES

    app = RootDefinitionBuilder.from_case("my-plymouth")
    assert app.upload.max_bytes == MAX_IMAGE_BYTES
    # refused in the browser: only the name and size arrive
    app.upload.receive({"event": "refused", "name": "../../big.png", "size": 40_000_000}, [])
    assert "big.png is 40.0 MB, more than the 5.2 MB limit" in app.status.value
    # a forged message carrying too much is refused in the kernel too
    app.upload.receive({"event": "file", "name": "sly.png", "size": 10}, [PNG + bytes(MAX_IMAGE_BYTES)])
    assert "sly.png is 5.2 MB, more than the 5.2 MB limit" in app.status.value
    app.upload.receive("not a message", None)
    assert not list(own_case.glob("rich_picture*")) and app.record.rich_picture.image is None
    app.upload.receive({"event": "file", "name": "drawing.png", "size": len(PNG)}, [memoryview(PNG)])
    assert (own_case / "rich_picture.png").read_bytes() == PNG


def test_a_case_without_records_starts_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    case.new_case("blank")
    app = RootDefinitionBuilder.from_case("blank")
    assert [w.id for w in app.record.worldviews] == ["my-view"]
    assert app.sentence.value.count("…") == 3
    with pytest.raises(TypeError):
        RootDefinitionBuilder("plymouth-alliance")  # type: ignore[arg-type]
