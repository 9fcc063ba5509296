"""The VSM drawing and the variety chart: elements present in the SVG, highlighting, levels, limits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stp_helpers import charts, vsm
from stp_helpers.charts.vsm import variety_chart, variety_finding
from stp_helpers.vsm.diagnosis import diagnose
from stp_helpers.vsm.variety import variety_balance
from stp_helpers.charts.vsm_draw import CHANNEL_STYLES, MAX_DRAWN_UNITS, PATHOLOGY, draw_levels, draw_vsm

FIXTURES = Path(__file__).parent / "fixtures" / "vsm"
SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    return ET.fromstring(html)


def test_t1_drawing_has_every_element() -> None:
    desc = vsm.read_vsm(FIXTURES / "vsm_t1.yaml")
    drawing = draw_vsm(desc)
    root = _svg(drawing.html)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    systems = {g.get("data-system"): g.get("class") for g in root.iter(f"{SVG}g") if g.get("data-system")}
    assert set(systems) == {"S5", "S4", "S3", "S3*", "S2"}
    assert "vsm-missing" in systems["S4"] and "vsm-missing" in systems["S3*"]
    assert "vsm-missing" not in systems["S2"] and "vsm-missing" not in systems["S3"]
    # VSM-6 outlines S5 and S3, VSM-4 S3*, VSM-5 S4
    for key in ("S5", "S3", "S3*", "S4"):
        assert "vsm-pathology" in systems[key]
    assert "vsm-pathology" not in systems["S2"]
    units = [g.get("data-unit") for g in root.iter(f"{SVG}g") if g.get("data-unit")]
    assert units == ["housing", "children", "police"]
    assert len(re.findall(r'class="vsm-environment"', drawing.html)) == 3
    assert drawing.html.count('class="vsm-channel vsm-coordination"') == 3
    assert drawing.html.count('class="vsm-channel vsm-resource-bargain"') == 3
    badges = " ".join(b.get("data-rules") for b in root.iter(f"{SVG}text") if b.get("data-rules"))
    for rule in ("VSM-4", "VSM-5", "VSM-6", "VSM-7", "VSM-8"):
        assert rule in badges
    assert PATHOLOGY in drawing.html
    assert repr(drawing) == ("VSM level 0, Partnership: 3 System 1 units, 6 channels; pathologies highlighted: "
                             "VSM-4, VSM-5, VSM-6, VSM-7, VSM-8")
    assert all(label in drawing.html for _, _, label in CHANNEL_STYLES.values())  # the key


def test_drawing_is_deterministic_and_offline() -> None:
    desc = vsm.from_case("plymouth-alliance")
    first, second = draw_levels(desc).html, draw_levels(desc).html
    assert first == second
    assert "http://" not in first.replace("http://www.w3.org/2000/svg", "") and "https://" not in first
    assert "<script" not in first


def test_levels_link_down_and_up() -> None:
    desc = vsm.from_case("plymouth-alliance")
    drawing = draw_levels(desc)
    assert 'id="vsm-level-plymouth-alliance"' in drawing.html and 'id="vsm-level-plymouth-housing"' in drawing.html
    assert 'href="#vsm-level-plymouth-housing"' in drawing.html and 'href="#vsm-level-plymouth-alliance"' in drawing.html
    assert len(repr(drawing).splitlines()) == 2
    lower = draw_vsm(desc, "plymouth-housing")
    assert repr(lower).startswith("VSM level 1, Housing and homelessness services (one level down): 3 System 1 units")
    assert "▲ up to Plymouth alliance for complex needs" in lower.html


def test_no_highlight_and_healthy_drawings() -> None:
    desc = vsm.read_vsm(FIXTURES / "vsm_t1.yaml")
    plain = draw_vsm(desc, highlight=False)
    assert "vsm-pathology" not in plain.html and "pathologies" not in repr(plain)


def test_too_many_units_to_draw() -> None:
    units = [(f"u{i}", f"Unit {i}", "people") for i in range(MAX_DRAWN_UNITS + 1)]
    desc = vsm.build_description("Big", units)
    with pytest.raises(vsm.VsmError, match=f"{MAX_DRAWN_UNITS + 1} System 1 units"):
        draw_vsm(desc)
    assert len(diagnose(desc).warnings()) == MAX_DRAWN_UNITS + 1  # the diagnosis still covers them


def test_variety_chart_titles_state_the_finding() -> None:
    desc = vsm.from_case("wiltshire-complex-needs")
    chart = variety_chart(desc, subtitle="Wiltshire")
    title = charts.chart_title(chart)
    worst = variety_balance(desc).sort_values("gap_bits", ascending=False).iloc[0]
    assert title.startswith(f"{worst['unit']}: operations are {worst['gap_bits']:.1f} bits short")
    spec = chart.to_dict()
    assert "bits" in spec["layer"][0]["encoding"]["x"]["title"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == [charts.REINFORCING, charts.BALANCING]
    empty = vsm.build_description("T", [("a", "A", "e")])
    assert charts.chart_title(variety_chart(empty)).startswith("No variety estimates yet")
    assert variety_finding(variety_balance(vsm.from_case("plymouth-alliance"), "plymouth-housing")).startswith("No variety")
