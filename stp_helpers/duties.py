"""The twelve duty notebooks: each duty of ST0787 with its methods, activity and evidence.

The duty's text, criteria and KSBs come from :mod:`stp_helpers.standard`;
the guidance (artefacts that evidence the duty, the apps that serve it, the
guided activity, a reflection prompt and what to keep) from
``data/duties.yaml``.  Every function takes a case, so a duty notebook serves
any case folder.

Examples
--------
>>> from stp_helpers import case
>>> wilts = case.load("wiltshire-complex-needs")
>>> missing_artefacts(wilts, 12)
[]
>>> print(duty_card(7).text.splitlines()[0])
**Duty 7: Explain current behaviour; drivers; fitness of strategy**
"""

from __future__ import annotations

import html
import importlib
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import altair as alt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from stp_helpers import catalogue, charts, paths
from stp_helpers.case import Case
from stp_helpers.display import HTML, Markdown, md
from stp_helpers.errors import StpError
from stp_helpers.standard import load_standard
from stp_helpers.io.tables import read_yaml_model

__all__ = [
    "case_heading",
    "guidance",
    "duty_card",
    "methods_for",
    "evidence_status",
    "missing_artefacts",
    "ksb_chart",
    "activity",
    "activity_app",
    "reflection_prompt",
    "evidence_to_keep",
]


class _App(BaseModel):
    model_config = ConfigDict(extra="forbid")
    artefact: str
    factory: str = Field(pattern=r"^[\w.]+:[\w.]+$")


class _Guidance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=12)
    artefacts: tuple[str, ...]
    apps: tuple[_App, ...]
    activity: tuple[str, ...]
    reflection: str
    evidence: tuple[str, ...]


class _AllGuidance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    duties: tuple[_Guidance, ...]


@lru_cache(maxsize=1)
def _all() -> _AllGuidance:
    data = read_yaml_model(paths.PACKAGE_DIR / "data" / "duties.yaml", _AllGuidance)
    if tuple(g.number for g in data.duties) != tuple(range(1, 13)):
        raise StpError("data/duties.yaml should list duties 1 to 12 in order.")
    return data


def guidance(number: int) -> _Guidance:
    """Return the workbook's guidance for duty ``number``."""
    load_standard().duty(number)
    return _all().duties[number - 1]


def duty_card(number: int) -> Markdown:
    """The duty's text, its performance criteria and the KSBs it draws on."""
    std = load_standard()
    duty = std.duty(number)
    ksbs = ", ".join(f"{k} {std.ksb(k).title}" for k in std.ksbs_of(number))
    return Markdown("\n".join([
        f"**Duty {number}: {duty.short}**", "",
        f"> {duty.text}", "",
        f"*Criteria for measuring performance:* {duty.criteria}", "",
        f"*KSBs (derived mapping; S9, B1 and B7 apply to every duty):* {ksbs}",
    ]))


def methods_for(number: int) -> HTML:
    """The workbook's notebooks that serve this duty, with links (relative to ``notebooks/``)."""
    load_standard().duty(number)
    serving = [e for e in catalogue.entries() if number in e.duties and e.kind in ("method", "case")]
    if not serving:
        return HTML("<p>No notebook serves this duty yet.</p>", "No notebook serves this duty yet.")
    rows = "".join(f'<li><a href="{quote(e.path)}">{html.escape(e.title)}</a>: {html.escape(e.summary)}</li>'
                   for e in serving)
    text = "\n".join(f"- {e.title} ({e.path})" for e in serving)
    return HTML(f"<ul>{rows}</ul>", text)


def evidence_status(case: Case, number: int) -> pd.DataFrame:
    """For each artefact that evidences the duty: does the case have it, and which notebook works on it.

    An artefact still as ``stp new-case`` wrote it is no evidence yet: it reads "template: fill it in".
    """
    from stp_helpers.learner.portfolio import ARTEFACT_NOTEBOOKS

    def state(name: str) -> str:
        if not case.has(name):
            return "not yet"
        return "template: fill it in" if case.is_untouched_template(name) else "yes"

    rows = [{"artefact": name, "in case": state(name), "notebook": ARTEFACT_NOTEBOOKS.get(name, "")}
            for name in guidance(number).artefacts]
    return pd.DataFrame(rows, columns=["artefact", "in case", "notebook"])


def missing_artefacts(case: Case, number: int) -> list[str]:
    """The artefacts that would evidence the duty but the case does not have yet."""
    return [name for name in guidance(number).artefacts if not case.has(name)]


def ksb_chart(number: int) -> alt.LayerChart:
    """Bar chart: for each KSB of the duty, how many of the workbook's notebooks evidence it."""
    std = load_standard()
    ksbs = list(std.ksbs_of(number))
    matrix = catalogue.coverage_matrix()
    counts = pd.DataFrame({"ksb": [f"{k} {std.ksb(k).title}" for k in ksbs],
                           "notebooks": [int(matrix[k].sum()) for k in ksbs]})
    covered = int((counts["notebooks"] > 0).sum())
    title = f"Duty {number} draws on {len(ksbs)} KSBs; the workbook's notebooks evidence {covered} of them"
    return charts.bar_chart(counts, category="ksb", value="notebooks", value_title="Notebooks (count)",
                            category_title="KSB", title=title, order=list(counts["ksb"]),
                            subtitle="Read from each notebook's 'Standard:' line")


def activity(number: int) -> Markdown:
    """The guided activity as numbered steps."""
    return Markdown("\n".join(f"{i}. {step}" for i, step in enumerate(guidance(number).activity, start=1)))


def _resolve(factory: str) -> Any:
    module, _, attr = factory.partition(":")
    target: Any = importlib.import_module(module)
    for part in attr.split("."):
        target = getattr(target, part)
    return target


def activity_app(case: Case, number: int) -> Any:
    """The app for this duty on this case: the first listed app whose artefact the case has.

    When the case has none of them, returns guidance on which artefact to add.
    """
    for app in guidance(number).apps:
        if not case.has(app.artefact):
            continue
        factory = _resolve(app.factory)
        return factory(case.slug) if "from_case" in app.factory else factory(case)
    wanted = ", ".join(a.artefact for a in guidance(number).apps)
    return md("*{title}* has none of the artefacts this duty's apps work on ({wanted}). "
              "Add one to the case folder and list it in case.yaml (see the method notebooks above), "
              "then run this notebook again.", title=case.meta.title, wanted=wanted)


def case_heading(case: Case) -> Markdown:
    """The case's title in bold and its summary, each escaped once.

    >>> from stp_helpers import case as cases
    >>> case_heading(cases.load("stoke-neet")).text.startswith("**Stoke")
    True
    """
    return md("**{title}**: {summary}", title=case.meta.title, summary=case.meta.summary)


def reflection_prompt(number: int) -> Markdown:
    """The reflection question for the duty."""
    return Markdown(f"**Reflect:** {guidance(number).reflection}")


def evidence_to_keep(number: int) -> Markdown:
    """What to keep for the portfolio."""
    return Markdown("\n".join(f"- {item}" for item in guidance(number).evidence))
