"""Scheduled work of the rules app: a daily match run and closing publicity periods that ended.

``start_worker`` is listed in settings.TONGCHOU_BACKGROUND_WORKERS (started by ``tongchou serve``);
``tongchou run-matching`` runs the same loop on its own. The interval is
``settings.TONGCHOU_MATCH_INTERVAL_SECONDS`` (default one day); a run happens at most once per
interval, judged by the last scheduled run stored in the database, so restarts do not repeat it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

from tongchou.core import clock

log = logging.getLogger("tongchou.rules.tasks")


def interval_seconds() -> int:
    return int(getattr(settings, "TONGCHOU_MATCH_INTERVAL_SECONDS", 24 * 3600))


def tick(now: dt.datetime | None = None) -> str:
    """One pass: close due publicity periods; run matching if the last scheduled run is old."""
    from tongchou.rules.models import MatchRun
    from tongchou.rules.services import match_run, publicity_close_due, published_versions

    now = now or clock.now()
    closed = publicity_close_due(today=now.date())
    last = MatchRun.objects.filter(trigger="schedule").order_by("-started_at").first()
    if last is not None and (now - last.started_at).total_seconds() < interval_seconds():
        return f"结束公示 {closed} 件；距上次定时比对不足间隔，未运行"
    if not published_versions(now.date()):
        return f"结束公示 {closed} 件；今天没有在有效期内的已发布规则，未运行"
    run = match_run(as_of=now.date(), trigger="schedule")
    return f"结束公示 {closed} 件；定时比对 #{run.pk}：符合 {run.eligible}，新增 {run.new_eligible}，推送 {run.notified} 户"


def loop(*, interval: int | None = None, out=None, stop: threading.Event | None = None) -> None:
    wait = min(interval or interval_seconds(), 3600)
    while not (stop and stop.is_set()):
        close_old_connections()
        try:
            msg = tick()
            log.info(msg)
            if out is not None:
                out.write(msg)
        except Exception:
            log.exception("定时比对失败")
        finally:
            close_old_connections()
        if stop is not None:
            if stop.wait(wait):
                break
        else:
            time.sleep(wait)


def start_worker() -> threading.Thread:
    """Start the scheduled-matching loop in a daemon thread (for ``tongchou serve``)."""
    thread = threading.Thread(target=loop, name="tongchou-rules-matching", daemon=True)
    thread.start()
    return thread
