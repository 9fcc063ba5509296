"""Execute notebooks in place so their stored outputs are current.

nbval compares a fresh run with the stored outputs, so run this after
changing a notebook or the package behind it:

    python scripts/refresh_notebooks.py notebooks/cases/wiltshire.ipynb
    python scripts/refresh_notebooks.py            # every notebook in the catalogue

Widget state is not stored (it would carry the chart JavaScript into the file).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from stp_helpers import catalogue, guide


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"refreshed {path}")


def main(argv: list[str]) -> None:
    # Teacher mode reads a shared store: refresh against a fresh one, as the tests do.
    os.environ["STP_CLASSROOM_DB"] = str(Path(tempfile.mkdtemp(prefix="stp-class-")) / "class.sqlite3")
    targets = [Path(a) for a in argv] or [catalogue.notebook_path(e) for e in catalogue.entries()]
    for target in targets:
        refresh(target)
    print(f"wrote {catalogue.write_ksb_index()}")  # KSBs claimed, taught and assessed, for installs without notebooks
    print(f"wrote {', '.join(str(p) for p in guide.write_guides())}")  # glossary, reading list, path


if __name__ == "__main__":
    main(sys.argv[1:])
