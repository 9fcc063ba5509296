"""An app to write a reflection and keep it in the learner's progress record.

Examples
--------
>>> import tempfile, os
>>> box = ReflectionBox(duty=7, learner="ada", root=tempfile.mkdtemp())
>>> box.text.value = "The loops showed me why the fixes kept failing."
>>> box.ksbs.value = ("S3",)
>>> box.save.click()
>>> box.status.value
'Saved for ada (duty 7; S3).'

In classroom mode (``STP_CLASSROOM=1``) no name is asked for: the reflection
goes to this browser's anonymous record (see :mod:`stp_helpers.learner.browser`),
so a student cannot write into another learner's file by typing their name.

>>> os.environ["STP_CLASSROOM"] = "1"
>>> box = ReflectionBox(duty=7, learner="teacher", root=tempfile.mkdtemp())
>>> box.learner.layout.display, box.learner.disabled
('none', True)
>>> box.browser.student = "0123456789abcdef0123456789abcdef"
>>> box.text.value = "Loops again."; box.save.click(); box.status.value
'Saved for this browser (anonymous; duty 7).'
>>> del os.environ["STP_CLASSROOM"]
"""

from __future__ import annotations

import html
import os

import ipywidgets as widgets

from stp_helpers.errors import StpError
from stp_helpers.learner.browser import BrowserId, browser_learner, classroom_mode
from stp_helpers.learner.progress import ProgressStore
from stp_helpers.standard import load_standard

__all__ = ["ReflectionBox"]


class ReflectionBox(widgets.VBox):
    """Text box, KSB tags and a Save button; saving needs a learner name.

    Parameters
    ----------
    duty : int
        The duty the reflection is about.
    learner : str, optional
        Default ``STP_LEARNER``; the learner can also type a name.
    root : path, optional
        Progress folder (default ``STP_PROGRESS``).
    """

    def __init__(self, duty: int, learner: str | None = None, root: str | None = None) -> None:
        std = load_standard()
        self._duty, self._root = duty, root
        self.learner = widgets.Text(value=learner or os.environ.get("STP_LEARNER", ""), description="Your name",
                                    continuous_update=False)
        self.text = widgets.Textarea(placeholder="Write your reflection here", layout=widgets.Layout(width="600px", height="120px"),
                                     continuous_update=False)
        self.ksbs = widgets.SelectMultiple(options=list(std.ksbs_of(duty)), description="KSBs", rows=6)
        self.save = widgets.Button(description="Save reflection", button_style="primary")
        self.status = widgets.HTML()
        self.browser = BrowserId()
        self._anonymous = classroom_mode()
        if self._anonymous:  # a class: the record is this browser's, whatever is typed or set
            self.learner.value, self.learner.disabled = "", True
            self.learner.layout.display = "none"
        super().__init__([self.learner, self.text, self.ksbs, self.save, self.status, self.browser])
        self.save.on_click(self._update)

    def _update(self, change: object = None) -> None:
        try:
            name = browser_learner(self.browser.student) if self._anonymous else self.learner.value.strip()
            store = ProgressStore(name, root=self._root)
            store.reflect(self.text.value, duty=self._duty, ksbs=tuple(self.ksbs.value))
        except StpError as err:
            self.status.value = err.to_html()
            return
        tags = "; ".join(self.ksbs.value)
        who = "this browser (anonymous; " if self._anonymous else f"{store.learner} ("
        self.status.value = html.escape(f"Saved for {who}duty {self._duty}{'; ' + tags if tags else ''}).")

    def __repr__(self) -> str:
        return f"ReflectionBox: duty {self._duty}"
