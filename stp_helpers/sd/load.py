"""Open Vensim and XMILE models through PySD, translating in the cache.

PySD writes the translated ``.py`` beside the model it reads (methods.md
§3.2).  The workbook never writes beside a user's file, so
:func:`load_model` copies the model (and the data files it names) into
``paths.cache_dir("models", <key>)``, where ``<key>`` is the SHA-256 of the
file contents and the PySD version, and translates there.  Opening the same
content again loads the cached ``.py`` with ``pysd.load`` (a few
milliseconds instead of a second or more).

Every PySD failure becomes a :class:`~stp_helpers.errors.ModelError` that
names the file, the line or variable where it is known, and what to do.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from stp_helpers.errors import ModelError
from stp_helpers.paths import cache_dir, relative

__all__ = ["load_model", "open_translated", "translate_error", "SUPPORTED_SUFFIXES"]

#: File suffixes :func:`load_model` accepts, with the PySD reader used.
SUPPORTED_SUFFIXES = {
    ".mdl": "vensim",
    ".xmile": "xmile",
    ".xml": "xmile",
    ".stmx": "xmile",
    ".itmx": "xmile",
}

_LEGACY_XMILE = "http://www.systemdynamics.org/XMILE"
_NOT_IMPLEMENTED = re.compile(r"not_implemented_function\(\s*\"([^\"]+)\"")
_CACHE_FORMAT = "1"  # bump when the cache layout changes


def _pysd_version() -> str:
    import pysd

    return str(pysd.__version__)


def _referenced_files(model_path: Path, text: str) -> list[Path]:
    """Return files beside the model whose relative path appears in its text.

    Vensim ``GET DIRECT``/``GET XLS`` functions and XMILE data references
    name files relative to the model; they must travel into the cache too.
    """
    found = []
    base = model_path.parent
    try:
        candidates = [p for p in base.iterdir() if p.is_file()]
        candidates += [p for d in base.iterdir() if d.is_dir() for p in d.iterdir() if p.is_file()]
    except OSError:
        return []
    for cand in candidates:
        if cand == model_path or cand.suffix.lower() in {".py", ".pyc"}:
            continue
        rel = cand.relative_to(base).as_posix()
        if rel in text or rel.replace("/", "\\") in text:
            found.append(cand)
    return sorted(found)


def _cache_key(model_bytes: bytes, suffix: str, extras: Sequence[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for part in (_CACHE_FORMAT, _pysd_version(), suffix):
        digest.update(part.encode() + b"\0")
    digest.update(model_bytes)
    for name, content in extras:
        digest.update(b"\0" + name.encode() + b"\0" + content)
    return digest.hexdigest()


def _line_of(text: str, fragment: str, offset: int = 0) -> int | None:
    """Return the 1-based line in ``text`` where ``fragment`` starts (+ offset)."""
    if not fragment:
        return None
    idx = text.find(fragment)
    if idx < 0:
        head = fragment.strip().splitlines()[0] if fragment.strip() else ""
        idx = text.find(head) if head else -1
        if idx < 0:
            return None
        return text.count("\n", 0, idx) + 1
    return text.count("\n", 0, idx) + 1 + fragment.count("\n", 0, max(offset, 0))


def _xmile_missing_equations(text: str) -> list[str]:
    """Return the names of XMILE variables that have no ``<eqn>``."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    missing = []
    for elem in root.iter():
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag not in {"aux", "flow", "stock", "gf"} or "name" not in elem.attrib:
            continue
        children = {c.tag.rsplit("}", 1)[-1]: c for c in elem}
        if tag == "gf":
            continue
        if "eqn" in children and (children["eqn"].text or "").strip():
            continue
        if "element" in children:  # arrayed: every element needs one
            for sub in elem:
                if sub.tag.rsplit("}", 1)[-1] != "element":
                    continue
                eqn = [c for c in sub if c.tag.rsplit("}", 1)[-1] == "eqn"]
                if not eqn or not (eqn[0].text or "").strip():
                    missing.append(f"{elem.attrib['name']}[{sub.attrib.get('subscript', '?')}]")
            continue
        missing.append(elem.attrib["name"].replace("\n", " ").replace("\\n", " "))
    return missing


