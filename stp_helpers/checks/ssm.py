"""Formative checks for the SSM notebook's exercises, and the data they use.

Each check is thin: it calls :mod:`stp_helpers.ssm.quality` and puts the
first thing to look at into words, with a hint rather than the answer.  A
``...`` answer returns :func:`~stp_helpers.checks.your_turn`.

Examples
--------
>>> t_errors(...)
Your turn: fill in the cell above, then run this one.
>>> t_errors({2, 4, 5}).passed
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from stp_helpers.checks import Feedback, is_placeholder, normalise, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice, Choices, Column, Number, Table
from stp_helpers.checks.matching import Vocabulary
from stp_helpers.checks.prediction import count_note
from stp_helpers.display import Markdown
from stp_helpers.ssm.definitions import make_catwoe
from stp_helpers.ssm.records import Activity, ActivityModel, Catwoe
from stp_helpers.ssm.quality import check_catwoe, check_transformation

__all__ = ["T_EXERCISE", "t_exercise", "t_errors", "plymouth_catwoe", "salford_model",
           "salford_process", "spotlight_comparison", "t_errors_exercise", "catwoe_exercise", "comparison_exercise",
           "YES_PARTLY_NO"]

#: Transformations for exercise 1: the first five are methods.md §1.5's fixtures.
T_EXERCISE: tuple[tuple[str, str], ...] = (
    ("need for respite care", "need for respite care met"),
    ("building", "hospital"),
    ("residents at risk of eviction", "residents securely housed"),
    ("funding", "services"),
    ("staff", "reports"),
    ("referrals", "assessments"),
    ("people with complex needs in crisis", "people with complex needs living stable lives"),
    ("young people not in education, employment or training", "young people in work or learning"),
)
_CORE_RULES = ("RD-1", "CW-1", "RD-2", "RD-3", "CW-2")
#: How far an activity of the model exists in the real process (stage 5 comparison).
YES_PARTLY_NO = Vocabulary({"yes": ("yes", "y", "in full", "fully", "exists"),
                            "partly": ("partly", "partially", "in part", "some", "sort of"),
                            "no": ("no", "n", "not at all", "missing", "absent", "does not exist")})


def t_exercise() -> pd.DataFrame:
    """Return exercise 1's transformations, numbered from 1."""
    return pd.DataFrame(T_EXERCISE, columns=["input", "output"], index=pd.RangeIndex(1, len(T_EXERCISE) + 1,
                                                                                      name="number"))


