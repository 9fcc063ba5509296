"""Tell from its bytes whether a case file holds what its name says.

A checker that only parses what it knows how to parse says "no problems" for
a ``cld_variables.csv`` that is really a spreadsheet, or a
``rich_picture.png`` that is really a web page.  :func:`check_content` looks
at the bytes first: text files must be text (and CSV files UTF-8 CSV),
images must be whole images of their type.

Examples
--------
>>> binary_kind(b"PK\\x03\\x04...")
'a ZIP archive (such as an .xlsx or .docx file)'
>>> binary_kind(b"id,label\\nU,unmet need\\n") is None
True
>>> png_problem(b"\\x89PNG\\r\\n\\x1a\\n<html>")
'the PNG data stops after 14 bytes, before its first chunk'
"""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import zlib

from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.parse import read_limited
from stp_helpers.paths import relative

__all__ = ["binary_kind", "png_problem", "check_content", "TEXT_SUFFIXES", "IMAGE_SUFFIXES"]

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (such as an .xlsx or .docx file)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (such as an .xls file)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
#: File types that must be text, with what to save them as.
TEXT_SUFFIXES = {".csv": "CSV UTF-8", ".yaml": "UTF-8 text", ".yml": "UTF-8 text",
                 ".mdl": "a Vensim text model (.mdl)", ".xmile": "XMILE text", ".stmx": "XMILE text",
                 ".json": "UTF-8 text"}
IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}
_PNG = b"\x89PNG\r\n\x1a\n"


def binary_kind(raw: bytes) -> str | None:
    """Return what binary content is (``"a PNG image"``), or None for text."""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return what
    if b"\x00" in raw[:8192]:
        return "binary data"
    return None


def png_problem(raw: bytes) -> str | None:
    """Return why ``raw`` is not a whole PNG image (chunks, checksums, end), or None."""
    if not raw.startswith(_PNG):
        return "it does not start with the PNG signature"
    pos, first = len(_PNG), True
    while True:
        if pos + 8 > len(raw):
            where = "before its first chunk" if first else "before its end chunk (IEND)"
            return f"the PNG data stops after {len(raw)} bytes, {where}"
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        if first and kind != b"IHDR":
            return "the first PNG chunk is not IHDR"
        end = pos + 8 + length + 4
        if end > len(raw):
            return f"the {kind!r} chunk at byte {pos} runs past the end of the file"
        (crc,) = struct.unpack(">I", raw[end - 4:end])
        if zlib.crc32(raw[pos + 4:end - 4]) != crc:
            return f"the {kind!r} chunk at byte {pos} fails its checksum"
        if kind == b"IEND":
            return None if end == len(raw) else f"{len(raw) - end} bytes follow the PNG's end chunk"
        pos, first = end, False


def _image_problem(raw: bytes, suffix: str) -> str | None:
    if suffix == ".png":
        return png_problem(raw)
    if suffix in (".jpg", ".jpeg"):
        if not raw.startswith(b"\xff\xd8\xff"):
            return "it does not start with the JPEG signature"
        if b"\xff\xd9" not in raw[-64:]:
            return "the JPEG data has no end marker"
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "it is not UTF-8 text, as SVG must be"
    if not re.search(r"<svg[\s>]", text[:4096]):
        return "it has no <svg> element near its start"
    return None


def check_content(path: str | os.PathLike[str]) -> list[Problem]:
    """Return problems with what a case file holds, judged by its name's suffix.

    Text files (:data:`TEXT_SUFFIXES`) must not be binary; CSV must also be
    UTF-8 and parse as CSV.  Images (:data:`IMAGE_SUFFIXES`) must be whole
    images of their type.  Other suffixes, and empty text files, are left to
    the file's reader.  Nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rich_picture.png"
    >>> _ = path.write_bytes(b"<html>not a picture</html>")
    >>> print(check_content(path)[0].problem)
    The file is not a PNG image: it does not start with the PNG signature.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in TEXT_SUFFIXES and suffix not in IMAGE_SUFFIXES:
        return []
    name = relative(path)
    try:
        raw = read_limited(path)
    except CaseFileError as err:
        return err.problems
    if suffix in IMAGE_SUFFIXES:
        why = _image_problem(raw, suffix)
        kind = IMAGE_SUFFIXES[suffix]
        return [Problem(name, f"The file is not a{'n' if kind == 'SVG' else ''} {kind} image: {why}.",
                        fix=f"Save the picture again as {kind}, or list the file it really is.")] if why else []
    what = binary_kind(raw)
    if not raw.strip():
        return []
    if what is not None:
        return [Problem(name, f"The file holds {what}, not text.",
                        fix=f"Save it again as {TEXT_SUFFIXES[suffix]}.")]
    if suffix != ".csv":
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return [Problem(name, "The file is not UTF-8 text.", line=raw[:err.start].count(b"\n") + 1,
                        fix="Save it as 'CSV UTF-8' (or UTF-8 text) and try again.")]
    try:
        for _ in csv.reader(io.StringIO(text)):
            pass
    except csv.Error as err:
        return [Problem(name, f"The file is not valid CSV ({err}).",
                        fix="Open it in a spreadsheet and save it as CSV.")]
    return []
