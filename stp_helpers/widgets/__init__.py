"""Voilà apps: one small widget class per method, one update handler each.

Every app reads all its controls in one ``_update`` handler, redraws its
chart in place, and shows an :class:`~stp_helpers.errors.StpError` in its
status line instead of raising (Voilà hides tracebacks).
"""
