"""The form every duty artefact shares: edit, Check (the rules explain each finding), Save (atomic, together).

A form subclass says what it edits (its widgets), how a check reads them
(:meth:`RuleForm.checked`: a summary and the findings) and what a save writes
(:meth:`RuleForm.texts`: file name → text).  Everything else is here: the
buttons, the findings list (each piece of text escaped once), the refusal to
write into a shipped case, and the note when a saved file is not yet listed
in ``case.yaml``.  Several files are saved together under the case folder's
lock (:func:`stp_helpers.case.save_texts`), so a pair is never half written.

Examples
--------
>>> class Note(RuleForm):
...     def __init__(self, text: str) -> None:
...         self.text = widgets.Textarea(value=text)
...         super().__init__([self.text], None)
...     def checked(self):
...         return ("empty" if not self.text.value else "fine"), []
...     def texts(self):
...         return {"note.txt": self.text.value}
>>> form = Note("")
>>> form
Note: empty
>>> form._save()
>>> "read-only" in form.status.value or "no case" in form.status.value
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.errors import StpError

__all__ = ["RuleForm", "findings_html", "heading", "points_summary"]


class FindingLike(Protocol):
    """A quality finding: rule id, field, what is wrong, how to fix it."""

    rule: str
    field: str
    problem: str
    fix: str


def findings_html(found: Sequence[FindingLike], passes: str = "Every rule passes.") -> str:
    """Findings as an HTML list, every piece of text escaped once; a green ``passes`` line when there are none.

    >>> from stp_helpers.practice.scoping import Finding
    >>> findings_html([Finding("SC-1", "client", "<empty>", "Name one.")])
    "<ul style='font-size:15px'><li><b>SC-1</b> client: &lt;empty&gt; <i>Name one.</i></li></ul>"
    """
    if not found:
        return f"<p style='font-size:15px;color:#009E73'><b>{html.escape(passes)}</b></p>"
    items = "".join(f"<li><b>{html.escape(f.rule)}</b> {html.escape(f.field)}: {html.escape(f.problem)} "
                    f"<i>{html.escape(f.fix)}</i></li>" for f in found)
    return f"<ul style='font-size:15px'>{items}</ul>"


def heading(text: str) -> widgets.HTML:
    """A bold label above a box (the workbook's own words, escaped all the same)."""
    return widgets.HTML(f"<b style='font-size:15px'>{html.escape(text)}</b>")


def points_summary(found: Sequence[FindingLike], counts: str = "") -> str:
    """One line: what the form holds (``counts``) and the rules still to work on.

    >>> from stp_helpers.practice.scoping import Finding
    >>> points_summary([Finding("SC-1", "client", "empty", "Name one.")], "1 statement")
    '1 statement; 1 point to work on: SC-1.'
    >>> points_summary([])
    'Every rule passes.'
    """
    lead = f"{counts}; " if counts else ""
    if not found:
        return f"{counts}; every rule passes." if counts else "Every rule passes."
    rules = ", ".join(dict.fromkeys(f.rule for f in found))
    return f"{lead}{len(found)} point{'' if len(found) == 1 else 's'} to work on: {rules}."


class RuleForm(widgets.VBox):
    """Edit a case's artefact; Check runs its rules; Save writes it into the learner's own case.

    Parameters
    ----------
    parts : sequence of widgets
        What the learner edits, above the buttons.
    case : Case, optional
        The case to save into; shipped cases are refused with the way to copy one.
    after : sequence of widgets, optional
        Shown under the findings (a table of what was read, say).
    width : str
        The form's width on a wide screen (the page caps it at the screen's width).
    """

    def __init__(self, parts: Sequence[widgets.Widget], case: Case | None, *,
                 after: Sequence[widgets.Widget] = (), width: str = "880px") -> None:
        self._case = case
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        super().__init__([*parts, widgets.HBox([self.check, self.save]), self.findings, *after, self.status],
                         layout=widgets.Layout(width=width, max_width="100%"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    def checked(self) -> tuple[str, Sequence[FindingLike]]:
        """Read the form and run the rules: a one-line summary and the findings."""
        raise NotImplementedError

    def texts(self) -> dict[str, str]:
        """What a save writes: file name → text (raise :class:`StpError` when the form cannot be read)."""
        raise NotImplementedError

    def _update(self) -> None:
        try:
            summary, found = self.checked()
        except StpError as err:
            self.status.value = err.to_html()
            self.summary = "the text cannot be read yet: see the message below the buttons."
            return
        self.findings.value = findings_html(found)
        self.summary = summary
        self.status.value = ""

    def _save(self) -> None:
        case = self._case
        try:
            if case is None or case.read_only:
                slug = case.slug if case is not None else "<case>"
                raise StpError("This is a shipped case, which is read-only." if case is not None else
                               "There is no case to save into.",
                               fix=f"Copy it with 'stp new-case mine --from {slug}' and set CASE to the copy.")
            texts = self.texts()
            cases.save_texts(case.path, texts, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        unlisted = [name for name in texts if not case.has(name)]
        tail = (f" List {' and '.join(unlisted)} under 'artefacts:' in case.yaml so the notebooks use "
                f"{'it' if len(unlisted) == 1 else 'them'}." if unlisted else "")
        self.status.value = f"<p>Saved {html.escape(' and '.join(texts))} in your case folder.{html.escape(tail)}</p>"

    def __repr__(self) -> str:
        return f"{type(self).__name__}: {self.summary}"
