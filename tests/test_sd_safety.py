"""A model file is data, never code: hostile Vensim and XMILE files run nothing.

Each payload would write a marker file when imported or run.  Every test
asserts the marker is never written, and that the workbook either opens the
model with the payload turned into plain text or refuses it with a
``ModelError``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from stp_helpers import paths, sd
from stp_helpers.errors import ModelError
from stp_helpers.sd import safety, translate

CONTROLS = ("INITIAL TIME = 0 ~ Month ~ Start. |\nFINAL TIME = 4 ~ Month ~ End. |\n"
            "TIME STEP = 1 ~ Month ~ Step. |\nSAVEPER = 1 ~ Month ~ Save. |\n")


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Every test translates afresh into its own cache."""
    monkeypatch.setenv("STP_CACHE", str(tmp_path / "cache"))


def payload(marker: Path) -> str:
    return f'__import__("pathlib").Path({str(marker)!r}).write_text("ran")'


def vensim(tmp_path: Path, stock_doc: str = "A stock.", inflow_units: str = "widget/Month",
           extra: str = "") -> Path:
    path = tmp_path / "model.mdl"
    path.write_text(
        "{UTF-8}\n"
        f"Stock = INTEG(inflow, 1) ~ widget ~ {stock_doc} |\n"
        f"inflow = 0.5 ~ {inflow_units} [0,2,0.1] ~ Constant inflow. |\n"
        + extra + CONTROLS, encoding="utf-8")
    return path


def xmile(tmp_path: Path, doc: str, prolog: str = "") -> Path:
    path = tmp_path / "model.xmile"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n' + prolog +
        '<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">\n'
        '<header><name>m</name></header>\n'
        '<sim_specs time_units="Month"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>\n'
        '<model><variables>\n'
        f'<stock name="Stock"><eqn>1</eqn><inflow>inflow</inflow><units>widget</units><doc>{doc}</doc></stock>\n'
        '<flow name="inflow"><eqn>0.5</eqn><units>widget/Month</units></flow>\n'
        '</variables></model></xmile>\n', encoding="utf-8")
    return path


def test_docstring_escape_in_a_vensim_comment_runs_nothing(tmp_path):
    marker = tmp_path / "PWNED"
    path = vensim(tmp_path, stock_doc=f'A stock. """ + {payload(marker)} + """')
    model = sd.load_model(path)
    run = model.run()
    assert not marker.exists()
    assert run["Stock"].iloc[-1] == pytest.approx(3.0)
    # the comment is kept as text, its double quotes made single
    assert "''' + __import__" in model.info("Stock").doc


def test_unsafe_units_run_nothing(tmp_path):
    marker = tmp_path / "PWNED"
    path = vensim(tmp_path, inflow_units=f'widget/Month", x={payload(marker)}, y="')
    model = sd.load_model(path)
    model.run()
    assert not marker.exists()


def test_quote_in_a_data_variable_name_is_refused(tmp_path):
    # PySD writes a data variable's name between single quotes (TabData('name', ...)),
    # so the name closes the string; the verifier refuses the call it smuggles in
    marker = tmp_path / "PWNED"
    code = payload(marker).replace('"', "'")
    evil = f"\"d', {code}, '\""
    path = vensim(tmp_path, extra=f"{evil} :INTERPOLATE: ~ widget ~ data. |\n")
    with pytest.raises(ModelError, match="code PySD does not write .*__import__"):
        sd.load_model(path)
    assert not marker.exists()


def test_an_apostrophe_in_a_name_is_fine(tmp_path):
    path = vensim(tmp_path, extra="time's up = Stock * 2 ~ widget ~ A name with an apostrophe. |\n")
    assert sd.load_model(path).run()["time's up"].iloc[-1] == pytest.approx(6.0)


def test_docstring_escape_in_an_xmile_doc_runs_nothing(tmp_path):
    marker = tmp_path / "PWNED"
    path = xmile(tmp_path, f'A stock. """ + {payload(marker)} + """'.replace('"', "&quot;"))
    model = sd.load_model(path)
    model.run()
    assert not marker.exists()
    assert "'''" in model.info("Stock").doc


def test_xmile_with_an_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    prolog = f'<!DOCTYPE xmile [<!ENTITY s SYSTEM "file://{secret}">]>\n'
    path = xmile(tmp_path, "&s;", prolog=prolog)
    with pytest.raises(ModelError, match="DTD or entities"):
        sd.load_model(path)


