"""The platform's one background loop: jobs that apps register, run once per interval or daily at a
local time (optionally on working days only), whichever and however many processes run the loop.

Registration: each app keeps a ``JOBS`` list of :class:`Job` (e.g. ``tongchou/appeals/jobs.py``) and
``settings.TONGCHOU_SCHEDULED_JOBS`` lists the dotted paths of those lists — one line per app, like
the demo steps; adding a job never touches a shared list.

Once only: every job has a row in ``core.ScheduledJob``. A loop claims a due job with ONE atomic
``UPDATE … SET lease_owner=me, lease_until=now+lease WHERE name=… AND next_run_at<=now AND (no lease
or lease expired)``; the database lets exactly one process win (PostgreSQL re-checks the WHERE
after a concurrent writer commits, SQLite serialises writers), so ``tongchou serve --workers N``,
several app servers and a separate ``tongchou worker`` can all run the loop. A process that dies
mid-run holds the lease until it expires; then another takes the job over.

Failures: a job that raises is logged, its error and consecutive-failure count are stored, and it
is retried after a backoff (``retry`` seconds, doubling up to ``max_retry``); the loop goes on.
``close_old_connections()`` runs around every job. The state is shown in the Django admin
(后台任务).

Why our own loop and not django-tasks, django-q2, procrastinate or Celery beat: see the stack
table in docs/ARCHITECTURE.md (two cores, SQLite embedded by default, no broker, isolated networks,
and schedules that know the Chinese working-day calendar).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from tongchou.core import clock

log = logging.getLogger("tongchou.scheduler")

DEFAULT_POLL = 5.0


@dataclass(frozen=True)
class Job:
    """A registered background job.

    ``name``: stable id (``"appeals.deadlines"``), the key of its state row; ``label``: Chinese name
    shown to administrators; ``func()``: the work, returning a short result (text, a dict or None;
    ``describe(value)`` turns it into the Chinese text stored as the last result). Exactly one of
    ``every`` (seconds) or ``at`` (``"HH:MM"`` local time, daily). ``workdays_only``: only on
    working days of the Chinese calendar (overrides included). ``lease``: seconds a run may take
    before another process may assume it died and take over.
    """

    name: str
    label: str
    func: Callable[[], Any]
    every: float | None = None
    at: str | None = None
    workdays_only: bool = False
    lease: float = 1800
    retry: float | None = None
    max_retry: float = 3600
    describe: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name}: give exactly one of every= or at=")
        if self.every is not None and self.every <= 0:
            raise ValueError(f"job {self.name}: every must be positive")
        if self.at is not None:
            self.at_time  # noqa: B018 - validates "HH:MM"

    @property
    def at_time(self) -> dtime:
        try:
            hh, mm = (self.at or "").split(":")
            return dtime(int(hh), int(mm))
        except ValueError as exc:
            raise ValueError(f"job {self.name}: at must be HH:MM, got {self.at!r}") from exc

    @property
    def schedule_text(self) -> str:
        days = "工作日" if self.workdays_only else "每天"
        if self.at is not None:
            return f"{days} {self.at}"
        secs = int(self.every or 0)
        unit = (
            f"{secs // 3600} 小时"
            if secs % 3600 == 0
            else f"{secs // 60} 分钟"
            if secs % 60 == 0
            else f"{secs} 秒"
        )
        return f"每 {unit}" + ("（仅工作日）" if self.workdays_only else "")


# --- when (pure given a working-day predicate) --------------------------------------------------


def _weekday(day: date) -> bool:
    return day.weekday() < 5


def next_run(job: Job, after: datetime, is_workday: Callable[[date], bool] | None = None) -> datetime:
    """The first time strictly after *after* when *job* is due (aware, Asia/Shanghai)."""
    after = clock.localize(after)
    is_workday = is_workday or _weekday
    if job.at is not None:
        candidate = datetime.combine(after.date(), job.at_time, tzinfo=clock.SHANGHAI)
        if candidate <= after:
            candidate += timedelta(days=1)
    else:
        candidate = after + timedelta(seconds=job.every or 0)
    if job.workdays_only:
        for _ in range(400):
            if is_workday(candidate.date()):
                break
            nxt = candidate.date() + timedelta(days=1)
            candidate = datetime.combine(
                nxt, job.at_time if job.at is not None else dtime(0, 0), tzinfo=clock.SHANGHAI
            )
    return candidate


def first_run(job: Job, now: datetime, is_workday: Callable[[date], bool] | None = None) -> datetime:
    """When a job never run before is first due: interval jobs at once (on a working day if they
    must), daily jobs at their next time."""
    now = clock.localize(now)
    if job.every is not None and (not job.workdays_only or (is_workday or _weekday)(now.date())):
        return now
    return next_run(job, now if job.every is None else now - timedelta(seconds=job.every), is_workday)


def retry_delay(job: Job, failures: int) -> float:
    """Seconds before retrying after the *failures*-th consecutive failure: doubling from
    ``retry`` (default: the interval, at most a minute) up to ``max_retry``."""
    base = job.retry if job.retry is not None else min(60.0, job.every or 60.0)
    return float(min(base * 2 ** max(0, failures - 1), job.max_retry))


def describe(job: Job, value: Any) -> str:
    if job.describe is not None:
        return job.describe(value)
    if value is None:
        return "完成"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# --- registry ----------------------------------------------------------------------------------


def registered_jobs() -> list[Job]:
    """Every app's jobs, from ``settings.TONGCHOU_SCHEDULED_JOBS`` (dotted paths of lists)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    jobs: list[Job] = []
    for path in settings.TONGCHOU_SCHEDULED_JOBS:
        found = import_string(path)
        jobs.extend(found() if callable(found) else found)
    names = [j.name for j in jobs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"scheduled jobs registered twice: {sorted(dupes)}")
    return jobs


