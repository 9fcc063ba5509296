"""Models are data, never code: how a model file is translated and checked before import.

PySD translates a Vensim or XMILE model into a Python module and imports it.
PySD 3.14 writes each variable's documentation into a ``\"\"\"…\"\"\"`` docstring
without escaping it, and writes a data variable's name and an external
file's name or cell range between single quotes.  A model whose comment reads
``\"\"\" + __import__("os").system(...) + \"\"\"`` therefore runs that code when the
model is imported or run.  A model file arrives in a shared case folder, so the
workbook treats it as untrusted data.  It uses two independent defences:

1. **Sanitise before translation.**  :func:`sanitise` works on PySD's abstract
   model (after parsing, before any Python is written).  In documentation
   and units it replaces every double quote with a single one, drops
   backslashes and control characters, and so removes every way to close a
   docstring.  It refuses external file and cell names that hold a quote, a
   backslash or a control character, and names with control characters.
   Variable names may hold quotes ("time's up" is a fair Vensim name).  PySD
   writes most of them with ``repr``, but not a data variable's name, so the
   verifier below is what stops a crafted name.  An XMILE file that declares a DTD or an entity
   is refused before it is parsed (:func:`refuse_doctype`).

2. **Verify the translation before import.**  :func:`verify_source` parses
   the generated module with :mod:`ast` and accepts only the code PySD's
   builder writes: the documented imports (pathlib's ``Path``, NumPy,
   xarray, ``scipy.stats`` and the named PySD runtime functions), module
   constants, ``@component.add`` functions whose bodies return expressions,
   and stateful objects.  Every called name must be defined in the module,
   be a parameter, or be one of PySD's runtime functions.  Every attribute
   must be on an allow-list of array and time methods, with no
   underscore names.  ``Path`` and ``__file__`` may appear only in the line
   that sets ``_root``.  External data files must be plain relative names
   inside the model's folder.  :func:`verify_folder` applies this check to
   every ``.py`` file of a translation (macros are separate files), and
   :func:`stp_helpers.sd.load.open_translated` calls it before *every*
   import, so a cached translation made by an older version or altered
   afterwards is checked too.

Either defence alone would stop the known attack.  Sanitising keeps
ordinary models working and gives a clear message.  The verifier does not
depend on knowing every place where PySD pastes text (the data-variable
name and the Excel cell arguments are two more).  It fails closed: code it
does not recognise is refused, never run.  A separate translation process
without file access was the alternative.  It was not chosen because the
generated module still has to be imported to run the model, so the check
before import is needed anyway.

Examples
--------
>>> sanitise_text('Switch: 1 = "on"')
"Switch: 1 = 'on'"
>>> verify_source("x = 1\\n", "m.mdl")
>>> verify_source("import os\\n", "m.mdl")
Traceback (most recent call last):
...
stp_helpers.errors.ModelError: m.mdl: the translated model contains code PySD does not write (line 1: import os); it was not run. A model file is data: remove any Python from its comments, names and units, or open it in Vensim or Stella to see what it holds.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from stp_helpers.errors import ModelError

__all__ = ["sanitise", "sanitise_text", "refuse_doctype", "verify_source", "verify_folder",
           "PYSD_RUNTIME"]

#: Names PySD's builder imports from its own runtime, by module.
PYSD_RUNTIME: dict[str, frozenset[str]] = {
    "pysd": frozenset({"Component"}),
    "pysd.py_backend.functions": frozenset({
        "active_initial", "get_time_value", "if_then_else", "incomplete", "integer",
        "invert_matrix", "modulo", "not_implemented_function", "prod", "pulse", "quantum",
        "ramp", "step", "sum", "vector_rank", "vector_reorder", "vector_select",
        "vector_sort_order", "vmax", "vmin", "xidz", "zidz"}),
    "pysd.py_backend.statefuls": frozenset({
        "Delay", "DelayN", "DelayFixed", "Forecast", "Initial", "Integ", "NonNegativeInteg",
        "SampleIfTrue", "Smooth", "Trend"}),
    "pysd.py_backend.external": frozenset({"ExtConstant", "ExtData", "ExtLookup"}),
    "pysd.py_backend.data": frozenset({"TabData"}),
    "pysd.py_backend.lookups": frozenset({"HardcodedLookups"}),
    "pysd.py_backend.allocation": frozenset({"allocate_available", "allocate_by_priority"}),
    "pysd.py_backend.model": frozenset({"Macro"}),
    "pathlib": frozenset({"Path"}),
    "scipy": frozenset({"stats"}),
}
_MODULE_ALIASES = {"numpy": "np", "xarray": "xr"}

#: Attributes the generated code may read (arrays, PySD's time object, NumPy, xarray).
_ATTRIBUTES = frozenset({
    # PySD objects
    "add", "initial_time", "final_time", "time_step", "saveper", "stage",
    # xarray objects
    "DataArray", "loc", "values", "rename", "expand_dims", "reset_coords", "transpose",
    "zeros_like", "ones_like",
    # numpy (functions the builder writes)
    "nan", "inf", "pi", "abs", "power", "minimum", "maximum", "exp", "sin", "cos", "tan",
    "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "sqrt", "log", "array", "arange",
    "interp", "logical_and", "logical_or", "logical_not", "prod", "tile", "isnan", "full",
    "empty", "moveaxis", "all", "linalg", "inv", "random", "uniform",
    # scipy.stats
    "truncnorm", "truncexpon", "rvs",
})
_BUILTINS = frozenset({"float", "int", "len", "bool", "True", "False", "None"})
_EXPRESSIONS = (
    ast.Constant, ast.Name, ast.Attribute, ast.Call, ast.BinOp, ast.UnaryOp, ast.BoolOp,
    ast.Compare, ast.IfExp, ast.Lambda, ast.Dict, ast.List, ast.Tuple, ast.Subscript,
    ast.Slice, ast.keyword, ast.arguments, ast.arg, ast.Load, ast.Store, ast.operator,
    ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context,
)
_EXTERNAL = {"ExtConstant", "ExtData", "ExtLookup"}
_ROOT_LINE = "_root = Path(__file__).parent"
_UNSAFE_NAME = re.compile(r"[\"'\\\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FIX = ("A model file is data: remove any Python from its comments, names and units, or open "
        "it in Vensim or Stella to see what it holds.")


def sanitise_text(text: str) -> str:
    """Make documentation or units safe inside a Python string literal.

    Double quotes become single quotes, backslashes become line breaks (as
    PySD shows a Vensim line continuation) and control characters other than
    tab and newline are dropped.

    Examples
    --------
    >>> sanitise_text('ends here \"\"\" + run() + \"\"\"')
    "ends here ''' + run() + '''"
    """
    return _CONTROL.sub("", str(text).replace('"', "'").replace("\\", "\n"))


def _check_name(name: object, what: str, where: str) -> None:
    text = str(name)
    if len(text) >= 2 and text[0] == text[-1] == '"':  # a Vensim quoted name
        text = text[1:-1]
    if _UNSAFE_NAME.search(text):
        raise ModelError(
            f"{where}: the {what} {str(name)[:60]!r} contains a quote, backslash or control "
            f"character, which the workbook does not accept in a model name.",
            "Rename it with letters, digits, spaces and simple punctuation only.",
        )


def _check_control(name: object, what: str, where: str) -> None:
    if _CONTROL.search(str(name)) or "\n" in str(name):
        raise ModelError(
            f"{where}: the {what} {str(name)[:60]!r} contains a control character or line break.",
            "Rename it with letters, digits, spaces and punctuation only.",
        )


def _external_names(node: Any) -> Iterable[str]:
    """File, sheet and cell names of GET XLS/GET DIRECT structures in an equation tree."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen or item is None or isinstance(item, str | int | float | bool):
            continue
        seen.add(id(item))
        if type(item).__name__.startswith(("GetConstants", "GetData", "GetLookups",
                                           "GetDirect")):
            for field in ("file", "tab", "x_row_or_col", "time_row_or_col", "cell"):
                value = getattr(item, field, None)
                if isinstance(value, str):
                    yield value
        if isinstance(item, list | tuple | set):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif hasattr(item, "__dict__"):
            stack.extend(vars(item).values())


