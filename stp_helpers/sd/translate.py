"""Translate a Vensim or XMILE model into the workbook's cache, and read it without importing it.

PySD writes the translated ``.py`` beside the model it reads (methods.md
§3.2).  The workbook never writes beside a user's file: :func:`translated`
copies the model (and the data files it names) into
``paths.cache_dir("models", <key>)``, where ``<key>`` is the SHA-256 of the
file contents, the PySD version and this module's cache format.  It
translates there through PySD's parser and builder.  Before the builder
writes any Python, the abstract model is sanitised, and the generated code
is then verified (see :mod:`stp_helpers.sd.safety`).  Nothing is imported
here.  :func:`outline` reads the variables, their kinds and the functions PySD
lacks from the generated code's literal metadata, so ``stp check-case``
checks a model without running any of it.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from stp_helpers.errors import CaseFileError, ModelError
from stp_helpers.io.parse import read_limited
from stp_helpers.paths import cache_dir, relative
from stp_helpers.sd import safety
from stp_helpers.sd.errors import translate_error

__all__ = ["SUPPORTED_SUFFIXES", "ModelOutline", "translated", "outline", "check_model"]

#: File suffixes the workbook reads as models, with the PySD reader used.
SUPPORTED_SUFFIXES = {
    ".mdl": "vensim",
    ".xmile": "xmile",
    ".xml": "xmile",
    ".stmx": "xmile",
    ".itmx": "xmile",
}

_LEGACY_XMILE = "http://www.systemdynamics.org/XMILE"
_NOT_IMPLEMENTED = re.compile(r"not_implemented_function\(\s*[\"']([^\"']+)[\"']")
_CACHE_FORMAT = "2"  # 2: sanitised and verified translations


@dataclass(frozen=True)
class ModelOutline:
    """What a translated model holds, read from its code without running it.

    Attributes
    ----------
    source : Path
        The user's model file.
    folder : Path
        The cache folder with the verified ``model.py``.
    kinds : dict
        Model name → ``"stock"``, ``"constant"``, ``"lookup"``, ``"data"`` or
        ``"auxiliary"`` (time settings left out).
    unsupported : tuple of str
        Functions the model calls that PySD does not implement.
    notes : tuple of str
        Warnings PySD gave while translating.
    """

    source: Path
    folder: Path
    kinds: dict[str, str]
    unsupported: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def stocks(self) -> list[str]:
        """Names of the stocks."""
        return [n for n, k in self.kinds.items() if k == "stock"]


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
    for part in (_CACHE_FORMAT, version("pysd"), suffix):
        digest.update(part.encode() + b"\0")
    digest.update(model_bytes)
    for name, content in extras:
        digest.update(b"\0" + name.encode() + b"\0" + content)
    return digest.hexdigest()


def _check_file(path: str | os.PathLike[str]) -> Path:
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
    return src.resolve()


def _read_text(src: Path) -> str:
    try:
        raw = read_limited(src)  # a model over the size cap is refused before it is read
    except CaseFileError as err:
        raise ModelError(f"{relative(src)}: {err.problems[0].problem}", err.problems[0].fix) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        if b"\0" in raw[:4096]:
            raise ModelError(
                f"{relative(src)}: this is not a model file (it holds binary data).",
                "Save the model from Vensim (.mdl) or Stella (.stmx/.xmile) as text.",
            ) from err
        return raw.decode("latin-1")


def _build(model_copy: Path, kind: str, src: Path, text: str) -> list[str]:
    """Parse, sanitise, build and verify; return PySD's warnings."""
    # heavy (about 2 s): PySD's parsers and code builder load only when a model
    # is translated, never for a cached one
    from pysd.builders.python.python_model_builder import ModelBuilder
    from pysd.translators.vensim.vensim_file import VensimFile
    from pysd.translators.xmile.xmile_file import XmileFile

    where = relative(src)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if kind == "vensim":
                parsed = VensimFile(model_copy, encoding="UTF-8")
            else:
                safety.refuse_doctype(text, where)
                parsed = XmileFile(model_copy)
            parsed.parse()
            abstract = safety.sanitise(parsed.get_abstract_model(), where)
            py_file = ModelBuilder(abstract).build_model()
        except ModelError:
            raise
        except Exception as err:  # PySD raises many kinds
            raise translate_error(err, src, "translate", text) from err
    if Path(py_file).name != "model.py":
        raise ModelError(f"{where}: PySD wrote the translation under an unexpected name.",
                         "Report this model to the workbook's maintainers.")
    safety.verify_folder(model_copy.parent, where)
    return sorted({str(w.message).splitlines()[0] for w in caught})


def translated(
    path: str | os.PathLike[str],
    data_files: Sequence[str | os.PathLike[str]] = (),
    *,
    use_cache: bool = True,
) -> tuple[Path, Path, tuple[str, ...]]:
    """Translate a model into the cache (once per content) and verify it.

    Parameters
    ----------
    path : str or path-like
        The model file.
    data_files : sequence of path-like
        Data files for the model's data variables (besides those its
        equations name, which are found automatically).
    use_cache : bool
        If False, translate again even if the cache holds this content.

    Returns
    -------
    tuple
        ``(source, folder, cached_data_files)``: the resolved model file, the
        cache folder holding the verified ``model.py``, and the explicit
        data files' copies in that folder.

    Raises
    ------
    ModelError
        For a missing or unknown file, a parse or build error, an unsafe name
        or DTD, or generated code the verifier refuses.
    """
    src = _check_file(path)
    explicit = [Path(p).expanduser().resolve() for p in data_files]
    text = _read_text(src)
    extras = sorted(set(explicit) | set(_referenced_files(src, text)))
    parts = []
    for extra in extras:
        try:
            parts.append((extra.name, extra.read_bytes()))
        except OSError as err:
            raise ModelError(
                f"{relative(extra)}: cannot read this data file ({err.strerror}).",
                "Check that the file exists and that you can read it.",
            ) from err
    final = cache_dir("models") / _cache_key(src.read_bytes(), src.suffix.lower(), parts)
    if final.exists() and not use_cache:
        shutil.rmtree(final, ignore_errors=True)
    if not (final / "model.py").exists():
        _translate_into(src, SUPPORTED_SUFFIXES[src.suffix.lower()], final, extras, text)
    cached = tuple(
        str(final / (e.relative_to(src.parent) if e.is_relative_to(src.parent) else e.name))
        for e in explicit)
    return src, final, cached


