"""Scheduled work of the rules app, registered with ``core.scheduler`` through ``JOBS``:

- ``rules.publicity`` — closes the publicity periods that have ended with no open objection
  (hourly);
- ``rules.matching`` — runs matching over every enterprise as of today, at most once per
  ``settings.TONGCHOU_MATCH_INTERVAL_SECONDS`` (default one day) judged by the last scheduled
  ``MatchRun`` stored in the database (so a restart or a second server does not repeat it), and
  only when some published rule is in force today. It checks hourly.

``tongchou serve`` and ``tongchou worker`` run them; ``tongchou run-matching`` runs only these.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings

from tongchou.core import clock
from tongchou.core.scheduler import Job

log = logging.getLogger("tongchou.rules.tasks")
CHECK_EVERY = 3600.0


def interval_seconds() -> int:
    return settings.TONGCHOU_MATCH_INTERVAL_SECONDS


def close_publicity(now: dt.datetime | None = None) -> str:
    from tongchou.rules.services import publicity_close_due

    now = now or clock.now()
    return f"结束公示 {publicity_close_due(today=now.date())} 件"


def match_if_due(now: dt.datetime | None = None) -> str:
    from tongchou.rules.models import MatchRun
    from tongchou.rules.services import match_run, published_versions

    now = now or clock.now()
    last = MatchRun.objects.filter(trigger="schedule").order_by("-started_at").first()
    if last is not None and (now - last.started_at).total_seconds() < interval_seconds():
        return "距上次定时比对不足间隔，未运行"
    if not published_versions(now.date()):
        return "今天没有在有效期内的已发布规则，未运行"
    run = match_run(as_of=now.date(), trigger="schedule")
    return f"定时比对 #{run.pk}：符合 {run.eligible}，新增 {run.new_eligible}，推送 {run.notified} 户"


def tick(now: dt.datetime | None = None) -> str:
    """Both jobs' work once, in order (what ``run-matching --once`` prints)."""
    now = now or clock.now()
    return f"{close_publicity(now)}；{match_if_due(now)}"


JOBS = [
    Job(name="rules.publicity", label="结束到期公示", func=close_publicity, every=CHECK_EVERY),
    # a match run over every enterprise takes minutes: a long lease keeps a second process off it
    Job(name="rules.matching", label="定时政策比对", func=match_if_due, every=CHECK_EVERY, lease=6 * 3600),
]
