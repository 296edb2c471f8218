"""Working-day calendar for deadlines (pure: imports no Django).

Working days come from ``chinese_calendar`` (official holidays and adjusted working weekends,
2004 to the last year the package knows) plus *overrides* (``date -> is_workday``) that
administrators enter for years the package does not know yet, or to correct a day. Overrides
always win. For a day of an unknown year with no override we fall back to "Monday-Friday are
working days" and remember the year in :attr:`WorkdayCalendar.guessed_years` so callers can
report that the answer is a guess.

Deadline convention (other tools rely on it): a deadline of N working days falls at 23:59:59 of
the N-th working day strictly after the day of submission.

>>> from datetime import datetime
>>> deadline(datetime(2020, 4, 30, 10, 0), 2)
datetime.datetime(2020, 5, 7, 23, 59, 59)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)

Overrides = Mapping[date, bool]

END_OF_DAY = time(23, 59, 59)
# chinese_calendar raises NotImplementedError outside the years it knows; find them once.
KNOWN_YEARS: frozenset[int] = frozenset(d.year for d in chinese_calendar.holidays) & frozenset(
    d.year for d in chinese_calendar.workdays
)
MAX_WORKING_DAYS = 3660  # ten years; a longer deadline is a data error, not a plan


class WorkdayCalendar:
    """Answers "is this day a working day?" from the package plus overrides."""

    def __init__(self, overrides: Overrides | None = None) -> None:
        self.overrides: dict[date, bool] = dict(overrides or {})
        self.guessed_years: set[int] = set()

    def knows(self, day: date) -> bool:
        """True when the answer for *day* is authoritative (package year or override)."""
        return day in self.overrides or day.year in KNOWN_YEARS

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return bool(self.overrides[day])
        if day.year in KNOWN_YEARS:
            return chinese_calendar.is_workday(day)
        if day.year not in self.guessed_years:
            logger.warning("年份 %s 不在节假日数据中且无人工设置，按周一至周五工作推算", day.year)
            self.guessed_years.add(day.year)
        return day.weekday() < 5

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day strictly after *day* (n == 0 gives *day* itself)."""
        if n < 0:
            raise ValueError("working days must be >= 0")
        if n > MAX_WORKING_DAYS:
            raise ValueError(f"working days must be <= {MAX_WORKING_DAYS}")
        current = day
        remaining = n
        while remaining:
            current += timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative if end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

    def deadline(self, start: datetime, working_days: int) -> datetime:
        """23:59:59 of the N-th working day strictly after the day of *start* (same tzinfo)."""
        due_day = self.add_working_days(start.date(), working_days)
        return datetime.combine(due_day, END_OF_DAY, tzinfo=start.tzinfo)


def deadline(start: datetime, working_days: int, overrides: Overrides | None = None) -> datetime:
    """Deadline of *working_days* working days after *start*; see the module docstring."""
    return WorkdayCalendar(overrides).deadline(start, working_days)


def is_workday(day: date, overrides: Overrides | None = None) -> bool:
    return WorkdayCalendar(overrides).is_workday(day)
