"""Deadlines and escalation, for any workflow.

- ``deadline(start, n)``: 23:59:59 of the n-th working day after *start* (the Chinese calendar with
  the administrators' overrides, ``tongchou.workdays``); ``deadline_in_hours(start, h)``: plain
  hours ("within 2 hours" of a health alert).
- ``escalation_pass(workflow, now)``: for each of the workflow's ``EscalationRule``s, finds the
  objects whose deadline is near (warnings) or past (escalations) in a state where it still runs,
  and for each one, in ONE transaction: inserts the unique ``core.Escalation`` row (workflow,
  object id, kind, deadline), re-checks the object under its row lock, writes a line into the
  object's history and an audit entry, and stores the notifications (sent after commit). The
  unique row makes it once-only across restarts and concurrent workers: a crash before commit
  leaves nothing (the next pass redoes it), a second worker loses on the constraint, a worker down
  for days catches up on its first pass, and a new deadline gets its own row.
- ``escalation_job(workflow, every=60)``: the scheduler job running that pass.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from tongchou.core import clock
from tongchou.core.workflow.definition import EscalationRule, Workflow
from tongchou.core.workflow.engine import model_of, record_event, users_by_pk

log = logging.getLogger("tongchou.workflow")
BATCH = 500


def deadline(start: datetime, working_days: int) -> datetime:
    """23:59:59 of the *working_days*-th working day strictly after *start*'s day (local time)."""
    from tongchou.core.hooks import workday_calendar

    return workday_calendar().deadline(clock.localize(start), working_days)


def deadline_in_hours(start: datetime, hours: float) -> datetime:
    """*hours* after *start*, clock hours (nights and holidays count): for urgent work."""
    return clock.localize(start) + timedelta(hours=hours)


def _pending(workflow: Workflow, rule: EscalationRule, now: datetime) -> Q:
    q = Q(**{f"{workflow.state_field}__in": list(rule.states)})
    if rule.done_field:
        q &= Q(**{f"{rule.done_field}__isnull": True})
    if rule.is_warning:
        q &= Q(**{f"{rule.due_field}__gt": now, f"{rule.due_field}__lte": now + rule.warn_before})
    else:
        q &= Q(**{f"{rule.due_field}__lt": now})
    return q


def due_objects(workflow: Workflow, rule: EscalationRule, now: datetime) -> list[Any]:
    """Up to BATCH objects for which *rule* is due now and not yet sent for this deadline."""
    from tongchou.core.models import Escalation

    model = model_of(workflow.model)
    already = Escalation.objects.filter(
        workflow=workflow.name, object_id=OuterRef("pk"), kind=rule.kind, due=OuterRef(rule.due_field)
    )
    qs = model.objects.filter(_pending(workflow, rule, now)).exclude(Exists(already))
    if workflow.lock_related:
        qs = qs.select_related(*workflow.lock_related)
    return list(qs.order_by(rule.due_field, "pk")[:BATCH])


def escalate(workflow: Workflow, rule: EscalationRule, obj: Any, now: datetime) -> bool:
    """Send *rule* for *obj* once; False when it was already sent or no longer applies."""
    from tongchou.core.models import Escalation
    from tongchou.core.notifications import notify_users

    due = getattr(obj, rule.due_field)
    recipients = users_by_pk(rule.recipients(obj))
    title, body = rule.message(obj, due)
    try:
        with transaction.atomic():
            Escalation.objects.create(
                workflow=workflow.name,
                object_id=obj.pk,
                kind=rule.kind,
                due=due,
                created_at=now,
                recipients=[u.pk for u in recipients],
            )
            # the object may have moved since it was read: re-check under its row lock
            model = model_of(workflow.model)
            still = (
                model.objects.select_for_update(of=("self",))
                .filter(_pending(workflow, rule, now), pk=obj.pk, **{rule.due_field: due})
                .exists()
            )
            if not still:
                transaction.set_rollback(True)
                return False
            record_event(
                workflow,
                obj,
                rule.kind,
                actor=None,
                reason=title,
                detail={"due": clock.localize(due).isoformat(), "recipients": len(recipients)},
                actor_label_fallback="系统",
            )
            notify_users(
                recipients,
                title=title,
                body=body,
                kind=rule.notification_kind or f"{workflow.name}_{rule.kind}",
                link=rule.link(obj) if rule.link else "",
            )
    except IntegrityError:
        return False  # another worker (or an earlier pass) already sent it
    if not recipients:
        log.warning("%s #%s 的%s没有接收人", workflow.label, obj.pk, rule.label)
    return True


def escalation_pass(workflow: Workflow, now: datetime | None = None) -> dict[str, int]:
    """One pass over every escalation rule of *workflow*; how many were sent, per kind."""
    now = now or clock.now()
    counts: dict[str, int] = {}
    for rule in workflow.escalations:
        sent = 0
        while True:
            batch = due_objects(workflow, rule, now)
            done = sum(escalate(workflow, rule, obj, now) for obj in batch)
            sent += done
            if len(batch) < BATCH or done == 0:
                break
        counts[rule.kind] = sent
        if sent:
            log.info("%s：%s %s 件", workflow.label, rule.label, sent)
    return counts


def escalation_job(workflow: Workflow, *, every: float = 60, name: str = "", label: str = "") -> Any:
    """The scheduler job that runs ``escalation_pass(workflow)`` every *every* seconds."""
    from tongchou.core.scheduler import Job

    def run() -> str:
        counts = escalation_pass(workflow)
        sent = {k: n for k, n in counts.items() if n}
        if not sent:
            return "无到期事项"
        labels = {r.kind: r.label for r in workflow.escalations}
        return "；".join(f"{labels[k]} {n} 件" for k, n in sent.items())

    return Job(
        name=name or f"{workflow.name}.deadlines",
        label=label or f"{workflow.label}期限提醒与督办",
        func=run,
        every=every,
    )
