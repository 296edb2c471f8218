"""The 免申即享 delivery cycle as a ``core.workflow`` declaration (pure: imports no Django)::

    awaiting (数据比对 done) ─confirm→ confirmed ─start_publicity→ publicity ─close_publicity→ passed ─pay→ paid
        └─decline→ declined              publicity ─object→ objected ─dismiss→ publicity
                                                    objected ─object→ objected (another objection)
                                                    objected ─uphold→ rejected

Who: the enterprise itself confirms or declines (anyone else is told the case does not exist);
department staff and administrators run publicity, resolve objections and pay; anyone, the
anonymous public included, may object while the publicity runs; the scheduler (no actor) or staff
close a publicity once its last day has passed. Audit actions keep their earlier names
(``rules.delivery.<new status>``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tongchou.core.errors import IllegalTransition, NotFound
from tongchou.core.workflow.definition import Move, State, Transition, Workflow

AWAITING, DECLINED, CONFIRMED = "awaiting", "declined", "confirmed"
IN_PUBLICITY, OBJECTED, PASSED, REJECTED, PAID = "publicity", "objected", "passed", "rejected", "paid"

STATES = {
    AWAITING: State("待企业确认", open=True),
    DECLINED: State("企业放弃", terminal=True),
    CONFIRMED: State("已确认，待公示", open=True),
    IN_PUBLICITY: State("公示中", open=True),
    OBJECTED: State("异议处理中", open=True),
    PASSED: State("公示期满，待拨付", open=True),
    REJECTED: State("异议成立，不予兑现", terminal=True),
    PAID: State("已拨付", terminal=True),
}
OPERATORS = frozenset({"department", "admin"})


def _owner(user: Any, delivery: Any) -> bool:
    """Only the enterprise's own users; to anyone else the case does not exist."""
    if getattr(user, "enterprise_id", None) != delivery.enterprise_id:
        raise NotFound("找不到该兑现事项。")
    return True


def _system_or_operator(user: Any, delivery: Any) -> bool:
    if user is None:
        return True  # the scheduler
    from tongchou.accounts.roles import role_of

    return role_of(user) in OPERATORS


def _today(move: Move) -> dt.date:
    today = move.params.get("today")
    if today is None:
        from tongchou.core import clock

        today = clock.today()
    return today


def _publicity_running(delivery: Any, move: Move) -> str | None:
    if delivery.publicity_end and _today(move) > delivery.publicity_end:
        raise IllegalTransition(f"公示期已于 {delivery.publicity_end} 结束，不能再提出异议。")
    return None


def _publicity_over(delivery: Any, move: Move) -> str | None:
    if delivery.publicity_end and _today(move) <= delivery.publicity_end:
        raise IllegalTransition(f"公示期至 {delivery.publicity_end}，期满后才能结束公示。")
    return None


def _audit_detail(delivery: Any, move: Move) -> dict[str, Any]:
    return {"from": move.from_state, "reason": move.reason}


WORKFLOW = Workflow(
    name="delivery",
    label="兑现事项",
    model="rules.Delivery",
    state_field="status",
    states=STATES,
    transitions={
        "confirm": Transition("确认享受", {AWAITING}, CONFIRMED, may=_owner, audit=CONFIRMED),
        "decline": Transition("放弃享受", {AWAITING}, DECLINED, may=_owner, audit=DECLINED),
        "start_publicity": Transition(
            "开始公示", {CONFIRMED}, IN_PUBLICITY, may=OPERATORS, audit=IN_PUBLICITY
        ),
        "object": Transition(
            "提出异议", {IN_PUBLICITY, OBJECTED}, OBJECTED, guards=[_publicity_running], audit=OBJECTED
        ),
        "dismiss": Transition(
            "异议不成立，恢复公示", {OBJECTED}, IN_PUBLICITY, may=OPERATORS, audit=IN_PUBLICITY
        ),
        "uphold": Transition("异议成立，不予兑现", {OBJECTED}, REJECTED, may=OPERATORS, audit=REJECTED),
        "close_publicity": Transition(
            "结束公示",
            {IN_PUBLICITY},
            PASSED,
            may=_system_or_operator,
            guards=[_publicity_over],
            audit=PASSED,
        ),
        "pay": Transition("拨付", {PASSED}, PAID, may=OPERATORS, audit=PAID),
    },
    event_model="rules.DeliveryEvent",
    event_fk="delivery",
    audit_prefix="rules.delivery",
    audit_detail=_audit_detail,
    anonymous_label="公众",
)
OPEN_STATUSES = WORKFLOW.open_states
