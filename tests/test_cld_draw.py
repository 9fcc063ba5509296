"""Drawing a CLD as inline SVG: every variable, link, polarity and delay mark, the highlighted loop."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from stp_helpers import case, charts, cld
from stp_helpers.charts.cld_draw import draw_cld, focus, loop_count_chart
from stp_helpers.errors import GraphError
from stp_helpers.io.cld_csv import read_case_cld

def _case_graph(slug: str) -> nx.DiGraph:
    return read_case_cld(case.load(slug).artefact_path("cld.csv")).graph


def test_one_text_per_variable_and_one_path_per_link(cld_t1: nx.DiGraph) -> None:
    svg = draw_cld(cld_t1).html
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert len(re.findall(r'<text class="cld-variable"', svg)) == 5
    assert len(re.findall(r"<path ", svg)) == 9
    assert len(re.findall(r'class="cld-polarity"[^>]*>\+<', svg)) == 5
    assert len(re.findall(r'class="cld-polarity"[^>]*>\u2212<', svg)) == 4
    assert len(re.findall(r'class="cld-delay"[^>]*>\|\|<', svg)) == 3
    assert charts.REINFORCING not in svg and "cld-loop-label" not in svg


def test_labels_are_large_enough_and_escaped() -> None:
    graph, _ = cld.build_cld([("a", "b", "+"), ("b", "a", "-")],
                             [("a", "Fish & <chips>"), ("b", "b")])
    svg = draw_cld(graph).html
    sizes = [int(s) for s in re.findall(r'class="cld-variable"[^>]*font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 14
    assert "Fish &amp; &lt;chips&gt;" in svg


@pytest.mark.parametrize("loop_id,colour", [("R2", charts.REINFORCING), ("B1", charts.BALANCING)])
def test_highlighted_loop_is_coloured_and_labelled(cld_t1: nx.DiGraph, loop_id: str, colour: str) -> None:
    loop = cld.find_loops(cld_t1)[loop_id]
    shown = draw_cld(cld_t1, loop_id)
    assert repr(shown) == f"CLD: 5 variables, 9 links; highlighted {loop_id}"
    on_loop = re.findall(r'<path class="cld-link cld-on-loop"[^>]*stroke="([^"]+)"', shown.html)
    assert len(on_loop) == loop.length and set(on_loop) == {colour}
    assert re.search(rf'class="cld-loop-label"[^>]*fill="{colour}"[^>]*>{loop_id}<', shown.html)
    assert draw_cld(cld_t1, loop).html == shown.html


def test_drawing_is_deterministic_for_a_case() -> None:
    graph = _case_graph("wiltshire-complex-needs")
    first = draw_cld(graph, "R1")
    assert first.html == draw_cld(graph.copy(), "R1").html
    assert repr(first) == "CLD: 16 variables, 25 links; highlighted R1"


def test_empty_graph_and_unknown_loop_give_clear_messages(cld_t1: nx.DiGraph) -> None:
    with pytest.raises(GraphError, match="The diagram has no variables to draw"):
        draw_cld(nx.DiGraph())
    with pytest.raises(GraphError, match="no loop 'R9'.*B1, B2, R1, R2, R3"):
        draw_cld(cld_t1, "R9")
    with pytest.raises(TypeError):
        draw_cld([("a", "b", "+")])


def test_a_variable_without_links_is_drawn() -> None:
    graph = nx.DiGraph()
    graph.add_node("alone", label="alone", description="")
    assert draw_cld(graph).html.count('class="cld-variable"') == 1


@pytest.mark.parametrize("slug", ["wiltshire-complex-needs", "plymouth-alliance"])
def test_loop_count_chart_states_the_leading_variable(slug: str) -> None:
    graph = _case_graph(slug)
    loops = cld.find_loops(graph)
    ranking = cld.rank_variables(graph, loops)
    top = ranking.iloc[0]
    chart = loop_count_chart(graph, loops, subtitle="a case")
    assert charts.chart_title(chart) == f"{top['label']} sits in {top['loops']} of {len(loops)} loops"


def test_loop_count_chart_without_loops() -> None:
    graph, _ = cld.build_cld([("a", "b", "+")])
    assert charts.chart_title(loop_count_chart(graph)).startswith("No feedback loops yet")
    with pytest.raises(GraphError):
        loop_count_chart(nx.DiGraph())


def test_focus_keeps_the_part_and_refuses_unknown_names() -> None:
    graph = _case_graph("wiltshire-complex-needs")
    part = focus(graph, ["unmet_need", "crisis contacts", "reactive_interventions"])
    assert sorted(part.edges) == [("crisis_contacts", "reactive_interventions"),
                                  ("reactive_interventions", "unmet_need"),
                                  ("unmet_need", "crisis_contacts")]
    part.remove_node("unmet_need")
    assert "unmet_need" in graph
    with pytest.raises(GraphError, match="'nobody'"):
        focus(graph, ["nobody"])


# --- stable diagrams: positions kept across edits, loop ids by content, marker ids per drawing ---

def test_editor_keeps_positions_and_loop_ids_when_adding(cld_t1) -> None:
    import re as _re

    from stp_helpers.widgets.cld_editor import CldEditor

    editor = CldEditor(cld_t1)
    before = dict(editor.positions)
    ids_before = {tuple(lp.variables): lp.id for lp in editor.loops}
    editor.add_variable("staff morale")
    editor.add_link("W", "staff morale", "-")
    editor.add_link("staff morale", "S", "-")
    assert all(editor.positions[v] == before[v] for v in before)
    assert "staff_morale" in editor.positions
    ids_after = {tuple(lp.variables): lp.id for lp in editor.loops}
    assert all(ids_after[k] == v for k, v in ids_before.items())
    assert len(ids_after) > len(ids_before)
    assert len(set(ids_after.values())) == len(ids_after)  # a new loop takes a free id
    drawn = {v: float(x) for v, x in _re.findall(
        r'data-id="([^"]+)"[^>]*><tspan x="([\d.]+)"', editor.drawing.value)}
    assert set(drawn) >= set(before)
    assert all(drawn[v] == round(before[v][0], 1) for v in before)  # the drawing uses the kept positions


def test_marker_ids_differ_between_drawings_of_one_page(cld_t1) -> None:
    import re as _re

    plain = draw_cld(cld_t1).html
    highlighted = draw_cld(cld_t1, "R1").html
    ids = lambda svg: set(_re.findall(r'<marker id="([^"]+)"', svg))  # noqa: E731
    assert len(ids(plain)) == 2 and len(ids(highlighted)) == 2
    assert ids(plain).isdisjoint(ids(highlighted))
    for svg in (plain, highlighted):
        for ref in _re.findall(r'url\(#([^)]+)\)', svg):
            assert ref in ids(svg)


def test_svg_title_lists_every_loop(cld_t1) -> None:
    svg = draw_cld(cld_t1).html
    title = svg.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Causal loop diagram: 5 variables, 9 links, 5 loops.")
    for loop_id in ("B1", "B2", "R1", "R2", "R3"):
        assert f"{loop_id} (" in title
