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

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(target: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``target`` atomically; return the path."""
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
