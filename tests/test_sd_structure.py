"""Model → CLD: links from dependencies, polarity by perturbation (POL-1)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from stp_helpers import sd
from stp_helpers.sd import causal_graph, flow_signs, load_model, polarity_label

MODEL = """{UTF-8}
Stock = INTEG(inflow - outflow, 10) ~ widget ~ A stock. |
inflow = gain * Stock ~ widget/Month ~ Reinforcing inflow. |
outflow = Stock / residence time ~ widget/Month ~ Balancing outflow. |
gain = 0.15 ~ 1/Month ~ Fractional gain. |
residence time = 10 ~ Month ~ Residence time. |
hump = Stock * (30 - Stock) ~ widget*widget ~ Rises then falls with Stock. |
capped = MIN(Stock, 10.5) ~ widget ~ Saturates. |
smoothed = SMOOTH(Stock, 3) ~ widget ~ Delayed perception of the stock. |
FINAL TIME = 40 ~ Month ~ End. |
INITIAL TIME = 0 ~ Month ~ Start. |
SAVEPER = 1 ~ Month ~ Save. |
TIME STEP = 0.25 ~ Month ~ Step. |
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", str(tmp_path_factory.mktemp("stp-cache")))
        folder = tmp_path_factory.mktemp("model")
        (folder / "m.mdl").write_text(MODEL, encoding="utf-8")
        model = load_model(folder / "m.mdl")
        yield causal_graph(model), model


def test_pol_t1_and_t2():
    x = np.linspace(2, 8, 61)
    lab = polarity_label(10 - 2 * x, x)
    assert (lab.label, lab.change_times) == ("ambiguous", (5.0,))
    assert polarity_label([7.0 for _ in range(3)]).label == "+"  # at x = 3 only: +
    assert polarity_label([-4.0]).label == "-"  # at x = 7: 10 - 14 < 0
    x = np.linspace(0, 10, 101)
    lab = polarity_label(np.where(x < 5, 1.0, 0.0), x)
    assert (lab.label, lab.polarity) == ("saturated", "+")
    assert polarity_label([0.0, 0.0]).label == "no effect"


def test_flow_signs_from_source():
    code = "_integ_s = Integ(lambda: a() + b() - (c() + d()) - -e(), lambda: 1, '_integ_s')"
    assert flow_signs(code) == {"_integ_s": {"a": "+", "b": "+", "c": "-", "d": "-", "e": "+"}}


def test_graph_shape(graph):
    g, model = graph
    assert isinstance(g, nx.DiGraph)
    assert g.nodes["Stock"]["label"] == "Stock" and g.nodes["Stock"]["kind"] == "stock"
    assert g.edges["inflow", "Stock"]["polarity"] == "+"
    assert g.edges["outflow", "Stock"]["polarity"] == "-"
    assert g.edges["Stock", "inflow"]["polarity"] == "+"
    assert g.edges["Stock", "outflow"]["polarity"] == "+"
    assert g.edges["residence time", "outflow"]["polarity"] == "-"
    assert g.edges["gain", "inflow"]["polarity"] == "+"
    for _, _, data in g.edges(data=True):
        assert set(data) >= {"polarity", "delay"} and data["polarity"] in {"+", "-", "?"}


def test_ambiguous_saturated_and_delay(graph):
    g, model = graph
    run = model.run(return_columns=["Stock"])["Stock"]
    assert run.min() < 15 < run.max()  # the hump's slope changes sign over the run
    assert g.edges["Stock", "hump"]["pol_label"] == "ambiguous"
    assert g.edges["Stock", "hump"]["polarity"] == "?"
    assert g.edges["Stock", "capped"]["pol_label"] == "saturated"
    assert g.edges["Stock", "capped"]["polarity"] == "+"
    assert g.edges["Stock", "smoothed"]["delay"] is True
    assert g.edges["Stock", "smoothed"]["polarity"] == "+"


def test_graph_leaves_model_unchanged(graph):
    _, model = graph
    assert model.run(return_columns=["Stock"])["Stock"].iloc[-1] == pytest.approx(
        model.run(return_columns=["Stock"])["Stock"].iloc[-1])
    assert model.run(return_columns=["gain"])["gain"].iloc[0] == 0.15


LOOKUP_MODEL = """{UTF-8}
S = INTEG(1, 0) ~ widget ~ Rises from 0 to 10. |
T = INTEG(4, 0) ~ widget ~ Rises from 0 to 40. |
rising( [(0,0)-(40,10)],(0,0),(10,4),(40,10)) ~ Dmnl ~ Increasing everywhere. |
falling( [(0,0)-(40,10)],(0,10),(10,6),(40,0)) ~ Dmnl ~ Decreasing everywhere. |
hump( [(0,0)-(40,10)],(0,0),(20,10),(40,0)) ~ Dmnl ~ Up to 20, then down. |
up = rising(S) ~ Dmnl ~ |
down = falling(S) ~ Dmnl ~ |
hump visited rising = hump(S) ~ Dmnl ~ S stays below 20, where the hump rises. |
hump visited both = hump(T) ~ Dmnl ~ T crosses 20. |
inline = WITH LOOKUP(S, ([(0,0)-(10,10)],(0,5),(10,0))) ~ Dmnl ~ Decreasing. |
INITIAL TIME = 0 ~ Month ~ |
FINAL TIME = 10 ~ Month ~ |
TIME STEP = 0.25 ~ Month ~ |
SAVEPER = 0.25 ~ Month ~ |
"""


def test_lookup_polarity_comes_from_its_slope_over_the_visited_range(tmp_path):
    path = tmp_path / "lookups.mdl"
    path.write_text(LOOKUP_MODEL, encoding="utf-8")
    graph = causal_graph(load_model(path))
    polarity = {(u, v): d["polarity"] for u, v, d in graph.edges(data=True)}
    assert polarity[("S", "up")] == "+"
    assert polarity[("S", "down")] == "-"
    assert polarity[("S", "hump visited rising")] == "+"  # monotone where the run goes
    assert polarity[("T", "hump visited both")] == "?"  # the slope changes sign at 20
    assert graph.edges["T", "hump visited both"]["change_times"] == [5.0]  # T = 20 at month 5
    assert polarity[("S", "inline")] == "-"


def test_shipped_models_have_no_unexplained_unknown_polarity():
    for name in sd.teaching_models():
        graph = causal_graph(sd.teaching_model(name))
        unknown = [(u, v, d["pol_label"]) for u, v, d in graph.edges(data=True) if d["polarity"] == "?"]
        assert all(label == "no effect" for *_, label in unknown), (name, unknown)
