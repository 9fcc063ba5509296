"""Exercise checks for the later half of the Wiltshire case thread (options appraisal).

Examples
--------
>>> import pandas as pd
>>> from stp_helpers.futures import options
>>> rows = pd.DataFrame({"option": ["A", "A", "B", "B", "C", "C"],
...                      "criterion": ["reach", "cost"] * 3, "weight": [0.6, 0.4] * 3,
...                      "better": ["higher"] * 6, "score": [10, 0, 0, 10, 7, 2]})
>>> appraisal = options.build_appraisal(rows)
>>> first_option(..., appraisal)
Your turn: fill in the cell above, then run this one.
>>> first_option("A", appraisal, prediction="C")
Correct. A ranks first with a weighted score of 0.60 of 1, ahead of C (0.50). You predicted C, which ranks 2. Which criterion's weight would have to move for the runner-up to overtake it?
>>> first_option("C", appraisal)
Not yet. C ranks 2 of 3, with a weighted score of 0.50. Multiply each criterion's score by its weight and add them up for every option: which total is highest? Would the people most affected weigh the criteria the same way?
"""

from __future__ import annotations

from typing import Any

from stp_helpers.futures import options
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Choice
from stp_helpers.checks.matching import canonical

__all__ = ["first_option", "first_option_exercise"]


def normalise(text: str) -> str:
    """An option's name as the matcher reads it: case, articles, punctuation and hyphens ignored."""
    return canonical(text)


def first_option(answer: Any, appraisal: options.Appraisal, prediction: Any = None) -> Feedback:
    """Check the option a learner says ranks first in an appraisal.

    Parameters
    ----------
    answer : str
        The option's name (case and spacing do not matter).
    appraisal : options.Appraisal
        The appraisal, as from :func:`stp_helpers.report.case_appraisal`.
    prediction : str, optional
        The option the learner predicted would rank first; compared with the result.

    Returns
    -------
    Feedback
        Correct when ``answer`` is the option :func:`options.rank_options` puts first.

    Raises
    ------
    TypeError
        ``answer`` is not text, or ``appraisal`` is not an :class:`options.Appraisal`.
    """
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(appraisal, options.Appraisal):
        raise TypeError(f"appraisal should be an options.Appraisal, not {type(appraisal).__name__}.")
    if not isinstance(answer, str):
        raise TypeError(f"answer should be an option's name (str), not {type(answer).__name__}.")
    ranking = options.rank_options(appraisal)
    names = [normalise(o) for o in ranking["option"]]
    top = ranking.iloc[0]
    question = "Would the people most affected weigh the criteria the same way?"
    if normalise(answer) == names[0]:
        right = [f"{top['option']} ranks first with a weighted score of {top['score']:.2f} of 1"
                 + (f", ahead of {ranking.iloc[1]['option']} ({ranking.iloc[1]['score']:.2f})." if len(ranking) > 1
                    else ".")]
        if isinstance(prediction, str) and not is_placeholder(prediction):
            if normalise(prediction) == names[0]:
                right.append("Your prediction matched.")
            elif normalise(prediction) in names:
                right.append(f"You predicted {ranking.iloc[names.index(normalise(prediction))]['option']}, which ranks "
                             f"{int(ranking.iloc[names.index(normalise(prediction))]['rank'])}.")
        return Feedback(True, right, question="Which criterion's weight would have to move for the runner-up to "
                                              "overtake it?")
    if normalise(answer) in names:
        row = ranking.iloc[names.index(normalise(answer))]
        said = normalise(prediction) if isinstance(prediction, str) and not is_placeholder(prediction) else None
        note = (" You predicted this option too: which criterion did you expect to carry it?"
                if said == normalise(answer) else "")
        return Feedback(False, [f"{row['option']} ranks {int(row['rank'])} of {len(ranking)}, with a weighted score "
                                f"of {row['score']:.2f}."],
                        "Multiply each criterion's score by its weight and add them up for every option: which "
                        "total is highest?" + note, question)
    return Feedback(False, [], f"{answer!r} is not an option here; use one of: {', '.join(ranking['option'])}.",
                    question)


def first_option_exercise(appraisal: options.Appraisal, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "rank the options with new weights": pick the first option, after predicting it."""
    names = [str(o) for o in options.rank_options(appraisal)["option"]]
    top = options.rank_options(appraisal).iloc[0]
    listed = sorted(names)
    app = Exercise(
        "first_option", lambda a, p: first_option(a, appraisal, prediction=None if p is ... else p),
        Choice("First option", listed), str(top["option"]),
        explanation=f"{top['option']} has the highest weighted score ({top['score']:.2f} of 1) with these weights.",
        predict=Choice("Which option do you expect first?", listed), notebook="cases/wiltshire.ipynb",
        title="With the new weights, which option ranks first?")
    return app.submit(answer, prediction)
