"""Every loader, fed hostile bytes, either reads the file or raises the package's own clear error.

Property-based (hypothesis): no loader may leak a bare ``ValueError``,
``KeyError``, ``UnicodeDecodeError``, ``json.JSONDecodeError``,
``RecursionError``, ``sqlite3.DatabaseError``, ParseError or anything else to
the user, and none may write a file.  The inputs are format-like fragments,
raw bytes, deeply nested JSON and YAML, real files cut short, and real files
in the wrong encoding.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stp_helpers import case
from stp_helpers.case import ARTEFACT_KINDS, _resolve_reader
from stp_helpers.classroom.store import ClassStore
from stp_helpers.errors import StpError
from stp_helpers.evaluation.logic_model import parse_logic_model
from stp_helpers.io.parse import parse_yaml
from stp_helpers.learner.progress import ProgressStore
from stp_helpers.sd import load_scenarios
from stp_helpers.ssm.records import parse_ssm_text
from stp_helpers.vsm import parse_vsm
from stp_helpers.io.cld_csv import read_cld_csv
from stp_helpers.io.graphml import read_graphml
from stp_helpers.io.kumu import read_kumu
from stp_helpers.io.loopy import read_loopy
from stp_helpers.io.vensim_sketch import read_vensim_sketch
from stp_helpers.io.tables import load_yaml

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks a little like the real formats, plus raw bytes.
FRAGMENTS = st.sampled_from([
    "from,to,polarity,delay\n", "a,b,+,\n", "b,a,-,yes\n", ",,,\n", '"unclosed,\n', "id,label\n",
    "{", "}", "[", "]", '"elements": [', '{"id": "a"}', '"connections": [{"from": "a", "to": "zz"}]',
    "<graphml>", "<node id='a'/>", "<edge source='a' target='b'/>", "</graphml>",
    "slug: x\n", "title: [\n", "  - file: cld.csv\n", "artefacts:\n", "\t", ": :\n", "!!python/object:os.system\n",
    "{UTF-8}\n", "x = 1\n\t~\tunits\n\t~\t\n\t|\n", "Stock = INTEG(flow, 10)\n~~|\n", "\\\\\\---/// Sketch information\n",
    "10,1,Stock,100,100,40,20,3,3,0,0,0,0,0,0\n", "1,2,1,3,0,0,0,0,0,64,0,-1--1--1,,1|(0,0)|\n",
    "\x00", "\ufeff", "é", "−", "1e309", "NaN", "-5", "9" * 40,
])
TEXT = st.lists(FRAGMENTS | st.text(max_size=40), max_size=25).map("".join)
REPO = Path(__file__).resolve().parents[1]
# Real files of every kind the loaders read, to cut short and to re-encode.
SAMPLES = sorted(
    p for folder in ("data/cases", "tests/fixtures", "tests/broken_cases", "tests/data/cld/loopy")
    for p in (REPO / folder).rglob("*") if p.is_file() and p.stat().st_size < 60_000
)
REAL = st.sampled_from(SAMPLES).map(lambda p: p.read_bytes())
NESTED = st.tuples(st.integers(60, 3_000), st.sampled_from([
    ("[", "]", ""), ("{\"a\": ", "}", "1"), ("- ", "", "x"), ("a: [", "]", ""), ("", "", ""),
])).map(lambda n_parts: (n_parts[1][0] * n_parts[0] + n_parts[1][2] + n_parts[1][1] * n_parts[0]).encode())
DEEP_BLOCK = st.integers(60, 400).map(lambda n: "".join(f"{'  ' * i}k{i}:\n" for i in range(n)).encode())
TRUNCATED = st.tuples(REAL, st.floats(0, 1)).map(lambda b_f: b_f[0][: int(len(b_f[0]) * b_f[1])])
MISENCODED = st.tuples(REAL, st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"]), st.text(
    alphabet="éü£€−–“”", min_size=1, max_size=5)).map(
    lambda r: (r[0].decode("utf-8", "replace") + r[2]).encode(r[1], "replace"))
BLOBS = (TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=300)
         | NESTED | DEEP_BLOCK | TRUNCATED | MISENCODED)


def _attempt(reader, path: Path) -> None:
    before = sorted(p.name for p in path.parent.iterdir())
    try:
        reader(path)
    except StpError:
        pass
    assert sorted(p.name for p in path.parent.iterdir()) == before, "a loader wrote a file"


READERS = sorted((name, kind.reader) for name, kind in ARTEFACT_KINDS.items()
                 if kind.reader and not kind.reader.startswith("stp_helpers.sd"))


@pytest.mark.parametrize("name,reader", READERS, ids=[n for n, _ in READERS])
@FAST
@given(blob=BLOBS)
def test_case_artefact_readers(name: str, reader: str, blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(blob)
        _attempt(_resolve_reader(reader), path)


@pytest.mark.parametrize("suffix,reader", [
    (".csv", read_cld_csv), (".json", read_kumu), (".graphml", read_graphml), (".json", read_loopy),
    (".mdl", read_vensim_sketch), (".yaml", load_yaml),
], ids=["cld-csv", "kumu", "graphml", "loopy", "vensim-sketch", "yaml"])
@FAST
@given(blob=BLOBS)
def test_io_readers(suffix: str, reader, blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(blob)
        _attempt(reader, path)


@pytest.mark.parametrize("suffix", [".mdl", ".xmile"])
@SLOW
@given(blob=BLOBS)
def test_model_loader(suffix: str, blob: bytes) -> None:
    from stp_helpers.sd import load_model

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache, \
            mock.patch.dict(os.environ, {"STP_CACHE": cache}):
        path = Path(folder) / f"model{suffix}"
        path.write_bytes(blob)
        _attempt(load_model, path)


@pytest.mark.parametrize("reader", [load_scenarios, case.load, case.check], ids=["scenarios", "case-load", "case-check"])
@FAST
@given(blob=BLOBS)
def test_case_folder_loaders(reader, blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "my-case"
        folder.mkdir()
        path = folder / ("scenarios.yaml" if reader is load_scenarios else "case.yaml")
        path.write_bytes(blob)
        _attempt(lambda p: reader(p if reader is load_scenarios else folder), path)


@pytest.mark.parametrize("parser", [parse_ssm_text, parse_vsm, parse_logic_model,
                                    lambda text: parse_yaml(text, "x.yaml")],
                         ids=["ssm", "vsm", "logic-model", "parse_yaml"])
@FAST
@given(blob=BLOBS)
def test_text_parsers(parser, blob: bytes) -> None:
    try:
        parser(blob.decode("utf-8", "replace"))
    except StpError:
        pass


@FAST
@given(blob=BLOBS)
def test_progress_store(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ProgressStore("ada", root=folder)
        store.path.write_bytes(blob)
        _attempt(lambda _: (store.summary(), store.reflections()), store.path)


@FAST
@given(blob=BLOBS | st.binary(min_size=100, max_size=4096).map(lambda b: b"SQLite format 3\x00" + b))
def test_class_database(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "class.sqlite3"
        path.write_bytes(blob)
        try:
            ClassStore(path).snapshot("lesson-1")
        except StpError:
            pass
