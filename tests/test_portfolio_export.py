"""Portfolio exports: HTML and PDF hold the same items offline, the CSV round-trips, `stp portfolio` writes all three."""

from __future__ import annotations

import base64
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import LOCAL
from pypdf import PdfReader

from stp_helpers import cli
from stp_helpers.learner import records
from stp_helpers.learner.pdf import write_pdf
from stp_helpers.learner.portfolio import build_portfolio, csv_items, export_csv, read_csv, write_csv, write_portfolio
from stp_helpers.learner.store import PortfolioStore
from stp_helpers.standard import KSB_IDS
from tests.test_portfolio import wiltshire_thread

# a 1×1 PNG
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def full_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PortfolioStore:
    store = wiltshire_thread(tmp_path, monkeypatch)
    pic = store.attach(PIXEL, "board-photo.png", "Photo of the hub board's agreed loop", date="2026-03-15")
    store.claim(pic, "S10", 'The board agreed the loop, "as drawn", and asked for monthly figures.')
    records.set_planned_hours(store, 278)
    records.log_hours(store, "2026-02-03", 7.5, "Module day: causal loops", off_the_job=True, ksbs=("K1",))
    records.log_hours(store, "2026-03-14", 3, "Hub workshop", off_the_job=True, ksbs=("S5",))
    records.add_review(store, "2026-03-31", "R. Singh (tutor)", "Good start; hours behind plan.", ["Log reading time"])
    return store


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()  # PDF text has ligatures (ﬁ)


def test_html_and_pdf_hold_the_same_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = full_thread(tmp_path, monkeypatch)
    page = build_portfolio(store)
    pdf = write_pdf(store, tmp_path / "portfolio.pdf")
    text = _text(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    items = store.items()
    assert [i["id"] for i in items] == ["E1", "E2", "E3", "E4", "E5"]
    for item in items:
        heading = f"{item['id']} · {item['title']}"
        assert heading in page and _text(heading) in text
        assert item["date"] in page and item["date"] in text
    for verdict in ("Verified by J. Patel (employer) on 2026-03-20", "Needs more by R. Singh (tutor) on 2026-03-21"):
        assert verdict in _text(re.sub(r"<[^>]+>", "", page)) and verdict in text
    assert "5 of 25 KSBs evidenced" not in text, "the attachment's claim adds S10"
    assert "6 of 25 KSBs evidenced by confirmed claims, 1 verified." in text
    assert "no evidence claimed" in text and "10.5 hours off the job logged of a planned minimum of 278 (267.5 to go)" in text
    # pictures are inlined; nothing is fetched from elsewhere
    assert "data:image/png;base64," in page and "data:image/svg+xml;base64," in page
    assert "<script" not in page
    assert re.findall(r"""(?:src|href)=['"](?!data:|file:)""", page) == []
    links = re.findall(r"""href=['"](file:[^'"]+)""", page)
    assert any(link.endswith("/mine/cld.csv") for link in links)
    assert any(link.endswith("board-photo.png") for link in links)


def test_csv_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = full_thread(tmp_path, monkeypatch)
    store.add_engagement("Awkward, \"quoted\" title", "Line one of what happened, with commas, quotes \" and\n"
                         "a second line: the team met twice and agreed the next three steps together.",
                         "team", date="2026-04-01")
    text = export_csv(store)
    assert text.splitlines()[0] == ("evidence_id,date,kind,title,description,link,ksb,claim,verification,"
                                    "verified_by,verified_on,verification_comment")
    back = read_csv(text)
    assert back == csv_items(store)
    assert [i["evidence_id"] for i in back] == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert back[0]["claims"] == [("S3", "I added the housing-offer link from our own data and marked its delay."),
                                 ("K2", "The new balancing link shows how housing offers feed back on unmet need.")]
    assert back[5]["claims"] == [] and back[5]["title"] == 'Awkward, "quoted" title'
    assert back[3]["verification"] == "verified" and back[3]["verified_on"] == "2026-03-20"
    target = write_csv(store, tmp_path / "items.csv")
    assert read_csv(target.read_bytes().decode("utf-8")) == back


def test_portfolio_command_writes_html_pdf_and_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STP_PROGRESS", str(tmp_path / "progress"))
    wiltshire_thread(tmp_path, monkeypatch)
    html, pdf, table = tmp_path / "p.html", tmp_path / "p.pdf", tmp_path / "p.csv"
    assert cli.main(["portfolio", "--learner", "wil", "--out", str(html), "--pdf", str(pdf), "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 of 25 KSBs evidenced by confirmed claims, 1 verified. Gaps: K3, K4, K5,")
    assert html.read_text().startswith("<!DOCTYPE html>") and pdf.read_bytes().startswith(b"%PDF")
    assert [i["evidence_id"] for i in read_csv(table.read_bytes().decode("utf-8"))] == ["E1", "E2", "E3", "E4"]
    before = html.read_text()
    assert cli.main(["portfolio", "--learner", "wil", "--out", str(html)]) == 1
    assert "already exists" in capsys.readouterr().err and html.read_text() == before
    monkeypatch.delenv("STP_LEARNER", raising=False)
    assert cli.main(["portfolio", "--out", str(tmp_path / "q.html")]) == 1
    assert "No learner named. Pass --learner NAME or set STP_LEARNER." in capsys.readouterr().err
    assert not (tmp_path / "q.html").exists()


@pytest.mark.browser
def test_the_html_portfolio_opens_offline_and_prints_with_no_request_elsewhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: object) -> None:
    store = full_thread(tmp_path, monkeypatch)
    target = write_portfolio(store, tmp_path / "site" / "portfolio.html")
    import http.server
    import threading
    from functools import partial

    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(target.parent))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        context = browser.new_context()
        page = context.new_page()
        external, seen = [], []
        page.route("**/*", lambda r: (seen.append(r.request.url), r.continue_() if r.request.url.startswith(LOCAL)
                                      else (external.append(r.request.url), r.abort())))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{target.name}")
        assert page.eval_on_selector_all("td[id]", "els => els.map(e => e.id)") == list(KSB_IDS)
        assert page.eval_on_selector_all("div.item", "els => els.map(e => e.id)") == ["E1", "E2", "E3", "E4", "E5"]
        assert page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth > 0)") == [True, True]
        assert "no evidence claimed" in page.inner_text("tr:has(td#K3)")
        printed = page.pdf(format="A4")
        assert printed.startswith(b"%PDF")
        assert external == [] and len(seen) == 1, seen
        context.close()
        server.shutdown()
