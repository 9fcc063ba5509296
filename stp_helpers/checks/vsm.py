"""Formative checks for the Viable System Model exercises.

Each check is thin: it calls :func:`stp_helpers.vsm.diagnosis.diagnose` or
compares with a case's description, and puts the first difference into
words, with a hint rather than the answer.  A ``...`` answer returns
:func:`your_turn`.

Examples
--------
>>> from stp_helpers.vsm.model import build_description
>>> desc = build_description("T", [("a", "A", "people")], bodies=[("b", "Board", ["S3", "S4", "S5"])],
...                          channels=[("resource-bargain", "b", "a")])
>>> pathologies(..., desc)
Your turn: fill in the cell above, then run this one.
>>> pathologies(["VSM-4"], desc)
Not yet. You found 1 of 4 pathologies. One is missing: does anything show the S4 looking outside (a channel to the environment)? Which of the missing ones would the people who work there recognise first?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Choices, Column, Form, Number, ShortText, Table
from stp_helpers.checks.prediction import choice_note, count_note
from stp_helpers.vsm.model import SYSTEMS, VsmDescription, add_coordination
from stp_helpers.vsm.diagnosis import RULES, diagnose, rule_for

__all__ = ["pathologies", "system_roles", "coordination", "pathology_exercise", "roles_exercise",
           "coordination_exercise"]

#: A hint per rule: where to look, never the rule id.
HINTS: dict[str, str] = {
    "VSM-1": "does every System 1 unit face an environment?",
    "VSM-2": "which units share people or resources, and what keeps them in step?",
    "VSM-3": "does every unit have a resource bargain with System 3?",
    "VSM-4": "who checks operations directly, rather than through the units' own reports?",
    "VSM-5": "does anything show the S4 looking outside (a channel to the environment)?",
    "VSM-6": "which body holds policy, and what else does it do?",
    "VSM-7": "where do System 3 and System 4 talk to each other?",
    "VSM-8": "how would an alarm from the front line reach policy, and how fast?",
    "VSM-9": "how are units kept in step if there is no System 2?",
    "VSM-10": "is every management body connected to some operation?",
    "VSM-12": "compare the variety arriving with the responses available.",
}


def _need_description(desc: Any, what: str = "desc") -> None:
    if not isinstance(desc, VsmDescription):
        raise TypeError(f"{what} should be a VSM description (vsm.VsmDescription), not {type(desc).__name__}.")


def _rule_id(text: Any) -> str:
    named = rule_for(str(text))  # a rule id or the pathology's name
    if named:
        return named
    words = str(text).strip().upper().replace(" ", "-").replace("_", "-")
    if words.isdigit():
        words = f"VSM-{words}"
    return words.replace("VSM--", "VSM-")


def pathologies(answer: Any, desc: VsmDescription, *, prediction: Any = None) -> Feedback:
    """Check the pathology rule ids a learner finds in a description.

    Parameters
    ----------
    answer : iterable of str or ...
        Rule ids such as ``["VSM-4", "VSM-8"]`` (warnings such as VSM-11 are ignored).
    desc : VsmDescription
        The description diagnosed.
    prediction : int, optional
        How many pathologies the learner predicted.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a list of rule ids or ``desc`` not a description.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise TypeError('answer should be a list of rule ids, e.g. ["VSM-4", "VSM-8"].')
    _need_description(desc)
    given = {_rule_id(a) for a in answer} - {"VSM-11"}
    unknown = sorted(r for r in given if r not in RULES)
    found = diagnose(desc)
    expected = found.rules()
    right_count = len(given & set(expected))
    right = [f"You found {right_count} of {len(expected)} patholog{'y' if len(expected) == 1 else 'ies'}."]
    if unknown:
        return Feedback(False, right, f"{unknown[0]} is not a rule of the checklist (VSM-1 to VSM-13) or a pathology's name.", None)
    missing = [r for r in expected if r not in given]
    extra = sorted((r for r in given if r not in expected), key=lambda r: int(r.split("-")[1]))
    if missing:
        return Feedback(False, right, f"One is missing: {HINTS[missing[0]]}",
                        "Which of the missing ones would the people who work there recognise first?")
    if extra:
        return Feedback(False, right, f"{extra[0]} ({RULES[extra[0]][0].lower()}) does not fire here: look "
                        "again at what the description records for it.", None)
    first = next(f for f in found if f.severity == "pathology")
    note = count_note(prediction, len(expected), "pathology")
    return Feedback(True, right, None, note or f"Which would you raise first, and how? For {first.rule}: {first.question}")


