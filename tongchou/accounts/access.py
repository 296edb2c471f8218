"""Who may use a view: every view declares it with ``@require_roles(...)`` or ``@public``.

The declared roles are kept on the view (``view.allowed_roles``) so the role-matrix test and the
navigation can read them; the test still checks real HTTP answers against its own table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest

from tongchou.accounts.roles import ALL_ROLES, ANONYMOUS, role_of
from tongchou.core.access import public
from tongchou.core.errors import PermissionDenied

__all__ = ["api_require_roles", "public", "require_roles"]


def require_roles(*roles: str) -> Callable:
    """Allow only these roles. Anonymous users are sent to the login page; others get 403."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {unknown}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            role = role_of(request.user)
            if role in roles:
                return view(request, *args, **kwargs)
            if role == ANONYMOUS:
                return redirect_to_login(request.get_full_path())
            raise DjangoPermissionDenied

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def api_require_roles(request: HttpRequest, *roles: str) -> str:
    """For API endpoints: raise 403 (as a domain error) unless the caller has one of the roles."""
    user = getattr(request, "auth", None) or request.user
    role = role_of(user)
    if role not in roles:
        raise PermissionDenied("您没有权限执行此操作。", status=403 if role != ANONYMOUS else 401)
    return role
