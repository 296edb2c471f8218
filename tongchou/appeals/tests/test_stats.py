"""The figures page reads the daily table (AppealDayStat) and stays exact: the same numbers before a
refresh, after it, and after further changes not yet refreshed; scoped like the orders; kept by the
worker and ``tongchou appeals-stats``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core.management import call_command

from tongchou.appeals import services
from tongchou.appeals.models import Appeal, AppealDayStat
from tongchou.core import clock
from tongchou.core.clock import SHANGHAI

pytestmark = pytest.mark.django_db

NOW = "2020-04-10T09:00"  # the figures' "now" (overdue is counted against it)
PERIOD = "?start=2020-03-01&end=2020-03-31"


def at(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)


def page(client, query: str = PERIOD) -> dict:
    """The figures as the page hands them to its charts (the json_script block)."""
    with time_machine.travel(at(NOW), tick=False):
        r = client.get(f"/appeals/figures/{query}")
    assert r.status_code == 200
    m = re.search(rb'<script id="figures-data" type="application/json">(.*?)</script>', r.content, re.S)
    return json.loads(m.group(1))


def cli(*args: str) -> dict:
    out = io.StringIO()
    call_command("appeals-stats", *args, stdout=out)
    return json.loads(out.getvalue())


def table() -> list[tuple]:
    return sorted(
        AppealDayStat.objects.values_list(
            "day",
            "department_id",
            "region_id",
            "category",
            "total",
            "feedback_in_time",
            "answered",
            "rated",
            "satisfied",
            "n_feedback",
            "n_answer",
            "sum_feedback_hours",
            "sum_answer_hours",
        ),
        key=repr,
    )


@pytest.fixture
def orders(submit, users, department, other_department):
    """Orders over three local days, in two departments, in every state: 03-20 late evening (two of
    them, one 23:30 local = 15:30 UTC), 03-21 00:30 local (still 03-20 in UTC), 03-23. Durations in
    odd minutes, so that float hours would not add up the same in every order."""
    leader, dept, ent = users["leader"], users["department"], users["enterprise"]
    made = {}
    with time_machine.travel(at("2020-03-20T10:07"), tick=False):
        made["a"] = submit(text="物流通行证办理太慢")
        made["b"] = submit(text="第二件：原料车被劝返")
    with time_machine.travel(at("2020-03-20T23:30"), tick=False):
        made["c"] = submit(text="第三件：夜间提交")
    with time_machine.travel(at("2020-03-21T00:30"), tick=False):
        made["d"] = submit(text="第四件：次日凌晨提交")
    with time_machine.travel(at("2020-03-23T08:13"), tick=False):
        made["e"] = submit(text="第五件：周一提交")
        made["f"] = submit(text="第六件：待分办")
    with time_machine.travel(at("2020-03-23T09:00"), tick=False):
        for k in "abcd":
            services.appeal_dispatch(appeal=made[k], department=department, actor=leader)
        services.appeal_dispatch(appeal=made["e"], department=other_department, actor=leader)
    with time_machine.travel(at("2020-03-23T11:41"), tick=False):
        services.appeal_accept(appeal=made["a"], actor=dept)
        services.appeal_accept(appeal=made["c"], actor=dept)
        services.appeal_answer(appeal=made["a"], actor=dept, answer="已解决")
        services.appeal_rate(appeal=made["a"], actor=ent, rating="satisfied")
    with time_machine.travel(at("2020-03-30T16:29"), tick=False):  # late contact
        services.appeal_accept(appeal=made["b"], actor=dept)
        services.appeal_answer(appeal=made["b"], actor=dept, answer="已答复")
        services.appeal_rate(appeal=made["b"], actor=ent, rating="dissatisfied", comment="太慢")
    return {k: Appeal.objects.get(pk=v.pk) for k, v in made.items()}


ROLES = ("admin", "leader", "department")


def test_figures_same_before_and_after_refresh_and_after_unrefreshed_changes(orders, client_as, users):
    clients = {role: client_as(role) for role in ROLES}
    live = {role: page(c) for role, c in clients.items()}
    assert live["admin"]["totals"]["total"] == 6
    assert live["admin"]["by_day"] == [
        {"day": "2020-03-20", "total": 3, "answered": 2},
        {"day": "2020-03-21", "total": 1, "answered": 0},
        {"day": "2020-03-23", "total": 2, "answered": 0},
    ]
    assert AppealDayStat.objects.count() == 0

    assert cli() == {"days": 3, "rebuild": False, "seconds": pytest.approx(0, abs=60)}
    assert not Appeal.objects.filter(stats_dirty=True).exists()  # every day now comes from the table
    assert {role: page(c) for role, c in clients.items()} == live

    # 03-20 now mixes refreshed orders (a, b) with one changed since (c answered)
    with time_machine.travel(at("2020-04-01T10:19"), tick=False):
        services.appeal_answer(appeal=orders["c"], actor=users["department"], answer="已协调")
    changed = {role: page(c) for role, c in clients.items()}
    t_before, t_after = live["admin"]["totals"], changed["admin"]["totals"]
    assert t_after["answered"] == t_before["answered"] + 1
    assert t_after["overdue"] == t_before["overdue"] - 1  # answered: no longer past its deadlines
    assert t_after["avg_answer_hours"] != t_before["avg_answer_hours"]
    assert changed["admin"]["by_day"][0] == {"day": "2020-03-20", "total": 3, "answered": 3}

    assert cli()["days"] == 1
    assert {role: page(c) for role, c in clients.items()} == changed


def test_clean_days_are_read_from_the_table_and_rebuild_reproduces_it(orders, client_as):
    admin = client_as("admin")
    cli()
    built = table()
    assert sum(row[4] for row in built) == 6
    before = page(admin)
    # the page reads the table for clean days: a wrong row shows (this is how we know it is used)…
    AppealDayStat.objects.filter(day=dt.date(2020, 3, 23)).update(total=100)
    assert page(admin)["totals"]["total"] != before["totals"]["total"]
    # …and --rebuild recounts every day from the orders: the same table as the refresh built
    out = cli("--rebuild")
    assert (out["days"], out["rebuild"]) == (3, True)
    assert table() == built
    assert page(admin) == before


def test_refresh_is_idempotent(orders):
    assert cli()["days"] == 3
    built = table()
    assert cli()["days"] == 0
    assert table() == built


def test_merged_orders_left_out_before_and_after_refresh(orders, client_as, users):
    admin = client_as("admin")
    cli()
    with time_machine.travel(at("2020-04-02T10:00"), tick=False):
        services.appeal_merge(appeal=orders["d"], into=orders["c"], actor=users["leader"], reason="同一问题")
    merged = page(admin)
    assert merged["totals"]["total"] == 5
    assert {"day": "2020-03-21", "total": 1, "answered": 0} not in merged["by_day"]
    assert cli()["days"] == 1
    assert page(admin) == merged
    assert not AppealDayStat.objects.filter(day=dt.date(2020, 3, 21)).exists()
    assert sum(AppealDayStat.objects.values_list("total", flat=True)) == 5


def test_department_and_leader_see_only_their_scope_from_the_table(
    orders, client_as, users, department, other_department
):
    from tongchou.regions.models import Region

    with time_machine.travel(at("2020-03-20T15:00"), tick=False):  # Jinan: outside the Zibo leader
        services.appeal_submit(
            text="济南的企业反映用工问题",
            region=Region.objects.get(code="370102"),
            contact_name="王女士",
            contact_phone="13900002222",
            auto_dispatch=False,
        )
    cli()
    assert not Appeal.objects.filter(stats_dirty=True).exists()
    admin, leader, dept = (page(client_as(r)) for r in ROLES)
    assert admin["totals"]["total"] == 7
    assert leader["totals"]["total"] == 6
    assert "历下区" not in {r["name"] for r in leader["by_region"]}
    assert dept["totals"]["total"] == 4  # a–d; e is the other department's, f not dispatched
    assert [r["name"] for r in dept["by_department"]] == [department.name]
    assert {r["name"] for r in leader["by_department"]} == {
        department.name,
        other_department.name,
        "（待分办）",
    }
    assert dept["totals"]["answered"] == 2 and dept["totals"]["satisfaction_rate"] == 50.0


def test_order_transferred_away_leaves_the_department_figures_before_refresh(
    orders, client_as, users, other_department
):
    """The old cell still counts the order until the refresh: its day must be counted live even for
    a department that no longer sees the (dirty) order."""
    dept = client_as("department")
    cli()
    before = page(dept)
    with time_machine.travel(at("2020-04-01T10:00"), tick=False):
        services.appeal_transfer(
            appeal=orders["d"], actor=users["leader"], department=other_department, reason="职责调整"
        )
    moved = page(dept)
    assert moved["totals"]["total"] == before["totals"]["total"] - 1
    assert {"day": "2020-03-21", "total": 1, "answered": 0} not in moved["by_day"]
    cli()
    assert page(dept) == moved


def test_deleting_or_backdating_an_order_keeps_the_old_day_exact(orders, client_as):
    """Neither leaves a dirty order on the day the order left: that day is recounted at once."""
    admin = client_as("admin")
    cli()
    orders["f"].delete()  # as the admin site's delete does
    e = Appeal.objects.get(pk=orders["e"].pk)
    e.submitted_at = at("2020-03-05T09:00")
    e.save()
    data = page(admin)
    assert data["by_day"][0] == {"day": "2020-03-05", "total": 1, "answered": 0}
    assert "2020-03-23" not in {r["day"] for r in data["by_day"]}
    assert data["totals"]["total"] == 5
    cli()
    assert page(admin) == data


def test_worker_tick_refreshes_the_table(orders):
    out = io.StringIO()
    call_command("appeals-worker", "--once", stdout=out)
    assert json.loads(out.getvalue())["stats_days"] == 3
    assert not Appeal.objects.filter(stats_dirty=True).exists()
    assert sum(AppealDayStat.objects.values_list("total", flat=True)) == 6


def test_worker_refreshes_in_short_transactions_to_the_same_table(orders, monkeypatch, client_as):
    """A first fill of many orders is taken a batch at a time (earliest first); a day split between
    batches is recounted twice, and the result is the table a rebuild makes."""
    from tongchou.appeals import worker

    before = page(client_as("admin"))
    monkeypatch.setattr(worker, "STATS_BATCH", 2)
    out = io.StringIO()
    call_command("appeals-worker", "--once", stdout=out)
    assert json.loads(out.getvalue())["stats_days"] == 3
    assert not Appeal.objects.filter(stats_dirty=True).exists()
    batched = table()
    cli("--rebuild")
    assert table() == batched
    assert page(client_as("admin")) == before


def test_batch_issue_keeps_the_table_valid(orders, users, zhoucun, client_as):
    """batch_issue writes with .update(batch=…): not counted by the figures, so no flag needed."""
    cli()
    before = page(client_as("admin"))
    services.batch_issue(region=zhoucun, appeals=[orders["a"]], actor=users["admin"], title="第一批")
    assert cli()["days"] == 0
    assert page(client_as("admin")) == before


def test_demo_seed_leaves_the_table_filled(users, client_as):
    from tongchou.appeals import demo

    demo.seed(io.StringIO())
    assert Appeal.objects.filter(client=demo.DEMO_CLIENT).exists()
    assert not Appeal.objects.filter(stats_dirty=True).exists()
    total = Appeal.objects.exclude(status="merged").count()
    assert sum(AppealDayStat.objects.values_list("total", flat=True)) == total
    start = clock.today() - dt.timedelta(days=60)  # the demo spreads its orders over four weeks
    r = client_as("admin").get(f"/appeals/figures/?start={start.isoformat()}")
    assert r.context["data"]["totals"]["total"] == total
