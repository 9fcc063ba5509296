"""The Viable System Model: descriptions, channels and the diagnosis of pathologies.

This package only re-exports; the code lives in its modules:
``model``, ``files``, ``diagnosis``, ``variety``.
"""

from __future__ import annotations

from stp_helpers.vsm import model
from stp_helpers.vsm.model import (
    Body,
    CHANNEL_KINDS,
    Channel,
    Device,
    ENVIRONMENT,
    INTERFACES,
    MAX_UNITS,
    SYSTEMS,
    Unit,
    Variety,
    ViableSystem,
    VsmDescription,
    VsmError,
    add_coordination,
    build_description,
    describe_bodies,
    describe_system,
    levels,
    location_text,
    reference_problems,
    validate_description,
)
from stp_helpers.vsm import files
from stp_helpers.vsm.files import (
    from_case,
    parse_vsm,
    read_vsm,
    vsm_yaml,
)
from stp_helpers.vsm import diagnosis
from stp_helpers.vsm.diagnosis import (
    Diagnosis,
    Finding,
    RULES,
    checklist,
    diagnose,
    diagnosis_view,
    min_outcomes,
    variety_balance,
    variety_from_demand,
    variety_gap_bits,
)
from stp_helpers.vsm import variety

__all__ = [
    "Body",
    "CHANNEL_KINDS",
    "Channel",
    "Device",
    "Diagnosis",
    "ENVIRONMENT",
    "Finding",
    "INTERFACES",
    "MAX_UNITS",
    "RULES",
    "SYSTEMS",
    "Unit",
    "Variety",
    "ViableSystem",
    "VsmDescription",
    "VsmError",
    "add_coordination",
    "build_description",
    "checklist",
    "describe_bodies",
    "describe_system",
    "diagnose",
    "diagnosis",
    "diagnosis_view",
    "files",
    "from_case",
    "levels",
    "location_text",
    "min_outcomes",
    "model",
    "parse_vsm",
    "read_vsm",
    "reference_problems",
    "validate_description",
    "variety",
    "variety_balance",
    "variety_from_demand",
    "variety_gap_bits",
    "vsm_yaml",
]
