"""Declaring a workflow: states, transitions, who may fire them, guards, deadlines (pure: imports no
Django, so a module's declaration and its hardest tests run without a database).

A workflow is data::

    APPEALS = Workflow(
        name="appeal", label="诉求", model="appeals.Appeal", state_field="status",
        states={"submitted": State("待分办", open=True), "closed": State("已办结", terminal=True), …},
        transitions={"dispatch": Transition("分办", sources={"submitted"}, target="dispatched",
                                            may=("leader", "admin")), …},
        event_model="appeals.AppealEvent", event_fk="appeal", audit_prefix="appeal",
        escalations=[EscalationRule(kind="feedback_overdue", …)],
    )

:meth:`Workflow.check` is the pure decision "may this move happen from this state, with this
reason, given these guards" and raises :class:`IllegalTransition` with a Chinese message naming the
current state and the action. ``core.workflow.engine.transition`` performs a move on a database row.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tongchou.core.errors import IllegalTransition, TongchouError


def _accepted(fn: Callable[..., Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The *params* that *fn* takes by name (all of them if it takes ``**kwargs``): a plain
    ``lambda user, obj: …`` works whatever a service passes for its guards."""
    if not params:
        return {}
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return dict(params)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()):
        return dict(params)
    return {k: v for k, v in params.items() if k in sig.parameters}


@dataclass(frozen=True)
class State:
    """One state. ``open``: work is still expected (lists of open items, figures, deadlines);
    ``terminal``: nothing may follow."""

    label: str
    terminal: bool = False
    open: bool = False


@dataclass
class Move:
    """What a guard, a ``may`` check, a ``changes`` callable or a notifier is told about a move."""

    workflow: Workflow
    obj: Any
    action: str
    actor: Any = None
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    from_state: str = ""
    to_state: str = ""

    @property
    def transition(self) -> Transition:
        return self.workflow.transitions[self.action]


# A guard refuses a move by returning a Chinese message (or raising a TongchouError of its own);
# None lets it pass.
Guard = Callable[[Any, Move], str | None]
# ``may``: role names, or a callable ``(user, obj) -> bool`` (it may also take by name any of the
# ``params`` a service passes to ``transition()``, and may raise NotFound to hide the object
# altogether), or None for anyone, the anonymous public included.
May = Collection[str] | Callable[..., bool] | None


@dataclass(frozen=True)
class Transition:
    """An action: from which states, to which state (None: stays where it is), who may fire it,
    what must hold (guards), whether a reason is required. ``audit`` names the audit action
    (default: the action's own name)."""

    label: str
    sources: Collection[str]
    target: str | None
    may: May = None
    guards: Sequence[Guard] = ()
    reason_required: bool = False
    audit: str = ""
    notify: Callable[[Any, Move], None] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "guards", tuple(self.guards))
        if isinstance(self.may, str):
            object.__setattr__(self, "may", frozenset({self.may}))


@dataclass(frozen=True)
class EscalationRule:
    """A deadline that a workflow watches in some states: a warning ``warn_before`` ahead of it, or
    (``warn_before=None``) an escalation once it has passed. Sent once per (object, kind, deadline):
    a new deadline (after a transfer or a reopen) gets its own.

    - ``due_field``: the model field holding the deadline (set by a transition's ``changes``, e.g.
      with ``core.workflow.deadline`` or ``deadline_in_hours``);
    - ``done_field``: a field that, once filled, means the deadline was met (``feedback_at``);
    - ``states``: the states in which the deadline still runs;
    - ``recipients(obj)``: users to notify (see ``core.workflow.recipients``);
    - ``message(obj, due)``: (title, body) of the notification, also the history line;
    - ``link(obj)``: where the notification points.
    """

    kind: str
    label: str
    due_field: str
    states: Collection[str]
    recipients: Callable[[Any], Iterable[Any]]
    message: Callable[[Any, datetime], tuple[str, str]]
    done_field: str | None = None
    warn_before: timedelta | None = None
    link: Callable[[Any], str] | None = None
    notification_kind: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", frozenset(self.states))

    @property
    def is_warning(self) -> bool:
        return self.warn_before is not None


