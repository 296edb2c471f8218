"""The deadline worker: warns handlers 24 h before a deadline and escalates overdue appeals to the
department head and the command centre (the region's leaders) — once.

"Once" survives restarts: each warning/escalation first inserts an ``Escalation`` row, unique per
(appeal, kind, deadline), in the same transaction as its notifications. A crash before commit
leaves nothing, so the next run redoes it; after commit the row stops any repeat. Two workers
running at once (serve's thread and ``tongchou appeals-worker``) race on the unique constraint and
only one wins.

Each tick also refreshes the figures' daily table (stats.refresh(): the days of the orders changed
since the last tick), so the figures page reads the table for nearly every day.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Exists, OuterRef, Q

from tongchou.appeals import stats
from tongchou.appeals.models import Appeal, Escalation, EscalationKind
from tongchou.appeals.states import Status
from tongchou.core import clock
from tongchou.core.notifications import notify

log = logging.getLogger("tongchou.appeals.worker")
WARN_BEFORE = timedelta(hours=24)
DEFAULT_INTERVAL = 60.0
BATCH = 500
STATS_BATCH = 50_000  # orders per refresh transaction (a first fill of 1M: 20 short ones)

# kind -> (deadline field, "done" field, statuses in which the deadline still runs, is_warning)
RULES: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    EscalationKind.FEEDBACK_WARNING: ("feedback_due", "feedback_at", (Status.DISPATCHED,), True),
    EscalationKind.FEEDBACK_OVERDUE: (
        "feedback_due",
        "feedback_at",
        (Status.SUBMITTED, Status.DISPATCHED),
        False,
    ),
    EscalationKind.RESOLUTION_WARNING: (
        "resolution_due",
        "answered_at",
        (Status.DISPATCHED, Status.ACCEPTED),
        True,
    ),
    EscalationKind.RESOLUTION_OVERDUE: (
        "resolution_due",
        "answered_at",
        (Status.SUBMITTED, Status.DISPATCHED, Status.ACCEPTED),
        False,
    ),
}


def _due_appeals(kind: str, now: datetime):
    due_field, done_field, statuses, warning = RULES[kind]
    already = Escalation.objects.filter(appeal=OuterRef("pk"), kind=kind, due=OuterRef(due_field))
    q = Q(status__in=statuses, **{f"{done_field}__isnull": True})
    if warning:
        q &= Q(**{f"{due_field}__gt": now, f"{due_field}__lte": now + WARN_BEFORE})
    else:
        q &= Q(**{f"{due_field}__lt": now})
    return (
        Appeal.objects.filter(q)
        .exclude(Exists(already))
        .select_related("department", "region")
        .order_by(due_field, "pk")[:BATCH]
    )


def _handlers(appeal: Appeal) -> list[Any]:
    from tongchou.accounts.models import User

    if not appeal.department_id:
        return []
    return list(User.objects.filter(department_id=appeal.department_id, is_active=True))


def _department_heads(appeal: Appeal) -> list[Any]:
    from tongchou.accounts.models import User

    if not appeal.department_id:
        return []
    return list(
        User.objects.filter(department_id=appeal.department_id, is_department_head=True, is_active=True)
    )


def _command_centre(appeal: Appeal) -> list[Any]:
    """Leaders whose region contains the appeal's region (district and city command centres)."""
    from tongchou.accounts.models import User

    codes, node = [], appeal.region
    while node is not None:
        codes.append(node.code)
        node = node.parent
    return list(User.objects.filter(role="leader", region_id__in=codes, is_active=True))


def _message(kind: str, appeal: Appeal, due: datetime) -> tuple[str, str]:
    due_s = clock.localize(due).strftime("%Y-%m-%d %H:%M")
    dept = appeal.department.name if appeal.department_id else "（待分办）"
    titles = {
        EscalationKind.FEEDBACK_WARNING: f"提醒：诉求 {appeal.number} 须在 {due_s} 前联系反馈",
        EscalationKind.RESOLUTION_WARNING: f"提醒：诉求 {appeal.number} 须在 {due_s} 前办结答复",
        EscalationKind.FEEDBACK_OVERDUE: f"督办：诉求 {appeal.number} 超过反馈期限（{dept}）",
        EscalationKind.RESOLUTION_OVERDUE: f"督办：诉求 {appeal.number} 超过办结期限（{dept}）",
    }
    return titles[kind], appeal.text[:200]


def _process(kind: str, appeal: Appeal) -> bool:
    due_field, _, _, warning = RULES[kind]
    due = getattr(appeal, due_field)
    recipients = (
        _handlers(appeal)
        if warning
        else {u.pk: u for u in _department_heads(appeal) + _command_centre(appeal)}.values()
    )
    recipients = list(recipients)
    title, body = _message(kind, appeal, due)
    try:
        with transaction.atomic():
            Escalation.objects.create(
                appeal=appeal,
                kind=kind,
                due=due,
                created_at=clock.now(),
                recipients=[u.pk for u in recipients],
            )
            for user in recipients:
                notify(
                    user=user,
                    title=title,
                    body=body,
                    kind=f"appeal_{kind}",
                    link=f"/appeals/{appeal.number}/",
                )
    except IntegrityError:
        return False  # another worker (or an earlier run) already did it
    if not recipients:
        log.warning("诉求 %s 的%s没有接收人", appeal.number, EscalationKind(kind).label)
    return True


def run_once(now: datetime | None = None) -> dict[str, int]:
    """One pass over every kind; returns how many warnings/escalations were sent."""
    now = now or clock.now()
    counts = {}
    for kind in RULES:
        n = 0
        while True:
            batch = list(_due_appeals(kind, now))
            done = sum(_process(kind, a) for a in batch)
            n += done
            if len(batch) < BATCH or done == 0:
                break
        counts[kind] = n
    return counts


def refresh_stats() -> int:
    """Recount the figures' daily table for the days changed since the last tick (stats.py); kept
    apart from the deadline pass so that one failing does not hold up the other."""
    days = stats.refresh(batch=STATS_BATCH)
    if days:
        log.debug("诉求统计日表：重算 %s 天", days)
    return days


def run_forever(interval: float = DEFAULT_INTERVAL, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()
        try:
            counts = run_once()
            if any(counts.values()):
                log.info("诉求期限检查：%s", counts)
        except Exception:  # the worker must outlive one bad pass (e.g. database restarting)
            log.exception("诉求期限检查失败，稍后重试")
        try:
            refresh_stats()
        except Exception:  # figures stay exact without it (dirty days are counted live)
            log.exception("诉求统计日表更新失败，稍后重试")
        finally:
            close_old_connections()
        stop.wait(interval)


def start_worker_thread(interval: float = DEFAULT_INTERVAL) -> threading.Thread:
    """Started by ``tongchou serve`` (settings.TONGCHOU_BACKGROUND_WORKERS)."""
    thread = threading.Thread(target=run_forever, args=(interval,), name="appeals-worker", daemon=True)
    thread.start()
    return thread
