"""The learner's own record: exercise progress and the portfolio of evidence.

This package only re-exports; the code lives in its modules:
``progress``, ``evidence``, ``store``, ``portfolio``.
"""

from __future__ import annotations

from stp_helpers.learner import progress
from stp_helpers.learner.progress import (
    LEARNER_PATTERN,
    ProgressStore,
    notebook_key,
    overview,
    track,
    track_from_environment,
    untrack,
)
from stp_helpers.learner import evidence, store
from stp_helpers.learner.store import PortfolioStore
from stp_helpers.learner import portfolio
from stp_helpers.learner.portfolio import (
    ARTEFACT_NOTEBOOKS,
    build_portfolio,
    export_csv,
    read_csv,
    write_csv,
    write_portfolio,
)

__all__ = [
    "ARTEFACT_NOTEBOOKS",
    "LEARNER_PATTERN",
    "PortfolioStore",
    "ProgressStore",
    "build_portfolio",
    "evidence",
    "export_csv",
    "evidence_table",
    "notebook_key",
    "overview",
    "portfolio",
    "progress",
    "read_csv",
    "store",
    "track",
    "track_from_environment",
    "untrack",
    "write_csv",
    "write_portfolio",
]
