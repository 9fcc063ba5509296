"""The CLD editor without a browser: edits redraw loops and chart, bad input is reported, saving is safe."""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx
import pytest

from stp_helpers import case, charts, cld
from stp_helpers.io.cld_csv import read_case_cld
from stp_helpers.widgets.cld_editor import CldEditor

SLUG = "wiltshire-complex-needs"
ERROR = '<div class="stp-error"'


def _title(graph: nx.DiGraph) -> str:
    loops = cld.find_loops(graph)
    top = cld.rank_variables(graph, loops).iloc[0]
    return f"{top['label']} sits in {top['loops']} of {len(loops)} loop{'s' if len(loops) != 1 else ''}"


def _same(a: nx.DiGraph, b: nx.DiGraph) -> bool:
    return (dict(a.nodes(data=True)) == dict(b.nodes(data=True))
            and sorted(a.edges(data=True)) == sorted(b.edges(data=True)))


@pytest.fixture
def chain() -> nx.DiGraph:
    graph, _ = cld.build_cld([("a", "b", "+"), ("b", "c", "+"), ("c", "a", "-"), ("c", "d", "+")])
    return graph


def test_opens_a_case_with_its_loops() -> None:
    app = CldEditor.from_case(SLUG)
    graph = read_case_cld(case.load(SLUG).artefact_path("cld.csv")).graph
    assert _same(app.graph, graph)
    assert app.title == _title(graph)
    assert app.loop.options[0][1] is None
    assert [v for _, v in app.loop.options[1:]] == cld.find_loops(graph).ids()
    assert repr(app).startswith("CldEditor: 16 variables, 25 links, 15 loops; ")


def test_adding_a_link_that_closes_a_loop_redraws_everything(chain: nx.DiGraph) -> None:
    app = CldEditor(chain)
    assert len(app.loops) == 1 and app.title == _title(chain)
    app.source.value, app.target.value = "d", "b"
    app.polarity.value, app.delay.value = "-", True
    app.add_link_button.click()
    expected = chain.copy()
    expected.add_edge("d", "b", polarity="-", delay=True, note="")
    found = cld.find_loops(expected)
    assert len(app.loops) == len(found) == 2
    assert app.loops.ids() == found.ids()
    assert app.title == _title(expected) and app.title != _title(chain)
    assert app.chart.chart.to_dict()["description"].startswith(app.title)  # title and subtitle carry the finding
    assert app.drawing.value.count('class="cld-link') == 5 and "||" in app.drawing.value
    assert ERROR not in app.status.value and "2 loops" in app.status.value
    assert chain.number_of_edges() == 4, "the graph passed in is not changed"


def test_choosing_a_loop_highlights_it(chain: nx.DiGraph) -> None:
    app = CldEditor(chain)
    app.loop.value = "B1"
    assert charts.BALANCING in app.drawing.value and ">B1<" in app.drawing.value
    app.loop.value = None
    assert charts.BALANCING not in app.drawing.value


def test_adding_and_removing_a_variable(chain: nx.DiGraph) -> None:
    app = CldEditor(chain)
    app.variable.value = "Staff morale"
    app.add_variable_button.click()
    assert app.graph.nodes["staff_morale"]["label"] == "Staff morale"
    assert ("Staff morale", "staff_morale") in app.source.options
    app.add_link("staff_morale", "a", "+")
    app.add_link("b", "Staff morale", "+")
    assert len(app.loops) == 2
    app.variable.value = "staff_morale"
    app.remove_variable_button.click()
    assert "staff_morale" not in app.graph and len(app.loops) == 1
    app.remove_link("c", "a")
    assert len(app.loops) == 0 and app.title.startswith("No feedback loops yet")


@pytest.mark.parametrize("action,message", [
    (lambda app: app.add_link("a", "nobody", "+"), "'nobody' is not a variable"),
    (lambda app: app.add_link("a", "b", "+"), "already in the map"),
    (lambda app: app.add_link("a", "a", "+"), "cannot cause itself"),
    (lambda app: app.add_link("a", "c", "maybe"), "not a link polarity"),
    (lambda app: app.remove_link("b", "a"), "no link b → a"),
    (lambda app: app.add_variable("A"), "already a variable"),
    (lambda app: app.add_variable("  "), "Type the variable's name"),
    (lambda app: app.remove_variable("nobody"), "'nobody' is not a variable"),
])
def test_bad_input_shows_a_message_and_leaves_the_graph(chain: nx.DiGraph, action: object, message: str) -> None:
    app = CldEditor(chain)
    before, drawing, title = app.graph.copy(), app.drawing.value, app.title
    action(app)
    assert app.status.value.startswith(ERROR) and message in html.unescape(app.status.value)
    assert _same(app.graph, before) and app.drawing.value == drawing and app.title == title


def test_save_to_a_user_case_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    folder = case.new_case("my-map", template=SLUG)
    app = CldEditor.from_case("my-map")
    assert app._folder == folder
    app.variable.value = "staff morale"
    app.add_variable_button.click()
    app.add_link("staff morale", "early_intervention", "+", True)
    app.add_link("frontline_workload", "staff morale", "-")
    app.save_button.click()
    assert ERROR not in app.status.value and "Saved 27 links" in app.status.value
    back = read_case_cld(folder / "cld.csv").graph
    assert _same(back, app.graph)
    assert not list(folder.glob(".*.tmp")), "no temporary files left behind"


def test_save_to_a_shipped_case_is_refused(tmp_path: Path) -> None:
    shipped = case.load(SLUG).path
    before = {p.name: p.read_bytes() for p in shipped.iterdir()}
    app = CldEditor.from_case(SLUG)
    app.add_link("shared_view", "joint_working", "+")
    app.save_button.click()
    assert app.status.value.startswith(ERROR)
    assert "shipped with the workbook" in html.unescape(app.status.value) and "stp new-case" in html.unescape(app.status.value)
    assert {p.name: p.read_bytes() for p in shipped.iterdir()} == before


def test_save_without_a_folder_explains(chain: nx.DiGraph) -> None:
    app = CldEditor(chain)
    app.save()
    assert app.status.value.startswith(ERROR) and "no case folder" in app.status.value


def test_refuses_what_is_not_a_map() -> None:
    with pytest.raises(TypeError):
        CldEditor([("a", "b", "+")])
