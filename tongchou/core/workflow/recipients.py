"""Who hears of a deadline: building blocks for ``EscalationRule.recipients``.

Each returns a function ``obj -> list[User]`` reading a department or region attribute of the
object; ``anyone_of(a, b)`` joins several (each user once)::

    recipients=anyone_of(department_heads(), region_leaders())
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tongchou.core.workflow.engine import users_by_pk

Recipients = Callable[[Any], list[Any]]


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True)


def department_staff(attr: str = "department") -> Recipients:
    """Every active account of the object's department (the handlers)."""

    def pick(obj: Any) -> list[Any]:
        dept_id = getattr(obj, f"{attr}_id", None)
        return list(_users().filter(department_id=dept_id)) if dept_id else []

    return pick


def department_heads(attr: str = "department") -> Recipients:
    """The heads (负责人) of the object's department."""

    def pick(obj: Any) -> list[Any]:
        dept_id = getattr(obj, f"{attr}_id", None)
        return list(_users().filter(department_id=dept_id, is_department_head=True)) if dept_id else []

    return pick


def region_leaders(attr: str = "region") -> Recipients:
    """The command-centre leaders of the object's region and of every region above it (district,
    city, province)."""

    def pick(obj: Any) -> list[Any]:
        region = getattr(obj, attr, None)
        if region is None:
            return []
        return list(_users().filter(role="leader", region_id__in=[region.code, *region.ancestor_codes()]))

    return pick


def anyone_of(*pickers: Recipients) -> Recipients:
    def pick(obj: Any) -> list[Any]:
        return users_by_pk(u for p in pickers for u in p(obj))

    return pick
