"""A learner bound to the browser, not to a typed name: the anonymous id a browser keeps.

In classroom mode (``STP_CLASSROOM=1``, set by ``stp serve --classroom``)
nothing a student types may name a file: a duty notebook's reflection, and a
class page's answers, go to the id their browser keeps in its local storage
(32 random hex digits, made on the first visit, kept across reloads and
kernels).  The class page without a kernel uses the same storage key, so one
browser is one student everywhere on the server.

Examples
--------
>>> browser_learner("0123456789abcdef0123456789abcdef")
'browser-0123456789abcdef0123456789abcdef'
>>> browser_learner("ada")
Traceback (most recent call last):
...
stp_helpers.errors.StpError: This page has not sent its browser's anonymous id yet. Wait a second and try again (or reload the page).
"""

from __future__ import annotations

import os
import re

import anywidget
import traitlets

from stp_helpers.errors import StpError

__all__ = ["BrowserId", "STORAGE_KEY", "BROWSER_ID_PATTERN", "browser_learner", "classroom_mode"]

#: The local-storage key of the browser's id (the class page's script uses the same one).
STORAGE_KEY = "stp-student-id"
BROWSER_ID_PATTERN = r"[0-9a-f]{32}"


def classroom_mode() -> bool:
    """Whether this process serves a class (``STP_CLASSROOM=1``): learners are then browsers, never names."""
    return os.environ.get("STP_CLASSROOM", "").strip() == "1"


def browser_learner(browser_id: str) -> str:
    """The progress record's learner name for a browser's anonymous id."""
    if not isinstance(browser_id, str) or not re.fullmatch(BROWSER_ID_PATTERN, browser_id):
        raise StpError("This page has not sent its browser's anonymous id yet.",
                       fix="Wait a second and try again (or reload the page).")
    return f"browser-{browser_id}"


class BrowserId(anywidget.AnyWidget):
    """This browser's anonymous id, from its local storage (made there on the first visit).

    ``student`` is empty until the page has sent it; it never holds a name.
    """

    _esm = """
    function render({ model, el }) {
      const KEY = "%s";
      let id = null;
      try { id = window.localStorage.getItem(KEY); } catch (e) { id = null; }
      if (!id || !/^[0-9a-f]{32}$/.test(id)) {
        const bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
        try { window.localStorage.setItem(KEY, id); } catch (e) { /* private mode: one id for this visit */ }
      }
      if (model.get("student") !== id) { model.set("student", id); model.save_changes(); }
      el.hidden = true;
    }
    export default { render };
    """ % STORAGE_KEY
    student = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("student")
    def _only_ids(self, proposal: traitlets.Bunch) -> str:
        value = str(proposal["value"])
        if value and not re.fullmatch(BROWSER_ID_PATTERN, value):
            raise traitlets.TraitError("not an anonymous browser id")
        return value

    def __repr__(self) -> str:
        return "BrowserId: this browser's anonymous id"
