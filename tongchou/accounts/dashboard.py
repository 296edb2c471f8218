"""What the accounts app adds to the shell: the administration section and the unread-notices tile."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from tongchou.accounts.roles import Role
from tongchou.core.notifications import notifications_for
from tongchou.core.providers import DashboardContext, NavEntry, Tile

NAV = [NavEntry("系统管理", "admin:index", frozenset({Role.ADMIN}), order=100)]


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    if ctx.role != Role.ENTERPRISE:
        return []
    unread = notifications_for(ctx.user).filter(read_at__isnull=True).count()
    return [
        Tile("未读通知", unread, "条", reverse("accounts:notifications"), order=90, key="accounts.unread")
    ]
