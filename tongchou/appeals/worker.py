"""The appeals' background jobs (registered with ``core.scheduler`` through ``JOBS``):

- ``appeals.deadlines`` — the deadline pass: ``core.workflow.escalation_pass`` over the escalation
  rules declared in ``states.WORKFLOW``: warns the handling department's staff 24 h before the
  feedback and resolution deadlines, escalates overdue orders (no feedback / no answer by the
  deadline) to the department head(s) and the leaders of the region and its ancestors (the command
  centre). Each is sent once per (order, kind, deadline) — the unique ``core.Escalation`` row,
  inserted in the same transaction as the history line and the notifications — across restarts
  and concurrent workers; a new deadline after a reopen gets its own.
- ``appeals.stats`` — refreshes the figures' daily table (``stats.refresh()``: the days of the
  orders changed since the last run), so the figures page reads the table for nearly every day.
  Kept apart from the deadline pass so that one failing does not hold up the other.

``tongchou serve`` and ``tongchou worker`` run them in the scheduler loop; ``tongchou
appeals-worker`` runs only these two.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tongchou.appeals import stats
from tongchou.appeals.states import ESCALATION_LABELS, WORKFLOW
from tongchou.core.scheduler import Job
from tongchou.core.workflow.deadlines import escalation_pass

log = logging.getLogger("tongchou.appeals.worker")
DEFAULT_INTERVAL = 60.0
STATS_BATCH = 50_000  # orders per refresh transaction (a first fill of 1M: 20 short ones)


def run_once(now: datetime | None = None) -> dict[str, int]:
    """One deadline pass over every kind; how many warnings/escalations were sent, per kind."""
    return escalation_pass(WORKFLOW, now)


def refresh_stats() -> int:
    """Recount the figures' daily table for the days changed since the last run (stats.py)."""
    days = stats.refresh(batch=STATS_BATCH)
    if days:
        log.debug("诉求统计日表：重算 %s 天", days)
    return days


def _describe_counts(counts: dict[str, int]) -> str:
    sent = [f"{ESCALATION_LABELS[k]} {n} 件" for k, n in counts.items() if n]
    return "；".join(sent) or "无到期诉求"


JOBS = [
    Job(
        name="appeals.deadlines",
        label="诉求期限提醒与超期督办",
        func=run_once,
        every=DEFAULT_INTERVAL,
        describe=_describe_counts,
    ),
    Job(
        name="appeals.stats",
        label="诉求统计日表更新",
        func=refresh_stats,
        every=DEFAULT_INTERVAL,
        describe=lambda days: f"重算 {days} 天" if days else "无变化",
    ),
]
