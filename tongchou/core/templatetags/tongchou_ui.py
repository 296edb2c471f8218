"""Template helpers of the design system: tables for charts, lists from strings, dates in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def as_list(value: Any) -> list[Any]:
    """A comma-separated string (Chinese comma too) or any iterable, as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
    return list(value)


@register.filter
def pluck(rows: Iterable[Any], keys: str) -> list[list[Any]]:
    """Rows of dicts (or objects) as lists of the named fields: ``data.by_day|pluck:"day,total"``."""
    names = as_list(keys)
    out = []
    for row in rows or []:
        if isinstance(row, dict):
            out.append([row.get(k) for k in names])
        else:
            out.append([getattr(row, k, None) for k in names])
    return out


@register.filter
def fulldate(value: Any) -> str:
    """A date in full as screen readers read it well: 2020年4月15日 (ISO strings too)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"
