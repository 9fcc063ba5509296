"""Exercise check for duty 11: which quality rules (EI-1 to EI-5) a draft ethics record breaks.

Examples
--------
>>> ethics_rules(["EI-1", "EI-3", "EI-5"], prediction=3)
Correct. The draft breaks 3 rules: EI-1, EI-3, EI-5. You predicted 3; as you expected. Who bears the risk if the police's value wins the enforcement-versus-voice conflict, and who decided that was acceptable?
>>> ethics_rules(["EI-4"])
Not yet. 0 of your 1 rules are right. EI-4 holds in the draft: reread its witness answers (Q10) and the conflict on question 11.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choices, Number
from stp_helpers.stakeholders import ethics_review as review

__all__ = ["ethics_rules", "ethics_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"EI-1": "parties' 'ought' answers to each conflict's question",
          "EI-2": "options under each conflict",
          "EI-3": "parties' power in each conflict, and its note",
          "EI-4": "witness answers (Q10) and the conflict on question 11",
          "EI-5": "four engagement checks"}


def ethics_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (EI-1 to EI-5) the example draft ethics record breaks.

    Parameters
    ----------
    answer : collection of str
        Rule ids such as ``["EI-1"]`` (case, spaces and order do not count).
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
        raise TypeError('answer should be a list of rule ids, e.g. ["EI-1"]')
    csh, register, draft = review.example_draft()
    expected = {f.rule for f in review.check_ethics(draft, csh, register)}
    given = {str(a).strip().upper().replace(" ", "-") for a in answer}
    unknown = sorted(given - set(review.RULES))
    if unknown:
        return Feedback(False, fix=f"{unknown[0]} is not a rule here; use {', '.join(review.RULES)}.")
    if given == expected:
        said = [f"The draft breaks {len(expected)} rules: {', '.join(sorted(expected))}."]
        if isinstance(prediction, int) and not isinstance(prediction, bool):
            said.append(f"You predicted {prediction}; " + ("as you expected." if prediction == len(expected)
                                                          else "what did you not expect?"))
        return Feedback(True, right=said, question="Who bears the risk if the police's value wins the "
                                                   "enforcement-versus-voice conflict, and who decided that was "
                                                   "acceptable?")
    right = len(given & expected)
    said = [f"{right} of your {len(given)} rules {'is' if right == 1 else 'are'} right."]
    extra = sorted(given - expected)
    if extra:
        return Feedback(False, right=said, fix=f"{extra[0]} holds in the draft: reread its {_WHERE[extra[0]]}.")
    missed = sorted(expected - given)[0]
    return Feedback(False, right=said, fix=f"One more rule is broken; check the draft's {_WHERE[missed]} "
                                          f"({review.RULES[missed]}).")


def ethics_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft ethics record break?"."""
    csh, register, draft = review.example_draft()
    found = review.check_ethics(draft, csh, register)
    app = Exercise("ethics_rules", lambda a, p: ethics_rules(a, prediction=p),
                   Choices("Rules the draft breaks", list(review.RULES)),
                   ", ".join(dict.fromkeys(f.rule for f in found)),
                   explanation=" ".join(str(f) for f in found),
                   predict=Number("Rules you expect it to break", units=f"of {len(review.RULES)}", integer=True),
                   title="Tick every rule the draft breaks.", notebook="duty11.ipynb")
    return app.submit(answer, prediction)
