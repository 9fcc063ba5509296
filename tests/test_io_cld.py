"""Tests for the CLD readers and writers in stp_helpers.io.

Expected values: CLD-T1 (methods.md §2.4), the LOOPY table in
tests/data/cld/README.md, and the Vensim sample sketches read by hand.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from conftest import CLD_T1_LINKS, data_file

from stp_helpers import cld
from stp_helpers.errors import CaseExistsError, CaseFileError, StpError
from stp_helpers.io.cld_csv import read_cld_csv, write_cld_csv
from stp_helpers.io.dot import to_dot, write_dot
from stp_helpers.io.graphml import read_graphml, write_graphml
from stp_helpers.io.kumu import read_kumu, write_kumu
from stp_helpers.io.loopy import read_loopy
from stp_helpers.io.vensim_sketch import read_vensim_sketch

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cld"


def rows(problem_error: CaseFileError) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problem_error.problems]


def same_cld(a: nx.DiGraph, b: nx.DiGraph) -> bool:
    nodes = lambda g: {v: (d.get("label", v), d.get("description", "")) for v, d in g.nodes(data=True)}  # noqa: E731
    edges = lambda g: {(u, v): (d["polarity"], bool(d["delay"]), d.get("note", ""))  # noqa: E731
                       for u, v, d in g.edges(data=True)}
    return nodes(a) == nodes(b) and edges(a) == edges(b)


@pytest.fixture()
def t1() -> nx.DiGraph:
    return read_cld_csv(FIXTURES / "cld_t1.csv", FIXTURES / "cld_t1_variables.csv").graph


def mixed_graph() -> nx.DiGraph:
    graph, _ = cld.build_cld(
        [("a", "b", "+", True, "a note, with comma"), ("b", "a", "-"), ("b", "c", "?"),
         ("c", "c", "+")],
        [("a", "Alpha \"quoted\"", "first"), ("b", "Beta", ""), ("c", "Gamma", "third"),
         ("d", "Delta (no links)", "")])
    return graph


# --- CSV ----------------------------------------------------------------------

def test_csv_cld_t1(t1):
    # The case file holds CLD-T1 as conftest writes it, plus notes.
    assert {(u, v, p, d) for u, v, p, d in CLD_T1_LINKS} == {
        (u, v, e["polarity"], e["delay"]) for u, v, e in t1.edges(data=True)}
    loops = cld.find_loops(t1)
    assert loops.ids() == ["B1", "B2", "R1", "R2", "R3"]
    assert t1.nodes["U"]["label"] == "unmet need"
    assert t1.edges["W", "P"] == {"polarity": "-", "delay": True,
                                  "note": "workload pulls staff off prevention"}


def test_csv_maps_labels_people_write():
    result = read_cld_csv(FIXTURES / "messy_labels.csv")
    mapped = {m.written: (m.polarity, m.rows) for m in result.mapped}
    assert mapped == {"S": ("+", (2,)), "O": ("-", (3,)), "positive": ("+", (4,)),
                      "\u2212": ("-", (5,)), "\u2013": ("-", (6,)), "same": ("+", (7,)),
                      "pos": ("+", (8,)), "opposite": ("-", (9,))}
    # Same structure as CLD-T1, so the same five loops (3 R, 2 B).
    loops = cld.find_loops(result.graph)
    assert (loops.count("R"), loops.count("B")) == (3, 2)
    merged = [w for w in result.warnings if "read as" in w.problem]
    assert merged and merged[0].row == 3
    assert "'S' → '+'" in result.summary()


def test_csv_bad_rows_reported_together():
    with pytest.raises(CaseFileError) as err:
        read_cld_csv(FIXTURES / "bad_rows.csv")
    assert rows(err.value) == [(2, "polarity"), (3, "to"), (4, "delay"), (5, "polarity")]
    assert "'++' is not a link polarity" in str(err.value)
    assert "tests/fixtures/cld/bad_rows.csv, row 2" in str(err.value)


def test_csv_empty_file(tmp_path):
    path = tmp_path / "cld.csv"
    path.write_text("   \n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="is empty"):
        read_cld_csv(path)


def test_csv_header_only():
    with pytest.raises(CaseFileError, match="header but no links"):
        read_cld_csv(io.StringIO("from,to,polarity\n"))


def test_csv_missing_column():
    with pytest.raises(CaseFileError) as err:
        read_cld_csv(io.StringIO("from,to,sign_of_link\na,b,+\n"))
    assert rows(err.value) == [(1, "polarity")]


def test_csv_source_target_and_semicolons():
    result = read_cld_csv(io.StringIO("Source;Target;Polarity\nx;y;neg\n"))
    assert result.graph.edges["x", "y"]["polarity"] == "-"


def test_csv_undefined_variable_with_suggestion():
    variables = io.StringIO("id,label\nW,staff workload\nS,sickness\n")
    links = io.StringIO("from,to,polarity\nstaff workload,S,+\nstaf workload,S,+\n")
    with pytest.raises(CaseFileError) as err:
        read_cld_csv(links, variables)
    assert rows(err.value) == [(3, "from")]
    assert 'Did you mean "staff workload"' in str(err.value)


def test_csv_conflicting_polarity_is_cld_2_error():
    with pytest.raises(CaseFileError) as err:
        read_cld_csv(io.StringIO("from,to,polarity\na,b,+\nb,a,+\na,b,-\n"))
    assert rows(err.value) == [(4, "polarity")]
    assert "row 2" in str(err.value) and "CLD-2" in str(err.value)


def test_csv_duplicate_row_warns():
    result = read_cld_csv(io.StringIO("from,to,polarity\na,b,+\nb,a,+\na,b,+\n"))
    assert [(w.row, "repeats" in w.problem) for w in result.warnings] == [(4, True)]


def test_csv_not_utf8(tmp_path):
    path = tmp_path / "cld.csv"
    path.write_bytes("from,to,polarity\ncaf\xe9,b,+\n".encode("latin-1"))
    with pytest.raises(CaseFileError, match="not UTF-8"):
        read_cld_csv(path)


def test_csv_missing_file(tmp_path):
    with pytest.raises(CaseFileError, match="does not exist"):
        read_cld_csv(tmp_path / "nope.csv")


def test_csv_ten_thousand_variables():
    text = "from,to,polarity\n" + "".join(f"v{i},v{i + 1},+\n" for i in range(0, 10_000, 2))
    with pytest.raises(CaseFileError, match="10,000 variables"):
        read_cld_csv(io.StringIO(text))


def test_csv_round_trip(tmp_path):
    graph = mixed_graph()
    links, variables = tmp_path / "cld.csv", tmp_path / "cld_variables.csv"
    assert write_cld_csv(graph, links, variables) == []
    back = read_cld_csv(links, variables).graph
    assert same_cld(graph, back)


def test_csv_without_variables_file_warns():
    warnings = write_cld_csv(mixed_graph(), io.StringIO())
    assert "variables=" in warnings[0].fix and "a, b, c, d" in warnings[0].problem


def test_csv_write_refuses_overwrite(tmp_path, t1):
    path = tmp_path / "cld.csv"
    write_cld_csv(t1, path)
    with pytest.raises(CaseExistsError, match="already exists"):
        write_cld_csv(t1, path)
    write_cld_csv(t1, path, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["cld.csv"]  # no temporary files left


# --- Kumu ---------------------------------------------------------------------

def test_kumu_round_trip():
    graph = mixed_graph()
    buffer = io.StringIO()
    write_kumu(graph, buffer)
    assert same_cld(graph, read_kumu(io.StringIO(buffer.getvalue())).graph)


def test_kumu_labels_and_words():
    text = json.dumps({"elements": [{"label": "Trust"}, {"label": "Gaming", "Description": "g"}],
                       "connections": [{"from": "Trust", "to": "Gaming", "Type": "negative"},
                                       {"from": "Gaming", "to": "Trust", "type": "O",
                                        "Delay": "yes"}]})
    result = read_kumu(io.StringIO(text))
    assert result.graph.edges["Gaming", "Trust"] == {"polarity": "-", "delay": True, "note": ""}
    assert {m.written for m in result.mapped} == {"negative", "O"}
    assert result.graph.nodes["Gaming"]["description"] == "g"


@pytest.mark.parametrize("text, message", [
    ('{"elements": [', "not valid JSON"),
    ("[1, 2]", 'no "elements" list'),
    ('{"elements": []}', 'no "connections" list'),
    ('{"elements": [{"label": ""}], "connections": []}', "has no label"),
    ('{"elements": [{"label": "A"}], "connections": [{"from": "A", "to": "Z", "type": "+"}]}',
     "'Z', which is not an element"),
    ('{"elements": [{"label": "A"}, {"label": "B"}], "connections": [{"from": "A", "to": "B"}]}',
     "no polarity"),
    ('{"elements": [{"label": "A"}, {"label": "B"}], '
     '"connections": [{"from": "A", "to": "B", "type": "causes"}]}', "'causes' is not a link"),
])
def test_kumu_bad_input(text, message):
    with pytest.raises(CaseFileError, match=message):
        read_kumu(io.StringIO(text))


def test_kumu_problem_names_the_field():
    text = '{"elements": [{"label": "A"}, {"label": "B"}], "connections": [{"from": "A", "to": "B"}]}'
    with pytest.raises(CaseFileError) as err:
        read_kumu(io.StringIO(text))
    assert rows(err.value) == [(None, "connections[0].type")]


def test_kumu_ten_thousand_elements():
    text = json.dumps({"elements": [{"label": f"v{i}"} for i in range(10_000)],
                       "connections": []})
    with pytest.raises(CaseFileError, match="10,000 variables"):
        read_kumu(io.StringIO(text))


# --- GraphML ------------------------------------------------------------------

def test_graphml_round_trip(tmp_path):
    graph = mixed_graph()
    path = tmp_path / "cld.graphml"
    write_graphml(graph, path)
    assert same_cld(graph, read_graphml(path).graph)


def test_graphml_sign_and_weight_attributes():
    g = nx.DiGraph()
    g.add_edge("a", "b", sign="S")
    g.add_edge("b", "a", weight=-1)
    text = "\n".join(nx.generate_graphml(g))
    result = read_graphml(io.StringIO(text))
    assert sorted(result.graph.edges(data="polarity")) == [("a", "b", "+"), ("b", "a", "-")]


@pytest.mark.parametrize("make, message", [
    (lambda: "<graphml><graph", "is not GraphML"),
    (lambda: "\n".join(nx.generate_graphml(nx.Graph([("a", "b")]))), "undirected"),
    (lambda: "\n".join(nx.generate_graphml(nx.DiGraph([("a", "b")]))), "no polarity"),
])
def test_graphml_bad_input(make, message):
    with pytest.raises(CaseFileError, match=message):
        read_graphml(io.StringIO(make()))


# --- DOT ----------------------------------------------------------------------

def test_dot_export(t1, tmp_path):
    text = to_dot(t1, title="CLD-T1")
    assert text.startswith('digraph "CLD-T1" {')
    assert '"W" -> "P" [label="\u2212 ||"];' in text
    assert '"U" [label="unmet need"];' in text
    assert text.count("->") == 9
    path = tmp_path / "cld.dot"
    write_dot(t1, path)
    with pytest.raises(CaseExistsError):
        write_dot(t1, path)


def test_dot_refuses_invalid_graph():
    with pytest.raises(StpError):
        to_dot(nx.DiGraph([("a", "b")]))


# --- LOOPY (README table) -----------------------------------------------------

LOOPY_TABLE = {
    "basic_ecology": (2, 2, [("B", ["foxes", "rabbits"])]),
    "depression_anxiety": (7, 8, [
        ("R", ["accepting mistakes", "anxiety", "fear of mistakes", "doing things"]),
        ("R", ["de-motivation", "doing things", "feeling good", "depression"])]),
    "automation_job_loss": (6, 6, [("R", ["automation", "profits"])]),
    "blank_start": (2, 2, [("B", ["something", "something else"])]),
}


@pytest.mark.parametrize("name", list(LOOPY_TABLE))
def test_loopy_fixtures(name):
    nodes, edges, expected = LOOPY_TABLE[name]
    result = read_loopy(data_file("cld", "loopy", f"{name}.loopy.json"))
    assert (result.graph.number_of_nodes(), result.graph.number_of_edges()) == (nodes, edges)
    loops = cld.find_loops(result.graph)
    assert [(lp.polarity, list(lp.variables)) for lp in loops] == expected


def test_loopy_link_and_notes():
    import urllib.parse
    text = data_file("cld", "loopy", "automation_job_loss.loopy.json").read_text(encoding="utf-8")
    link = "https://ncase.me/loopy/v1.1/?data=" + urllib.parse.quote(text.strip(), safe="[],")
    result = read_loopy(io.StringIO(link))
    assert "job loss" in result.graph
    assert any("CHALLENGE" in note for note in result.graph.graph["notes"])


@pytest.mark.parametrize("text, message", [
    ("[[[1,0,0,0,", "not valid JSON"),
    ('{"nodes": []}', "not a LOOPY model"),
    ('[[[1,0,0,0,"a",0],[2,0,0,0,"b",0]],[[1,2,0,0.5,0]],[],3]', "strength 0.5"),
    ('[[[1,0,0,0,"a",0]],[[1,7,0,1,0]],[],2]', "node 7"),
    ('[[[1,0,0]],[],[],2]', "is not \\[id, x, y"),
])
def test_loopy_bad_input(text, message):
    with pytest.raises(CaseFileError, match=message):
        read_loopy(io.StringIO(text))


def test_loopy_repeated_labels_kept_apart():
    text = '[[[1,0,0,0,"x",0],[2,0,0,0,"x",0]],[[1,2,0,1,0],[2,1,0,-1,0]],[],3]'
    graph = read_loopy(io.StringIO(text)).graph
    assert sorted(graph) == ["x (1)", "x (2)"]


# --- Vensim sketch ------------------------------------------------------------

def test_vensim_sdeverywhere_sir_polarities():
    # The sketch marks its loops with comments B (Depletion), R (Contagion), B (Recovery).
    result = read_vensim_sketch(data_file("test-models", "sdeverywhere", "models", "sir", "sir.mdl"))
    loops = cld.find_loops(result.graph)
    assert sorted((lp.polarity, frozenset(lp.variables)) for lp in loops) == sorted([
        ("B", frozenset({"Susceptible Population S", "Infection Rate"})),
        ("R", frozenset({"Infectious Population I", "Infection Rate"})),
        ("B", frozenset({"Infectious Population I", "Recovery Rate"}))])
    # Shadow variables (drawn twice) are one variable each.
    assert result.graph.number_of_nodes() == 11


def test_vensim_sdxorg_sir_flows_and_unmarked_arrows():
    result = read_vensim_sketch(data_file("test-models", "sdxorg", "samples", "SIR", "SIR.mdl"))
    g = result.graph
    assert g.number_of_nodes() == 8
    # Pipes: inflow + into the stock it fills, outflow − from the stock it drains.
    assert g.edges["Succumbing", "Infectious"]["polarity"] == "+"
    assert g.edges["Succumbing", "Susceptible"]["polarity"] == "-"
    assert g.edges["Recovering", "Recovered"]["polarity"] == "+"
    assert g.edges["Recovering", "Infectious"]["polarity"] == "-"
    # Arrows into the valve are arrows into its flow variable; no marks → '?'.
    assert g.edges["Contact Infectivity", "Succumbing"]["polarity"] == "?"
    assert g.nodes["Susceptible"]["kind"] == "stock" and g.nodes["Recovering"]["kind"] == "flow"
    assert not g.has_edge("Total Population", "Susceptible")  # initial-value arrow
    assert "6 arrow(s) carry no polarity mark" in result.warnings[0].problem
    with pytest.raises(CaseFileError, match="no polarity mark"):
        read_vensim_sketch(data_file("test-models", "sdxorg", "samples", "SIR", "SIR.mdl"),
                           missing_polarity="error")


def test_vensim_teacup():
    g = read_vensim_sketch(data_file("test-models", "sdxorg", "samples", "teacup", "teacup.mdl")).graph
    assert sorted(g) == ["Characteristic Time", "Heat Loss to Room", "Room Temperature",
                         "Teacup Temperature"]
    assert g.edges["Heat Loss to Room", "Teacup Temperature"]["polarity"] == "-"
    assert [lp.polarity for lp in cld.find_loops(g)] == ["?"]  # one loop, unmarked arrow


SKETCH = "\\\\\\---/// Sketch information - do not modify anything except names"
HEAD = [SKETCH, "V300  Do not put anything below this section - it will be ignored", "*View 1",
        "$192-192-192,0,Times New Roman|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0"]


def sketch(*objects: str) -> io.StringIO:
    body = ["a = 1", "~ ~ |"] + HEAD + list(objects) + ["///---\\\\\\"]
    return io.StringIO("\n".join(body))


def test_vensim_delay_mark_and_quoted_names():
    src = sketch('10,1,"Work, paid",1,1,1,1,8,3,0,0,0,0,0,0', "10,2,stress,1,1,1,1,8,3,0,0,0,0,0,0",
                 "1,3,1,2,0,0,83,0,0,65,0,-1--1--1,,1|(1,1)|",
                 "1,4,2,1,0,0,79,0,0,64,0,-1--1--1,,1|(1,1)|",
                 "12,5,0,269,22,37,9,8,4,0,0,-1,0,0,0", "1,6,7,8,9 not an arrow text")
    result = read_vensim_sketch(src)
    assert result.graph.edges["Work, paid", "stress"] == {"polarity": "+", "delay": True,
                                                          "note": ""}
    assert result.graph.edges["stress", "Work, paid"]["polarity"] == "-"
    assert {m.written for m in result.mapped} == {"S", "O"}


def test_vensim_two_views_share_variables():
    text = sketch("10,1,a,1,1,1,1,8,3,0,0,0,0,0,0", "10,2,b,1,1,1,1,8,3,0,0,0,0,0,0",
                  "1,3,1,2,0,0,43,0,0,64,0,-1--1--1,,1|(1,1)|").getvalue()
    text = text.replace("///---\\\\\\", "\n".join(HEAD[:1] + ["V300", "*View 2", HEAD[3]] + [
        "10,1,B,1,1,1,1,8,2,0,3,-1,0,0,0", "10,2,A,1,1,1,1,8,3,0,0,0,0,0,0",
        "1,3,1,2,0,0,45,0,0,64,0,-1--1--1,,1|(1,1)|", "///---\\\\\\"]))
    g = read_vensim_sketch(io.StringIO(text)).graph
    assert sorted(g.edges(data="polarity")) == [("a", "b", "+"), ("b", "a", "-")]


@pytest.mark.parametrize("objects, message", [
    ((), "sketch with no variables"),
    (("10,1,a,1,1,1,1,8,3,0,0,0,0,0,0", "1,2,1,9,0,0,43,0,0,64,0,-1--1--1,,1|(1,1)|"),
     "points to object 9"),
    (("10,1,a,1,1,1,1,8,3,0,0,0,0,0,0", "1,2,1,x,0,0,43"), "arrow line is malformed"),
    (("garbage here",), "is not a sketch object"),
])
def test_vensim_bad_sketch(objects, message):
    with pytest.raises(CaseFileError, match=message):
        read_vensim_sketch(sketch(*objects))


def test_vensim_equations_only():
    with pytest.raises(CaseFileError, match="no sketch section"):
        read_vensim_sketch(io.StringIO("x = 1\n~ ~ |\n"))


def test_vensim_row_is_the_file_line():
    with pytest.raises(CaseFileError) as err:
        read_vensim_sketch(sketch("garbage here"))
    assert err.value.problems[0].line == 7


def test_vensim_ten_thousand_variables():
    objects = [f"10,{i},v{i},1,1,1,1,8,3,0,0,0,0,0,0" for i in range(1, 10_001)]
    with pytest.raises(CaseFileError, match="10,000 variables"):
        read_vensim_sketch(sketch(*objects))


# --- shipped case diagrams ----------------------------------------------------

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.mark.parametrize("case", ["wiltshire-complex-needs", "plymouth-alliance"])
def test_case_cld_reads_cleanly(case):
    folder = CASES / case
    result = read_cld_csv(folder / "cld.csv", folder / "cld_variables.csv")
    assert result.warnings == [] and result.mapped == ()
    assert 12 <= result.graph.number_of_nodes() <= 20


def test_wiltshire_crisis_response_is_a_fix_that_fails():
    from stp_helpers.cld.archetypes import find_archetypes
    folder = CASES / "wiltshire-complex-needs"
    graph = read_cld_csv(folder / "cld.csv", folder / "cld_variables.csv").graph
    # By hand: crisis contacts → reactive interventions → unmet need (−) → crisis contacts is B;
    # adding reactive interventions → frontline workload → early intervention (−) →‖ unmet
    # need (−) gives an R loop with a delay that shares the link into reactive interventions.
    fixes = {m.roles["fix"] for m in find_archetypes(graph).of("fixes_that_fail")}
    assert "reactive_interventions" in fixes


def test_plymouth_gaming_is_a_fix_that_fails():
    from stp_helpers.cld.archetypes import find_archetypes
    folder = CASES / "plymouth-alliance"
    graph = read_cld_csv(folder / "cld.csv", folder / "cld_variables.csv").graph
    # By hand: target pressure → gaming → reported performance (−) → target pressure is B;
    # target pressure → gaming (−) → value → unmet needs (−) →‖ target pressure is R, delayed.
    matches = find_archetypes(graph).of("fixes_that_fail")
    assert [(m.roles["problem"], m.roles["fix"]) for m in matches] == [("target_pressure",
                                                                        "gaming")]


def test_read_kumu_reads_the_nested_attributes_export() -> None:
    # The shape Kumu's own JSON export writes: label, type and delay under "attributes".
    exported = {
        "elements": [{"_id": "elem-1", "attributes": {"label": "Unmet need", "element type": "Variable"}},
                     {"_id": "elem-2", "attributes": {"label": "Crisis interventions", "description": "calls"}}],
        "connections": [
            {"_id": "conn-1", "from": "elem-1", "to": "elem-2", "direction": "directed",
             "attributes": {"connection type": "+"}},
            {"_id": "conn-2", "from": "elem-2", "to": "elem-1", "direction": "directed",
             "attributes": {"connection type": "-", "delay": True, "description": "crisis work resolves need"}},
        ],
    }
    graph = read_kumu(io.StringIO(json.dumps(exported))).graph
    assert graph.nodes["elem-1"]["label"] == "Unmet need"
    assert graph.nodes["elem-2"]["description"] == "calls"
    assert sorted(graph.edges(data=True)) == [
        ("elem-1", "elem-2", {"polarity": "+", "delay": False, "note": ""}),
        ("elem-2", "elem-1", {"polarity": "-", "delay": True, "note": "crisis work resolves need"})]
