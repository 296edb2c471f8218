"""The 政策找人 / 免申即享 part of the shell: sections, what an enterprise can get, deliveries under
way for staff, and on the command centre the deliveries by stage."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from tongchou.accounts.roles import STAFF_ROLES, Role
from tongchou.core.providers import COMMAND, DashboardContext, NavEntry, Panel, Tile
from tongchou.rules.models import DeliveryStatus
from tongchou.rules.selectors import (
    deliveries_for_staff,
    deliveries_in_progress,
    delivery_counts,
    enterprise_policies,
)

NAV = [
    NavEntry("我可享受的政策", "rules:my_policies", frozenset({Role.ENTERPRISE}), order=30),
    NavEntry("政策兑现", "rules:index", frozenset(STAFF_ROLES), order=50),
]


def _counts(ctx: DashboardContext) -> dict[str, int]:
    return delivery_counts(
        ctx.user, queryset=ctx.narrow(deliveries_for_staff(ctx.user), "enterprise__region")
    )


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    if ctx.role in STAFF_ROLES:
        pending = deliveries_in_progress(_counts(ctx))
        return [
            Tile(
                "兑现办理中",
                pending,
                "件",
                reverse("rules:index"),
                "确认、公示、异议、拨付",
                order=30,
                key="rules.in_progress",
            )
        ]
    if ctx.role == Role.ENTERPRISE and ctx.user.enterprise_id:
        policies = enterprise_policies(ctx.user.enterprise)
        url = reverse("rules:my_policies")
        return [
            Tile(
                "可享受政策",
                len(policies.eligible),
                "项",
                url,
                f"合计约 {float(policies.total) / 10000:,.2f} 万元",
                "ok",
                order=10,
                key="rules.eligible",
            ),
            Tile(
                "差一点",
                len(policies.near_misses),
                "项",
                url,
                "只差一个条件",
                order=11,
                key="rules.near_misses",
            ),
        ]
    return []


def panels(ctx: DashboardContext) -> Iterable[Panel]:
    if ctx.page != COMMAND or ctx.role not in STAFF_ROLES:
        return []
    counts = _counts(ctx)
    rows = tuple((str(label), counts.get(status, 0)) for status, label in DeliveryStatus.choices)
    return [
        Panel(
            "免申即享兑现进度",
            ("环节", "件数"),
            rows,
            order=30,
            chart={
                "kind": "bar",
                "categories": [r[0] for r in rows],
                "series": [{"name": "件数", "data": [r[1] for r in rows]}],
            },
            url=reverse("rules:deliveries"),
            hint=f"办理中 {deliveries_in_progress(counts)} 件",
            key="rules.deliveries_by_status",
        )
    ]
