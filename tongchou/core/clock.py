"""The one clock of the platform.

Everything that asks "what time is it" goes through here so tests can travel in time (time-machine
patches the underlying calls) and so every datetime is aware and in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """Aware current time in Asia/Shanghai."""
    return dt.datetime.now(tz=SHANGHAI)


def today() -> dt.date:
    """Today's date in Asia/Shanghai (not UTC: a report filed at 07:00 Beijing time is today's)."""
    return now().date()


def localize(value: dt.datetime) -> dt.datetime:
    """Make a naive datetime aware in Asia/Shanghai; convert an aware one."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)