def _translate_into(src: Path, kind: str, final: Path, extras: Sequence[Path], text: str) -> None:
    """Translate ``src`` in a fresh temporary folder, then move it to ``final``."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name[:12]}-", dir=final.parent))
    try:
        model_copy = tmp / ("model.mdl" if kind == "vensim" else "model.xmile")
        if kind == "vensim":
            model_copy.write_text(text, encoding="utf-8")
        else:  # XML declares its own encoding
            shutil.copyfile(src, model_copy)
        base = src.parent
        for extra in extras:
            dest = tmp / extra.relative_to(base) if extra.is_relative_to(base) else tmp / extra.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(extra, dest)
        notes = _build(model_copy, kind, src, text)
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


def _literal(node: ast.AST | None) -> object:
    try:
        return ast.literal_eval(node) if node is not None else None
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None


def outline(source: Path, folder: Path) -> ModelOutline:
    """Read a verified translation's variables and kinds from its code, without importing it.

    Parameters
    ----------
    source : Path
        The user's model file (for messages).
    folder : Path
        The cache folder (from :func:`translated`).

    Returns
    -------
    ModelOutline
    """
    code = (Path(folder) / "model.py").read_text(encoding="utf-8")
    kinds: dict[str, str] = {}
    for node in ast.parse(code).body:
        if not isinstance(node, ast.FunctionDef) or not node.decorator_list:
            continue
        deco = node.decorator_list[0]
        meta = {kw.arg: _literal(kw.value) for kw in getattr(deco, "keywords", [])}
        name, typ, sub = meta.get("name"), meta.get("comp_type"), meta.get("comp_subtype")
        if not isinstance(name, str) or node.name in {"time", "initial_time", "final_time",
                                                       "time_step", "saveper"}:
            continue
        if typ == "Stateful" and sub in {"Integ", "NonNegativeInteg"}:
            kinds[name] = "stock"
        else:
            kinds[name] = {"Constant": "constant", "Lookup": "lookup", "Data": "data"}.get(
                str(typ), "auxiliary")
    notes_file = Path(folder) / "warnings.txt"
    notes = tuple(n for n in notes_file.read_text(encoding="utf-8").splitlines() if n) if (
        notes_file.exists()) else ()
    unsupported = tuple(sorted(set(_NOT_IMPLEMENTED.findall(code))))
    return ModelOutline(Path(source), Path(folder), kinds, unsupported, notes)


def check_content(found: ModelOutline, require_stocks: bool = True) -> None:
    """Apply ``PYSD-1``: refuse unsupported functions, no variables or no stocks.

    Raises
    ------
    ModelError
        With the file and what to do.
    """
    where = relative(found.source)
    if found.unsupported:
        names = ", ".join(u.upper().replace("_", " ") for u in found.unsupported)
        raise ModelError(
            f"{where}: the model calls {names}, which is neither a function PySD "
            f"supports nor a lookup defined in the model; it would stop with "
            f"NotImplementedError when run.",
            "Define the lookup (check its spelling), or replace the function with supported "
            "ones, or run the model in Vensim or Stella.",
        )
    if not found.kinds:
        if _LEGACY_XMILE in _read_text(found.source):
            raise ModelError(
                f"{where}: the file uses the old pre-standard XMILE dialect "
                f"({_LEGACY_XMILE}), which PySD reads as an empty model (no variables).",
                "Save it again from a current Stella/iThink version (XMILE 1.0, namespace "
                "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0), or export it from Vensim.",
            )
        raise ModelError(
            f"{where}: PySD found no variables besides the time settings.",
            "Check that the equations sit in <model><variables> (XMILE) or that the "
            "file is a complete Vensim model.",
        )
    if require_stocks and not found.stocks:
        raise ModelError(
            f"{where}: the model has no stocks, so it is not a stock-and-flow model.",
            "Add at least one stock (INTEG in Vensim), or pass require_stocks=False to open "
            "a model that only tests functions.",
        )


def check_model(path: str | os.PathLike[str]) -> ModelOutline:
    """Check a model file the way ``stp check-case`` does: translate and verify, never run.

    The model is parsed and translated (into the cache), the generated code
    is verified, and its variables are read from the code's metadata.  No
    generated code is imported or run.

    Parameters
    ----------
    path : str or path-like
        A ``.mdl``, ``.xmile``, ``.stmx`` or ``.itmx`` file.

    Returns
    -------
    ModelOutline

    Raises
    ------
    ModelError
        As :func:`translated` and :func:`check_content`.

    Examples
    --------
    >>> from stp_helpers import paths
    >>> found = check_model(paths.DATA_DIR / "models" / "bathtub.mdl")
    >>> found.stocks
    ['Water in tub']
    """
    src, folder, _ = translated(path)
    found = outline(src, folder)
    check_content(found)
    return found
