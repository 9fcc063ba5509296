"""Forms for the stakeholder duties: the engagement strategy of duty 4 and the ethics record of duty 11.

Both read the case's text against its register (power), and duty 11's also against its CSH answers.

Examples
--------
>>> form = EngagementStrategyForm.from_case("wiltshire-complex-needs")
>>> form
EngagementStrategyForm: 6 plan items for 10 stakeholders; 3 points to work on: ES-1.
>>> form.text.value = form.text.value.replace("format: world_cafe", "format: picnic", 1)
>>> form.check.click()
>>> "engagement.yaml" in form.status.value and "picnic" in form.status.value
True
>>> form.save.click()
>>> "read-only" in form.status.value
True
>>> EthicsForm.from_case("wiltshire-complex-needs")
EthicsForm: 2 value conflicts; 1 point to work on: EI-3.
"""

from __future__ import annotations

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.stakeholders import engagement_strategy as strategy
from stp_helpers.stakeholders import ethics_review as review
from stp_helpers.stakeholders.csh import CshRecord
from stp_helpers.stakeholders.register import Register
from stp_helpers.widgets.forms import RuleForm, heading, points_summary

__all__ = ["EngagementStrategyForm", "EthicsForm"]


class EngagementStrategyForm(RuleForm):
    """``engagement.yaml`` as text to edit; Check reads it against the register (ES-1 to ES-5); Save writes it.

    Parameters
    ----------
    text : str
        The starting ``engagement.yaml`` text.
    register : Register, optional
        The case's register (None when it has none yet).
    case : Case, optional
        The case to save into (shipped cases are refused).
    """

    def __init__(self, text: str, register: Register | None = None, case: Case | None = None) -> None:
        self._register = register
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="360px"),
                                     continuous_update=False)
        super().__init__([heading("engagement.yaml: for each stakeholder, how deeply they take part (the method), "
                                  "how often and why; then the workshops held and what each produced"), self.text],
                         case)

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> EngagementStrategyForm:
        """Start from the case's ``engagement.yaml``, or a plan suggested from its grid, or the blank starter."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        register = strategy.case_register(loaded)
        text = (strategy.strategy_text(loaded.read("engagement.yaml")) if loaded.has("engagement.yaml")
                else strategy.starter_text(register))
        return cls(text, register, loaded)

    def checked(self) -> tuple[str, list]:
        record, found = strategy.check_text(self.text.value, self._register)
        people = len(self._register.names()) if self._register is not None else 0
        counts = (f"{len(record.plan)} plan item{'' if len(record.plan) == 1 else 's'} for {people} "
                  f"stakeholder{'' if people == 1 else 's'}")
        return points_summary(found, counts), found

    def texts(self) -> dict[str, str]:
        record, _ = strategy.check_text(self.text.value, self._register)
        return {"engagement.yaml": strategy.strategy_text(record)}


class EthicsForm(RuleForm):
    """``ethics.yaml`` as text to edit; Check reads it against CSH and power (EI-1 to EI-5); Save writes it.

    Parameters
    ----------
    text : str
        The starting ``ethics.yaml`` text.
    csh : CshRecord, optional
        The case's CSH answers (None when it has none yet).
    register : Register, optional
        The case's register (None when it has none yet).
    case : Case, optional
        The case to save into (shipped cases are refused).
    """

    def __init__(self, text: str, csh: CshRecord | None = None, register: Register | None = None,
                 case: Case | None = None) -> None:
        self._csh, self._register = csh, register
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="360px"),
                                     continuous_update=False)
        super().__init__([heading("ethics.yaml: each value conflict (the CSH question, the parties and their values, "
                                  "the options it bears on, how the less powerful are protected), then the four "
                                  "engagement checks"), self.text], case)

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> EthicsForm:
        """Start from the case's ``ethics.yaml``, or the starter when it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        csh, register = review.case_csh(loaded), strategy.case_register(loaded)
        text = (review.ethics_text(loaded.read("ethics.yaml")) if loaded.has("ethics.yaml")
                else review.starter_text(csh, register))
        return cls(text, csh, register, loaded)

    def checked(self) -> tuple[str, list]:
        record, found = review.check_text(self.text.value, self._csh, self._register)
        n = len(record.conflicts)
        return points_summary(found, f"{n} value conflict{'' if n == 1 else 's'}"), found

    def texts(self) -> dict[str, str]:
        record, _ = review.check_text(self.text.value, self._csh, self._register)
        return {"ethics.yaml": review.ethics_text(record)}
