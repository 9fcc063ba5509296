"""Rich picture images: check an upload by its bytes, then save it in a case folder.

An image is accepted when its **content** is PNG, JPEG or SVG (magic bytes,
not the file name), it is no larger than :data:`MAX_IMAGE_BYTES`, and its
extension agrees with its content.  An SVG must be a plain drawing: no
scripts, event handlers or links to other sites, because the workbook shows
it inline and offline.  A PNG or JPEG is decoded by Pillow and written again
from its pixels (:func:`reencode_raster`), so nothing hidden after or inside
the image (another file, a script, its EXIF location) is kept.  A refused
upload changes nothing on disk.

Examples
--------
>>> PNG = b"\\x89PNG\\r\\n\\x1a\\n" + bytes(16)
>>> image_kind(PNG, "picture.png")
'png'
>>> image_kind(b"GIF89a....", "picture.png")
Traceback (most recent call last):
...
stp_helpers.errors.ImageError: picture.png is not a PNG, JPEG or SVG image (its first bytes are those of a GIF image). Export the drawing as PNG, JPEG or SVG and upload that file.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from stp_helpers.io.atomic import write_atomic
from stp_helpers import paths
from stp_helpers.errors import CaseExistsError, ImageError

__all__ = ["ImageError", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "IMAGE_NAMES", "SVG_ELEMENTS", "image_kind",
           "svg_problem", "too_large", "reencode_raster", "save_rich_picture"]

#: Most pixels a rich picture may have (a 6,000 by 4,000 photograph); more is refused, not decoded.
MAX_IMAGE_PIXELS = 24_000_000
#: Largest rich picture image accepted (bytes): 5 MB.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: The file name an image is saved under in a case folder, by kind.
IMAGE_NAMES = {"png": "rich_picture.png", "jpeg": "rich_picture.jpg", "svg": "rich_picture.svg"}
_EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
_OTHER = {b"GIF8": "a GIF image", b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP file (or Word/Excel document)",
          b"BM": "a BMP image", b"RIFF": "a WebP image or other RIFF file", b"\xd0\xcf\x11\xe0": "an old Office document"}
#: Elements a plain drawing uses; anything else (script, foreignObject, iframe, animation…) is refused.
SVG_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "title", "desc", "defs", "symbol", "use", "image", "linearGradient", "radialGradient", "stop", "clipPath",
    "mask", "pattern", "marker", "metadata", "style", "filter", "feGaussianBlur", "feOffset", "feBlend",
    "feColorMatrix", "feMerge", "feMergeNode", "feFlood", "feComposite",
})
#: Metadata that editors write (RDF, Dublin Core, Inkscape and Sodipodi), kept but never rendered.
_METADATA_NAMESPACES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/",
                        "http://creativecommons.org/ns#", "http://www.inkscape.org/namespaces/inkscape",
                        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd")
_CSS_UNSAFE = re.compile(r"@import|expression\s*\(|url\s*\(\s*['\"]?\s*(?!#|data:image/)", re.I)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    head = re.sub(rb"^(<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", b"", head, flags=re.S)
    return head[:4].lower() == b"<svg"


def too_large(name: str, size: int) -> ImageError:
    """Return the error for an image of ``size`` bytes, over :data:`MAX_IMAGE_BYTES`.

    Examples
    --------
    >>> print(too_large("map.png", 12_000_000))
    map.png is 12.0 MB, more than the 5.2 MB limit. Export it smaller (e.g. 1600 pixels wide, or as SVG) and upload it again.
    """
    return ImageError(f"{name} is {size / 1e6:.1f} MB, more than the {MAX_IMAGE_BYTES / 1e6:.1f} MB limit.",
                      "Export it smaller (e.g. 1600 pixels wide, or as SVG) and upload it again.")


def image_kind(data: bytes, name: str) -> str:
    """Return ``"png"``, ``"jpeg"`` or ``"svg"`` for an acceptable rich picture.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The uploaded file's name (its extension must agree with the content).

    Returns
    -------
    str

    Raises
    ------
    ImageError
        Empty, too large, not PNG/JPEG/SVG by content, extension and content
        disagree, or an SVG with scripts or links to other sites.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("data should be the file's bytes")
    label = Path(str(name)).name or "the upload"
    if not data:
        raise ImageError(f"{label} is empty.", "Choose the image file again.")
    if len(data) > MAX_IMAGE_BYTES:
        raise too_large(label, len(data))
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        kind = "png"
    elif data[:3] == b"\xff\xd8\xff":
        kind = "jpeg"
    elif _looks_like_svg(bytes(data)):
        kind = "svg"
    else:
        what = next((v for k, v in _OTHER.items() if data.startswith(k)), None)
        said = f" (its first bytes are those of {what})" if what else ""
        raise ImageError(f"{label} is not a PNG, JPEG or SVG image{said}.",
                         "Export the drawing as PNG, JPEG or SVG and upload that file.")
    ext = Path(label).suffix.lower()
    if _EXTENSIONS.get(ext) != kind:
        raise ImageError(f"{label} holds a {kind.upper()} image but its name ends in {ext or 'nothing'}.",
                         f"Rename it to end in .{'jpg' if kind == 'jpeg' else kind} and upload it again.")
    if kind == "svg" and (why := svg_problem(bytes(data))):
        raise ImageError(f"{label} {why}.",
                         "Export a plain SVG drawing (in Inkscape: 'Plain SVG') and upload it again.")
    return kind


