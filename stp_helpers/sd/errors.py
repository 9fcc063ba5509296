"""PySD's exceptions in the workbook's words.

PySD raises parser, builder and Python errors of many kinds.
:func:`translate_error` turns each into a :class:`~stp_helpers.errors.ModelError`
that names the user's file, the line or variable where it is known, and what
to do.  :mod:`stp_helpers.sd.load` uses it when translating and opening a
model, and :class:`stp_helpers.sd.Model` when a run fails.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd

from stp_helpers.errors import ModelError
from stp_helpers.paths import relative

__all__ = ["translate_error", "run_error", "check_finite", "line_of", "xmile_missing_equations"]


def line_of(text: str, fragment: str, offset: int = 0) -> int | None:
    """Return the 1-based line in ``text`` where ``fragment`` starts (+ offset)."""
    if not fragment:
        return None
    idx = text.find(fragment)
    if idx < 0:
        head = fragment.strip().splitlines()[0] if fragment.strip() else ""
        idx = text.find(head) if head else -1
        if idx < 0:
            return None
        return text.count("\n", 0, idx) + 1
    return text.count("\n", 0, idx) + 1 + fragment.count("\n", 0, max(offset, 0))


def xmile_missing_equations(text: str) -> list[str]:
    """Return the names of XMILE variables that have no ``<eqn>``."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    missing = []
    for elem in root.iter():
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag not in {"aux", "flow", "stock", "gf"} or "name" not in elem.attrib:
            continue
        children = {c.tag.rsplit("}", 1)[-1]: c for c in elem}
        if tag == "gf":
            continue
        if "eqn" in children and (children["eqn"].text or "").strip():
            continue
        if "element" in children:  # arrayed: every element needs one
            for sub in elem:
                if sub.tag.rsplit("}", 1)[-1] != "element":
                    continue
                eqn = [c for c in sub if c.tag.rsplit("}", 1)[-1] == "eqn"]
                if not eqn or not (eqn[0].text or "").strip():
                    missing.append(f"{elem.attrib['name']}[{sub.attrib.get('subscript', '?')}]")
            continue
        missing.append(elem.attrib["name"].replace("\n", " ").replace("\\n", " "))
    return missing


def translate_error(
    err: BaseException,
    path: str | os.PathLike[str],
    stage: str = "translate",
    text: str | None = None,
) -> ModelError:
    """Turn a PySD (or Python) exception into a :class:`ModelError`.

    Parameters
    ----------
    err : BaseException
        What PySD raised.
    path : str or path-like
        The user's model file (named in the message).
    stage : {"translate", "load", "run"}
        What the workbook was doing.
    text : str or None
        The model's source text, used to find the line of a parse error.

    Returns
    -------
    ModelError
        An error whose message says what, where and how to fix; raise it
        ``from err``.

    Examples
    --------
    >>> err = translate_error(RecursionError("maximum recursion depth"), "m.mdl")
    >>> print(err.problem)
    m.mdl: PySD could not translate the model: its definitions nest too deeply (RecursionError).
    """
    where = relative(path)
    name = type(err).__name__
    message = str(err).strip().splitlines()[0] if str(err).strip() else name
    doing = {"translate": "translate", "load": "load", "run": "run"}.get(stage, stage)

    if name in {"ParseError", "IncompleteParseError", "VisitationError"}:
        fragment = getattr(err, "text", "") or ""
        pos = getattr(err, "pos", 0) or 0
        line = line_of(text, fragment, pos) if text else None
        at = f", line {line}" if line else ""
        near = fragment[pos : pos + 40].strip() or fragment.strip()[:40]
        return ModelError(
            f"{where}{at}: PySD could not parse this equation near {near!r} ({name}).",
            "Check the equation for a missing operator, bracket or quote, and that any "
            "data variable uses a keyword such as ':INTERPOLATE:'; PySD reads Vensim "
            "equations, not Vensim-only syntax such as {comments} inside subscript ranges.",
        )
    if isinstance(err, RecursionError):
        return ModelError(
            f"{where}: PySD could not {doing} the model: its definitions nest too deeply "
            f"(RecursionError).",
            "Element-by-element definitions that refer to each other (as in 'interleaved' "
            "models) are not supported; define the array with one equation where you can.",
        )
    if name == "InvalidInput":
        return ModelError(
            f"{where}: PySD generated Python that does not parse (black InvalidInput: "
            f"{message[:120]}).",
            "This usually comes from names with unusual characters, such as a prime in a "
            "dimension name (DimA'). Rename them with letters, digits and spaces only.",
        )
    if isinstance(err, NotImplementedError):
        func = re.search(r"'([^']+)'", message)
        what = f"the function {func.group(1).upper()!r}" if func else "a feature"
        return ModelError(
            f"{where}: the model uses {what}, which PySD does not support "
            f"({name} at {doing} time: {message}).",
            "Replace it with supported functions (see PySD's list of supported Vensim "
            "and XMILE functions), or run this model in Vensim or Stella.",
        )
    if isinstance(err, FileNotFoundError):
        missing = getattr(err, "filename", None) or message
        return ModelError(
            f"{where}: a file the model reads was not found ({Path(str(missing)).name}).",
            "Put the data file in the same folder as the model, or pass it with "
            "data_files=[...].",
        )
    if isinstance(err, KeyError):
        key = message.strip("'\"")
        return ModelError(
            f"{where}: the model refers to {key.replace('_', ' ')!r}, which PySD could not "
            f"find while trying to {doing} it (KeyError).",
            "Check that every variable, subscript and lookup it names is defined and spelled "
            "the same way everywhere.",
        )
    if isinstance(err, IndexError) and text is not None and stage == "translate":
        missing = xmile_missing_equations(text)
        if missing:
            shown = ", ".join(repr(m) for m in missing[:8])
            return ModelError(
                f"{where}: these variables have no equation: {shown} "
                f"(PySD stops with IndexError).",
                "Give each one an equation in Stella/iThink (a diagram-only file or an "
                "undefined converter cannot run).",
            )
    if isinstance(err, ValueError) and "reshape" in message:
        return ModelError(
            f"{where}: PySD could not build the model's arrays ({message}).",
            "Subscript mappings (A: a1, a2 -> B) and EXCEPT over subranges are not "
            "supported; write the mapping out element by element.",
        )
    if isinstance(err, ZeroDivisionError | OverflowError | FloatingPointError):
        return ModelError(
            f"{where}: arithmetic failed while trying to {doing} the model ({name}: {message}).",
            "Guard divisions with ZIDZ/XIDZ or MAX(x, small number) and check the inputs.",
        )
    return ModelError(
        f"{where}: PySD could not {doing} the model ({name}: {message[:200]}).",
        "Check that the model opens and runs in Vensim or Stella, and that it uses only "
        "functions PySD supports; XMILE macros, modules and Stella array builtins such "
        "as SUM(a[*]) are not supported.",
    )


