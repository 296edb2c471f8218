"""How a typed fact value is stored in one dated row (pure).

``EnterpriseFact`` keeps numbers in ``value_number`` (4 decimals), booleans as ``value_text``
``true``/``false``, text, enum and date values in ``value_text`` (dates as ``YYYY-MM-DD``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .registry import Fact, FactType

TEXT_MAX = 200  # the column's length
NUMBER_MAX = Decimal("1e16")  # value_number holds 20 digits, 4 of them decimals
_PLACES = Decimal("0.0001")
_TRUE_TEXT = ("true", "1", "是", "t", "yes")


def to_storage(fact: Fact, value: Any) -> tuple[Decimal | None, str]:
    """(value_number, value_text) for a typed value of ``fact``."""
    if fact.type == FactType.NUMBER:
        number = value if isinstance(value, Decimal) else Decimal(str(round(float(value), 4)))
        if not number.is_finite() or abs(number) >= NUMBER_MAX:
            raise ValueError("数值过大")
        return number.quantize(_PLACES), ""
    if fact.type == FactType.BOOL:
        return None, "true" if value else "false"
    if isinstance(value, dt.date):
        return None, value.isoformat()
    text = str(value)
    if len(text) > TEXT_MAX:
        raise ValueError(f"长度超过{TEXT_MAX}个字符")
    return None, text


def reader(fact: Fact | None) -> Callable[[Any, str], Any]:
    """A function (value_number, value_text) → the typed value, for one fact (None: unknown fact)."""
    if fact is None:
        return lambda number, text: None
    if fact.type == FactType.NUMBER:

        def number(num: Any, text: str) -> float | None:
            if num is not None:
                return float(num)
            try:
                return float(text) if text not in (None, "") else None
            except ValueError:
                return None

        return number
    if fact.type == FactType.BOOL:
        return lambda num, text: None if text in (None, "") else text.strip().lower() in _TRUE_TEXT
    if fact.type == FactType.DATE:

        def date(num: Any, text: str) -> dt.date | None:
            if text in (None, ""):
                return None
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None

        return date
    return lambda num, text: None if text in (None, "") else text


def from_storage(fact: Fact | None, value_number: Any, value_text: str) -> Any:
    """The typed value of a stored row."""
    return reader(fact)(value_number, value_text)
