"""Readers and writers: files in, plain structures out.

Readers turn a file into a causal loop diagram (a ``networkx.DiGraph`` with
the attributes documented in :mod:`stp_helpers.io.cld_graph`) and never analyse it.
Every problem a user can cause becomes a :class:`~stp_helpers.errors.CaseFileError`
naming file, row and column; library errors are translated here.

Untrusted input: :mod:`~stp_helpers.io.parse` reads YAML and JSON with a
size cap (:data:`~stp_helpers.io.parse.MAX_FILE_BYTES`), a nesting limit and
no YAML aliases (``parse_yaml`` is the one YAML loader), and
:mod:`~stp_helpers.io.sniff` tells from its bytes whether a file holds what
its name says.  Writes go through :mod:`~stp_helpers.io.atomic`.

CLD formats: :mod:`~stp_helpers.io.cld_csv` (edge lists),
:mod:`~stp_helpers.io.kumu` (Kumu JSON), :mod:`~stp_helpers.io.graphml`,
:mod:`~stp_helpers.io.loopy` (LOOPY), :mod:`~stp_helpers.io.vensim_sketch`
(the sketch of a Vensim ``.mdl``) and :mod:`~stp_helpers.io.dot` (Graphviz,
export only).

Writers
-------
Every CLD writer (``write_cld_csv``, ``write_kumu``, ``write_graphml``,
``write_dot``) has the same signature ``(graph, target, *, overwrite=False)``:
``graph`` is a CLD (a ``GraphError`` names what makes it not one), ``target``
a path or an open text stream.  A path is written atomically through
:func:`write_text`, and an existing file is replaced only with
``overwrite=True`` (otherwise ``CaseExistsError``).
"""

from __future__ import annotations

import io  # noqa: F401  (used by the examples)
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from stp_helpers.io.atomic import locked, write_atomic
from stp_helpers.io.parse import MAX_FILE_BYTES, parse_yaml
from stp_helpers.errors import CaseExistsError, CaseFileError, Problem
from stp_helpers.paths import relative

__all__ = [
    "MAX_FILE_BYTES",
    "parse_yaml",
    "CldImport",
    "LabelMapping",
    "Source",
    "read_text",
    "source_name",
    "too_many",
    "write_text",
]

#: A path, or an open text stream (``io.StringIO`` in examples and tests).
Source = str | os.PathLike[str] | IO[str]


@dataclass(frozen=True)
class LabelMapping:
    """A polarity label as written and the symbol it was read as."""

    written: str
    polarity: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = f" (rows {', '.join(map(str, self.rows))})" if self.rows else ""
        return f"{self.written!r} → {self.polarity!r}{where}"


@dataclass(frozen=True)
class CldImport:
    """What a reader returns: the diagram plus what it did to read it.

    Parameters
    ----------
    graph : networkx.DiGraph
        The causal loop diagram.
    source : str
        The file, relative to the project root where possible.
    mapped : tuple of LabelMapping
        Polarity labels that were translated (``"S"`` → ``"+"``).
    warnings : list of Problem
        Things that did not stop the import but deserve a look.
    """

    graph: nx.DiGraph
    source: str
    mapped: tuple[LabelMapping, ...] = ()
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """Return what was read, mapped and warned about, one item per line."""
        g = self.graph
        lines = [f"{self.source}: {g.number_of_nodes()} variables, "
                 f"{g.number_of_edges()} links."]
        if self.mapped:
            lines.append("Polarity labels read as: " + "; ".join(map(str, self.mapped)) + ".")
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def source_name(source: Any) -> str:
    """Return a file's name for messages (relative path, or ``<text>``)."""
    if isinstance(source, (str, os.PathLike)):
        return relative(source)
    return str(getattr(source, "name", "<text>"))


def read_text(source: Source, what: str = "file") -> str:
    """Read a whole text file (or stream), turning OS and encoding errors into messages.

    Parameters
    ----------
    source : path or text stream
        The file to read.
    what : str
        What the file should be, for the fix (``"CSV file"``).

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    CaseFileError
        Missing, unreadable, not UTF-8, empty, or larger than
        :data:`~stp_helpers.io.parse.MAX_FILE_BYTES` (refused before it is read).

    Examples
    --------
    >>> read_text(io.StringIO("from,to\\n"))
    'from,to\\n'
    """
    name = source_name(source)
    try:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                raw = handle.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
            if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
                raise _too_large(name, max(size, len(raw)))
            text = raw.decode("utf-8-sig")
        else:
            text = source.read(MAX_FILE_BYTES + 1)
            if len(text) > MAX_FILE_BYTES:
                raise _too_large(name, len(text))
    except FileNotFoundError as err:
        raise CaseFileError([Problem(name, "does not exist.",
                                     fix="Check the folder and file name.")]) from err
    except IsADirectoryError as err:
        raise CaseFileError([Problem(name, f"is a folder, not a {what}.",
                                     fix="Give the path of the file inside it.")]) from err
    except UnicodeDecodeError as err:
        raise CaseFileError([Problem(name, f"is not UTF-8 text (byte {err.start}).",
                                     fix=f"Save it again as a UTF-8 {what}.")]) from err
    except OSError as err:
        raise CaseFileError([Problem(name, f"cannot be read: {err.strerror}.",
                                     fix="Check the file's permissions.")]) from err
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise CaseFileError([Problem(name, "is not UTF-8 text.",
                                         fix=f"Save it again as a UTF-8 {what}.")]) from err
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CaseFileError([Problem(name, "is empty.",
                                     fix=f"Export the diagram again as a {what}.")])
    return text


def _too_large(name: str, size: int) -> CaseFileError:
    return CaseFileError([Problem(
        name, f"is {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,} bytes.",
        fix="Split the diagram into smaller views, or keep only what the case needs.")])


def write_text(target: Source, text: str, *, overwrite: bool = False) -> None:
    """Write text to a path atomically (temporary file, then rename) or to a stream.

    Parameters
    ----------
    target : path or text stream
        Where to write.
    text : str
        The content.
    overwrite : bool
        Replace an existing file; refused by default.

    Raises
    ------
    CaseExistsError
        The file exists and ``overwrite`` is False.

    Examples
    --------
    >>> buffer = io.StringIO()
    >>> write_text(buffer, "a,b\\n")
    >>> buffer.getvalue()
    'a,b\\n'
    """
    if not isinstance(target, (str, os.PathLike)):
        target.write(text)
        return
    path = Path(target)
    with locked(path):  # two writers at once: the second sees the first's file
        if path.exists() and not overwrite:
            raise CaseExistsError(f"{relative(path)} already exists.",
                                  "Pass overwrite=True to replace it, or choose another name.")
        write_atomic(path, text)


def too_many(name: str, count: int, limit: int) -> CaseFileError:
    """Return the error for a map with more variables than the analysis accepts."""
    return CaseFileError([Problem(
        name, f"has {count:,} variables; the workbook analyses up to {limit:,}.",
        fix="Split the map into views of related variables, or pass a larger "
            "max_variables if you accept slow analysis.")])

