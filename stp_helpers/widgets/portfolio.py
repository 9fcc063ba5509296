"""The portfolio app: add evidence, claim KSBs, record verification, export.

One form, one ``_update`` handler (run by the button): it does the chosen
action, then redraws the coverage table and the item list; a refused action
shows its reasons in the status line and changes nothing.

Examples
--------
>>> import tempfile
>>> app = PortfolioApp("ada", root=tempfile.mkdtemp())
>>> app.action.value = "Add a workshop or engagement record"
>>> app.title.value, app.who.value = "Loop workshop", "hub staff"
>>> app.text.value = ("Twelve staff from four agencies drew the referral loops together and agreed "
...                   "which delay to measure first at the next meeting.")
>>> app.run.click()
>>> app
PortfolioApp: Added E1. 0 of 25 KSBs evidenced by confirmed claims, 0 verified. Gaps: K1, K2, K3, K4, K5, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, B1, B2, B3, B4, B5, B6, B7, B8, B9.
>>> app.action.value, app.ksb.value = "Claim a KSB for an item", "S5"
>>> app.text.value = "I ran the workshop so the agencies built the diagram together."
>>> app.run.click()
>>> app.store.coverage_line()[:40]
'1 of 25 KSBs evidenced by confirmed clai'
"""

from __future__ import annotations

import base64
import html
import os
import re

import ipywidgets as widgets

from stp_helpers.errors import StpError
from stp_helpers.learner import portfolio
from stp_helpers.learner.evidence import REFLECTION_MODELS
from stp_helpers.learner.store import VERIFICATION_STATES, PortfolioStore
from stp_helpers.standard import KSB_IDS

__all__ = ["ACTIONS", "PortfolioApp", "parse_stages"]

#: What the app can do, in the order offered.
ACTIONS = (
    "Add a workshop or engagement record",
    "Add a reflection (Gibbs)",
    "Add an artefact of my case",
    "Claim a KSB for an item",
    "Verify an item (tutor or employer)",
    "Export HTML and CSV",
)
_WIDE = widgets.Layout(width="660px")


def parse_stages(text: str, model: str = "gibbs") -> dict[str, str]:
    """Split a reflection written with stage headings (``Feelings: …``) into its stages.

    Examples
    --------
    >>> parse_stages("Description: we met.\\nFeelings: nervous,\\nthen calm.")
    {'description': 'we met.', 'feelings': 'nervous, then calm.'}
    """
    names = REFLECTION_MODELS[model]
    pattern = re.compile(rf"^\s*({'|'.join(re.escape(n) for n in names)})\s*:\s*(.*)$", re.I)
    stages: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            current = match.group(1).lower()
            stages[current] = [match.group(2)]
        elif current:
            stages[current].append(line)
    return {k: " ".join(" ".join(v).split()) for k, v in stages.items()}


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


class PortfolioApp(widgets.VBox):
    """Add, claim, verify and export a learner's portfolio evidence.

    Parameters
    ----------
    learner : str
        The learner's short name.
    root : path, optional
        The folder of learners' records (default ``STP_PROGRESS``).
    """

    def __init__(self, learner: str, root: str | os.PathLike[str] | None = None) -> None:
        self.store = PortfolioStore(learner, root=root)
        self.action = widgets.Dropdown(options=ACTIONS, description="Action", layout=_WIDE)
        self.item = widgets.Dropdown(options=[], description="Item", layout=_WIDE)
        self.title = widgets.Text(description="Title", placeholder="title, or the case folder for an artefact",
                                  layout=_WIDE)
        self.who = widgets.Text(description="Who", placeholder="who took part, or the verifier's name",
                                layout=_WIDE)
        self.ksb = widgets.Dropdown(options=KSB_IDS, description="KSB")
        self.verdict = widgets.Dropdown(options=VERIFICATION_STATES, description="Verdict")
        self.text = widgets.Textarea(description="Text", placeholder="what happened, the reflection (Description: …), "
                                     "the claim's sentence, the file name or the comment",
                                     layout=widgets.Layout(width="660px", height="160px"))
        self.run = widgets.Button(description="Do it", button_style="primary")
        self.status = widgets.HTML()
        self.coverage = widgets.HTML()
        self.items = widgets.HTML()
        self.download = widgets.HTML()
        self._said = ""
        super().__init__([self.action, self.item, self.title, self.who, widgets.HBox([self.ksb, self.verdict]),
                          self.text, self.run, self.status, self.download, self.coverage, self.items])
        self.run.on_click(self._update)
        self._update()

    def _act(self) -> str:
        action, store = self.action.value, self.store
        if action == ACTIONS[0]:
            return f"Added {store.add_engagement(self.title.value, self.text.value, self.who.value)}."
        if action == ACTIONS[1]:
            item = store.add_reflection(parse_stages(self.text.value), "gibbs", title=self.title.value or "Reflection")
            return f"Added {item}; suggested claims: {', '.join(store.suggest_claims(item)) or 'none'}."
        if action == ACTIONS[2]:
            return f"Added {store.add_artefact(self.title.value.strip(), self.text.value.strip())}."
        if self.item.value is None and action != ACTIONS[5]:
            raise StpError("There is no item to choose yet.", fix="Add an item first.")
        if action == ACTIONS[3]:
            store.claim(self.item.value, self.ksb.value, self.text.value)
            return f"{self.item.value} now claims {self.ksb.value}."
        if action == ACTIONS[4]:
            store.verify(self.item.value, self.verdict.value, self.who.value, self.text.value)
            return f"{self.item.value} marked {self.verdict.value}."
        page = portfolio.write_portfolio(store, store.folder / "portfolio.html", overwrite=True)
        table = portfolio.write_csv(store, store.folder / "portfolio.csv", overwrite=True)
        links = [(page, "text/html"), (table, "text/csv")]
        self.download.value = " · ".join(
            f"<a download='{p.name}' href='data:{mime};base64,{base64.b64encode(p.read_bytes()).decode()}'>"
            f"Download {p.name}</a>" for p, mime in links)
        return f"Wrote {page.name} and {table.name} in your portfolio folder."

    def _update(self, change: object = None) -> None:
        try:
            said = self._act() if change is not None else ""
        except StpError as err:
            self.status.value = err.to_html()
            return
        items = self.store.items()
        chosen = self.item.value
        self.item.options = [(f"{i['id']} · {i['title']}", i["id"]) for i in items]
        ids = [i["id"] for i in items]
        if ids:  # keep the item chosen; after an addition, choose the new one
            self.item.value = chosen if chosen in ids and not said.startswith("Added") else ids[-1]
        self._said = " ".join(filter(None, [said, self.store.coverage_line()]))
        self.status.value = _ok(self._said)
        table = self.store.coverage()
        self.coverage.value = table[["ksb", "title", "items", "verified_items", "gap"]].to_html(index=False, border=0)
        self.items.value = "".join(
            f"<p><strong>{html.escape(i['id'])}</strong> {html.escape(i['date'])} · {html.escape(i['title'])} · "
            f"claims: {html.escape(', '.join(c['ksb'] for c in i['claims']) or 'none')} · "
            f"{html.escape((i.get('verification') or {}).get('status', 'not verified'))}</p>" for i in items)

    def __repr__(self) -> str:
        return f"PortfolioApp: {self._said}"
