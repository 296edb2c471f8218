"""The one clock of the platform.

Everything that asks "what time is it" goes through here so tests can travel in time (time-machine
patches the underlying calls) and so every datetime is aware and in Asia/Shanghai.

A demo install lives in the seeds' period (early 2020): ``tongchou demo`` writes
``$TONGCHOU_HOME/demo_clock.json`` with the demo's date, and from then on this clock runs at a fixed
offset from the real one — the demo starts at 09:00 of that date and time flows normally, so
deadlines, "立即比对" and scheduled jobs make sense against the demo's data. A production install has
no such file and no offset. Django's own bookkeeping (sessions, last login, lock-outs) keeps the
real clock.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_CLOCK_FILE = "demo_clock.json"
_offset = dt.timedelta(0)
_demo_date: dt.date | None = None


def now() -> dt.datetime:
    """Aware current time in Asia/Shanghai (shifted into the demo's period on a demo install)."""
    return dt.datetime.now(tz=SHANGHAI) + _offset


def today() -> dt.date:
    """Today's date in Asia/Shanghai (not UTC: a report filed at 07:00 Beijing time is today's)."""
    return now().date()


def localize(value: dt.datetime) -> dt.datetime:
    """Make a naive datetime aware in Asia/Shanghai; convert an aware one."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def demo_date() -> dt.date | None:
    """The date a demo install started living on, or None (production, tests)."""
    return _demo_date


def _apply(data: dict) -> None:
    global _offset, _demo_date
    _demo_date = dt.date.fromisoformat(data["demo_date"])
    _offset = dt.timedelta(seconds=float(data["offset_seconds"]))


def load_demo_clock(home: str | Path) -> None:
    """Read ``demo_clock.json`` from the data folder, if there is one (called once at start-up)."""
    path = Path(home) / DEMO_CLOCK_FILE
    if not path.exists():
        reset_demo_clock()
        return
    _apply(json.loads(path.read_text(encoding="utf-8")))


def start_demo_clock(home: str | Path, day: dt.date, *, at: dt.time = dt.time(9, 0)) -> dt.datetime:
    """Make this install live on *day* from *at* onwards (written for every later process too)."""
    real = dt.datetime.now(tz=SHANGHAI)
    start = dt.datetime.combine(day, at, tzinfo=SHANGHAI)
    data = {"demo_date": day.isoformat(), "offset_seconds": (start - real).total_seconds()}
    (Path(home) / DEMO_CLOCK_FILE).write_text(json.dumps(data), encoding="utf-8")
    _apply(data)
    return now()


def reset_demo_clock() -> None:
    """Back to the real clock in this process (tests; a demo install keeps its file)."""
    global _offset, _demo_date
    _offset, _demo_date = dt.timedelta(0), None
