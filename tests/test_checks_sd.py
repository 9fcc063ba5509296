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


def test_policy_lever_ranks_effects_across_the_range() -> None:
    model = sd.case_model("wiltshire-complex-needs")
    table = sd.lever_effects(model, "In crisis")
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


def test_policy_lever_tests_levers_with_the_policy_on_and_keeps_base_zero() -> None:
    model = sd.case_model("wiltshire-complex-needs")
    scenarios = sd.case_scenarios("wiltshire-complex-needs")
    levers = sd.default_levers(model, scenarios)
    policy_on = scenarios[1].params
    assert model.base_values["early help switch"] == 0  # base 0: not skipped
    off = check.policy_lever("early help switch", model, "In crisis", parameters=levers)
    assert "not one of the levers tested" not in repr(off)
    # expected ranking computed here from plain runs: each lever from its low to its high end
    base = dict(policy_on)
    effects = {}
    for name in levers:
        spec = sd.parameter_spec(model, name)
        ends = [model.run(params={**base, name: v}, return_columns=["In crisis"])["In crisis"].iloc[-1]
                for v in (spec.min, spec.max)]
        effects[name] = abs(ends[1] - ends[0])
    best = max(effects, key=effects.get)
    assert all(effects[n] > 0 for n in levers)  # with the policy on, every early-help lever acts
    ok = check.policy_lever(best, model, "In crisis", parameters=levers, policy=policy_on)
    assert ok.passed and "Meadows" in repr(ok)
    second = sorted(effects, key=effects.get, reverse=True)[1]
    assert "ranks number 2" in repr(check.policy_lever(second, model, "In crisis", parameters=levers,
                                                       policy=policy_on))
