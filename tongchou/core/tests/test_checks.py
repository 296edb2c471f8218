"""System checks catch configuration that can be wrong, with stable ids and Chinese messages."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks


def _ids(**kwargs) -> list[str]:
    return [m.id for m in run_checks(**kwargs) if m.id.startswith("tongchou.")]


def test_the_shipped_configuration_passes():
    assert _ids() == []


def test_a_sender_that_does_not_import_is_an_error(settings):
    settings.TONGCHOU_SENDERS = ["tongchou.core.notifications.ConsoleSender", "nowhere.Sender"]
    assert _ids() == ["tongchou.E001"]


def test_demo_steps_and_background_paths_must_import(settings):
    settings.TONGCHOU_DEMO_STEPS = [*settings.TONGCHOU_DEMO_STEPS, "tongchou.rules.demo.no_such_step"]
    settings.TONGCHOU_SCHEDULED_JOBS = ["tongchou.appeals.worker.nope"]
    assert sorted(_ids()) == ["tongchou.E003", "tongchou.E005"]


@pytest.mark.parametrize(
    ("url", "words"),
    [("postgress://u@h/db", "无法解析"), ("mysql://u@h/db", "不支持的数据库引擎")],
)
def test_a_bad_database_url_is_reported_by_tongchou_check(url, words, tmp_path):
    env = {**os.environ, "DATABASE_URL": url, "TONGCHOU_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tongchou.cli", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "tongchou.E002" in result.stderr and words in result.stderr


@pytest.mark.django_db
def test_empty_reference_data_after_migrate_is_a_warning(reference_data):
    from tongchou.enterprises.models import Industry

    assert "tongchou.W010" not in _ids(databases=["default"])
    Industry.objects.update(parent=None)
    Industry.objects.all().delete()
    messages = [m for m in run_checks(databases=["default"]) if m.id == "tongchou.W010"]
    assert [m.obj for m in messages] == ["enterprises.Industry"]
    assert "tongchou load-reference" in messages[0].hint


def test_next_year_not_covered_by_the_package_nor_overrides():
    from tongchou.workdays.calendar import KNOWN_YEARS
    from tongchou.workdays.checks import next_year_uncovered

    last = max(KNOWN_YEARS)
    assert next_year_uncovered(dt.date(last - 1, 12, 1), []) is None  # the package knows next year
    assert next_year_uncovered(dt.date(last, 12, 1), []) == last + 1
    assert next_year_uncovered(dt.date(last, 12, 1), [dt.date(last + 1, 1, 1)]) is None


@pytest.mark.django_db
def test_the_holiday_calendar_warning_goes_once_next_years_overrides_are_entered(time_machine):
    from tongchou.workdays.calendar import KNOWN_YEARS
    from tongchou.workdays.models import WorkdayOverride

    last = max(KNOWN_YEARS)
    time_machine.move_to(dt.datetime(last, 11, 20, 9, 0, tzinfo=dt.UTC))
    warning = [m for m in run_checks(databases=["default"]) if m.id == "tongchou.W020"]
    assert len(warning) == 1 and str(last + 1) in warning[0].msg
    WorkdayOverride.objects.create(day=dt.date(last + 1, 1, 1), is_workday=False, note="元旦")
    assert "tongchou.W020" not in _ids(databases=["default"])
