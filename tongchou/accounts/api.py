"""The account behind a request (``GET /api/core/me``: the path predates the accounts app's router)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from tongchou.accounts.roles import role_of

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    enterprise_id: int | None
    department: str | None
    region_code: str | None


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    user = request.auth if hasattr(request.auth, "pk") else request.user
    return {
        "username": user.username,
        "display_name": user.display_name or user.username,
        "role": role_of(user),
        "enterprise_id": user.enterprise_id,
        "department": user.department.name if user.department_id else None,
        "region_code": user.region_id,
    }
