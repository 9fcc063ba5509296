"""Read plain case files (CSV, YAML) into validated, typed records.

One door for every tabular or YAML artefact: a pydantic model describes a
row (or the whole YAML document), and every problem in the file is reported
with the file, the row as a spreadsheet shows it (header = row 1) or the YAML
line, the column or field, and a fix.  Nothing is written.

Examples
--------
>>> from pydantic import BaseModel
>>> class Row(BaseModel):
...     agency: str
...     contacts: int
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "contacts.csv"
>>> _ = path.write_text("agency,contacts\\nPolice,238\\nHousing,lots\\n")
>>> read_csv_rows(path, Row)
Traceback (most recent call last):
...
stp_helpers.errors.CaseFileError: ...contacts.csv, row 3, column "contacts": 'lots' is not a whole number.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.io.parse import MAX_FILE_BYTES, parse_yaml, read_limited
from stp_helpers.paths import relative

__all__ = ["read_csv_rows", "read_yaml_model", "load_yaml", "MAX_FILE_BYTES", "problems_from"]

M = TypeVar("M", bound=BaseModel)


_TYPE_WORDS = {
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "bool_parsing": "is not yes/no (use true or false)",
    "date_from_datetime_parsing": "is not a date (use YYYY-MM-DD)",
    "date_parsing": "is not a date (use YYYY-MM-DD)",
    "greater_than_equal": "is below the smallest allowed value",
    "less_than_equal": "is above the largest allowed value",
    "greater_than": "is too small",
    "less_than": "is too large",
    "string_too_short": "is empty",
    "missing": "is missing",
    "extra_forbidden": "is not a field this file has",
    "literal_error": "is not one of the allowed values",
    "enum": "is not one of the allowed values",
}


def _read_text(path: Path) -> str:
    name = relative(path)
    if not path.exists():
        raise CaseFileError([Problem(name, "The file does not exist.",
                                     fix="Create it, or remove it from the case's artefacts.")])
    raw = read_limited(path, limit=MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CaseFileError([Problem(name, "The file is not UTF-8 text.", line=line,
                                     fix="Save it as 'CSV UTF-8' (or UTF-8 text) and try again.")]) from err
    if not text.strip():
        fix = ("Add the header row and at least one row, or delete the file." if path.suffix == ".csv"
               else "Fill it in (start from the template made by 'stp new-case'), or delete the file.")
        raise CaseFileError([Problem(name, "The file is empty.", fix=fix)])
    return text


def _describe(err: dict[str, Any]) -> str:
    value = err.get("input")
    words = _TYPE_WORDS.get(err["type"])
    if err["type"] == "missing":
        return "A value is required here."
    if words is None:
        return err["msg"].rstrip(".") + "."
    shown = repr(value) if isinstance(value, str) else str(value)
    ctx = err.get("ctx") or {}
    limit = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
    if limit is not None:
        words += f" ({limit})"
    if "expected" in ctx:
        words += f": {ctx['expected']}"
    return f"{shown} {words}."


def _fix(err: dict[str, Any], field: Any) -> str | None:
    if field is not None and field.description:
        return f"Expected: {field.description}"
    return None


def problems_from(
    error: ValidationError, path: Path, model: type[BaseModel], row: int | None = None,
    lines: dict[tuple[Any, ...], int] | None = None,
) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into :class:`Problem` records."""
    out = []
    for err in error.errors():
        loc = tuple(err["loc"])
        column = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        field = model.model_fields.get(str(loc[0])) if loc and len(loc) == 1 else None
        line = _nearest_line(lines, loc) if lines is not None else None
        out.append(Problem(relative(path), _describe(err), row=row, column=column or None,
                           fix=_fix(err, field), line=line))
    return out


def read_csv_rows(path: str | Path, model: type[M], *, min_rows: int = 1) -> list[M]:
    """Read a CSV file into one validated ``model`` per row.

    Blank cells become ``None`` (so optional fields may be left empty);
    column names are matched after trimming spaces.  Every problem in the file
    is collected before anything is raised.

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8, header row first).
    model : pydantic model class
        One field per column; field descriptions become the fix text.
    min_rows : int
        Fewest data rows accepted.

    Returns
    -------
    list of model

    Raises
    ------
    CaseFileError
        With every problem found: missing or unknown columns, bad values,
        empty file, not UTF-8, too large.
    """
    path = Path(path)
    name = relative(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
        body = list(reader)
    except csv.Error as err:
        raise CaseFileError([Problem(name, f"The file is not valid CSV ({err}).",
                                     fix="Open it in a spreadsheet and save it as CSV.")]) from err
    wanted = list(model.model_fields)
    required = getattr(model, "required_columns", None)
    if required is None:
        required = [n for n, f in model.model_fields.items() if f.is_required()]
    problems: list[Problem] = []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c and c not in wanted]
    for column in missing:
        close = difflib.get_close_matches(column, unknown, n=1, cutoff=0.3)
        hint = ""
        if close:
            hint = f" Is {close[0]!r} meant to be {column!r}? Rename it."
            unknown.remove(close[0])
        problems.append(Problem(name, f"The column {column!r} is missing.{hint}", row=1,
                                fix=f"The header row should read: {','.join(wanted)}"))
    if unknown and model.model_config.get("extra") == "forbid":
        problems.append(Problem(name, f"Unknown column(s): {', '.join(repr(c) for c in unknown)}.",
                                row=1, fix=f"Use only these columns: {','.join(wanted)}"))
    if problems:
        raise CaseFileError(problems)
    rows: list[M] = []
    data_rows = 0
    for offset, cells in enumerate(body):
        rownum = offset + 2
        if not any(c.strip() for c in cells):
            continue
        data_rows += 1
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(name, f"The row has {len(cells)} cells but the header has {len(header)}.",
                                    row=rownum, fix="Remove the extra cells or quote values that contain commas."))
            continue
        record = {h: (c.strip() or None) for h, c in zip(header, cells) if h in wanted}
        try:
            rows.append(model.model_validate(record))
        except ValidationError as err:
            problems.extend(problems_from(err, path, model, row=rownum))
    if data_rows < min_rows:
        problems.append(Problem(name, f"The file has {data_rows} data row(s); at least {min_rows} needed.",
                                fix="Add rows below the header."))
    if problems:
        raise CaseFileError(problems)
    return rows


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for cut in range(len(loc), -1, -1):
        key = tuple(str(p) if not isinstance(p, int) else p for p in loc[:cut])
        if key in lines:
            return lines[key]
    return None


def load_yaml(path: str | Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse a YAML file safely; return the data and a map of field paths to lines.

    Raises
    ------
    CaseFileError
        When the file is missing, empty, too large or not valid YAML (with the line),
        uses an alias or nests too deeply (see :func:`stp_helpers.io.parse.parse_yaml`).
    """
    path = Path(path)
    return parse_yaml(_read_text(path), relative(path))


def read_yaml_model(path: str | Path, model: type[M]) -> M:
    """Read a YAML file into a validated ``model``.

    Problems name the line of the field.

    Raises
    ------
    CaseFileError
        Every problem found.
    """
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise CaseFileError([Problem(relative(path), "The file should hold 'key: value' fields at the top level.",
                                     line=1, fix="Start from the template made by 'stp new-case'.")])
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise CaseFileError(problems_from(err, path, model, lines=lines)) from err


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return CSV text (``\\n`` line ends) for a header and rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()
