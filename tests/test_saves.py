"""Saves are honest: no silent overwrite, pairs saved together, concurrent writers serialised."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from stp_helpers import case as cases
from stp_helpers import io as stp_io
from stp_helpers.errors import CaseExistsError
from stp_helpers.ssm.records import save_ssm
from stp_helpers.stakeholders import csh, engagement, register

ROUNDS = 50


def _save_pairs(folder: str, tag: str, rounds: int) -> None:
    for i in range(rounds):
        stamp = f"{tag}-{i}"
        cases.save_texts(folder, {"cld.csv": f"from,to,polarity\n# {stamp}\n",
                                  "cld_variables.csv": f"id,label\n# {stamp}\n"}, overwrite=True)


def test_two_processes_saving_a_pair_never_leave_a_mixed_pair(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_save_pairs, args=(str(tmp_path), tag, ROUNDS)) for tag in ("a", "b")]
    for proc in procs:
        proc.start()
    seen = set()
    while any(proc.is_alive() for proc in procs):
        with stp_io.atomic.locked(tmp_path):  # a reader that respects the folder lock
            links = (tmp_path / "cld.csv").read_text() if (tmp_path / "cld.csv").exists() else ""
            variables = (tmp_path / "cld_variables.csv").read_text() if links else ""
        if links:
            seen.add(links.split("# ")[1] == variables.split("# ")[1])
    for proc in procs:
        proc.join()
        assert proc.exitcode == 0
    assert seen == {True}
    assert (tmp_path / "cld.csv").read_text().split("# ")[1] == (tmp_path / "cld_variables.csv").read_text().split("# ")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cld.csv", "cld_variables.csv"]


def _write_once(target: str, tag: str, results) -> None:
    try:
        stp_io.write_text(target, tag)
        results.put("ok")
    except CaseExistsError:
        results.put("refused")


def test_two_writers_without_overwrite_one_wins_one_is_refused(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    for i in range(10):
        target = tmp_path / f"map-{i}.csv"
        results = ctx.Queue()
        procs = [ctx.Process(target=_write_once, args=(str(target), tag, results)) for tag in ("a", "b")]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        assert sorted(results.get() for _ in procs) == ["ok", "refused"]


def test_a_refused_pair_changes_nothing(tmp_path: Path) -> None:
    cases.save_text(tmp_path, "cld.csv", "original\n")
    with pytest.raises(CaseExistsError):
        cases.save_texts(tmp_path, {"cld_variables.csv": "new\n", "cld.csv": "new\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cld.csv"]
    assert (tmp_path / "cld.csv").read_text() == "original\n"


def test_register_save_refuses_to_replace_without_overwrite(tmp_path: Path) -> None:
    reg = register.build_register(
        [{"name": "Council", "power": 0.8, "interest": 0.9, "legitimacy": 0.9, "urgency": 0.4},
         {"name": "Police", "power": 0.7, "interest": 0.5, "legitimacy": 0.8, "urgency": 0.6}],
        [("Council", "Police")])
    files = ("stakeholders.csv", "stakeholder_links.csv")

    def save(folder: Path, overwrite: bool = False) -> list[Path]:
        return register.save_register(reg, folder, overwrite=overwrite)

    save(tmp_path)
    before = {name: (tmp_path / name).read_text() for name in files}
    with pytest.raises(CaseExistsError):
        save(tmp_path)
    assert {name: (tmp_path / name).read_text() for name in files} == before
    save(tmp_path, overwrite=True)


def test_every_save_function_defaults_to_no_overwrite() -> None:
    import inspect

    for fn in (register.save_register, csh.save_csh, engagement.save_engagement, save_ssm, cases.save_text,
               cases.save_texts, stp_io.write_text):
        assert inspect.signature(fn).parameters["overwrite"].default is False, fn.__qualname__


def test_a_new_case_is_never_made_inside_the_shipped_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from stp_helpers import cli, paths

    shipped = paths.shipped_cases_dir()
    before = sorted(p.name for p in shipped.iterdir())
    assert cli.main(["new-case", "my-case", "--dir", str(shipped)]) == 1
    assert "shipped with the workbook" in capsys.readouterr().err
    assert sorted(p.name for p in shipped.iterdir()) == before
    with pytest.raises(CaseExistsError):
        cases.new_case("my-case", root=shipped / "wiltshire-complex-needs")
