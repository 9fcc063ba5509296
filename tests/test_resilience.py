"""Resilient practice (B7): the situations come from the standard's words and the seed cases, escaped once."""

from __future__ import annotations

import pytest

from stp_helpers import case
from stp_helpers.errors import StpError
from stp_helpers.foundations import resilience
from stp_helpers.standard import load_standard


def test_every_part_of_b7_is_met_in_a_seed_case() -> None:
    met = {s.clause for s in resilience.setbacks()}
    assert met == set(resilience.CLAUSES)
    words = " ".join(load_standard().ksb("B7").statements)
    for phrase in ("conflict between client and stakeholders", "lack of will to engage with the initiative",
                   "lack of willingness to take a systems approach", "goal posts move", "Remains motivated"):
        assert phrase in words, phrase


def test_every_situation_names_facts_and_a_source_its_case_holds() -> None:
    for item in resilience.setbacks():
        meta = case.load(item.case).meta
        assert item.source in {s.id for s in meta.sources}, item.id
        assert set(item.facts) <= {f.id for f in meta.facts}, item.id


def test_rendering_labels_the_reading_and_escapes_case_text_once() -> None:
    shown = resilience.setback_responses()
    assert shown.text.count("(the workbook's reading)") == len(resilience.setbacks())
    trial = resilience.Setback(id="t", clause="will", case="stoke-neet", source="seed-003", facts=(),
                               quote="a_b <i>", did="x", reading="y")
    text = resilience.setback_responses([trial]).text
    assert "a\\_b &lt;i&gt;" in text and "&amp;lt;" not in text
    assert "a_b <i>" in repr(resilience.setback_responses([trial]))


def test_an_unknown_source_or_clause_is_refused() -> None:
    trial = resilience.Setback(id="t", clause="will", case="stoke-neet", source="seed-999", quote="q", did="d",
                               reading="r")
    with pytest.raises(StpError, match="source 'seed-999'"):
        resilience.setback_responses([trial])
    with pytest.raises(ValueError):
        resilience.Setback(id="t", clause="patience", case="stoke-neet", source="seed-003", quote="q", did="d",
                           reading="r")