def sanitise(abstract_model: Any, where: str) -> Any:
    """Clean PySD's abstract model in place before any Python is written.

    Parameters
    ----------
    abstract_model : pysd.translators.structures.abstract_model.AbstractModel
        What ``VensimFile.get_abstract_model()`` or ``XmileFile.get_abstract_model()``
        returned.
    where : str
        The model file, for messages.

    Returns
    -------
    AbstractModel
        The same object, with documentation and units sanitised.

    Raises
    ------
    ModelError
        If a variable, subscript range or macro name holds a control
        character, or an external file or cell name holds a quote, backslash
        or control character.
    """
    for section in abstract_model.sections:
        _check_control(section.name, "macro", where)
        for rng in section.subscripts:
            _check_control(rng.name, "subscript range", where)
        for element in section.elements:
            _check_control(element.name, "variable", where)
            element.documentation = sanitise_text(element.documentation or "")
            element.units = _CONTROL.sub("", str(element.units or ""))
            for component in element.components:
                for text in _external_names(component.ast):
                    _check_name(text, f"external file or cell name in {element.name!r}", where)
    return abstract_model


def refuse_doctype(text: str, where: str) -> None:
    """Refuse an XMILE file that declares a DTD or entities (XMILE needs neither).

    Examples
    --------
    >>> refuse_doctype("<xmile/>", "m.xmile")
    >>> refuse_doctype('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xmile/>', "m.xmile")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.ModelError: m.xmile: the file declares a DTD or entities (<!DOCTYPE or <!ENTITY), which XMILE never needs and which can read other files or expand without limit. Save the model again from Stella, Vensim or another XMILE editor.
    """
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise ModelError(
            f"{where}: the file declares a DTD or entities (<!DOCTYPE or <!ENTITY), which "
            f"XMILE never needs and which can read other files or expand without limit.",
            "Save the model again from Stella, Vensim or another XMILE editor.",
        )


