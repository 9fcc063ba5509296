"""Exercise checks for duty 12, on the Stoke NEET case: signal or noise, and what contribution can be claimed.

The known answers come from the case's own files through the evaluation wing
(the detection rules on ``indicators.csv``, ``CA-1`` on ``contribution.yaml``),
never from numbers typed here.

Examples
--------
>>> first_signal({"period": "2007-07", "rule": "3"}, prediction="no")
Correct. At 2007-07 four of the five points from 2007-03 lie beyond 1 sigma below the centre line (9.54): rule 3. Later, rule 4 at 2007-08 and rule 1 at 2007-09 complete the picture. You predicted January 2007 would not be a signal: right, 9.4 lies inside the limits (8.7 to 11.22). The chart says the NEET rate changed from early 2007; what does it not tell you about why?
>>> first_signal({"period": "2007-01", "rule": "1"})
Not yet. The chart marks 2007-01 because the run of low points starts there; but in 2007-01 its value (9.4) lay inside the limits (8.7 to 11.22): on its own it was noise. In which month was a rule first complete? Which rule did you check last, and why?
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from stp_helpers import case as cases
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Choices, Column, Table
from stp_helpers.checks.matching import YES_NO
from stp_helpers.evaluation import contribution, monitoring, spc

__all__ = ["EXEMPLAR", "INDICATOR", "first_signal", "signal_exercise", "claim_blockers", "blockers_exercise",
           "blocker_options"]

#: The case and the indicator the exercises read.
EXEMPLAR, INDICATOR = "stoke-neet", "neet_rate"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_QUESTION = "Which rule did you check last, and why?"


@lru_cache(maxsize=1)
def _neet() -> tuple[list[str], list[float], spc.XmRLimits, tuple[int, str], list[tuple[int, str]]]:
    found = cases.load(EXEMPLAR)
    model, rows = monitoring.case_plan(found)
    series = spc.indicator_series(rows, INDICATOR)
    spec = next(i for i in model.indicators if i.id == INDICATOR)  # type: ignore[union-attr]
    values = series["value"].tolist()
    limits = spc.xmr_limits(values, baseline=spec.baseline_points)
    first = monitoring.first_signal(values, limits)
    completed = sorted({(monitoring.signal_completed_at(s), s.rule) for s in spc.detect_signals(values, limits)
                        if monitoring.signal_completed_at(s) > limits.baseline})
    return series["period"].tolist(), values, limits, first, completed  # type: ignore[return-value]


def _period(text: str) -> str | None:
    """A period as ``YYYY-MM`` from "2007-07", "2007-7", "July 2007" or "Jul 2007"; None when unreadable."""
    text = text.strip().lower()
    iso = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})", text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return f"{iso.group(1)}-{int(iso.group(2)):02d}"
    named = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text)
    if named and named.group(1)[:3] in _MONTHS:
        return f"{named.group(2)}-{_MONTHS.index(named.group(1)[:3]) + 1:02d}"
    return None


def _rule(text: str) -> str | None:
    found = re.search(r"\b(mr|[1-4])\b", text.strip().lower())
    return None if found is None else ("mR" if found.group(1) == "mr" else found.group(1))


def _pair(answer: Any) -> tuple[str, str]:
    if isinstance(answer, Mapping):
        return str(answer.get("period", "")), str(answer.get("rule", ""))
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return str(answer[0]), str(answer[1])
    raise TypeError('answer should be {"period": "YYYY-MM", "rule": "1"} or a (period, rule) pair.')


def first_signal(answer: Any, prediction: Any = None) -> Feedback:
    """Check the period and rule of the first signal on Stoke's NEET rate after its baseline.

    Parameters
    ----------
    answer : dict or pair
        ``{"period": "2007-07", "rule": "3"}`` or ``("2007-07", "3")``.
    prediction : {"yes", "no"}, optional
        Whether the learner expected January 2007, the first month of January starts, to be a signal.

    Raises
    ------
    TypeError
        When ``answer`` is neither a dict nor a pair.
    """
    if is_placeholder(answer):
        return your_turn()
    period_text, rule_text = _pair(answer)
    periods, values, limits, (point, rule), completed = _neet()
    start = periods[limits.baseline]
    period = _period(period_text)
    if period is None or period not in periods:
        return Feedback(False, fix=f"{period_text.strip()!r} is not a month of the series: give it as YYYY-MM, "
                        f"e.g. {start}.", question=_QUESTION)
    given = periods.index(period) + 1
    inside = f"inside the limits ({limits.lower:.3g} to {limits.upper:.4g})"
    if given <= limits.baseline:
        return Feedback(False, fix=f"{period} is in the baseline the limits rest on ({periods[0]} to "
                        f"{periods[limits.baseline - 1]}); look from {start} on.", question=_QUESTION)
    if given == limits.baseline + 1 and given < point:
        return Feedback(False, fix=f"The chart marks {period} because the run of low points starts there; but in "
                        f"{period} its value ({values[given - 1]:g}) lay {inside}: on its own it was noise. In which "
                        "month was a rule first complete?", question=_QUESTION)
    one_sigma = limits.zone(1)[0]
    if given < point:
        return Feedback(False, fix=f"No rule is complete yet at {period}. Count, window by window, how many of the "
                        f"last five points lie beyond 1 sigma below the centre line ({one_sigma:.3g}).",
                        question=_QUESTION)
    if given > point:
        here = [r for p, r in completed if p == given]
        said = [f"At {period} rule {here[0]} is complete."] if here else []
        return Feedback(False, right=said, fix="A rule is complete earlier: check the rules that need fewer points "
                        f"than eight, window by window from {start}.", question=_QUESTION)
    mine = _rule(rule_text)
    if mine != rule:
        return Feedback(False, right=[f"The period {period} is right."],
                        fix=f"Rule {mine or rule_text.strip()!r} is not what is complete there. Count the points "
                        f"beyond 1 sigma below the centre line ({one_sigma:.3g}) in the five months to {period}.",
                        question=_QUESTION)
    later: dict[str, int] = {}
    for p, r in completed:
        later.setdefault(r, p)
    others = [f"rule {r} at {periods[later[r] - 1]}" for r in ("4", "1") if r in later and later[r] > point]
    right = [f"At {period} four of the five points from {periods[point - 5]} lie beyond 1 sigma below the centre "
             f"line ({one_sigma:.3g}): rule {rule}."]
    if others:
        right.append("Later, " + " and ".join(others) + " complete the picture.")
    said = YES_NO.match(prediction) if not is_placeholder(prediction) else None
    january = values[limits.baseline]
    if said is not None:
        right.append(f"You predicted January 2007 would {'' if said == 'yes' else 'not '}be a signal: "
                     + ("it is not" if said == "yes" else "right") + f", {january:g} lies {inside}.")
    return Feedback(True, right=right, question="The chart says the NEET rate changed from early 2007; what does "
                                                "it not tell you about why?")


def signal_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "when does Stoke's NEET rate first signal a change, and by which rule?"."""
    periods, values, limits, (point, rule), _ = _neet()
    app = Exercise(
        "first_signal", lambda a, p: first_signal(a, prediction=p),
        Table("The first signal after the baseline", [Column("value")], row_names=("period", "rule")),
        f"period {periods[point - 1]}, rule {rule}",
        explanation=f"The limits rest on {periods[0]} to {periods[limits.baseline - 1]}. January 2007 lies inside "
                    "them; from then on the points stay below the centre line, and four of the five to "
                    f"{periods[point - 1]} lie beyond 1 sigma (rule 3) before the run of eight (rule 4) or a point "
                    "outside the limits (rule 1) is complete.",
        predict=Choice("Is January 2007 (the first month of January starts) a signal?", ["yes", "no"]),
        title="In which month would monitoring first have shown a signal, and by which rule?", notebook="duty12.ipynb")
    return app.submit(answer, prediction)


