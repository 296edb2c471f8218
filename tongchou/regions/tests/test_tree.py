"""Walking the division tree: ancestors from a per-process copy of the table, descendants by code
prefix, and the copy dropped when a region changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_town_knows_its_ancestors_nearest_first(reference_data):
    from tongchou.regions.models import Region

    town = Region.objects.get(code="370306001")
    assert town.ancestor_codes() == ["370306001", "370306", "370300", "370000"]
    assert town.ancestor_codes(include_self=False) == ["370306", "370300", "370000"]
    assert [r.name for r in town.ancestors()] == ["山东省", "淄博市", "周村区"]
    assert [r.code for r in town.ancestors(include_self=True)][-1] == "370306001"
    assert town.full_name == "淄博市周村区丝绸路街道"


def test_walking_up_costs_no_query_once_the_tree_is_cached(reference_data):
    from tongchou.regions.models import Region, ancestor_codes

    town = Region.objects.get(code="370306001")
    town.ancestor_codes()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            town.ancestor_codes()
            ancestor_codes("370102")
            town.full_name  # noqa: B018
    assert len(queries) == 0


def test_descendants_are_the_code_prefix_subtree(reference_data):
    from tongchou.regions.models import Region

    zhoucun = Region.objects.get(code="370306")
    towns = list(zhoucun.descendants())
    assert towns and all(t.code.startswith("370306") and t.level == "town" for t in towns)
    assert zhoucun not in towns and zhoucun in zhoucun.descendants(include_self=True)
    assert zhoucun.descendants_prefix == "370306"
    assert zhoucun.contains("370306001") and zhoucun.contains(zhoucun)
    assert not zhoucun.contains("370303") and not zhoucun.contains(None)
    zibo = Region.objects.get(code="370300")
    assert zibo.contains(zhoucun) and not zhoucun.contains(zibo)


def test_a_new_region_is_seen_at_once_by_the_cached_tree(reference_data):
    from tongchou.regions.models import Region, ancestor_codes, region_by_code

    assert ancestor_codes("370306999") == ["370306999"]  # unknown yet (and now cached)
    assert region_by_code("370306999") is None
    Region.objects.create(code="370306999", name="测试街道", level="town", parent_id="370306")
    assert ancestor_codes("370306999") == ["370306999", "370306", "370300", "370000"]
    assert region_by_code("370306999").name == "测试街道"