def _local(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition("}")
    return namespace.lstrip("{"), local


def _safe_link(value: str) -> bool:
    plain = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
    return plain.startswith("#") or plain.startswith("data:image/")


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is not a plain drawing, or ``None``: parsed as XML (defusedxml), every element and attribute checked.

    Only the elements of :data:`SVG_ELEMENTS` (and editors' metadata) are kept;
    no event attribute (``on…``), no link but to a part of the drawing or an
    inline image, no style that imports or links out.  Text the parser cannot
    read is refused, so ``<svg/onload=…>`` never reaches a page.

    Examples
    --------
    >>> svg_problem(b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>') is None
    True
    >>> svg_problem(b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:script>x</s:script></svg>')
    'contains a script element, which a drawing never needs'
    >>> svg_problem(b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    ...             b'<a x:href="javascript&#58;alert(1)"><text>t</text></a></svg>')
    'contains an a element, which a drawing never needs'
    """
    try:
        root = DefusedET.fromstring(data)
    except (DefusedET.ParseError, DefusedXmlException, ValueError) as err:
        return f"is not well-formed SVG ({type(err).__name__})"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, name = _local(element.tag)
        if namespace.startswith(_METADATA_NAMESPACES):
            continue
        if name not in SVG_ELEMENTS:
            article = "an" if name[:1].lower() in "aeiou" else "a"
            return f"contains {article} {name} element, which a drawing never needs"
        for attribute, value in element.attrib.items():
            _, attr = _local(attribute)
            if attr.lower().startswith("on"):
                return f"contains an event handler ({attr})"
            if attr in ("href", "src") and not _safe_link(value):
                return "links to something outside the drawing"
            if attr == "style" and _CSS_UNSAFE.search(value):
                return "has a style that links outside the drawing"
        if name == "style" and _CSS_UNSAFE.search(element.text or ""):
            return "has a style sheet that links outside the drawing"
    return None


def reencode_raster(data: bytes, kind: str, name: str = "the upload") -> bytes:
    """Decode a PNG or JPEG with Pillow and encode its pixels again, dropping everything else.

    Trailing bytes (a PNG followed by HTML), text chunks, EXIF (with any GPS
    position) and ICC profiles are not copied.  An image that does not decode,
    or has more than :data:`MAX_IMAGE_PIXELS` pixels, is refused.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> raw = io.BytesIO()
    >>> Image.new("RGB", (4, 3), "white").save(raw, format="PNG")
    >>> clean = reencode_raster(raw.getvalue() + b"<script>alert(1)</script>", "png")
    >>> clean.startswith(b"\\x89PNG") and b"<script>" not in clean
    True
    >>> reencode_raster(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(16), "png", "map.png")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ImageError: map.png does not decode as a PNG image. Export the drawing again as PNG, JPEG or SVG and upload that file.
    """
    from PIL import Image, UnidentifiedImageError  # Pillow: only an upload needs it

    fmt = {"png": "PNG", "jpeg": "JPEG"}[kind]
    refused = ImageError(f"{name} does not decode as a {kind.upper()} image.",
                         "Export the drawing again as PNG, JPEG or SVG and upload that file.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(bytes(data)), formats=[fmt]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ImageError(f"{name} is {image.width} by {image.height} pixels, more than "
                                     f"{MAX_IMAGE_PIXELS / 1e6:.0f} million.",
                                     "Export it smaller (e.g. 1600 pixels wide) and upload it again.")
                image.load()
                pixels = image.convert("RGBA" if image.mode in ("P", "LA", "RGBA", "PA") else "RGB") \
                    if fmt == "PNG" else image.convert("RGB")
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as err:
        raise refused from err
    out = io.BytesIO()
    pixels.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    return out.getvalue()


def save_rich_picture(folder: str | os.PathLike[str], data: bytes, name: str, *, overwrite: bool = False) -> Path:
    """Check an image and write it into a case folder as ``rich_picture.<ext>``, atomically.

    Parameters
    ----------
    folder : path
        The user's case folder (never a shipped case).
    data : bytes
        The image.
    name : str
        Its uploaded file name.
    overwrite : bool
        Replace an existing rich picture of the same kind.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ImageError
        The image is refused (see :func:`image_kind`); nothing is written.
    CaseExistsError
        The folder is a shipped case, or the file exists and ``overwrite`` is False.
    """
    kind = image_kind(data, name)
    folder = Path(folder)
    try:
        folder.resolve().relative_to(paths.shipped_cases_dir().resolve())
        shipped = True
    except ValueError:
        shipped = False
    if shipped:
        raise CaseExistsError(f"{paths.relative(folder)} is a case shipped with the workbook, which stays unchanged.",
                              fix=f"Make your own copy with 'stp new-case my-case --from {folder.name}' and save there.")
    target = folder / IMAGE_NAMES[kind]
    if target.exists() and not overwrite:
        raise CaseExistsError(f"{paths.relative(target)} already exists.",
                              fix="Confirm that it should be replaced.")
    clean = bytes(data) if kind == "svg" else reencode_raster(data, kind, Path(str(name)).name or "the upload")
    return write_atomic(target, clean)
