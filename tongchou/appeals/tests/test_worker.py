"""The appeals' deadline job (core.workflow's escalation pass configured by states.WORKFLOW): 24 h
warnings, overdue escalation to the department head and the command centre, exactly once across
restarts and concurrent workers, and written into the order's history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.appeals import services
from tongchou.appeals.worker import run_once
from tongchou.core.clock import SHANGHAI
from tongchou.core.models import Escalation, Notification

pytestmark = pytest.mark.django_db


def at(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)


@pytest.fixture
def staff(users, department):
    from tongchou.accounts.models import User

    head = User.objects.create(
        username="head", role="department", department=department, is_department_head=True
    )
    zhoucun_leader = User.objects.create(username="zc_leader", role="leader", region_id="370306")
    return {
        "handler": users["department"],
        "head": head,
        "leader": users["leader"],
        "zc_leader": zhoucun_leader,
    }


@pytest.fixture
def dispatched(submit, users, department):
    # Thursday 2020-04-30 10:00: feedback due 2020-05-07 23:59:59 (1-5 May are holidays)
    with time_machine.travel(at("2020-04-30T10:00"), tick=False):
        appeal = submit(text="我公司遇到困难，请协调")
        services.appeal_dispatch(appeal=appeal, department=department, actor=users["leader"])
    appeal.refresh_from_db()
    assert appeal.feedback_due == at("2020-05-07T23:59:59")
    return appeal


def titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("now", "warned"),
    [
        ("2020-05-06T23:59:58", False),  # just over 24 h before
        ("2020-05-07T00:00:00", True),  # within 24 h
        ("2020-05-07T23:59:58", True),
    ],
)
def test_handler_warned_24h_before_feedback_deadline(dispatched, staff, now, warned):
    counts = run_once(at(now))
    assert bool(counts["feedback_warning"]) is warned
    assert any("须在" in t for t in titles(staff["handler"])) is warned
    assert not titles(staff["leader"])  # warnings go to the department's staff, not the command centre


def test_overdue_escalates_to_head_and_command_centre_once(dispatched, staff):
    counts = run_once(at("2020-05-08T09:00"))
    assert counts["feedback_overdue"] == 1
    for who in ("head", "leader", "zc_leader"):
        assert any("超过反馈期限" in t for t in titles(staff[who])), who
    # a restart (a new run) neither repeats nor misses it
    assert run_once(at("2020-05-08T09:01"))["feedback_overdue"] == 0
    assert run_once(at("2020-05-09T09:00"))["feedback_overdue"] == 0
    assert Escalation.objects.filter(object_id=dispatched.pk, kind="feedback_overdue").count() == 1
    assert sum("超过反馈期限" in t for t in titles(staff["head"])) == 1


def test_not_overdue_at_the_deadline_second(dispatched, staff):
    assert run_once(at("2020-05-07T23:59:59"))["feedback_overdue"] == 0
    assert run_once(at("2020-05-08T00:00:00"))["feedback_overdue"] == 1


def test_feedback_in_time_stops_feedback_escalation(dispatched, staff):
    with time_machine.travel(at("2020-05-06T09:00"), tick=False):
        services.appeal_accept(appeal=dispatched, actor=staff["handler"], note="已联系")
    assert run_once(at("2020-05-08T09:00"))["feedback_overdue"] == 0


def test_missed_run_during_downtime_still_escalates_later(dispatched, staff):
    # the worker was down for days: the first run afterwards sends the escalation
    assert run_once(at("2020-05-20T09:00"))["feedback_overdue"] == 1


def test_escalation_row_is_unique_so_a_second_worker_cannot_repeat(dispatched, staff):
    from django.db import IntegrityError, transaction

    run_once(at("2020-05-08T09:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(
            workflow="appeal", object_id=dispatched.pk, kind="feedback_overdue", due=dispatched.feedback_due
        )


def test_reopen_gets_new_deadline_and_new_escalation(dispatched, staff, users):
    run_once(at("2020-05-08T09:00"))
    with time_machine.travel(at("2020-05-11T09:00"), tick=False):
        services.appeal_accept(appeal=dispatched, actor=staff["handler"])
        services.appeal_answer(appeal=dispatched, actor=staff["handler"], answer="已答复")
        services.appeal_rate(
            appeal=dispatched, actor=users["enterprise"], rating="dissatisfied", comment="没解决"
        )
        services.appeal_reopen(appeal=dispatched, actor=users["enterprise"], reason="仍有问题")
    dispatched.refresh_from_db()
    assert dispatched.feedback_due == at("2020-05-13T23:59:59")
    assert run_once(at("2020-05-14T09:00"))["feedback_overdue"] == 1


def test_overdue_escalation_appears_in_the_orders_history(dispatched, staff, client_as):
    run_once(at("2020-05-08T09:00"))
    run_once(at("2020-05-08T10:00"))
    ev = dispatched.events.get(action="feedback_overdue")
    assert ev.actor is None and ev.actor_label == "系统"
    assert ev.from_status == ev.to_status == "dispatched"
    assert "超过反馈期限" in ev.reason
    assert dispatched.events.filter(action="feedback_overdue").count() == 1
    page = client_as("leader").get(f"/appeals/{dispatched.number}/").content.decode()
    assert "反馈超期督办" in page


def test_transfer_keeps_the_deadline_so_no_second_escalation(dispatched, staff, users, other_department):
    run_once(at("2020-05-08T09:00"))
    with time_machine.travel(at("2020-05-08T10:00"), tick=False):
        services.appeal_transfer(
            appeal=dispatched, actor=users["leader"], department=other_department, reason="职责不符"
        )
    assert run_once(at("2020-05-08T11:00"))["feedback_overdue"] == 0


def test_an_order_answered_between_the_query_and_the_escalation_is_not_escalated(dispatched, staff):
    from tongchou.appeals.states import WORKFLOW
    from tongchou.core.workflow.deadlines import due_objects, escalate

    rule = WORKFLOW.escalation("feedback_overdue")
    now = at("2020-05-08T09:00")
    [found] = due_objects(WORKFLOW, rule, now)
    with time_machine.travel(at("2020-05-08T08:59"), tick=False):
        services.appeal_accept(appeal=dispatched, actor=staff["handler"])
    assert escalate(WORKFLOW, rule, found, now) is False
    assert not Escalation.objects.exists()
    assert not any("超过反馈期限" in t for t in titles(staff["head"]))


def test_appeals_jobs_are_registered_with_the_scheduler():
    from tongchou.core.scheduler import registered_jobs

    names = {j.name for j in registered_jobs()}
    assert {"appeals.deadlines", "appeals.stats"} <= names
