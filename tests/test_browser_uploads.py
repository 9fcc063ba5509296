"""Uploads through a widget in Voilà (Chromium, network cut off): refused with a clear message, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Visit, open_app

from stp_helpers import catalogue, paths
from stp_helpers.ssm.rich_picture import MAX_IMAGE_BYTES

pytestmark = pytest.mark.browser

ENTRY = "methods/ssm.ipynb"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_rich_picture_uploads_are_checked_and_refused_clearly(voila_server: str, visit: Visit) -> None:
    folder = paths.shipped_cases_dir() / "plymouth-alliance"
    before = _files(folder)
    open_app(visit, voila_server, catalogue.entry(ENTRY))
    page = visit.page
    button = page.locator(".widget-upload").first
    button.wait_for(timeout=60_000)

    def send(name: str, mime: str, data: bytes, expected: str) -> None:
        with page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        page.get_by_text(expected).first.wait_for(timeout=30_000)

    # the content decides, not the name
    send("picture.png", "image/png", b"GIF89a" + bytes(64), "picture.png is not a PNG, JPEG or SVG image")
    send("drawing.svg", "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
         "drawing.svg contains a script element, which a drawing never needs")
    # larger than the limit: refused with the sizes
    big = PNG_HEAD + bytes(MAX_IMAGE_BYTES + 1024 * 1024 - len(PNG_HEAD))
    send("huge.png", "image/png", big,
         f"huge.png is {len(big) / 1e6:.1f} MB, more than the {MAX_IMAGE_BYTES / 1e6:.1f} MB limit")
    # far larger than the server's message limit: refused in the browser, the app keeps answering
    huge = PNG_HEAD + bytes(40 * 1024 * 1024)
    send("poster.png", "image/png", huge, f"poster.png is {len(huge) / 1e6:.1f} MB, more than the")
    # a good image still cannot change a shipped case
    send("fine.png", "image/png", PNG_HEAD + bytes(64), "is a case shipped with the workbook")

    assert _files(folder) == before
    assert visit.external == [] and visit.failed == []
    assert visit.console_errors == [], visit.console_errors