def t_errors(answer: Any, prediction: Any = None) -> Feedback:
    """Check which of exercise 1's transformations a learner marks as T-errors.

    Parameters
    ----------
    answer : set or list of int, or ...
        The numbers (1-8) of the transformations that break the T-rule.
    prediction : int, optional
        How many T-errors the learner expected before looking closely.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a collection of numbers.

    Examples
    --------
    >>> t_errors([2, 4, 5, 6, 3])
    Not yet. 4 of 4 T-errors found. Number 3 (residents at risk of eviction → residents securely housed) keeps its T: which word names the thing that goes in, and is it there when it comes out?
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise TypeError("answer should be a set of numbers, e.g. {1, 3}.")
    try:
        chosen = {int(a) for a in answer}
    except (TypeError, ValueError) as err:
        raise TypeError("answer should hold numbers 1 to 8, e.g. {1, 3}.") from err
    verdicts = {i + 1: check_transformation(a, b) for i, (a, b) in enumerate(T_EXERCISE)}
    errors = {i for i, v in verdicts.items() if not v.valid}
    found = len(chosen & errors)
    right = [f"{found} of {len(errors)} T-errors found."]
    unknown = sorted(chosen - set(verdicts))
    if unknown:
        return Feedback(False, right, f"There is no number {unknown[0]}: the list runs from 1 to {len(verdicts)}.")
    for i in sorted(verdicts):
        a, b = T_EXERCISE[i - 1]
        if i in errors and i not in chosen:
            return Feedback(False, right, f"Look again at number {i} ({a} → {b}): is {a!r} changed by the "
                            "system, or used by it? Is what comes out the same kind of thing?")
        if i not in errors and i in chosen:
            return Feedback(False, right, f"Number {i} ({a} → {b}) keeps its T: which word names the thing "
                            "that goes in, and is it there when it comes out?")
    note = count_note(prediction, len(errors), "T-error")
    return Feedback(True, right, None, note or "Pick one T-error and rewrite it: whose need or state does the system change?")


def _as_catwoe(value: Any, name: str) -> Catwoe:
    if not isinstance(value, Catwoe):
        raise TypeError(f"{name} should be a CATWOE made with ssm.make_catwoe(...), not {type(value).__name__}.")
    return value


def plymouth_catwoe(commissioner: Any, person: Any, prediction: Any = None) -> Feedback:
    """Check CATWOEs for the Plymouth alliance from two worldviews.

    Passes when each has all six elements, specific (RD-1, CW-1), one valid
    transformation (RD-2, RD-3), customers distinct from owners and actors
    (CW-2), and the two differ in W and in T or C: a different worldview
    gives a different relevant system.

    Parameters
    ----------
    commissioner, person : Catwoe or ...
        The commissioner's worldview and that of a person with complex needs.
    prediction : str, optional
        The CATWOE letter the learner expected to differ most.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        When an answer is not a :class:`~stp_helpers.ssm.records.Catwoe`.
    """
    if is_placeholder(commissioner) or is_placeholder(person):
        return your_turn()
    views = {"commissioner": _as_catwoe(commissioner, "commissioner"), "person": _as_catwoe(person, "person")}
    right: list[str] = []
    for name, cw in views.items():
        found = {f.rule: f for f in check_catwoe(cw)}
        for rule in _CORE_RULES:
            if not found[rule].passed:
                return Feedback(False, right, f"In the {name}'s CATWOE, {rule}: {found[rule].message}")
        right.append(f"The {name}'s CATWOE is complete and its T is valid.")
    c, p = views["commissioner"], views["person"]
    if normalise(c.worldview) == normalise(p.worldview):
        return Feedback(False, right, "The two worldviews (W) are the same words. What does a person with "
                        "complex needs believe makes the system worth having, that a commissioner might not?")
    same_t = str(c.transformation).lower() == str(p.transformation).lower()
    same_c = c.customers.strip().lower() == p.customers.strip().lower()
    if same_t and same_c:
        return Feedback(False, right, "The two worldviews differ, but T and C are the same. If W differs, "
                        "what would each see as going in and coming out changed, and for whom?")
    if prediction is not None and not is_placeholder(prediction):
        differ = [k for k, a, b in (("C", c.customers, p.customers), ("A", c.actors, p.actors),
                                    ("T", str(c.transformation), str(p.transformation)), ("W", c.worldview, p.worldview),
                                    ("O", c.owners, p.owners), ("E", c.environment, p.environment))
                  if a.strip().lower() != b.strip().lower()]
        right.append(f"You expected {prediction} to differ most; {', '.join(differ)} differ.")
    return Feedback(True, right, None, "Which of the two root definitions would the alliance's seven "
                    "principles support, and where would they pull apart?")


def salford_model() -> ActivityModel:
    """Return exercise 3's conceptual model (written by the workbook, for teaching).

    Root definition: a system owned by the Salford partnership to narrow the
    gap on a priority issue in a priority neighbourhood by understanding it
    end to end and acting across partners, in order to connect local people
    to opportunities.
    """
    acts = [
        ("a1", "Gather evidence on the extent, causes and consequences of the issue", []),
        ("a2", "Clarify who is responsible for dealing with the issue", ["a1"]),
        ("a3", "Map how the issue is tackled now, end to end", ["a1"]),
        ("a4", "Ask residents of the neighbourhood what matters to them", ["a1"]),
        ("a5", "Agree an action plan for the short, medium and long term", ["a2", "a3", "a4"]),
        ("a6", "Deliver the action plan across partners", ["a5"]),
        ("a7", "Evaluate outcomes for residents after delivery", ["a6"]),
    ]
    activities = [Activity(id=i, label=label, after=after) for i, label, after in acts]
    activities += [Activity(id="m1", label="Monitor delivery at regular stocktakes", kind="monitor", after=["a6"]),
                   Activity(id="c1", label="Take control action through a high-level panel", kind="control",
                            after=["m1"])]
    return ActivityModel(id="salford", root="salford-partnership", activities=activities)


#: Model answer of exercise 3 (does each activity exist in the SPOTlight process?), with the seed's words.
_SPOTLIGHT = {
    "a1": ("yes", "problem analysis: 'considering the evidence the extent, cause and consequences of the problem'"),
    "a2": ("yes", "problem analysis, 'including clarifying who is responsible for dealing with it'"),
    "a3": ("yes", "delivery chain analysis, how the issue is tackled 'from end to end'"),
    "a4": ("partly", "not a stage of its own: community-based research organisations gathered evidence, and the "
                     "process showed where services miss 'what really matters to local people'"),
    "a5": ("yes", "the SPOTlight report, 'a clear action plan' for the short, medium and long term"),
    "a6": ("yes", "SPOTlight delivery, 'a partnership commitment to deliver on the action plan'"),
    "a7": ("no", "the briefing reports early results, but no stage evaluates outcomes for residents"),
    "m1": ("yes", "'regular, bi-monthly high tempo stocktakes'"),
    "c1": ("yes", "project teams report to 'a high level panel from the LSP'"),
}


def salford_process() -> Markdown:
    """Return the Salford SPOTlight process as the seed describes it (seed-003)."""
    return Markdown(
        "The SPOTlight process (Shared Priority Outcome Targets) gives each priority issue in a priority "
        "neighbourhood a six-week period of stakeholder engagement, analysis and action planning, in four "
        "stages:\n\n"
        "1. **Problem analysis**: the evidence on the extent, cause and consequences of the problem, "
        "including who is responsible for dealing with it.\n"
        "2. **Delivery chain analysis**: how the issue is tackled now, from end to end (systems, structures, "
        "incentives).\n"
        "3. **SPOTlight report**: issues and a clear action plan for the short, medium and long term.\n"
        "4. **Delivery and stocktakes**: a partnership commitment to deliver, with bi-monthly stocktakes "
        "reported to a high-level panel of the partnership.\n\n"
        "Community-based research organisations helped gather evidence; early results include lone "
        "parents taking up pre-recruitment training.\n\n"
        "*Source: IEWM briefing* Thinking 'Systems': routes to better outcomes? *(seed-003), Salford section.*")


def spotlight_comparison(answer: Any, prediction: Any = None) -> Feedback:
    """Check a learner's stage 5 comparison of :func:`salford_model` with the SPOTlight process.

    Parameters
    ----------
    answer : dict or ...
        Activity id → ``"yes"``, ``"partly"`` or ``"no"``.
    prediction : int, optional
        How many of the seven operational activities the learner expected to exist.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not a dict.

    Examples
    --------
    >>> spotlight_comparison({"a1": "yes"})
    Not yet. 1 of 9 activities compared as the seed supports. a2 is not compared yet: does the SPOTlight process do 'Clarify who is responsible for dealing with the issue'?
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, Mapping):
        raise TypeError('answer should be a dict of activity id → "yes", "partly" or "no".')
    given = {str(k).strip(): YES_PARTLY_NO.match(v) or str(v).strip().lower() for k, v in answer.items()}
    model = salford_model()
    ok = sum(given.get(k) == v for k, (v, _) in _SPOTLIGHT.items())
    right = [f"{ok} of {len(_SPOTLIGHT)} activities compared as the seed supports."]
    unknown = sorted(set(given) - set(_SPOTLIGHT))
    if unknown:
        return Feedback(False, right, f"{unknown[0]!r} is not an activity of the model; use "
                        f"{', '.join(_SPOTLIGHT)}.")
    for aid, (expected, _) in _SPOTLIGHT.items():
        label = model.activity(aid).label
        mine = given.get(aid)
        if mine is None:
            return Feedback(False, right, f"{aid} is not compared yet: does the SPOTlight process do {label!r}?")
        if mine not in ("yes", "partly", "no"):
            return Feedback(False, right, f"{aid}: {mine!r} is not yes, partly or no.")
        if mine != expected:
            hint = ("Is it a stage of the process, or something that happened along the way?"
                    if expected == "partly" else
                    "Which of the four stages would do it? Read them again." if expected == "yes" else
                    "Which stage would do it, and does the briefing describe one?")
            return Feedback(False, right, f"{aid} ({label}): you have {mine!r}. {hint}")
    exists = sum(v == "yes" for k, (v, _) in _SPOTLIGHT.items() if k.startswith("a"))
    note = count_note(prediction, exists, "activity")
    return Feedback(True, right, None, note or "a7 does not exist: is evaluating outcomes for residents a change "
                    "that is both desirable and feasible for a six-week process?")


