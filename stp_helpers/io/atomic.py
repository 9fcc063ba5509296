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

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = ["write_atomic", "write_atomic_group", "locked"]


def write_atomic(target: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``target`` atomically; return the path."""
    return write_atomic_group({Path(target): content})[0]


def write_atomic_group(contents: Mapping[Path, str | bytes]) -> list[Path]:
    """Write several files: every one to a temporary file first, then each replaces its target.

    If any temporary file cannot be written, no target is touched and the
    temporary files are removed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_atomic_group({folder / "a.csv": "a", folder / "b.csv": b"b"})]
    ['a.csv', 'b.csv']
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, content in contents.items():
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for _, path in staged]


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
    from stp_helpers import paths

    key = hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()[:32]
    lock_path = paths.cache_dir("locks") / f"{key}.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
