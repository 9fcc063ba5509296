"""Duty 8's output: a futures brief, the drivers and scenarios with what success looks like in each.

The brief is two files the futures wing already reads: ``drivers.csv`` (the
drivers of change, scored for impact and uncertainty) and ``futures.yaml``
(the focal question, the scenario structure, and for each scenario its
narrative, claims a model run can check, signposts, **what success looks
like**, its **risks** and its **opportunities**).

Quality rules (a workbook design, after the duty's criteria "scenarios that
customers and stakeholders consider represent plausible futures" and "system
model(s) of plausible futures and success criteria"):

- ``FS-1`` the scenarios are built on critical uncertainties: a 2x2's two
  axes are drivers of ``drivers.csv`` scored impact ≥ 4 and uncertainty ≥ 4
  (rule ``FUT-1``), or the scenarios come from a question tree;
- ``FS-2`` every scenario says what success looks like, and not in the same
  words for every future (success that reads the same everywhere is a vision,
  not a test of the future);
- ``FS-3`` every scenario names at least one risk and one opportunity;
- ``FS-4`` every scenario has a signpost: an indicator that says it is unfolding;
- ``FS-5`` every scenario makes at least one claim a model run can check.

Examples
--------
>>> drivers, futures = example_draft()
>>> [f.rule for f in check_brief(futures, drivers)]
['FS-1', 'FS-2', 'FS-3']
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from stp_helpers.display import Markdown, findings_list, join, md
from stp_helpers.errors import CaseFileError, RuleFinding, StpError
from stp_helpers.futures.records import (Axis, Claim, Driver, FutureScenario, Futures, Matrix, Quadrant, Signpost,
                                         classify_driver, read_drivers, read_futures)
from stp_helpers.io.tables import csv_text

__all__ = ["RULES", "Finding", "check_brief", "example_draft", "parse_drivers", "parse_futures", "drivers_text",
           "futures_text", "success_table", "brief_markdown", "findings_markdown", "check_texts", "STARTER_DRIVERS",
           "STARTER_FUTURES"]

RULES = {"FS-1": "axes that are critical uncertainties", "FS-2": "what success looks like, future by future",
         "FS-3": "a risk and an opportunity in each", "FS-4": "a signpost for each",
         "FS-5": "a claim a model run can check"}

#: A starting ``drivers.csv`` for a case that has none (replace every row with your own).
STARTER_DRIVERS = ("driver,category,description,impact,uncertainty,source\n"
                   "first driver,economic,What it is and how it bears on the focal question,5,5,own-notes\n"
                   "second driver,political,What it is and how it bears on the focal question,4,4,own-notes\n"
                   "a trend you are sure of,social,Present in every future,4,1,own-notes\n")

#: A starting ``futures.yaml`` for a case that has none: a 2x2 on the two starter drivers.
STARTER_FUTURES = """# futures.yaml: the scenarios and what success looks like in each (duty 8).
focal_question: What question should the scenarios help the decision-makers answer?
source: own-notes
scenarios:
""" + "".join(f"""  - name: {name}
    narrative: The story of this future in a paragraph.
    claims:
      - text: A claim a model run could check.
        variable: a model variable
        direction: higher
    signposts:
      - indicator: What to watch
        signal: The change that says this future is unfolding
    success: ""
    risks: []
    opportunities: []
""" for name in ("Low-high", "High-high", "Low-low", "High-low")) + """matrix:
  x: {driver: first driver, low: low pole, high: high pole}
  y: {driver: second driver, low: low pole, high: high pole}
  quadrants:
    - {scenario: Low-high, x: low, y: high}
    - {scenario: High-high, x: high, y: high}
    - {scenario: Low-low, x: low, y: low}
    - {scenario: High-low, x: high, y: low}
