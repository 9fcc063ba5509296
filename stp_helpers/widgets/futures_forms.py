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

import html

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers.case import Case
from stp_helpers.errors import StpError
from stp_helpers.futures import assumptions, brief

__all__ = ["FuturesBriefForm", "OptionsForm"]


def _findings_html(found: list[brief.Finding] | list[assumptions.Finding]) -> str:
    if not found:
        return "<p style='font-size:15px;color:#009E73'><b>Every rule passes.</b></p>"
    items = "".join(f"<li><b>{html.escape(f.rule)}</b> {html.escape(f.field)}: {html.escape(f.problem)} "
                    f"<i>{html.escape(f.fix)}</i></li>" for f in found)
    return f"<ul style='font-size:15px'>{items}</ul>"


class FuturesBriefForm(widgets.VBox):
    """``drivers.csv`` and ``futures.yaml`` as text to edit; Check explains each rule (FS-1 to FS-5); Save writes both.

    Parameters
    ----------
    drivers_text, futures_text : str
        The starting texts.
    case : Case, optional
        The case to save into (shipped cases are refused).
    """

    def __init__(self, drivers_text: str, futures_text: str, case: Case | None = None) -> None:
        self._case = case
        self.drivers = widgets.Textarea(value=drivers_text, layout=widgets.Layout(width="860px", height="170px"),
                                        continuous_update=False)
        self.futures = widgets.Textarea(value=futures_text, layout=widgets.Layout(width="860px", height="360px"),
                                        continuous_update=False)
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        super().__init__([widgets.HTML("<b style='font-size:15px'>drivers.csv (one driver a row, scored 1 to 5)</b>"),
                          self.drivers,
                          widgets.HTML("<b style='font-size:15px'>futures.yaml (scenarios, with success, risks "
                                       "and opportunities)</b>"),
                          self.futures, widgets.HBox([self.check, self.save]), self.findings, self.status],
                         layout=widgets.Layout(width="880px"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> FuturesBriefForm:
        """Start from the case's ``drivers.csv`` and ``futures.yaml``, or from starters where it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        drivers = (brief.drivers_text(loaded.read("drivers.csv")) if loaded.has("drivers.csv")
                   else brief.STARTER_DRIVERS)
        futures = (brief.futures_text(loaded.read("futures.yaml")) if loaded.has("futures.yaml")
                   else brief.STARTER_FUTURES)
        return cls(drivers, futures, loaded)

    def _update(self) -> None:
        try:
            drivers, futures, found = brief.check_texts(self.drivers.value, self.futures.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.findings.value = _findings_html(found)
        counts = (f"{len(drivers) if drivers else 0} driver{'' if drivers and len(drivers) == 1 else 's'}, "
                  f"{len(futures.scenarios)} scenario{'' if len(futures.scenarios) == 1 else 's'}")
        self.summary = (f"{counts}; {len(found)} point{'' if len(found) == 1 else 's'} to work on: "
                        f"{', '.join(f.rule for f in found)}." if found else f"{counts}; every rule passes.")
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            drivers, futures, _ = brief.check_texts(self.drivers.value, self.futures.value)
            texts = {"futures.yaml": brief.futures_text(futures)}
            if drivers:
                texts["drivers.csv"] = brief.drivers_text(drivers)
            cases.save_texts(self._case.path, texts, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        unlisted = [name for name in texts if not self._case.has(name)]
        tail = (f" List {' and '.join(unlisted)} under 'artefacts:' in case.yaml so the notebooks use "
                f"{'it' if len(unlisted) == 1 else 'them'}." if unlisted else "")
        self.status.value = f"<p>Saved {html.escape(' and '.join(texts))} in your case folder.{html.escape(tail)}</p>"

    def __repr__(self) -> str:
        return f"FuturesBriefForm: {self.summary}"


class OptionsForm(widgets.VBox):
    """``options.csv`` as text to edit; Check explains each rule (IO-1 to IO-5); Save writes it.

    Parameters
    ----------
    text : str
        The starting text.
    case : Case, optional
        The case whose sources and futures the rules read, and to save into (shipped cases are refused).
    """

    def __init__(self, text: str, case: Case | None = None) -> None:
        self._case = case
        self._sources = [s.id for s in case.meta.sources] if case is not None else []
        self._futures = case.read("futures.yaml") if case is not None and case.has("futures.yaml") else None
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="260px"),
                                     continuous_update=False)
        self.check = widgets.Button(description="Check", button_style="primary")
        self.save = widgets.Button(description="Save to my case")
        self.findings = widgets.HTML()
        self.status = widgets.HTML()
        self.summary = ""
        super().__init__([widgets.HTML("<b style='font-size:15px'>options.csv (one option and criterion a row, "
                                       "with evidence and source)</b>"), self.text,
                          widgets.HBox([self.check, self.save]), self.findings, self.status],
                         layout=widgets.Layout(width="880px"))
        self.check.on_click(lambda _b: self._update())
        self.save.on_click(lambda _b: self._save())
        self._update()

    @classmethod
    def from_case(cls, slug_or_case: str | Case) -> OptionsForm:
        """Start from the case's ``options.csv``, or from a starter when it has none."""
        loaded = slug_or_case if isinstance(slug_or_case, Case) else cases.load(slug_or_case)
        text = (assumptions.options_text(loaded.read("options.csv")) if loaded.has("options.csv")
                else assumptions.STARTER_OPTIONS)
        return cls(text, loaded)

    def _update(self) -> None:
        try:
            rows = assumptions.parse_options(self.text.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        found = assumptions.check_options(rows, self._sources, self._futures)
        self.findings.value = _findings_html(found)
        count = len(dict.fromkeys(r.option for r in rows))
        counts = f"{count} option{'' if count == 1 else 's'}"
        self.summary = (f"{counts}; {len(found)} point{'' if len(found) == 1 else 's'} to work on: "
                        f"{', '.join(f.rule for f in found)}." if found else f"{counts}; every rule passes.")
        self.status.value = ""

    def _save(self) -> None:
        try:
            if self._case is None or self._case.read_only:
                raise StpError("This is a shipped case, which is read-only.",
                               fix="Copy it with 'stp new-case mine --from <case>' and set CASE to the copy.")
            rows = assumptions.parse_options(self.text.value)
            cases.save_text(self._case.path, "options.csv", assumptions.options_text(rows), overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        tail = "" if self._case.has("options.csv") else (" List options.csv under 'artefacts:' in case.yaml so the "
                                                         "notebooks use it.")
        self.status.value = f"<p>Saved options.csv in your case folder.{html.escape(tail)}</p>"

    def __repr__(self) -> str:
        return f"OptionsForm: {self.summary}"
