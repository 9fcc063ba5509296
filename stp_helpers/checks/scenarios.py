"""Exercise checks for futures and scenarios (the scenarios notebook).

Each check calls the method's own functions (:func:`scenarios.choose_axes`,
:func:`robustness.minimax_regret`, :func:`scenarios.check_claims`) and puts
the result into words.

Examples
--------
>>> from stp_helpers.futures import robustness
>>> from stp_helpers.futures import scenarios
>>> critical_uncertainties(..., scenarios.example_drivers())
Your turn: fill in the cell above, then run this one.
>>> critical_uncertainties(["central funding settlement", "housing supply"], scenarios.example_drivers())
Not yet. central funding settlement is one of the two axes. Look again at the scores: which other driver has both impact and uncertainty of 4 or more, with the larger product? Which pair would give four scenarios that really differ?
>>> robust_option("B", robustness.example_payoffs(), prediction="C")
Correct. B's largest regret is 4, the smallest of any option. Your prediction (C) did not match: C has the best best case, which is not the same as holding up everywhere. Which future would make you regret choosing B most, and by how much?
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from stp_helpers.futures import robustness
from stp_helpers.futures import scenarios as fut
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.matching import canonical as normalise
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Choices, Column, Table

__all__ = ["critical_uncertainties", "robust_option", "contradicted_scenario", "tree_scenario", "axes_exercise",
           "tree_exercise", "robust_exercise", "contradiction_exercise", "driver_scores", "scores_exercise", "DRIVER_BRIEFING"]


def critical_uncertainties(answer: Any, drivers: Sequence[fut.Driver], prediction: Any = None) -> Feedback:
    """Check the two drivers chosen as the axes of a 2×2 (rule ``FUT-1``)."""
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str) or not isinstance(answer, Sequence | set | tuple):
        raise TypeError('answer should be two driver names, e.g. ("housing supply", "severe weather")')
    given = [normalise(a) for a in answer]
    axes = fut.choose_axes(drivers)
    want = [normalise(a) for a in axes]
    question = "Which pair would give four scenarios that really differ?"
    names = {normalise(d.driver) for d in drivers}
    unknown = [a for a, g in zip(answer, given) if g not in names]
    if unknown:
        return Feedback(False, fix=f"{unknown[0]!r} is not one of the drivers; copy a name from the table.",
                        question=question)
    if len(set(given)) != 2:
        return Feedback(False, fix="Name exactly two different drivers: a 2x2 has two axes.", question=question)
    if set(given) == set(want):
        right = [f"{axes[0]} and {axes[1]} score highest on impact × uncertainty among the critical uncertainties."]
        fixed = fut.predetermined_elements(drivers)
        if fixed:
            right.append(f"{', '.join(fixed)} belongs in every scenario instead.")
        if isinstance(prediction, str) and prediction.strip():
            verdict = "matched" if normalise(prediction) in want else "did not match"
            right.append(f"Your prediction ({prediction}) {verdict}.")
        return Feedback(True, right=right, question="Are the two truly independent, or does one drive the other?")
    roles = dict(zip(fut.rank_drivers(drivers)["driver"].map(normalise), fut.rank_drivers(drivers)["role"]))
    good = [a for a, g in zip(answer, given) if g in want]
    right = [f"{good[0]} is one of the two axes."] if good else []
    wrong = next(a for a, g in zip(answer, given) if g not in want)
    if roles[normalise(wrong)] == "predetermined":
        fix = f"{wrong} is predetermined (high impact, low uncertainty): it belongs in every scenario, not on an axis."
    else:
        fix = ("Look again at the scores: which other driver has both impact and uncertainty of 4 or more, "
               "with the larger product?")
    return Feedback(False, right=right, fix=fix, question=question)


def robust_option(answer: Any, payoffs: pd.DataFrame | robustness.Payoffs, better: str = "higher",
                  prediction: Any = None) -> Feedback:
    """Check the option named as robust (smallest largest regret)."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be an option name as text, e.g. "B"')
    unit = ""
    if isinstance(payoffs, robustness.Payoffs):
        better, unit, payoffs = payoffs.better, payoffs.unit, payoffs.table
    regrets = robustness.regret_table(payoffs, better)
    best = robustness.minimax_regret(payoffs, better)
    options = {normalise(o): o for o in regrets.index}
    question = f"Which future would make you regret choosing {best} most, and by how much?"
    if normalise(answer) not in options:
        return Feedback(False, fix=f"{answer!r} is not one of the options: {', '.join(regrets.index)}.",
                        question="Which options are on the table?")
    u = f" {unit}" if unit else ""
    if normalise(answer) == normalise(best):
        right = [f"{best}'s largest regret is {regrets.loc[best, 'max regret']:,.4g}{u}, the smallest of any option."]
        if isinstance(prediction, str) and prediction.strip():
            if normalise(prediction) == normalise(best):
                right.append(f"Your prediction ({prediction}) matched.")
            elif normalise(prediction) == normalise(robustness.maximax(payoffs, better)):
                right.append(f"Your prediction ({prediction}) did not match: {prediction} has the best best case, "
                             "which is not the same as holding up everywhere.")
            else:
                right.append(f"Your prediction ({prediction}) did not match.")
        return Feedback(True, right=right, question=question)
    chosen = options[normalise(answer)]
    kept = (isinstance(prediction, str) and not is_placeholder(prediction)
            and normalise(prediction) == normalise(answer))
    return Feedback(False, right=[f"{chosen}'s largest regret is {regrets.loc[chosen, 'max regret']:,.4g}{u}."],
                    fix="For each option, find its largest regret across the futures (how far it falls short of the "
                        "best option there) and take the smallest; a high payoff in one future is not enough."
                        + (" You predicted this option too: was that for its best case or its worst?" if kept
                           else ""),
                    question=f"Which future would make you regret choosing {chosen} most, and by how much?")


