"""Formative checks for the stakeholder and CSH notebooks, and their exercise apps.

Each check calls the method's own functions and puts the first difference
into words, with a hint rather than the answer, and sets the prediction beside
the result.  Answers are read by the one matcher: "manage closely" and "key
player" are the key-players quadrant; "Definitive stakeholder" is definitive;
"power" is Ulrich's source of control.

Examples
--------
>>> quadrants(..., None)
Your turn: fill in the cell above, then run this one.
>>> salience_classes({"Tenants": "dangerous"}, {"Tenants": {"legitimacy", "urgency"}})
Not yet. 0 of 1 classes right. Tenants: you have dangerous; it holds legitimacy and urgency, so look up that pair in the salience table. Who has the power to press their claim for them?
>>> salience_classes({"Tenants": "Dependent stakeholders"}, {"Tenants": {"legitimacy", "urgency"}})
Correct. 1 of 1 classes right. Which of these could gain power through others, and who would that be?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stp_helpers import stakeholders
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Column, Number, ShortText, Table
from stp_helpers.checks.matching import CSH_SOURCE, MENDELOW, SALIENCE, YES_NO, canonical
from stp_helpers.checks.prediction import choice_note, count_note, own_count_note
from stp_helpers.stakeholders import csh
from stp_helpers.stakeholders.register import Register

__all__ = ["quadrants", "salience_classes", "broker", "csh_sources", "witness",
           "quadrant_exercise", "salience_exercise", "broker_exercise", "sources_exercise",
           "witness_exercise", "WILTSHIRE_AGENCIES", "WITNESS_WORDS"]


def _need_mapping(answer: Any, example: str) -> None:
    if not isinstance(answer, Mapping):
        raise TypeError(f"answer should be a dict, e.g. {example}")


def _named(answer: Mapping[Any, Any], names: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """Answer keys matched to the names asked about (case, articles, plurals aside); unknown keys listed."""
    lookup = {canonical(n): n for n in names}
    found, unknown = {}, []
    for key, value in answer.items():
        name = lookup.get(canonical(key))
        if name is None:
            unknown.append(str(key))
        else:
            found[name] = value
    return found, unknown


def quadrants(answer: Any, register: Register | None, *, prediction: Any = ...) -> Feedback:
    """Check a learner's quadrant for each stakeholder of a register (rule MEN).

    Parameters
    ----------
    answer : dict or ...
        Stakeholder name → quadrant or its approach ("key players" or "manage closely",
        "keep satisfied", "keep informed", "monitor").
    register : Register
        The register whose latest snapshot is asked about.
    prediction : int or ...
        How many key players the learner expected.

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
    named, unknown = _named(answer, table.index)
    if unknown:
        return Feedback(False, [], f"{unknown[0]!r} is not in the register; the names are {', '.join(table.index)}.")
    given = {n: MENDELOW.match(v) or str(v).strip() for n, v in named.items()}
    right = sum(given.get(n) == q for n, q in table["quadrant"].items())
    summary = f"{right} of {len(table)} quadrants right."
    for name, row in table.iterrows():
        mine = given.get(name)
        if mine is None:
            return Feedback(False, [summary], f"You have not placed {name} yet.",
                            "Is its power at or above 0.5? Its interest?")
        if mine != row["quadrant"]:
            note = own_count_note(prediction, sum(v == "key players" for v in given.values()), "key player")
            return Feedback(False, [summary], f"{name}: you have {mine!r}; its power is {row['power']:g} and its "
                            f"interest {row['interest']:g}, and 0.5 or more counts as high." + (f" {note}" if note else ""),
                            "Which scores would you argue with?")
    note = count_note(prediction, int((table["quadrant"] == "key players").sum()), "key player")
    return Feedback(True, [summary], None, note or "Which stakeholder would you expect to move quadrant next, and why?")


def salience_classes(answer: Any, attributes: Mapping[str, Iterable[str]], *, prediction: Any = ...) -> Feedback:
    """Check a learner's salience class for each stakeholder given the attributes it holds (rule SAL).

    ``prediction`` is the stakeholder the learner expected to be definitive.
    """
    if is_placeholder(answer):
        return your_turn()
    _need_mapping(answer, '{"Tenants": "dependent"}')
    expected = {k: stakeholders.salience_class(v) for k, v in attributes.items()}
    named, unknown = _named(answer, expected)
    if unknown:
        return Feedback(False, [], f"{unknown[0]!r} is not one of {', '.join(expected)}.")
    given = {n: SALIENCE.match(v) or str(v).strip() for n, v in named.items()}
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
    definitive = [k for k, v in expected.items() if v == "definitive"]
    note = choice_note(prediction, definitive[0], "the definitive stakeholder",
                       "Which attribute did you not expect it to hold?") if definitive else None
    return Feedback(True, [summary], None, note or "Which of these could gain power through others, and who would that be?")