class _Refused(Exception):
    def __init__(self, node: ast.AST, why: str = "") -> None:
        super().__init__(why)
        self.node = node


def _plain_file(value: object) -> bool:
    if not isinstance(value, str) or not value or len(value) > 255:
        return False
    for pure in (PurePosixPath(value), PureWindowsPath(value)):
        if pure.is_absolute() or pure.drive or ".." in pure.parts:
            return False
    return True


class _Verifier:
    """Walk a generated module and raise :class:`_Refused` on anything unexpected."""

    def __init__(self, tree: ast.Module, folder: Path | None) -> None:
        self.folder = folder
        self.defined: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                self.defined.add(node.name)
            elif isinstance(node, ast.Assign):
                self.defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
                if ast.unparse(node.targets[0]) == "_params" and isinstance(node.value, ast.Dict):
                    # a macro's inputs, which PySD sets in the module when it calls the macro
                    self.defined.update(v.value for v in node.value.values
                                        if isinstance(v, ast.Constant) and isinstance(v.value, str)
                                        and v.value.isidentifier() and not v.value.startswith("_"))
            elif isinstance(node, ast.ImportFrom | ast.Import):
                self.defined.update(a.asname or a.name for a in node.names)
        self.defined -= {"Path", "_root"}

    # ------------------------------------------------------------ statements
    def module(self, tree: ast.Module) -> None:
        for index, node in enumerate(tree.body):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and index == 0:
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name not in _MODULE_ALIASES or (
                            _MODULE_ALIASES[alias.name] != alias.asname):
                        raise _Refused(node)
            elif isinstance(node, ast.ImportFrom):
                allowed = PYSD_RUNTIME.get(node.module or "", frozenset())
                if node.level or any(a.asname or a.name not in allowed for a in node.names):
                    raise _Refused(node)
            elif isinstance(node, ast.Assign):
                self.module_assign(node)
            elif isinstance(node, ast.FunctionDef):
                self.function(node)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                call = node.value
                if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add"
                        and isinstance(call.func.value, ast.Name)
                        and call.func.value.id in self.defined):
                    raise _Refused(node)
                self.expression(call, set())
            else:
                raise _Refused(node)

    def module_assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise _Refused(node)
        name = node.targets[0].id
        if name == "_root":
            if ast.unparse(node) != _ROOT_LINE:
                raise _Refused(node)
            return
        if name.startswith("__") and name not in {"__pysd_version__", "__data"}:
            raise _Refused(node)
        self.expression(node.value, set())

    def function(self, node: ast.FunctionDef, outer: frozenset[str] = frozenset()) -> None:
        args = node.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise _Refused(node)
        for default in args.defaults:
            if not isinstance(default, ast.Constant):
                raise _Refused(default)
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and ast.unparse(deco.func) == "component.add"
                    and not deco.args):
                raise _Refused(deco)
            for kw in deco.keywords:
                self.expression(kw.value, set())
        local = set(outer) | {a.arg for a in args.args}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                local.add(sub.id)
        for index, stmt in enumerate(node.body):
            self.statement(stmt, local, first=index == 0)

    def statement(self, node: ast.stmt, local: set[str], first: bool = False) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            if not (first and isinstance(node.value.value, str)):
                raise _Refused(node)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.expression(node.value, local)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self.target(target, local)
            self.expression(node.value, local)
        elif isinstance(node, ast.For):
            if node.orelse or not isinstance(node.target, ast.Name):
                raise _Refused(node)
            self.expression(node.iter, local)
            for stmt in node.body:
                self.statement(stmt, local)
        else:
            raise _Refused(node)

    def target(self, node: ast.expr, local: set[str]) -> None:
        if isinstance(node, ast.Name):
            if node.id.startswith("__") or node.id not in local:
                raise _Refused(node)
        elif isinstance(node, ast.Subscript | ast.Attribute):
            self.expression(node, local, store=True)
        else:
            raise _Refused(node)

    # ----------------------------------------------------------- expressions
    def expression(self, node: ast.AST, local: set[str], store: bool = False) -> None:
        stack: list[tuple[ast.AST, set[str]]] = [(node, local)]
        while stack:
            item, scope = stack.pop()
            if not isinstance(item, _EXPRESSIONS):
                raise _Refused(item)
            children: list[ast.AST] = list(ast.iter_child_nodes(item))
            if isinstance(item, ast.Lambda):
                args = item.args
                if args.vararg or args.kwarg or args.kwonlyargs or args.defaults:
                    raise _Refused(item)
                stack.append((item.body, scope | {a.arg for a in args.args}))
                continue
            if isinstance(item, ast.Name):
                if not (item.id in scope or item.id in _BUILTINS or item.id in self.defined):
                    raise _Refused(item)
            elif isinstance(item, ast.Attribute):
                if item.attr.startswith("_") or item.attr not in _ATTRIBUTES:
                    raise _Refused(item)
            elif isinstance(item, ast.Constant):
                if not isinstance(item.value, str | int | float | bool | type(None)):
                    raise _Refused(item)
            elif isinstance(item, ast.Subscript) and isinstance(item.value, ast.Name) and (
                    item.value.id == "__data"):
                if not (isinstance(item.slice, ast.Constant) or (
                        isinstance(item.slice, ast.Name) and item.slice.id in scope)):
                    raise _Refused(item)
            elif isinstance(item, ast.Call):
                children = self.call(item)
            stack.extend((child, scope) for child in children)

    def call(self, node: ast.Call) -> list[ast.AST]:
        """Check a call's target; return the parts still to walk.

        ``_root`` (the translation folder) may only be passed on as an
        argument, or joined with a macro file's plain name as Macro's first
        argument; it is never walked as a name, so no other use passes.
        """
        func = node.func
        if isinstance(func, ast.Subscript):
            if not (isinstance(func.value, ast.Name) and func.value.id == "__data"):
                raise _Refused(node)
        elif not isinstance(func, ast.Name | ast.Attribute):
            raise _Refused(node)
        name = func.id if isinstance(func, ast.Name) else ""
        args = list(node.args)
        if name in _EXTERNAL and args:
            if not (isinstance(args[0], ast.Constant) and _plain_file(args[0].value)):
                raise _Refused(node, "an external data file outside the model's folder")
        if name == "Macro":
            first = args[0] if args else None
            ok = (isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)
                  and ast.unparse(first.func) == "_root.joinpath" and len(first.args) == 1
                  and not first.keywords and isinstance(first.args[0], ast.Constant)
                  and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", str(first.args[0].value)))
            if not ok:
                raise _Refused(node, "a macro file outside the model's folder")
            args = args[1:]
        args = [a for a in args if not (isinstance(a, ast.Name) and a.id == "_root")]
        return [func, *args, *node.keywords]


