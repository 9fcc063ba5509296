"""Open Vensim and XMILE models through PySD, translated and verified in the cache.

:func:`load_model` translates a model once per content into the workbook's
cache (:func:`stp_helpers.sd.translate.translated`), checks what it holds
from the generated code's metadata, and only then imports it.  Opening the
same content again loads the cached ``.py`` with ``pysd.load`` (a few
milliseconds instead of a second or more).  Every import goes through
:func:`open_translated`, which verifies the generated code first
(:mod:`stp_helpers.sd.safety`: a model file is data, never code).

Every PySD failure becomes a :class:`~stp_helpers.errors.ModelError` that
names the file, the line or variable where it is known, and what to do
(:mod:`stp_helpers.sd.errors`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from stp_helpers.paths import relative
from stp_helpers.sd import safety
from stp_helpers.sd.errors import translate_error
from stp_helpers.sd.model import Model
from stp_helpers.sd.translate import SUPPORTED_SUFFIXES, check_content, outline, translated

__all__ = ["load_model", "open_translated", "SUPPORTED_SUFFIXES"]


def load_model(
    path: str | os.PathLike[str],
    data_files: Sequence[str | os.PathLike[str]] | None = None,
    *,
    require_stocks: bool = True,
    use_cache: bool = True,
) -> Model:
    """Open a Vensim (.mdl) or XMILE (.xmile, .stmx, .itmx) model with PySD.

    The model is translated once per content in the workbook's cache (never
    beside ``path``); later calls with the same file content reload the
    translated Python, which takes milliseconds.  The translation is
    sanitised and verified before it is imported.

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
        if its names or translation are unsafe; if it has no variables
        besides the time controls (legacy XMILE dialect) or, with
        ``require_stocks``, no stocks; or if it uses a function PySD does
        not implement.

    Examples
    --------
    >>> from stp_helpers import paths
    >>> model = load_model(paths.DATA_DIR / "models" / "bathtub.mdl")
    >>> model.stocks
    ['Water in tub']
    >>> load_model(paths.DATA_DIR / "models" / "missing.mdl")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: ...missing.mdl: there is no such model file. ...
    """
    src, folder, cached_data = translated(path, data_files or (), use_cache=use_cache)
    check_content(outline(src, folder), require_stocks)
    return open_translated(folder, src, cached_data)


def open_translated(folder: Path, source: Path, data_files: tuple[str, ...] = ()) -> Model:
    """Verify and open an already translated model from its cache folder.

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
        If the generated code is not what PySD writes (it is then never
        imported), or if PySD cannot load or initialise the model.
    """
    # heavy (about 1 s): PySD's runtime loads only when a model is opened
    import pysd

    safety.verify_folder(Path(folder), relative(source))
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
