"""The package's architecture, checked on every run.

Import contracts live in ``.importlinter`` (layers, no cycles between siblings,
Altair only in the charts) and are checked with import-linter, the maintained
tool for this.  The rules import-linter cannot express are checked here on the
source with :mod:`ast`: no module over 500 lines, no private name imported
across modules, no import inside a function unless it is an optional heavy
dependency with a comment saying why, and every ``StpError`` subclass in
``errors.py``.  ``grimp`` (import-linter's graph) also finds cycles through a
package's ``__init__``, which sibling contracts do not see.

A throwaway package shows that the contracts fail when a cycle is added.
"""

from __future__ import annotations

import ast
import os
import sys
import textwrap
from pathlib import Path

import grimp
import networkx as nx
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "stp_helpers"
MAX_LINES = 500

#: Known debts, listed so that they can only shrink: a module listed here must
#: still break the rule (the test fails when it no longer does, so the entry is
#: removed), and no module outside the list may break it.
SPLIT_PENDING: frozenset[str] = frozenset()
LAZY_PENDING = frozenset({
    "stp_helpers.catalogue",
    "stp_helpers.cli",
    "stp_helpers.display",
    "stp_helpers.duties",
    "stp_helpers.learner.progress",
    "stp_helpers.sd.translate",
    "stp_helpers.serving",
    "stp_helpers.ssm.records",
    "stp_helpers.stakeholders.csh",
    "stp_helpers.stakeholders.engagement",
    "stp_helpers.stakeholders.ethics",
    "stp_helpers.stakeholders.register",
    "stp_helpers.vsm.files",
    "stp_helpers.widgets.scenarios",
})
PRIVATE_PENDING = frozenset()


def within_debt(found: dict[str, object], pending: frozenset[str]) -> None:
    """Nothing breaks the rule outside ``pending``, and everything in ``pending`` still does."""
    assert sorted(set(found) - pending) == [], "a new module breaks the rule"
    assert sorted(pending - set(found)) == [], "fixed: remove these from the pending list"

#: Imports inside functions are allowed only for these optional or heavy
#: dependencies (each such import carries a comment saying why).
LAZY_ALLOWED = ("pandas", "dask", "distributed", "pyarrow", "vl_convert", "playwright", "pysd", "papermill",
                "nbformat", "nbclient", "jupyterhub", "segno", "PIL", "scipy", "IPython", "psutil",
                "voila", "jupyter_server", "notebook", "ipykernel")


#: The workbook's own heavy modules (PySD; pandas and the progress store), loaded only where needed:
#: a kernel that does not need them should not pay for them.
HEAVY_OWN = ("stp_helpers.sd", "stp_helpers.futures.scenarios", "stp_helpers.learner.progress")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "share" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def lint(config: Path, cwd: Path) -> int:
    """Run import-linter on ``config`` with ``cwd`` importable, as the command line would."""
    old_cwd, old_path = Path.cwd(), list(sys.path)
    os.chdir(cwd)
    sys.path.insert(0, str(cwd))
    try:
        return lint_imports(config_filename=str(config), no_cache=True)
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path


def test_import_contracts_hold() -> None:
    assert lint(ROOT / ".importlinter", ROOT) == 0, "an import contract is broken: see the report above"


def test_no_import_cycles_at_all() -> None:
    graph = grimp.build_graph("stp_helpers", exclude_type_checking_imports=True)
    edges = [(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)]
    cycles = [sorted(c) for c in nx.strongly_connected_components(nx.DiGraph(edges)) if len(c) > 1]
    assert cycles == []


def throwaway(tmp_path: Path, with_cycle: bool) -> Path:
    pkg = tmp_path / "throwaway"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "low.py").write_text("from throwaway import high\n" if with_cycle else "VALUE = 1\n")
    (pkg / "high.py").write_text("from throwaway import low\n")
    config = tmp_path / ".importlinter"
    config.write_text(textwrap.dedent("""\
        [importlinter]
        root_package = throwaway

        [importlinter:contract:acyclic]
        name = No cycles
        type = acyclic_siblings
        ancestors =
            throwaway

        [importlinter:contract:layers]
        name = Imports go down
        type = layers
        containers =
            throwaway
        layers =
            high
            low
        """))
    return config


@pytest.mark.parametrize("with_cycle, expected", [(False, 0), (True, 1)])
def test_contracts_fail_when_a_cycle_is_added(tmp_path: Path, with_cycle: bool, expected: int) -> None:
    config = throwaway(tmp_path, with_cycle)
    sys.modules.pop("throwaway", None)
    assert lint(config, tmp_path) == expected


def test_no_module_over_500_lines() -> None:
    long = {module_name(p): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    within_debt(long, SPLIT_PENDING)


def private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stp_helpers"):
            found += [f"{node.module}.{a.name} (line {node.lineno})" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{node.module} (line {node.lineno})")
    return found


def test_no_private_name_is_imported_across_modules() -> None:
    found = {module_name(p): f for p in modules() if (f := private_imports(p))}
    within_debt(found, PRIVATE_PENDING)


def function_imports(path: Path) -> list[str]:
    """Imports inside functions, except optional heavy dependencies whose line says why."""
    lines = path.read_text().splitlines()
    found = []
    for fn in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom):
                names = ([f"{node.module}.{a.name}" for a in node.names] if (node.module or "").startswith("stp_helpers")
                         else [node.module or ""])
            else:
                names = [a.name for a in node.names]
            heavy = all(n.split(".")[0] in LAZY_ALLOWED or n.startswith(HEAVY_OWN) for n in names)
            explained = "#" in lines[node.lineno - 1] or "#" in lines[node.lineno - 2]
            if not (heavy and explained):
                found.append(f"{', '.join(names)} in {fn.name} (line {node.lineno})")
    return found


def test_imports_inside_functions_are_only_heavy_optional_ones() -> None:
    found = {module_name(p): f for p in modules() if (f := function_imports(p))}
    within_debt(found, LAZY_PENDING)


def test_every_error_class_lives_in_errors() -> None:
    import stp_helpers.errors as errors

    family = {name for name, obj in vars(errors).items() if isinstance(obj, type)}
    outside = {}
    for path in modules():
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                    (isinstance(b, ast.Name) and b.id in family) or (isinstance(b, ast.Attribute) and b.attr in family)
                    for b in node.bases):
                outside.setdefault(module_name(path), []).append(node.name)
    assert outside == {}
