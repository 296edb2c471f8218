"""The appeals part of the shell: sections, open and overdue orders, and on the command centre the
orders by status and the departments with the most overdue ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from tongchou.accounts.roles import ANONYMOUS, STAFF_ROLES, Role
from tongchou.appeals.selectors import (
    appeal_status_counts,
    appeals_for_user,
    open_appeal_counts,
    overdue_by_department,
)
from tongchou.core.providers import COMMAND, DashboardContext, NavEntry, Panel, Tile

HANDLERS = frozenset({Role.ENTERPRISE, *STAFF_ROLES})

NAV = [
    NavEntry("诉求办理", "appeals:index", HANDLERS, order=60),
    NavEntry("我要反映", "appeals:public_new", frozenset({ANONYMOUS}), order=70),
    NavEntry("统计分析", "appeals:figures", frozenset(STAFF_ROLES), order=80),
]


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    if ctx.role not in HANDLERS:
        return []
    appeals = ctx.narrow(appeals_for_user(ctx.user))
    counts = open_appeal_counts(appeals)
    url = reverse("appeals:index")
    if ctx.role == Role.ENTERPRISE:
        return [
            Tile(
                "我的诉求",
                appeals.count(),
                "件",
                url,
                f"办理中 {counts['open']} 件",
                order=40,
                key="appeals.mine",
            )
        ]
    return [
        Tile(
            "在办诉求",
            counts["open"],
            "件",
            url,
            f"其中超期 {counts['overdue']} 件，反馈超时 {counts['feedback_overdue']} 件",
            "warn" if counts["overdue"] else "",
            order=40,
            key="appeals.open",
        )
    ]


def panels(ctx: DashboardContext) -> Iterable[Panel]:
    if ctx.page != COMMAND or ctx.role not in STAFF_ROLES:
        return []
    appeals = ctx.narrow(appeals_for_user(ctx.user))
    by_status = tuple((label, n) for _s, label, n in appeal_status_counts(appeals))
    overdue = tuple(overdue_by_department(appeals))
    return [
        Panel(
            "诉求办理状态",
            ("状态", "件数"),
            by_status,
            order=40,
            chart={
                "kind": "pie",
                "categories": [r[0] for r in by_status],
                "series": [{"name": "件数", "data": [r[1] for r in by_status]}],
            },
            url=reverse("appeals:index"),
            key="appeals.by_status",
        ),
        Panel(
            "超期未办结（按承办部门）",
            ("承办部门", "超期件数"),
            overdue,
            order=41,
            url=reverse("appeals:figures"),
            hint="" if overdue else "目前没有超期诉求",
            key="appeals.overdue_by_department",
        ),
    ]