def test_verifier_alone_stops_the_docstring_attack(tmp_path, monkeypatch):
    """With sanitising switched off, the verifier still refuses before import."""
    marker = tmp_path / "PWNED"
    monkeypatch.setattr(safety, "sanitise", lambda model, where: model)
    path = vensim(tmp_path, stock_doc=f'A stock. """ + {payload(marker)} + """')
    with pytest.raises(ModelError, match="code PySD does not write .*line \\d+"):
        sd.load_model(path)
    with pytest.raises(ModelError, match="code PySD does not write"):
        sd.check_model(path)
    assert not marker.exists()


def test_a_tampered_cached_translation_is_never_imported(tmp_path):
    marker = tmp_path / "PWNED"
    path = vensim(tmp_path)
    model = sd.load_model(path)
    py_file = model.cache / "model.py"
    py_file.write_text(py_file.read_text(encoding="utf-8") + f"\n{payload(marker)}\n",
                       encoding="utf-8")
    with pytest.raises(ModelError, match="code PySD does not write"):
        sd.load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize("code, why", [
    ("import os\n", "import"),
    ("from pysd.py_backend.utils import load_modules\n", "PySD helper that runs code"),
    ("x = eval('1')\n", "builtin"),
    ("x = open\n", "builtin as a value"),
    ("import numpy as np\nx = np.load('a.npy')\n", "file-reading NumPy function"),
    ("import numpy as np\nx = np.__class__\n", "dunder attribute"),
    ("from pathlib import Path\nx = Path('a').write_text('b')\n", "Path outside _root"),
    ("from pathlib import Path\n_root = Path(__file__).parent\nx = _root.joinpath('a')\n",
     "_root used"),
    ("def f():\n    import os\n", "import in a function"),
    ("def f():\n    '''doc'''\n    f()\n", "statement other than return"),
    ("x = [i for i in range(3)]\n", "comprehension"),
    ("x = f'{1}'\n", "f-string"),
    ("__builtins__ = {}\n", "dunder assignment"),
    ("from pysd.py_backend.external import ExtData\nx = ExtData('/etc/passwd', 's')\n",
     "absolute data file"),
    ("from pysd.py_backend.external import ExtData\nx = ExtData('../../a.xlsx', 's')\n",
     "data file outside the folder"),
])
def test_verifier_refuses_what_pysd_never_writes(code, why):
    with pytest.raises(ModelError, match="code PySD does not write"):
        safety.verify_source(code, "m.mdl")


def test_verifier_accepts_every_shipped_translation():
    for path in sorted((paths.DATA_DIR / "models").glob("*.mdl")) + sorted(
            (paths.DATA_DIR / "cases").glob("*/model.mdl")):
        src, folder, _ = translate.translated(path)
        safety.verify_folder(folder, str(path))


def test_check_model_translates_and_verifies_without_importing(tmp_path, monkeypatch):
    path = vensim(tmp_path)

    def no_import(*args, **kwargs):
        raise AssertionError("check_model imported generated code")

    monkeypatch.setattr(importlib.util, "spec_from_file_location", no_import)
    found = sd.check_model(path)
    assert found.stocks == ["Stock"]
    assert found.kinds == {"Stock": "stock", "inflow": "constant"}


def test_check_model_reports_missing_stocks_and_binary_content(tmp_path):
    path = tmp_path / "model.mdl"
    path.write_text("{UTF-8}\nx = 1 ~ widget ~ A constant. |\n" + CONTROLS, encoding="utf-8")
    with pytest.raises(ModelError, match="no stocks"):
        sd.check_model(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    with pytest.raises(ModelError, match="not a model file"):
        sd.check_model(path)


def test_check_case_checks_a_hostile_model_without_running_it(tmp_path, monkeypatch):
    """``stp check-case`` reads model.mdl with sd.check_model: translated, verified, never imported."""
    from stp_helpers import case

    folder = case.new_case("hostile", root=tmp_path / "cases")
    marker = tmp_path / "PWNED"
    vensim(folder, stock_doc=f'A stock. """ + {payload(marker)} + """')
    meta = folder / "case.yaml"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    data["artefacts"] = [*(data.get("artefacts") or []), {"file": "model.mdl"}]
    meta.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def no_import(*args, **kwargs):
        raise AssertionError("check-case imported generated code")

    monkeypatch.setattr(importlib.util, "spec_from_file_location", no_import)
    problems = [p for p in case.check(folder) if "model.mdl" in str(p.path)]
    assert problems == []  # sanitised: the comment is text, the model is fine
    monkeypatch.setattr(safety, "sanitise", lambda model, where: model)
    (folder / "model.mdl").write_text((folder / "model.mdl").read_text(encoding="utf-8") + "\n",
                                      encoding="utf-8")  # new content, new translation
    problems = [p for p in case.check(folder) if "model.mdl" in str(p.path)]
    assert len(problems) == 1 and "code PySD does not write" in str(problems[0])
    assert not marker.exists()
