"""Foundations of systems practice (K1–K4): concepts and schools, choosing methods, learning and change, law.

The wing's modules: :mod:`~stp_helpers.foundations.content` (the teaching
content as validated data), :mod:`~stp_helpers.foundations.concepts`,
:mod:`~stp_helpers.foundations.sosm`, :mod:`~stp_helpers.foundations.learning`,
:mod:`~stp_helpers.foundations.resilience` and :mod:`~stp_helpers.foundations.law`.  This file only re-exports them.
"""

from stp_helpers.foundations import concepts, content, law, learning, resilience, sosm
from stp_helpers.foundations.content import load_foundations
from stp_helpers.foundations.sosm import Placement, classify, place

__all__ = ["concepts", "content", "law", "learning", "resilience", "sosm", "load_foundations", "Placement", "classify", "place"]
