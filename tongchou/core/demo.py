"""The demo: a working platform with realistic data, built by each app's own demo step.

Steps are listed in ``settings.TONGCHOU_DEMO_STEPS``; each is idempotent, so running the demo twice
neither fails nor duplicates anything.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from tongchou.accounts.demo import DEMO_PASSWORD, write_demo_marker


def run_demo_steps(stdout: Any) -> list[str]:
    summaries = []
    # the demo sends thousands of notifications; the console sender would drown the summary
    sender_log = logging.getLogger("tongchou.notifications")
    level = sender_log.level
    sender_log.setLevel(logging.WARNING)
    try:
        for path in settings.TONGCHOU_DEMO_STEPS:
            step = import_string(path)
            summary = step(stdout)
            if summary:
                stdout.write(f"  · {summary}\n")
                summaries.append(summary)
    finally:
        sender_log.setLevel(level)
    return summaries


def step_reference(stdout: Any) -> str:
    from tongchou.regions.reference import load_reference_data

    counts = load_reference_data()
    return f"参考数据：行政区划 {counts['regions']} 条，政府部门 {counts['departments']} 条，行业 {counts['industries']} 条"


def step_policies(stdout: Any) -> str:
    """The seed policy documents, when the folder beside the project (or TONGCHOU_SEEDS) exists."""
    from django.conf import settings

    from tongchou.policies.services import seed_documents_ingest

    docs = seed_documents_ingest(settings.SEEDS_DIR)
    if not docs:
        return f"政策文件：未找到 {settings.SEEDS_DIR}，跳过（可设置 TONGCHOU_SEEDS 指向政策文件目录）"
    measures = sum(d.measures.count() for d in docs)
    return f"政策文件 {len(docs)} 份，措施 {measures} 条"


DEMO_ENTERPRISE = {
    "uscc": "91370306MA3C5WXH7C",
    "name": "淄博周村丝路纺织有限公司",
    "region_id": "370306",
    "industry_id": "C17",
    "employees": 86,
    "revenue_wan": 4200,
    "assets_wan": 3600,
    "legal_representative": "王建华",
    "contact_phone": "13905331234",
}


def demo_enterprise():
    """The enterprise the demo's enterprise user belongs to (Zhoucun, textiles, small)."""
    from tongchou.enterprises.models import Enterprise

    defaults = {k: v for k, v in DEMO_ENTERPRISE.items() if k != "uscc"}
    try:
        from tongchou.enterprises.size_class import classify

        defaults["size_class"] = classify(
            "C1711", employees=defaults["employees"], revenue_wan=defaults["revenue_wan"]
        ).size_class
    except Exception:
        defaults["size_class"] = "small"
    ent, _ = Enterprise.objects.get_or_create(uscc=DEMO_ENTERPRISE["uscc"], defaults=defaults)
    return ent


@transaction.atomic
def step_accounts(stdout: Any) -> str:
    from tongchou.accounts.models import User
    from tongchou.financing.models import Bank
    from tongchou.regions.models import Department

    zhoucun = list(Department.objects.filter(region_id="370306"))  # names as in the seeds are aliases
    dept = next(
        (d for d in zhoucun if "区人力资源社会保障局" in d.all_names), zhoucun[0] if zhoucun else None
    )
    head_dept = next((d for d in zhoucun if "区发展改革局" in d.all_names), dept)
    bank, _ = Bank.objects.get_or_create(name="淄博周村农村商业银行", defaults={"region_id": "370306"})
    ent = demo_enterprise()
    accounts = [
        ("admin", "admin", "系统管理员", {"is_staff": True, "is_superuser": True, "region_id": "370000"}),
        ("leader", "leader", "指挥部（淄博市）", {"region_id": "370300"}),
        ("zhoucun_leader", "leader", "周村区指挥部", {"region_id": "370306"}),
        ("renshe", "department", "周村区人社局经办人", {"department": dept}),
        ("fagai", "department", "周村区发改局负责人", {"department": head_dept, "is_department_head": True}),
        ("qiye", "enterprise", ent.name, {"enterprise": ent, "phone": "13905331234"}),
        ("bank", "bank", "周村农商行客户经理", {"bank": bank, "region_id": "370306"}),
    ]
    listed = []
    role_labels = dict(User._meta.get_field("role").choices)
    for username, role, display, extra in accounts:
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": role, "display_name": display, **extra}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        listed.append(
            {"role": str(role_labels[role]), "username": username, "password": DEMO_PASSWORD, "who": display}
        )
    write_demo_marker(listed)
    return f"演示账号 {len(listed)} 个"
