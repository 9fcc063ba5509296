"""A practitioner's own repository: a copied case folder and notebooks, run with only the package installed.

Builds the wheel, installs it (without its dependencies, which come from this
environment) into a fresh virtual environment that has no checkout, no
``notebooks/`` and no ``data/``, then runs a copied duty notebook and method
notebook on a copied case, and a duty notebook on a case made by the
installed ``stp new-case``, each with papermill.  The worked exemplars the duty
notebooks show (the shipped cases) come with the wheel, under the prefix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat

from stp_helpers import paths


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_a_copied_case_and_notebook_run_with_only_the_package(tmp_path: Path) -> None:
    _run(sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "-o", tmp_path / "dist", paths.REPO_ROOT)
    wheel = next((tmp_path / "dist").glob("stp_workbook-*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "uv", "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # numpy, PySD, …
    _run(sys.executable, "-m", "uv", "pip", "install", "--quiet", "--no-deps", "--python", python, wheel)

    repo = tmp_path / "my-repo"
    (repo / "cases").mkdir(parents=True)
    shutil.copytree(paths.shipped_cases_dir() / "plymouth-alliance", repo / "cases" / "plymouth-alliance")
    for name in ("duty07.ipynb", "methods/ssm.ipynb"):
        shutil.copy(paths.NOTEBOOKS_DIR / name, repo / Path(name).name)
    env = {**os.environ, "STP_DATA": str(repo / "cases"), "STP_CACHE": str(tmp_path / "cache"),
           "STP_PROGRESS": str(tmp_path / "progress")}
    env.pop("PYTHONPATH", None)
    where = _run(python, "-c", "import stp_helpers; print(stp_helpers.__file__)", cwd=repo, env=env)
    assert where.startswith(str(site)), where  # the installed package, not the checkout
    shipped = _run(python, "-c", "from stp_helpers import paths; print(paths.shipped_cases_dir())", cwd=repo, env=env)
    assert Path(shipped.strip()) == venv / "share" / "stp-workbook" / "data" / "cases"

    _run(venv / "bin" / "stp", "new-case", "our-case", "--dir", repo / "cases", cwd=repo, env=env)
    for notebook, case_slug in (("duty07.ipynb", "plymouth-alliance"), ("ssm.ipynb", "plymouth-alliance"),
                                ("duty07.ipynb", "our-case")):
        out = repo / f"{case_slug}-{notebook}"
        _run(python, "-m", "papermill", "--no-progress-bar", notebook, out, "-p", "CASE", case_slug,
             "-k", "python3", cwd=repo, env=env)
        nb = nbformat.read(out, as_version=4)
        text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                         for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert "Chart: " in text
    assert not (paths.shipped_cases_dir() / "our-case").exists()


def test_the_wheel_lists_every_shipped_case_folder() -> None:
    import tomllib

    data_files = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {f"share/stp-workbook/data/cases/{p.name}" for p in paths.shipped_cases_dir().iterdir() if p.is_dir()}
    assert shipped <= set(data_files), sorted(shipped - set(data_files))
    for folder in (paths.shipped_cases_dir(), paths.teaching_models_dir()):
        assert not [p for p in folder.rglob("*") if p.is_dir() and p.parent != paths.shipped_cases_dir()]
