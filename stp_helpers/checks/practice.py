"""Exercise checks for the duties' outputs: which quality rules a flawed draft breaks.

Examples
--------
>>> scoping_rules(["SC-2", "SC-3", "SC-4", "SC-6", "SC-7"], prediction=3)
Correct. The draft breaks 5 rules: SC-2, SC-3, SC-4, SC-6, SC-7. You predicted 3; what did you not expect? Which would you raise with the client first?
>>> scoping_rules(["SC-2", "SC-5"])
Not yet. 1 of your 2 rules is right. SC-5 holds in the draft: reread its constraints. Which rule is easiest to miss when a client has a solution in mind?
"""

from __future__ import annotations

from typing import Any

from stp_helpers.checks import Feedback, is_placeholder
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.rules import rules_exercise, rules_feedback
from stp_helpers.practice import information, iteration, scoping, strategy, vision

__all__ = ["scoping_rules", "information_rules", "scoping_rules_exercise", "information_rules_exercise",
           "plan_rules", "plan_rules_exercise", "log_rules", "log_rules_exercise", "strategy_rules",
           "strategy_rules_exercise"]

_FIELDS = {"SC-1": "client and decision-makers", "SC-2": "purpose", "SC-3": "boundary", "SC-4": "success criteria",
           "SC-5": "constraints", "SC-6": "participants", "SC-7": "agreement", "IP-1": "sources and owners",
           "IP-2": "actions", "IP-3": "qualities and gaps", "IP-4": "personal data and lawful bases",
           "IP-5": "what each need serves", "CP-1": "messages and channels", "CP-2": "models and translations",
           "CP-3": "audiences", "CP-4": "owners and times", "IL-1": "numbering", "IL-2": "approaches and co-developers",
           "IL-3": "changes and reasons", "IL-4": "number of iterations", "IL-5": "next steps",
           "SA-1": "strategy and owner", "SA-2": "elements and structures", "SA-3": "judgements and bases",
           "SA-4": "influencers and levers", "SA-5": "verdict and recommendations"}


def _rules(answer: Any, expected: set[str], rules: dict[str, str], question: str, prediction: Any) -> Feedback:
    return rules_feedback(answer, expected, rules, _FIELDS, question=question, prediction=prediction,
                          wrong_question=question)


def scoping_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (SC-1 to SC-7) the example draft scoping statement breaks."""
    expected = {f.rule for f in scoping.check_scoping(scoping.example_draft())}
    return _rules(answer, expected, scoping.RULES,
                  "Which rule is easiest to miss when a client has a solution in mind?"
                  if not is_placeholder(answer) and set(map(str, answer)) != expected
                  else "Which would you raise with the client first?", prediction)


def information_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (IP-1 to IP-5) the example draft information plan breaks."""
    expected = {f.rule for f in information.check_information_plan(information.example_draft())}
    return _rules(answer, expected, information.RULES, "Which gap would stop the model being built at all?",
                  prediction)


def scoping_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft scoping statement break?"."""
    found = scoping.check_scoping(scoping.example_draft())
    return rules_exercise("scoping_rules", "duty01.ipynb", lambda a, p: scoping_rules(a, prediction=p),
                          scoping.RULES, found, answer, prediction)


def information_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft information plan break?"."""
    found = information.check_information_plan(information.example_draft())
    return rules_exercise("information_rules", "duty02.ipynb", lambda a, p: information_rules(a, prediction=p),
                          information.RULES, found, answer, prediction)


def plan_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (CP-1 to CP-4) the example draft communication plan breaks."""
    expected = {f.rule for f in vision.check_communication_plan(vision.example_draft_plan())}
    return _rules(answer, expected, vision.PLAN_RULES, "Which audience would you add first, and through what channel?",
                  prediction)


def plan_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft communication plan break?"."""
    found = vision.check_communication_plan(vision.example_draft_plan())
    return rules_exercise("plan_rules", "duty10.ipynb", lambda a, p: plan_rules(a, prediction=p), vision.PLAN_RULES,
                          found, answer, prediction)


def log_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (IL-1 to IL-5) the example draft iteration log breaks."""
    expected = {f.rule for f in iteration.check_iteration_log(iteration.example_draft_log())}
    return _rules(answer, expected, iteration.RULES, "Who was missing from the early iterations, and what did that cost?",
                  prediction)


def log_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft iteration log break?"."""
    found = iteration.check_iteration_log(iteration.example_draft_log())
    return rules_exercise("log_rules", "duty03.ipynb", lambda a, p: log_rules(a, prediction=p),
                          iteration.RULES, found, answer, prediction)


def strategy_rules(answer: Any, prediction: Any = None) -> Feedback:
    """Check the rules (SA-1 to SA-5) the example draft strategy assessment breaks."""
    expected = {f.rule for f in strategy.check_strategy(strategy.example_draft_strategy())}
    return _rules(answer, expected, strategy.RULES, "Which element would a sceptical decision-maker challenge first?",
                  prediction)


def strategy_rules_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "which rules does the draft strategy assessment break?"."""
    found = strategy.check_strategy(strategy.example_draft_strategy())
    return rules_exercise("strategy_rules", "duty07.ipynb", lambda a, p: strategy_rules(a, prediction=p),
                          strategy.RULES, found, answer, prediction)
