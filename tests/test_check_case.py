"""`stp check-case` on broken case folders: messages, exit codes, nothing changed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from stp_helpers import case, cli

BROKEN = Path(__file__).parent / "broken_cases"

# Each broken folder, with the pieces every message must hold: file, place, problem, fix.
EXPECTED = {
    "bad-yaml": [("bad-yaml/case.yaml, line 2", "not valid YAML", "found unexpected end of stream")],
    "missing-column": [
        ("missing-column/agency_contacts.csv, row 1", "The column 'contacts' is missing",
         "Is 'count' meant to be 'contacts'? Rename it. The header row should read: agency,contacts,detail,source"),
    ],
    "wrong-type": [
        ('wrong-type/case.yaml, line 5, column "created"', "'last tuesday' is not a date", "YYYY-MM-DD"),
        ('wrong-type/agency_contacts.csv, row 3, column "contacts"', "'lots' is not a whole number",
         "a whole number of contacts"),
        ('wrong-type/agency_contacts.csv, row 4, column "contacts"', "'-4' is below the smallest allowed value (0)",
         "a whole number of contacts"),
    ],
    "unknown-artefact": [
        ('unknown-artefact/case.yaml, line 6, column "artefacts[0].file"',
         "'causal_loops.csv' is not an artefact the workbook knows", "Use one of: agency_contacts.csv"),
        ('unknown-artefact/case.yaml, line 7, column "artefacts[1].file"',
         "cld.csv is listed but the file does not exist", "Add the file, or remove it from the list."),
    ],
    "empty-file": [("empty-file/agency_contacts.csv", "The file is empty.", "Add the header row")],
    "empty-yaml": [("empty-yaml/case.yaml", "The file is empty.", "stp new-case")],
    # A spreadsheet, a web page, a 342-byte alias bomb and 3,000 nested lists: each refused quickly.
    "binary-variables": [("binary-variables/cld_variables.csv", "holds a ZIP archive", "Save it again as CSV UTF-8.")],
    "not-an-image": [("not-an-image/rich_picture.png", "is not a PNG image: the first PNG chunk is not IHDR",
                      "Save the picture again as PNG")],
    "alias-bomb": [("alias-bomb/case.yaml, line 2", "uses the YAML alias '*a'; case files may not use aliases",
                    "Write the value out in full")],
    "deep-yaml": [("deep-yaml/case.yaml, line 4", "nests lists or mappings more than 64 deep",
                   "Flatten the structure")],
}


def _tree_hash(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_every_broken_folder_has_expectations() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_case_reports_every_problem(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = BROKEN / name
    before = _tree_hash(folder)
    status = cli.main(["check-case", str(folder)])
    out = capsys.readouterr().out
    assert status == 1
    lines = [line for line in out.splitlines() if not line.endswith("problem(s) found.")]
    assert len(lines) == len(EXPECTED[name]), out
    for line, (where, what, fix) in zip(lines, EXPECTED[name]):
        assert where in line and what in line and fix in line, line
    assert out.strip().endswith(f"{len(EXPECTED[name])} problem(s) found.")
    assert _tree_hash(folder) == before


def test_check_case_command_prints_no_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "stp_helpers.cli", "check-case", str(BROKEN / "wrong-type")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "'lots' is not a whole number" in proc.stdout


def test_check_case_on_a_good_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check-case", "wiltshire-complex-needs"]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_check_case_on_unknown_slug(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check-case", "no-such-case"]) == 1
    err = capsys.readouterr().err
    assert "There is no case 'no-such-case'." in err and "Known cases:" in err and "wiltshire-complex-needs" in err


def test_folder_without_case_yaml(tmp_path: Path) -> None:
    problems = case.check(tmp_path)
    assert len(problems) == 1 and "There is no case.yaml" in str(problems[0])


def test_unlisted_artefact_is_reported(tmp_path: Path) -> None:
    folder = case.new_case("has-extra", root=tmp_path)
    (folder / "cld.csv").write_text("from,to,polarity\na,b,+\n")
    problems = case.check(folder)
    assert [p.problem for p in problems] == ["The file is not listed in case.yaml."]
    assert "- file: cld.csv" in problems[0].fix
