"""The duties' outputs as artefacts: a scoping statement (duty 1), an information plan (duty 2), an
iteration log (duty 3), engagement findings (duty 6), a strategy assessment (duty 7), a vision and a
communication plan (duty 10); reading patterns into enquiry gaps (duty 5) and the perspectives heard (duty 6).

Each module reads, writes and checks one artefact kind; this file only re-exports them.
"""

from stp_helpers.practice import enquiry, findings, information, iteration, perspectives, scoping, strategy, vision
from stp_helpers.practice.findings import EngagementFinding, check_findings, read_findings
from stp_helpers.practice.information import InformationNeed, check_information_plan, read_information_plan
from stp_helpers.practice.scoping import ScopingStatement, check_scoping, read_scoping
from stp_helpers.practice.strategy import StrategyAssessment, check_strategy, read_strategy

__all__ = ["enquiry", "findings", "information", "iteration", "perspectives", "scoping", "strategy", "vision",
           "EngagementFinding", "check_findings", "read_findings",
           "InformationNeed", "check_information_plan", "read_information_plan",
           "ScopingStatement", "check_scoping", "read_scoping", "StrategyAssessment", "check_strategy", "read_strategy"]
