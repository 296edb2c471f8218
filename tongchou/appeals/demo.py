"""Demo step: realistic appeals in every state, so the lists, figures, ledger and common-problem
pages have something to show. Idempotent: skipped when demo appeals exist."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction

DEMO_CLIENT = "demo"


@transaction.atomic
def seed(stdout: Any) -> str:
    from tongchou.accounts.models import User
    from tongchou.appeals import services
    from tongchou.appeals.models import Appeal
    from tongchou.appeals.routing import labelled_appeals
    from tongchou.regions.models import Region

    if Appeal.objects.filter(client=DEMO_CLIENT).exists():
        return f"诉求：已有演示诉求 {Appeal.objects.filter(client=DEMO_CLIENT).count()} 件"
    zhoucun = Region.objects.filter(code="370306").first()
    admin = User.objects.filter(role="admin").first() or User.objects.filter(is_superuser=True).first()
    ent_user = User.objects.filter(username="qiye").first()
    if zhoucun is None or admin is None:
        return "诉求：缺少区划或管理员账号，跳过"
    rng = random.Random(2020)  # noqa: S311 - demo data
    rows = labelled_appeals()
    # three orders about the same checkpoint from different submitters: a common problem
    rows = rows + [
        {"text": "王村检查站不让外地货车进入，原料车堵在路口，请协调放行。", "category": "logistics"},
        {"text": "我公司货车在王村检查站排队五个小时才放行，能否开设绿色通道？", "category": "logistics"},
    ]
    made = 0
    for i, row in enumerate(rows):
        from_enterprise = ent_user is not None and i % 3 == 0
        appeal, _ = services.appeal_submit(
            text=row["text"],
            region=zhoucun,
            channel="web" if from_enterprise else ("hotline" if i % 3 == 1 else "public"),
            submitter=ent_user if from_enterprise else None,
            enterprise=ent_user.enterprise if from_enterprise else None,
            contact_name=""
            if from_enterprise
            else rng.choice(["王女士", "李先生", "张经理", "刘师傅", "陈女士"]),
            contact_phone=f"139{rng.randrange(10**7, 10**8)}",
            client=DEMO_CLIENT,
            idempotency_key=f"demo-{i}",
        )
        made += 1
        if appeal.status == "submitted" and i % 4 == 0:
            continue  # leave some in the dispatcher's queue
        if appeal.status == "submitted":
            dept = services.suggest_route(text=appeal.text, region=zhoucun).candidates[0]
            from tongchou.regions.models import Department

            services.appeal_dispatch(
                appeal=appeal, department=Department.objects.get(pk=dept.key), actor=admin
            )
        stage = i % 5
        if stage >= 1:
            services.appeal_accept(appeal=appeal, actor=admin, note="已电话联系，了解具体情况")
        if stage >= 2:
            services.appeal_answer(appeal=appeal, actor=admin, answer="已协调相关单位办理，问题已解决。")
        if stage >= 3:
            rating = ["satisfied", "satisfied", "basically_satisfied", "dissatisfied"][i % 4]
            appeal = Appeal.objects.get(pk=appeal.pk)
            if appeal.submitter_id:
                services.appeal_rate(
                    appeal=appeal,
                    actor=ent_user,
                    rating=rating,
                    comment="办理及时" if rating != "dissatisfied" else "问题未彻底解决",
                )
            else:
                services.appeal_rate(
                    appeal=appeal,
                    actor=None,
                    rating=rating,
                    comment="办理及时" if rating != "dissatisfied" else "问题未彻底解决",
                    public_verified=True,
                )
        if stage >= 4 and Appeal.objects.get(pk=appeal.pk).rating != "dissatisfied":
            services.appeal_close(appeal=appeal, actor=admin)
        # spread the history over the last four weeks, with handling times a real office shows:
        # contact within hours (late for some), an answer days later, a rating after that
        _backdate(Appeal.objects.get(pk=appeal.pk), i, rng, zhoucun)
    from tongchou.appeals import stats

    stats.refresh()  # fill the figures' daily table, as the worker would on its first tick
    return f"诉求：演示诉求 {made} 件（各状态均有，含王村检查站共性问题）"


# each handling step's delay after the previous one, in hours: (low, high)
_STEP_HOURS = {
    "dispatched_at": (0.2, 3),
    "feedback_at": (2, 30),
    "answered_at": (20, 120),
    "rated_at": (4, 48),
    "closed_at": (2, 24),
}
_EVENT_FIELD = {
    "submit": "submitted_at",
    "dispatch": "dispatched_at",
    "accept": "feedback_at",
    "answer": "answered_at",
    "rate": "rated_at",
    "close": "closed_at",
}


def _backdate(a: Any, i: int, rng: random.Random, region: Any) -> None:
    """Move an order's submission up to four weeks back and lay its steps out after it; every
    time stays in the past, and the history's lines move with the fields they record."""
    from tongchou.appeals import services
    from tongchou.appeals.models import AppealEvent
    from tongchou.core import clock

    now = clock.now()
    a.submitted_at = now - timedelta(days=rng.randrange(1, 28), hours=rng.randrange(0, 8))
    previous = a.submitted_at
    for field, (low, high) in _STEP_HOURS.items():
        if getattr(a, field) is None:
            continue
        hours = rng.uniform(low, high)
        if field == "feedback_at" and i % 7 == 0:
            hours = 96  # late: first contact four days after submission
        previous = min(previous + timedelta(hours=hours), now - timedelta(minutes=5))
        setattr(a, field, previous)
    a.feedback_due, a.resolution_due = services.compute_deadlines(a.category, region, a.submitted_at)
    a.number = services.appeal_number_for(a)
    a.save()
    for ev in AppealEvent.objects.filter(appeal=a):
        field = _EVENT_FIELD.get(ev.action)
        if field and getattr(a, field):
            ev.at = getattr(a, field)
            ev.save(update_fields=["at"])
