"""Parse untrusted files with limits: size, nesting depth and YAML aliases.

Case folders are shared between practitioners, so every reader treats its
input as untrusted.  This module is the one place that reads YAML and JSON
text for the workbook:

* :func:`read_limited` reads at most :data:`MAX_FILE_BYTES` bytes, refusing
  larger files before reading them;
* :func:`parse_yaml` uses PyYAML's safe loader, refuses aliases (``*name``)
  in case files (a few hundred bytes of nested aliases expand to gigabytes)
  and nesting deeper than :data:`MAX_DEPTH`, and returns a map of field paths
  to line numbers for messages;
* :func:`parse_json` refuses nesting deeper than :data:`MAX_DEPTH`.

Every problem becomes a :class:`~stp_helpers.errors.CaseFileError` naming the
file and, where known, the line.

Examples
--------
>>> parse_yaml("title: T\\nitems:\\n  - a\\n", "case.yaml")[0]
{'title': 'T', 'items': ['a']}
>>> parse_yaml("a: &x [1]\\nb: *x\\n", "case.yaml")
Traceback (most recent call last):
...
stp_helpers.errors.CaseFileError: case.yaml, line 2: The file uses the YAML alias '*x'; case files may not use aliases. Write the value out in full where it is needed.
>>> parse_json("[" * 100 + "]" * 100, "map.json")
Traceback (most recent call last):
...
stp_helpers.errors.CaseFileError: map.json: The file nests lists or objects more than 64 deep. ...
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import yaml

from stp_helpers.errors import CaseFileError, Problem
from stp_helpers.paths import relative

__all__ = ["MAX_FILE_BYTES", "MAX_DEPTH", "read_limited", "parse_yaml", "parse_json", "check_depth", "yaml_lines"]

#: Largest file any reader accepts (bytes); larger files are refused unread.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted in YAML and JSON.
MAX_DEPTH = 64

_YAML_FIX = "Check the indentation and that every 'key: value' has a space after the colon."


def read_limited(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """Return a file's bytes, refusing a file larger than ``limit`` before reading it.

    ``limit`` defaults to :data:`MAX_FILE_BYTES`.

    Raises
    ------
    CaseFileError
        Missing, a folder, unreadable, or too large.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "big.csv"
    >>> _ = path.write_bytes(b"x" * 2000)
    >>> read_limited(path, limit=1000)
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: ...big.csv: The file is 2,000 bytes, more than the limit of 1,000 bytes. ...
    """
    name = relative(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size <= limit:
                data = handle.read(limit + 1)
            else:
                data = b""
    except FileNotFoundError as err:
        raise CaseFileError([Problem(name, "The file does not exist.",
                                     fix="Check the folder and file name.")]) from err
    except IsADirectoryError as err:
        raise CaseFileError([Problem(name, "This is a folder, not a file.",
                                     fix="Give the path of the file inside it.")]) from err
    except OSError as err:
        raise CaseFileError([Problem(name, f"The file cannot be read: {err.strerror or err}.",
                                     fix="Check the file's permissions.")]) from err
    if size > limit or len(data) > limit:
        raise CaseFileError([Problem(
            name, f"The file is {max(size, len(data)):,} bytes, more than the limit of {limit:,} bytes.",
            fix="Split it, or keep only what the case needs.")])
    return data


class _Limit(Exception):
    """A limit was reached while composing YAML (line counted from 1)."""

    def __init__(self, problem: str, line: int, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.line, self.fix = problem, line, fix


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with no aliases and a depth limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Limit(f"The file uses the YAML alias '*{event.anchor}'; case files may not use aliases.",
                         line, "Write the value out in full where it is needed.")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Limit(f"The file nests lists or mappings more than {MAX_DEPTH} deep.", line,
                             "Flatten the structure; case files need only a few levels.")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def yaml_lines(node: yaml.Node, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], int]]:
    """Yield (field path, line) for every node of a composed YAML document."""
    yield prefix, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield prefix + (key.value,), key.start_mark.line + 1
            yield from yaml_lines(value, prefix + (key.value,))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from yaml_lines(item, prefix + (i,))


def parse_yaml(text: str, name: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML text safely; return the data and a map of field paths to lines.

    Parameters
    ----------
    text : str
        The YAML text.
    name : str
        The file (or what the text is) for messages.

    Returns
    -------
    data, lines
        What the document holds (``None`` for an empty one), and
        ``{("sources", 0, "title"): 7, ...}``.

    Raises
    ------
    CaseFileError
        Not valid YAML, an alias, nesting deeper than :data:`MAX_DEPTH`, or
        a value PyYAML cannot build (such as the date 2024-13-40); with the line.
    """
    loader = None
    try:
        loader = _LimitedLoader(text)  # the reader refuses control characters at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Limit as err:
        raise CaseFileError([Problem(name, err.problem, line=err.line, fix=err.fix)]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = "; ".join(p for p in (getattr(err, "context", None), getattr(err, "problem", None)) if p)
        raise CaseFileError([Problem(name, f"The file is not valid YAML: {what or err}.", line=line,
                                     fix=_YAML_FIX)]) from err
    except (ValueError, TypeError, OverflowError, RecursionError) as err:
        raise CaseFileError([Problem(name, f"The file holds a value YAML cannot read ({err}).",
                                     fix=_YAML_FIX)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines = dict(yaml_lines(node)) if node is not None else {}
    return data, lines


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth(text: str) -> int:
    """Return the deepest nesting of brackets outside strings in JSON text."""
    deepest = depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_depth(text: str, name: str, fix: str) -> None:
    """Refuse JSON text nested deeper than :data:`MAX_DEPTH` (before ``json.loads`` recurses).

    Raises
    ------
    CaseFileError
        With ``fix`` as the advice.
    """
    if _depth(text) > MAX_DEPTH:
        raise CaseFileError([Problem(name, f"The file nests lists or objects more than {MAX_DEPTH} deep.",
                                     fix=fix)])


def parse_json(text: str, name: str) -> Any:
    """Parse JSON text, refusing nesting deeper than :data:`MAX_DEPTH`.

    Raises
    ------
    CaseFileError
        Not valid JSON (with the line) or nested too deeply.

    Examples
    --------
    >>> parse_json('{"a": [1, 2]}', "x.json")
    {'a': [1, 2]}
    """
    check_depth(text, name, "Export the diagram again from the program that made it.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise CaseFileError([Problem(name, f"The file is not valid JSON: {err.msg}.", line=err.lineno,
                                     fix="Export the diagram again from the program that made it.")]) from err
    except (ValueError, RecursionError) as err:
        raise CaseFileError([Problem(name, f"The file is not valid JSON ({err}).",
                                     fix="Export the diagram again from the program that made it.")]) from None

