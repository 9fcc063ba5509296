"""A file upload button that refuses files over a size limit in the browser.

``ipywidgets.FileUpload`` reads every chosen file into the browser's memory
and sends it whole over the kernel's websocket: a file larger than the
server's message limit (10 MiB) closes the connection and the app stops
answering.  :class:`LimitedUpload` checks the size in the browser first and
sends only the name and size of a file that is too large, so the kernel can
say what to do; a file within the limit is sent as one binary buffer.  The
kernel checks the size again (a message can be forged) before calling back.
Its JavaScript is inline: nothing is fetched from the network.

Examples
--------
>>> seen = []
>>> upload = LimitedUpload(accept=".png", max_bytes=10, description="Picture")
>>> upload.on_file(lambda name, data: seen.append((name, data)))
>>> upload.on_refused(lambda name, size: seen.append((name, size)))
>>> upload.receive({"event": "file", "name": "a.png", "size": 3}, [b"abc"])
>>> upload.receive({"event": "refused", "name": "big.png", "size": 99}, [])
>>> seen
[('a.png', b'abc'), ('big.png', 99)]
>>> upload
LimitedUpload('Picture', accept='.png', max_bytes=10)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["LimitedUpload"]

_ESM = """
export default {
  render({ model, el }) {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = model.get("accept");
    const button = document.createElement("button");
    button.className = "jupyter-button widget-upload stp-upload";
    button.textContent = model.get("description");
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      if (file.size > model.get("max_bytes")) {
        model.send({ event: "refused", name: file.name, size: file.size });
        return;
      }
      const buffer = await file.arrayBuffer();
      model.send({ event: "file", name: file.name, size: file.size }, undefined, [buffer]);
    });
    el.append(button);
  },
};
"""

FileCallback = Callable[[str, bytes], None]
RefusedCallback = Callable[[str, int], None]


class LimitedUpload(anywidget.AnyWidget):
    """One-file upload with a size limit enforced in the browser and in the kernel.

    Parameters
    ----------
    accept : str
        File types offered by the browser's chooser, e.g. ``".png,.jpg"`` (a hint, not a check).
    max_bytes : int
        Largest file sent to the kernel; larger files are refused in the browser.
    description : str
        The button's label.
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    max_bytes = traitlets.Int(5 * 1024 * 1024, min=1).tag(sync=True)
    description = traitlets.Unicode("Upload").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_file: list[FileCallback] = []
        self._on_refused: list[RefusedCallback] = []
        self.on_msg(lambda _widget, content, buffers: self.receive(content, buffers))

    def on_file(self, callback: FileCallback) -> None:
        """Call ``callback(name, data)`` for each file within the limit."""
        self._on_file.append(callback)

    def on_refused(self, callback: RefusedCallback) -> None:
        """Call ``callback(name, size)`` for each file over the limit (its content is never sent)."""
        self._on_refused.append(callback)

    def receive(self, content: Any, buffers: Sequence[Any] | None) -> None:
        """Handle one message from the browser; malformed messages are ignored."""
        if not isinstance(content, dict):
            return
        name = Path(str(content.get("name", ""))[:255]).name or "the upload"
        size = content.get("size")
        data = bytes(buffers[0]) if buffers else b""
        if content.get("event") == "file" and len(data) <= self.max_bytes:
            for file_callback in self._on_file:
                file_callback(name, data)
        elif content.get("event") in ("file", "refused"):
            actual = len(data) if data else size if isinstance(size, int) and size >= 0 else self.max_bytes + 1
            for refused_callback in self._on_refused:
                refused_callback(name, actual)

    def __repr__(self) -> str:
        return f"LimitedUpload({self.description!r}, accept={self.accept!r}, max_bytes={self.max_bytes})"
