"""Formative checks for the stakeholder and CSH notebooks.

Each check calls the method's own functions and puts the first difference
into words, with a hint rather than the answer.

Examples
--------
>>> quadrants(..., None)
Your turn: fill in the cell above, then run this one.
>>> salience_classes({"Tenants": "dangerous"}, {"Tenants": {"legitimacy", "urgency"}})
Not yet. 0 of 1 classes right. Tenants: you have dangerous; it holds legitimacy and urgency, so look up that pair in the salience table. Who has the power to press their claim for them?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stp_helpers import stakeholders
from stp_helpers.stakeholders import csh
from stp_helpers.checks import Feedback, is_placeholder, normalise, your_turn
from stp_helpers.stakeholders.register import Register

__all__ = ["quadrants", "salience_classes", "broker", "csh_sources", "largest_gap", "witness"]


def _need_mapping(answer: Any, example: str) -> None:
    if not isinstance(answer, Mapping):
        raise TypeError(f"answer should be a dict, e.g. {example}")


def quadrants(answer: Any, register: Register | None) -> Feedback:
    """Check a learner's quadrant for each stakeholder of a register (rule MEN).

    Parameters
    ----------
    answer : dict or ...
        Stakeholder name → quadrant ("key players", "keep satisfied", "keep informed", "monitor").
    register : Register
        The register whose latest snapshot is asked about.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a dict or ``register`` is not a Register.
    """
    if is_placeholder(answer):
        return your_turn()
    _need_mapping(answer, '{"Commissioners": "key players"}')
    if not isinstance(register, Register):
        raise TypeError("register should be a stakeholder Register.")
    table = stakeholders.grid_table(register).set_index("name")
    given = {str(k).strip(): normalise(v) for k, v in answer.items()}
    right = sum(given.get(n) == q for n, q in table["quadrant"].items())
    summary = f"{right} of {len(table)} quadrants right."
    for name in given:
        if name not in table.index:
            return Feedback(False, [summary], f"{name!r} is not in the register; the names are "
                            f"{', '.join(table.index)}.")
    for name, row in table.iterrows():
        mine = given.get(name)
        if mine is None:
            return Feedback(False, [summary], f"You have not placed {name} yet.",
                            "Is its power at or above 0.5? Its interest?")
        if mine != row["quadrant"]:
            return Feedback(False, [summary], f"{name}: you have {mine!r}; its power is {row['power']:g} and its "
                            f"interest {row['interest']:g}, and 0.5 or more counts as high.",
                            "Which scores would you argue with?")
    return Feedback(True, [summary], None, "Which stakeholder would you expect to move quadrant next, and why?")


def salience_classes(answer: Any, attributes: Mapping[str, Iterable[str]]) -> Feedback:
    """Check a learner's salience class for each stakeholder given the attributes it holds (rule SAL)."""
    if is_placeholder(answer):
        return your_turn()
    _need_mapping(answer, '{"Tenants": "dependent"}')
    expected = {k: stakeholders.salience_class(v) for k, v in attributes.items()}
    given = {str(k).strip(): normalise(v) for k, v in answer.items()}
    right = sum(given.get(k) == v for k, v in expected.items())
    summary = f"{right} of {len(expected)} classes right."
    for name, klass in expected.items():
        mine = given.get(name)
        if mine != klass:
            held = sorted(attributes[name])
            words = " and ".join(held) if held else "no attribute"
            what = "you have not classified it yet" if mine is None else f"you have {mine}"
            return Feedback(False, [summary], f"{name}: {what}; it holds {words}, so look up "
                            f"{'that pair' if len(held) == 2 else 'that row'} in the salience table.",
                            "Who has the power to press their claim for them?")
    return Feedback(True, [summary], None, "Which of these could gain power through others, and who would that be?")