def system_roles(answer: Any, desc: VsmDescription, system: str | None = None, *, prediction: Any = ...) -> Feedback:
    """Check which systems (S2–S5, S3*) a learner assigns to each body of a description.

    Parameters
    ----------
    answer : dict or ...
        Body id → list of systems, e.g. ``{"board": ["S3", "S5"]}``.
    desc : VsmDescription
        The reference description.
    system : str, optional
        System id (default: the system in focus).
    prediction : str or ...
        The system the learner expected no body to perform.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a dict or ``desc`` not a description.

    Examples
    --------
    >>> from stp_helpers.vsm.model import build_description
    >>> desc = build_description("T", [("a", "A", "e")], bodies=[("b", "Board", ["S3", "S5"])])
    >>> system_roles({"b": ["S3"]}, desc)
    Not yet. 0 of 1 bodies right. Board: you have S3; does it also set identity and policy? What does that overlap mean for the diagnosis?
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError('answer should be a dict of body id → systems, e.g. {"board": ["S3", "S5"]}.')
    _need_description(desc)
    target = desc.system(system)
    names = {b.name.casefold(): b.id for b in target.bodies}
    given: dict[str, set[str]] = {}
    for key, value in answer.items():
        bid = names.get(str(key).casefold(), str(key))
        items = [value] if isinstance(value, str) else list(value) if value is not ... else []
        given[bid] = {str(s).strip().upper() for s in items}
    unknown = [k for k in given if k not in {b.id for b in target.bodies}]
    correct = sum(given.get(b.id) == set(b.systems) for b in target.bodies)
    right = [f"{correct} of {len(target.bodies)} bodies right."]
    if unknown:
        return Feedback(False, right, f"There is no body {unknown[0]!r}; the bodies are "
                        f"{', '.join(b.id for b in target.bodies)}.", None)
    does = {"S2": "coordinate the units", "S3": "allocate resources and agree performance",
            "S3*": "audit operations directly", "S4": "look outside and ahead",
            "S5": "set identity and policy"}
    for body in target.bodies:
        mine = given.get(body.id)
        if mine is None:
            return Feedback(False, right, f"You have not given {body.name} any system yet.",
                            "What does it do: coordinate, control, audit, scan or set policy?")
        bad = sorted(mine - set(SYSTEMS))
        if bad:
            return Feedback(False, right, f"{bad[0]} is not one of {', '.join(SYSTEMS)}.", None)
        if mine != set(body.systems):
            shown = ", ".join(sorted(mine)) or "nothing"
            lacking = [s for s in body.systems if s not in mine]
            extra = sorted(mine - set(body.systems))
            hint = (f"does it also {does[lacking[0]]}?" if lacking else f"does it really {does[extra[0]]}?")
            return Feedback(False, right, f"{body.name}: you have {shown}; {hint}",
                            "What does that overlap mean for the diagnosis?" if lacking else None)
    held = {sys for body in target.bodies for sys in body.systems}
    absent = [sys for sys in SYSTEMS if sys != "S1" and sys not in held]
    note = (choice_note(str(prediction).strip().upper() if not is_placeholder(prediction) else prediction,
                        ", ".join(absent), "the system no body performs", "What in the description suggested it?")
            if absent else None)
    return Feedback(True, right, None, note or "Which system has no body at all, and what would that mean?")


def coordination(redesign: Any, original: VsmDescription, system: str | None = None, *,
                 prediction: Any = ...) -> Feedback:
    """Check that a redesign adds System 2 so that VSM-2 no longer fires, adding no new pathology.

    Parameters
    ----------
    redesign : VsmDescription or ...
        The learner's description (e.g. from :func:`stp_helpers.vsm.model.add_coordination`).
    original : VsmDescription
        The description before the change.
    system : str, optional
        System id (default: the system in focus).
    prediction : str or ...
        The rule, besides VSM-2, the learner expected to stop firing.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        Either argument is not a description.
    """
    if is_placeholder(redesign):
        return your_turn()
    _need_description(redesign, "redesign")
    _need_description(original, "original")
    sid = original.system(system).id
    before = diagnose(original, sid)
    after = diagnose(redesign, redesign.system(sid).id)
    pairs_before = sum(f.rule == "VSM-2" for f in before)
    pairs_after = sum(f.rule == "VSM-2" for f in after)
    right = [f"Uncoordinated pairs of units: {pairs_before} before, {pairs_after} after."]
    new = [r for r in after.rules() if r not in before.rules()]
    if new:
        return Feedback(False, right, f"The change adds {new[0]} ({RULES[new[0]][0].lower()}).", None)
    if pairs_after:
        left = next(f for f in after if f.rule == "VSM-2")
        return Feedback(False, right, f"Still uncoordinated: {left.evidence.split(' interact')[0]}. "
                        "Which units does your mechanism reach?", None)
    gone = [r for r in before.rules() if r not in after.rules()]
    others = [r for r in gone if r != "VSM-2"]
    said = _rule_id(prediction) if not is_placeholder(prediction) and str(prediction).strip() else None
    note = None if said is None or not others else (
        f"You predicted {said} would also stop firing, and it does. What told you?" if said in others else
        f"You predicted {said} would also stop firing; {', '.join(others)} did instead. What links it to coordination?")
    return Feedback(True, right + [f"Gone: {', '.join(gone)}."], None,
                    note or "Who would run this mechanism, and how would the agencies' staff know it serves them "
                    "rather than commands them?")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

_RULE_IDS = tuple(r for r in RULES if r != "VSM-11")


def pathology_exercise(desc: VsmDescription, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "diagnose the described organisation": tick the pathologies it shows."""
    expected = diagnose(desc).rules()
    app = Exercise(
        "pathologies", lambda a, p: pathologies(a, desc, prediction=p),
        Choices("Pathologies", [f"{r}: {RULES[r][0]}" for r in _RULE_IDS], as_type=lambda text: text.split(":")[0]),
        ", ".join(expected),
        explanation="Each fires on what the description records, or leaves out: an audit, a System 4, a body doing both "
                    "control and policy, an alarm route.",
        predict=Number("Pathologies you expect", units=f"of {len(_RULE_IDS)}", integer=True),
        title="Tick every pathology the description above shows.")
    return app.submit(answer, prediction)


