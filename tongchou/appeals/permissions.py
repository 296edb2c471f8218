"""The appeals permission policy: which appeals a user may see, and what they may do to one.

- enterprise users: their enterprise's appeals (and any they submitted themselves);
- department staff: only appeals currently dispatched to their department (the API also lets an
  account read back an order it filed itself, see api.py);
- leaders (the command centre / dispatchers): their region and below;
- administrators: everything;
- the public: one appeal at a time, by number + phone (see selectors.appeal_for_public).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.roles import Role, role_of
from tongchou.accounts.scope import filter_by_region, region_in_scope
from tongchou.appeals.states import Action

DISPATCHER_ROLES = {Role.LEADER, Role.ADMIN}


def visible_appeals(user: Any, qs: QuerySet) -> QuerySet:
    role = role_of(user)
    if role == Role.ADMIN:
        return qs
    if role == Role.LEADER:
        return filter_by_region(qs, user)
    if role == Role.DEPARTMENT:
        if not user.department_id:
            return qs.none()
        return qs.filter(department_id=user.department_id)
    if role == Role.ENTERPRISE:
        q = Q(submitter_id=user.pk)
        if user.enterprise_id:
            q |= Q(enterprise_id=user.enterprise_id)
        return qs.filter(q)
    return qs.none()


def visible_day_stats(user: Any, qs: QuerySet) -> QuerySet | None:
    """The figures' daily table (AppealDayStat) in the same scope as :func:`visible_appeals`, or
    ``None`` when the table cannot express that scope (an enterprise's own orders are not a cell):
    the figures are then counted from the orders."""
    role = role_of(user)
    if role == Role.ADMIN:
        return qs
    if role == Role.LEADER:
        return filter_by_region(qs, user)
    if role == Role.DEPARTMENT:
        if not user.department_id:
            return qs.none()
        return qs.filter(department_id=user.department_id)
    if role == Role.ENTERPRISE:
        return None
    return qs.none()


def is_submitter(user: Any, appeal: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if appeal.submitter_id and appeal.submitter_id == user.pk:
        return True
    return bool(appeal.enterprise_id) and appeal.enterprise_id == getattr(user, "enterprise_id", None)


def is_dispatcher(user: Any, appeal: Any) -> bool:
    role = role_of(user)
    return role in DISPATCHER_ROLES and region_in_scope(user, appeal.region_id)


def is_handler(user: Any, appeal: Any) -> bool:
    return (
        role_of(user) == Role.DEPARTMENT
        and bool(appeal.department_id)
        and appeal.department_id == getattr(user, "department_id", None)
    )


def may(user: Any, action: str, appeal: Any, *, public_verified: bool = False) -> bool:
    """May *user* perform *action* on *appeal*? (State legality is checked separately.)"""
    act = Action(action)
    if act in (Action.DISPATCH, Action.MERGE, Action.CLOSE):
        return is_dispatcher(user, appeal)
    if act in (Action.ACCEPT, Action.ANSWER, Action.RETURN, Action.TRANSFER):
        return is_handler(user, appeal) or is_dispatcher(user, appeal)
    if act is Action.RATE:
        return is_submitter(user, appeal) or (public_verified and appeal.submitter_id is None)
    if act is Action.REOPEN:
        return (
            is_submitter(user, appeal)
            or (public_verified and appeal.submitter_id is None)
            or is_dispatcher(user, appeal)
        )
    return False


def may_see_phone(user: Any, appeal: Any) -> bool:
    """The unmasked phone is for the people who must call the submitter back."""
    return is_handler(user, appeal) or is_dispatcher(user, appeal)
