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
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from stp_helpers import paths
from stp_helpers.atomic import locked, write_atomic
from stp_helpers.errors import StpError

__all__ = ["ProgressStore", "track", "untrack", "LEARNER_PATTERN"]

LEARNER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
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
        if not isinstance(learner, str) or not re.match(LEARNER_PATTERN, learner):
            raise StpError(f"{learner!r} is not a usable learner name.",
                           fix="Use letters, digits, '.', '_' or '-', e.g. 'ada' or 'a.lovelace'.")
        self.learner = learner
        folder = Path(root) if root is not None else paths.progress_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{learner}.json"

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"version": _VERSION, "learner": self.learner, "attempts": [], "reflections": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise StpError(f"{paths.relative(self.path)} cannot be read ({err}).",
                           fix="Restore it from a backup, or move it aside to start a new record.") from err
        if not isinstance(data, dict) or not isinstance(data.get("attempts"), list):
            raise StpError(f"{paths.relative(self.path)} is not a progress file.",
                           fix="Move it aside to start a new record.")
        data.setdefault("reflections", [])
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
                "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
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
                "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
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
    where = notebook or Path(os.environ.get("JPY_SESSION_NAME", "unknown")).name

    def _record(result: Any) -> None:
        value = getattr(result, "result", None)
        if isinstance(value, Feedback) and value.passed is not None:
            calls = _CALL.findall(getattr(result.info, "raw_cell", "") or "")
            store.record(where, calls[-1] if calls else "check", value)

    shell.events.register("post_run_cell", _record)
    _hook = (shell, _record)
    return store


def untrack() -> None:
    """Stop recording in this kernel."""
    global _hook
    if _hook is not None:
        shell, func = _hook
        try:
            shell.events.unregister("post_run_cell", func)
        except ValueError:
            pass
        _hook = None
