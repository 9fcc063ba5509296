"""The one way the workbook writes a file: all of it, or none of it.

The content goes to a temporary file in the target's folder, is flushed to
disk, then replaces the target in one step (``os.replace``); if anything
fails, the temporary file is removed and the target is untouched.  Callers
decide whether replacing an existing file is allowed.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
>>> write_atomic(target, "first") == target
True
>>> _ = write_atomic(target, b"second")
>>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
('second', ['notes.txt'])
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from stp_helpers.errors import WriteError
from stp_helpers.paths import cache_dir, relative

__all__ = ["write_atomic", "write_atomic_group", "locked", "leftover_temp_files", "remove_leftovers",
           "write_error", "umask", "TEMP_PATTERN"]


def write_atomic(target: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``target`` atomically; return the path."""
    return write_atomic_group({Path(target): content})[0]


def write_atomic_group(contents: Mapping[Path, str | bytes]) -> list[Path]:
    """Write several files: every one to a temporary file first, then each replaces its target.

    If any temporary file cannot be written, no target is touched and the
    temporary files are removed.  Temporary files left in a folder by an
    earlier save that was killed are removed first (see
    :func:`leftover_temp_files`).  New files get the permissions the umask
    allows; a replaced file keeps its own.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_atomic_group({folder / "a.csv": "a", folder / "b.csv": b"b"})]
    ['a.csv', 'b.csv']

    Raises
    ------
    WriteError
        The folder is read-only, the disk is full, or permission is denied.
    """
    staged: list[tuple[str, Path, BinaryIO]] = []
    path = Path()
    try:
        for target, content in contents.items():
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(path.parent)
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            handle = os.fdopen(fd, "wb")
            staged.append((tmp, path, handle))
            fcntl.flock(handle, fcntl.LOCK_EX)  # held until replaced: a live save is never cleaned away
            os.fchmod(fd, _mode_for(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        for tmp, path, _ in staged:
            os.replace(tmp, path)
    except BaseException as err:
        for tmp, _, handle in staged:
            Path(tmp).unlink(missing_ok=True)
            handle.close()
        if isinstance(err, OSError):
            raise write_error(path, err) from err
        raise
    for _, _, handle in staged:
        handle.close()
    return [path for _, path, _ in staged]


def umask() -> int:
    """Return the process's umask without changing it (read from /proc where there is one)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: read it by setting it, then put it back
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~umask()


def write_error(path: str | os.PathLike[str], err: OSError) -> WriteError:
    """Return the error with a fix for an ``OSError`` met while writing ``path``."""
    where = relative(path)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteError(f"{where} could not be saved: the disk is full.",
                          fix="Free some space (or save into another folder), then save again.")
    if err.errno == errno.EROFS:
        return WriteError(f"{where} could not be saved: the folder is on a read-only disk.",
                          fix="Set STP_DATA to a folder you can write to, then save again.")
    if err.errno in (errno.EACCES, errno.EPERM):
        return WriteError(f"{where} could not be saved: permission denied.",
                          fix="Check the folder's permissions, or set STP_DATA to a folder you own.")
    return WriteError(f"{where} could not be saved: {err.strerror or err}.",
                      fix="Check the folder exists and can be written to, then save again.")


#: A temporary file of a save: ``.<target name>.<8 random characters>.tmp``.
TEMP_PATTERN = r"\.(?P<target>.+)\.[A-Za-z0-9_]{8}\.tmp"


def leftover_temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Return the temporary files in ``folder`` that no running save holds (a killed save's).

    A save holds a lock on its temporary file until it replaces the target,
    so an unlocked temporary file belongs to a save that was killed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".cld.csv.a1b2c3d4.tmp").write_text("half a fi")
    >>> [p.name for p in leftover_temp_files(folder)]
    ['.cld.csv.a1b2c3d4.tmp']
    >>> _ = write_atomic(folder / "cld.csv", "from,to,polarity")
    >>> sorted(p.name for p in folder.iterdir())
    ['cld.csv']
    """
    out = []
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        if not re.fullmatch(TEMP_PATTERN, path.name) or not path.is_file():
            continue
        try:
            with open(path, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a save in progress (or unreadable): leave it
            continue
        out.append(path)
    return out


def remove_leftovers(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete a folder's temporary files left by killed saves; return those removed."""
    removed = []
    for path in leftover_temp_files(folder):
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


@contextmanager
def locked(target: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` (across processes) while the block runs.

    The lock file lives in the workbook's cache, keyed by the target's full
    path, so nothing is left in the user's folder.  Use it around a
    check-then-write, so two saves of the same file cannot both pass the check.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "cld.csv"
    >>> with locked(target):
    ...     _ = write_atomic(target, "from,to,polarity")
    >>> target.read_text()
    'from,to,polarity'
    """
    key = hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()[:32]
    lock_path = cache_dir("locks") / f"{key}.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
