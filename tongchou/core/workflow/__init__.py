"""The platform's one workflow engine (see docs/ARCHITECTURE.md, "How a new module plugs into the
kernel").

- ``definition`` (pure): ``Workflow``, ``State``, ``Transition``, ``EscalationRule``, ``Move``.
- ``engine``: ``transition()``, ``record_event()``, ``allowed_actions()``, ``may()``.
- ``deadlines``: ``deadline()``, ``deadline_in_hours()``, ``escalation_pass()``, ``escalation_job()``.
- ``recipients``: ``department_staff()``, ``department_heads()``, ``region_leaders()``, ``anyone_of()``.
- ``core.models.WorkflowEventBase``: the abstract history table each module subclasses.

The declaration names import no Django; the rest load on first use, so a pure module can import
``Workflow`` from here without the database.
"""

from __future__ import annotations

from typing import Any

from tongchou.core.workflow.definition import EscalationRule, Move, State, Transition, Workflow

_LAZY = {
    "transition": "engine",
    "record_event": "engine",
    "allowed_actions": "engine",
    "may": "engine",
    "actor_label": "engine",
    "deadline": "deadlines",
    "deadline_in_hours": "deadlines",
    "escalation_pass": "deadlines",
    "escalation_job": "deadlines",
    "department_staff": "recipients",
    "department_heads": "recipients",
    "region_leaders": "recipients",
    "anyone_of": "recipients",
}

__all__ = ["EscalationRule", "Move", "State", "Transition", "Workflow", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"tongchou.core.workflow.{module}"), name)
