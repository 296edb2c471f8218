"""The pure side of core.workflow: declarations refuse what they must, without a database."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tongchou.core.errors import IllegalTransition, ValidationFailed
from tongchou.core.workflow import State, Transition, Workflow

STATES = {
    "new": State("新建", open=True),
    "working": State("办理中", open=True),
    "done": State("已办结", terminal=True),
    "dropped": State("已撤销", terminal=True),
}


def _needs_evidence(task, move):
    return None if task.evidence else "请先上传佐证材料。"


def _owner(user, task):
    return user == task.owner


TASK = Workflow(
    name="task",
    label="督办任务",
    model="supervision.Task",
    state_field="status",
    states=STATES,
    transitions={
        "start": Transition("开始办理", {"new"}, "working", may=("department", "admin")),
        "finish": Transition("销号", {"working"}, "done", may=_owner, guards=[_needs_evidence]),
        "drop": Transition("撤销", {"new", "working"}, "dropped", reason_required=True),
        "note": Transition("备注", {"new", "working"}, None),
    },
)


def task(**kw):
    return SimpleNamespace(**{"status": "new", "evidence": "", "owner": "u1", **kw})


def test_legal_moves_give_their_target_and_a_none_target_stays():
    assert TASK.check("new", "start") == "working"
    assert TASK.check("working", "note") == "working"


@pytest.mark.parametrize(("state", "action"), [("new", "finish"), ("done", "start"), ("dropped", "drop")])
def test_illegal_move_names_the_current_state_and_the_action(state, action):
    with pytest.raises(IllegalTransition) as exc:
        TASK.check(state, action, reason="x")
    assert exc.value.status == 409
    assert STATES[state].label in exc.value.message and TASK.action_label(action) in exc.value.message
    assert exc.value.detail == {"status": state, "action": action}


def test_unknown_action_or_state():
    for state, action in [("new", "fly"), ("limbo", "start")]:
        with pytest.raises(IllegalTransition) as exc:
            TASK.check(state, action)
        assert exc.value.code == "unknown_action"


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_required(reason):
    with pytest.raises(IllegalTransition) as exc:
        TASK.check("working", "drop", reason=reason)
    assert exc.value.code == "reason_required" and "撤销" in exc.value.message
    assert TASK.check("working", "drop", reason="重复立项") == "dropped"


def test_a_guard_refuses_with_its_message_and_passes_when_it_holds():
    with pytest.raises(IllegalTransition) as exc:
        TASK.check("working", "finish", obj=task(status="working"))
    assert exc.value.code == "guard_failed" and exc.value.message == "请先上传佐证材料。"
    assert TASK.check("working", "finish", obj=task(status="working", evidence="照片")) == "done"


def test_a_guard_may_raise_its_own_error():
    def strict(obj, move):
        raise ValidationFailed("金额不对", code="bad_amount")

    wf = Workflow(
        name="x",
        label="事项",
        model="x.X",
        state_field="status",
        states=STATES,
        transitions={"start": Transition("开始", {"new"}, "working", guards=[strict])},
    )
    with pytest.raises(ValidationFailed) as exc:
        wf.check("new", "start", obj=task())
    assert exc.value.code == "bad_amount"


def test_who_may_by_role_or_by_callable_or_anyone():
    t = task()
    assert TASK.permits("start", "u", t, {"_role": "department"})
    assert not TASK.permits("start", "u", t, {"_role": "enterprise"})
    assert not TASK.permits("start", None, t, {"_role": "anonymous"})
    assert TASK.permits("finish", "u1", t) and not TASK.permits("finish", "u2", t)
    assert TASK.permits("drop", None, t, {"_role": "anonymous"})  # may=None: anyone


def test_a_plain_two_argument_may_ignores_params_meant_for_guards():
    t = task()
    assert TASK.permits("finish", "u1", t, {"today": "2020-01-01", "_role": "enterprise"})

    def with_flag(user, obj, *, verified=False):
        return verified

    wf = Workflow(
        name="y",
        label="事项",
        model="y.Y",
        state_field="status",
        states=STATES,
        transitions={"start": Transition("开始", {"new"}, "working", may=with_flag)},
    )
    assert not wf.permits("start", None, t, {"other": 1})
    assert wf.permits("start", None, t, {"verified": True, "other": 1})


def test_open_terminal_labels_choices_and_buttons():
    assert TASK.open_states == {"new", "working"}
    assert TASK.terminal_states == {"done", "dropped"}
    assert TASK.state_choices()[0] == ("new", "新建")
    assert TASK.actions_from("working") == ["finish", "drop", "note"]
    assert TASK.actions_from("done") == []
    assert TASK.is_allowed("working", "finish", task(status="working", evidence="x"))
    assert not TASK.is_allowed("working", "finish", task(status="working"))


@pytest.mark.parametrize(
    "transitions",
    [
        {"go": Transition("去", {"new"}, "nowhere")},
        {"go": Transition("去", {"limbo"}, "done")},
        {"go": Transition("去", set(), "done")},
    ],
)
def test_a_declaration_naming_unknown_states_is_refused_at_import(transitions):
    with pytest.raises(ValueError):
        Workflow(name="bad", label="坏", model="x.X", state_field="s", states=STATES, transitions=transitions)


def test_the_appeal_and_delivery_declarations_are_consistent():
    from tongchou.appeals.states import WORKFLOW as APPEALS
    from tongchou.rules.states import WORKFLOW as DELIVERIES

    assert APPEALS.open_states == {"submitted", "dispatched", "accepted"}
    assert {r.kind for r in APPEALS.escalations} == {
        "feedback_warning",
        "feedback_overdue",
        "resolution_warning",
        "resolution_overdue",
    }
    assert DELIVERIES.terminal_states == {"declined", "rejected", "paid"}
    assert DELIVERIES.check("objected", "object") == "objected"  # a second objection
    with pytest.raises(IllegalTransition):
        DELIVERIES.check("objected", "close_publicity")
