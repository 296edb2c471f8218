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