def contradicted_scenario(answer: Any, claims: pd.DataFrame, prediction: Any = None) -> Feedback:
    """Check the scenario named as one whose narrative the model contradicts.

    ``claims`` is the table from :func:`stp_helpers.futures.scenarios.check_claims`.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a scenario name as text, e.g. "Perfect storm"')
    if not isinstance(claims, pd.DataFrame) or "holds" not in claims.columns:
        raise TypeError("claims should be the table from scenarios.check_claims(model, futures)")
    failed = claims[~claims["holds"].astype(bool)]
    names = {normalise(s): s for s in claims["scenario"]}
    question = "What in the model's structure makes the story wrong, and would you change the story or the model?"
    if normalise(answer) not in names:
        return Feedback(False, fix=f"{answer!r} is not one of the scenarios: {', '.join(dict.fromkeys(claims['scenario']))}.",
                        question=question)
    if failed.empty:
        return Feedback(False, fix="The model supports every claim here; is this the right set of futures?",
                        question=question)
    hits = failed[failed["scenario"].map(normalise) == normalise(answer)]
    if not hits.empty:
        row = hits.iloc[0]
        right = [f"{row['scenario']} claims \"{row['claim']}\", but the run ends {row['model says']}: "
                 f"{row['variable']} {row['in scenario']:,.1f} against {row['as written']:,.1f} as written."]
        if isinstance(prediction, str) and prediction.strip():
            verdict = "matched" if normalise(prediction) == normalise(answer) else "did not match"
            right.append(f"Your prediction ({prediction}) {verdict}.")
        return Feedback(True, right=right, question=question)
    return Feedback(False, right=[f"The model supports every claim {names[normalise(answer)]} makes."],
                    fix="Read the 'holds' column of the claims table: which row says False?", question=question)


def tree_scenario(answer: Any, tree: fut.Futures | Sequence[fut.Question], answers: Sequence[str],
                  prediction: Any = None) -> Feedback:
    """Check the scenario named for a path of yes/no ``answers`` through a question tree.

    Examples
    --------
    >>> tree_scenario("Icarus", fut.example_tree(), ["yes", "yes", "no"])
    Correct. Yes, yes, no leads to Icarus after 3 questions. What early signs would tell you this path is the one unfolding?
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a scenario name as text, e.g. "Ostrich"')
    reached = fut.walk_tree(tree, answers)
    path = ", ".join(answers)
    question = "What early signs would tell you this path is the one unfolding?"
    if normalise(answer) == normalise(reached):
        right = [f"{path[0].upper() + path[1:]} leads to {reached} after {len(answers)} questions."]
        if isinstance(prediction, str) and prediction.strip():
            verdict = "matched" if normalise(prediction) == normalise(reached) else "did not match"
            right.append(f"Your prediction ({prediction}) {verdict}.")
        return Feedback(True, right=right, question=question)
    leaves = list(fut.tree_paths(tree)["scenario"])
    if normalise(answer) not in {normalise(x) for x in leaves}:
        return Feedback(False, fix=f"{answer!r} is not one of the tree's scenarios: {', '.join(leaves)}.",
                        question=question)
    kept = (isinstance(prediction, str) and not is_placeholder(prediction)
            and normalise(prediction) == normalise(answer))
    return Feedback(False, fix="Start at the first question and follow one answer at a time; "
                               "remember that a 'no' ends its branch."
                               + (" Your answer is your prediction: walk the path to test it." if kept else ""),
                    question=question)


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def _none_if_empty(prediction: Any) -> Any:
    return None if prediction is Ellipsis else prediction


