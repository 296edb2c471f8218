"""A provider as a new module would write it (used by the tests: one file plus one settings line)."""

from __future__ import annotations

from tongchou.accounts.roles import Role
from tongchou.core.providers import COMMAND, DashboardContext, NavEntry, Panel, Tile

NAV = [NavEntry("防疫检查", "policies:compare", frozenset({Role.HEALTH, Role.LEADER}), order=65)]


def tiles(ctx: DashboardContext) -> list[Tile]:
    if ctx.role not in (Role.HEALTH, Role.LEADER):
        return []
    where = ctx.region.name if ctx.region is not None else "全部"
    return [
        Tile(
            "风险点位", 7, "个", "/policies/compare/", f"范围：{where}", "warn", order=5, key="sample.points"
        )
    ]


def panels(ctx: DashboardContext) -> list[Panel]:
    if ctx.page != COMMAND:
        return []
    return [
        Panel(
            "风险点位分布",
            ("区划", "点位"),
            tuple((r.name, 1) for r in ctx.subregions),
            order=1,
            key="sample.map",
        )
    ]
