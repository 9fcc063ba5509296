"""Untrusted files meet limits: nesting depth, YAML aliases, size caps, encodings.

Each test here failed before the limits existed: deep nesting raised a raw
``RecursionError``, a 378-byte alias bomb ran for minutes, a 30 MB ``cld.csv``
was parsed, a non-UTF-8 ``scenarios.yaml`` raised ``UnicodeDecodeError`` and a
malformed LOOPY file raised ``TypeError``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from stp_helpers import case, cli
from stp_helpers.errors import CaseFileError
from stp_helpers.evaluation.logic_model import parse_logic_model, read_logic_model
from stp_helpers.io import parse
from stp_helpers.io.cld_csv import read_cld_csv
from stp_helpers.io.kumu import read_kumu
from stp_helpers.io.loopy import read_loopy
from stp_helpers.io.tables import load_yaml
from stp_helpers.practice.scoping import parse_scoping
from stp_helpers.sd import load_scenarios
from stp_helpers.ssm.records import parse_ssm_text, read_ssm
from stp_helpers.vsm.files import parse_vsm, read_vsm

DEEP_JSON = "[" * 50_000 + "]" * 50_000
DEEP_YAML = "title: " + "[" * 5_000 + "]" * 5_000 + "\n"
# The classic "billion laughs": nine levels of nine aliases, 9**8 strings once expanded.
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi"))


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _case(folder: Path, extra: str) -> Path:
    root = folder / "my-case"
    root.mkdir()
    (root / "case.yaml").write_text("slug: my-case\ntitle: T\norganisation: O\nsummary: S\n" + extra,
                                    encoding="utf-8")
    return root


def test_bomb_is_small() -> None:
    assert len(BOMB) <= 378  # the size of the bomb that ran check-case for 90 s and 5.9 GB


@pytest.mark.parametrize("reader", [read_kumu, read_loopy], ids=["kumu", "loopy"])
def test_deep_json_is_refused(tmp_path: Path, reader) -> None:
    with pytest.raises(CaseFileError, match="nests lists or objects more than 64 deep"):
        reader(_write(tmp_path, "map.json", DEEP_JSON))


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert parse.parse_json('{"label": "' + "[" * 200 + '"}', "x.json") == {"label": "[" * 200}


@pytest.mark.parametrize("reader", [read_ssm, read_vsm, load_scenarios, load_yaml, read_logic_model],
                         ids=["ssm", "vsm", "scenarios", "load_yaml", "logic_model"])
def test_deep_yaml_is_refused(tmp_path: Path, reader) -> None:
    with pytest.raises(CaseFileError, match=r"line 1: The file nests lists or mappings more than 64 deep"):
        reader(_write(tmp_path, "x.yaml", DEEP_YAML))


@pytest.mark.parametrize("parser", [parse_ssm_text, parse_vsm, parse_logic_model, parse_scoping],
                         ids=["ssm", "vsm", "logic_model", "scoping"])
def test_deep_and_aliased_yaml_text_is_refused(parser) -> None:
    with pytest.raises(CaseFileError, match="more than 64 deep"):
        parser(DEEP_YAML)
    with pytest.raises(CaseFileError, match="alias"):
        parser(BOMB)


@pytest.mark.parametrize("reader", [read_ssm, read_vsm, load_scenarios, load_yaml],
                         ids=["ssm", "vsm", "scenarios", "load_yaml"])
def test_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path, reader) -> None:
    with pytest.raises(CaseFileError, match=r"line 2: The file uses the YAML alias '\*a'; case files may "
                                            r"not use aliases\. Write the value out in full"):
        reader(_write(tmp_path, "x.yaml", BOMB))


def test_deep_case_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _case(tmp_path, "synopsis: " + "[" * 5_000 + "]" * 5_000 + "\n")
    with pytest.raises(CaseFileError, match="line 5: The file nests"):
        case.load(folder)
    assert [p.problem for p in case.check(folder)] == ["The file nests lists or mappings more than 64 deep."]
    assert cli.main(["check-case", str(folder)]) == 1
    assert "more than 64 deep" in capsys.readouterr().out


def test_alias_bomb_in_case_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _case(tmp_path, BOMB.replace("a:", "synopsis:", 1).replace("&a", "&s").replace("*a", "*s"))
    assert cli.main(["check-case", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "case.yaml, line 6: The file uses the YAML alias '*s'" in out and "1 problem(s) found." in out


def test_scenarios_not_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "scenarios.yaml", "scenarios:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CaseFileError, match=r"scenarios.yaml, line 2: The file is not UTF-8 text"):
        load_scenarios(path)


def test_scenarios_empty_gets_yaml_advice(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="The file is empty. Write 'scenarios:'") as info:
        load_scenarios(_write(tmp_path, "scenarios.yaml", "\n"))
    assert "header row" not in str(info.value)


@pytest.mark.parametrize("text", [
    '[[[[1],0,0,0,"a",0]],[],[],2]',            # a list as a node id
    '[[[1,0,0,0,"a",0]],[[[1],1,0,1,0]],[],2]',  # a list as an edge end
    '[[[true,0,0,0,"a",0]],[],[],2]',            # a boolean as a node id
])
def test_loopy_malformed_ids(text: str) -> None:
    with pytest.raises(CaseFileError, match=r"nodes\[0\]|edges\[0\]"):
        read_loopy(io.StringIO(text))


def test_large_cld_csv_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "cld.csv"
    with open(path, "wb") as handle:
        handle.write(b"from,to,polarity\n")
        handle.truncate(30 * 1024 * 1024)  # a sparse 30 MB file: refused by its size alone
    with pytest.raises(CaseFileError, match=r"cld.csv: is 31,457,280 bytes, more than the limit of 20,971,520"):
        read_cld_csv(path)


def test_large_stream_is_refused() -> None:
    with pytest.raises(CaseFileError, match="more than the limit"):
        read_cld_csv(io.StringIO("from,to,polarity\n" + "a,b,+\n" * 3_500_000))


def test_yaml_values_python_cannot_build_are_clear() -> None:
    with pytest.raises(CaseFileError, match="value YAML cannot read"):
        parse.parse_yaml("created: 2024-13-40\n", "case.yaml")
    with pytest.raises(CaseFileError, match="not valid YAML"):
        parse.parse_yaml("x: !!python/object:os.system ls\n", "case.yaml")


def test_read_limited_refuses_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.bin", b"x" * 11)
    assert parse.read_limited(path, limit=11) == b"x" * 11
    with pytest.raises(CaseFileError, match="11 bytes, more than the limit of 10 bytes"):
        parse.read_limited(path, limit=10)


def test_model_over_the_size_cap_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stp_helpers.errors import ModelError
    from stp_helpers.sd import load_model

    monkeypatch.setenv("STP_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "model.mdl"
    with open(path, "wb") as handle:
        handle.write(b"{UTF-8}\nx = 1 ~ ~ |\n")
        handle.truncate(25 * 1024 * 1024)
    with pytest.raises(ModelError, match=r"model.mdl: The file is 26,214,400 bytes, more than the limit of 20,971,520"):
        load_model(path)


def test_personal_details_scan_reports_a_file_too_large_to_scan(tmp_path: Path) -> None:
    from stp_helpers.stakeholders.ethics import scan_personal_details

    folder = _case(tmp_path, "")
    (folder / "notes.txt").write_text("Call Ada on 01234 567890.\n", encoding="utf-8")
    with open(folder / "big.csv", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    found = scan_personal_details(case.load(folder))
    assert found[["file", "kind"]].values.tolist() == [["big.csv", "file not scanned"],
                                                        ["notes.txt", "phone number"]]
