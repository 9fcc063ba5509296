"""Rich picture images: type by magic bytes, size limit, safe SVG, raster re-encoded, atomic save, nothing lost on refusal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from stp_helpers import case
from stp_helpers.errors import CaseExistsError
from stp_helpers.ssm.rich_picture import (MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, ImageError, image_kind, reencode_raster,
                                          save_rich_picture)


def raster(fmt: str, size: tuple[int, int] = (6, 4), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 10)).save(out, format=fmt, **options)
    return out.getvalue()


PNG = raster("PNG")
JPEG = raster("JPEG")
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
    saved = path.read_bytes()
    assert path.name == "rich_picture.png" and saved == reencode_raster(PNG, "png")
    with pytest.raises(ImageError):
        save_rich_picture(folder, b"GIF89a", "drawing.png")
    assert path.read_bytes() == saved and sorted(p.name for p in folder.iterdir()) == ["rich_picture.png"]
    with pytest.raises(CaseExistsError):
        save_rich_picture(folder, PNG, "again.png", overwrite=False)
    assert save_rich_picture(folder, SVG, "d.svg").name == "rich_picture.svg"


def test_shipped_case_is_never_written() -> None:
    shipped = case.load("plymouth-alliance").path
    with pytest.raises(CaseExistsError, match="stp new-case"):
        save_rich_picture(shipped, PNG, "drawing.png")
    assert not (shipped / "rich_picture.png").exists()


def test_raster_is_written_again_from_its_pixels_only(tmp_path: Path) -> None:
    """A PNG with HTML after its end, or a JPEG carrying EXIF, keeps its pixels and nothing else."""
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<script>alert(1)</script>")
    sly = raster("PNG", pnginfo=text) + b"<html><script>alert(1)</script></html>"
    path = save_rich_picture(tmp_path / "mine", sly, "drawing.png")
    data = path.read_bytes()
    assert b"<script>" not in data and b"</html>" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (6, 4) and image.getpixel((0, 0)) == (200, 40, 10) and "Comment" not in image.info
    exif = Image.Exif()
    exif[0x010E] = "taken at home"  # ImageDescription
    photo = save_rich_picture(tmp_path / "other", raster("JPEG", exif=exif.tobytes()), "photo.jpg")
    assert b"taken at home" not in photo.read_bytes()


@pytest.mark.parametrize("data,name,problem", [
    (b"\x89PNG\r\n\x1a\n" + bytes(32), "broken.png", "does not decode as a PNG image"),
    (b"\xff\xd8\xff\xe0" + bytes(32), "broken.jpg", "does not decode as a JPEG image"),
    (raster("PNG", size=(6000, 4001)), "poster.png", "more than 24 million"),
])
def test_a_raster_that_does_not_decode_or_is_too_big_is_refused_and_nothing_written(
        tmp_path: Path, data: bytes, name: str, problem: str) -> None:
    with pytest.raises(ImageError, match=problem):
        save_rich_picture(tmp_path / "mine", data, name)
    assert not (tmp_path / "mine" / "rich_picture.png").exists() and MAX_IMAGE_PIXELS == 24_000_000
