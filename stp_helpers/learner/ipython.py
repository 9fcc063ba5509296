"""The IPython extension that records a named learner's exercises.

``stp lab`` and ``stp serve`` start kernels from the workbook's kernel spec
(``share/jupyter/kernels/python3``), which loads this extension; elsewhere
``%load_ext stp_helpers.learner.ipython`` does the same.  Nothing is imported
or recorded unless ``STP_LEARNER`` names a learner, so kernels without one stay
as light as before.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    """Start recording for ``STP_LEARNER`` when it is set (an unusable name only warns)."""
    if os.environ.get("STP_LEARNER", "").strip():
        from stp_helpers.learner import progress  # pandas and the store: only kernels of a named learner need them

        progress.track_from_environment()


def unload_ipython_extension(ipython: Any) -> None:
    """Stop recording in this kernel."""
    from stp_helpers.learner import progress  # see load_ipython_extension

    progress.untrack()
