"""Portfolio evidence: only the learner's own work counts, claims are confirmed, verification is kept honestly."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case
from stp_helpers.checks import Feedback
from stp_helpers.errors import ImageError, StpError
from stp_helpers.learner.progress import ProgressStore
from stp_helpers.learner.store import PortfolioStore
from stp_helpers.standard import KSB_IDS

GOOD_GIBBS = {
    "description": "In March I ran a mapping session with the hub team and redrew the referral loop in cld.csv "
                   "after the police and housing leads disagreed about where crisis contacts came from.",
    "feelings": "I felt nervous at first because the housing lead challenged my first diagram in front of "
                "everyone, then relieved when others joined in to fix it.",
    "evaluation": "The session went well where people drew their own links; it went badly when I explained "
                  "the loop before they had looked at the contact data themselves.",
    "analysis": "Letting the agencies build the picture mattered more than my own framing, which is what "
                "S5 asks for; my early explanation closed down their different views of the problem.",
    "conclusion": "I should hold back my own model until each agency has put its view on the wall, and "
                  "check each new link against the contact figures before we agree it.",
    "action plan": "Next time I will start with the agencies' own sticky notes, keep my draft hidden for the "
                   "first half hour, and ask the analyst to bring the latest contact counts.",
}


def _own_wiltshire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STP_DATA", str(tmp_path / "cases"))
    return case.new_case("mine", template="wiltshire-complex-needs")


def test_a_copied_worked_case_with_no_changes_counts_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _own_wiltshire(tmp_path, monkeypatch)
    store = PortfolioStore("ada", root=tmp_path / "progress")
    assert store.add_case(folder) == []
    with pytest.raises(StpError, match="cld.csv is the same as in wiltshire-complex-needs"):
        store.add_artefact(folder, "cld.csv")
    table = store.coverage()
    assert int(table["evidenced"].sum()) == 0 and int(table["verified"].sum()) == 0
    assert store.coverage_line().startswith("0 of 25 KSBs evidenced by confirmed claims, 0 verified. Gaps: K1, K2")


def test_only_the_changed_part_of_an_artefact_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _own_wiltshire(tmp_path, monkeypatch)
    cld = folder / "cld.csv"
    lines = cld.read_text().splitlines()
    lines[2] = "crisis_contacts,reactive_interventions,+,yes,a week's wait in the hub"
    cld.write_text("\n".join(lines + ["housing_offers,unmet_need,-,yes,from our own housing data"]) + "\n")
    store = PortfolioStore("ada", root=tmp_path / "progress")
    ids = store.add_case(folder)
    assert len(ids) == 1
    item = store.item(ids[0])
    assert item["content"]["origin"] == "wiltshire-complex-needs"
    assert item["content"]["my_lines"] == ["crisis_contacts,reactive_interventions,+,yes,a week's wait in the hub",
                                           "housing_offers,unmet_need,-,yes,from our own housing data"]
    assert item["content"]["lines_removed"] == 1
    # suggested claims come from nothing here, and nothing counts until claimed
    assert store.coverage()["evidenced"].sum() == 0


def test_a_trivial_reflection_is_refused_and_a_good_one_counts_only_its_claims(tmp_path: Path) -> None:
    store = PortfolioStore("bea", root=tmp_path)
    with pytest.raises(StpError) as refused:
        store.add_reflection({"description": "asdf"}, "gibbs")
    message = str(refused.value)
    assert 'The Gibbs stage "description" has 1 word(s); write at least 12.' in message
    assert 'The Gibbs stage "feelings" is empty.' in message and "It names no KSB" in message
    assert "It names no piece of evidence" in message
    assert store.items() == []
    item = store.add_reflection(GOOD_GIBBS, "gibbs", title="Hub mapping session")
    assert store.suggest_claims(item) == ["S5"]
    assert store.coverage()["evidenced"].sum() == 0, "a suggested claim never counts"
    store.claim(item, "S5", "I let the agencies build the loop diagram themselves before adding my own.")
    store.claim(item, "B1", "I changed my plan after the housing lead's challenge instead of defending it.")
    table = store.coverage().set_index("ksb")
    assert sorted(table.index[table["evidenced"]]) == ["B1", "S5"]
    assert table.loc["S5", "items"] == item and table.loc["S5", "gap"] == "claimed, not yet verified"
    with pytest.raises(StpError, match="one sentence"):
        store.claim(item, "S3", "Loops.")


def test_a_kolb_reflection_needs_every_stage(tmp_path: Path) -> None:
    store = PortfolioStore("bea", root=tmp_path)
    stages = {"concrete experience": GOOD_GIBBS["description"], "reflective observation": GOOD_GIBBS["evaluation"],
              "abstract conceptualisation": GOOD_GIBBS["analysis"]}
    with pytest.raises(StpError, match='The Kolb stage "active experimentation" is empty'):
        store.add_reflection(stages, "kolb")
    stages["active experimentation"] = GOOD_GIBBS["action plan"] + " " + GOOD_GIBBS["conclusion"]
    assert store.add_reflection(stages, "kolb") == "E1"


def test_verification_survives_a_restart_and_an_edit_clears_it(tmp_path: Path) -> None:
    store = PortfolioStore("cy", root=tmp_path)
    item = store.add_engagement("Hub loop workshop", "Twelve staff from four agencies drew the referral loop "
                                "together and agreed which delay to measure first at the next meeting.",
                                "hub staff from police, housing, health and the council", date="2026-03-14")
    store.claim(item, "S5", "I ran the workshop so the agencies built the diagram together.")
    store.verify(item, "verified", "J. Patel (employer)", "Seen the session notes and the agreed diagram.",
                 date="2026-03-20")
    again = PortfolioStore("cy", root=tmp_path)  # a new process would read the same file
    ver = again.item(item)["verification"]
    assert (ver["status"], ver["name"], ver["date"]) == ("verified", "J. Patel (employer)", "2026-03-20")
    assert again.coverage().set_index("ksb").loc["S5", "verified"]
    assert not list(tmp_path.glob("**/*.tmp")), "saved atomically: no temporary file left"
    again.edit(item, description="Twelve staff drew the loop; I added the delay we measured afterwards myself.")
    third = PortfolioStore("cy", root=tmp_path)
    assert third.item(item)["verification"] is None
    assert third.item(item)["history"][-1].endswith("changed, verification cleared")
    row = third.coverage().set_index("ksb").loc["S5"]
    assert row["evidenced"] and not row["verified"]
    with pytest.raises(StpError, match="not a verdict"):
        third.verify(item, "ok", "x", "y")


def test_a_passed_exercise_needs_its_prediction(tmp_path: Path) -> None:
    progress = ProgressStore("dee", root=tmp_path)
    progress.record("cases/wiltshire.ipynb", "contact_share", Feedback(False, fix="Divide by the total."))
    store = PortfolioStore("dee", root=tmp_path)
    with pytest.raises(StpError, match="has not been passed"):
        store.add_exercise("cases/wiltshire.ipynb", "contact_share", "Police will be about a fifth of contacts.")
    progress.record("cases/wiltshire.ipynb", "contact_share", Feedback(True))
    with pytest.raises(StpError, match="prediction is missing"):
        store.add_exercise("cases/wiltshire.ipynb", "contact_share", "")
    item = store.add_exercise("cases/wiltshire.ipynb", "contact_share", "Police will be about a fifth of contacts.")
    assert store.item(item)["content"]["attempts"] == 2


def test_an_attachment_is_checked_like_an_upload_and_stored_in_the_learners_folder(tmp_path: Path) -> None:
    store = PortfolioStore("eli", root=tmp_path)
    with pytest.raises(ImageError, match="is not a PDF, PNG, JPEG or SVG file"):
        store.attach(b"PK\x03\x04rest", "notes.docx", "Meeting notes")
    with pytest.raises(ImageError, match="more than the 5.2 MB limit"):
        store.attach(b"%PDF-1.4" + b"0" * 6_000_000, "big.pdf", "Too big")
    with pytest.raises(ImageError, match="does not end in .pdf"):
        store.attach(b"%PDF-1.4 x", "notes.png", "Wrong name")
    item = store.attach(b"%PDF-1.4 minutes", "minutes.pdf", "Minutes of the hub board, S10")
    stored = tmp_path / "eli-portfolio" / store.item(item)["link"]
    assert stored.read_bytes() == b"%PDF-1.4 minutes"
    assert store.suggest_claims(item) == ["S10"]


def wiltshire_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PortfolioStore:
    """The Wiltshire thread done honestly: one case edited, one exercise, one reflection, one workshop."""
    folder = _own_wiltshire(tmp_path, monkeypatch)
    with (folder / "cld.csv").open("a") as out:
        out.write("housing_offers,unmet_need,-,yes,from our own housing data\n")
    progress = ProgressStore("wil", root=tmp_path / "progress")
    progress.record("cases/wiltshire.ipynb", "contact_share", Feedback(True))
    store = PortfolioStore("wil", root=tmp_path / "progress")
    (cld,) = store.add_case(folder, date="2026-02-10")
    ex = store.add_exercise("cases/wiltshire.ipynb", "contact_share", "Police about a fifth of contacts.",
                            date="2026-02-03")
    ref = store.add_reflection(GOOD_GIBBS, "gibbs", title="Hub mapping session", date="2026-03-16")
    ws = store.add_engagement("Hub loop workshop", "Twelve staff from four agencies drew the referral loop "
                              "together and agreed which delay to measure first at the next meeting.",
                              "police, housing, health and council leads", date="2026-03-14")
    store.claim(cld, "S3", "I added the housing-offer link from our own data and marked its delay.")
    store.claim(cld, "K2", "The new balancing link shows how housing offers feed back on unmet need.")
    store.claim(ex, "K1", "I predicted and then computed each agency's share of contacts correctly.")
    store.claim(ref, "S5", "I let the agencies build the loop diagram themselves before adding my own.")
    store.claim(ref, "B1", "I changed my plan after the housing lead's challenge instead of defending it.")
    store.claim(ws, "S5", "I ran the workshop so the agencies built the diagram together.")
    store.verify(ws, "verified", "J. Patel (employer)", "Seen the notes and the agreed diagram.", date="2026-03-20")
    store.verify(cld, "needs more", "R. Singh (tutor)", "Cite where the housing data came from.", date="2026-03-21")
    return store


def test_the_honest_wiltshire_thread_shows_partial_coverage_with_gaps_named(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = wiltshire_thread(tmp_path, monkeypatch)
    table = store.coverage().set_index("ksb")
    assert sorted(table.index[table["evidenced"]]) == ["B1", "K1", "K2", "S3", "S5"]
    assert table.index[table["verified"]].tolist() == ["S5"]
    assert table.loc["S5", "items"] == "E3, E4" and table.loc["S5", "verified_items"] == "E4"
    assert table.loc["S3", "gap"] == "claimed, not yet verified"
    gaps = [k for k in KSB_IDS if k not in {"B1", "K1", "K2", "S3", "S5"}]
    assert table.loc[gaps, "gap"].eq("no evidence claimed").all()
    assert store.coverage_line() == ("5 of 25 KSBs evidenced by confirmed claims, 1 verified. Gaps: "
                                     + ", ".join(gaps) + ".")
