"""The only module that knows where things are.

``REPO_ROOT`` is the checkout (or the installed tree's parent).  Shipped
cases live in ``data/cases`` and are read-only; a practitioner's own cases
live in the folder named by the ``STP_DATA`` environment variable, which is
searched first.  Translated models and other derived files go to the cache
(``STP_CACHE``, default ``~/.cache/stp-workbook``), never beside user files.

Examples
--------
>>> shipped_cases_dir().name
'cases'
>>> relative(REPO_ROOT / "data" / "cases")
'data/cases'
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = [
    "REPO_ROOT",
    "PACKAGE_DIR",
    "DATA_DIR",
    "NOTEBOOKS_DIR",
    "shipped_cases_dir",
    "teaching_models_dir",
    "user_cases_dir",
    "case_search_path",
    "cache_dir",
    "relative",
    "progress_dir",
    "chromium",
]

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
INSTALLED_DATA_DIR = Path(sys.prefix) / "share" / "stp-workbook" / "data"
# A checkout has ``data/`` beside the package; a wheel install puts it under the prefix.
DATA_DIR = REPO_ROOT / "data" if (REPO_ROOT / "data" / "cases").is_dir() else INSTALLED_DATA_DIR
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def shipped_cases_dir() -> Path:
    """Return the folder of the cases shipped with the workbook (read-only)."""
    return DATA_DIR / "cases"


def teaching_models_dir() -> Path:
    """Return the folder of the teaching models (``data/models``, read-only)."""
    return DATA_DIR / "models"


def user_cases_dir() -> Path | None:
    """Return the practitioner's own case folder from ``STP_DATA``, if set."""
    value = os.environ.get("STP_DATA", "").strip()
    return Path(value).expanduser().resolve() if value else None


def case_search_path() -> list[Path]:
    """Return the folders searched for a case slug, the user's own first."""
    own = user_cases_dir()
    return ([own] if own else []) + [shipped_cases_dir()]


def cache_dir(*parts: str) -> Path:
    """Return (and create) a folder in the workbook's cache.

    Parameters
    ----------
    *parts : str
        Sub-folders below the cache root, e.g. ``cache_dir("models")``.
    """
    root = Path(os.environ.get("STP_CACHE", "") or Path.home() / ".cache" / "stp-workbook")
    path = root.expanduser().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_dir() -> Path:
    """Return (and create) the folder of learners' progress files.

    ``STP_PROGRESS`` overrides the default ``~/.local/share/stp-workbook/progress``;
    it is kept apart from case data and never sent anywhere.
    """
    root = os.environ.get("STP_PROGRESS", "").strip()
    path = Path(root).expanduser() if root else Path.home() / ".local" / "share" / "stp-workbook" / "progress"
    path.mkdir(parents=True, exist_ok=True)
    return path


def chromium() -> Path | None:
    """Return the headless Chromium that prints PDFs (``STP_CHROMIUM``, else ``chromium`` on the PATH), or None."""
    named = os.environ.get("STP_CHROMIUM", "").strip()
    found = named or shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found and Path(found).is_file() else None


def relative(path: str | os.PathLike[str]) -> str:
    """Return ``path`` relative to the project root when it is inside it.

    Messages name files this way, so they read the same on every machine.
    """
    resolved = Path(path).resolve()
    for base in (REPO_ROOT, Path.cwd()):
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)
