"""The case store: find, load, save atomically, never overwrite, own cases via STP_DATA."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stp_helpers import case, paths
from stp_helpers.errors import CaseExistsError, CaseFileError, CaseNotFoundError, StpError

#: The files a fresh case starts with: case.yaml and the templates of the duties' outputs.
FRESH = sorted(p.name for p in (paths.TEMPLATES_DIR / "case").iterdir() if p.is_file() and not p.name.startswith("."))


def test_load_shipped_case() -> None:
    wilts = case.load("wiltshire-complex-needs")
    assert wilts.read_only
    assert wilts.meta.source("seed-000").date.isoformat() == "2019-06-18"
    facts = {f.id: f.value for f in wilts.meta.facts}
    assert facts["budget-share"] == 65 and facts["population-share"] == 10 and facts["majority-share"] == 5
    contacts = {r.agency: r.contacts for r in wilts.read("agency_contacts.csv")}
    assert contacts == {
        "Children's services": 196, "Housing services": 488, "Benefits": 90, "Ambulance and hospital": 7,
        "Mental health": 5, "Police": 238, "Primary health": None,
        "Refuges, housing associations, DWP and others": None,
    }


def test_unknown_case_names_the_known_ones() -> None:
    with pytest.raises(CaseNotFoundError, match="Known cases: .*wiltshire-complex-needs"):
        case.find("no-such-case")


def test_own_cases_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_DATA", str(tmp_path))
    mine = case.new_case("wiltshire-complex-needs", template="wiltshire-complex-needs")
    assert mine.parent == tmp_path
    loaded = case.load("wiltshire-complex-needs")
    assert loaded.path == mine.resolve() and not loaded.read_only
    assert case.list_cases()[0] == "wiltshire-complex-needs"


def test_new_case_refuses_to_overwrite(tmp_path: Path) -> None:
    folder = case.new_case("mine", root=tmp_path)
    (folder / "case.yaml").write_text((folder / "case.yaml").read_text() + "\n# my notes\n")
    before = (folder / "case.yaml").read_text()
    with pytest.raises(CaseExistsError, match="already exists"):
        case.new_case("mine", root=tmp_path)
    assert (folder / "case.yaml").read_text() == before


def test_new_case_leaves_no_placeholder(tmp_path: Path) -> None:
    folder = case.new_case("fresh-case", root=tmp_path)
    for path in folder.iterdir():
        text = path.read_text()
        for mark in ("{{", "}}", "{%", "%}"):
            assert mark not in text, f"{path.name} keeps a template placeholder {mark}"
    meta = case.load(folder).meta
    assert meta.slug == "fresh-case" and meta.created is not None
    assert case.check(folder) == []


def test_new_case_rejects_bad_slug(tmp_path: Path) -> None:
    with pytest.raises(StpError, match="not a valid case name"):
        case.new_case("My Case", root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_is_atomic_and_refuses_overwrite(tmp_path: Path) -> None:
    folder = case.new_case("saving", root=tmp_path)
    target = case.save_text(folder, "cld.csv", "from,to,polarity\na,b,+\n")
    assert target.read_text() == "from,to,polarity\na,b,+\n"
    with pytest.raises(CaseExistsError, match="already exists"):
        case.save_text(folder, "cld.csv", "other")
    assert target.read_text() == "from,to,polarity\na,b,+\n"
    case.save_text(folder, "cld.csv", "from,to,polarity\nb,a,-\n", overwrite=True)
    assert target.read_text() == "from,to,polarity\nb,a,-\n"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FRESH, "cld.csv"])


def test_save_cleans_up_when_writing_fails(tmp_path: Path) -> None:
    folder = case.new_case("failing", root=tmp_path)

    class Boom:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    with pytest.raises(TypeError):
        case.save_text(folder, "notes.csv", Boom())  # type: ignore[arg-type]
    assert sorted(p.name for p in folder.iterdir()) == FRESH


def test_shipped_cases_are_read_only() -> None:
    with pytest.raises(CaseExistsError, match="shipped with the workbook"):
        case.save_text(paths.shipped_cases_dir() / "wiltshire-complex-needs", "cld.csv", "x", overwrite=True)


def test_save_refuses_paths(tmp_path: Path) -> None:
    with pytest.raises(StpError, match="not a plain file name"):
        case.save_text(tmp_path, "../evil.csv", "x")
    assert not (tmp_path.parent / "evil.csv").exists()


def test_missing_artefact_is_named(tmp_path: Path) -> None:
    flamingos = case.load("wolverhampton-flamingos")
    with pytest.raises(CaseFileError, match="This case has no logic_model.yaml"):
        flamingos.artefact_path("logic_model.yaml")


def test_slug_must_match_folder(tmp_path: Path) -> None:
    folder = case.new_case("right-name", root=tmp_path)
    os.rename(folder, tmp_path / "other-name")
    with pytest.raises(CaseFileError, match="differs from the folder name"):
        case.load(tmp_path / "other-name")


def test_huge_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stp_helpers.io import tables

    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "agency_contacts.csv"
    path.write_text("agency,contacts,source\n" + "Police,1,s1\n" * 200)
    with pytest.raises(CaseFileError, match="more than the 0 MB limit|more than the"):
        case.read_agency_contacts(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "agency_contacts.csv"
    path.write_bytes("agency,contacts,source\nCaf\xe9,1,s1\n".encode("latin-1"))
    with pytest.raises(CaseFileError, match="line 2: The file is not UTF-8 text"):
        case.read_agency_contacts(path)


def test_duplicate_agency(tmp_path: Path) -> None:
    path = tmp_path / "agency_contacts.csv"
    path.write_text("agency,contacts,source\nPolice,1,s1\npolice,2,s1\n")
    with pytest.raises(CaseFileError, match="row 3, column \"agency\": The agency 'police' appears twice"):
        case.read_agency_contacts(path)


def test_many_problems_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "agency_contacts.csv"
    path.write_text("agency,contacts,source\n" + "".join(f"A{i},x,s1\n" for i in range(30)))
    with pytest.raises(CaseFileError) as info:
        case.read_agency_contacts(path)
    assert len(info.value.problems) == 30
    assert str(info.value).splitlines()[-1] == "... and 10 more problem(s) of the same kind."


def _save_worker(args: tuple[str, str, bool]) -> str:
    folder, text, overwrite = args
    try:
        case.save_text(folder, "cld.csv", text, overwrite=overwrite)
        return "saved"
    except CaseExistsError:
        return "refused"


def test_concurrent_saves_never_corrupt_or_silently_overwrite(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    folder = case.new_case("busy-case", root=tmp_path)
    texts = [f"from,to,polarity\n{'a' * 2000}{i},b,+\n" for i in range(12)]
    with ProcessPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(_save_worker, [(str(folder), t, False) for t in texts]))
    assert outcomes.count("saved") == 1 and outcomes.count("refused") == 11
    assert (folder / "cld.csv").read_text() in texts
    with ProcessPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(_save_worker, [(str(folder), t, True) for t in texts]))
    assert outcomes == ["saved"] * 12
    assert (folder / "cld.csv").read_text() in texts, "the file is always one whole save, never a mix"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FRESH, "cld.csv"])


# --- interrupted saves, permissions and write errors (issue 21, items 15-18) ---------------

KILLED_SAVE = """
import sys, time
from pathlib import Path
from unittest import mock
from stp_helpers import case

