"""System check of the working-day calendar (id tongchou.W020): chinese-calendar must know next
year's holidays, or administrators must have entered next year's overrides — otherwise deadlines in
next year are guessed as Monday–Friday (the package is usually updated each November, after the
State Council publishes the next year's holidays)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from tongchou.core import clock
from tongchou.workdays.calendar import KNOWN_YEARS


def next_year_uncovered(today: date, override_days: list[date]) -> int | None:
    """Next year, when neither the package nor any override covers it (else None)."""
    year = today.year + 1
    if year in KNOWN_YEARS or any(d.year == year for d in override_days):
        return None
    return year


@register(Tags.database)
def check_holiday_calendar(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Warning]:
    from tongchou.workdays.models import WorkdayOverride

    if not databases:  # the overrides are in the database: without it the answer would be a guess
        return []
    try:
        overrides = list(WorkdayOverride.objects.values_list("day", flat=True))
    except DatabaseError:  # not migrated yet
        overrides = []
    year = next_year_uncovered(clock.today(), overrides)
    if year is None:
        return []
    return [
        Warning(
            f"节假日数据（chinese-calendar，已知至 {max(KNOWN_YEARS)} 年）不含 {year} 年，也没有录入 {year} 年的工作日设置："
            f"{year} 年的办理期限将按周一至周五推算。",
            hint=f"升级 chinesecalendar 包，或在系统管理 › 工作日设置中录入 {year} 年的节假日与调休。",
            obj="workdays",
            id="tongchou.W020",
        )
    ]
