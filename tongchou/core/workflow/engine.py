"""Performing a declared workflow's moves on database rows.

``transition()`` is the one way an object changes state: lock the row, check who may and what must
hold, apply the changes, save, write the history event and the audit entry — all in one
transaction — and store notifications that the senders get after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models, transaction

from tongchou.core import clock
from tongchou.core.audit import audit_record
from tongchou.core.errors import IllegalTransition, PermissionDenied, TongchouError
from tongchou.core.workflow.definition import Move, Workflow

Changes = Mapping[str, Any] | Callable[[Any], Mapping[str, Any] | None] | None


def model_of(ref: Any) -> type[models.Model]:
    """A model class from a class or an "app_label.ModelName" string."""
    return apps.get_model(ref) if isinstance(ref, str) else ref


def actor_label(actor: Any, fallback: str = "") -> str:
    """How the history names the actor: display name or username; *fallback* for the public or
    the system."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return getattr(actor, "display_name", "") or actor.get_username()
    return fallback


def _role(user: Any) -> str:
    from tongchou.core.hooks import role_of

    return role_of(user)


def may(workflow: Workflow, action: str, user: Any, obj: Any, **params: Any) -> bool:
    """May *user* fire *action* on *obj* (permission only, not the state)?"""
    return workflow.permits(action, user, obj, {**params, "_role": _role(user)})


def allowed_actions(workflow: Workflow, obj: Any, user: Any, **params: Any) -> list[str]:
    """The actions *user* could fire on *obj* now (state, guards and permission): the buttons to
    show. A ``may`` that raises (e.g. NotFound for not-yours) counts as no."""
    current = getattr(obj, workflow.state_field)
    out = []
    for action in workflow.actions_from(current):
        if not workflow.is_allowed(current, action, obj):
            continue
        try:
            if may(workflow, action, user, obj, **params):
                out.append(action)
        except TongchouError:
            continue
    return out


def lock(workflow: Workflow, obj: Any) -> Any:
    """Re-read *obj* under a row lock (``SELECT … FOR UPDATE OF self``; SQLite serialises writers
    with BEGIN IMMEDIATE instead)."""
    model = model_of(workflow.model)
    qs = model.objects.select_for_update(of=("self",))
    if workflow.lock_related:
        qs = qs.select_related(*workflow.lock_related)
    return qs.get(pk=obj.pk)


def transition(
    workflow: Workflow,
    obj: Any,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    changes: Changes = None,
    notify: Callable[[Any, Move], None] | None = None,
    params: Mapping[str, Any] | None = None,
    actor_label_fallback: str = "",
) -> Any:
    """Perform *action* on *obj*; returns the locked, saved object.

    In one transaction: lock the row; ``PermissionDenied`` if the transition's ``may`` refuses;
    ``IllegalTransition`` if the current state does not allow the action, a required reason is
    missing or a guard refuses (messages name the current state and the action); then
    ``changes`` — a mapping of field → value, or a callable given the locked object that returns
    one (and may raise a ``ValidationFailed``) — and the new state are saved; the workflow's event
    row and an audit entry ``<audit_prefix>.<action>`` are written; ``notify(obj, move)`` (or the
    transition's declared one) stores notifications, which ``core.notifications`` hands to the
    senders only after commit. Anything raised leaves nothing written.

    ``params`` reach ``may`` callables as keyword arguments and guards as ``move.params``;
    ``actor_label_fallback`` names a public or system actor in the history ("系统", "提交人").
    """
    t = workflow.transitions.get(action)
    if t is None:
        raise IllegalTransition(f"未知的操作：{action}", code="unknown_action", detail={"action": action})
    params = dict(params or {})
    with transaction.atomic():
        obj = lock(workflow, obj)
        if not may(workflow, action, actor, obj, **params):
            raise PermissionDenied(f"您无权对该{workflow.label}执行“{t.label}”。")
        current = getattr(obj, workflow.state_field)
        move = Move(
            workflow, obj, action, actor=actor, reason=reason, detail=dict(detail or {}), params=params,
            from_state=current,
        )  # fmt: skip
        move.to_state = workflow.check(current, action, reason=reason, obj=obj, move=move)
        values = dict((changes(obj) if callable(changes) else changes) or {})
        before = _apply(obj, values)
        setattr(obj, workflow.state_field, move.to_state)
        obj.save(update_fields=[workflow.state_field, *values])
        _write_event(
            workflow,
            obj,
            action=action,
            actor=actor,
            from_state=current,
            to_state=move.to_state,
            reason=reason,
            detail=move.detail,
            before=before,
            label_fallback=actor_label_fallback or workflow.anonymous_label,
        )
        _audit(workflow, obj, move, audit_name=t.audit or action)
        notifier = notify or t.notify
        if notifier is not None:
            notifier(obj, move)
    return obj


def record_event(
    workflow: Workflow,
    obj: Any,
    action: str,
    *,
    actor: Any,
    reason: str = "",
    detail: Mapping[str, Any] | None = None,
    actor_label_fallback: str = "",
    audit: bool = True,
) -> Any:
    """A history line (and audit entry) without a state change: a note, a follow-up, an upload,
    an escalation. Call it inside the transaction that made the change it records."""
    state = getattr(obj, workflow.state_field)
    event = _write_event(
        workflow,
        obj,
        action=action,
        actor=actor,
        from_state=state,
        to_state=state,
        reason=reason,
        detail=dict(detail or {}),
        before={},
        label_fallback=actor_label_fallback or workflow.anonymous_label,
    )
    if audit:
        _audit(workflow, obj, Move(workflow, obj, action, actor=actor, reason=reason), audit_name=action)
    return event


def _apply(obj: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the changed fields; return their previous values by attribute name (department_id)."""
    before = {}
    for name, value in values.items():
        f = obj._meta.get_field(name)
        before[f.attname] = getattr(obj, f.attname)
        setattr(obj, name, value)
    return before


def _write_event(
    workflow: Workflow,
    obj: Any,
    *,
    action: str,
    actor: Any,
    from_state: str,
    to_state: str,
    reason: str,
    detail: dict,
    before: Mapping[str, Any],
    label_fallback: str,
) -> Any:
    if workflow.event_model is None:
        return None
    fields: dict[str, Any] = {
        workflow.event_fk: obj,
        "at": clock.now(),
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
        "actor_label": actor_label(actor, label_fallback),
        "action": action,
        "from_status": from_state,
        "to_status": to_state,
        "reason": reason,
        "detail": detail,
    }
    if workflow.event_fields is not None:
        fields.update(workflow.event_fields(obj, before))
    return model_of(workflow.event_model).objects.create(**fields)


def _audit(workflow: Workflow, obj: Any, move: Move, *, audit_name: str) -> None:
    detail = (
        dict(workflow.audit_detail(obj, move))
        if workflow.audit_detail is not None
        else {"from": move.from_state, "to": move.to_state, "reason": move.reason}
    )
    prefix = workflow.audit_prefix or workflow.name
    audit_record(actor=move.actor, action=f"{prefix}.{audit_name}", obj=obj, detail=detail)


def users_by_pk(users: Iterable[Any]) -> list[Any]:
    """Distinct users in first-seen order (recipient lists put together from several sources)."""
    seen: dict[Any, Any] = {}
    for u in users:
        seen.setdefault(u.pk, u)
    return list(seen.values())