def run_error(err: BaseException, source: Path, py_file: Path, now: float,
              py_to_real: dict[str, str]) -> ModelError:
    """Turn an exception raised during a run into a :class:`ModelError`.

    The variable is found from the traceback's frames in the translated
    ``py_file``; ``now`` is the model time when it failed.
    """
    where = relative(source)
    variable = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(py_file):
            name = tb.tb_frame.f_code.co_name
            if not name.startswith("_"):
                variable = name
        tb = tb.tb_next
    real = py_to_real.get(variable, variable) if variable else None
    if isinstance(err, ZeroDivisionError):
        at = f" in {real!r}" if real else ""
        return ModelError(
            f"{where}: division by zero{at} at time {now:g}.",
            "Guard the division (ZIDZ/XIDZ in Vensim, or MAX(denominator, small number)) "
            "or check the inputs that make the denominator zero.",
        )
    if isinstance(err, OverflowError):
        at = f" in {real!r}" if real else ""
        return ModelError(
            f"{where}: a number grew too large (overflow){at} at time {now:g}.",
            "Check for runaway growth: a loop gain too high, or a TIME STEP too large.",
        )
    base = translate_error(err, source, "run")
    if real:
        return ModelError(base.problem.rstrip(".") + f" (in {real!r} at time {now:g}).", base.fix)
    return base


def check_finite(out: pd.DataFrame, where: str) -> None:
    """Raise a :class:`ModelError` naming the first time and variables that are NaN or infinite."""
    values = out.select_dtypes(include=[np.number])
    if values.empty:
        return
    arr = values.to_numpy(dtype=float)
    bad = ~np.isfinite(arr)
    if not bad.any():
        return
    row = int(np.argmax(bad.any(axis=1)))
    cols = [values.columns[j] for j in np.flatnonzero(bad[row])]
    kinds = {c: ("NaN" if np.isnan(arr[row, values.columns.get_loc(c)]) else "infinite")
             for c in cols}
    shown = ", ".join(f"{c!r} ({kinds[c]})" for c in cols[:4])
    more = f" and {len(cols) - 4} more" if len(cols) > 4 else ""
    raise ModelError(
        f"{where}: the run produced invalid numbers at time {out.index[row]:g}: "
        f"{shown}{more}.",
        "Look for a division by zero, a lookup evaluated outside its data, or a value "
        "that overflows (runaway growth, or a TIME STEP too large for the model's "
        "fastest time constant).",
    )
