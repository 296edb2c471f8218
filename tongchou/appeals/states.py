"""The appeal state machine (pure: imports no Django).

    submitted ──dispatch──▶ dispatched ──accept──▶ accepted ──answer──▶ answered ──rate──▶ rated ──close──▶ closed
        ▲                      │  ▲                   │                    │                 │
        └──────return──────────┤  └─────transfer──────┤                    └──close──────────┘
                               └──transfer (self)     │
    submitted/dispatched/accepted ──merge──▶ merged (terminal, points at the surviving order)
    rated (不满意) ──reopen──▶ dispatched (same department, new deadlines)

"accept" is the first contact with the submitter: it is the feedback the two-working-day deadline
asks for. Every move goes through :func:`next_status`, which refuses illegal ones.
"""

from __future__ import annotations

from enum import StrEnum

from tongchou.core.errors import IllegalTransition


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

S = Status
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.DISPATCH: (frozenset({S.SUBMITTED}), S.DISPATCHED),
    Action.ACCEPT: (frozenset({S.DISPATCHED}), S.ACCEPTED),
    Action.ANSWER: (frozenset({S.ACCEPTED}), S.ANSWERED),
    Action.RATE: (frozenset({S.ANSWERED}), S.RATED),
    Action.CLOSE: (frozenset({S.ANSWERED, S.RATED}), S.CLOSED),
    Action.TRANSFER: (frozenset({S.DISPATCHED, S.ACCEPTED}), S.DISPATCHED),
    Action.RETURN: (frozenset({S.DISPATCHED, S.ACCEPTED}), S.SUBMITTED),
    Action.MERGE: (frozenset({S.SUBMITTED, S.DISPATCHED, S.ACCEPTED}), S.MERGED),
    Action.REOPEN: (frozenset({S.RATED}), S.DISPATCHED),
}
# Actions that must say why (recorded in the history).
REASON_REQUIRED = frozenset({Action.TRANSFER, Action.RETURN, Action.MERGE, Action.REOPEN})
OPEN_STATUSES = frozenset({S.SUBMITTED, S.DISPATCHED, S.ACCEPTED})
TERMINAL_STATUSES = frozenset({S.CLOSED, S.MERGED})


class Rating(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


RATING_LABELS = {Rating.SATISFIED: "满意", Rating.BASICALLY: "基本满意", Rating.DISSATISFIED: "不满意"}
SATISFIED_RATINGS = frozenset({Rating.SATISFIED, Rating.BASICALLY})


def next_status(current: str, action: str, *, rating: str | None = None, reason: str = "") -> Status:
    """The status after *action*, or :class:`IllegalTransition` with a Chinese message."""
    try:
        act = Action(action)
        cur = Status(current)
    except ValueError as exc:
        raise IllegalTransition(f"未知的操作或状态：{action} / {current}", code="unknown_action") from exc
    sources, target = TRANSITIONS[act]
    if cur not in sources:
        allowed = "、".join(STATUS_LABELS[s] for s in sorted(sources))
        raise IllegalTransition(
            f"诉求当前为“{STATUS_LABELS[cur]}”，不能{ACTION_LABELS[act]}（只有“{allowed}”的诉求可以）。",
            detail={"status": cur.value, "action": act.value},
        )
    if act in REASON_REQUIRED and not reason.strip():
        raise IllegalTransition(f"{ACTION_LABELS[act]}需要填写原因。", code="reason_required")
    if act is Action.REOPEN and rating != Rating.DISSATISFIED:
        raise IllegalTransition("只有评价为“不满意”的诉求可以重新办理。", code="reopen_needs_dissatisfied")
    return target


def allowed_actions(current: str) -> list[Action]:
    cur = Status(current)
    return [a for a, (sources, _) in TRANSITIONS.items() if cur in sources]
