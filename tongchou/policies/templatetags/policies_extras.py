from __future__ import annotations

from django import template

from tongchou.policies.parsing.topics import topic_labels

register = template.Library()

UNIT_LABELS = {"day": "天", "month": "个月", "year": "年"}


@register.filter
def yuan(value) -> str:
    """10000000 → '1,000万元'; 120 → '120元'."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if v >= 100_000_000 and v % 10_000_000 == 0:
        return f"{v / 100_000_000:g}亿元"
    if v >= 10_000:
        return f"{v / 10_000:,.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:,.0f}元" if v == int(v) else f"{v:,.2f}元"


@register.filter
def topic_label(key: str) -> str:
    return topic_labels().get(key, key)


@register.filter
def duration_unit(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


@register.filter
def has_quantities(q: dict) -> bool:
    return any(q.get(k) for k in ("money", "percentages", "durations", "dates", "counts"))
