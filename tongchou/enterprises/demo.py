"""Demo step of the enterprise registry: the demo's own enterprise and its account (the generated
population of enterprises comes with the rules app's step, which needs their facts)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

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


def demo_enterprise() -> Any:
    """The enterprise the demo's enterprise user belongs to (Zhoucun, textiles, small)."""
    from tongchou.enterprises.models import Enterprise
    from tongchou.enterprises.size_class import classify

    defaults: dict[str, Any] = {k: v for k, v in DEMO_ENTERPRISE.items() if k != "uscc"}
    defaults["size_class"] = classify(
        "C1711", employees=defaults["employees"], revenue_wan=defaults["revenue_wan"]
    ).size_class
    ent, _ = Enterprise.objects.get_or_create(uscc=DEMO_ENTERPRISE["uscc"], defaults=defaults)
    return ent


@transaction.atomic
def step_enterprise_account(stdout: Any) -> str:
    from tongchou.accounts.demo import demo_account
    from tongchou.accounts.roles import Role

    ent = demo_enterprise()
    demo_account("qiye", Role.ENTERPRISE, ent.name, enterprise=ent, phone="13905331234")
    return f"演示企业：{ent.name}（账号 qiye）"