def broker(answer: Any, register: Register) -> Feedback:
    """Check the learner's choice of the stakeholder who brokers most (highest betweenness)."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a stakeholder name, e.g. "Commissioners".')
    graph = stakeholders.influence_network(register)
    ranking = stakeholders.rank_influence(graph).set_index("name")
    found = stakeholders.brokers(graph)
    name = next((n for n in ranking.index if n.casefold() == answer.strip().casefold()), None)
    if name is None:
        return Feedback(False, [], f"{answer!r} is not in the network; the names are {', '.join(ranking.index)}.")
    if found and name == found[0]:
        return Feedback(True, [f"{name} sits on more shortest influence routes than anyone else "
                               f"(betweenness {ranking.loc[name, 'betweenness']:.3f})."], None,
                        "What happens to the others' influence if this broker stops passing it on?")
    if ranking.loc[name, "broker"]:
        return Feedback(False, [f"{name} is a broker."], "Another stakeholder sits on more routes between "
                        "others: compare the betweenness column.", "Reach and brokerage differ: which matters here?")
    return Feedback(False, [], f"{name} sits on no route between two others. Look for someone who passes "
                    "influence on: an arrow in and an arrow out.", None)


def csh_sources(answer: Any) -> Feedback:
    """Check a learner's sorting of the twelve questions into the four sources of influence."""
    if is_placeholder(answer):
        return your_turn()
    _need_mapping(answer, '{"motivation": [1, 2, 3], ...}')
    expected = {s: sorted(q.number for q in csh.QUESTIONS if q.source == s) for s in csh.SOURCES}
    given = {str(k).strip().lower(): sorted(int(n) for n in v) for k, v in answer.items()}
    right = sum(given.get(s) == nums for s, nums in expected.items())
    summary = f"{right} of 4 sources right."
    for source, numbers in expected.items():
        if given.get(source) != numbers:
            return Feedback(False, [summary], f"Look again at {source}: which questions ask "
                            f"{_SOURCE_HINTS[source]}?", "Which source is most often left unasked?")
    return Feedback(True, [summary], None, "Questions 10 to 12 concern those affected but not involved: who are "
                    "they in your case?")


_SOURCE_HINTS = {"motivation": "whom the system serves, its purpose and how success is measured",
                 "control": "who decides and over what resources",
                 "knowledge": "who counts as expert and what assures success",
                 "legitimacy": "about those affected but not involved"}


def largest_gap(answer: Any, record: csh.CshRecord, group: str, smallest: bool = False) -> Feedback:
    """Check the learner's question number for one group's largest (or smallest) is/ought gap; ties all count."""
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise TypeError("answer should be a question number from 1 to 12, e.g. 3")
    word = "smallest" if smallest else "largest"
    table = csh.answers_table(record, group)
    top = table["gap"].min() if smallest else table["gap"].max()
    best = table.loc[table["gap"] == top, "number"].tolist()
    mine = table.loc[table["number"] == answer, "gap"]
    if answer in best:
        also = [f"Q{n}" for n in best if n != answer]
        tie = f" ({', '.join(also)} ties with it)" if also else ""
        return Feedback(True, [f"Q{answer} has the {word} gap for {group} ({top:.2f}){tie}."], None,
                        "Is a gap in words a gap in values? Read both answers again.")
    if mine.empty:
        return Feedback(False, [], "Question numbers run from 1 to 12.")
    return Feedback(False, [f"Q{answer} has a gap of {float(mine.iloc[0]):.2f}."],
                    f"Another question's is and ought answers share {'more' if smallest else 'fewer'} words: "
                    "sort the gap column.", None)


def witness(answer: Any, decision_maker: str) -> Feedback:
    """Check a proposed witness (question 10) against the decision-maker (question 4): rule CSH-3."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be text, e.g. "An independent advocate".')
    if not answer.strip():
        return Feedback(False, [], "Name someone: a witness who is blank speaks for nobody.")
    record = csh.build_csh({"check": {4: (decision_maker, decision_maker), 10: (answer, answer)}})
    if not csh.check_csh(record).query("rule == 'CSH-3'").empty:
        return Feedback(False, [], f"{answer!r} is the decision-maker again. Who speaks for those affected "
                        "but not involved, from outside the group in control?", None)
    return Feedback(True, [f"{answer} is not the decision-maker ({decision_maker})."], None,
                    "How would this witness hear from the people affected, and who chooses the witness?")
