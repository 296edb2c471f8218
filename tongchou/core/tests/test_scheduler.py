"""core.scheduler: once per interval across several loops on one database, leases, retries with
backoff and stored errors, daily jobs at a local time, working days only."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from tongchou.core.clock import SHANGHAI
from tongchou.core.models import ScheduledJob
from tongchou.core.scheduler import Job, Scheduler, first_run, next_run, retry_delay


def at(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)


# --- when: pure ---------------------------------------------------------------------------------

DAILY = Job(name="t.daily", label="每日", func=lambda: None, at="02:30")
WORKDAY_DAILY = Job(name="t.wd", label="工作日", func=lambda: None, at="08:00", workdays_only=True)
HOURLY = Job(name="t.hourly", label="每小时", func=lambda: None, every=3600)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("2020-03-02T02:29:59", "2020-03-02T02:30:00"),  # just before: today
        ("2020-03-02T02:30:00", "2020-03-03T02:30:00"),  # at: tomorrow
        ("2020-03-02T02:30:01", "2020-03-03T02:30:00"),  # just after: tomorrow
    ],
)
def test_daily_job_runs_at_its_local_time(after, expected):
    assert next_run(DAILY, at(after)) == at(expected)


def test_daily_time_is_local_even_when_asked_in_utc():
    assert next_run(DAILY, dt.datetime(2020, 3, 1, 18, 0, tzinfo=dt.UTC)) == at("2020-03-02T02:30")


def test_interval_job_runs_every_interval():
    assert next_run(HOURLY, at("2020-03-02T10:00")) == at("2020-03-02T11:00")
    assert first_run(HOURLY, at("2020-03-02T10:00")) == at("2020-03-02T10:00")


def test_working_days_only_skips_weekends_and_holidays_by_the_chinese_calendar():
    from tongchou.workdays.calendar import WorkdayCalendar

    cal = WorkdayCalendar()
    # Friday 2020-01-17 → Sunday 19 Jan 2020 was an adjusted working day before the Spring Festival
    assert next_run(WORKDAY_DAILY, at("2020-01-17T09:00"), cal.is_workday) == at("2020-01-19T08:00")
    # Thursday 2020-04-30: 1–5 May are the Labour Day holiday, Saturday 9 May is worked, Wed 6 May first
    assert next_run(WORKDAY_DAILY, at("2020-04-30T09:00"), cal.is_workday) == at("2020-05-06T08:00")
    hourly_wd = Job(name="t.hwd", label="工作日每小时", func=lambda: None, every=3600, workdays_only=True)
    assert next_run(hourly_wd, at("2020-04-30T23:30"), cal.is_workday) == at("2020-05-06T00:00")
    assert first_run(hourly_wd, at("2020-05-02T10:00"), cal.is_workday) == at("2020-05-06T00:00")


@pytest.mark.parametrize(("failures", "seconds"), [(1, 60), (2, 120), (3, 240), (7, 3600), (20, 3600)])
def test_retry_backs_off_doubling_up_to_an_hour(failures, seconds):
    assert retry_delay(HOURLY, failures) == seconds


def test_a_job_needs_exactly_one_schedule():
    with pytest.raises(ValueError):
        Job(name="x", label="x", func=lambda: None)
    with pytest.raises(ValueError):
        Job(name="x", label="x", func=lambda: None, every=60, at="01:00")
    with pytest.raises(ValueError):
        Job(name="x", label="x", func=lambda: None, at="25:99")


# --- running: one database, several loops -------------------------------------------------------


def counting_job(name="t.count", every=60.0, **kw):
    calls: list[dt.datetime] = []

    def func():
        from tongchou.core import clock

        calls.append(clock.now())
        return f"第 {len(calls)} 次"

    return Job(name=name, label="计数", func=func, every=every, **kw), calls


@pytest.mark.django_db
def test_an_interval_job_runs_once_per_interval_across_two_loops():
    job, calls = counting_job()
    one, two = Scheduler([job], owner="server-1"), Scheduler([job], owner="server-2")
    with time_machine.travel(at("2020-03-02T10:00:00"), tick=False):
        assert len(one.run_pending()) == 1
        assert two.run_pending() == []
    with time_machine.travel(at("2020-03-02T10:00:59"), tick=False):
        assert one.run_pending() == [] and two.run_pending() == []
    with time_machine.travel(at("2020-03-02T10:01:00"), tick=False):
        assert len(two.run_pending()) == 1 and one.run_pending() == []
    assert len(calls) == 2
    row = ScheduledJob.objects.get(name="t.count")
    assert row.runs == 2 and row.last_result == "第 2 次" and row.failures == 0
    assert row.next_run_at == at("2020-03-02T10:02:00") and row.lease_owner == ""
    assert row.last_duration_ms is not None and row.label == "计数"


@pytest.mark.django_db
def test_a_running_job_is_not_started_again_by_another_loop_until_its_lease_expires():
    seen = []
    other = None

    def func():
        seen.append(other.run_pending())  # a second server polls while the first is still running
        return "完成"

    job = Job(name="t.long", label="长任务", func=func, every=60, lease=600)
    first = Scheduler([job], owner="server-1")
    other = Scheduler([job], owner="server-2")
    with time_machine.travel(at("2020-03-02T10:00"), tick=False):
        ScheduledJob.objects.create(name="t.long", next_run_at=at("2020-03-02T10:00"))
        first.run_pending()
    assert seen == [[]]
    # a process that died mid-run holds the lease until it expires; then another takes over
    ScheduledJob.objects.filter(name="t.long").update(
        lease_owner="dead", lease_until=at("2020-03-02T10:20"), next_run_at=at("2020-03-02T10:01")
    )
    job2, calls = counting_job(name="t.long")
    taker = Scheduler([job2], owner="server-3")
    with time_machine.travel(at("2020-03-02T10:19"), tick=False):
        assert taker.run_pending() == []
    with time_machine.travel(at("2020-03-02T10:21"), tick=False):
        assert len(taker.run_pending()) == 1
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_failing_job_is_retried_with_backoff_and_its_error_is_kept():
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("数据库正在重启")
        return "恢复"

    job = Job(name="t.flaky", label="会失败的任务", func=flaky, every=600, retry=30)
    s = Scheduler([job], owner="server-1")
    with time_machine.travel(at("2020-03-02T10:00:00"), tick=False):
        [r] = s.run_pending()
    assert r.error == "数据库正在重启"
    row = ScheduledJob.objects.get(name="t.flaky")
    assert row.failures == 1 and "RuntimeError: 数据库正在重启" in row.last_error
    assert row.next_run_at == at("2020-03-02T10:00:30") and row.last_result.startswith("失败")
    with time_machine.travel(at("2020-03-02T10:00:30"), tick=False):
        s.run_pending()
    row.refresh_from_db()
    assert row.failures == 2 and row.next_run_at == at("2020-03-02T10:01:30")  # 60 s later
    with time_machine.travel(at("2020-03-02T10:01:30"), tick=False):
        [r] = s.run_pending()
    row.refresh_from_db()
    assert r.text == "恢复" and row.failures == 0 and row.last_result == "恢复"
    assert "数据库正在重启" in row.last_error  # the last error stays visible after recovery
    assert row.next_run_at == at("2020-03-02T10:11:30")


@pytest.mark.django_db
def test_the_loop_survives_a_failing_job_and_stops_when_told():
    stop = threading.Event()
    calls = []

    def func():
        calls.append(1)
        if len(calls) >= 2:
            stop.set()
        raise RuntimeError("boom")

    job = Job(name="t.boom", label="坏任务", func=func, every=60, retry=0.01, max_retry=0.01)
    Scheduler([job], poll=0.01).run_forever(stop)
    assert len(calls) == 2
    assert ScheduledJob.objects.get(name="t.boom").failures == 2


@pytest.mark.django_db
def test_a_daily_job_runs_at_its_time_once_and_on_working_days_only(settings):
    calls = []
    job = Job(name="t.brief", label="每日简报", func=lambda: calls.append(1), at="07:30", workdays_only=True)
    s = Scheduler([job], owner="server-1")
    with time_machine.travel(at("2020-04-30T07:00"), tick=False):  # Thursday
        assert s.run_pending() == []
    assert ScheduledJob.objects.get(name="t.brief").next_run_at == at("2020-04-30T07:30")
    for moment in ("2020-04-30T07:30", "2020-04-30T07:31", "2020-05-01T07:30", "2020-05-05T07:30"):
        with time_machine.travel(at(moment), tick=False):
            s.run_pending()
    assert len(calls) == 1  # not again that day, not on the Labour Day holiday (1–5 May)
    assert ScheduledJob.objects.get(name="t.brief").next_run_at == at("2020-05-06T07:30")
    with time_machine.travel(at("2020-05-06T07:30"), tick=False):
        s.run_pending()
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_missed_daily_run_happens_once_when_the_server_is_back():
    calls = []
    job = Job(name="t.daily2", label="每日", func=lambda: calls.append(1), at="02:00")
    s = Scheduler([job], owner="server-1")
    with time_machine.travel(at("2020-03-02T01:00"), tick=False):
        s.run_pending()
    with time_machine.travel(at("2020-03-04T09:00"), tick=False):  # down for two days
        s.run_pending()
        s.run_pending()
    assert len(calls) == 1
    assert ScheduledJob.objects.get(name="t.daily2").next_run_at == at("2020-03-05T02:00")


@pytest.mark.django_db(transaction=True)
def test_two_loops_in_two_threads_run_a_due_job_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers across threads need PostgreSQL (DATABASE_URL=postgres://…)")
    import time

    calls = []

    def func():
        calls.append(threading.current_thread().name)
        time.sleep(0.3)

    job = Job(name="t.race", label="并发", func=func, every=3600)
    barrier = threading.Barrier(2)

    def loop(owner):
        try:
            s = Scheduler([job], owner=owner)
            s.ensure_rows()
            barrier.wait(5)
            s.run_pending()
        finally:
            connection.close()

    threads = [threading.Thread(target=loop, args=(f"server-{i}",), name=f"t{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(calls) == 1
    assert ScheduledJob.objects.get(name="t.race").runs == 1


# --- commands -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_worker_command_lists_runs_and_reports_the_registered_jobs():
    out = io.StringIO()
    call_command("worker", "--list", stdout=out)
    listing = out.getvalue()
    for name in ("appeals.deadlines", "appeals.stats", "rules.publicity", "rules.matching"):
        assert name in listing
    assert "诉求期限提醒与超期督办" in listing and "每 1 分钟" in listing
    out = io.StringIO()
    call_command("worker", "--run", "appeals.stats", stdout=out)
    assert out.getvalue().startswith("诉求统计日表更新：")
    assert ScheduledJob.objects.get(name="appeals.stats").runs == 1
    out = io.StringIO()
    call_command("worker", "--once", "--only", "rules.publicity", stdout=out)
    assert "结束到期公示：结束公示 0 件" in out.getvalue()
    out = io.StringIO()
    call_command("worker", "--list", stdout=out)
    assert "结果：结束公示 0 件" in out.getvalue()


def test_serve_starts_one_scheduler_loop(monkeypatch):
    from tongchou.core.management.commands import serve
    from tongchou.core.scheduler import Scheduler

    started = []
    monkeypatch.setattr(Scheduler, "__init__", lambda self, jobs=None, **kw: setattr(self, "jobs", jobs))
    monkeypatch.setattr(Scheduler, "run_forever", lambda self, stop=None: started.append(self.jobs))
    [thread] = serve.start_background_workers()
    thread.join(5)
    assert thread.daemon and started == [None]  # None: every registered job
