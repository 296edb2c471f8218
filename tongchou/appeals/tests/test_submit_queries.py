"""The submission fast path stays short: the kernel work (workflow, scheduler) must not add a query
to an auto-dispatched order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongchou.appeals import services

pytestmark = pytest.mark.django_db

TEXT = "我公司两辆货车在王村检查站被劝返，司机已做核酸，请问怎样办理通行证？"


def test_an_auto_dispatched_submission_takes_the_same_few_statements(users, zhoucun):
    hotline = users["department"]

    def submit(key):
        return services.appeal_submit(
            text=TEXT, region=zhoucun, channel="hotline", client=f"user:{hotline.pk}",
            idempotency_key=key, contact_phone="13800001111", submitter=None, contact_name="张先生",
        )  # fmt: skip

    submit("q-0")  # a serving process has its router, deadline policies and region chain cached
    with CaptureQueriesContext(connection) as ctx:
        appeal, created = submit("q-1")
    assert created and appeal.status == "dispatched"
    statements = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    work = [s for s in statements if s not in ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")]
    # INSERT order, UPDATE its number, INSERT both events, INSERT both audit rows, SELECT the
    # department's staff (it has none here, so no INSERT of notifications); on PostgreSQL the
    # API adds the token lookup, BEGIN and COMMIT: 8 in all
    assert work == ["INSERT", "UPDATE", "INSERT", "INSERT", "SELECT"], statements
