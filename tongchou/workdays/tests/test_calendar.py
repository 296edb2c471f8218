"""Working-day calendar and the deadline convention (pure; no database)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tongchou.workdays.calendar import KNOWN_YEARS, WorkdayCalendar, deadline, is_workday

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # the example from the issue: May 1-5 2020 are holidays
        ("2020-04-30T10:00", 2, "2020-05-07T23:59:59"),
        # Sunday 2020-04-26 was an adjusted working day: counted
        ("2020-04-25T09:00", 1, "2020-04-26T23:59:59"),
        # Saturday 2020-05-09 was an adjusted working day
        ("2020-05-08T16:00", 1, "2020-05-09T23:59:59"),
        # Spring Festival 2020 was extended to 2 February; Monday 3 February was the first workday
        ("2020-01-23T18:00", 1, "2020-02-03T23:59:59"),
        ("2020-01-23T18:00", 2, "2020-02-04T23:59:59"),
        # Saturday 2020-02-01 was originally a working day but fell into the extension
        ("2020-01-31T08:00", 1, "2020-02-03T23:59:59"),
        # Sunday 2020-01-19 was an adjusted working day before the festival
        ("2020-01-18T08:00", 1, "2020-01-19T23:59:59"),
        # Dragon Boat 2020: 25-27 June off, Sunday 28 June worked
        ("2020-06-24T12:00", 1, "2020-06-28T23:59:59"),
        # National Day 2020: 1-8 October off, Sunday 27 Sept and Saturday 10 Oct worked
        ("2020-09-26T12:00", 1, "2020-09-27T23:59:59"),
        ("2020-09-30T12:00", 1, "2020-10-09T23:59:59"),
        ("2020-09-30T12:00", 2, "2020-10-10T23:59:59"),
        # ordinary week: Friday + 2 = Tuesday
        ("2020-03-20T10:00", 2, "2020-03-24T23:59:59"),
        # submitted at 23:59 still counts from the next day
        ("2020-03-19T23:59", 2, "2020-03-23T23:59:59"),
        # 2026 (current year): New Year 1-3 Jan off, Sunday 4 Jan worked
        ("2025-12-31T10:00", 1, "2026-01-04T23:59:59"),
        # Spring Festival 2026: 15-23 Feb off, Saturday 14 Feb and Saturday 28 Feb worked
        ("2026-02-13T10:00", 1, "2026-02-14T23:59:59"),
        ("2026-02-13T10:00", 2, "2026-02-24T23:59:59"),
        ("2026-02-27T10:00", 1, "2026-02-28T23:59:59"),
        # Labour Day 2026: 1-5 May off, Saturday 9 May worked
        ("2026-04-30T10:00", 2, "2026-05-07T23:59:59"),
        ("2026-05-08T10:00", 1, "2026-05-09T23:59:59"),
        # Mid-autumn 2026 (25-27 Sept) and National Day 2026 (1-7 Oct), Saturday 10 Oct worked
        ("2026-09-24T10:00", 1, "2026-09-28T23:59:59"),
        ("2026-09-19T10:00", 1, "2026-09-20T23:59:59"),
        ("2026-09-30T10:00", 1, "2026-10-08T23:59:59"),
        ("2026-10-09T10:00", 1, "2026-10-10T23:59:59"),
        # a longer resolution deadline across the 2026 National Day week
        ("2026-09-28T10:00", 5, "2026-10-10T23:59:59"),
    ],
)
def test_deadline_follows_holidays_and_adjusted_weekends(start, n, due):
    got = deadline(datetime.fromisoformat(start), n)
    assert got == datetime.fromisoformat(due)


def test_deadline_keeps_timezone():
    got = deadline(datetime(2020, 4, 30, 10, 0, tzinfo=SH), 2)
    assert got == datetime(2020, 5, 7, 23, 59, 59, tzinfo=SH)
    assert got.tzinfo is SH


def test_zero_working_days_is_end_of_submission_day():
    assert deadline(datetime(2020, 4, 30, 10), 0) == datetime(2020, 4, 30, 23, 59, 59)


def test_negative_working_days_refused():
    with pytest.raises(ValueError):
        deadline(datetime(2020, 4, 30, 10), -1)


def test_package_knows_2020_and_2026():
    assert {2020, 2026} <= KNOWN_YEARS


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2020, 4, 26), True),  # adjusted Sunday
        (date(2020, 5, 9), True),  # adjusted Saturday
        (date(2020, 2, 1), False),  # extended Spring Festival
        (date(2020, 5, 4), False),
        (date(2026, 2, 14), True),
        (date(2026, 2, 28), True),
        (date(2026, 10, 7), False),
        (date(2026, 11, 23), True),
    ],
)
def test_is_workday_uses_official_calendar(day, workday):
    assert is_workday(day) is workday


def test_unknown_year_falls_back_to_weekdays_and_reports_it():
    year = max(KNOWN_YEARS) + 1
    cal = WorkdayCalendar()
    # 1 January of the unknown year: no data, so a weekday counts as a working day
    first = date(year, 1, 1)
    assert cal.is_workday(first) is (first.weekday() < 5)
    assert year in cal.guessed_years
    assert not cal.knows(first)


def test_override_decides_unknown_year_and_is_not_reported():
    year = max(KNOWN_YEARS) + 1
    jan1 = date(year, 1, 1)
    cal = WorkdayCalendar({jan1: False, date(year, 1, 2): False})
    start = datetime(year - 1, 12, 31, 10)
    due = cal.deadline(start, 1)
    assert due.date() > date(year, 1, 2)
    assert cal.knows(jan1)


def test_override_beats_package_data():
    # an administrator declares Saturday 2020-03-21 a working day
    cal = WorkdayCalendar({date(2020, 3, 21): True, date(2020, 3, 23): False})
    assert cal.deadline(datetime(2020, 3, 20, 10), 1) == datetime(2020, 3, 21, 23, 59, 59)
    assert cal.deadline(datetime(2020, 3, 21, 10), 1) == datetime(2020, 3, 24, 23, 59, 59)


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        (date(2020, 4, 30), date(2020, 5, 7), 2),
        (date(2020, 4, 30), date(2020, 5, 6), 1),
        (date(2020, 4, 30), date(2020, 4, 30), 0),
        (date(2020, 5, 7), date(2020, 4, 30), -2),
    ],
)
def test_working_days_between(a, b, n):
    assert WorkdayCalendar().working_days_between(a, b) == n
