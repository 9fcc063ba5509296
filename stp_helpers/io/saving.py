"""Saving a user's case files: atomic, never a silent overwrite, pairs all or nothing.

Every method's ``save_*`` goes through :func:`save_text` or :func:`save_texts`:
a file is written to a temporary file and then replaces its target in one
step; an existing file is replaced only with ``overwrite=True``; saves into one
folder hold one lock across processes; cases shipped with the workbook are
never written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from stp_helpers import paths
from stp_helpers.errors import CaseExistsError, StpError
from stp_helpers.io.atomic import locked, write_atomic_group

__all__ = ["is_shipped", "save_text", "save_texts"]


def is_shipped(folder: Path) -> bool:
    """Whether ``folder`` lies inside the cases shipped with the workbook (which stay unchanged)."""
    try:
        folder.resolve().relative_to(paths.shipped_cases_dir().resolve())
        return True
    except ValueError:
        return False


def save_text(folder: str | os.PathLike[str], file_name: str, text: str, *, overwrite: bool = False) -> Path:
    """Write one file of a user's case folder atomically.

    The text goes to a temporary file in the same folder, which then replaces
    the target in one step, so a crash never leaves half a file.

    Parameters
    ----------
    folder : path
        The case folder (not a shipped case).
    file_name : str
        A plain file name such as ``"cld.csv"``.
    text : str
        The new content.
    overwrite : bool
        Replace an existing file.  Without it an existing file is never touched.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    CaseExistsError
        The file exists and ``overwrite`` is False, or the folder is a shipped case.
    """
    return save_texts(folder, {file_name: text}, overwrite=overwrite)[0]


def save_texts(folder: str | os.PathLike[str], files: Mapping[str, str], *, overwrite: bool = False) -> list[Path]:
    """Write several files of a user's case folder together: all of them or none.

    Saves into one folder hold one lock (across processes), so two saves of a
    pair such as ``cld.csv`` and ``cld_variables.csv`` never interleave.  Every
    file is checked and written to a temporary file first; only when all are
    written do they replace their targets, so a refused or failed save leaves
    every file as it was.

    Parameters
    ----------
    folder : path
        The case folder (not a shipped case).
    files : mapping of str to str
        Plain file name → new content.
    overwrite : bool
        Replace existing files.  Without it, if any file exists, none is written.

    Returns
    -------
    list of Path
        The written files, in the order given.

    Raises
    ------
    CaseExistsError
        A file exists and ``overwrite`` is False, or the folder is a shipped case.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in save_texts(folder, {"cld.csv": "from,to,polarity\\n", "cld_variables.csv": "id,label\\n"})]
    ['cld.csv', 'cld_variables.csv']
    >>> save_texts(folder, {"cld.csv": "changed", "notes.txt": "new"})
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseExistsError: ...cld.csv already exists. Save under another name, or confirm that it should be replaced.
    >>> sorted(p.name for p in folder.iterdir()), (folder / "cld.csv").read_text()
    (['cld.csv', 'cld_variables.csv'], 'from,to,polarity\\n')
    """
    folder = Path(folder)
    for file_name, text in files.items():
        if Path(file_name).name != file_name or file_name in {"", ".", ".."}:
            raise StpError(f"{file_name!r} is not a plain file name.", fix="Use a name like 'cld.csv'.")
        if not isinstance(text, str):
            raise TypeError(f"text should be a str, not {type(text).__name__}")
    if is_shipped(folder):
        raise CaseExistsError(
            f"{paths.relative(folder)} is a case shipped with the workbook, which stays unchanged.",
            fix=f"Make your own copy with 'stp new-case my-case --from {folder.name}' and save there.")
    with locked(folder):  # one lock per case folder: saves of a pair never interleave
        if not overwrite:
            for file_name in files:
                if (folder / file_name).exists():
                    raise CaseExistsError(f"{paths.relative(folder / file_name)} already exists.",
                                          fix="Save under another name, or confirm that it should be replaced.")
        return write_atomic_group({folder / name: text for name, text in files.items()})
