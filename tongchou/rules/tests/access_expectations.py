"""Who may open the rules URLs (pages and API). See tongchou/core/tests/test_access_matrix.py.

The fixture is one published rule, one run with a decision for the test enterprise, and three
deliveries of that enterprise: two awaiting confirmation (confirm / decline) and one on publicity.
"""

from __future__ import annotations

import datetime as dt

from tongchou.accounts.tests.expect import api, everyone, page, row

RULE_ID = "zhoucun.access_fixture"


def fixture(users) -> dict:
    from tongchou.core import clock
    from tongchou.rules.models import (
        Decision,
        Delivery,
        DeliveryStatus,
        MatchRun,
        Rule,
        RuleVersion,
        RunStatus,
    )

    ent = users["enterprise"].enterprise
    existing = Delivery.objects.filter(enterprise=ent, rule_id=RULE_ID).order_by("id")
    if existing.count() == 3:
        d = list(existing)
        return {"run": d[0].decision.run_id, "confirm": d[0].pk, "decline": d[1].pk, "publicity": d[2].pk}
    rule = Rule.objects.create(id=RULE_ID, measure_id="zhoucun-2020-8/14")
    version = RuleVersion.objects.create(
        rule=rule,
        number=1,
        name="访问测试规则",
        region_code="370306",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2030, 12, 31),
        conditions=[{"label": "参保", "expression": "insured_employees > 0"}],
        benefit_kind="cash",
        benefit_formula="100",
        delivery="automatic",
        status="published",
        content_hash="x",
    )
    run = MatchRun.objects.create(as_of=dt.date(2020, 4, 15), status=RunStatus.DONE, finished_at=clock.now())
    decision = Decision.objects.create(
        run=run, enterprise=ent, rule_version=version, rule_id=RULE_ID, status="eligible", amount=100,
        explanation="符合", trace=[], facts={},
    )  # fmt: skip
    made = []
    for status in (
        DeliveryStatus.AWAITING_CONFIRMATION,
        DeliveryStatus.AWAITING_CONFIRMATION,
        DeliveryStatus.IN_PUBLICITY,
    ):
        made.append(
            Delivery.objects.create(
                enterprise=ent,
                decision=decision,
                rule_version=version,
                rule_id=RULE_ID,
                status=status,
                amount=100,
                publicity_start=clock.today(),
                publicity_end=clock.today() + dt.timedelta(days=30),
            )  # fmt: skip
        )
    return {"run": run.pk, "confirm": made[0].pk, "decline": made[1].pk, "publicity": made[2].pk}


STAFF_PAGE = page("department", "leader", "admin")
OPERATOR_PAGE = page("department", "admin")
ADMIN_PAGE = page("admin")
ENTERPRISE_PAGE = page("enterprise")
ALL_OK = everyone(200)
# POST-only views opened with GET: the role check runs first, then 405 for those let through
ENTERPRISE_POST = page("enterprise", ok=405)
OPERATOR_POST = page("department", "admin", ok=405)
ADMIN_POST = page("admin", ok=405)

API_STAFF = api("department", "leader", "admin")

EXPECTED = {
    "rules:my_policies": ENTERPRISE_PAGE,
    "rules:delivery_confirm": ENTERPRISE_POST,
    "rules:delivery_decline": ENTERPRISE_POST,
    "rules:publicity": ALL_OK,
    "rules:objection_new": ALL_OK,
    "rules:index": STAFF_PAGE,
    "rules:rule_new": ADMIN_PAGE,
    "rules:preview": ADMIN_POST,
    "rules:enterprise_policies": STAFF_PAGE,
    "rules:runs": STAFF_PAGE,
    "rules:run_start": OPERATOR_POST,
    "rules:run_detail": STAFF_PAGE,
    "rules:deliveries": STAFF_PAGE,
    "rules:publicity_batch": OPERATOR_POST,
    "rules:delivery_detail": STAFF_PAGE,
    "rules:delivery_action": OPERATOR_POST,
    "rules:objection_resolve": OPERATOR_POST,
    "rules:export_publicity": STAFF_PAGE,
    "rules:export_ledger": STAFF_PAGE,
    "rules:facts_upload": OPERATOR_PAGE,
    "rules:simulate": STAFF_PAGE,
    # without parameters the export sends staff back to the simulation page
    "rules:simulate_export": page("department", "leader", "admin", ok=302),
    "rules:rule_detail": STAFF_PAGE,
    "rules:rule_edit": ADMIN_PAGE,
    "rules:version_publish": ADMIN_POST,
    "rules:version_retire": ADMIN_POST,
    # API
    "api:rules_mine": api("enterprise"),
    # staff must name an enterprise (uscc); without one it is "not found"
    "api:rules_explain": row(
        anonymous=401, default=403, enterprise=200, department=404, leader=404, admin=404
    ),
    "api:rules_delivery_confirm": api("enterprise"),
    "api:rules_delivery_decline": api("enterprise"),
    "api:rules_runs": API_STAFF,
    "api:rules_run_start": api("department", "admin"),
    "api:rules_simulate": API_STAFF,
    "api:rules_list": API_STAFF,
    "api:rules_facts": api("enterprise", "department", "leader", "bank", "admin"),
}

KWARGS = {
    "rules:delivery_confirm": lambda users: {"delivery_id": fixture(users)["confirm"]},
    "rules:delivery_decline": lambda users: {"delivery_id": fixture(users)["decline"]},
    "rules:objection_new": lambda users: {"delivery_id": fixture(users)["publicity"]},
    "rules:run_detail": lambda users: {"run_id": fixture(users)["run"]},
    "rules:enterprise_policies": lambda users: {"uscc": users["enterprise"].enterprise.uscc},
    "rules:delivery_detail": lambda users: {"delivery_id": fixture(users)["publicity"]},
    "rules:delivery_action": lambda users: {"delivery_id": fixture(users)["publicity"], "action": "close"},
    "rules:objection_resolve": lambda users: {"objection_id": 1},
    "rules:rule_detail": lambda users: fixture(users) and {"rule_id": RULE_ID},
    "rules:rule_edit": lambda users: fixture(users) and {"rule_id": RULE_ID},
    "rules:version_publish": lambda users: {"rule_id": RULE_ID, "number": 1},
    "rules:version_retire": lambda users: {"rule_id": RULE_ID, "number": 1},
    "api:rules_delivery_confirm": lambda users: {"delivery_id": fixture(users)["confirm"]},
    "api:rules_delivery_decline": lambda users: {"delivery_id": fixture(users)["decline"]},
}

METHOD = {
    "api:rules_delivery_confirm": "post",
    "api:rules_delivery_decline": "post",
    "api:rules_run_start": "post",
    "api:rules_simulate": "post",
}

DATA = {
    "api:rules_delivery_decline": lambda users: {"reason": "已享受同类政策"},
    "api:rules_run_start": lambda users: {"as_of": "2020-04-15"},
    "api:rules_simulate": lambda users: (
        fixture(users) and {"rule_id": RULE_ID, "as_of": "2020-04-15", "budget_wan": 50}
    ),
}
