"""Forms for the futures duties: the futures brief of duty 8 (drivers and scenarios with what success looks like)
and the options record of duty 9 (options scored with their evidence and source).

Examples
--------
>>> form = FuturesBriefForm.from_case("wiltshire-complex-needs")
>>> form
FuturesBriefForm: 9 drivers, 4 scenarios; every rule passes.
>>> form.futures.value = form.futures.value.replace("direction: lower", "direction: sideways", 1)
>>> form.check.click()
>>> "futures.yaml, line" in form.status.value
True
>>> form.save.click()
>>> "read-only" in form.status.value
True
>>> OptionsForm.from_case("stoke-neet")
OptionsForm: 4 options; 1 point to work on: IO-5.
"""

from __future__ import annotations

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.futures import assumptions, brief
from stp_helpers.widgets.forms import RuleForm, heading, points_summary

__all__ = ["FuturesBriefForm", "OptionsForm"]


class FuturesBriefForm(RuleForm):
    """``drivers.csv`` and ``futures.yaml`` as text to edit; Check explains each rule (FS-1 to FS-5); Save writes both.

    Parameters
    ----------
    drivers_text, futures_text : str
        The starting texts.
    case : Case, optional
        The case to save into (shipped cases are refused).
    """

    def __init__(self, drivers_text: str, futures_text: str, case: Case | None = None) -> None:
        self.drivers = widgets.Textarea(value=drivers_text, layout=widgets.Layout(width="860px", height="170px"),
                                        continuous_update=False)
        self.futures = widgets.Textarea(value=futures_text, layout=widgets.Layout(width="860px", height="360px"),
                                        continuous_update=False)
        super().__init__([heading("drivers.csv (one driver a row, scored 1 to 5)"), self.drivers,
                          heading("futures.yaml (scenarios, with success, risks and opportunities)"), self.futures],
                         case)

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> FuturesBriefForm:
        """Start from the case's ``drivers.csv`` and ``futures.yaml``, or from starters where it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        drivers = (brief.drivers_text(loaded.read("drivers.csv")) if loaded.has("drivers.csv")
                   else brief.STARTER_DRIVERS)
        futures = (brief.futures_text(loaded.read("futures.yaml")) if loaded.has("futures.yaml")
                   else brief.STARTER_FUTURES)
        return cls(drivers, futures, loaded)

    def checked(self) -> tuple[str, list[brief.Finding]]:
        drivers, futures, found = brief.check_texts(self.drivers.value, self.futures.value)
        counts = (f"{len(drivers) if drivers else 0} driver{'' if drivers and len(drivers) == 1 else 's'}, "
                  f"{len(futures.scenarios)} scenario{'' if len(futures.scenarios) == 1 else 's'}")
        return points_summary(found, counts), found

    def texts(self) -> dict[str, str]:
        drivers, futures, _ = brief.check_texts(self.drivers.value, self.futures.value)
        texts = {"futures.yaml": brief.futures_text(futures)}
        if drivers:
            texts["drivers.csv"] = brief.drivers_text(drivers)
        return texts


class OptionsForm(RuleForm):
    """``options.csv`` as text to edit; Check explains each rule (IO-1 to IO-5); Save writes it.

    Parameters
    ----------
    text : str
        The starting text.
    case : Case, optional
        The case whose sources and futures the rules read, and to save into (shipped cases are refused).
    """

    def __init__(self, text: str, case: Case | None = None) -> None:
        self._sources = [s.id for s in case.meta.sources] if case is not None else []
        self._futures = case.read("futures.yaml") if case is not None and case.has("futures.yaml") else None
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="260px"),
                                     continuous_update=False)
        super().__init__([heading("options.csv (one option and criterion a row, with evidence and source)"),
                          self.text], case)

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> OptionsForm:
        """Start from the case's ``options.csv``, or from a starter when it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        text = (assumptions.options_text(loaded.read("options.csv")) if loaded.has("options.csv")
                else assumptions.STARTER_OPTIONS)
        return cls(text, loaded)

    def checked(self) -> tuple[str, list[assumptions.Finding]]:
        rows = assumptions.parse_options(self.text.value)
        found = assumptions.check_options(rows, self._sources, self._futures)
        count = len(dict.fromkeys(r.option for r in rows))
        return points_summary(found, f"{count} option{'' if count == 1 else 's'}"), found

    def texts(self) -> dict[str, str]:
        return {"options.csv": assumptions.options_text(assumptions.parse_options(self.text.value))}
