"""Rich picture images: type by magic bytes, size limit, safe SVG, atomic save, nothing lost on refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from stp_helpers import case
from stp_helpers.errors import CaseExistsError
from stp_helpers.ssm.rich_picture import MAX_IMAGE_BYTES, ImageError, image_kind, save_rich_picture

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
SVG = b'<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'


@pytest.mark.parametrize("data,name,kind", [(PNG, "pic.png", "png"), (JPEG, "pic.jpg", "jpeg"),
                                            (JPEG, "PIC.JPEG", "jpeg"), (SVG, "pic.svg", "svg")])
def test_accepted_images(data: bytes, name: str, kind: str) -> None:
    assert image_kind(data, name) == kind


@pytest.mark.parametrize("data,name,words", [
    (b"", "pic.png", "is empty"),
    (b"GIF89a" + bytes(20), "pic.png", "its first bytes are those of a GIF image"),
    (b"%PDF-1.7" + bytes(20), "pic.svg", "a PDF document"),
    (b"just some text", "notes.png", "is not a PNG, JPEG or SVG image"),
    (JPEG, "pic.png", "holds a JPEG image but its name ends in .png"),
    (PNG, "pic", "ends in nothing"),
    (SVG.replace(b"<circle", b'<script>alert(1)</script><circle'), "pic.svg", "contains a script element"),
    (SVG.replace(b"<circle", b'<circle onclick="x()"'), "pic.svg", "event handler (onclick)"),
    (SVG.replace(b"<circle", b'<image href="https://example.org/a.png"/><circle'), "pic.svg", "links to something outside"),
    # Bypasses of a pattern match: a namespaced or XHTML script, an escaped colon, an event after '/'.
    (SVG.replace(b"<svg ", b'<svg xmlns:s="http://www.w3.org/2000/svg" ').replace(b"<circle", b"<s:script>x()</s:script><circle"),
     "pic.svg", "contains a script element"),
    (SVG.replace(b"<circle", b'<foreignObject><h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script>'
                             b'</foreignObject><circle'), "pic.svg", "contains a foreignObject element"),
    (SVG.replace(b"<svg ", b'<svg xmlns:x="http://www.w3.org/1999/xlink" ').replace(
        b"<circle", b'<use x:href="javascript&#58;alert(1)"/><circle'), "pic.svg", "links to something outside"),
    (SVG.replace(b"<svg ", b'<svg/onload="alert(1)" '), "pic.svg", "is not well-formed SVG"),
    (SVG.replace(b"<circle", b'<style>@import url(https://example.org/x.css);</style><circle'), "pic.svg",
     "style sheet that links outside"),
])
def test_refused_images_say_why(data: bytes, name: str, words: str) -> None:
    with pytest.raises(ImageError) as info:
        image_kind(data, name)
    assert words in str(info.value) and info.value.fix


def test_oversized_image_is_refused() -> None:
    with pytest.raises(ImageError, match=r"more than the 5.2 MB limit"):
        image_kind(PNG + bytes(MAX_IMAGE_BYTES), "big.png")
    with pytest.raises(TypeError):
        image_kind("not bytes", "x.png")  # type: ignore[arg-type]


def test_save_writes_atomically_and_refusal_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    path = save_rich_picture(folder, PNG, "drawing.png")
    assert path.name == "rich_picture.png" and path.read_bytes() == PNG
    with pytest.raises(ImageError):
        save_rich_picture(folder, b"GIF89a", "drawing.png")
    assert path.read_bytes() == PNG and sorted(p.name for p in folder.iterdir()) == ["rich_picture.png"]
    with pytest.raises(CaseExistsError):
        save_rich_picture(folder, PNG, "again.png", overwrite=False)
    assert save_rich_picture(folder, SVG, "d.svg").name == "rich_picture.svg"


def test_shipped_case_is_never_written() -> None:
    shipped = case.load("plymouth-alliance").path
    with pytest.raises(CaseExistsError, match="stp new-case"):
        save_rich_picture(shipped, PNG, "drawing.png")
    assert not (shipped / "rich_picture.png").exists()
