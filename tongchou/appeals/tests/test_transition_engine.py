"""core.workflow.transition() on real rows (appeals are the worked example): event and audit in the
transaction of the change, nothing written when a check fails, notifications sent only after
commit, concurrent moves of one row serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tongchou.appeals import services
from tongchou.appeals.models import Appeal, AppealEvent
from tongchou.appeals.states import WORKFLOW
from tongchou.core.errors import IllegalTransition, PermissionDenied
from tongchou.core.models import AuditEntry, Notification
from tongchou.core.workflow import State, Transition, Workflow, allowed_actions, transition

pytestmark = pytest.mark.django_db

SENT: list[str] = []


class RecordingSender:
    def send(self, notification):
        SENT.append(notification.title)


@pytest.fixture
def dispatched(submit, users, department):
    appeal = submit(text="我公司遇到困难，请协调")
    return services.appeal_dispatch(appeal=appeal, department=department, actor=users["leader"])


def counts(appeal):
    return (
        AppealEvent.objects.filter(appeal=appeal).count(),
        AuditEntry.objects.filter(object_id=str(appeal.pk), object_type="appeals.appeal").count(),
    )


def test_a_move_writes_state_event_and_audit_together(dispatched, users):
    before = counts(dispatched)
    services.appeal_accept(appeal=dispatched, actor=users["department"], note="已电话联系")
    dispatched.refresh_from_db()
    assert dispatched.status == "accepted" and dispatched.feedback_at is not None
    assert counts(dispatched) == (before[0] + 1, before[1] + 1)
    ev = dispatched.events.last()
    assert (ev.action, ev.from_status, ev.to_status, ev.reason) == (
        "accept",
        "dispatched",
        "accepted",
        "已电话联系",
    )
    assert ev.actor == users["department"] and ev.actor_label == users["department"].display_name
    audit = AuditEntry.objects.filter(action="appeal.accept").last()
    assert audit.detail == {"number": dispatched.number, "reason": "已电话联系"}


def test_a_failure_after_the_event_rolls_back_the_state_the_event_and_the_audit(dispatched, users):
    before = counts(dispatched)

    def broken_notify(appeal, move):
        raise RuntimeError("notification store down")

    with pytest.raises(RuntimeError):
        transition(WORKFLOW, dispatched, "accept", actor=users["department"], notify=broken_notify)
    dispatched.refresh_from_db()
    assert dispatched.status == "dispatched" and dispatched.feedback_at is None
    assert counts(dispatched) == before


def test_nothing_is_written_when_a_guard_or_permission_refuses(dispatched, users):
    called = []

    def refuse(appeal, move):
        return "材料不全，不能受理。"

    guarded = Workflow(
        name="appeal",
        label="诉求",
        model=Appeal,
        state_field="status",
        states=WORKFLOW.states,
        transitions={"accept": Transition("受理", {"dispatched"}, "accepted", guards=[refuse])},
        event_model=AppealEvent,
        event_fk="appeal",
    )
    before = counts(dispatched)
    with pytest.raises(IllegalTransition) as exc:
        transition(
            guarded, dispatched, "accept", actor=users["department"], changes=lambda a: called.append(1)
        )
    assert exc.value.message == "材料不全，不能受理。" and not called
    with pytest.raises(PermissionDenied) as denied:
        services.appeal_accept(appeal=dispatched, actor=users["enterprise"])
    assert "受理并联系" in denied.value.message
    with pytest.raises(IllegalTransition) as illegal:
        services.appeal_rate(appeal=dispatched, actor=users["enterprise"], rating="satisfied")
    assert "已分办" in illegal.value.message and "评价" in illegal.value.message
    dispatched.refresh_from_db()
    assert dispatched.status == "dispatched" and counts(dispatched) == before


def test_notifications_are_stored_in_the_transaction_and_sent_only_after_commit(
    dispatched, users, settings, django_capture_on_commit_callbacks
):
    settings.TONGCHOU_SENDERS = [f"{__name__}.RecordingSender"]
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.appeal_accept(appeal=dispatched, actor=users["department"])
        assert Notification.objects.filter(title__contains="已受理").exists()
    assert SENT == []  # the transaction has not committed yet
    for callback in callbacks:
        callback()
    assert any("已受理" in t for t in SENT)


def test_buttons_are_the_moves_this_user_may_make_now(dispatched, users):
    assert allowed_actions(WORKFLOW, dispatched, users["department"]) == ["accept", "transfer", "return"]
    assert allowed_actions(WORKFLOW, dispatched, users["leader"]) == ["accept", "transfer", "return", "merge"]
    assert allowed_actions(WORKFLOW, dispatched, users["enterprise"]) == []


def test_a_state_with_no_event_model_still_moves(dispatched, users):
    bare = Workflow(
        name="bare",
        label="诉求",
        model="appeals.Appeal",
        state_field="status",
        states={"dispatched": State("已分办"), "accepted": State("办理中")},
        transitions={"accept": Transition("受理", {"dispatched"}, "accepted")},
    )
    moved = transition(bare, dispatched, "accept", actor=users["department"])
    assert moved.status == "accepted"
    assert AuditEntry.objects.filter(action="bare.accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_row_are_serialised(reference_data, users, department, submit):
    """Two handlers accept the same order at once: the second waits for the first's row lock, then
    sees the new state and is refused. (PostgreSQL: SELECT … FOR UPDATE; SQLite serialises whole
    write transactions, which its in-memory test database cannot show across threads.)"""
    if connection.vendor != "postgresql":
        pytest.skip("row locks across threads need PostgreSQL (DATABASE_URL=postgres://…)")
    appeal = services.appeal_dispatch(
        appeal=submit(text="我公司遇到困难，请协调"), department=department, actor=users["leader"]
    )
    inside, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        def slow(a):
            inside.set()
            release.wait(10)
            return {"feedback_at": a.feedback_at}

        try:
            transition(WORKFLOW, appeal, "accept", actor=users["department"], changes=slow)
            outcome["first"] = "ok"
        finally:
            connection.close()

    def second():
        inside.wait(10)
        try:
            services.appeal_accept(appeal=appeal, actor=users["leader"])
            outcome["second"] = "ok"
        except IllegalTransition as exc:
            outcome["second"] = exc.message
        finally:
            connection.close()

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    b.start()
    inside.wait(10)
    b.join(0.5)
    assert b.is_alive()  # waiting for the row lock
    release.set()
    a.join(10)
    b.join(10)
    assert outcome["first"] == "ok" and "办理中" in outcome["second"]
    assert AppealEvent.objects.filter(appeal=appeal, action="accept").count() == 1