@dataclass(frozen=True)
class Workflow:
    """A declared state machine over one model's ``state_field``.

    ``model`` and ``event_model`` are "app_label.ModelName" strings (or classes): the declaration
    stays importable without Django. ``event_fk`` names the event model's foreign key to the object.
    ``lock_related``: relations fetched with the locked row. ``event_fields(obj, before)`` adds
    columns of a module's own event table (``before``: the changed fields' previous values by
    attribute name). ``audit_detail(obj, move)`` is the audit entry's detail.
    """

    name: str
    label: str
    model: Any
    state_field: str
    states: Mapping[str, State]
    transitions: Mapping[str, Transition]
    event_model: Any = None
    event_fk: str = ""
    audit_prefix: str = ""
    escalations: Sequence[EscalationRule] = ()
    lock_related: Sequence[str] = ()
    event_fields: Callable[[Any, Mapping[str, Any]], Mapping[str, Any]] | None = None
    audit_detail: Callable[[Any, Move], Mapping[str, Any]] | None = None
    anonymous_label: str = ""

    def __post_init__(self) -> None:
        for action, t in self.transitions.items():
            unknown = [s for s in (*t.sources, t.target) if s is not None and s not in self.states]
            if unknown:
                raise ValueError(f"workflow {self.name}: transition {action} names unknown states {unknown}")
            if not t.sources:
                raise ValueError(f"workflow {self.name}: transition {action} has no source state")
        for rule in self.escalations:
            unknown = [s for s in rule.states if s not in self.states]
            if unknown:
                raise ValueError(
                    f"workflow {self.name}: escalation {rule.kind} names unknown states {unknown}"
                )

    # --- labels -------------------------------------------------------------------------------
    def state_label(self, state: str) -> str:
        st = self.states.get(state)
        return st.label if st else state

    def action_label(self, action: str) -> str:
        t = self.transitions.get(action)
        return t.label if t else action

    def state_choices(self) -> list[tuple[str, str]]:
        """For a model field's ``choices``."""
        return [(code, st.label) for code, st in self.states.items()]

    @property
    def open_states(self) -> frozenset[str]:
        return frozenset(code for code, st in self.states.items() if st.open)

    @property
    def terminal_states(self) -> frozenset[str]:
        return frozenset(code for code, st in self.states.items() if st.terminal)

    def actions_from(self, state: str) -> list[str]:
        """Actions whose source states include *state*, in declaration order (no permission check)."""
        return [a for a, t in self.transitions.items() if state in t.sources]

    def escalation(self, kind: str) -> EscalationRule:
        return next(r for r in self.escalations if r.kind == kind)

    # --- the pure decision -------------------------------------------------------------------
    def target_of(self, current: str, action: str) -> str:
        t = self.transitions[action]
        return current if t.target is None else t.target

    def check(
        self, current: str, action: str, *, reason: str = "", obj: Any = None, move: Move | None = None
    ) -> str:
        """The state after *action* from *current*, or :class:`IllegalTransition`: unknown action,
        a source state that does not allow it, a missing reason, a guard that refuses. Guards run
        only when *obj* is given (they read the object)."""
        t = self.transitions.get(action)
        if t is None or current not in self.states:
            raise IllegalTransition(
                f"未知的操作或状态：{action} / {current}",
                code="unknown_action",
                detail={"status": current, "action": action},
            )
        if current not in t.sources:
            allowed = "、".join(self.state_label(s) for s in self.states if s in t.sources)
            raise IllegalTransition(
                f"{self.label}当前为“{self.state_label(current)}”，不能{t.label}"
                f"（只有“{allowed}”的{self.label}可以）。",
                detail={"status": current, "action": action},
            )
        if t.reason_required and not (reason or "").strip():
            raise IllegalTransition(
                f"{t.label}需要填写原因。", code="reason_required", detail={"action": action}
            )
        if obj is not None:
            move = move or Move(self, obj, action, reason=reason, from_state=current)
            for guard in t.guards:
                refusal = guard(obj, move)
                if refusal:
                    raise IllegalTransition(
                        refusal, code="guard_failed", detail={"status": current, "action": action}
                    )
        return self.target_of(current, action)

    def permits(self, action: str, user: Any, obj: Any, params: Mapping[str, Any] | None = None) -> bool:
        """May *user* fire *action* on *obj*? Role names are compared with ``role_of(user)``
        (passed in by the engine through ``params['_role']``); a callable decides itself."""
        may = self.transitions[action].may
        if may is None:
            return True
        params = dict(params or {})
        role = params.pop("_role", None)
        if callable(may):
            return bool(may(user, obj, **_accepted(may, params)))
        return role in may

    def is_allowed(self, current: str, action: str, obj: Any = None) -> bool:
        """Would :meth:`check` pass (reason aside)? For showing buttons."""
        try:
            self.check(current, action, reason="-", obj=obj)
        except TongchouError:
            return False
        return True
