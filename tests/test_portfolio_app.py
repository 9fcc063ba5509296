"""The portfolio app adds, claims, verifies and exports through its one handler."""

from __future__ import annotations

from pathlib import Path

from stp_helpers.learner.portfolio import read_csv
from stp_helpers.widgets.portfolio import ACTIONS, PortfolioApp
from tests.test_portfolio import GOOD_GIBBS


def test_the_app_refuses_a_trivial_reflection_then_claims_verifies_and_exports(tmp_path: Path) -> None:
    app = PortfolioApp("ivy", root=tmp_path)
    app.action.value, app.title.value, app.text.value = ACTIONS[1], "Hub session", "Description: asdf"
    app.run.click()
    assert "The reflection is not yet evidence" in app.status.value and app.store.items() == []
    app.text.value = "\n".join(f"{stage.capitalize()}: {text}" for stage, text in GOOD_GIBBS.items())
    app.run.click()
    assert "Added E1; suggested claims: S5." in app.status.value and app.item.value == "E1"
    app.action.value, app.ksb.value = ACTIONS[3], "S5"
    app.text.value = "I let the agencies build the loop diagram themselves before adding my own."
    app.run.click()
    app.action.value, app.verdict.value, app.who.value = ACTIONS[4], "verified", "J. Patel (employer)"
    app.text.value = "I watched the session."
    app.run.click()
    assert "E1 marked verified." in app.status.value
    assert "1 of 25 KSBs evidenced by confirmed claims, 1 verified." in app.status.value
    assert "<td>S5</td>" in app.coverage.value and "verified" in app.items.value
    app.action.value = ACTIONS[5]
    app.run.click()
    assert "Download portfolio.csv" in app.download.value
    rows = read_csv((tmp_path / "ivy-portfolio" / "portfolio.csv").read_bytes().decode("utf-8"))
    assert rows[0]["claims"] == [("S5", "I let the agencies build the loop diagram themselves before adding my own.")]
    assert rows[0]["verified_by"] == "J. Patel (employer)"