def translate_error(
    err: BaseException,
    path: str | os.PathLike[str],
    stage: str = "translate",
    text: str | None = None,
) -> ModelError:
    """Turn a PySD (or Python) exception into a :class:`ModelError`.

    Parameters
    ----------
    err : BaseException
        What PySD raised.
    path : str or path-like
        The user's model file (named in the message).
    stage : {"translate", "load", "run"}
        What the workbook was doing.
    text : str or None
        The model's source text, used to find the line of a parse error.

    Returns
    -------
    ModelError
        An error whose message says what, where and how to fix; raise it
        ``from err``.

    Examples
    --------
    >>> err = translate_error(RecursionError("maximum recursion depth"), "m.mdl")
    >>> print(err.problem)
    m.mdl: PySD could not translate the model: its definitions nest too deeply (RecursionError).
    """
    where = relative(path)
    name = type(err).__name__
    message = str(err).strip().splitlines()[0] if str(err).strip() else name
    doing = {"translate": "translate", "load": "load", "run": "run"}.get(stage, stage)

    if name in {"ParseError", "IncompleteParseError", "VisitationError"}:
        fragment = getattr(err, "text", "") or ""
        pos = getattr(err, "pos", 0) or 0
        line = _line_of(text, fragment, pos) if text else None
        at = f", line {line}" if line else ""
        near = fragment[pos : pos + 40].strip() or fragment.strip()[:40]
        return ModelError(
            f"{where}{at}: PySD could not parse this equation near {near!r} ({name}).",
            "Check the equation for a missing operator, bracket or quote, and that any "
            "data variable uses a keyword such as ':INTERPOLATE:'; PySD reads Vensim "
            "equations, not Vensim-only syntax such as {comments} inside subscript ranges.",
        )
    if isinstance(err, RecursionError):
        return ModelError(
            f"{where}: PySD could not {doing} the model: its definitions nest too deeply "
            f"(RecursionError).",
            "Element-by-element definitions that refer to each other (as in 'interleaved' "
            "models) are not supported; define the array with one equation where you can.",
        )
    if name == "InvalidInput":
        return ModelError(
            f"{where}: PySD generated Python that does not parse (black InvalidInput: "
            f"{message[:120]}).",
            "This usually comes from names with unusual characters, such as a prime in a "
            "dimension name (DimA'). Rename them with letters, digits and spaces only.",
        )
    if isinstance(err, NotImplementedError):
        func = re.search(r"'([^']+)'", message)
        what = f"the function {func.group(1).upper()!r}" if func else "a feature"
        return ModelError(
            f"{where}: the model uses {what}, which PySD does not support "
            f"({name} at {doing} time: {message}).",
            "Replace it with supported functions (see PySD's list of supported Vensim "
            "and XMILE functions), or run this model in Vensim or Stella.",
        )
    if isinstance(err, FileNotFoundError):
        missing = getattr(err, "filename", None) or message
        return ModelError(
            f"{where}: a file the model reads was not found ({Path(str(missing)).name}).",
            "Put the data file in the same folder as the model, or pass it with "
            "data_files=[...].",
        )
    if isinstance(err, KeyError):
        key = message.strip("'\"")
        return ModelError(
            f"{where}: the model refers to {key.replace('_', ' ')!r}, which PySD could not "
            f"find while trying to {doing} it (KeyError).",
            "Check that every variable, subscript and lookup it names is defined and spelled "
            "the same way everywhere.",
        )
    if isinstance(err, IndexError) and text is not None and stage == "translate":
        missing = _xmile_missing_equations(text)
        if missing:
            shown = ", ".join(repr(m) for m in missing[:8])
            return ModelError(
                f"{where}: these variables have no equation: {shown} "
                f"(PySD stops with IndexError).",
                "Give each one an equation in Stella/iThink (a diagram-only file or an "
                "undefined converter cannot run).",
            )
    if isinstance(err, ValueError) and "reshape" in message:
        return ModelError(
            f"{where}: PySD could not build the model's arrays ({message}).",
            "Subscript mappings (A: a1, a2 -> B) and EXCEPT over subranges are not "
            "supported; write the mapping out element by element.",
        )
    if isinstance(err, ZeroDivisionError | OverflowError | FloatingPointError):
        return ModelError(
            f"{where}: arithmetic failed while trying to {doing} the model ({name}: {message}).",
            "Guard divisions with ZIDZ/XIDZ or MAX(x, small number) and check the inputs.",
        )
    return ModelError(
        f"{where}: PySD could not {doing} the model ({name}: {message[:200]}).",
        "Check that the model opens and runs in Vensim or Stella, and that it uses only "
        "functions PySD supports; XMILE macros, modules and Stella array builtins such "
        "as SUM(a[*]) are not supported.",
    )


