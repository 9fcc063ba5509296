"""Exercise check for duty 8: which quality rules (FS-1 to FS-5) a draft futures brief breaks.

Examples
--------
>>> futures_rules(["FS-1", "FS-2", "FS-3"], prediction=2)
Correct. The draft breaks 3 rules: FS-1, FS-2, FS-3. You predicted 2; what did you not expect? Which of its futures would the partners find hardest to take seriously?
>>> futures_rules(["FS-2", "FS-4"])
Not yet. 1 of your 2 rules is right. FS-4 holds in the draft: reread its signposts.
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choices, Number
from stp_helpers.futures import brief

__all__ = ["futures_rules", "futures_rules_exercise"]

#: Where in the draft each rule is judged, for the hint.
_WHERE = {"FS-1": "axes and the drivers' scores", "FS-2": "success statements",
          "FS-3": "risks and opportunities", "FS-4": "signposts", "FS-5": "claims"}


def futures_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (FS-1 to FS-5) the example draft futures brief breaks.

    Parameters
    ----------
    answer : collection of str
        Rule ids such as ``["FS-1"]`` (case, spaces and order do not count).
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
        raise TypeError('answer should be a list of rule ids, e.g. ["FS-1"]')
    drivers, futures = brief.example_draft()
    expected = {f.rule for f in brief.check_brief(futures, drivers)}
    given = {str(a).strip().upper().replace(" ", "-") for a in answer}
    unknown = sorted(given - set(brief.RULES))
    if unknown:
        return Feedback(False, fix=f"{unknown[0]} is not a rule here; use {', '.join(brief.RULES)}.")
    if given == expected:
        said = [f"The draft breaks {len(expected)} rules: {', '.join(sorted(expected))}."]
        if isinstance(prediction, int) and not isinstance(prediction, bool):
            said.append(f"You predicted {prediction}; " + ("as you expected." if prediction == len(expected)
                                                          else "what did you not expect?"))
        return Feedback(True, right=said, question="Which of its futures would the partners find hardest to "
                                                   "take seriously?")
    right = len(given & expected)
    said = [f"{right} of your {len(given)} rules {'is' if right == 1 else 'are'} right."]
    extra = sorted(given - expected)
    if extra:
        return Feedback(False, right=said, fix=f"{extra[0]} holds in the draft: reread its {_WHERE[extra[0]]}.")
    missed = sorted(expected - given)[0]
    return Feedback(False, right=said, fix=f"One more rule is broken; check the draft's {_WHERE[missed]} "
                                          f"({brief.RULES[missed]}).")


def futures_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft futures brief break?"."""
    drivers, futures = brief.example_draft()
    found = brief.check_brief(futures, drivers)
    app = Exercise("futures_rules", lambda a, p: futures_rules(a, prediction=p),
                   Choices("Rules the draft breaks", list(brief.RULES)), ", ".join(f.rule for f in found),
                   explanation=" ".join(str(f) for f in found),
                   predict=Number("Rules you expect it to break", units=f"of {len(brief.RULES)}", integer=True),
                   title="Tick every rule the draft breaks.", notebook="duty08.ipynb")
    return app.submit(answer, prediction)
