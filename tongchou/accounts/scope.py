"""Region scoping: the one answer to "which objects may this user see".

Region codes are hierarchical (37 > 3703 > 370306 > 370306001), so "in region X or below" is a
prefix match on the code. Every list, export and dashboard filters through these helpers.
"""

from __future__ import annotations

from typing import Any

from tongchou.accounts.roles import REGION_BOUND_ROLES, Role, role_of


def user_region_prefix(user: Any) -> str | None:
    """The region-code prefix a staff user may see; ``None`` means everything (administrators).

    Department staff see their department's region and below; leaders, bank staff and every other
    region-bound role (supervisor, regulator, health, community worker, evaluator) their own region
    (with none they see nothing). Enterprise users and the public are not region-scoped —
    they get ``""`` impossible prefix semantics via ``user_sees_everything`` being False and must
    be filtered by ownership instead.
    """
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role == Role.DEPARTMENT and user.department_id:
        return user.department.region.prefix
    if role in REGION_BOUND_ROLES and user.region_id:
        return user.region.prefix
    return "\x00"  # matches no region code


def filter_by_region(queryset: Any, user: Any, field: str = "region") -> Any:
    """Restrict ``queryset`` to the user's region subtree through ``<field>__prefix``-style lookup."""
    prefix = user_region_prefix(user)
    if prefix is None:
        return queryset
    # `region__code` is the foreign key's own column: Django trims the join, so this is one LIKE.
    return queryset.filter(**{f"{field}__code__startswith": prefix})


def region_in_scope(user: Any, region_code: str | None) -> bool:
    prefix = user_region_prefix(user)
    if prefix is None:
        return True
    return bool(region_code) and region_code.startswith(prefix)
