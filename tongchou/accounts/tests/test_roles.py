"""The roles of the coming modules: Chinese names, the region each must be bound to, and the region
scope every list will filter them by."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tongchou.accounts.roles import BINDINGS, Role, role_label

pytestmark = pytest.mark.django_db

NEW_ROLES = {
    "supervisor": "督查室工作人员",
    "regulator": "金融监管工作人员",
    "health": "卫生健康工作人员",
    "community_worker": "网格员",
    "evaluator": "第三方评估人员",
}


def test_the_new_roles_exist_with_chinese_names_and_a_binding():
    for role, label in NEW_ROLES.items():
        assert role_label(role) == label
        assert BINDINGS[role].kind == "region"
    assert BINDINGS[Role.EVALUATOR].read_only
    assert role_label("anonymous") == "匿名访客"


def _user(role: str, region: str | None):
    from tongchou.accounts.models import User

    return User(username=f"x_{role}", role=role, region_id=region, password="x")


@pytest.mark.parametrize(
    ("role", "region", "ok"),
    [
        ("community_worker", "370306001", True),  # a town (街道)
        ("community_worker", "370306", False),  # a district is too big for a grid worker
        ("health", "370306", True),
        ("health", "370306001", True),
        ("health", "370300", False),  # the city's health commission is department staff, not this role
        ("regulator", "370300", True),
        ("regulator", "370306001", False),
        ("supervisor", "370000", True),
        ("evaluator", "370306", True),
        ("evaluator", None, False),
        ("supervisor", None, False),
    ],
)
def test_a_region_bound_role_needs_a_region_of_a_fitting_level(reference_data, role, region, ok):
    user = _user(role, region)
    if ok:
        user.full_clean()
    else:
        with pytest.raises(ValidationError) as err:
            user.full_clean()
        assert "region" in err.value.message_dict
        assert NEW_ROLES[role] in err.value.message_dict["region"][0]


def test_department_and_enterprise_roles_still_need_their_records(reference_data):
    from tongchou.accounts.models import User

    with pytest.raises(ValidationError) as err:
        User(username="d", role="department", password="x").full_clean()
    assert "department" in err.value.message_dict


def test_the_new_roles_are_scoped_to_their_region(users):
    from tongchou.accounts.scope import region_in_scope, user_region_prefix

    assert user_region_prefix(users["community_worker"]) == "370306001"
    assert user_region_prefix(users["health"]) == "370306"
    assert user_region_prefix(users["regulator"]) == "3703"
    assert region_in_scope(users["evaluator"], "370306002")
    assert not region_in_scope(users["evaluator"], "370303")
