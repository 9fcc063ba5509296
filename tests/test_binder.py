"""Binder: environment.yml agrees with pyproject.toml, and postBuild is safe and does its job.

repo2docker builds the image from ``environment.yml`` (its ``pip: --editable .``
line installs the workbook from the checkout) and then runs ``postBuild``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from stp_helpers import paths

REPO = paths.REPO_ROOT
POST_BUILD = REPO / "postBuild"
# conda-forge names that differ from the PyPI names in pyproject.toml (PyPI name -> conda name).
CONDA_NAMES: dict[str, str] = {}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")


def normalise(name: str) -> str:
    """PEP 503 name: lowercase, runs of -, _ and . made one hyphen."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot read the requirement {requirement!r}"
    return normalise(match.group(1)), match.group(3).replace(" ", "")


def pyproject_runtime() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = {}
    for requirement in project["dependencies"]:
        name, spec = parse(requirement)
        out[normalise(CONDA_NAMES.get(name, name))] = spec
    return out


def environment() -> dict:
    return yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))


def environment_packages() -> tuple[dict[str, str], list[str]]:
    """Conda packages (name -> version spec) other than python and pip, and the pip lines."""
    conda, pip_lines = {}, []
    for dep in environment()["dependencies"]:
        if isinstance(dep, dict):
            pip_lines.extend(dep.get("pip", []))
            continue
        name, spec = parse(dep.replace("=", "==", 1) if re.match(r"^[\w.-]+=[^=]", dep) else dep)
        if name not in ("python", "pip"):
            conda[name] = spec
    return conda, pip_lines


def test_environment_lists_the_same_runtime_packages_as_pyproject() -> None:
    conda, pip_lines = environment_packages()
    pip_packages = {parse(line)[0]: parse(line)[1] for line in pip_lines if not line.startswith("-")}
    listed = {**conda, **pip_packages}
    wanted = pyproject_runtime()
    assert sorted(set(wanted) - set(listed)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(listed) - set(wanted)) == [], "in environment.yml but not in pyproject.toml"
    differing = {n: (wanted[n], listed[n]) for n in wanted if wanted[n] != listed[n]}
    assert differing == {}, "version bounds differ (pyproject, environment)"


def test_environment_installs_the_workbook_itself_and_a_supported_python() -> None:
    _, pip_lines = environment_packages()
    assert [line for line in pip_lines if line.startswith("-")] in (["--editable ."], ["-e ."]), (
        "environment.yml must install the checkout (repo2docker then stages the whole repo first)")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    minimum = tuple(int(x) for x in re.search(r">=\s*([\d.]+)", project["requires-python"]).group(1).split("."))
    python = next(d for d in environment()["dependencies"] if isinstance(d, str) and d.startswith("python"))
    version = tuple(int(x) for x in re.search(r"([\d.]+)", python).group(1).split("."))
    assert version >= minimum
    assert "conda-forge" in environment()["channels"]


def test_post_build_is_executable_and_fetches_nothing_but_packages() -> None:
    assert POST_BUILD.is_file() and os.access(POST_BUILD, os.X_OK)
    text = POST_BUILD.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    fetchers = {"curl", "wget", "git", "nbgitpuller", "aria2c", "scp", "rsync", "ssh", "npx", "nc"}
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0] if not line.startswith("#!") else ""
        words = set(shlex.split(code, posix=True)) if code.strip() else set()
        assert not words & fetchers, f"postBuild line {number} fetches from the network: {line}"
        assert "://" not in code, f"postBuild line {number} names an address: {line}"
        if {"pip", "conda", "mamba", "npm"} & words:
            assert "install" in words, f"postBuild line {number}: only package installs may reach a registry"


def test_post_build_makes_the_gallery_use_the_offline_template(tmp_path: Path) -> None:
    prefix, home = tmp_path / "prefix", tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STP_", "JUPYTER"))}
    env.update(NB_PYTHON_PREFIX=str(prefix), HOME=str(home),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    done = subprocess.run([str(POST_BUILD)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    template = prefix / "share" / "jupyter" / "voila" / "templates" / "stp"
    assert (template / "index.html.j2").is_file()
    # The server settings postBuild hooks in, read the way Jupyter reads them (in a child: they set env).
    probe = (
        "import os, sys; from traitlets.config.loader import PyFileConfigLoader as L; "
        "c = L('jupyter_server_config.py', path=sys.argv[1]).load_config(); "
        "print(c.VoilaConfiguration.template, c.VoilaConfiguration.strip_sources, "
        "c.MappingKernelManager.cull_idle_timeout, os.environ['STP_DATA'])"
    )
    read = subprocess.run([sys.executable, "-c", probe, str(prefix / "etc" / "jupyter")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["stp", "True", "900", str(home / "my-cases")]
    assert (home / "my-cases").is_dir()
