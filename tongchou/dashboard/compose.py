"""Composing the home page and the command centre from the providers (``core.providers``).

The command centre looks at one region at a time: the user's own by default, or ``?region=CODE`` to
drill down — honoured only inside the user's scope (``accounts.scope``), otherwise "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tongchou.accounts.roles import role_of
from tongchou.accounts.scope import region_in_scope
from tongchou.core import providers
from tongchou.core.errors import NotFound
from tongchou.core.providers import COMMAND, HOME, DashboardContext
from tongchou.regions.models import Region, region_by_code


@dataclass(frozen=True)
class Composed:
    ctx: DashboardContext
    tiles: list[providers.Tile]
    panels: list[providers.Panel]
    trail: list[Any]  # the regions above the one looked at, inside the user's scope, root first


def own_region(user: Any) -> Region | None:
    """Where a user's command centre opens: their department's region, or their own."""
    if getattr(user, "department_id", None):
        return user.department.region
    if getattr(user, "region_id", None):
        return region_by_code(user.region_id)
    return None


def home(user: Any) -> Composed:
    ctx = DashboardContext(user=user, role=role_of(user), page=HOME)
    return Composed(ctx, providers.tiles(ctx), [], [])


def command_centre(user: Any, region_code: str | None = None) -> Composed:
    code = (region_code or "").strip()[:12]
    if code:
        region = region_by_code(code)
        if region is None or not region_in_scope(user, code):
            raise NotFound("没有找到该区域，或该区域不在您的管辖范围内。", detail={"region": code})
    else:
        region = own_region(user)
    if region is not None:
        subregions = tuple(Region.objects.filter(parent_id=region.code).order_by("code"))
        trail = [r for r in region.ancestors() if region_in_scope(user, r.code)]
    else:  # an administrator without a region: the top of the tree
        subregions = tuple(Region.objects.filter(parent__isnull=True).order_by("code"))
        trail = []
    ctx = DashboardContext(user=user, role=role_of(user), page=COMMAND, region=region, subregions=subregions)
    return Composed(ctx, providers.tiles(ctx), providers.panels(ctx), trail)
