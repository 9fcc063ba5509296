"""A learner's progress: exercise attempts and reflections, kept locally.

One small JSON file per learner in :func:`stp_helpers.paths.progress_dir`
(``STP_PROGRESS``), outside the case data; nothing is sent anywhere.
Recording is opt-in: it starts when a learner is named, with
:func:`track` (or the ``STP_LEARNER`` environment variable and
``progress.track()``), so test runs and shared classroom kernels write nothing.

Examples
--------
>>> import tempfile
>>> from stp_helpers.checks import Feedback
>>> store = ProgressStore("ada", root=tempfile.mkdtemp())
>>> store.record("cases/wiltshire.ipynb", "contact_share", Feedback(False, fix="Divide by the total."))
>>> store.record("cases/wiltshire.ipynb", "contact_share", Feedback(True))
>>> store.summary()[["notebook", "exercise", "attempts", "passed"]].to_dict("records")
[{'notebook': 'cases/wiltshire.ipynb', 'exercise': 'contact_share', 'attempts': 2, 'passed': True}]
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from stp_helpers import paths
from stp_helpers.io.atomic import locked, write_atomic, write_error
from stp_helpers.errors import CaseFileError, StpError
from stp_helpers.io.parse import parse_json, read_limited

__all__ = [
    "LEARNER_PATTERN",
    "ProgressStore",
    "notebook_key",
    "overview",
    "track",
    "track_from_environment",
    "untrack",
]

LEARNER_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"  # with re.fullmatch: no trailing newline
_VERSION = 1


class ProgressStore:
    """Attempts and reflections of one learner, in one JSON file.

    Parameters
    ----------
    learner : str
        A short name: letters, digits, ``.``, ``_`` or ``-`` (it names the file).
    root : path, optional
        The folder (default :func:`stp_helpers.paths.progress_dir`).
    """

    def __init__(self, learner: str, root: str | os.PathLike[str] | None = None) -> None:
        if not isinstance(learner, str) or not re.fullmatch(LEARNER_PATTERN, learner):
            raise StpError(f"{learner!r} is not a usable learner name.",
                           fix="Use letters, digits, '.', '_' or '-', e.g. 'ada' or 'a.lovelace'.")
        self.learner = learner
        folder = Path(root) if root is not None else paths.progress_dir()
        self.path = folder / f"{learner}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise write_error(self.path, err) from err

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"version": _VERSION, "learner": self.learner, "attempts": [], "reflections": []}
        name = paths.relative(self.path)
        try:
            data = parse_json(read_limited(self.path).decode("utf-8"), name)
        except (CaseFileError, UnicodeDecodeError) as err:
            why = err.problems[0].problem if isinstance(err, CaseFileError) else "it is not UTF-8 text"
            raise StpError(f"{name} cannot be read ({why.rstrip('.')}).",
                           fix="Restore it from a backup, or move it aside to start a new record.") from None
        data = data if isinstance(data, dict) else {}
        data.setdefault("reflections", [])
        if not all(isinstance(data.get(key), list) and all(isinstance(row, dict) for row in data[key])
                   for key in ("attempts", "reflections")):
            raise StpError(f"{name} is not a progress file.", fix="Move it aside to start a new record.")
        return data

    def _save(self, data: dict[str, Any]) -> None:
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))

    def record(self, notebook: str, exercise: str, feedback: Any) -> None:
        """Add one attempt: the notebook, the exercise, whether it passed and what was said."""
        with locked(self.path):  # two kernels of one learner never lose each other's attempts
            data = self._load()
            data["attempts"].append({
                "notebook": notebook, "exercise": exercise,
                "passed": getattr(feedback, "passed", None), "feedback": repr(feedback),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            })
            self._save(data)

    def reflect(self, text: str, *, duty: int | None = None, ksbs: tuple[str, ...] = (),
                case: str | None = None) -> None:
        """Add a reflection, tagged with a duty, KSBs and a case, for the portfolio."""
        from stp_helpers.standard import load_standard

        if not text or not text.strip():
            raise StpError("The reflection is empty.", fix="Write a few sentences, then save again.")
        std = load_standard()
        if duty is not None:
            std.duty(duty)
        tags = tuple(std.ksb(k).id for k in ksbs)
        with locked(self.path):
            data = self._load()
            data["reflections"].append({
                "text": text.strip(), "duty": duty, "ksbs": list(tags), "case": case,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            })
            self._save(data)

    def attempts(self) -> pd.DataFrame:
        """Every attempt, oldest first."""
        rows = self._load()["attempts"]
        return pd.DataFrame(rows, columns=["notebook", "exercise", "passed", "feedback", "at"])

    def reflections(self) -> pd.DataFrame:
        """Every reflection, oldest first."""
        rows = self._load()["reflections"]
        return pd.DataFrame(rows, columns=["text", "duty", "ksbs", "case", "at"])

    def summary(self) -> pd.DataFrame:
        """One row per exercise: attempts, passed (ever), attempts until the first pass."""
        attempts = self.attempts()
        rows = []
        for (notebook, exercise), group in attempts.groupby(["notebook", "exercise"], sort=True):
            passes = [i for i, ok in enumerate(group["passed"], start=1) if ok is True]
            rows.append({"notebook": notebook, "exercise": exercise, "attempts": len(group),
                         "passed": bool(passes), "attempts_to_pass": passes[0] if passes else None})
        return pd.DataFrame(rows, columns=["notebook", "exercise", "attempts", "passed", "attempts_to_pass"])


_CALL = re.compile(r"(?:^|\n)\s*(?:\w+\.)*(\w+)\s*\(")
_hook: Any = None


def track(learner: str | None = None, notebook: str | None = None) -> ProgressStore | None:
    """Start recording every exercise check this kernel shows, for ``learner``.

    The learner defaults to ``STP_LEARNER``; without one nothing is recorded
    and ``None`` is returned.  Each cell whose result is a :class:`~stp_helpers.checks.Feedback`
    that is not "your turn" is recorded under the notebook (``notebook``, else the
    server's ``JPY_SESSION_NAME``) and the name of the check function called.
    """
    from stp_helpers.checks import Feedback
    from stp_helpers.checks.exercise import set_recorder

    global _hook
    name = learner or os.environ.get("STP_LEARNER", "").strip()
    if not name:
        return None
    store = ProgressStore(name)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return store
    shell = get_ipython()
    if shell is None:
        return store
    untrack()
    where = notebook or notebook_key(os.environ.get("JPY_SESSION_NAME", "unknown"))

    def _record(result: Any) -> None:
        value = getattr(result, "result", None)
        if isinstance(value, Feedback) and value.passed is not None:
            calls = _CALL.findall(getattr(result.info, "raw_cell", "") or "")
            store.record(where, calls[-1] if calls else "check", value)

    shell.events.register("post_run_cell", _record)
    set_recorder(lambda nb, key, item: store.record(nb or where, key, item))  # exercise apps record too
    _hook = (shell, _record)
    return store


def untrack() -> None:
    """Stop recording in this kernel."""
    global _hook
    if _hook is not None:
        from stp_helpers.checks.exercise import set_recorder

        set_recorder(None)
        shell, func = _hook
        try:
            shell.events.unregister("post_run_cell", func)
        except ValueError:
            pass
        _hook = None


def track_from_environment() -> ProgressStore | None:
    """Start tracking for ``STP_LEARNER`` if it is set and this kernel is not tracking yet.

    The workbook's kernels call this through the IPython extension
    :mod:`stp_helpers.learner.ipython`, so a learner who sets ``STP_LEARNER``
    has every exercise recorded without a line of code.  A
    learner name that cannot name a file is reported as a warning, never an
    error that would stop the notebook.
    """
    import warnings

    if _hook is not None or not os.environ.get("STP_LEARNER", "").strip():
        return None
    try:
        return track()
    except StpError as err:
        warnings.warn(f"Progress is not recorded: {err}", stacklevel=2)
        return None


def notebook_key(session_name: str | os.PathLike[str]) -> str:
    """Return the name progress uses for a notebook: its path under ``notebooks/`` when it is there.

    Examples
    --------
    >>> notebook_key(paths.NOTEBOOKS_DIR / "cases" / "wiltshire.ipynb")
    'cases/wiltshire.ipynb'
    >>> notebook_key("/home/ada/my-case/wiltshire.ipynb")
    'wiltshire.ipynb'
    """
    path = Path(session_name)
    try:
        return path.resolve().relative_to(paths.NOTEBOOKS_DIR.resolve()).as_posix()
    except ValueError:
        return path.name


def _exercise_count(item: Any) -> int:
    from stp_helpers import catalogue

    try:
        nb = json.loads(catalogue.notebook_path(item).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):  # a notebook removed from a practitioner's copy
        return 0
    return sum(1 for cell in nb["cells"] for tag in cell.get("metadata", {}).get("tags", [])
               if tag.startswith("check:"))


def overview(learner: str | None = None, root: str | os.PathLike[str] | None = None) -> Any:
    """Return a learner's progress through the workbook: exercises tried and passed per notebook.

    Parameters
    ----------
    learner : str, optional
        Default ``STP_LEARNER``.  Without one, the text says how to start recording.
    root : path, optional
        The progress folder (default :func:`stp_helpers.paths.progress_dir`).

    Returns
    -------
    stp_helpers.display.HTML
        A table of the notebooks with exercises, with a one-line text form.

    Examples
    --------
    >>> import tempfile
    >>> from stp_helpers.checks import Feedback
    >>> folder = tempfile.mkdtemp()
    >>> store = ProgressStore("ada", root=folder)
    >>> store.record("methods/cld.ipynb", "loop_polarities", Feedback(False, fix="Count the minus links."))
    >>> store.record("methods/cld.ipynb", "loop_polarities", Feedback(True))
    >>> store.record("cld.ipynb", "archetype", Feedback(False, fix="Look for a delay."))
    >>> print(overview("ada", root=folder).text)
    Progress of ada: 1 exercise passed, 1 more tried, in 1 notebook.
    Causal loop diagrams: 1 of 3 passed, 2 tried
    >>> print(overview("", root=folder).text)
    No learner is named, so nothing is recorded yet. Set STP_LEARNER=your-name before starting JupyterLab (or run progress.track("your-name") in a notebook) and every exercise check is recorded on this machine only.
    """
    from stp_helpers import catalogue
    from stp_helpers.display import HTML

    name = learner if learner is not None else os.environ.get("STP_LEARNER", "").strip()
    if not name:
        text = ("No learner is named, so nothing is recorded yet. Set STP_LEARNER=your-name before "
                "starting JupyterLab (or run progress.track(\"your-name\") in a notebook) and every "
                "exercise check is recorded on this machine only.")
        return HTML(html=f"<p>{html.escape(text)}</p>", text=text)
    summary = ProgressStore(name, root=root).summary()
    rows = []
    for item in catalogue.entries():
        found = summary[summary["notebook"].isin([item.path, Path(item.path).name])]
        total = _exercise_count(item)
        if not total:
            continue
        passed = min(total, found.loc[found["passed"], "exercise"].nunique())
        tried = min(total, found["exercise"].nunique())
        rows.append((item, total, passed, tried))
    active = [r for r in rows if r[3]]
    passed_all = sum(r[2] for r in rows)
    tried_more = sum(r[3] - r[2] for r in rows)
    head = (f"Progress of {name}: {passed_all} exercise{'s' * (passed_all != 1)} passed, "
            f"{tried_more} more tried, in {len(active)} notebook{'s' * (len(active) != 1)}.")
    lines = [head] + [f"{item.title}: {passed} of {total} passed, {tried} tried"
                      for item, total, passed, tried in active]
    body = "".join(
        f"<tr><td>{html.escape(item.title)}</td><td>{total}</td><td>{tried}</td><td>{passed}</td>"
        f"<td><progress max='{total}' value='{passed}'></progress></td></tr>"
        for item, total, passed, tried in rows)
    table = ("<table class='stp-progress'><thead><tr><th>Notebook</th><th>Exercises</th><th>Tried</th>"
             f"<th>Passed</th><th></th></tr></thead><tbody>{body}</tbody></table>")
    return HTML(html=f"<p>{html.escape(head)}</p>{table}", text="\n".join(lines))
