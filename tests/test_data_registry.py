"""Shipped data match data/registry.txt exactly (no file missing, added or changed)."""

from __future__ import annotations

from conftest import data_hashes, read_registry


def test_registry_matches_shipped_data() -> None:
    registry, actual = read_registry(), data_hashes()
    assert sorted(set(registry) - set(actual)) == [], "files in the registry but not in data/"
    assert sorted(set(actual) - set(registry)) == [], "files in data/ missing from the registry"
    assert [k for k in actual if actual[k] != registry[k]] == []