def stall(*args, **kwargs):
    print("stalled", flush=True)
    time.sleep(600)

with mock.patch("os.replace", stall):  # the temporary file is written; the process dies before the rename
    case.save_text(Path(sys.argv[1]), "cld.csv", "from,to,polarity\\n" + "a,b,+\\n" * 50_000)
"""


def test_killed_save_leaves_a_file_that_check_reports_and_the_next_save_removes(tmp_path: Path) -> None:
    import subprocess
    import sys

    from stp_helpers.io.atomic import remove_leftovers

    folder = case.new_case("my-case", root=tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "stalled"
        temp = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert len(temp) == 1 and temp[0].name.startswith(".cld.csv.")
        assert case.check(folder) == []  # a save in progress holds its file: not reported, not removed
        assert remove_leftovers(folder) == [] and temp[0].exists()
    finally:
        proc.kill()
        proc.wait()
    problems = case.check(folder)
    assert [(Path(p.path).name, p.problem) for p in problems] == [
        (temp[0].name, "A save that was interrupted left this temporary file.")]
    assert "the next save into this folder removes it too" in str(problems[0])
    case.save_text(folder, "cld.csv", "from,to,polarity\na,b,+\n")
    assert not temp[0].exists()
    assert [p.problem for p in case.check(folder)] == ["The file is not listed in case.yaml."]  # cld.csv


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_files_and_folders_follow_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        folder = case.new_case("my-case", root=tmp_path)
        saved = case.save_text(folder, "cld.csv", "from,to,polarity\n")
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~mask
    assert saved.stat().st_mode & 0o777 == 0o666 & ~mask
    assert (folder / "case.yaml").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    folder = case.new_case("my-case", root=tmp_path)
    saved = case.save_text(folder, "cld.csv", "from,to,polarity\n")
    saved.chmod(0o640)
    case.save_text(folder, "cld.csv", "from,to,polarity\na,b,+\n", overwrite=True)
    assert saved.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("code,words,fix", [
    (28, "the disk is full", "Free some space"),                # ENOSPC
    (30, "the folder is on a read-only disk", "Set STP_DATA to a folder you can write to"),  # EROFS
    (13, "permission denied", "Check the folder's permissions"),  # EACCES
])
def test_write_errors_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str], code: int, words: str, fix: str) -> None:
    from stp_helpers import cli
    from stp_helpers.errors import WriteError

    folder = case.new_case("my-case", root=tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)  # the step where a full or read-only disk says no
    with pytest.raises(WriteError, match=f"cld.csv could not be saved: {words}. {fix}"):
        case.save_text(folder, "cld.csv", "from,to,polarity\n")
    assert sorted(p.name for p in folder.iterdir()) == FRESH  # nothing half-written left
    assert cli.main(["new-case", "other-case", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"could not be saved: {words}" in err and fix in err and "internal error" not in err
    assert not (tmp_path / "other-case").exists()


@pytest.mark.parametrize("slug", ["my-case\n", "my-case\n\n", "my-case\r", "-my-case", "My-case"])
def test_slugs_end_where_they_end(tmp_path: Path, slug: str) -> None:
    with pytest.raises(StpError, match="is not a valid case name"):
        case.new_case(slug, root=tmp_path)
    assert list(tmp_path.iterdir()) == []
