"""The database-backed router follows changes to the departments it routes to."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_disabled_department_leaves_the_cached_router_at_once(zhoucun):
    from tongchou.appeals.routing_db import router_for_region, routing_departments

    departments = routing_departments(zhoucun)
    assert len(departments) > 3
    router_for_region(zhoucun)  # warm the cache
    gone = departments[0]
    gone.is_active = False
    gone.save()
    names = {c.department for c in router_for_region(zhoucun).score("企业用工招聘困难，需要人社部门帮助")}
    assert gone.name not in names


def test_under_serve_an_expired_router_answers_while_one_thread_rebuilds_it(monkeypatch):
    """No request waits for a rebuild (≈ 0.1 s with the policy texts): the stale router answers,
    a single background build replaces it, and later calls get the new one."""
    import threading
    from types import SimpleNamespace

    from tongchou.appeals import routing_db

    release = threading.Event()
    builds: list[object] = []

    def slow_build(region):
        release.wait(5)
        builds.append(object())
        return builds[-1], []

    region = SimpleNamespace(pk="370306")
    stale = object()
    monkeypatch.setattr(routing_db, "_build", slow_build)
    monkeypatch.setattr(routing_db, "background_refresh", True)
    routing_db.clear_router_cache()
    routing_db._store(region, stale, [], built_at=0.0)  # long expired

    assert routing_db.router_for_region(region) is stale
    assert routing_db.router_for_region(region) is stale  # still building: no second thread
    release.set()
    for t in threading.enumerate():
        if t.name == "router-refresh":
            t.join(5)
    assert len(builds) == 1
    assert routing_db.router_for_region(region) is builds[0]
    routing_db.clear_router_cache()