# --- exercise 2: what keeps the contribution claim from being credible (CA-1) ---------------------------------

@lru_cache(maxsize=1)
def _claim() -> tuple[dict[str, str], set[str]]:
    found = cases.load(EXEMPLAR)
    record = found.read("contribution.yaml")
    model = found.read("logic_model.yaml")
    verdict = contribution.assess_contribution(record, model)
    levels = {f"{row['from']} → {row['to']}": row["evidence"] for _, row in verdict.links.iterrows()}
    options = {f"link {k} ({v} evidence)": f"link:{v}" for k, v in levels.items()}
    blockers = set()
    for alt in record.alternatives:
        label = f"rival: {alt.explanation}"
        options[label] = f"rival:{alt.compared or ('open' if not alt.assessed else 'uncompared')}"
        if not (alt.assessed and alt.compared == "weaker"):
            blockers.add(label)
    blockers |= {k for k, v in options.items() if v in ("link:none", "link:weak")}
    return options, blockers


def blocker_options() -> list[str]:
    """The parts of Stoke's contribution story the learner may tick: its links and its rival explanations."""
    return list(_claim()[0])


def claim_blockers(answer: Any, prediction: Any = None) -> Feedback:
    """Check which parts of Stoke's contribution story keep CA-1 from calling the claim credible.

    Parameters
    ----------
    answer : collection of str
        Options from :func:`blocker_options` (a link or a rival explanation).
    prediction : str, optional
        "credible" or "plausible, needs more evidence": the verdict the learner expected.

    Raises
    ------
    TypeError
        When ``answer`` is a single string or not a collection.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError("answer should be a list of options, e.g. [\"link A2 → O2 (strong evidence)\"]")
    options, blockers = _claim()
    question = "What evidence would you seek first, and from whom?"
    given = {str(a).strip() for a in answer}
    unknown = sorted(given - set(options))
    if unknown:
        return Feedback(False, fix=f"{unknown[0]!r} is not a part of the story; tick from the options given.",
                        question=question)
    links = sorted(g for g in given - blockers if g.startswith("link"))
    if links:
        name, level = links[0][5:].split(" (")
        return Feedback(False, fix=f"Link {name} has {level.split()[0]} evidence, which is enough: CA-1 asks each "
                        "link for at least moderate evidence. What else does it ask?", question=question)
    if given == blockers:
        still_open = sum(options[b] == "rival:open" for b in blockers)
        partial = sum(options[b] == "rival:partly" for b in blockers)
        right = [f"All {len(blockers)} rival explanations: CA-1 lets a claim stand only when each rival has been "
                 f"weighed and found weaker. {still_open} {'is' if still_open == 1 else 'are'} not yet assessed, and "
                 f"{partial} was found to explain the fall partly. Every link has at least moderate evidence."]
        if isinstance(prediction, str) and prediction.strip():
            expected = prediction.strip().lower().startswith("plausible")
            right.append("You expected 'plausible, needs more evidence': so it is." if expected else
                         "You expected 'credible'; a 25% fall and strong links are not enough while rivals are open.")
        return Feedback(True, right=right, question=question)
    partly = [b for b in blockers - given if options[b] == "rival:partly"]
    if partly:
        return Feedback(False, right=[f"{len(given & blockers)} of your {len(given)} are right."],
                        fix="One rival was assessed, and still holds the claim back: what did the assessment find, "
                        "and what does CA-1 need it to find?", question=question)
    return Feedback(False, right=[f"{len(given & blockers)} of your {len(given)} are right."],
                    fix="A rival explanation that has not been assessed holds the claim back too.", question=question)


def blockers_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "what keeps the claim from being credible under CA-1?"."""
    options, blockers = _claim()
    app = Exercise(
        "claim_blockers", lambda a, p: claim_blockers(a, prediction=p), Choices("What holds the claim back", list(options)),
        "; ".join(o for o in options if o in blockers),
        explanation="Each link has at least moderate evidence, so the path holds; the claim stays 'plausible, needs "
                    "more evidence' until the labour market and the recording of NEET are assessed, and the part "
                    "weekly contact plays alone is separated from the January starts.",
        predict=Choice("What will CA-1 call the claim?", ["credible", "plausible, needs more evidence"]),
        title="Tick everything that keeps CA-1 from calling the claim credible.", notebook="duty12.ipynb")
    return app.submit(answer, prediction)
