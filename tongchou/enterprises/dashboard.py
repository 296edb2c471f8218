"""The registry's part of the shell: its sections, the count of enterprises, and on the command
centre their distribution over the regions one level down."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.urls import reverse

from tongchou.accounts.roles import Role
from tongchou.core.providers import COMMAND, DashboardContext, NavEntry, Panel, Tile
from tongchou.enterprises.selectors import STAFF, enterprises_visible_to

NAV = [
    NavEntry("我的企业", "enterprises:mine", frozenset({Role.ENTERPRISE}), order=20),
    NavEntry("企业库", "enterprises:list", frozenset(STAFF), order=40),
]


def _list_url(ctx: DashboardContext) -> str:
    url = reverse("enterprises:list")
    return f"{url}?region={ctx.region.code}" if ctx.region is not None else url


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    if ctx.role not in STAFF:
        return []
    count = ctx.narrow(enterprises_visible_to(ctx.user)).count()
    return [
        Tile("市场主体", count, "户", _list_url(ctx), "辖区内登记在册", order=10, key="enterprises.count")
    ]


def panels(ctx: DashboardContext) -> Iterable[Panel]:
    if ctx.page != COMMAND or ctx.role not in STAFF or not ctx.subregions:
        return []
    qs = ctx.narrow(enterprises_visible_to(ctx.user))
    counts = qs.aggregate(
        **{
            f"r{i}": Count("pk", filter=Q(region__code__startswith=r.prefix))
            for i, r in enumerate(ctx.subregions)
        }
    )
    rows = tuple((r.name, counts[f"r{i}"]) for i, r in enumerate(ctx.subregions))
    rows = tuple(sorted(rows, key=lambda row: -row[1]))
    return [
        Panel(
            "市场主体分布",
            ("区划", "市场主体（户）"),
            rows,
            order=10,
            chart={
                "kind": "bar",
                "categories": [r[0] for r in rows],
                "series": [{"name": "市场主体", "data": [r[1] for r in rows]}],
            },
            url=_list_url(ctx),
            key="enterprises.by_region",
        )
    ]