def _prepare(src: Path, data_files: Sequence[Path]) -> tuple[str, str, Path, list[Path]]:
    """Hash the model and its files; return (kind, key, folder, extras)."""
    suffix = src.suffix.lower()
    raw = src.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    extras = sorted(set(data_files) | set(_referenced_files(src, text)))
    parts = []
    for extra in extras:
        try:
            parts.append((extra.name, extra.read_bytes()))
        except OSError as err:
            raise ModelError(
                f"{relative(extra)}: cannot read this data file ({err.strerror}).",
                "Check that the file exists and that you can read it.",
            ) from err
    key = _cache_key(raw, suffix, parts)
    return SUPPORTED_SUFFIXES[suffix], key, cache_dir("models") / key, extras


def _translate_into(src: Path, kind: str, final: Path, extras: Sequence[Path]) -> None:
    """Translate ``src`` in a fresh temporary folder, then move it to ``final``."""
    import pysd

    text = src.read_text(encoding="utf-8", errors="replace")
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name[:12]}-", dir=final.parent))
    try:
        target_suffix = ".xmile" if src.suffix.lower() in {".itmx", ".xml"} else src.suffix
        model_copy = tmp / ("model" + target_suffix.lower())
        shutil.copyfile(src, model_copy)
        base = src.parent
        for extra in extras:
            dest = tmp / extra.relative_to(base) if extra.is_relative_to(base) else tmp / extra.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(extra, dest)
        reader = pysd.read_vensim if kind == "vensim" else pysd.read_xmile
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reader(str(model_copy), initialize=False)
            except Exception as err:  # PySD raises many kinds
                raise translate_error(err, src, "translate", text) from err
        notes = sorted({str(w.message).splitlines()[0] for w in caught})
        (tmp / "warnings.txt").write_text("\n".join(notes), encoding="utf-8")
        (tmp / "source.txt").write_text(relative(src), encoding="utf-8")
        try:
            os.rename(tmp, final)
        except OSError:  # another process finished first: use theirs
            if not (final / "model.py").exists():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_model(
    path: str | os.PathLike[str],
    data_files: Sequence[str | os.PathLike[str]] | None = None,
    *,
    require_stocks: bool = True,
    use_cache: bool = True,
):
    """Open a Vensim (.mdl) or XMILE (.xmile, .stmx, .itmx) model with PySD.

    The model is translated once per content in the workbook's cache (never
    beside ``path``); later calls with the same file content reload the
    translated Python, which takes milliseconds.

    Parameters
    ----------
    path : str or path-like
        The model file.  ``.itmx`` (iThink) files are read as XMILE.
    data_files : sequence of path-like or None
        Data files (``.tab``/``.csv``) for the model's data variables.  Files
        beside the model that its equations name are found automatically.
    require_stocks : bool
        If True (default), refuse a model with no stocks (``PYSD-1``).  Set
        False for feature tests that only exercise functions or lookups.
    use_cache : bool
        If False, translate again even if the cache holds this content.

    Returns
    -------
    Model
        The wrapped model; see :class:`stp_helpers.sd.Model`.

    Raises
    ------
    ModelError
        If the file is missing or of an unknown type; if PySD cannot
        translate or initialise it (with the line or variable where known);
        if it has no variables besides the time controls (legacy XMILE
        dialect) or, with ``require_stocks``, no stocks; or if it uses a
        function PySD does not implement.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.mdl").write_text(
    ...     "Stock = INTEG(inflow, 1) ~ widget ~ A stock. |\\n"
    ...     "inflow = 0.5 ~ widget/Month [0,2,0.1] ~ Constant inflow. |\\n"
    ...     "INITIAL TIME = 0 ~ Month ~ Start. |\\nFINAL TIME = 4 ~ Month ~ End. |\\n"
    ...     "TIME STEP = 1 ~ Month ~ Step. |\\nSAVEPER = 1 ~ Month ~ Save. |\\n")
    >>> model = load_model(folder / "m.mdl")  # doctest: +SKIP
    >>> model.stocks  # doctest: +SKIP
    ['Stock']
    >>> load_model(folder / "missing.mdl")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: ...missing.mdl: there is no such model file. ...
    """
    src = Path(path).expanduser()
    if not src.is_file():
        raise ModelError(
            f"{relative(src)}: there is no such model file.",
            "Check the path; models end in .mdl (Vensim) or .xmile/.stmx/.itmx (XMILE).",
        )
    suffix = src.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ModelError(
            f"{relative(src)}: {suffix or 'no suffix'} is not a model file type the "
            f"workbook reads.",
            "Save the model as Vensim .mdl or XMILE (.xmile, .stmx); .itmx also works.",
        )
    src = src.resolve()
    explicit = [Path(p).expanduser().resolve() for p in (data_files or ())]
    kind, key, folder, extras = _prepare(src, explicit)
    if folder.exists() and not use_cache:
        shutil.rmtree(folder, ignore_errors=True)
    if not (folder / "model.py").exists():
        _translate_into(src, kind, folder, extras)
    text = src.read_text(encoding="utf-8", errors="replace")
    py_file = folder / "model.py"
    source = py_file.read_text(encoding="utf-8")
    unsupported = sorted(set(_NOT_IMPLEMENTED.findall(source)))
    if unsupported:
        names = ", ".join(u.upper().replace("_", " ") for u in unsupported)
        raise ModelError(
            f"{relative(src)}: the model calls {names}, which is neither a function PySD "
            f"supports nor a lookup defined in the model; it would stop with "
            f"NotImplementedError when run.",
            "Define the lookup (check its spelling), or replace the function with supported "
            "ones, or run the model in Vensim or Stella.",
        )
    cached_data = [
        str(folder / (e.relative_to(src.parent) if e.is_relative_to(src.parent) else e.name))
        for e in explicit
    ]
    model = open_translated(folder, src, tuple(cached_data))
    _check_content(model, src, text, require_stocks)
    return model