def verify_source(source: str, where: str, folder: Path | None = None) -> None:
    """Refuse generated Python that is not the code PySD's builder writes.

    Parameters
    ----------
    source : str
        The text of a translated model (``model.py``) or macro file.
    where : str
        The user's model file, for messages.
    folder : Path or None
        The translation folder (unused today; kept for file checks).

    Raises
    ------
    ModelError
        If the text does not parse, or holds a statement, name, attribute
        or call that PySD does not generate.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as err:
        raise ModelError(
            f"{where}: the translated model is not valid Python ({type(err).__name__}); "
            f"it was not run.", _FIX) from err
    try:
        _Verifier(tree, folder).module(tree)
    except _Refused as refused:
        line = getattr(refused.node, "lineno", None)
        text = source.splitlines()[line - 1].strip()[:80] if line else ""
        why = f" ({refused.args[0]})" if refused.args and refused.args[0] else ""
        at = f"line {line}: {text}" if line else "an unexpected statement"
        raise ModelError(
            f"{where}: the translated model contains code PySD does not write ({at}){why}; "
            f"it was not run.", _FIX) from None
    except RecursionError as err:
        raise ModelError(
            f"{where}: the translated model nests too deeply to check; it was not run.",
            _FIX) from err


def verify_folder(folder: Path, where: str) -> None:
    """Apply :func:`verify_source` to every ``.py`` file of a translation folder.

    Raises
    ------
    ModelError
        As :func:`verify_source`, or if ``model.py`` is missing.
    """
    folder = Path(folder)
    if not (folder / "model.py").is_file():
        raise ModelError(f"{where}: the translation has no model.py.",
                         "Open the model again with load_model(..., use_cache=False).")
    for py_file in sorted(folder.rglob("*.py")):
        verify_source(py_file.read_text(encoding="utf-8", errors="replace"), where, folder)
