"""The appeal state machine (pure: imports no Django).

    submitted ──dispatch──▶ dispatched ──accept──▶ accepted ──answer──▶ answered ──rate──▶ rated ──close──▶ closed
        ▲                      │  ▲                   │                    │                 │
        └──────return──────────┤  └─────transfer──────┤                    └──close──────────┘
                               └──transfer (self)     │
    submitted/dispatched/accepted ──merge──▶ merged (terminal, points at the surviving order)
    rated (不满意) ──reopen──▶ dispatched (same department, new deadlines)

"accept" is the first contact with the submitter: it is the feedback the two-working-day deadline
asks for. ``WORKFLOW`` declares all of it for ``core.workflow``: states, transitions, who may fire
each (``permissions.may``), the reopen guard, and the deadline warnings and escalations;
``services.py`` performs every move through ``core.workflow.transition``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

from tongchou.core import clock
from tongchou.core.errors import IllegalTransition
from tongchou.core.workflow.definition import EscalationRule, Move, State, Transition, Workflow


class Status(StrEnum):
    SUBMITTED = "submitted"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    ANSWERED = "answered"
    RATED = "rated"
    CLOSED = "closed"
    MERGED = "merged"


STATUS_LABELS = {
    Status.SUBMITTED: "待分办",
    Status.DISPATCHED: "已分办",
    Status.ACCEPTED: "办理中",
    Status.ANSWERED: "已答复",
    Status.RATED: "已评价",
    Status.CLOSED: "已办结",
    Status.MERGED: "已合并",
}


class Action(StrEnum):
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    ANSWER = "answer"
    RATE = "rate"
    CLOSE = "close"
    TRANSFER = "transfer"
    RETURN = "return"
    MERGE = "merge"
    REOPEN = "reopen"


ACTION_LABELS = {
    Action.DISPATCH: "分办",
    Action.ACCEPT: "受理并联系",
    Action.ANSWER: "答复",
    Action.RATE: "评价",
    Action.CLOSE: "办结",
    Action.TRANSFER: "转办",
    Action.RETURN: "退回",
    Action.MERGE: "合并",
    Action.REOPEN: "重新办理",
}


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


RATING_LABELS = {Rating.SATISFIED: "满意", Rating.BASICALLY: "基本满意", Rating.DISSATISFIED: "不满意"}
SATISFIED_RATINGS = frozenset({Rating.SATISFIED, Rating.BASICALLY})


def _may(action: str):
    """The appeals permission policy for *action* (imported when first asked: this module stays
    pure). ``public_verified``: the anonymous public proved the order is theirs (number + phone)."""

    def check(user: Any, appeal: Any, *, public_verified: bool = False) -> bool:
        from tongchou.appeals import permissions

        return permissions.may(user, action, appeal, public_verified=public_verified)

    return check


def _reopen_after_dissatisfied(appeal: Any, move: Move) -> str | None:
    if getattr(appeal, "rating", "") != Rating.DISSATISFIED:
        raise IllegalTransition("只有评价为“不满意”的诉求可以重新办理。", code="reopen_needs_dissatisfied")
    return None


S = Status
_OPEN = {S.SUBMITTED, S.DISPATCHED, S.ACCEPTED}
_TERMINAL = {S.CLOSED, S.MERGED}


def _transition(action: Action, sources: set[Status], target: Status, **kw: Any) -> Transition:
    return Transition(ACTION_LABELS[action], sources=sources, target=target, may=_may(action), **kw)


def _appeal_link(appeal: Any) -> str:
    return f"/appeals/{appeal.number}/"


def _deadline_message(kind: str):
    def message(appeal: Any, due: datetime) -> tuple[str, str]:
        due_s = clock.localize(due).strftime("%Y-%m-%d %H:%M")
        dept = appeal.department.name if appeal.department_id else "（待分办）"
        titles = {
            "feedback_warning": f"提醒：诉求 {appeal.number} 须在 {due_s} 前联系反馈",
            "resolution_warning": f"提醒：诉求 {appeal.number} 须在 {due_s} 前办结答复",
            "feedback_overdue": f"督办：诉求 {appeal.number} 超过反馈期限（{dept}）",
            "resolution_overdue": f"督办：诉求 {appeal.number} 超过办结期限（{dept}）",
        }
        return titles[kind], appeal.text[:200]

    return message


def _handlers(appeal: Any) -> list[Any]:
    from tongchou.core.workflow.recipients import department_staff

    return department_staff()(appeal)


def _head_and_command_centre(appeal: Any) -> list[Any]:
    """The department head(s) and the leaders of the order's region and every region above it."""
    from tongchou.core.workflow.recipients import anyone_of, department_heads, region_leaders

    return anyone_of(department_heads(), region_leaders())(appeal)


