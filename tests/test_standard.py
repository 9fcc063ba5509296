"""The standard as data, and the coverage matrix the gallery shows."""

from __future__ import annotations

import pytest

from stp_helpers import catalogue
from stp_helpers.errors import StpError
from stp_helpers.standard import KSB_IDS, load_standard


def test_standard_has_every_duty_and_ksb() -> None:
    std = load_standard()
    assert [d.number for d in std.duties] == list(range(1, 13))
    assert [k.id for k in std.ksbs] == list(KSB_IDS) and len(KSB_IDS) == 25
    assert std.licence == "Open Government Licence v3.0"
    # Spot checks against the published text.
    assert std.duty(1).criteria.startswith("Clear, agreed scoping statements and contracting with key decision-makers")
    assert std.ksb("K2").title == "Systems approaches" and std.ksb("B9").title == "Open-minded"
    assert std.duty(8).text.startswith("Use collaborative futures thinking techniques")


def test_derived_mapping_matches_methods_reference() -> None:
    std = load_standard()
    # methods.md section 0, duty 7: K1 K2; S1 S3 S4 S6; B2 B3 B6 (+ S9, B1, B7 for every duty), with S5 and S10
    # derived from "identify individuals and groups able to influence change"; likewise S5 on duty 3, S5 and S10 on 12.
    assert std.ksbs_of(7) == ("K1", "K2", "S1", "S3", "S4", "S5", "S6", "S9", "S10", "B1", "B2", "B3", "B6", "B7")
    assert "S5" in std.ksbs_of(3) and {"S5", "S10"} <= set(std.ksbs_of(12))
    assert std.duties_of("S9") == tuple(range(1, 13))
    assert std.duties_of("K5") == (10, 12)
    every = {k for d in range(1, 13) for k in std.ksbs_of(d)}
    assert every == set(KSB_IDS), "every KSB is drawn on by at least one duty"


def test_bad_lookups() -> None:
    std = load_standard()
    with pytest.raises(StpError, match="13 is not a duty"):
        std.duty(13)
    with pytest.raises(StpError, match="'X1' is not a KSB"):
        std.ksb("X1")


def test_ksbs_parse_ranges_and_lists() -> None:
    assert catalogue.ksbs(catalogue.entry("index.ipynb")) == KSB_IDS
    assert catalogue.ksbs(catalogue.entry("cases/wiltshire.ipynb")) == KSB_IDS  # listed one by one
    assert catalogue.ksbs(catalogue.entry("methods/vsm.ipynb")) == ("K1", "K2", "S1", "S3", "S4", "S6", "B3")


def test_coverage_matrix_lists_every_ksb_of_the_standard() -> None:
    matrix = catalogue.coverage_matrix()
    assert list(matrix.columns) == [f"Duty {d}" for d in range(1, 13)] + list(KSB_IDS)
    assert set(matrix.index) == {e.title for e in catalogue.entries() if e.kind != "gallery"}
    for item in catalogue.entries():
        if item.kind != "gallery":
            row = matrix.loc[item.title]
            assert {k for k in KSB_IDS if row[k]} == set(catalogue.taught(item)) | set(catalogue.assessed(item))


def test_every_ksb_is_claimed_and_taught_or_assessed() -> None:
    """Every KSB is claimed by a notebook and taught or assessed by a tagged cell of one.

    B7 (resilient) was the last gap; the learning and change notebook now teaches it.
    """
    matrix = catalogue.coverage_matrix()
    assert [k for k in KSB_IDS if not matrix[k].any()] == []
    claimed = {k for e in catalogue.entries() if e.kind != "gallery" for k in catalogue.ksbs(e)}
    assert claimed == set(KSB_IDS)
    assert all(matrix[f"Duty {d}"].any() for d in range(1, 13))


def test_ksb_index_matches_the_notebooks() -> None:
    """The copy of each notebook's KSBs shipped in the package (for installs without notebooks) is current.

    After changing a notebook's "Standard:" line or its ksb: tags, run scripts/refresh_notebooks.py (it rewrites
    the copy).
    """
    import json

    index = json.loads(catalogue.KSB_INDEX.read_text(encoding="utf-8"))
    assert index == {e.path: {"claimed": list(catalogue.ksbs(e)), "taught": list(catalogue.taught(e)),
                              "assessed": list(catalogue.assessed(e))} for e in catalogue.CATALOGUE}