def spotlight_evidence() -> pd.DataFrame:
    """Return the model answer of exercise 3 with the seed's words (for after the exercise)."""
    model = salford_model()
    return pd.DataFrame([{"activity": k, "label": model.activity(k).label, "exists": v, "in the seed": why}
                         for k, (v, why) in _SPOTLIGHT.items()]).set_index("activity")


__all__ += ["spotlight_evidence"]


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def t_errors_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "spot the T-errors": tick the numbers of the transformations that break the T-rule."""
    errors = sorted(i + 1 for i, (a, b) in enumerate(T_EXERCISE) if not check_transformation(a, b).valid)
    app = Exercise(
        "t_errors", lambda a, p: t_errors(a, prediction=p),
        Choices("T-errors (by number)", [str(i) for i in range(1, len(T_EXERCISE) + 1)], as_type=int),
        ", ".join(str(i) for i in errors),
        explanation="Numbers 2, 4 and 5 start from a resource (a building, funding, staff) that the system uses rather "
                    "than changes; number 6 turns referrals into a different thing, assessments.",
        predict=Number("T-errors you expect", units=f"of {len(T_EXERCISE)}", integer=True),
        title="Tick the transformations that break the T-rule.")
    return app.submit(answer, prediction)


_CATWOE_ROWS = (("customers", "C: customers"), ("actors", "A: actors"), ("t_in", "T: what goes in"),
                ("t_out", "T: what comes out"), ("worldview", "W: worldview"), ("owners", "O: owners"),
                ("environment", "E: environment"))


def _two_catwoes(answer: Any) -> tuple[Any, Any]:
    """The app's table (field → (commissioner, person)) as two CATWOEs; the coding route's pair as it is."""
    if isinstance(answer, tuple) and len(answer) == 2:
        return answer
    rows = {k: v for k, v in dict(answer).items()}
    views = []
    for column, who in ((0, "commissioner"), (1, "person")):
        cell = {k: (rows.get(k) or ("", ""))[column] for k, _ in _CATWOE_ROWS}
        views.append(make_catwoe(who, customers=cell["customers"], actors=cell["actors"],
                                 transformation=(cell["t_in"], cell["t_out"]), worldview=cell["worldview"],
                                 owners=cell["owners"], environment=cell["environment"]))
    return views[0], views[1]


def catwoe_exercise(commissioner: Any = ..., person: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "write CATWOE from two worldviews": one column per worldview, one row per element."""
    def check(answer: Any, said: Any) -> Feedback:
        if is_placeholder(answer):
            return your_turn()
        first, second = _two_catwoes(answer)
        return plymouth_catwoe(first, second, prediction=said)

    app = Exercise(
        "plymouth_catwoe", check,
        Table("CATWOE", [Column("commissioner"), Column("person with complex needs")],
              row_names=[label for _, label in _CATWOE_ROWS], row_keys=[k for k, _ in _CATWOE_ROWS]),
        "Commissioner: T services commissioned in silos against targets → services commissioned as one alliance "
        "around the person; W commissioning can buy outcomes only by sharing risk and learning with providers. "
        "Person: T a person with complex needs done to by services → worked with as a partner; W warmth, persistence "
        "and being treated as a partner matter more than labels and thresholds.",
        explanation="Both are valid, and the difference in W (buying outcomes against being a partner) is what the "
                    "alliance has to hold together.",
        predict=Choice("Which element will differ most?", ["C", "A", "T", "W", "O", "E"]),
        title="Write one CATWOE from each worldview, from the words quoted above.")
    if not is_placeholder(commissioner) and not is_placeholder(person):
        return app.submit((commissioner, person), prediction)
    return app.submit(..., prediction)


def comparison_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "compare the model with SPOTlight": yes, partly or no for each activity."""
    model = salford_model()
    app = Exercise(
        "spotlight_comparison", lambda a, p: spotlight_comparison(a, prediction=p),
        Table("Does the SPOTlight process do it?", [Column("exists", ("yes", "partly", "no"))],
              row_names=[f"{k}: {model.activity(k).label}" for k in _SPOTLIGHT], row_keys=list(_SPOTLIGHT)),
        "; ".join(f"{k}: {v}" for k, (v, _) in _SPOTLIGHT.items()),
        explanation="Residents' views came in through community researchers rather than a stage (partly), and no "
                    "stage evaluates outcomes for residents (no).",
        predict=Number("Operational activities done in full", units="of 7", integer=True),
        title="For each activity of the model, does the SPOTlight process do it?")
    return app.submit(answer, prediction)
