"""Demo step of the financing app: one bank in Zhoucun and its account manager's account."""

from __future__ import annotations

from typing import Any

from django.db import transaction


@transaction.atomic
def step_bank_account(stdout: Any) -> str:
    from tongchou.accounts.demo import demo_account
    from tongchou.accounts.roles import Role
    from tongchou.financing.models import Bank

    bank, _ = Bank.objects.get_or_create(name="淄博周村农村商业银行", defaults={"region_id": "370306"})
    demo_account("bank", Role.BANK, "周村农商行客户经理", bank=bank, region_id="370306")
    return f"演示银行：{bank.name}（账号 bank）"


def seed(stdout: Any) -> str:
    """Products, requests, batches, rounds, bridge loans and subsidies (issue 12)."""
    return ""
