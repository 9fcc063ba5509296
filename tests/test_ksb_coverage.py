"""Coverage of the standard counted from what is taught and assessed, not from what a notebook claims.

A cell tagged ``ksb:<ID>`` teaches that KSB; an exercise's check cell (``check:exN``) tagged ``ksb:<ID>``
assesses it.  The ``Standard:`` line of a notebook is its claim: the tags must stay within it.
"""

from __future__ import annotations

import json

import pytest

from stp_helpers import catalogue
from stp_helpers.standard import KSB_IDS, load_standard

NOTEBOOKS = [e for e in catalogue.entries() if catalogue.notebook_path(e).exists()]


def _cells(item: catalogue.Entry) -> list[dict]:
    return json.loads(catalogue.notebook_path(item).read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("item", NOTEBOOKS, ids=[e.path for e in NOTEBOOKS])
def test_every_tag_names_a_ksb_and_stays_within_the_claim(item: catalogue.Entry) -> None:
    claimed = set(catalogue.ksbs(item))
    for index, role, ids in catalogue.tagged_cells(item):
        assert set(ids) <= set(KSB_IDS), (index, ids)
        assert len(set(ids)) == len(ids), (index, "a KSB tagged twice")
        assert set(ids) <= claimed, (index, role, sorted(set(ids) - claimed), "not in the Standard: line")


@pytest.mark.parametrize("item", NOTEBOOKS, ids=[e.path for e in NOTEBOOKS])
def test_every_check_cell_assesses_a_ksb(item: catalogue.Entry) -> None:
    for index, cell in enumerate(_cells(item)):
        tags = cell.get("metadata", {}).get("tags", [])
        if any(t.startswith("check:") for t in tags):
            assert any(t.startswith(catalogue.KSB_TAG) for t in tags), (index, tags)


def test_tags_sit_on_code_cells() -> None:
    for item in NOTEBOOKS:
        for index, _, _ in catalogue.tagged_cells(item):
            assert _cells(item)[index]["cell_type"] == "code", (item.path, index)


def test_taught_and_assessed_read_the_tags() -> None:
    item = catalogue.entry("methods/cld.ipynb")
    assert catalogue.assessed(item) == ("K1", "S3")
    assert set(catalogue.taught(item)) <= set(catalogue.ksbs(item))
    assert catalogue.taught(catalogue.entry("index.ipynb")) == ()  # the gallery claims everything, teaches nothing


def test_the_ksb_table_says_where_each_ksb_is_taught_and_assessed() -> None:
    table = catalogue.ksb_table()
    assert list(table["KSB"]) == list(KSB_IDS)
    assert list(table.columns) == ["KSB", "title", "taught in", "assessed in", "claimed in"]
    assert table.set_index("KSB").loc["B9", "title"] == load_standard().ksb("B9").title
    row = table.set_index("KSB").loc["K4"]
    assert "foundations/law_and_safety.ipynb" in row["taught in"].split(", ")
    assert "foundations/law_and_safety.ipynb" in row["assessed in"].split(", ")
    for k in KSB_IDS:
        listed = table.set_index("KSB").loc[k]
        for column in ("taught in", "assessed in"):
            for path in filter(None, listed[column].split(", ")):
                assert path in listed["claimed in"].split(", "), (k, column, path)


def test_coverage_is_read_from_the_index_without_notebooks(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    expected = {e.path: (catalogue.ksbs(e), catalogue.taught(e), catalogue.assessed(e)) for e in NOTEBOOKS}
    monkeypatch.setattr(catalogue.paths, "NOTEBOOKS_DIR", tmp_path)  # an install with the package only
    for item in NOTEBOOKS:
        assert (catalogue.ksbs(item), catalogue.taught(item), catalogue.assessed(item)) == expected[item.path]
