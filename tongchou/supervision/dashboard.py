"""What the supervision app adds to the shell (core/providers.py): nav entries, tiles, panels."""

from __future__ import annotations

from collections.abc import Iterable

from tongchou.core.providers import DashboardContext, NavEntry, Panel, Tile

NAV: list[NavEntry] = []


def tiles(ctx: DashboardContext) -> Iterable[Tile]:
    return []


def panels(ctx: DashboardContext) -> Iterable[Panel]:
    return []