def broker(answer: Any, register: Register, *, prediction: Any = ...) -> Feedback:
    """Check the learner's choice of the stakeholder who brokers most (highest betweenness)."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a stakeholder name, e.g. "Commissioners".')
    graph = stakeholders.influence_network(register)
    ranking = stakeholders.rank_influence(graph).set_index("name")
    found = stakeholders.brokers(graph)
    name = next((n for n in ranking.index if canonical(n) == canonical(answer)), None)
    if name is None:
        return Feedback(False, [], f"{answer!r} is not in the network; the names are {', '.join(ranking.index)}.")
    if found and name == found[0]:
        note = choice_note(prediction, name, "the broker", f"What made {str(prediction).strip()} look central?")
        return Feedback(True, [f"{name} sits on more shortest influence routes than anyone else "
                               f"(betweenness {ranking.loc[name, 'betweenness']:.3f})."], None,
                        note or "What happens to the others' influence if this broker stops passing it on?")
    if ranking.loc[name, "broker"]:
        return Feedback(False, [f"{name} is a broker."], "Another stakeholder sits on more routes between "
                        "others: for each pair, follow the shortest chain of influence and count who is in the middle.",
                        "Reach and brokerage differ: which matters here?")
    return Feedback(False, [], f"{name} sits on no route between two others. Look for someone who passes "
                    "influence on: an arrow in and an arrow out.", None)


_SOURCE_HINTS = {"motivation": "whom the system serves, its purpose and how success is measured",
                 "control": "who decides and over what resources",
                 "knowledge": "who counts as expert and what assures success",
                 "legitimacy": "about those affected but not involved"}


def csh_sources(answer: Any, *, prediction: Any = ...) -> Feedback:
    """Check a sorting of the twelve questions into the four sources of influence.

    ``answer`` maps each source (any of its names, e.g. "power" for control) to its
    question numbers, or each question number to its source.  ``prediction`` is the
    source the learner expected to hold the witness question (10).
    """
    if is_placeholder(answer):
        return your_turn()
    _need_mapping(answer, '{"motivation": [1, 2, 3], ...}')
    expected = {s: sorted(q.number for q in csh.QUESTIONS if q.source == s) for s in csh.SOURCES}
    given: dict[str, list[int]] = {}
    for key, value in answer.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            source = CSH_SOURCE.match(key)
            if source is None:
                return Feedback(False, [], f"{key!r} is not one of Ulrich's four sources: {', '.join(csh.SOURCES)}.")
            given.setdefault(source, []).extend(int(n) for n in value)
        else:
            source = CSH_SOURCE.match(value)
            if source is None:
                return Feedback(False, [], f"Question {key}: {value!r} is not one of Ulrich's four sources: "
                                f"{', '.join(csh.SOURCES)}.")
            given.setdefault(source, []).append(int(key))
    given = {k: sorted(v) for k, v in given.items()}
    right = sum(given.get(s) == nums for s, nums in expected.items())
    summary = f"{right} of 4 sources right."
    for source, numbers in expected.items():
        if given.get(source) != numbers:
            return Feedback(False, [summary], f"Look again at {source}: which questions ask "
                            f"{_SOURCE_HINTS[source]}?", "Which source is most often left unasked?")
    note = choice_note(CSH_SOURCE.match(prediction) or prediction, "legitimacy",
                       "the source of the witness question", "What did you take a witness to be?")
    return Feedback(True, [summary], None, note or "Questions 10 to 12 concern those affected but not involved: "
                    "who are they in your case?")


#: The decision-making agencies of the Wiltshire CSH answers (seed 000): a witness is none of them.
WILTSHIRE_AGENCIES = ("council leadership", "council", "children's services", "housing services", "housing",
                      "police", "agency", "agencies", "agency managers", "managers", "commissioners",
                      "benefits and DWP", "DWP", "primary health", "mental health services",
                      "ambulance and hospital", "partnership board", "professionals", "local authority")
#: Words that name those affected, or someone independent who speaks for them.
WITNESS_WORDS = ("lived experience", "advocate", "advocacy", "people with complex needs", "service user",
                 "people using services", "peer", "carer", "family", "Healthwatch", "ombudsman", "charity",
                 "refuge", "voluntary", "community", "survivor", "expert by experience", "resident", "user led")


def _mentions(text: str, terms: Iterable[str]) -> str | None:
    words = f" {canonical(text)} "
    return next((t for t in terms if f" {canonical(t)} " in words), None)


def witness(answer: Any, decision_maker: str, *, agencies: Iterable[str] = (), affected: Iterable[str] = WITNESS_WORDS,
            prediction: Any = ...) -> Feedback:
    """Check a proposed witness (question 10) against the decision-makers (question 4): rule CSH-3.

    Parameters
    ----------
    answer : str or ...
        Who ought to be the witness.
    decision_maker : str
        The answer to question 4 ("ought"): who ought to be in control.
    agencies : iterable of str
        The decision-making agencies of the case, each a reason to say "not yet".
    affected : iterable of str
        Words that name those affected, or someone independent who speaks for them.
    prediction : str or ...
        "yes" or "no": whether the learner expected the agencies to be a good witness.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be text, e.g. "An independent advocate".')
    if not answer.strip():
        return Feedback(False, [], "Name someone: a witness who is blank speaks for nobody.")
    record = csh.build_csh({"check": {4: (decision_maker, decision_maker), 10: (answer, answer)}})
    agency = _mentions(answer, agencies)
    if agency is not None or not csh.check_csh(record).query("rule == 'CSH-3'").empty:
        return Feedback(False, [], f"{answer.strip()!r} is among those in control: question 4 puts control with "
                        f"{decision_maker.strip().lower()}. A witness speaks for those affected but not involved, "
                        "from outside that group.", "Who lives with the results of these decisions without taking them?")
    if _mentions(answer, affected) is None:
        return Feedback(False, [f"{answer.strip()} is not one of the decision-makers."],
                        "Say whose experience this witness brings: name a group of people affected, or someone "
                        "independent who speaks for them.", None)
    said = YES_NO.match(prediction)
    note = ("You predicted the agencies could be the witness; you chose someone outside them. What would the "
            "agencies miss?" if said == "yes" else
            "You predicted the agencies would not do, and you chose someone outside them. What can this witness "
            "see that the agencies cannot?" if said == "no" else None)
    return Feedback(True, [f"{answer.strip()} speaks for those affected, from outside {decision_maker.strip().lower()}."],
                    None, note or "How would this witness hear from the people affected, and who chooses the witness?")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

