"""The decision-makers' report: built from a case's artefacts, written safely, opened offline in Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from stp_helpers import case, report
from stp_helpers.errors import CaseExistsError

SECTIONS = ["Theory of change", "Indicators", "Measures: signals, not single points", "Failure demand",
            "Options appraisal", "Contribution analysis", "Sources"]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {slug: report.build_report(slug) for slug in ("stoke-neet", "plymouth-alliance")}


@pytest.mark.parametrize("slug", ["stoke-neet", "plymouth-alliance"])
def test_report_has_every_section_and_no_external_resource(pages: dict[str, str], slug: str) -> None:
    page = pages[slug]
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in page
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    urls = set(re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page))
    assert {u for u in urls if not u.startswith(("#", "data:"))} == set()
    assert page.count("<svg") >= 5  # the logic model and the charts, inline
    assert "synthetic" in page


def test_report_states_the_findings(pages: dict[str, str]) -> None:
    assert "Plausible, needs more evidence (CA-1)." in pages["stoke-neet"]
    assert "Plausible, needs more evidence (CA-1)." in pages["plymouth-alliance"] and "was found partly" in pages["plymouth-alliance"]
    assert "Target 21: chance." in pages["plymouth-alliance"]


def test_write_report_is_safe(tmp_path: Path) -> None:
    out = report.write_report("stoke-neet", tmp_path / "out" / "report.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(CaseExistsError, match="already exists"):
        report.write_report("stoke-neet", out)
    report.write_report("stoke-neet", out, overwrite=True)
    with pytest.raises(CaseExistsError, match="read-only"):
        report.write_report("stoke-neet", case.load("stoke-neet").path / "report.html")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]


@pytest.fixture
def served(tmp_path: Path, pages: dict[str, str]) -> Iterator[str]:
    (tmp_path / "report.html").write_text(pages["plymouth-alliance"], encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_report_opens_offline_in_chromium(visit: object, served: str) -> None:
    visit.page.goto(served, wait_until="load")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("h2").all_inner_texts() == SECTIONS
    assert visit.page.locator("svg").count() >= 5
    assert visit.external == [], visit.external
    assert visit.failed == [], visit.failed
    assert visit.console_errors == [], visit.console_errors
