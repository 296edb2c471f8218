"""The roles of the platform. Strings, because URL expectations, templates and the API all speak them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    DEPARTMENT = "department", _("部门工作人员")
    LEADER = "leader", _("指挥部领导")
    BANK = "bank", _("银行工作人员")
    ADMIN = "admin", _("系统管理员")


ANONYMOUS = "anonymous"
ALL_ROLES = [ANONYMOUS, *Role.values]
STAFF_ROLES = {Role.DEPARTMENT, Role.LEADER, Role.ADMIN}


def role_of(user: Any) -> str:
    """The role string of a user; ``anonymous`` for the public. Superusers count as administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return getattr(user, "role", None) or ANONYMOUS