_QUADRANTS = ("key players", "keep satisfied", "keep informed", "monitor")


def quadrant_exercise(register: Register, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "place the stakeholders on the grid": one quadrant per stakeholder."""
    table = stakeholders.grid_table(register)
    names = list(table["name"])
    model = "; ".join(f"{n}: {q}" for n, q in zip(table["name"], table["quadrant"]))
    app = Exercise(
        "quadrants", lambda a, p: quadrants(a, register, prediction=p),
        Table("Quadrant of each stakeholder", [Column("quadrant", _QUADRANTS)], row_names=names), model,
        explanation="Power and interest each count as high at 0.5 or more; key players hold both.",
        predict=Number("Key players you expect", units=f"of {len(names)}", integer=True),
        title="Place each stakeholder in Mendelow's grid (by its power and interest scores).")
    return app.submit(answer, prediction)


def salience_exercise(attributes: Mapping[str, Iterable[str]], answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "classify salience": one class per stakeholder, from the attributes described."""
    names = list(attributes)
    classes = tuple(SALIENCE.keys())
    model = "; ".join(f"{n}: {stakeholders.salience_class(v)}" for n, v in attributes.items())
    app = Exercise(
        "salience_classes", lambda a, p: salience_classes(a, attributes, prediction=p),
        Table("Salience class of each stakeholder", [Column("class", classes)], row_names=names), model,
        explanation="Power, legitimacy and urgency together make a definitive stakeholder; legitimacy and urgency "
                    "without power make a dependent one, whose claim reaches decisions only through others.",
        predict=Choice("Which one is definitive?", names),
        title="Give each stakeholder its Mitchell–Agle–Wood salience class.")
    return app.submit(answer, prediction)


def broker_exercise(register: Register, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "find the broker": pick a stakeholder of the influence network."""
    names = sorted(stakeholders.rank_influence(stakeholders.influence_network(register))["name"])
    top = stakeholders.brokers(stakeholders.influence_network(register))
    app = Exercise(
        "broker", lambda a, p: broker(a, register, prediction=p),
        Choice("The broker", names), top[0] if top else "none",
        explanation="The broker sits on the most shortest routes of influence between others (betweenness).",
        predict=Choice("Who do you expect?", names),
        title="Which stakeholder passes influence between most others?")
    return app.submit(answer, prediction)


def sources_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "sort the twelve questions into their sources"."""
    rows = [f"{q.number}. {q.is_text}" for q in csh.QUESTIONS]
    model = "; ".join(f"{s}: {', '.join(str(q.number) for q in csh.QUESTIONS if q.source == s)}" for s in csh.SOURCES)
    app = Exercise(
        "csh_sources", lambda a, p: csh_sources(a, prediction=p),
        Table("Source of each question", [Column("source", tuple(csh.SOURCES))], row_names=rows,
              row_keys=[q.number for q in csh.QUESTIONS]), model,
        explanation="Each source has three questions: a social role (beneficiary, decision-maker, expert, witness), "
                    "a role-specific concern and a key problem.",
        predict=Choice("Which source holds the witness question?", list(csh.SOURCES)),
        title="Sort Ulrich's twelve boundary questions into the four sources of influence.")
    return app.submit(answer, prediction)


def witness_exercise(decision_maker: str, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "name a witness for Wiltshire": short text, checked against the decision-making agencies."""
    app = Exercise(
        "witness", lambda a, p: witness(a, decision_maker, agencies=WILTSHIRE_AGENCIES, prediction=p),
        ShortText("Witness", placeholder="who ought to be the witness?"),
        "People with lived experience and independent advocates",
        explanation="A witness independent of the agencies can say what the system does to people that the "
                    "agencies cannot see from inside it.",
        predict=Choice("Would the agencies themselves be a good witness?", ["yes", "no"]),
        title="Propose a witness (question 10) who speaks for those affected but not involved.")
    return app.submit(answer, prediction)
