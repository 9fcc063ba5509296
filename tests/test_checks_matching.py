"""The answer matcher: one canonical form, and the vocabularies exercises declare."""

from __future__ import annotations

import pytest

from stp_helpers.checks.matching import (
    ARCHETYPE,
    CSH_ROLE,
    CSH_SOURCE,
    LOOP_POLARITY,
    MENDELOW,
    SALIENCE,
    TARGET_VERDICT,
    YES_NO,
    Vocabulary,
    canonical,
    same_text,
)


@pytest.mark.parametrize("text,expected", [
    ("Multi-agency hub", "multi agency hub"),
    ("a multi-agency hub", "multi agency hub"),
    ("THE MULTI AGENCY HUBS.", "multi agency hub"),
    ("multi_agency   hub!", "multi agency hub"),
    ("Behaviour", "behavior"),
    ("organisations", "organization"),
    ("prioritised", "prioritized"),
    ("exercise", "exercise"),          # -ise that is not -ize
    ("otherwise", "otherwise"),
    ("centre", "center"),
    ("modelling", "modeling"),
    ("analysis", "analysis"),          # singular words ending in s stay
    ("process", "process"),
    ("status", "status"),
    ("dangerous", "dangerous"),
    ("priorities", "priority"),
    ("fixes", "fix"),
    ("people", "person"),
    ("Café", "cafe"),
    ("housing & health", "housing and health"),
    ("−", "-"),
    ("+", "+"),
])
def test_canonical_form(text: str, expected: str) -> None:
    assert canonical(text) == expected


def test_same_text_needs_the_whole_answer() -> None:
    assert same_text("Multi-agency hubs", ["A multi-agency hub"])
    assert not same_text("hub", ["A multi-agency hub"])
    assert not same_text("", [""])


@pytest.mark.parametrize("vocab,text,key", [
    (LOOP_POLARITY, "positive", "R"),
    (LOOP_POLARITY, "Reinforcing loop", "R"),
    (LOOP_POLARITY, "r", "R"),
    (LOOP_POLARITY, "negative feedback loop", "B"),
    (LOOP_POLARITY, "Balancing", "B"),
    (ARCHETYPE, "fix that fails", "fixes_that_fail"),
    (ARCHETYPE, "Fixes-that-fail", "fixes_that_fail"),
    (ARCHETYPE, "fixes that backfire", "fixes_that_fail"),
    (ARCHETYPE, "Shifting the burden", "shifting_the_burden"),
    (ARCHETYPE, "drifting goals", "eroding_goals"),
    (ARCHETYPE, "Limits to Growth archetype", "limits_to_growth"),
    (ARCHETYPE, "growth and under-investment", "growth_and_underinvestment"),
    (SALIENCE, "Definitive stakeholder", "definitive"),
    (SALIENCE, "definitive stakeholders", "definitive"),
    (SALIENCE, "Dependent", "dependent"),
    (SALIENCE, "non-stakeholder", "non-stakeholder"),
    (MENDELOW, "manage closely", "key players"),
    (MENDELOW, "Key player", "key players"),
    (MENDELOW, "keep satisfied", "keep satisfied"),
    (MENDELOW, "Keep them informed", "keep informed"),
    (MENDELOW, "keep them satisfied", "keep satisfied"),
    (MENDELOW, "keep informed", "keep informed"),
    (CSH_SOURCE, "power", "control"),
    (CSH_SOURCE, "Sources of control", "control"),
    (CSH_SOURCE, "legitimation", "legitimacy"),
    (CSH_ROLE, "beneficiaries", "client"),
    (TARGET_VERDICT, "needs a change to the system", "system change needed"),
    (TARGET_VERDICT, "System change needed.", "system change needed"),
    (TARGET_VERDICT, "chance", "chance"),
    (YES_NO, "No.", "no"),
    (YES_NO, "YES", "yes"),
])
def test_vocabularies_accept_synonyms(vocab: Vocabulary, text: str, key: str | None) -> None:
    assert vocab.match(text) == key


@pytest.mark.parametrize("vocab,text", [
    (LOOP_POLARITY, "loop"), (ARCHETYPE, "growth"), (ARCHETYPE, "fixes"), (SALIENCE, "stakeholder"),
    (MENDELOW, "keep"), (CSH_SOURCE, "source"), (TARGET_VERDICT, "effort"), (YES_NO, "maybe"),
    (LOOP_POLARITY, ...), (LOOP_POLARITY, None), (ARCHETYPE, ""),
])
def test_vocabularies_reject_what_names_nothing(vocab: Vocabulary, text: object) -> None:
    assert vocab.match(text) is None


def test_a_wording_declared_for_two_answers_is_refused() -> None:
    with pytest.raises(ValueError, match="'Yes!' is declared for both 'a' and 'b'"):
        Vocabulary({"a": ("yes",), "b": ("Yes!",)})


def test_extend_adds_wordings_and_keeps_the_rest() -> None:
    more = LOOP_POLARITY.extend(R=("snowball",))
    assert more.match("snowball loop") == "R"
    assert more.match("balancing") == "B"
    assert LOOP_POLARITY.match("snowball") is None
    assert more.keys() == LOOP_POLARITY.keys()
