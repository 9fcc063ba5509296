"""Rewrite data/registry.txt: the SHA-256 of every shipped data file.

The tests check after every run that shipped data still match this file, so
notebooks and apps can never change a shipped case.  Run this only after an
intended change to data/.
"""

from __future__ import annotations

import hashlib

from stp_helpers import paths


def main() -> None:
    registry = paths.DATA_DIR / "registry.txt"
    lines = ["# SHA-256 of every shipped data file (scripts/update_data_registry.py writes it)."]
    for path in sorted(paths.DATA_DIR.rglob("*")):
        if path.is_file() and path != registry and "__pycache__" not in path.parts:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{path.relative_to(paths.DATA_DIR).as_posix()} {digest}")
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} files in {paths.relative(registry)}")


if __name__ == "__main__":
    main()
