"""Stakeholder register: known answers (MEN-T1, SAL-T1, network), snapshots, round trips and bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import networkx as nx
import pytest

from stp_helpers import case, stakeholders as st
from stp_helpers.errors import CaseExistsError, CaseFileError, StakeholderError

FIX = Path(__file__).parent / "fixtures" / "stakeholders"
CASES = ["plymouth-alliance", "wiltshire-complex-needs"]


def _row(name: str, p: float, i: float = 0.5, lg: float = 0.0, u: float = 0.0, **kw: object) -> dict:
    return {"name": name, "power": p, "interest": i, "legitimacy": lg, "urgency": u, **kw}


@pytest.mark.parametrize("power,interest,quadrant", [(0.8, 0.3, "keep satisfied"), (0.5, 0.5, "key players"),
                                                     (0.2, 0.9, "keep informed"), (0.49, 0.49, "monitor")])
def test_men_t1_grid(power: float, interest: float, quadrant: str) -> None:
    assert st.grid_quadrant(power, interest) == quadrant


@pytest.mark.parametrize("attrs,klass,group", [
    (set(), "non-stakeholder", "none"), ({"power"}, "dormant", "latent"),
    ({"legitimacy"}, "discretionary", "latent"), ({"urgency"}, "demanding", "latent"),
    ({"power", "legitimacy"}, "dominant", "expectant"), ({"power", "urgency"}, "dangerous", "expectant"),
    ({"legitimacy", "urgency"}, "dependent", "expectant"),
    ({"power", "legitimacy", "urgency"}, "definitive", "definitive")])
def test_sal_t1_all_classes(attrs: set, klass: str, group: str) -> None:
    assert st.salience_class(attrs) == klass
    assert st.salience_group(klass) == group


def test_salience_from_scores_threshold_inclusive() -> None:
    reg = st.build_register([_row("A", 0.5, lg=0.5, u=0.49), _row("B", 0.1, lg=0.9, u=0.9)])
    table = st.grid_table(reg).set_index("name")
    assert table.loc["A", "salience"] == "dominant" and table.loc["B", "salience"] == "dependent"
    counts = st.salience_table(reg).set_index("class")["count"]
    assert counts["dominant"] == 1 and counts["dependent"] == 1 and counts.sum() == 2


def test_unknown_salience_attribute() -> None:
    with pytest.raises(st.StakeholderError, match="not a salience attribute"):
        st.salience_class({"money"})


def test_network_known_answer() -> None:
    # Chain A → B → C and A → D: B lies on the one shortest path A → C of (n-1)(n-2) = 6 ordered pairs.
    g = nx.DiGraph([("A", "B"), ("B", "C"), ("A", "D")])
    table = st.rank_influence(g).set_index("name")
    assert table["reach"].to_dict() == {"A": 3, "B": 1, "C": 0, "D": 0}
    assert table.loc["B", "betweenness"] == pytest.approx(1 / 6, abs=5e-4)
    assert st.brokers(g) == ["B"]
    star = nx.DiGraph([("hub", x) for x in "abc"] + [(x, "hub") for x in "abc"])
    assert st.brokers(star) == ["hub"]
    assert st.rank_influence(star).loc[0, "betweenness"] == 1.0


def test_network_from_register_and_empty() -> None:
    reg = st.build_register([_row("A", 0.9), _row("B", 0.2)], links=[("A", "B", 0.7)])
    g = st.influence_network(reg)
    assert g.edges["A", "B"]["strength"] == 0.7 and g.nodes["A"]["quadrant"] == "key players"
    with pytest.raises(st.StakeholderError, match="empty"):
        st.rank_influence(nx.DiGraph())


def test_snapshots_carry_forward_and_compare() -> None:
    reg = st.build_register([_row("A", 0.2, 0.9, snapshot="2012-01-01"), _row("B", 0.9, 0.9, snapshot="2012-01-01"),
                             _row("A", 0.7, 0.9, snapshot="2016-01-01")])
    assert [s.isoformat() for s in reg.snapshots()] == ["2012-01-01", "2016-01-01"]
    assert [r.power for r in reg.at()] == [0.7, 0.9]  # B carried forward
    assert [r.power for r in reg.at("2012-06-01")] == [0.2, 0.9]
    diff = st.compare_snapshots(reg).set_index("name")
    assert diff.loc["A", "quadrant_before"] == "keep informed" and diff.loc["A", "quadrant_after"] == "key players"
    assert bool(diff.loc["A", "changed"]) and not bool(diff.loc["B", "changed"])


def test_grid_finding() -> None:
    reg = st.build_register([_row("A", 0.9, 0.9), _row("B", 0.1, 0.9)])
    assert st.grid_finding(reg) == "1 of 2 stakeholders is a key player: A"
    assert st.grid_finding(reg.with_score("A", "power", 0.1)).startswith("None of 2")


@pytest.mark.parametrize("slug", CASES)
def test_case_registers_read_and_cite_their_sources(slug: str) -> None:
    found = case.load(slug)
    reg = st.load_register(found)
    ids = {s.id for s in found.meta.sources} | {"synthetic", "inference"}
    assert all(r.source in ids for r in reg.stakeholders) and all(lk.source in ids for lk in reg.links)
    assert len(reg.snapshots()) == 2 and st.brokers(st.influence_network(reg))


@pytest.mark.parametrize("slug", CASES)
def test_round_trip(slug: str, tmp_path: Path) -> None:
    reg = st.load_register(slug)
    (tmp_path / "stakeholders.csv").write_text(st.register_csv_text(reg))
    (tmp_path / "stakeholder_links.csv").write_text(st.links_csv_text(reg))
    back = st.read_register(tmp_path)
    assert back.stakeholders == tuple(sorted(reg.stakeholders, key=lambda s: (s.snapshot, s.name.casefold())))
    assert back.links == reg.links


def test_save_refuses_shipped_case_and_writes_a_copy(tmp_path: Path) -> None:
    reg = st.load_register("plymouth-alliance")
    with pytest.raises(CaseExistsError, match="stp new-case"):
        st.save_register(reg, case.load("plymouth-alliance").path)
    folder = tmp_path / "mine"
    folder.mkdir()
    st.save_register(reg.with_score("Commissioners", "power", 0.2), folder)
    assert st.read_register(folder).get("Commissioners").power == 0.2


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_scores_out_of_range_reported_with_row_and_column() -> None:
    before = _digest(FIX / "bad_scores.csv")
    with pytest.raises(CaseFileError) as err:
        st.read_stakeholders(FIX / "bad_scores.csv")
    text = str(err.value)
    assert 'row 2, column "power": \'1.4\' is above the largest allowed value' in text
    assert 'row 3, column "interest"' in text and 'row 4, column "stance"' in text
    assert _digest(FIX / "bad_scores.csv") == before


def test_duplicate_names_in_a_snapshot() -> None:
    with pytest.raises(CaseFileError) as err:
        st.read_stakeholders(FIX / "duplicates.csv")
    assert len(err.value.problems) == 1
    assert "row 3" in str(err.value) and "appears twice in the snapshot 2012-01-01" in str(err.value)


def test_empty_register() -> None:
    with pytest.raises(CaseFileError, match="0 data row"):
        st.read_stakeholders(FIX / "empty.csv")
    with pytest.raises(st.StakeholderError, match="The register is empty"):
        st.build_register([])


def test_unknown_stakeholder_in_link_names_close_match() -> None:
    with pytest.raises(CaseFileError) as err:
        st.read_register(FIX / "unknown_link")
    text = str(err.value)
    assert "row 2, column \"influenced\": 'Service provider' is not a stakeholder" in text
    assert "Did you mean 'Service providers'?" in text and "'Nobody'" in text


def test_in_memory_edits_validate_and_lose_nothing() -> None:
    reg = st.build_register([_row("A", 0.9), _row("B", 0.2)])
    with pytest.raises(st.StakeholderError, match="outside 0 to 1"):
        reg.with_score("A", "power", 1.2)
    with pytest.raises(st.StakeholderError, match="not a number"):
        reg.with_score("A", "power", "high")
    with pytest.raises(st.StakeholderError, match="Did you mean 'A'"):
        reg.with_link("A", "a ")
    with pytest.raises(st.StakeholderError, match="appears twice"):
        reg.with_stakeholder("a")
    with pytest.raises(st.StakeholderError, match="linked to itself"):
        reg.with_link("A", "A")
    assert reg.get("A").power == 0.9 and reg.links == ()
    assert reg.without_stakeholder("B").names() == ["A"]


def test_copied_case_checks_clean(tmp_path: Path) -> None:
    shutil.copytree(case.load("wiltshire-complex-needs").path, tmp_path / "w")
    reg = st.read_register(tmp_path / "w")
    assert len(reg.at()) == 10


# methods.md §5.1: Mendelow scores on a declared scale (0-1, 1-5, 0-10), normalised to [0, 1].
@pytest.mark.parametrize("power,interest,scale,quadrant", [
    (9, 2, "0-10", "keep satisfied"), (5, 5, "0-10", "key players"), (2, 9, "0-10", "keep informed"),
    (4.9, 4.9, "0-10", "monitor"), (3, 3, "1-5", "key players"), (5, 1, "1-5", "keep satisfied"),
    (0.8, 0.3, "0-1", "keep satisfied"),
])
def test_mendelow_grid_accepts_a_declared_scale(power: float, interest: float, scale: str, quadrant: str) -> None:
    assert st.grid_quadrant(power, interest, scale=scale) == quadrant


def test_register_takes_scores_on_a_declared_scale() -> None:
    register = st.build_register(
        [{"name": "Police", "power": 9, "interest": 4, "legitimacy": 10, "urgency": 0}], scale="0-10")
    police = register.get("Police")
    assert (police.power, police.interest, police.legitimacy, police.urgency) == (0.9, 0.4, 1.0, 0.0)
    assert register.with_score("Police", "power", 2, scale="1-5").get("Police").power == 0.25
    with pytest.raises(StakeholderError, match="outside 0 to 1") as err:
        st.grid_quadrant(9, 2)
    assert "scale='0-10'" in err.value.fix
    with pytest.raises(StakeholderError, match="not a score scale"):
        st.grid_quadrant(1, 1, scale="0-100")


def test_wiltshire_links_the_talk_does_not_state_are_marked_as_inference() -> None:
    # The Rogers (2019) talk counts one woman's agency contacts; it states no influence between agencies.
    links = st.load_register("wiltshire-complex-needs").links
    assert {lk.source for lk in links} <= {"inference", "synthetic"}
    assert sum(lk.source == "inference" for lk in links) == 7


def test_wiltshire_facts_follow_the_seed() -> None:
    found = case.load("wiltshire-complex-needs")
    text = (found.artefact_path("cld_variables.csv").parent / "case.yaml").read_text(encoding="utf-8")
    assert "frequent LWP's" in text and "frequent missing-person episodes" not in text
    variables = found.artefact_path("cld_variables.csv").read_text(encoding="utf-8")
    assert "only part of them are crisis contacts" in variables
    model = found.artefact_path("model.mdl").read_text(encoding="utf-8")
    assert "the Wiltshire talk does not use the phrase" in model
