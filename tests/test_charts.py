"""Charts: theme, palette, offline bundle, stable text form; the scoping numbers."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from stp_helpers import case, catalogue, charts, scoping
from stp_helpers.errors import StpError
from stp_helpers.widgets.scale import ScaleExplorer


def test_palette_is_okabe_ito() -> None:
    assert charts.OKABE_ITO == ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                "#D55E00", "#CC79A7")
    assert charts.REINFORCING == "#D55E00" and charts.BALANCING == "#0072B2"
    assert "#F0E442" not in charts.SERIES  # yellow is kept for fills


def test_theme_is_enabled_and_uses_system_fonts() -> None:
    assert alt.theme.active == charts.THEME
    config = alt.theme.get()()["config"]
    assert "http" not in str(config) and "system-ui" in config["font"]


def test_offline_bundle_has_no_remote_import() -> None:
    charts.enable_offline()
    esm = alt.JupyterChart._esm
    assert alt.JupyterChart._is_offline and len(esm) > 100_000
    for host in ("esm.sh", "cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert host not in esm
    assert charts.bundle_path().exists()


def test_show_gives_a_stable_text_form() -> None:
    chart = charts.bar_chart(pd.DataFrame({"a": ["x", "y"], "v": [1, 2]}), category="a", value="v",
                             value_title="V (count)", title="y is larger")
    widget = charts.show(chart)
    assert repr(widget) == "Chart: y is larger"
    assert widget._repr_mimebundle_()[0]["text/plain"] == "Chart: y is larger"


def test_bar_chart_orders_and_labels() -> None:
    data = pd.DataFrame({"a": ["x", "y", "z"], "v": [1, 3, 2]})
    spec = charts.bar_chart(data, category="a", value="v", value_title="V (count)", title="t").to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["sort"] == ["y", "z", "x"] and bars["x"]["title"] == "V (count)"
    with pytest.raises(ValueError):
        charts.bar_chart(data.iloc[:0], category="a", value="v", value_title="V", title="t")


def test_wiltshire_contacts_hand_worked() -> None:
    wilts = case.load("wiltshire-complex-needs")
    table = scoping.contacts_table(wilts)
    # 196 + 488 + 90 + 7 + 5 + 238 = 1,024 counted contacts; housing 488/1024 = 47.7 %.
    assert int(table["contacts"].sum()) == 1024
    assert table.iloc[0].to_dict()["agency"] == "Housing services" and table.iloc[0]["share"] == 47.7
    assert scoping.contact_share(wilts, "police") == pytest.approx(100 * 238 / 1024)
    assert scoping.unquantified_agencies(wilts) == ["Primary health", "Refuges, housing associations, DWP and others"]
    assert charts.chart_title(scoping.contacts_chart(wilts)) == \
        "Housing services recorded the most contacts: 488 of 1,024 counted (48%)"
    with pytest.raises(StpError, match="Choose one of: Housing services"):
        scoping.contact_share(wilts, "Fire service")


def test_scale_bounds() -> None:
    wilts = case.load("wiltshire-complex-needs")
    assert int(scoping.scale_table(wilts, 2)["contacts"].sum()) == 2048
    for bad in (0, -5, 100_001, 2.5, True):
        with pytest.raises(StpError, match="between 1 and 100,000"):
            scoping.scale_table(wilts, bad)


def test_scale_app_updates_its_chart() -> None:
    app = ScaleExplorer(case.load("wiltshire-complex-needs"), people=100)
    assert app.title == "If 100 people live similar lives, agencies record about 102,400 contacts"
    app.people.value = 1000
    assert app.title == "If 1,000 people live similar lives, agencies record about 1,024,000 contacts"
    assert app.status.value == ""


def test_coverage_counts_catalogue() -> None:
    table = catalogue.coverage_table()
    assert list(table["duty"]) == [f"Duty {d}" for d in range(1, 13)]
    expected = {d: sum(d in e.duties for e in catalogue.CATALOGUE if e.kind != "gallery") for d in range(1, 13)}
    assert dict(zip(range(1, 13), table["notebooks"])) == expected


def test_chart_kernels_skip_the_iri_grammar_and_still_validate() -> None:
    """Importing the charts skips jsonschema's Lark grammar; Altair still rejects an invalid chart."""
    import subprocess
    import sys

    code = ("import sys, time\nt = time.perf_counter()\nimport stp_helpers.charts\n"
            "import altair as alt, pandas as pd\n"
            "try:\n    alt.Chart(pd.DataFrame({'a': [1]})).mark_bar().encode(x=alt.X('a', bin='yes')).to_dict()\n"
            "except Exception as err:\n    print(type(err).__name__)\n"
            "print('lark' in sys.modules, 'rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["SchemaValidationError", "False", "True"]


# --- the layout standard: container width, wrapped titles, readable heatmaps, labels that never overlap ---

def test_shown_charts_take_the_container_width_and_wrap_long_titles() -> None:
    import altair as alt

    from stp_helpers.charts import theme

    long_title = ("8 of 16 stakeholders are key players: LSP high-level panel, Council Chief Executive, "
                  "Jobcentre Plus, Local councillors")
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_point().encode(x="a:Q").properties(
        title=alt.TitleParams(text=long_title, subtitle="Salford"))
    widget = charts.show(chart)
    spec = widget.chart.to_dict()
    assert spec["width"] == "container"
    assert " ".join(spec["title"]["text"]) == "8 of 16 stakeholders are key players:"
    assert all(len(line) <= theme.TITLE_CHARS for line in spec["title"]["text"])
    assert spec["title"]["subtitle"][-1] == "Salford"
    assert all(len(line) <= theme.SUBTITLE_CHARS for line in spec["title"]["subtitle"])
    assert spec["description"].startswith("8 of 16 stakeholders are key players: LSP high-level panel")
    assert repr(widget) == f"Chart: {long_title}"  # the finding in full, for nbval and screen readers
    assert widget.layout.max_width == "900px" and widget.layout.width == "100%"
    widget.chart = chart  # an app's update goes through the same standard
    assert widget.chart.to_dict()["width"] == "container"
    config = alt.theme.get()()["config"]
    assert config["legend"]["orient"] == "bottom" and config["legend"]["labelLimit"] == 0


def test_heatmap_text_meets_wcag_contrast_with_no_grid_lines() -> None:
    from stp_helpers.charts import layout
    from stp_helpers.charts.scenarios import regret_chart

    assert layout.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert layout.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    for fill, text in zip(layout.HEAT_COLOURS, layout.HEAT_TEXT):
        assert layout.contrast_ratio(text, fill) >= 4.5
    payoffs = pd.DataFrame({"S1": [1.0, 4.0], "S2": [3.0, 0.0]}, index=pd.Index(["A", "B"], name="option"))
    spec = regret_chart(payoffs).to_dict()
    rect, text = spec["layer"]
    assert rect["encoding"]["color"]["scale"]["range"] == list(layout.HEAT_COLOURS)
    assert text["encoding"]["color"]["value"] == "#000000"
    assert text["encoding"]["color"]["condition"]["value"] == "#FFFFFF"
    for channel in ("x", "y"):
        assert rect["encoding"][channel]["axis"]["grid"] is False


def test_named_points_are_spread_and_listed_in_a_key() -> None:
    from stp_helpers import stakeholders
    from stp_helpers.charts import layout
    from stp_helpers.charts.stakeholders import grid_chart

    spread = layout.spread_points([(0.6, 0.7)] * 3 + [(0.5, 0.7), (0.1, 0.1)], radius=0.07)
    for i in range(len(spread)):
        for j in range(i + 1, len(spread)):
            assert math.dist(spread[i], spread[j]) >= 0.07 * 0.99
    assert spread[-1] == (0.1, 0.1)  # an isolated point stays put
    salford = case.load("salford-spotlight")
    spec = grid_chart(stakeholders.load_register(salford)).to_dict()
    key = spec["layer"][-1]["encoding"]["opacity"]
    assert key["title"] == "Stakeholders (number on the grid)"
    assert key["sort"][0].startswith("1. ") and len(key["sort"]) == 16


def test_network_numbers_its_nodes_and_writes_names_only_where_they_fit() -> None:
    from stp_helpers import stakeholders
    from stp_helpers.charts.stakeholders import network_chart, network_label_width

    register = stakeholders.load_register(case.load("wiltshire-complex-needs"))
    spec = network_chart(stakeholders.influence_network(register)).to_dict()
    lines, heads, dots, labels, key = spec["layer"]
    assert dots["encoding"]["x"]["scale"]["nice"] is False  # the circle fills the plot
    legend = key["encoding"]["opacity"]
    assert legend["title"] == "Stakeholders (number on the network)"
    assert legend["sort"][0] == "1. Ambulance and hospital" and len(legend["sort"]) == 10
    # A phone-width plot (about 340 px) shows numbers; a projector's (about 810 px) the key's entries.
    width = int(labels["mark"]["text"]["expr"].split(">=")[1].split("?")[0])
    assert 340 < width < 810
    crowded = pd.DataFrame({"x": [0.0, 0.05], "y": [1.0, 1.0], "key": ["1. A long name", "2. Another one"]})
    assert network_label_width(crowded) > 900  # neighbours this close are told apart by number at any width
