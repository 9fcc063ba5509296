"""Every loader, fed arbitrary bytes, either reads the file or raises the package's own clear error.

Property-based (hypothesis): no loader may leak a bare ``ValueError``,
``KeyError``, ``UnicodeDecodeError``, ``json.JSONDecodeError``, ParseError or
anything else to the user, and none may write a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stp_helpers.case import ARTEFACT_KINDS, _resolve_reader
from stp_helpers.errors import StpError
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
BLOBS = TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=300)


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
