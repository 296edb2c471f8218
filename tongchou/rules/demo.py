"""Demo step of the rules app: the pack, enterprises with facts, a match run, deliveries in
every stage. Idempotent: a second run adds nothing (the run is repeated only when none exists)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

DEMO_AS_OF = dt.date(2020, 4, 15)
FACTS_AS_OF = dt.date(2020, 3, 31)
DEMO_USCC = "91370306MA3C5WXH7C"
PACK = Path(__file__).parent / "pack"

# Plausible facts of 淄博周村丝路纺织有限公司 (small textile firm in Zhoucun): eligible for several
# Zhoucun measures, one near miss (layoff rate) and missing data for others.
DEMO_FACTS: dict[str, Any] = {
    "insured_employees_prev_year_end": 82,
    "insured_employees": 80,
    "unemployment_insurance_paid_prev_year": 38400,
    "state_owned_rent_monthly": 12000,
    "equipment_purchase": 850000,
    "epidemic_equipment_investment": 1200000,
    "is_hr_agency": False,
    "incubator_level": "none",
    "exporter": True,
    "operating_difficulty": True,
    "new_hires_insured": 6,
    # a near miss by a measurable gap: the loan rate is below the 3.5% the subsidy starts from
    "is_epidemic_supply_producer": True,
    "emergency_loan_amount": 2000000,
    "emergency_loan_rate": 0.0325,
    # known "no" answers (the rest stays missing: 需补充)
    "has_soe_contract": False,
    "loan_due_soon": False,
    "epidemic_supply_imports": 0,
    "is_key_epidemic_enterprise": False,
    "is_online_training_platform": False,
    "tax_due_unpaid": 0,
    "utility_arrears": 0,
    "is_poverty_workshop": False,
    "is_poverty_leading_enterprise": False,
    "poverty_workshop_workers": 0,
}
DEMO_SOURCE = "区人力资源社会保障局"


def _ensure_enterprises(stdout: Any, count: int) -> int:
    from tongchou.enterprises.models import Enterprise
    from tongchou.facts.models import EnterpriseFact

    if EnterpriseFact.objects.exclude(enterprise__uscc=DEMO_USCC).filter(as_of__lte=DEMO_AS_OF).exists():
        return 0
    from tongchou.core.tables import CLI_LIMITS
    from tongchou.enterprises.generate import generate_frame, write_frame
    from tongchou.enterprises.importing import enterprises_import

    frame = generate_frame(count, "370300", seed=2020)
    frame = frame.filter(~frame["uscc"].is_in(list(Enterprise.objects.values_list("uscc", flat=True))))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_frame(frame, Path(tmp) / "demo_enterprises.csv")
        report = enterprises_import(
            source=path,
            filename=path.name,
            fact_source="合成数据（演示）",
            as_of=FACTS_AS_OF,
            limits=CLI_LIMITS,
        )
    return report.created


def _demo_enterprise_facts() -> int:
    from tongchou.enterprises.demo import demo_enterprise
    from tongchou.facts.models import EnterpriseFact
    from tongchou.facts.registry import current
    from tongchou.facts.storage import to_storage

    ent = demo_enterprise()
    n = 0
    for name, value in DEMO_FACTS.items():
        num, text = to_storage(current()[name], value)
        _, created = EnterpriseFact.objects.get_or_create(
            enterprise=ent,
            name=name,
            as_of=FACTS_AS_OF,
            defaults={"value_number": num, "value_text": text, "source": DEMO_SOURCE},
        )
        n += created
    return n


def _deliveries_in_stages() -> int:
    """Move a few automatic cases along the cycle so the workbench shows every stage."""
    from tongchou.accounts.models import User
    from tongchou.rules import services
    from tongchou.rules.models import Delivery, DeliveryStatus

    if Delivery.objects.exclude(status=DeliveryStatus.AWAITING_CONFIRMATION).exists():
        return 0
    staff = User.objects.filter(username="renshe").first() or User.objects.filter(is_superuser=True).first()
    head = User.objects.filter(username="fagai").first() or staff
    cases = list(
        Delivery.objects.filter(status=DeliveryStatus.AWAITING_CONFIRMATION)
        .exclude(enterprise__uscc=DEMO_USCC)
        .filter(amount__gt=0)  # PostgreSQL sorts NULL amounts first in DESC order; payouts need cash
        .select_related("enterprise")
        .order_by("-amount", "pk")[:12]
    )
    moved = 0
    for i, dlv in enumerate(cases):
        owner, created = User.objects.get_or_create(
            username=f"qiye_{dlv.enterprise_id}",
            defaults={
                "role": "enterprise",
                "enterprise": dlv.enterprise,
                "display_name": dlv.enterprise.name,
            },
        )
        if created:
            owner.set_unusable_password()
            owner.save(update_fields=["password"])
        if i == 11:
            services.delivery_decline(delivery=dlv, user=owner, reason="企业已享受同类政策")
            moved += 1
            continue
        services.delivery_confirm(delivery=dlv, user=owner)
        moved += 1
        if i >= 9:
            continue  # confirmed, waiting for publicity
        start = DEMO_AS_OF if i >= 3 else DEMO_AS_OF - dt.timedelta(days=20)
        if i < 3:
            services.delivery_start_publicity(delivery=dlv, actor=staff, start=start)
            services.delivery_close_publicity(delivery=dlv, actor=staff, today=start + dt.timedelta(days=15))
            if i < 2:
                services.delivery_approve_payout(
                    delivery=dlv, actor=head, account=f"6228480{dlv.enterprise_id:012d}", paid_on=DEMO_AS_OF
                )
            continue
        from tongchou.core import clock

        services.delivery_start_publicity(delivery=dlv, actor=staff, start=clock.today())
        if i == 3:
            services.objection_lodge(
                delivery=dlv, text="该企业已于3月停产，参保人数与实际不符，请核实。", name="匿名群众"
            )
    return moved


def seed(stdout: Any) -> str:
    """Load the pack, make sure there are enterprises with facts, run matching, stage deliveries."""
    from django.conf import settings

    from tongchou.rules import services
    from tongchou.rules.models import MatchRun, RunStatus

    counts = services.rules_load(path=PACK)
    created = _ensure_enterprises(stdout, settings.TONGCHOU_DEMO_ENTERPRISES)
    facts = _demo_enterprise_facts()
    run = MatchRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at").first()
    if run is None or facts:
        run = services.match_run(as_of=DEMO_AS_OF, trigger="demo")
    moved = _deliveries_in_stages()
    return (
        f"政策找人：规则 {counts['created'] + counts['new_version'] + counts['unchanged']} 条，"
        f"新增企业 {created} 户；比对 #{run.pk}（截至 {run.as_of}）符合 {run.eligible} 项、"
        f"新增 {run.new_eligible} 项；兑现案例推进 {moved} 件"
    )
