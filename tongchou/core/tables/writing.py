"""Cells of spreadsheets the platform writes: text that a spreadsheet would run as a formula is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula (``= + - @``, tab, carriage
    return first) gets a leading apostrophe, so it stays text; other values are unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`escape_formula` over a row (for ``ws.append`` and csv writers)."""
    return [escape_formula(v) for v in values]
