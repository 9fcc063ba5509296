"""Exercise checks for stock-and-flow models."""

from __future__ import annotations

import numpy as np
import pytest

from stp_helpers import sd
from stp_helpers.checks import sd as check

T = np.arange(0, 50, 0.25)


def test_placeholders_read_your_turn() -> None:
    bath = sd.teaching_model("bathtub")
    for feedback in (check.behaviour_mode(..., T), check.policy_lever(..., bath, "Water in tub"),
                     check.validation_flaw(..., bath)):
        assert feedback.passed is None and repr(feedback).startswith("Your turn")


def test_behaviour_mode() -> None:
    goal = 70 + 110 * np.exp(-T / 10)
    ok = check.behaviour_mode("goal-seeking", goal, prediction="exponential")
    assert ok.passed and "did not match" in repr(ok)
    wrong = check.behaviour_mode("exponential", goal)
    assert wrong.passed is False and "goal seeking" not in repr(wrong)  # a hint, not the answer
    assert check.behaviour_mode("wiggly", goal).passed is False
    assert repr(check.behaviour_mode("x", goal)) == repr(check.behaviour_mode("x", goal))
    with pytest.raises(TypeError):
        check.behaviour_mode(3, goal)


def test_policy_lever_uses_elasticities() -> None:
    model = sd.case_model("wiltshire-complex-needs")
    table = sd.oat_elasticities(model, "In crisis")
    assert check.policy_lever(table["parameter"].iloc[0], model, "In crisis").passed
    second = check.policy_lever(table["parameter"].iloc[1], model, "In crisis")
    assert second.passed is False and "ranks number 2" in repr(second)
    assert check.policy_lever("no such thing", model, "In crisis").passed is False


def test_validation_flaw_on_the_shipped_flawed_model() -> None:
    flawed = sd.teaching_model("flawed_bathtub")
    report = sd.validate(flawed)
    assert [c.test for c in report.checks if c.status == "fail"] == ["Extreme conditions"]
    assert check.validation_flaw("extreme conditions", report).passed
    assert check.validation_flaw("Extreme conditions", flawed).passed
    passing = check.validation_flaw("Flow units", report)
    assert passing.passed is False and "passes it" in repr(passing)
    assert check.validation_flaw("vibes", report).passed is False
    sound = check.validation_flaw("Extreme conditions", sd.teaching_model("bathtub"))
    assert sound.passed is False
