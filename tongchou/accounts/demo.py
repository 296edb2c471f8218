"""Demo accounts: ``demo_account`` creates one (idempotently) and lists it on the demo's login page;
``step_accounts`` is the accounts app's demo step — the administrator, the command centres, two
department staff and one account per role of the coming modules. The enterprise and the bank
account come from those apps' own steps (they need their records)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tongchou.accounts.roles import Role
from tongchou.core.demo import DEMO_PASSWORD, record_demo_account


def demo_account(username: str, role: str, display_name: str, **binding: Any) -> Any:
    """The demo user *username* (created with the demo password if missing), listed for the login page."""
    from tongchou.accounts.models import User

    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "display_name": display_name, **binding}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    record_demo_account(role=str(Role(role).label), username=username, who=display_name)
    return user


@transaction.atomic
def step_accounts(stdout: Any) -> str:
    from tongchou.regions.models import Department

    zhoucun = list(Department.objects.filter(region_id="370306"))  # names as in the seeds are aliases
    dept = next(
        (d for d in zhoucun if "区人力资源社会保障局" in d.all_names), zhoucun[0] if zhoucun else None
    )
    head_dept = next((d for d in zhoucun if "区发展改革局" in d.all_names), dept)
    accounts: list[tuple[str, str, str, dict[str, Any]]] = [
        ("admin", Role.ADMIN, "系统管理员", {"is_staff": True, "is_superuser": True, "region_id": "370000"}),
        ("leader", Role.LEADER, "指挥部（淄博市）", {"region_id": "370300"}),
        ("zhoucun_leader", Role.LEADER, "周村区指挥部", {"region_id": "370306"}),
        ("renshe", Role.DEPARTMENT, "周村区人社局经办人", {"department": dept}),
        (
            "fagai",
            Role.DEPARTMENT,
            "周村区发改局负责人",
            {"department": head_dept, "is_department_head": True},
        ),
        ("ducha", Role.SUPERVISOR, "淄博市督查室督查专员", {"region_id": "370300"}),
        ("jinrong", Role.REGULATOR, "淄博市地方金融监管局科员", {"region_id": "370300"}),
        ("weijian", Role.HEALTH, "周村区卫生健康局疾控科", {"region_id": "370306"}),
        ("wangge", Role.COMMUNITY_WORKER, "丝绸路街道网格员", {"region_id": "370306001"}),
        ("pinggu", Role.EVALUATOR, "第三方评估机构（周村区）", {"region_id": "370306"}),
    ]
    for username, role, display, extra in accounts:
        demo_account(username, role, display, **extra)
    return f"演示账号 {len(accounts)} 个（每个角色至少一个）"
