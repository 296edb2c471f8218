"""The database side of the working-day calendar: overrides entered by administrators."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import DatabaseError

from tongchou.core.cache import process_cache
from tongchou.workdays.calendar import WorkdayCalendar

log = logging.getLogger(__name__)


CACHE_SECONDS = 60.0
# The overrides, per process: dropped on every save/delete here, other processes' within a minute.
_overrides = process_cache(
    "workdays.overrides", ttl=CACHE_SECONDS, invalidated_by=["workdays.WorkdayOverride"]
)


def overrides_from_db() -> dict[date, bool]:
    """All overrides; an empty dict if the table is empty or not there yet (fresh database)."""
    from tongchou.workdays.models import WorkdayOverride

    try:
        return dict(WorkdayOverride.objects.values_list("day", "is_workday"))
    except DatabaseError:  # no table yet (not migrated) or no database at all
        log.warning("工作日设置表不可用，仅使用节假日数据")
        return {}


def clear_cache(*args, **kwargs) -> None:
    _overrides.clear()


def calendar() -> WorkdayCalendar:
    """The calendar with the overrides, cached for a minute per process (cleared on every save)."""
    overrides: dict[date, bool] = _overrides.get("all", overrides_from_db)
    return WorkdayCalendar(overrides)


def deadline(start: datetime, working_days: int) -> datetime:
    return calendar().deadline(start, working_days)
