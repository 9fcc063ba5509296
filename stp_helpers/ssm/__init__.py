"""Soft systems methodology: CATWOE records, root definitions, quality rules and the rich picture.

This package only re-exports; the code lives in its modules:
``records``, ``definitions``, ``report``, ``quality``, ``models``, ``rich_picture``.
"""

from __future__ import annotations

from stp_helpers.ssm import definitions
from stp_helpers.ssm.definitions import PQR, default_pqr, make_catwoe, parse_pqr, pqr_of, root_definition
from stp_helpers.ssm import records
from stp_helpers.ssm import report
from stp_helpers.ssm.report import (catwoe_table, changes_to_act_on, comparison_table, five_es_table, report_markdown,
                                    stages_table)
from stp_helpers.ssm.records import (
    Activity,
    ActivityModel,
    Catwoe,
    ComparisonRow,
    Concern,
    Conflict,
    ELEMENTS,
    FIVE_ES,
    Measures,
    RichPicture,
    STAGES,
    SsmRecord,
    Transformation,
    parse_ssm_text,
    read_ssm,
    record_from_dict,
    save_ssm,
    ssm_yaml,
)
from stp_helpers.ssm import quality
from stp_helpers.ssm.quality import (
    ARTICLES,
    Finding,
    ING_VERBS,
    MAX_ACTIVITIES,
    MIN_ACTIVITIES,
    NOUN_ENDINGS,
    RESOURCE_WORDS,
    SOLUTION,
    SYSTEM_BOUNDARY,
    TVerdict,
    check_catwoe,
    check_transformation,
    content_words,
    tokens,
)
from stp_helpers.ssm import models
from stp_helpers.ssm.models import (
    activity_graph,
    check_comparison,
    check_model,
    check_record,
    check_rich_picture,
    findings_html,
    findings_table,
    findings_text,
)
from stp_helpers.ssm import rich_picture
from stp_helpers.ssm.rich_picture import (
    IMAGE_NAMES,
    ImageError,
    MAX_IMAGE_BYTES,
    image_kind,
    save_rich_picture,
    too_large,
)

__all__ = [
    "definitions",
    "report",
    "ARTICLES",
    "Activity",
    "ActivityModel",
    "Catwoe",
    "ComparisonRow",
    "Concern",
    "Conflict",
    "ELEMENTS",
    "FIVE_ES",
    "Finding",
    "IMAGE_NAMES",
    "ING_VERBS",
    "ImageError",
    "MAX_ACTIVITIES",
    "MAX_IMAGE_BYTES",
    "MIN_ACTIVITIES",
    "Measures",
    "NOUN_ENDINGS",
    "PQR",
    "RESOURCE_WORDS",
    "RichPicture",
    "SOLUTION",
    "STAGES",
    "SYSTEM_BOUNDARY",
    "SsmRecord",
    "TVerdict",
    "Transformation",
    "activity_graph",
    "catwoe_table",
    "changes_to_act_on",
    "check_catwoe",
    "check_comparison",
    "check_model",
    "check_record",
    "check_rich_picture",
    "check_transformation",
    "comparison_table",
    "content_words",
    "default_pqr",
    "findings_html",
    "findings_table",
    "findings_text",
    "five_es_table",
    "image_kind",
    "make_catwoe",
    "models",
    "parse_pqr",
    "parse_ssm_text",
    "pqr_of",
    "quality",
    "read_ssm",
    "record_from_dict",
    "records",
    "report_markdown",
    "rich_picture",
    "root_definition",
    "save_rich_picture",
    "save_ssm",
    "ssm_yaml",
    "stages_table",
    "tokens",
    "too_large",
]
