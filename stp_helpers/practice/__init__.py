"""The duties' outputs as artefacts: a scoping statement (duty 1) and an information plan (duty 2).

Each module reads, writes and checks one artefact kind; this file only re-exports them.
"""

from stp_helpers.practice import information, scoping
from stp_helpers.practice.information import InformationNeed, check_information_plan, read_information_plan
from stp_helpers.practice.scoping import ScopingStatement, check_scoping, read_scoping

__all__ = ["information", "scoping", "InformationNeed", "check_information_plan", "read_information_plan",
           "ScopingStatement", "check_scoping", "read_scoping"]
