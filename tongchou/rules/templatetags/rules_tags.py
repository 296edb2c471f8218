"""Formatting of fact values, amounts and delivery stages for the rules pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from tongchou.facts.registry import current

register = template.Library()

STAGES = [
    ("match", "数据比对"),
    ("confirm", "意愿确认"),
    ("publicity", "公示"),
    ("payout", "拨付"),
]
STAGE_OF = {
    "awaiting": 1,
    "declined": 1,
    "confirmed": 2,
    "publicity": 2,
    "objected": 2,
    "passed": 3,
    "rejected": 2,
    "paid": 4,
}


def _number(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}"
    if abs(v) < 1:
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return f"{v:,.2f}"


@register.filter
def fact_value(value, name: str = "") -> str:
    """A fact value as people read it: 是/否, 1,200 元, 市级; ``缺`` when missing."""
    if value is None or value == "":
        return "（缺）"
    fact = current().get(name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if fact is not None and fact.choices and value in fact.choices and fact.choice_labels:
        return dict(zip(fact.choices, fact.choice_labels, strict=False)).get(value, value)
    if isinstance(value, int | float | Decimal):
        if fact is not None and fact.display == "percent":
            return f"{float(value):.2%}"
        return _number(float(value)) + (fact.unit if fact is not None and fact.unit else "")
    return str(value)


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):,.2f}"


@register.filter
def wan(value) -> str:
    """Yuan shown in 万元 with two decimals."""
    if value is None or value == "":
        return "—"
    return f"{float(value) / 10000:,.2f}"


@register.filter
def percent(value) -> str:
    if value is None:
        return "—"
    return f"{float(value):.1%}"


@register.filter
def pct_width(value) -> str:
    """A bar width in percent (0–100) for a share."""
    try:
        return f"{max(0.0, min(100.0, float(value) * 100)):.1f}"
    except (TypeError, ValueError):
        return "0"


@register.filter
def near_threshold(near: dict | None) -> str:
    if not near or near.get("threshold") is None:
        return ""
    return fact_value(near["threshold"], near.get("fact") or "")


@register.simple_tag
def delivery_stages(status: str | None):
    """[(label, 'done'|'now'|'')] for the four stages of 免申即享."""
    at = STAGE_OF.get(status or "", 1)
    out = []
    for i, (_key, label) in enumerate(STAGES):
        state = "done" if i < at else ("now" if i == at else "")
        if status == "paid":
            state = "done"
        out.append((label, state))
    return out


@register.filter
def fact_label(name: str) -> str:
    return current().label(name)


@register.filter
def delivery_status_label(code: str) -> str:
    from tongchou.rules.models import DeliveryStatus

    return dict(DeliveryStatus.choices).get(code, code)
