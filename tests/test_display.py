"""Case text is escaped once, in stp_helpers.display, wherever it reaches Markdown or HTML."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from stp_helpers import case as cases
from stp_helpers import duties, paths, scoping
from stp_helpers.charts import cld_draw
from stp_helpers.display import HTML, Block, Markdown, bullets, escape_md, html, join, md, numbered, table_html
from stp_helpers.futures import options
from stp_helpers.ssm import definitions, records, report

ATTACK = '<img src=x onerror="alert(1)"> [go](javascript:alert(1)) $x$ *b* `c` | # _u_'


def no_markup(text: str) -> None:
    """The attack appears only in its escaped form: no tag can form, no Markdown construct is left."""
    assert "<img" not in text and "<script" not in text
    assert escape_md(ATTACK) in text


def test_md_escapes_values_never_the_template() -> None:
    out = md("**{a}** and *{b}*", a=ATTACK, b="plain")
    assert out.text.startswith("**&lt;img") and out.text.endswith("*plain*")
    no_markup(out.text)
    assert repr(out) == f"**{ATTACK}** and *plain*"


@pytest.mark.parametrize("value, expected", [
    ("a < b & c", "a &lt; b &amp; c"),
    ("[x](y)", "\\[x\\](y)"),
    ("$5 or $6", "\\$5 or \\$6"),
    ("- item", "\\- item"),
    ("2012. year", "2012\\. year"),
    ("one\ntwo", "one two"),
    ("a|b", "a\\|b"),
])
def test_escape_md_known_values(value: str, expected: str) -> None:
    assert escape_md(value) == expected


def test_block_keeps_paragraphs() -> None:
    assert escape_md(Block("first\nline\n\nsecond <b>")) == "first line\n\nsecond &lt;b&gt;"
    assert Markdown.literal("a\n\nb *c*").text == "a\n\nb \\*c\\*"


def test_html_escapes_text_and_attributes() -> None:
    out = html('<p title="{t}">{t}</p>', t='"><script>alert(1)</script>')
    assert out.html == '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' \
                       '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    assert isinstance(out, HTML) and repr(out) == '"><script>alert(1)</script>'


def test_missing_value_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        md("{a} {b}", a="x")
    with pytest.raises(TypeError):
        join(["raw text is refused"])  # type: ignore[list-item]


def test_lists_escape_each_item() -> None:
    assert bullets(["<b>", "ok"]).text == "- &lt;b&gt;\n- ok"
    assert numbered(["*a*"]).text == "1. \\*a\\*"


def test_table_html_left_aligns_text_has_no_index_and_escapes() -> None:
    frame = pd.DataFrame({"name": ["<b>x</b>", "long " * 40], "count": [3, 12345]})
    out = table_html(frame)
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x" not in out
    assert "text-align:left" in out and "text-align:right" in out
    assert "…" not in out and ("long " * 40).strip() in out
    assert ">0<" not in out and ">1<" not in out  # no index column


@pytest.fixture
def hostile_case(tmp_path: pytest.TempPathFactory) -> cases.Case:
    folder = tmp_path / "wiltshire-complex-needs"
    shutil.copytree(paths.shipped_cases_dir() / "wiltshire-complex-needs", folder)
    meta = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    meta["title"] = ATTACK
    meta["organisation"] = ATTACK
    meta["summary"] = ATTACK + "\n\nSecond paragraph " + ATTACK
    meta["synopsis"] = [ATTACK, "calm"]
    meta["questions"] = [ATTACK]
    for source in meta["sources"]:
        source["title"] = ATTACK
    (folder / "case.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return cases.load(folder)


def test_scoping_sinks_escape_case_text(hostile_case: cases.Case) -> None:
    for out in (scoping.case_card(hostile_case), scoping.synopsis(hostile_case), scoping.questions(hostile_case)):
        no_markup(out.text)
        assert ATTACK in repr(out)


def test_duty_note_escapes_case_title(hostile_case: cases.Case, tmp_path) -> None:
    bare = tmp_path / "bare" / hostile_case.slug
    bare.mkdir(parents=True)
    meta = yaml.safe_load((hostile_case.path / "case.yaml").read_text(encoding="utf-8"))
    meta["artefacts"] = []
    (bare / "case.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    note = duties.activity_app(cases.load(bare), 7)
    assert isinstance(note, Markdown)
    no_markup(note.text)


def test_archetype_notes_and_ssm_report_escape_labels() -> None:
    from stp_helpers.cld import build_cld, find_archetypes

    graph, _ = build_cld([("a", "b", "+"), ("b", "a", "-"), ("b", "c", "+"), ("c", "a", "+")],
                         [("a", ATTACK), ("b", "b"), ("c", "c")])
    notes = cld_draw.archetype_notes(find_archetypes(graph))
    assert "<img" not in notes.text
    rec = records.SsmRecord(situation=ATTACK, worldviews=[definitions.make_catwoe("carer", owners=ATTACK)])
    written = report.report_markdown(rec)
    no_markup(written.text)
    assert written.text.startswith("## Soft Systems Methodology")


def test_trade_offs_escape_option_and_criterion_names() -> None:
    scores = pd.DataFrame({ATTACK: [1.0, 3.0], "cost": [5.0, 2.0]}, index=pd.Index([ATTACK + " A", "plain B"], name="option"))
    scores.columns.name = "criterion"
    appraisal = options.Appraisal(scores=scores, weights=pd.Series({ATTACK: 0.5, "cost": 0.5}),
                                  better=pd.Series({ATTACK: "higher", "cost": "lower"}),
                                  units=pd.Series({ATTACK: "", "cost": "£k"}))
    out = options.trade_offs(appraisal)
    no_markup(out.text)
    assert ATTACK in repr(out)