def open_translated(folder: Path, source: Path, data_files: tuple[str, ...] = ()):
    """Open an already translated model from its cache folder (no hashing).

    Parameters
    ----------
    folder : Path
        Cache folder holding ``model.py`` (``Model.cache``).
    source : Path
        The user's model file, for messages.
    data_files : tuple of str
        Data files in the cache folder.

    Returns
    -------
    Model

    Raises
    ------
    ModelError
        If PySD cannot load or initialise the translated model.
    """
    import pysd

    from stp_helpers.sd.model import Model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pmodel = pysd.load(str(Path(folder) / "model.py"), data_files=list(data_files) or None)
        except Exception as err:
            text = Path(source).read_text(encoding="utf-8", errors="replace") if Path(
                source).is_file() else None
            raise translate_error(err, source, "load", text) from err
    notes_file = Path(folder) / "warnings.txt"
    notes = [n for n in notes_file.read_text(encoding="utf-8").splitlines() if n] if (
        notes_file.exists()
    ) else []
    return Model(pmodel, source=Path(source), cache=Path(folder), data_files=data_files,
                 notes=notes)


def _check_content(model, src: Path, text: str, require_stocks: bool) -> None:
    """Apply ``PYSD-1``: refuse models with no variables or no stocks."""
    if not model.variables_list():
        if _LEGACY_XMILE in text:
            raise ModelError(
                f"{relative(src)}: the file uses the old pre-standard XMILE dialect "
                f"({_LEGACY_XMILE}), which PySD reads as an empty model (no variables).",
                "Save it again from a current Stella/iThink version (XMILE 1.0, namespace "
                "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0), or export it from Vensim.",
            )
        raise ModelError(
            f"{relative(src)}: PySD found no variables besides the time settings.",
            "Check that the equations sit in <model><variables> (XMILE) or that the "
            "file is a complete Vensim model.",
        )
    if require_stocks and not model.stocks:
        raise ModelError(
            f"{relative(src)}: the model has no stocks, so it is not a stock-and-flow model.",
            "Add at least one stock (INTEG in Vensim), or pass require_stocks=False to open "
            "a model that only tests functions.",
        )