"""


#: A quality finding: the rule, the field, what is wrong and how to fix it.
Finding = RuleFinding


def check_brief(futures: Futures, drivers: Sequence[Driver] | None) -> list[Finding]:
    """Return every quality finding (``FS-1`` to ``FS-5``), in rule order; empty when the brief passes.

    Parameters
    ----------
    futures : Futures
        The contents of ``futures.yaml``.
    drivers : sequence of Driver or None
        The contents of ``drivers.csv`` (None when the case has none).

    Examples
    --------
    >>> drivers, futures = example_draft()
    >>> print(check_brief(futures, drivers)[0])
    FS-1 matrix.y.driver: 'people with complex needs' is not a critical uncertainty (impact 4, uncertainty 2: predetermined). Put a driver scored impact 4 or more and uncertainty 4 or more on each axis; a predetermined element belongs in every scenario.
    """
    found: list[Finding] = []
    found += _axis_findings(futures, drivers)
    scenarios = futures.scenarios
    blank = [i for i, s in enumerate(scenarios) if not s.success.strip()]
    said = {" ".join(s.success.lower().split()) for s in scenarios}
    if blank:
        found.append(Finding("FS-2", f"scenarios[{blank[0]}].success",
                             f"{scenarios[blank[0]].name!r} does not say what success looks like.",
                             "Say what would count as success in that future, and for whom."))
    elif len(scenarios) > 1 and len(said) == 1:
        found.append(Finding("FS-2", "scenarios[1].success", "every scenario says success in the same words.",
                             "Say what success looks like in each future as it differs: what is possible there, "
                             "and what is not."))
    thin = [i for i, s in enumerate(scenarios) if not s.risks or not s.opportunities]
    if thin:
        part = "risks" if not scenarios[thin[0]].risks else "opportunities"
        found.append(Finding("FS-3", f"scenarios[{thin[0]}].{part}",
                             f"{scenarios[thin[0]].name!r} names no {part[:-1] if part == 'risks' else 'opportunity'}.",
                             "Name at least one risk and one opportunity for every future."))
    unsigned = [i for i, s in enumerate(scenarios) if not s.signposts]
    if unsigned:
        found.append(Finding("FS-4", f"scenarios[{unsigned[0]}].signposts",
                             f"{scenarios[unsigned[0]].name!r} has no signpost.",
                             "Name an indicator to watch and the change that says this future is unfolding."))
    untested = [i for i, s in enumerate(scenarios) if not s.claims]
    if untested:
        found.append(Finding("FS-5", f"scenarios[{untested[0]}].claims",
                             f"{scenarios[untested[0]].name!r} makes no claim a model run can check.",
                             "Add a claim: a model variable and whether it ends higher or lower than today."))
    return found


def _axis_findings(futures: Futures, drivers: Sequence[Driver] | None) -> list[Finding]:
    if futures.matrix is None:
        if futures.tree:
            return []
        return [Finding("FS-1", "matrix", "the scenarios have no structure (no 2x2 matrix and no question tree).",
                        "Build a 2x2 on the two critical uncertainties, or a question tree.")]
    if drivers is None:
        return [Finding("FS-1", "drivers.csv", "there are no scored drivers to choose the axes from.",
                        "List the drivers of change and score impact and uncertainty with the stakeholders.")]
    scores = {d.driver.lower(): d for d in drivers}
    for key in ("x", "y"):
        axis: Axis = getattr(futures.matrix, key)
        driver = scores.get(axis.driver.lower())
        if driver is None:
            return [Finding("FS-1", f"matrix.{key}.driver", f"{axis.driver!r} is not a driver in drivers.csv.",
                            "Use the name of a scored driver, or add it to drivers.csv with its scores.")]
        role = classify_driver(driver.impact, driver.uncertainty)
        if role != "critical uncertainty":
            return [Finding("FS-1", f"matrix.{key}.driver",
                            f"{axis.driver!r} is not a critical uncertainty (impact {driver.impact}, "
                            f"uncertainty {driver.uncertainty}: {role}).",
                            "Put a driver scored impact 4 or more and uncertainty 4 or more on each axis; "
                            "a predetermined element belongs in every scenario.")]
    return []


def example_draft() -> tuple[list[Driver], Futures]:
    """A flawed first draft of Wiltshire's futures brief, for the exercise (workbook example).

    Its drivers are Wiltshire's own scores; the draft puts a predetermined
    element on an axis, says success in the same words in every future, and
    leaves one future without an opportunity.
    """
    rows = [("household financial pressure", "economic", 5, 5), ("move-on housing supply", "economic", 5, 4),
            ("council funding settlement", "political", 4, 4), ("people with complex needs", "social", 4, 2),
            ("information sharing between agencies", "technological", 3, 4)]
    drivers = [Driver(driver=d, category=c, impact=i, uncertainty=u, source="seed-000") for d, c, i, u in rows]
    same = "Fewer people with complex needs reach crisis."
    stories = [("More people, easier finances", "low", "high", "In crisis", "lower"),
               ("More people, debt rising", "high", "high", "At risk", "higher"),
               ("Fewer people, easier finances", "low", "low", "In crisis", "lower"),
               ("Fewer people, debt rising", "high", "low", "total agency contacts", "higher")]
    scenarios = [FutureScenario(name=n, narrative=f"A future where {n.lower()}.",
                                claims=[Claim(text=f"{v} ends {d}.", variable=v, direction=d)],
                                signposts=[Signpost(indicator="Rent arrears cases", signal="Four quarters one way")],
                                success=same, risks=["Crisis spending squeezes prevention."],
                                opportunities=[] if i == 3 else ["Partners share what they see."])
                 for i, (n, _, _, v, d) in enumerate(stories)]
    matrix = Matrix(x=Axis(driver="household financial pressure", low="Finances ease", high="Debt rises"),
                    y=Axis(driver="people with complex needs", low="Fewer people", high="More people"),
                    quadrants=[Quadrant(scenario=n, x=x, y=y) for n, x, y, _, _ in stories])
    futures = Futures(focal_question="How should Wiltshire's partners invest in early help?", source="seed-000",
                      scenarios=scenarios, matrix=matrix)
    return drivers, futures


def _read_text(text: str, name: str, reader: object) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            return reader(path)  # type: ignore[operator]
        except CaseFileError as err:
            raise CaseFileError([dataclasses.replace(p, path=name) for p in err.problems]) from err


def parse_drivers(text: str) -> list[Driver]:
    """Read drivers from CSV text (as typed in a form); every problem names ``drivers.csv``, its row and fix.

    Examples
    --------
    >>> [d.driver for d in parse_drivers(STARTER_DRIVERS)]
    ['first driver', 'second driver', 'a trend you are sure of']
    >>> parse_drivers("driver,category,impact,uncertainty,source\\nfunding,political,9,5,s1\\n")
    Traceback (most recent call last):
    ...
    stp_helpers.errors.CaseFileError: drivers.csv, row 2, column "impact": '9' is above the largest allowed value (5). Expected: a whole number from 1 (little impact) to 5 (decisive impact)
    """
    return _read_text(text, "drivers.csv", read_drivers)  # type: ignore[return-value]


def parse_futures(text: str) -> Futures:
    """Read futures from YAML text (as typed in a form); every problem names ``futures.yaml``, its line and fix.

    Examples
    --------
    >>> [s.name for s in parse_futures(STARTER_FUTURES).scenarios]
    ['Low-high', 'High-high', 'Low-low', 'High-low']
    """
    return _read_text(text, "futures.yaml", read_futures)  # type: ignore[return-value]


def drivers_text(drivers: Sequence[Driver]) -> str:
    """Return ``drivers.csv`` text for the drivers (write it with ``case.save_text``).

    >>> print(drivers_text(parse_drivers(STARTER_DRIVERS)).splitlines()[1])
    first driver,economic,What it is and how it bears on the focal question,5,5,own-notes
    """
    header = ["driver", "category", "description", "impact", "uncertainty", "source"]
    return csv_text(header, [[d.driver, d.category, d.description or "", d.impact, d.uncertainty, d.source]
                             for d in drivers])


def futures_text(futures: Futures) -> str:
    """Return ``futures.yaml`` text (write it with ``case.save_text``).

    >>> parse_futures(futures_text(example_draft()[1])) == example_draft()[1]
    True
    """
    data = futures.model_dump(mode="json", exclude_none=True)
    header = "# futures.yaml: the scenarios and what success looks like in each (duty 8). Check: stp check-case\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def success_table(futures: Futures) -> pd.DataFrame:
    """Each scenario with its place on the 2x2, what success looks like, its risks and its opportunities.

    Examples
    --------
    >>> success_table(example_draft()[1]).iloc[3]["opportunities"]
    ''
    """
    where: dict[str, str] = {}
    if futures.matrix is not None:
        m = futures.matrix
        where = {q.scenario: f"{getattr(m.x, q.x)}; {getattr(m.y, q.y)}" for q in futures.matrix.quadrants}
    rows = [{"scenario": s.name, "where": where.get(s.name, ""), "success": s.success,
             "risks": "; ".join(s.risks), "opportunities": "; ".join(s.opportunities)} for s in futures.scenarios]
    return pd.DataFrame(rows, columns=["scenario", "where", "success", "risks", "opportunities"])


def brief_markdown(futures: Futures, drivers: Sequence[Driver] | None = None) -> Markdown:
    """A futures brief as Markdown (case text escaped): axes, and each scenario's success, risks and opportunities."""
    parts = [md("**Focal question:** {q}", q=futures.focal_question)]
    if drivers is not None:
        parts.append(md("**Drivers (impact, uncertainty):** {d}",
                        d="; ".join(f"{d.driver} ({d.impact}, {d.uncertainty})" for d in drivers)))
    if futures.matrix is not None:
        m = futures.matrix
        parts.append(md("**Axes:** {x} ({xl} / {xh}) × {y} ({yl} / {yh})", x=m.x.driver, xl=m.x.low, xh=m.x.high,
                        y=m.y.driver, yl=m.y.low, yh=m.y.high))
    for s in futures.scenarios:
        parts.append(md("- **{name}**. Success: {success} Risks: {risks}. Opportunities: {opps}. "
                        "Signposts: {signs}. Claims: {claims}.", name=s.name, success=s.success or "(none)",
                        risks="; ".join(s.risks) or "(none)", opps="; ".join(s.opportunities) or "(none)",
                        signs="; ".join(p.indicator for p in s.signposts) or "(none)",
                        claims="; ".join(c.text for c in s.claims) or "(none)"))
    return join(parts)


def findings_markdown(found: Sequence[Finding]) -> Markdown:
    """Quality findings as a Markdown list, or a line saying every rule passes."""
    return findings_list(found, "Every rule (FS-1 to FS-5) passes.")


def check_texts(drivers: str, futures: str) -> tuple[list[Driver] | None, Futures, list[Finding]]:
    """Parse a form's two texts and return the drivers, the futures and the findings.

    An empty drivers text means the case has no drivers yet.

    Raises
    ------
    StpError
        When a text cannot be read (the error names the file, the row or line, and the fix).
    """
    if not futures.strip():
        raise StpError("futures.yaml is empty.", fix="Start from the template: a focal question and scenarios.")
    scored = parse_drivers(drivers) if drivers.strip() else None
    fut = parse_futures(futures)
    return scored, fut, check_brief(fut, scored)
