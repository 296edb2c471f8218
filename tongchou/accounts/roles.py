"""The roles of the platform. Strings, because URL expectations, templates and the API all speak them.

Each role declares the binding it needs (``BINDINGS``): an enterprise, a department, a bank, or a
region (and which region levels fit). ``User.clean()`` checks it; ``accounts.scope`` reads the region
of every region-bound role. Roles for the coming modules (supervision, financing supervision,
epidemic control, grid work, third-party evaluation) exist before their pages, so each module can be
written against them: until a module grants them a page they see the public policy library and
their home page, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    DEPARTMENT = "department", _("部门工作人员")
    LEADER = "leader", _("指挥部领导")
    BANK = "bank", _("银行工作人员")
    ADMIN = "admin", _("系统管理员")
    SUPERVISOR = "supervisor", _("督查室工作人员")
    REGULATOR = "regulator", _("金融监管工作人员")
    HEALTH = "health", _("卫生健康工作人员")
    COMMUNITY_WORKER = "community_worker", _("网格员")
    EVALUATOR = "evaluator", _("第三方评估人员")


ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role.values]
LOGGED_IN_ROLES = list(Role.values)
STAFF_ROLES = {Role.DEPARTMENT, Role.LEADER, Role.ADMIN}


@dataclass(frozen=True)
class Binding:
    """What a role is bound to: ``kind`` is the User field that must be set (``enterprise``,
    ``department``, ``bank``, ``region``, or ``""`` for none); ``region_levels`` (for region-bound
    roles) lists the region levels that fit; ``read_only`` marks roles that never write."""

    kind: str
    region_levels: frozenset[str] = frozenset()
    read_only: bool = False


_ANY_LEVEL = frozenset({"province", "city", "county", "town"})

BINDINGS: dict[str, Binding] = {
    Role.ENTERPRISE: Binding("enterprise"),
    Role.DEPARTMENT: Binding("department"),
    Role.LEADER: Binding("region", _ANY_LEVEL),
    Role.BANK: Binding("bank"),
    Role.ADMIN: Binding(""),
    Role.SUPERVISOR: Binding("region", _ANY_LEVEL),
    Role.REGULATOR: Binding("region", frozenset({"province", "city", "county"})),
    Role.HEALTH: Binding("region", frozenset({"county", "town"})),
    Role.COMMUNITY_WORKER: Binding("region", frozenset({"town"})),
    Role.EVALUATOR: Binding("region", _ANY_LEVEL, read_only=True),
}
# Roles whose scope is their own ``User.region`` (bank staff also carry their bank's region there).
REGION_BOUND_ROLES = frozenset({r for r, b in BINDINGS.items() if b.kind == "region"} | {Role.BANK})


def role_of(user: Any) -> str:
    """The role string of a user; ``anonymous`` for the public. Superusers count as administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return getattr(user, "role", None) or ANONYMOUS


def role_label(role: str) -> str:
    """The Chinese name of a role (``匿名访客`` for the public)."""
    if role == ANONYMOUS:
        return str(_("匿名访客"))
    return str(Role(role).label)
