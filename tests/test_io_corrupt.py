"""Damaged stores and case files: the progress record, the class database, binary artefacts.

Before these were handled, a damaged progress file raised a raw
``UnicodeDecodeError`` or ``RecursionError``, a damaged class database a raw
``sqlite3.DatabaseError``, and ``stp check-case`` said "no problems found" for
a binary ``cld_variables.csv`` or a ``rich_picture.png`` that was a web page.
"""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path

import pytest

from stp_helpers import case, cli
from stp_helpers.classroom.store import ClassStore
from stp_helpers.errors import StpError
from stp_helpers.io.sniff import check_content, png_problem
from stp_helpers.learner.progress import ProgressStore


def _png(width: int = 2, height: int = 1) -> bytes:
    """A whole, valid PNG (greyscale), built from its chunks."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# --- progress store ---------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b"\xff\xfe{\x00}", b"[" * 50_000 + b"]" * 50_000, b'{"attempts": "many"}', b'{"attempts": [1, 2]}',
    b'{"attempts": [], "reflections": [[]]}', b"", b"\x00" * 20, b'{"attempts": [{}]' + b"x" * 10,
], ids=["utf16", "deep", "not-a-list", "not-records", "bad-reflections", "empty", "nul", "truncated"])
def test_damaged_progress_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    store = ProgressStore("ada", root=tmp_path)
    store.path.write_bytes(content)
    with pytest.raises(StpError, match=r"ada.json (cannot be read|is not a progress file)"):
        store.summary()


@pytest.mark.parametrize("name", ["ada\n", "ada\n\n", "../ada", ""])
def test_learner_names_end_where_they_end(tmp_path: Path, name: str) -> None:
    with pytest.raises(StpError, match="is not a usable learner name"):
        ProgressStore(name, root=tmp_path)


# --- class database ---------------------------------------------------------------

@pytest.mark.parametrize("content", [b"not a database at all" * 10, b"SQLite format 3\x00" + b"\xff" * 200],
                         ids=["text", "truncated-sqlite"])
def test_damaged_class_database_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "class.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StpError, match="class database .*class.sqlite3 .*(damaged|cannot be used).* STP_CLASSROOM_DB"):
        ClassStore(path).stage("lesson-1")


def test_class_database_with_bad_rows_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite3"
    store = ClassStore(path)
    assert store.stage("lesson-1") == 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE lesson_runs SET updated = 'yesterday-ish', step = 'two'")
    with pytest.raises(StpError, match="damaged or is not a class database"):
        store.stage("lesson-1")
    with pytest.raises(StpError, match="damaged or is not a class database"):
        store.runs("lesson-1")


# --- what a case file holds ---------------------------------------------------------

def test_png_checker_knows_a_whole_png() -> None:
    good = _png()
    assert png_problem(good) is None
    assert png_problem(good[:-2]) == "the b'IEND' chunk at byte 56 runs past the end of the file"
    assert png_problem(good[:-5]) == "the PNG data stops after 63 bytes, before its end chunk (IEND)"
    assert png_problem(good + b"<script>") == "8 bytes follow the PNG's end chunk"
    assert png_problem(good[:19] + b"\x03" + good[20:]) == "the b'IHDR' chunk at byte 8 fails its checksum"
    assert png_problem(b"\x89PNG\r\n\x1a\n<html><body>hello</body></html>") == (
        "the first PNG chunk is not IHDR")


def _case(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "my-case"
    folder.mkdir()
    listed = "".join(f"  - file: {name}\n" for name in files)
    (folder / "case.yaml").write_text("slug: my-case\ntitle: T\norganisation: O\nsummary: S\nartefacts:\n"
                                      + listed, encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


CLD = b"from,to,polarity,delay\nU,C,+,no\nC,U,-,no\n"
VARIABLES = b"id,label\nU,unmet need\nC,crisis interventions\n"


def test_a_good_case_with_a_picture_passes(tmp_path: Path) -> None:
    folder = _case(tmp_path, {"cld.csv": CLD, "cld_variables.csv": VARIABLES, "rich_picture.png": _png()})
    assert case.check(folder) == []


@pytest.mark.parametrize("name,content,message", [
    ("cld_variables.csv", b"PK\x03\x04" + bytes(range(256)), "holds a ZIP archive (such as an .xlsx or .docx file), not text"),
    ("cld_variables.csv", bytes(range(256)) * 4, "holds binary data, not text"),
    ("cld_variables.csv", "id,label\nU,caf\xe9\n".encode("latin-1"), "line 2: The file is not UTF-8 text"),
    ("rich_picture.png", b"<html><body>not a picture</body></html>", "is not a PNG image: it does not start"),
    ("rich_picture.png", b"\x89PNG\r\n\x1a\n<img src=x onerror=alert(1)>", "is not a PNG image"),
    ("rich_picture.jpg", b"GIF89a" + b"\x00" * 40, "is not a JPEG image"),
    ("rich_picture.svg", b"<html>hello</html>", "is not an SVG image: it has no <svg> element"),
    ("model.mdl", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "holds a PNG image, not text. Save it again as a Vensim"),
    ("reference.csv", b"\x00\x01\x02" * 50, "holds binary data, not text"),
], ids=["xlsx-variables", "binary-variables", "latin1-variables", "html-png", "png-then-html", "gif-as-jpg",
        "html-svg", "png-as-model", "binary-reference"])
def test_check_case_flags_files_that_are_not_what_they_say(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str) -> None:
    files = {"cld.csv": CLD, "cld_variables.csv": VARIABLES, name: content}
    folder = _case(tmp_path, files)
    problems = case.check(folder)
    assert [p.path.endswith(name) for p in problems] == [True], problems
    assert message in str(problems[0])
    assert cli.main(["check-case", str(folder)]) == 1
    assert message in capsys.readouterr().out


def test_model_errors_name_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STP_CACHE", str(tmp_path / "cache"))
    folder = _case(tmp_path, {"model.mdl": b"{UTF-8}\nx = 1 + + ( ~ ~ |\n"})
    problems = case.check(folder)
    assert len(problems) == 1 and problems[0].path.endswith("my-case/model.mdl")
    assert "model.mdl" not in problems[0].problem, problems[0]
    assert str(problems[0]).count("model.mdl") == 1, problems[0]


def test_content_checks_leave_other_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\x00\x01")
    assert check_content(path) == []


# --- write errors reach the command line as errors with a fix ----------------------

def test_progress_folder_that_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from stp_helpers.errors import WriteError

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(30, os.strerror(30))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(WriteError, match="ada.json could not be saved: the folder is on a read-only disk"):
        ProgressStore("ada", root=tmp_path / "progress")


def test_portfolio_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import os

    monkeypatch.setenv("STP_PROGRESS", str(tmp_path / "progress"))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "portfolio.html"
    assert cli.main(["portfolio", "--learner", "ada", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "portfolio.html could not be saved: the disk is full. Free some space" in err
    assert "internal error" not in err and not out.exists()


def test_monte_carlo_results_follow_the_umask(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    import os

    from sd_models import growth_mdl, loaded

    from stp_helpers.sd import uniform
    from stp_helpers.sd.parquet import monte_carlo_to_parquet

    with loaded(tmp_path_factory, growth_mdl()) as model:
        old = os.umask(0o022)
        try:
            stored = monte_carlo_to_parquet(model, {"growth rate": uniform(0.05, 0.15)}, 4, 1,
                                            tmp_path / "runs.parquet", outputs=["Population"], workers=1,
                                            progress=False)
        finally:
            os.umask(old)
    assert stored.path == tmp_path / "runs.parquet" and stored.path.stat().st_mode & 0o777 == 0o644
