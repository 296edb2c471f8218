from __future__ import annotations

import pytest


@pytest.fixture
def other_department(db, department):
    from tongchou.regions.models import Department

    return (
        Department.objects.filter(region_id=department.region_id)
        .exclude(pk=department.pk)
        .order_by("sort_order")
        .first()
    )


@pytest.fixture
def submit(users):
    """Submit an appeal as the test enterprise (not auto-dispatched unless asked)."""
    from tongchou.appeals import services

    def make(text="我公司货车在王村检查站被劝返，请协调办理通行证", **kw):
        ent_user = users["enterprise"]
        kw.setdefault("auto_dispatch", False)
        appeal, _ = services.appeal_submit(
            text=text,
            region=ent_user.enterprise.region,
            submitter=ent_user,
            enterprise=ent_user.enterprise,
            contact_phone="13800001111",
            **kw,
        )
        return appeal

    return make


@pytest.fixture
def api(client_as):
    """api("leader").post(path, json) → (status, body)."""

    class Api:
        def __init__(self, role):
            self.c = client_as(role)

        def post(self, path, body=None, **headers):
            r = self.c.post(
                f"/api/appeals{path}", data=body or {}, content_type="application/json", headers=headers
            )
            return r.status_code, r.json()

        def get(self, path):
            r = self.c.get(f"/api/appeals{path}")
            return r.status_code, r.json()

        def act(self, number, action, **body):
            return self.post(f"/{number}/actions/{action}", body)

    return Api


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Process caches (overrides, deadline policies, routers) must not outlive a rolled-back test."""
    from tongchou.appeals.routing_db import clear_router_cache
    from tongchou.appeals.services import clear_deadline_cache
    from tongchou.workdays.services import clear_cache

    for clear in (clear_cache, clear_deadline_cache, clear_router_cache):
        clear()
    yield
    for clear in (clear_cache, clear_deadline_cache, clear_router_cache):
        clear()
