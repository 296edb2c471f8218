"""The demo's appeals look like an office's work: every step after the one before, all in the past,
the history's lines at the times of the steps they record, and answers taking days, not seconds."""

from __future__ import annotations

import io

import pytest

from tongchou.appeals.models import Appeal, AppealEvent
from tongchou.core import clock

pytestmark = pytest.mark.django_db

STEPS = ("submitted_at", "dispatched_at", "feedback_at", "answered_at", "rated_at", "closed_at")


def test_demo_orders_have_ordered_past_steps_and_realistic_handling_times(users, client_as):
    from tongchou.appeals import demo

    demo.seed(io.StringIO())
    orders = list(Appeal.objects.filter(client=demo.DEMO_CLIENT))
    assert len(orders) > 100
    now = clock.now()
    for a in orders:
        times = [getattr(a, f) for f in STEPS if getattr(a, f)]
        assert times == sorted(times) and times[-1] <= now, a.number
    answered = [a for a in orders if a.answered_at]
    hours = [(a.answered_at - a.submitted_at).total_seconds() / 3600 for a in answered]
    assert min(hours) > 1 and sum(hours) / len(hours) > 24
    for ev in AppealEvent.objects.filter(appeal__client=demo.DEMO_CLIENT, action="answer"):
        assert ev.at == ev.appeal.answered_at
    totals = client_as("leader").get("/appeals/figures/?start=2000-01-01").context["data"]["totals"]
    assert totals["avg_answer_hours"] > 24
