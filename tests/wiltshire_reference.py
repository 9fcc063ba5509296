"""The Wiltshire case model, written out by hand in NumPy (Euler, one-month steps).

An independent reference for tests: its numbers come from the equations in
``data/cases/wiltshire-complex-needs/model.mdl`` typed in here, not from PySD.
"""

from __future__ import annotations

import numpy as np

#: Contacts per person-month in crisis, summed over the six agencies.
CONTACTS_PER_CRISIS_MONTH = 2.04 + 5.08 + 0.94 + 0.073 + 0.052 + 2.48


def run(months: int = 240, *, risk_onset: float = 0.02, crisis_duration: float = 4.0,
        switch: float = 0.0, reach: float = 0.5, effectiveness: float = 0.4, start: float = 12.0,
        build_up: float = 24.0, newly_known: float = 1.6, known_while_stable: float = 120.0,
        ) -> np.ndarray:
    """Stable, At risk and In crisis at months 0 … ``months`` (rows), as the model's equations give."""
    stable, at_risk, crisis, effect = 192.3, 256.4, 51.3, 0.0
    rows = []
    for t in range(months + 1):
        rows.append((stable, at_risk, crisis))
        target = switch * reach * effectiveness * (1.0 if t >= start else 0.0)
        becoming = stable * risk_onset
        stabilising = at_risk * 0.01 * (1 + effect * 1.0)
        entering = at_risk * 0.05 * (1 - effect)
        leaving = crisis / max(crisis_duration, 1.0)
        new = newly_known
        gone = stable / known_while_stable
        stable += stabilising + 0.1 * leaving - becoming - gone
        at_risk += becoming + 0.9 * leaving + new - stabilising - entering
        crisis += entering - leaving
        effect += (target - effect) / build_up
    return np.array(rows)
