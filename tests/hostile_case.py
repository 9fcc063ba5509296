"""Hostile copies of the shipped cases: a script payload in every text field of every artefact.

Every string in every YAML and CSV file of a case that is not an id, an enum
value, a date or a number gets :data:`PAYLOAD` appended; the same string gets
the same payload everywhere, so names that refer to each other across files
still match.  Strings that name a model variable (they occur in ``model.mdl``)
are left alone, so model runs still work.  When the case checker finds a
problem in a file, the fields of that file are tried one at a time and only
the fields the checker accepts keep the payload.  The payload is never a
valid id, so the file still says what it is about.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from stp_helpers import case as cases
from stp_helpers import paths
from stp_helpers.errors import StpError

#: Script that must never run and elements that must never appear in the page.
PAYLOAD = (' <img src=x class=stp-pwn onerror="window.__pwned=1;alert(1)">'
           '<script class=stp-pwn>window.__pwned=1</script>'
           '[pwn](javascript:window.__pwned=1) <svg class=stp-pwn onload="window.__pwned=1"></svg>')
#: A selector matching anything the payload would inject if it were not escaped.
INJECTED = 'img[src="x"], .stp-pwn, a[href^="javascript"], script:not([src])'
_ID_LIKE = re.compile(r"^[a-z0-9_\-.:/%+ ]*$")


def _is_text(value: str, model_text: str) -> bool:
    stripped = value.strip()
    if not stripped or _ID_LIKE.fullmatch(stripped) and " " not in stripped:
        return False
    if re.fullmatch(r"[-+0-9.,%£$ ]+", stripped):
        return False
    return stripped.lower() not in model_text


def _walk(data: Any, model_text: str, keep: set[str] | None, key: str = "") -> Any:
    if isinstance(data, dict):  # keys that are names (not field names) carry the payload too
        return {_walk(k, model_text, keep, key): _walk(v, model_text, keep, str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_walk(v, model_text, keep, key) for v in data]
    if isinstance(data, str) and _is_text(data, model_text) and (keep is None or key in keep):
        return data + PAYLOAD
    return data


def _yaml_keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(map(str, data)) | {k for v in data.values() for k in _yaml_keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _yaml_keys(v)}
    return set()


def _write(path: Path, original: str, model_text: str, keep: set[str] | None) -> set[str]:
    """Write ``path`` from ``original`` with the payload in the fields ``keep`` (all when None)."""
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(original)))
        head, body = rows[0], rows[1:]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(head)
        for row in body:
            writer.writerow([v + PAYLOAD if _is_text(v, model_text) and (keep is None or head[i] in keep) else v
                             for i, v in enumerate(row)])
        path.write_text(out.getvalue(), encoding="utf-8")
        return set(head)
    data = yaml.safe_load(original)
    path.write_text(yaml.safe_dump(_walk(data, model_text, keep), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return _yaml_keys(data)


def _problems_in(folder: Path, name: str) -> list[str]:
    """Problems the workbook's own reader finds in one file of the case (the checker's rule for it)."""
    try:
        loaded = cases.load(folder)
        kind = cases.ARTEFACT_KINDS.get(name)
        if loaded.has(name) and kind is not None and kind.reader is not None:
            loaded.read(name)
        if name == "cld_variables.csv" and loaded.has("cld.csv"):  # labels are read with the links
            loaded.read("cld.csv")
    except StpError as err:
        return [str(err)]
    return []


def make_hostile(slug: str, root: Path) -> Path:
    """Copy shipped case ``slug`` into ``root`` with the payload in every text field it accepts."""
    folder = root / slug
    shutil.copytree(paths.shipped_cases_dir() / slug, folder)
    model = folder / "model.mdl"
    model_text = model.read_text(encoding="utf-8").lower().replace("_", " ") if model.exists() else ""
    files = [p for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".yaml")]
    originals = {p: p.read_text(encoding="utf-8") for p in files}
    fields = {p: _write(p, originals[p], model_text, None) for p in files}
    def whole_check(_folder: Path, name: str) -> list[str]:
        return [str(p) for p in cases.check(_folder) if f"/{name}" in p.path]

    for rule in (_problems_in, whole_check):  # the file's reader first, then the cross-file checks
        for path in files:
            if not rule(folder, path.name):
                continue
            kept: set[str] = set()
            for field in sorted(fields[path]):
                _write(path, originals[path], model_text, kept | {field})
                if not rule(folder, path.name):
                    kept.add(field)
            _write(path, originals[path], model_text, kept)
            fields[path] = kept
    assert cases.check(folder) == [], cases.check(folder)
    return folder


def hostile_fields(folder: Path) -> int:
    """How many text fields of a case folder carry the payload."""
    return sum(p.read_text(encoding="utf-8").count("window.__pwned=1;alert(1)")
               for p in folder.iterdir() if p.suffix in (".csv", ".yaml"))
