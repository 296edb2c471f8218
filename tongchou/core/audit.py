"""Writing the audit log. Services call ``audit_record`` inside their transaction so the entry and the
change it describes commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import models

from tongchou.core.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Record one audited action. ``actor`` may be None (system) or an anonymous user."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
        ip_address=ip_address,
    )


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None
