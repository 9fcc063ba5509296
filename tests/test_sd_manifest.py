"""Third-party models with reference output, through ``stp_helpers.sd.load_model``.

Parametrised over ``tests/data/test-models/MANIFEST.csv`` (see its README):

* every ``pass`` row must reproduce its reference output (rtol 1e-3,
  atol 1e-5) after translation in the workbook's cache;
* every ``fail-translate``/``fail-run``/``empty-model`` row must raise a
  :class:`~stp_helpers.errors.ModelError` from ``load_model`` or ``run``,
  never a bare exception.  The two ``itmx-extension`` rows are the
  exception: the workbook reads ``.itmx`` as XMILE, so they must run.

Translations are cached by content (``STP_CACHE``), so a second run of this
module only reloads the translated Python.  Run it with ``-n 2``.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import TEST_DATA

from stp_helpers.errors import ModelError
from stp_helpers.sd import load_model

ROOT = TEST_DATA / "test-models"
MANIFEST = ROOT / "MANIFEST.csv"

# A missing manifest is an error at collection, never a silent skip.
with open(MANIFEST, newline="", encoding="utf-8") as fh:
    ALL_ROWS = list(csv.DictReader(fh))
PASS_ROWS = [r for r in ALL_ROWS if r["pysd_status"] == "pass"]
FAIL_ROWS = [
    r for r in ALL_ROWS if r["pysd_status"] in {"fail-translate", "fail-run", "empty-model"}
]
CONTROL = {"time", "initial time", "final time", "time step", "saveper"}


def test_manifest_covers_the_models():
    # The counts in tests/data/test-models/README.md (PySD 3.14.3).
    assert (len(ALL_ROWS), len(PASS_ROWS), len(FAIL_ROWS)) == (368, 261, 79)
    missing = [r["path"] for r in ALL_ROWS if not (ROOT / r["path"]).is_file()]
    assert missing == []


@pytest.fixture(scope="module", autouse=True)
def model_cache():
    """Translate into a content-keyed cache shared by test runs and workers.

    ``STP_TEST_CACHE`` overrides the folder; by default it sits in the
    system temporary folder so that repeated runs reuse translations
    (keys include the file content and the PySD version).
    """
    folder = os.environ.get("STP_TEST_CACHE") or str(
        Path(tempfile.gettempdir()) / "stp-workbook-test-cache"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STP_CACHE", folder)
        yield Path(folder)


def norm(name: object) -> str:
    s = str(name).strip().strip('"').lower().replace("_", " ")
    return re.sub(r"\s*([\[\],])\s*", r"\1", re.sub(r"\s+", " ", s)).replace('"', "")


def read_dat(path: Path) -> pd.DataFrame:
    """Vensim .dat: a variable-name line, then 'time<TAB>value' lines."""
    series: dict[str, dict[float, float]] = {}
    cur = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        try:
            t, v = float(parts[0]), float(parts[1])
            series[cur][t] = v
        except (ValueError, IndexError, KeyError):
            if line.strip():
                cur = line.strip()
                series[cur] = {}
    return pd.DataFrame(series).sort_index()


def read_reference(path: Path) -> pd.DataFrame:
    if path.suffix == ".dat":
        return read_dat(path)
    from pysd.py_backend.utils import detect_encoding

    df = pd.read_csv(
        path, sep="\t" if path.suffix == ".tab" else ",", index_col=0,
        encoding=detect_encoding(path),
    )
    df.index = pd.to_numeric(df.index, errors="coerce")
    return df[df.index.notna()].apply(pd.to_numeric, errors="coerce")


def _data_files(row: dict) -> list[Path]:
    return [ROOT / p for p in row["data_files"].split(";") if p]


@pytest.mark.parametrize("row", PASS_ROWS, ids=[r["path"] for r in PASS_ROWS])
def test_reproduces_reference(row):
    model = load_model(ROOT / row["path"], data_files=_data_files(row), require_stocks=False)
    ref = read_reference(ROOT / row["reference"]).dropna(axis=1, how="all")
    names: dict[str, str] = {}
    for real, py in model.pysd.namespace.items():
        names.setdefault(norm(real), real)
        names.setdefault(norm(py), real)
    wanted = {names.get(norm(c.split("[")[0])) for c in ref.columns} - {None, "Time"}
    out = model.run(return_columns=sorted(wanted), check_finite=False)

    out.index = np.round(out.index.astype(float), 6)
    ref.index = np.round(ref.index.astype(float), 6)
    times = out.index.intersection(ref.index)
    by_norm = {norm(c): c for c in out.columns}
    compared = 0
    for col in ref.columns:
        if norm(col) in CONTROL or norm(col) not in by_norm:
            continue
        exp = ref[col]
        if exp.iloc[1:].isna().all():  # Vensim: constants only in row 1
            exp = pd.Series(exp.iloc[0], index=exp.index)
        exp = exp.loc[times].astype(float)
        act = out[by_norm[norm(col)]].loc[times].astype(float)
        keep = exp.notna()
        np.testing.assert_allclose(act[keep], exp[keep], rtol=1e-3, atol=1e-5, err_msg=col)
        compared += 1
    assert compared > 0


@pytest.mark.parametrize("row", FAIL_ROWS, ids=[r["path"] for r in FAIL_ROWS])
def test_failures_raise_model_error(row):
    path = ROOT / row["path"]
    if row["failure_class"] == "itmx-extension":
        model = load_model(path, data_files=_data_files(row), require_stocks=False)
        assert len(model.run()) > 0
        return
    with pytest.raises(ModelError) as info:
        model = load_model(path, data_files=_data_files(row), require_stocks=False)
        model.run()
    message = str(info.value)
    assert Path(row["path"]).name in message  # names the file
    assert len(message) > 60  # says what and how to fix
    if row["pysd_status"] == "empty-model":
        assert "dialect" in message