def job_named(name: str) -> Job:
    for job in registered_jobs():
        if job.name == name:
            return job
    raise KeyError(name)


# --- running -----------------------------------------------------------------------------------


@dataclass
class RunResult:
    job: Job
    ran: bool
    value: Any = None
    text: str = ""
    error: str = ""
    seconds: float = 0.0


def close_old_connections() -> None:
    """Django's ``close_old_connections`` (drop broken or expired connections between jobs), except
    inside a transaction someone else opened (a test's): closing there would break it."""
    from django.db import close_old_connections as close
    from django.db import connections

    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close()


def _calendar_is_workday(day: date) -> bool:
    from tongchou.core.hooks import workday_calendar

    return workday_calendar().is_workday(day)


class Scheduler:
    """One loop over *jobs* (default: every registered job). Run as many as you like, in threads
    or processes: the lease rows make each due run happen once."""

    def __init__(
        self,
        jobs: Sequence[Job] | None = None,
        *,
        owner: str = "",
        poll: float = DEFAULT_POLL,
        is_workday: Callable[[date], bool] | None = None,
    ) -> None:
        self.jobs = list(jobs) if jobs is not None else registered_jobs()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.poll = poll
        self.is_workday = is_workday or _calendar_is_workday
        self._ready = False

    def with_interval(self, every: float) -> Scheduler:
        """The same jobs with another interval (for ``--interval`` of the older commands)."""
        jobs = [replace(j, every=every) if j.every is not None else j for j in self.jobs]
        return Scheduler(jobs, owner=self.owner, poll=self.poll, is_workday=self.is_workday)

    def ensure_rows(self, now: datetime | None = None) -> None:
        """A state row per job (first due time set); labels kept current."""
        from django.db import IntegrityError, transaction

        from tongchou.core.models import ScheduledJob

        now = now or clock.now()
        existing = dict(
            ScheduledJob.objects.filter(name__in=[j.name for j in self.jobs]).values_list("name", "label")
        )
        for job in self.jobs:
            if job.name not in existing:
                try:
                    with transaction.atomic():
                        ScheduledJob.objects.create(
                            name=job.name, label=job.label, next_run_at=first_run(job, now, self.is_workday)
                        )
                except IntegrityError:
                    pass  # another process created it first
            elif existing[job.name] != job.label:
                ScheduledJob.objects.filter(name=job.name).update(label=job.label)
        self._ready = True

    def _claim(self, job: Job, now: datetime, *, force: bool) -> bool:
        from django.db.models import Q

        from tongchou.core.models import ScheduledJob

        qs = ScheduledJob.objects.filter(name=job.name).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )
        if not force:
            qs = qs.filter(next_run_at__lte=now)
        return (
            qs.update(
                lease_owner=self.owner[:120],
                lease_until=now + timedelta(seconds=job.lease),
                last_started_at=now,
            )
            == 1
        )

    def _run(self, job: Job, started: datetime) -> RunResult:
        from django.db.models import F

        from tongchou.core.models import ScheduledJob

        t0 = time.monotonic()
        close_old_connections()
        try:
            value = job.func()
        except Exception as exc:
            seconds = time.monotonic() - t0
            log.exception("后台任务“%s”失败", job.label)
            close_old_connections()
            err = "".join(traceback.format_exception(exc))[-4000:]
            row = ScheduledJob.objects.filter(name=job.name).values_list("failures", flat=True).first() or 0
            now = clock.now()
            ScheduledJob.objects.filter(name=job.name, lease_owner=self.owner[:120]).update(
                lease_owner="",
                lease_until=None,
                last_finished_at=now,
                last_duration_ms=int(seconds * 1000),
                last_result=f"失败：{exc}"[:2000],
                last_error=err,
                last_error_at=now,
                failures=F("failures") + 1,
                runs=F("runs") + 1,
                next_run_at=now + timedelta(seconds=retry_delay(job, row + 1)),
            )
            return RunResult(job, True, error=str(exc) or type(exc).__name__, seconds=seconds)
        seconds = time.monotonic() - t0
        close_old_connections()
        text = describe(job, value)
        now = clock.now()
        ScheduledJob.objects.filter(name=job.name, lease_owner=self.owner[:120]).update(
            lease_owner="",
            lease_until=None,
            last_finished_at=now,
            last_duration_ms=int(seconds * 1000),
            last_result=text[:2000],
            last_success_at=now,
            failures=0,
            runs=F("runs") + 1,
            next_run_at=max(next_run(job, started, self.is_workday), now)
            if job.every is not None
            else next_run(job, now, self.is_workday),
        )
        log.debug("后台任务“%s”：%s", job.label, text)  # stored in its row; routine runs stay out of the log
        return RunResult(job, True, value=value, text=text, seconds=seconds)

    def run_pending(self, now: datetime | None = None) -> list[RunResult]:
        """Run every job that is due and not held by another process; what ran. One read per poll;
        a write only to claim a job that the read found due (SQLite's writers queue one at a time)."""
        from tongchou.core.models import ScheduledJob

        rows = {
            name: (next_run_at, lease_until)
            for name, next_run_at, lease_until in ScheduledJob.objects.filter(
                name__in=[j.name for j in self.jobs]
            ).values_list("name", "next_run_at", "lease_until")
        }
        if not self._ready or len(rows) < len(self.jobs):
            self.ensure_rows(now)
            return self.run_pending(now) if self._rows_complete() else []
        results = []
        for job in self.jobs:
            started = now or clock.now()
            due, lease = rows[job.name]
            if due is None or due > started or (lease is not None and lease >= started):
                continue
            if self._claim(job, started, force=False):
                results.append(self._run(job, started))
        return results

    def _rows_complete(self) -> bool:
        from tongchou.core.models import ScheduledJob

        return ScheduledJob.objects.filter(name__in=[j.name for j in self.jobs]).count() == len(self.jobs)

    def run_job(self, name: str, *, now: datetime | None = None) -> RunResult:
        """Run one job now, whatever its schedule, unless another process holds it right now."""
        job = next(j for j in self.jobs if j.name == name)
        if not self._ready:
            self.ensure_rows(now)
        started = now or clock.now()
        if not self._claim(job, started, force=True):
            return RunResult(job, False, text="另一进程正在运行该任务")
        return self._run(job, started)

    def run_forever(self, stop: threading.Event | None = None) -> None:
        """Poll every ``poll`` seconds until *stop* is set; nothing a job does stops the loop."""
        stop = stop or threading.Event()
        log.info("后台任务循环已启动（%s）：%s", self.owner, "、".join(j.label for j in self.jobs))
        while not stop.is_set():
            try:
                self.run_pending()
            except Exception:  # the database may be restarting: try again next poll
                log.exception("后台任务循环出错，稍后重试")
                self._ready = False
            finally:
                close_old_connections()
            stop.wait(self.poll)


def start_scheduler_thread(
    jobs: Iterable[Job] | None = None, *, poll: float = DEFAULT_POLL
) -> threading.Thread:
    """The loop in a daemon thread (``tongchou serve`` runs one per server, in its parent process)."""
    scheduler = Scheduler(list(jobs) if jobs is not None else None, poll=poll)
    thread = threading.Thread(target=scheduler.run_forever, name="tongchou-scheduler", daemon=True)
    thread.start()
    return thread
