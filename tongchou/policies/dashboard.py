"""The policy library's part of the shell: its public section and, for staff, the size of the library."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from tongchou.accounts.roles import STAFF_ROLES
from tongchou.core.providers import EVERYONE, DashboardContext, NavEntry, Tile
from tongchou.policies.selectors import library_stats

NAV = [NavEntry("政策库", "policies:list", EVERYONE, order=10, footer=True)]


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    if ctx.role not in STAFF_ROLES:
        return []
    library = library_stats()
    return [
        Tile(
            "政策措施",
            library["measures"],
            "条",
            reverse("policies:list"),
            f"来自 {library['documents']} 份文件",
            order=20,
            key="policies.measures",
        )
    ]