WARN_BEFORE = timedelta(hours=24)


def _rule(kind: str, label: str, due: str, done: str, states: set[Status], warning: bool) -> EscalationRule:
    return EscalationRule(
        kind=kind,
        label=label,
        due_field=due,
        done_field=done,
        states=states,
        warn_before=WARN_BEFORE if warning else None,
        recipients=_handlers if warning else _head_and_command_centre,
        message=_deadline_message(kind),
        link=_appeal_link,
        notification_kind=f"appeal_{kind}",
    )


def _event_departments(appeal: Any, before: Any) -> dict[str, Any]:
    return {"from_department_id": before.get("department_id"), "to_department_id": appeal.department_id}


def _audit_detail(appeal: Any, move: Move) -> dict[str, Any]:
    return {"number": appeal.number, "reason": move.reason}


# The appeal workflow. Warnings go 24 h before a deadline to the handling department's staff;
# escalations after it to the department head(s) and the command centre (the region's leaders).
WORKFLOW = Workflow(
    name="appeal",
    label="诉求",
    model="appeals.Appeal",
    state_field="status",
    states={s: State(STATUS_LABELS[s], terminal=s in _TERMINAL, open=s in _OPEN) for s in Status},
    transitions={
        Action.DISPATCH: _transition(Action.DISPATCH, {S.SUBMITTED}, S.DISPATCHED),
        Action.ACCEPT: _transition(Action.ACCEPT, {S.DISPATCHED}, S.ACCEPTED),
        Action.ANSWER: _transition(Action.ANSWER, {S.ACCEPTED}, S.ANSWERED),
        Action.RATE: _transition(Action.RATE, {S.ANSWERED}, S.RATED),
        Action.CLOSE: _transition(Action.CLOSE, {S.ANSWERED, S.RATED}, S.CLOSED),
        Action.TRANSFER: _transition(
            Action.TRANSFER, {S.DISPATCHED, S.ACCEPTED}, S.DISPATCHED, reason_required=True
        ),
        Action.RETURN: _transition(
            Action.RETURN, {S.DISPATCHED, S.ACCEPTED}, S.SUBMITTED, reason_required=True
        ),
        Action.MERGE: _transition(
            Action.MERGE, {S.SUBMITTED, S.DISPATCHED, S.ACCEPTED}, S.MERGED, reason_required=True
        ),
        Action.REOPEN: _transition(
            Action.REOPEN, {S.RATED}, S.DISPATCHED, reason_required=True, guards=[_reopen_after_dissatisfied]
        ),
    },
    event_model="appeals.AppealEvent",
    event_fk="appeal",
    audit_prefix="appeal",
    lock_related=("region", "department"),
    event_fields=_event_departments,
    audit_detail=_audit_detail,
    escalations=[
        _rule("feedback_warning", "反馈期限临近提醒", "feedback_due", "feedback_at", {S.DISPATCHED}, True),
        _rule(
            "feedback_overdue",
            "反馈超期督办",
            "feedback_due",
            "feedback_at",
            {S.SUBMITTED, S.DISPATCHED},
            False,
        ),
        _rule(
            "resolution_warning",
            "办结期限临近提醒",
            "resolution_due",
            "answered_at",
            {S.DISPATCHED, S.ACCEPTED},
            True,
        ),
        _rule(
            "resolution_overdue",
            "办结超期督办",
            "resolution_due",
            "answered_at",
            {S.SUBMITTED, S.DISPATCHED, S.ACCEPTED},
            False,
        ),
    ],
)

# The table as data, for readers and tests: action -> (source statuses, target status).
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action(a): (frozenset(Status(s) for s in t.sources), Status(t.target or ""))
    for a, t in WORKFLOW.transitions.items()
}
# Actions that must say why (recorded in the history).
REASON_REQUIRED = frozenset(Action(a) for a, t in WORKFLOW.transitions.items() if t.reason_required)
OPEN_STATUSES = frozenset(Status(s) for s in WORKFLOW.open_states)
TERMINAL_STATUSES = frozenset(Status(s) for s in WORKFLOW.terminal_states)
ESCALATION_LABELS = {r.kind: r.label for r in WORKFLOW.escalations}


def next_status(current: str, action: str, *, rating: str | None = None, reason: str = "") -> Status:
    """The status after *action*, or :class:`IllegalTransition` with a Chinese message (the pure
    check ``transition()`` runs, with the order's rating for the reopen guard)."""
    return Status(WORKFLOW.check(current, action, reason=reason, obj=SimpleNamespace(rating=rating or "")))


def allowed_actions(current: str) -> list[Action]:
    """Actions the table allows from *current* (permissions aside; see core.workflow.allowed_actions)."""
    return [Action(a) for a in WORKFLOW.actions_from(Status(current))]
