"""Causal loop diagrams: the graph model, loops, structure, comparison and archetypes.

The graph model itself (building and validating a CLD) is
:mod:`stp_helpers.io.cld_graph`, so readers can build graphs without the
analysis.  This package only re-exports; the code lives in its modules:
``loops``, ``structure``, ``compare``, ``archetypes``, ``hypothesis``.
"""

from __future__ import annotations

from stp_helpers.io.cld_graph import (
    MAX_VARIABLES,
    POLARITY_FIX,
    POLARITY_LABELS,
    build_cld,
    normalise_polarity,
    parse_delay,
    validate_cld,
)
from stp_helpers.cld import loops
from stp_helpers.cld.loops import (
    Loop,
    LoopList,
    find_loops,
    loop_polarity,
)
from stp_helpers.cld import structure
from stp_helpers.cld.structure import (
    EXACT_BETWEENNESS_LIMIT,
    FeedbackVertexSet,
    feedback_vertex_set,
    independent_loop_count,
    independent_loops,
    loop_overlaps,
    rank_variables,
)
from stp_helpers.cld import compare
from stp_helpers.cld.compare import (
    CldComparison,
    compare,
    normalise_label,
)
from stp_helpers.cld import archetypes
from stp_helpers.cld.archetypes import (
    ARCHETYPES,
    ArchetypeMatch,
    ArchetypeResult,
    find_archetypes,
)

from stp_helpers.cld import hypothesis

__all__ = [
    "hypothesis",
    "ARCHETYPES",
    "ArchetypeMatch",
    "ArchetypeResult",
    "CldComparison",
    "EXACT_BETWEENNESS_LIMIT",
    "FeedbackVertexSet",
    "Loop",
    "LoopList",
    "MAX_VARIABLES",
    "POLARITY_FIX",
    "POLARITY_LABELS",
    "archetypes",
    "build_cld",
    "compare",
    "compare",
    "feedback_vertex_set",
    "find_archetypes",
    "find_loops",
    "independent_loop_count",
    "independent_loops",
    "loop_overlaps",
    "loop_polarity",
    "loops",
    "normalise_label",
    "normalise_polarity",
    "parse_delay",
    "rank_variables",
    "structure",
    "validate_cld",
]
