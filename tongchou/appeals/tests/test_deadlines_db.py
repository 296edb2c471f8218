"""Deadlines stored on appeals: per category and region, working days, administrator overrides."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tongchou.appeals.models import DeadlinePolicy
from tongchou.core.clock import SHANGHAI
from tongchou.workdays.models import WorkdayOverride

pytestmark = pytest.mark.django_db


def at(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)


def test_submission_stores_feedback_and_resolution_deadlines(submit):
    with time_machine.travel(at("2020-04-30T10:00"), tick=False):
        a = submit(category="logistics")
    assert a.feedback_due == at("2020-05-07T23:59:59")
    # 5 working days: 6, 7, 8, 9 (Saturday, worked), 11 May
    assert a.resolution_due == at("2020-05-11T23:59:59")


def test_policy_for_category_and_region_beats_defaults(submit, zhoucun):
    DeadlinePolicy.objects.create(category="logistics", region=zhoucun, feedback_days=1, resolution_days=3)
    DeadlinePolicy.objects.create(category="", region=None, feedback_days=2, resolution_days=20)
    with time_machine.travel(at("2020-03-20T10:00"), tick=False):  # Friday
        a = submit(category="logistics")
        b = submit(category="tax")
    assert a.feedback_due == at("2020-03-23T23:59:59")
    assert a.resolution_due == at("2020-03-25T23:59:59")
    # 20 working days, skipping the Qingming holiday (4-6 April)
    assert b.resolution_due.date() == dt.date(2020, 4, 20)


def test_city_policy_applies_to_district_below_it(submit):
    DeadlinePolicy.objects.create(category="", region_id="370300", feedback_days=1, resolution_days=1)
    with time_machine.travel(at("2020-03-20T10:00"), tick=False):
        a = submit(category="tax")
    assert a.resolution_due == at("2020-03-23T23:59:59")


def test_admin_override_moves_deadline(submit):
    WorkdayOverride.objects.create(day=dt.date(2020, 3, 23), is_workday=False, note="测试")
    with time_machine.travel(at("2020-03-20T10:00"), tick=False):
        a = submit()
    assert a.feedback_due == at("2020-03-25T23:59:59")


def test_deadline_cli_with_empty_override_table():
    out = StringIO()
    call_command("deadline", "--from", "2020-04-30T10:00", "--working-days", "2", stdout=out)
    assert json.loads(out.getvalue()) == {"due": "2020-05-07T23:59:59"}


def test_deadline_cli_applies_admin_overrides():
    WorkdayOverride.objects.create(day=dt.date(2020, 5, 6), is_workday=False)
    out = StringIO()
    call_command("deadline", "--from", "2020-04-30T10:00", "--working-days", "2", stdout=out)
    assert json.loads(out.getvalue()) == {"due": "2020-05-08T23:59:59"}


def test_route_cli_prints_department_from_department_list():
    out = StringIO()
    call_command("route", "公司想申请失业保险稳岗返还，钱什么时候到账？", "--region", "370306", stdout=out)
    body = json.loads(out.getvalue())
    from tongchou.regions.models import Department

    assert body["department"] == "周村区人力资源和社会保障局"
    assert Department.objects.filter(name=body["department"]).exists()
    assert body["category"] == "social_insurance"
    assert len(body["candidates"]) >= 3
    assert all(set(c) == {"department", "score"} for c in body["candidates"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["deadline", "--from", "2020-04-30T10:00", "--working-days", "2"], {"due": "2020-05-07T23:59:59"}),
        (
            ["route", "银行抽贷，请协调续贷"],
            {"department": "周村区地方金融监督管理局", "category": "financing"},
        ),
    ],
)
def test_cli_contracts_work_without_a_database(tmp_path, args, expected):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "TONGCHOU_HOME": str(tmp_path), "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    r = subprocess.run(
        [sys.executable, "-m", "tongchou", *args],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert {k: body[k] for k in expected} == expected
    if args[0] == "route":
        assert len(body["candidates"]) >= 3
