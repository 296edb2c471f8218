"""The dashboard app's own navigation entries: the home page for everyone, the command centre for
leaders and administrators."""

from __future__ import annotations

from tongchou.accounts.roles import Role
from tongchou.core.providers import EVERYONE, NavEntry

COMMAND_ROLES = frozenset({Role.LEADER, Role.ADMIN})

NAV = [
    NavEntry("首页", "dashboard:home", EVERYONE, order=0),
    NavEntry("指挥中心", "dashboard:command", COMMAND_ROLES, order=85),
]