def axes_exercise(drivers: Sequence[fut.Driver], answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "choose the critical uncertainties": tick the two drivers that make the axes."""
    names = [d.driver for d in drivers]
    axes = fut.choose_axes(drivers)
    app = Exercise(
        "critical_uncertainties", lambda a, p: critical_uncertainties(
            sorted(a) if isinstance(a, set) else a, drivers, prediction=_none_if_empty(p)),
        Choices("The two axes", names), f"{axes[0]} and {axes[1]}",
        explanation="The two critical uncertainties with the largest impact × uncertainty make the axes; a driver "
                    "with high impact but low uncertainty is predetermined and belongs in every scenario.",
        predict=Choice("Which driver will head the list?", names),
        title="Tick the two drivers that make the axes of a 2×2.")
    return app.submit(answer, prediction)


def tree_exercise(tree: fut.Futures | Sequence[fut.Question], answers: Sequence[str], answer: Any = ...,
                  prediction: Any = ..., story: str = "") -> Exercise:
    """The app for "follow a path through the question tree": pick the future the answers lead to."""
    leaves = [str(x) for x in dict.fromkeys(fut.tree_paths(tree)["scenario"])]
    reached = fut.walk_tree(tree, answers)
    app = Exercise(
        "tree_scenario", lambda a, p: tree_scenario(a, tree, answers, prediction=_none_if_empty(p)),
        Choice("Future reached", leaves), reached,
        explanation=f"Answering {', '.join(answers)} in turn leads to {reached}; a 'no' ends its branch.",
        predict=Choice("Which future is that?", leaves),
        title=story or f"Walk the tree with the answers {', '.join(answers)}: which future do you reach?")
    return app.submit(answer, prediction)


def robust_exercise(payoffs: robustness.Payoffs, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "find the robust option": the option with the smallest largest regret."""
    table = payoffs.table if isinstance(payoffs, robustness.Payoffs) else payoffs
    better = payoffs.better if isinstance(payoffs, robustness.Payoffs) else "higher"
    names = [str(o) for o in table.index]
    app = Exercise(
        "robust_option", lambda a, p: robust_option(a, payoffs, prediction=_none_if_empty(p)), Choice("Option", names),
        str(robustness.minimax_regret(table, better)),
        explanation="Take each option's largest regret across the scenarios and choose the smallest. The robust "
                    "option may never be the best in any single scenario.",
        predict=Choice("Which would you pick if you had to commit today?", names),
        title="Which option has the smallest largest regret?")
    return app.submit(answer, prediction)


def contradiction_exercise(claims: pd.DataFrame, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "spot a scenario the model contradicts": one of the scenarios."""
    names = list(dict.fromkeys(str(s) for s in claims["scenario"]))
    failed = list(dict.fromkeys(str(s) for s in claims.loc[~claims["holds"].astype(bool), "scenario"]))
    app = Exercise(
        "contradicted_scenario", lambda a, p: contradicted_scenario(a, claims, prediction=_none_if_empty(p)),
        Choice("Scenario", names), ", ".join(failed) or "none",
        explanation="In the housing bottleneck, crises last longer, so people pile up in crisis; but those same people "
                    "are not at risk, so fewer are at risk than today. The story counted the same people twice.",
        predict=Choice("Which story sounds right but may not be?", names),
        title="Which scenario makes a claim its model run does not support?")
    return app.submit(answer, prediction)


#: A briefing on the worked example's six drivers (FUT-T1): for each, what it says about impact and about uncertainty.
DRIVER_BRIEFING: dict[str, tuple[str, str]] = {
    "ageing population": ("every service feels it", "the projections have barely moved in twenty years"),
    "central funding settlement": ("it pays for most of what the partnership does",
                                   "nobody knows whether next year's settlement will be cut or raised"),
    "housing supply": ("when it slips, people stay in crisis longer",
                       "whether the new social housing is built on time depends on builders and interest rates"),
    "digital adoption": ("it would change how some contacts arrive, not whether they are needed",
                         "how quickly residents take up online services is hard to say"),
    "voluntary-sector capacity": ("the partnership leans on them heavily",
                                  "several charities may close or merge, and no one can say which"),
    "severe weather": ("it would add pressure for a few weeks", "a severe winter or a flood could come in any year"),
}


def driver_scores(answer: Any, drivers: Sequence[fut.Driver], *, prediction: Any = ...) -> Feedback:
    """Check a learner's impact and uncertainty scores (1–5) for each driver, read from :data:`DRIVER_BRIEFING`.

    A score within one point of the worked example's counts: scoring is a judgement, and
    the check asks only that it follows the briefing.  ``prediction`` is the driver the
    learner expected to be the most critical uncertainty.

    Examples
    --------
    >>> drivers = fut.example_drivers()
    >>> driver_scores({d.driver: (d.impact, d.uncertainty) for d in drivers}, drivers).passed
    True
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, dict):
        raise TypeError('answer should be a dict of driver → (impact, uncertainty), e.g. {"housing supply": (4, 4)}')
    known = {normalise(d.driver): d for d in drivers}
    given: dict[str, tuple[int, int]] = {}
    for key, value in answer.items():
        driver = known.get(normalise(key))
        if driver is None:
            return Feedback(False, fix=f"{key!r} is not one of the drivers: {', '.join(d.driver for d in drivers)}.")
        try:
            impact, uncertainty = (int(float(v)) for v in value)
        except (TypeError, ValueError):
            return Feedback(False, fix=f"{driver.driver}: give two whole numbers from 1 to 5, impact then uncertainty.")
        given[driver.driver] = (impact, uncertainty)
    close = sum(abs(given[d.driver][0] - d.impact) <= 1 and abs(given[d.driver][1] - d.uncertainty) <= 1
                for d in drivers if d.driver in given)
    right = [f"{close} of {len(drivers)} drivers scored as the briefing reads."]
    for d in drivers:
        if d.driver not in given:
            return Feedback(False, right, f"You have not scored {d.driver} yet.", "What would it change, and how sure is anyone?")
        impact, uncertainty = given[d.driver]
        cue_impact, cue_uncertainty = DRIVER_BRIEFING.get(d.driver, ("", ""))
        if abs(impact - d.impact) > 1:
            return Feedback(False, right, f"{d.driver}: you gave impact {impact}; the briefing says {cue_impact!r}.",
                            f"How much of what the partnership does would {d.driver} change?")
        if abs(uncertainty - d.uncertainty) > 1:
            return Feedback(False, right, f"{d.driver}: you gave uncertainty {uncertainty}; the briefing says "
                            f"{cue_uncertainty!r}.", "Could you say today which way it will go?")
    top = max(drivers, key=lambda d: given[d.driver][0] * given[d.driver][1])
    said = str(prediction).strip() if not is_placeholder(prediction) and str(prediction).strip() else None
    note = None if said is None else (
        f"You predicted {said} as the most critical uncertainty, and your scores put it first. What told you?"
        if normalise(said) == normalise(top.driver) else
        f"You predicted {said} as the most critical uncertainty; your scores put {top.driver} first. Which cue did you weigh differently?")
    return Feedback(True, right, None, note or "Which driver scored high on impact but low on uncertainty, and where "
                    "does it belong in the scenarios?")


def scores_exercise(drivers: Sequence[fut.Driver], answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "score the drivers from the briefing": impact and uncertainty, 1 to 5, per driver."""
    def check(given: Any, said: Any) -> Feedback:
        if isinstance(given, dict):
            given = {k: v for k, v in given.items() if all(v)}
        return driver_scores(given or ..., drivers, prediction=said)

    scale = ("1", "2", "3", "4", "5")
    app = Exercise(
        "driver_scores", check,
        Table("Scores from the briefing", [Column("impact", scale), Column("uncertainty", scale)],
              row_names=[d.driver for d in drivers]),
        "; ".join(f"{d.driver}: impact {d.impact}, uncertainty {d.uncertainty}" for d in drivers),
        explanation="Impact is how much of the system a driver would change; uncertainty is how little anyone can say "
                    "today about which way it will go. A driver with high impact and low uncertainty is predetermined.",
        predict=Choice("Which will be the most critical uncertainty?", [d.driver for d in drivers]),
        title="Score each driver's impact and uncertainty from 1 to 5, from the briefing above.")
    return app.submit(answer, prediction)
