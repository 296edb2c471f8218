"""What the home page shows each role: a few figures from every domain, already scoped.

Each figure comes from the owning app's selector, so the home page never sees more than the lists
behind its links would show the same user.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tongchou.accounts.roles import Role, role_of
from tongchou.core import clock

OPEN_APPEAL_STATES = ["submitted", "dispatched", "accepted"]


def _tile(label: str, value: Any, unit: str, url: str, hint: str = "", tone: str = "") -> dict[str, Any]:
    return {"label": label, "value": value, "unit": unit, "url": url, "hint": hint, "tone": tone}


def staff_tiles(user: Any) -> list[dict[str, Any]]:
    """Department staff, leaders and administrators: registry, policy library, delivery, appeals."""
    from tongchou.appeals.selectors import appeals_for_user
    from tongchou.enterprises.selectors import enterprises_visible_to
    from tongchou.policies.selectors import library_stats
    from tongchou.rules.selectors import delivery_counts

    now = clock.now()
    appeals = appeals_for_user(user)
    open_appeals = appeals.filter(status__in=OPEN_APPEAL_STATES)
    overdue = open_appeals.filter(resolution_due__lt=now).count()
    feedback_due = open_appeals.filter(status__in=["submitted", "dispatched"], feedback_due__lt=now).count()
    library = library_stats()
    deliveries = delivery_counts(user)
    pending_delivery = sum(
        n for status, n in deliveries.items() if status not in {"paid", "declined", "rejected"}
    )
    return [
        _tile(
            "市场主体",
            enterprises_visible_to(user).count(),
            "户",
            reverse("enterprises:list"),
            "辖区内登记在册",
        ),
        _tile(
            "政策措施",
            library["measures"],
            "条",
            reverse("policies:list"),
            f"来自 {library['documents']} 份文件",
        ),
        _tile("兑现办理中", pending_delivery, "件", reverse("rules:index"), "确认、公示、异议、拨付"),
        _tile(
            "在办诉求",
            open_appeals.count(),
            "件",
            reverse("appeals:index"),
            f"其中超期 {overdue} 件，反馈超时 {feedback_due} 件",
            "warn" if overdue else "",
        ),
    ]


def enterprise_tiles(user: Any) -> list[dict[str, Any]]:
    """An enterprise owner: what it can get, what it has asked, what is new."""
    from tongchou.appeals.selectors import appeals_for_user
    from tongchou.core.notifications import notifications_for
    from tongchou.rules.selectors import enterprise_policies

    tiles = []
    if user.enterprise_id:
        policies = enterprise_policies(user.enterprise)
        tiles.append(
            _tile(
                "可享受政策",
                len(policies.eligible),
                "项",
                reverse("rules:my_policies"),
                f"合计约 {float(policies.total) / 10000:,.2f} 万元",
                "ok",
            )
        )
        tiles.append(
            _tile("差一点", len(policies.near_misses), "项", reverse("rules:my_policies"), "只差一个条件")
        )
    appeals = appeals_for_user(user)
    tiles.append(
        _tile(
            "我的诉求",
            appeals.count(),
            "件",
            reverse("appeals:index"),
            f"办理中 {appeals.filter(status__in=OPEN_APPEAL_STATES).count()} 件",
        )
    )
    unread = notifications_for(user).filter(read_at__isnull=True).count()
    tiles.append(_tile("未读通知", unread, "条", reverse("core:notifications")))
    return tiles


def home_tiles(user: Any) -> list[dict[str, Any]]:
    role = role_of(user)
    if role in (Role.DEPARTMENT, Role.LEADER, Role.ADMIN):
        return staff_tiles(user)
    if role == Role.ENTERPRISE:
        return enterprise_tiles(user)
    return []
