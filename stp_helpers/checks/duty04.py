"""Exercise check for duty 4: which quality rules (ES-1 to ES-5) a draft engagement plan breaks.

Examples
--------
>>> strategy_rules(["ES-1", "ES-2", "ES-3"], prediction=2)
Correct. The draft breaks 3 rules: ES-1, ES-2, ES-3. You predicted 2; what did you not expect? Who would you ask to check that the board seat feels safe to the people offered it?
>>> strategy_rules(["ES-2", "ES-4"])
Not yet. 1 of your 2 rules is right. ES-4 holds in the draft: reread its influence links and workshops.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choices, Number
from stp_helpers.stakeholders import engagement_strategy as strategy

__all__ = ["strategy_rules", "strategy_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"ES-1": "register at its latest snapshot, stakeholder by stakeholder",
          "ES-2": "methods for the most powerful stakeholders",
          "ES-3": "method for anyone with a legitimate, urgent claim but little power",
          "ES-4": "influence links and workshops", "ES-5": "snapshots and workshop outputs"}


def strategy_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (ES-1 to ES-5) the example draft engagement plan breaks.

    Parameters
    ----------
    answer : collection of str
        Rule ids such as ``["ES-1"]`` (case, spaces and order do not count).
    prediction : int, optional
        How many rules the learner expected the draft to break.

    Raises
    ------
    TypeError
        When ``answer`` is a single string or not a collection.
    """
    if is_placeholder(answer):
        return your_turn()
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        raise TypeError('answer should be a list of rule ids, e.g. ["ES-1"]')
    register, draft = strategy.example_draft()
    expected = {f.rule for f in strategy.check_strategy(draft, register)}
    given = {str(a).strip().upper().replace(" ", "-") for a in answer}
    unknown = sorted(given - set(strategy.RULES))
    if unknown:
        return Feedback(False, fix=f"{unknown[0]} is not a rule here; use {', '.join(strategy.RULES)}.")
    if given == expected:
        said = [f"The draft breaks {len(expected)} rules: {', '.join(sorted(expected))}."]
        if isinstance(prediction, int) and not isinstance(prediction, bool):
            said.append(f"You predicted {prediction}; " + ("as you expected." if prediction == len(expected)
                                                          else "what did you not expect?"))
        return Feedback(True, right=said, question="Who would you ask to check that the board seat feels safe "
                                                   "to the people offered it?")
    right = len(given & expected)
    said = [f"{right} of your {len(given)} rules {'is' if right == 1 else 'are'} right."]
    extra = sorted(given - expected)
    if extra:
        return Feedback(False, right=said, fix=f"{extra[0]} holds in the draft: reread its {_WHERE[extra[0]]}.")
    missed = sorted(expected - given)[0]
    return Feedback(False, right=said, fix=f"One more rule is broken; check the draft's {_WHERE[missed]} "
                                          f"({strategy.RULES[missed]}).")


def strategy_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft engagement plan break?"."""
    register, draft = strategy.example_draft()
    found = strategy.check_strategy(draft, register)
    app = Exercise("engagement_rules", lambda a, p: strategy_rules(a, prediction=p),
                   Choices("Rules the draft breaks", list(strategy.RULES)),
                   ", ".join(dict.fromkeys(f.rule for f in found)),
                   explanation=" ".join(str(f) for f in found),
                   predict=Number("Rules you expect it to break", units=f"of {len(strategy.RULES)}", integer=True),
                   title="Tick every rule the draft breaks.", notebook="duty04.ipynb")
    return app.submit(answer, prediction)
