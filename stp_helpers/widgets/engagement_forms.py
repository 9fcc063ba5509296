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
from stp_helpers.display import escape_html
from stp_helpers.errors import StpError
from stp_helpers.stakeholders import engagement_strategy as strategy
from stp_helpers.stakeholders import ethics_review as review
from stp_helpers.stakeholders.csh import CshRecord
from stp_helpers.stakeholders.register import Register

__all__ = ["EngagementStrategyForm", "EthicsForm", "findings_html"]


def findings_html(found: list) -> str:
    """Findings (anything with rule, field, problem and fix) as an HTML list, every piece escaped once."""
    if not found:
        return "<p style='font-size:15px;color:#009E73'><b>Every rule passes.</b></p>"
    items = "".join(f"<li><b>{escape_html(f.rule)}</b> {escape_html(f.field)}: {escape_html(f.problem)} "
                    f"<i>{escape_html(f.fix)}</i></li>" for f in found)
    return f"<ul style='font-size:15px'>{items}</ul>"


def _summary(found: list) -> str:
    if not found:
        return "every rule passes."
    rules = ", ".join(dict.fromkeys(f.rule for f in found))
    return f"{len(found)} point{'' if len(found) == 1 else 's'} to work on: {rules}."


class EngagementStrategyForm(widgets.VBox):
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
        self._case, self._register = case, register
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="360px"),
                                     continuous_update=False)
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        intro = ("engagement.yaml: for each stakeholder, how deeply they take part (the method), how often and "
                 "why; then the workshops held and what each produced")
        super().__init__([widgets.HTML(f"<b style='font-size:15px'>{escape_html(intro)}</b>"), self.text,
                          widgets.HBox([self.check, self.save]), self.findings, self.status],
                         layout=widgets.Layout(width="880px"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> EngagementStrategyForm:
        """Start from the case's ``engagement.yaml``, or a plan suggested from its grid, or the blank starter."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        register = strategy.case_register(loaded)
        text = (strategy.strategy_text(loaded.read("engagement.yaml")) if loaded.has("engagement.yaml")
                else strategy.starter_text(register))
        return cls(text, register, loaded)

    def _update(self) -> None:
        try:
            record, found = strategy.check_text(self.text.value, self._register)
        except StpError as err:
            self.status.value = err.to_html()
            self.summary = "the text cannot be read yet: see the message below the buttons."
            return
        self.findings.value = findings_html(found)
        people = len(self._register.names()) if self._register is not None else 0
        self.summary = (f"{len(record.plan)} plan item{'' if len(record.plan) == 1 else 's'} for {people} "
                        f"stakeholder{'' if people == 1 else 's'}; {_summary(found)}")
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            record, _ = strategy.check_text(self.text.value, self._register)
            cases.save_text(self._case.path, "engagement.yaml", strategy.strategy_text(record), overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        tail = ("" if self._case.has("engagement.yaml") else
                " List engagement.yaml under 'artefacts:' in case.yaml so the notebooks use it.")
        self.status.value = f"<p>Saved engagement.yaml in your case folder.{escape_html(tail)}</p>"

    def __repr__(self) -> str:
        return f"EngagementStrategyForm: {self.summary}"


class EthicsForm(widgets.VBox):
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
        self._case, self._csh, self._register = case, csh, register
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="360px"),
                                     continuous_update=False)
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        intro = ("ethics.yaml: each value conflict (the CSH question, the parties and their values, the options it "
                 "bears on, how the less powerful are protected), then the four engagement checks")
        super().__init__([widgets.HTML(f"<b style='font-size:15px'>{escape_html(intro)}</b>"), self.text,
                          widgets.HBox([self.check, self.save]), self.findings, self.status],
                         layout=widgets.Layout(width="880px"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> EthicsForm:
        """Start from the case's ``ethics.yaml``, or the starter when it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        csh, register = review.case_csh(loaded), strategy.case_register(loaded)
        text = (review.ethics_text(loaded.read("ethics.yaml")) if loaded.has("ethics.yaml")
                else review.starter_text(csh, register))
        return cls(text, csh, register, loaded)

    def _update(self) -> None:
        try:
            record, found = review.check_text(self.text.value, self._csh, self._register)
        except StpError as err:
            self.status.value = err.to_html()
            self.summary = "the text cannot be read yet: see the message below the buttons."
            return
        self.findings.value = findings_html(found)
        n = len(record.conflicts)
        self.summary = f"{n} value conflict{'' if n == 1 else 's'}; {_summary(found)}"
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            record, _ = review.check_text(self.text.value, self._csh, self._register)
            cases.save_text(self._case.path, "ethics.yaml", review.ethics_text(record), overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        tail = ("" if self._case.has("ethics.yaml") else
                " List ethics.yaml under 'artefacts:' in case.yaml so the notebooks use it.")
        self.status.value = f"<p>Saved ethics.yaml in your case folder.{escape_html(tail)}</p>"

    def __repr__(self) -> str:
        return f"EthicsForm: {self.summary}"