def roles_exercise(desc: VsmDescription, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "map the bodies to systems": the systems each body performs, comma separated."""
    bodies = desc.system(None).bodies

    def check(given: Any, said: Any) -> Feedback:
        if isinstance(given, Mapping):
            given = {k: [x for x in str(v).replace(";", ",").split(",") if x.strip()] if isinstance(v, str) else v
                     for k, v in given.items()}
        return system_roles(given, desc, prediction=said)

    app = Exercise(
        "system_roles", check, Table("Systems each body performs", [Column("systems (e.g. S3, S4)")],
                                     row_names=[b.name for b in bodies], row_keys=[b.id for b in bodies]),
        "; ".join(f"{b.id}: {', '.join(b.systems)}" for b in bodies),
        explanation="Assurance 'rather than accounting' is still being developed, so no body performs S3*.",
        predict=Choice("Which system will no body perform?", [s for s in SYSTEMS if s != "S1"]),
        title="Give the systems each body performs.")
    return app.submit(answer, prediction)


def coordination_exercise(original: VsmDescription, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "coordinate the units": a mechanism's name and the units it links."""
    units = [u.id for u in original.system(None).units]

    def check(given: Any, said: Any) -> Feedback:
        if isinstance(given, Mapping):
            name, linked = given.get("name"), given.get("units")
            if is_placeholder(name) or is_placeholder(linked) or not linked:
                return Feedback(False, [], "Name the mechanism and tick the units it links.")
            given = add_coordination(original, str(name), sorted(linked))
        return coordination(given, original, prediction=said)

    pair = Form("Mechanism", {"name": ShortText("Mechanism", placeholder="its name"),
                              "units": Choices("Units it links", units)})
    app = Exercise(
        "coordination", check, pair, f"One System 2 mechanism linking {', '.join(units)}",
        explanation="Every pair of agencies that shares a person is now reached by one mechanism, so VSM-2 goes, and "
                    "with a System 2 in place the council's commands are no longer the only way to keep units in "
                    "step, so VSM-9 goes too.",
        predict=Choice("Which rule besides VSM-2 will stop firing?", [r for r in _RULE_IDS if r != "VSM-2"]),
        title="Add a coordination mechanism (System 2) that removes every VSM-2 finding.")
    return app.submit(answer, prediction)
