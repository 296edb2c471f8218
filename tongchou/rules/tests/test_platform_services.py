"""The platform side of 政策找人 through its services: rule versions, fact snapshots and imports,
match runs (storing, comparing, pushing) and the 免申即享 delivery cycle."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
import time_machine

from tongchou.core.errors import IllegalTransition, NotFound, ValidationFailed
from tongchou.facts.services import facts_import
from tongchou.rules import services
from tongchou.rules.models import (
    Decision,
    Delivery,
    DeliveryStatus,
    MatchRun,
    ObjectionStatus,
    Rule,
    RuleVersion,
)

from .platform_fixtures import AS_OF, FACTS_DAY, PACK, set_facts

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- rule versions
def test_loading_the_pack_twice_creates_each_rule_once(pack):
    assert Rule.objects.count() >= 30
    assert RuleVersion.objects.filter(status="published").count() == Rule.objects.count()
    again = services.rules_load(path=PACK)
    assert again["created"] == 0 and again["new_version"] == 0 and again["unchanged"] == Rule.objects.count()


def test_a_changed_published_rule_loads_as_a_new_version_and_retires_the_old(pack, tmp_path):
    src = PACK / "zhoucun-2020-8.yaml"
    text = src.read_text(encoding="utf-8").replace(
        "formula: 0.5 * unemployment_insurance_paid_prev_year",
        "formula: 0.6 * unemployment_insurance_paid_prev_year",
    )
    assert "0.6 * unemployment" in text
    (tmp_path / "z.yaml").write_text(text, encoding="utf-8")
    counts = services.rules_load(path=tmp_path)
    assert counts["new_version"] == 1
    versions = list(RuleVersion.objects.filter(rule_id="zhoucun.job_retention_refund").order_by("number"))
    assert [v.status for v in versions] == ["retired", "published"]
    assert versions[1].benefit_formula.startswith("0.6")


def test_a_published_version_cannot_be_changed_in_place(pack):
    v = RuleVersion.objects.get(rule_id="zhoucun.job_retention_refund", number=1)
    v.benefit_formula = "1000"
    with pytest.raises(IllegalTransition):
        v.save()


def test_editing_a_published_rule_makes_a_draft_and_publishing_retires_the_old(pack, users):
    v1 = RuleVersion.objects.get(rule_id="zhoucun.rent_waiver", number=1)
    data = v1.to_dict()
    data["benefit"]["formula"] = "4 * state_owned_rent_monthly"
    draft = services.rule_draft_save(data=data, actor=users["admin"])
    assert (draft.number, draft.status) == (2, "draft")
    data["benefit"]["cap"] = 100000
    same = services.rule_draft_save(data=data, actor=users["admin"])
    assert same.pk == draft.pk and same.benefit_cap == Decimal("100000")
    services.rule_version_publish(version=draft, actor=users["admin"])
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == ("retired", "published")
    assert draft.published_by == users["admin"]


def test_a_bad_expression_is_refused_with_the_spot(pack, users):
    data = RuleVersion.objects.get(rule_id="zhoucun.rent_waiver", number=1).to_dict()
    data["conditions"][0]["expression"] = "size_clas IN ('small')"
    with pytest.raises(ValidationFailed) as err:
        services.rule_draft_save(data=data, actor=users["admin"])
    detail = err.value.detail[0]
    assert "size_class" in detail["message"] and detail["line"] == 1 and detail["column"] == 1


# --------------------------------------------------------------------------- facts
def test_snapshot_takes_the_latest_fact_on_or_before_the_date(textile):
    from tongchou.facts.selectors import snapshot_as_of as snapshot_frame

    set_facts(textile, as_of=dt.date(2020, 1, 31), insured_employees=70)
    set_facts(textile, as_of=dt.date(2020, 5, 31), insured_employees=10)
    row = snapshot_frame(AS_OF).facts_of(textile.uscc)
    assert row["insured_employees"] == 80  # 2020-03-31 wins over 01-31; 05-31 is after the date
    assert snapshot_frame(dt.date(2020, 2, 15)).facts_of(textile.uscc)["insured_employees"] == 70
    assert row["region_code"] == "370306" and row["size_class"] == "small" and row["industry_section"] == "C"
    assert row["is_epidemic_supply_producer"] is True


def _write(tmp_path, text: str, name: str = "data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_facts_stores_dated_values_and_skips_empty_cells(textile, tmp_path):
    from tongchou.facts.models import EnterpriseFact

    path = _write(tmp_path, f"uscc,insured_employees,is_hr_agency,incubator_level\n{textile.uscc},75,是,\n")
    record = facts_import(file=path, source="区人社局", as_of=dt.date(2020, 4, 10))
    assert (record.rows, record.facts) == (1, 2)
    fact = EnterpriseFact.objects.get(
        enterprise=textile, name="insured_employees", as_of=dt.date(2020, 4, 10)
    )
    assert fact.value_number == 75 and fact.source == "区人社局"
    assert (
        EnterpriseFact.objects.get(
            enterprise=textile, name="is_hr_agency", as_of=dt.date(2020, 4, 10)
        ).value_text
        == "true"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("uscc,insured_employes\n{u},3\n", "第1行第2列：未知的事实名“insured_employes”"),
        ("uscc,insured_employees\n{u},三十\n", "第2行“insured_employees”列：“三十”不是数字"),
        (
            "uscc,insured_employees\n{u},3\n91370306MA00000000,4\n",
            "第3行：统一社会信用代码“91370306MA00000000”不在企业库中",
        ),
        ("uscc,region_code\n{u},370306\n", "“region_code”是登记信息"),
        ("insured_employees\n3\n", "缺少“uscc”"),
    ],
)
def test_a_bad_department_file_is_refused_whole_with_the_row_and_column(textile, tmp_path, body, message):
    from tongchou.facts.models import EnterpriseFact

    before = EnterpriseFact.objects.count()
    path = _write(tmp_path, body.format(u=textile.uscc))
    with pytest.raises(ValidationFailed) as err:
        facts_import(file=path, source="区人社局", as_of=dt.date(2020, 4, 10))
    assert message in err.value.message
    assert EnterpriseFact.objects.count() == before


# --------------------------------------------------------------------------- runs
def test_a_run_stores_decisions_with_trace_and_fact_snapshot(pack, textile):
    run = services.match_run(as_of=AS_OF, push=False)
    assert run.status == "done" and run.eligible >= 2
    d = Decision.objects.get(run=run, enterprise=textile, rule_id="zhoucun.job_retention_refund")
    assert d.status == "eligible" and d.amount == Decimal("19200.00")
    assert d.rule_version.number == 1
    assert [c["result"] for c in d.trace] == [True, True]
    assert d.facts["insured_employees_prev_year_end"] == {
        "value": 82.0,
        "as_of": "2020-03-31",
        "source": "区人力资源社会保障局",
    }
    assert d.facts["layoff_rate"]["value"] == pytest.approx(2 / 82, abs=1e-6)


def test_near_miss_and_missing_facts_are_stored(pack, textile):
    run = services.match_run(as_of=AS_OF, push=False)
    near = Decision.objects.get(run=run, enterprise=textile, rule_id="zhoucun.epidemic_loan_interest_subsidy")
    assert near.status == "ineligible" and near.failed_conditions == 1
    assert near.near_miss["fact"] == "emergency_loan_rate"
    assert near.near_miss["gap"] == pytest.approx(0.0025)
    unknown = Decision.objects.get(run=run, enterprise=textile, rule_id="zhoucun.social_insurance_deferral")
    assert unknown.status == "unknown" and unknown.missing_facts == ["employer_social_insurance_monthly"]


def test_a_second_run_marks_only_what_changed_as_new_and_pushes_only_that(pack, textile):
    from tongchou.core.models import Notification

    first = services.match_run(as_of=AS_OF)
    assert first.new_eligible == first.eligible
    assert Notification.objects.filter(enterprise=textile, kind="rules.match").count() == 1
    second = services.match_run(as_of=AS_OF)
    assert second.previous == first and second.new_eligible == 0 and second.notified == 0
    set_facts(textile, unemployment_insurance_paid_prev_year=40000)
    third = services.match_run(as_of=AS_OF)
    changed = Decision.objects.get(run=third, enterprise=textile, rule_id="zhoucun.job_retention_refund")
    assert changed.is_new and changed.change == "changed" and changed.amount == Decimal("20000.00")
    note = Notification.objects.filter(enterprise=textile, kind="rules.match").first()
    assert "稳岗返还" in note.body and "20,000.00" in note.body
    assert Notification.objects.filter(enterprise=textile, kind="rules.match").count() == 2


def test_a_run_opens_one_delivery_per_automatic_benefit(pack, textile):
    services.match_run(as_of=AS_OF, push=False)
    services.match_run(as_of=AS_OF, push=False)
    cases = Delivery.objects.filter(enterprise=textile)
    assert cases.filter(rule_id="zhoucun.job_retention_refund").count() == 1
    assert not cases.filter(rule_id="zhoucun.equipment_purchase_subsidy").exists()  # apply mode
    dlv = cases.get(rule_id="zhoucun.job_retention_refund")
    assert dlv.status == DeliveryStatus.AWAITING_CONFIRMATION and dlv.amount == Decimal("19200.00")
    assert dlv.events.get().actor_label == "数据比对"


def test_retired_rules_are_not_matched(pack, textile, users):
    v = RuleVersion.objects.get(rule_id="zhoucun.job_retention_refund")
    services.rule_version_retire(version=v, actor=users["admin"])
    run = services.match_run(as_of=AS_OF, push=False)
    assert not Decision.objects.filter(run=run, rule_id="zhoucun.job_retention_refund").exists()


# --------------------------------------------------------------------------- delivery cycle
@pytest.fixture
def case(pack, textile):
    services.match_run(as_of=AS_OF, push=False)
    return Delivery.objects.get(enterprise=textile, rule_id="zhoucun.job_retention_refund")


def test_the_full_cycle_confirm_publicity_payout(case, owner, users):
    services.delivery_confirm(delivery=case, user=owner)
    with time_machine.travel(dt.datetime(2020, 4, 30, 10, 0, tzinfo=dt.UTC)):
        dlv = services.delivery_start_publicity(delivery=case, actor=users["department"], days=5)
        # 5 working days after Thu 2020-04-30 skip the May Day holiday (05-01..05-05) and
        # count the adjusted working Saturday 05-09: 05-06, 07, 08, 09, 11
        assert (dlv.publicity_start, dlv.publicity_end) == (dt.date(2020, 4, 30), dt.date(2020, 5, 11))
        with pytest.raises(IllegalTransition):
            services.delivery_close_publicity(delivery=dlv, actor=users["department"])
    with time_machine.travel(dt.datetime(2020, 5, 12, 10, 0, tzinfo=dt.UTC)):
        assert services.publicity_close_due() == 1
    dlv = services.delivery_approve_payout(
        delivery=Delivery.objects.get(pk=case.pk),
        actor=users["department"],
        account="6228 4800 1234 5678 901",
    )
    assert dlv.status == "paid" and dlv.payout_amount == Decimal("19200.00")
    assert dlv.account_masked == "**** 8901" and dlv.approved_by == users["department"]
    assert [e.to_status for e in dlv.events.order_by("id")] == [
        "awaiting",
        "confirmed",
        "publicity",
        "passed",
        "paid",
    ]
    assert dlv.events.get(to_status="confirmed").actor == owner


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("awaiting", "publicity"),
        ("awaiting", "payout"),
        ("confirmed", "payout"),
        ("declined", "confirm"),
        ("paid", "confirm"),
        ("publicity", "payout"),
    ],
)
def test_illegal_transitions_are_refused(case, owner, users, status, action):
    Delivery.objects.filter(pk=case.pk).update(status=status, publicity_end=dt.date(2099, 1, 1))
    case.refresh_from_db()
    call = {
        "publicity": lambda: services.delivery_start_publicity(delivery=case, actor=users["department"]),
        "payout": lambda: services.delivery_approve_payout(
            delivery=case, actor=users["department"], account="62284800123456"
        ),
        "confirm": lambda: services.delivery_confirm(delivery=case, user=owner),
    }[action]
    with pytest.raises(IllegalTransition):
        call()
    case.refresh_from_db()
    assert case.status == status


def test_only_the_enterprise_itself_may_confirm(case, users):
    with pytest.raises(NotFound):
        services.delivery_confirm(delivery=case, user=users["enterprise"])


def test_an_anonymous_objection_pauses_publicity_until_a_department_resolves_it(case, owner, users):
    from django.contrib.auth.models import AnonymousUser

    services.delivery_confirm(delivery=case, user=owner)
    services.delivery_start_publicity(delivery=case, actor=users["department"])
    objection = services.objection_lodge(
        delivery=case, text="该企业3月已停产，参保人数不实。", user=AnonymousUser()
    )
    case.refresh_from_db()
    assert case.status == DeliveryStatus.OBJECTED and objection.lodged_by is None
    with pytest.raises(IllegalTransition):
        services.delivery_close_publicity(delivery=case, actor=users["department"], today=dt.date(2099, 1, 1))
    services.objection_resolve(
        objection=objection, actor=users["department"], upheld=False, resolution="经核实企业正常生产。"
    )
    case.refresh_from_db()
    assert case.status == DeliveryStatus.IN_PUBLICITY
    second = services.objection_lodge(delivery=case, text="仍有疑问，请再核实。", name="群众")
    services.objection_resolve(
        objection=second, actor=users["department"], upheld=True, resolution="裁员数据有误。"
    )
    case.refresh_from_db()
    second.refresh_from_db()
    assert case.status == DeliveryStatus.REJECTED and second.status == ObjectionStatus.UPHELD
    assert case.events.filter(to_status="objected").count() == 2
    from tongchou.core.models import Notification

    # the staff member who started the publicity hears of each objection; the enterprise of the refusal
    assert Notification.objects.filter(user=users["department"], kind="rules.objection").count() == 2
    assert Notification.objects.get(enterprise=case.enterprise, kind="rules.rejected").body.endswith(
        "裁员数据有误。"
    )


def test_no_objection_after_publicity_ends(case, owner, users):
    services.delivery_confirm(delivery=case, user=owner)
    services.delivery_start_publicity(
        delivery=case, actor=users["department"], start=dt.date(2020, 4, 1), days=3
    )
    with pytest.raises(IllegalTransition):
        services.objection_lodge(delivery=case, text="公示结束后的异议内容")


@pytest.mark.parametrize(
    ("amount", "ok"), [("19199.99", True), ("19200.00", True), ("19200.01", False), ("0", False)]
)
def test_payout_may_not_exceed_the_decided_amount(case, owner, users, amount, ok):
    Delivery.objects.filter(pk=case.pk).update(status=DeliveryStatus.PUBLICITY_PASSED)
    case.refresh_from_db()
    if ok:
        assert services.delivery_approve_payout(
            delivery=case, actor=users["department"], amount=amount, account="6228480012345678"
        ).payout_amount == Decimal(amount)
    else:
        with pytest.raises(ValidationFailed):
            services.delivery_approve_payout(
                delivery=case, actor=users["department"], amount=amount, account="6228480012345678"
            )


def test_the_scheduler_runs_once_per_interval_and_closes_due_publicity(pack, textile, settings):
    from tongchou.rules import tasks

    settings.TONGCHOU_MATCH_INTERVAL_SECONDS = 3600
    with time_machine.travel(dt.datetime(2020, 4, 15, 2, 0, tzinfo=dt.UTC)):
        assert "定时比对" in tasks.tick()
        assert "未运行" in tasks.tick()
    assert MatchRun.objects.filter(trigger="schedule").count() == 1
    # years later no rule of the pack is in force: nothing runs (and nothing is re-pushed)
    with time_machine.travel(dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC)):
        assert "没有在有效期内" in tasks.tick()
    assert MatchRun.objects.filter(trigger="schedule").count() == 1


def test_an_empty_run_does_not_make_everything_new_again(pack, textile):
    first = services.match_run(as_of=AS_OF, push=False)
    empty = services.match_run(as_of=dt.date(2026, 1, 1), push=False)
    assert empty.rules == 0
    again = services.match_run(as_of=AS_OF, push=False)
    assert again.previous == first and again.new_eligible == 0


def test_the_demo_step_is_idempotent(db, tmp_path, monkeypatch):
    from tongchou.accounts.demo import step_accounts
    from tongchou.enterprises.demo import step_enterprise_account
    from tongchou.rules import demo

    monkeypatch.setattr(demo, "_ensure_enterprises", lambda stdout, count: 0)
    step_accounts(None)
    step_enterprise_account(None)
    shutil.copytree(PACK, tmp_path / "pack")
    first = demo.seed(None)
    assert "政策找人" in first
    runs = MatchRun.objects.count()
    demo.seed(None)
    assert MatchRun.objects.count() == runs
    from tongchou.enterprises.demo import demo_enterprise

    eligible = Decision.objects.filter(enterprise=demo_enterprise(), status="eligible").values_list(
        "rule_id", flat=True
    )
    assert "zhoucun.job_retention_refund" in eligible


def test_a_capped_benefit_with_a_missing_input_is_unknown_not_the_cap(textile):
    from tongchou.rules import selectors
    from tongchou.rules.engine import RuleSpec

    spec = RuleSpec.from_dict(
        {
            "id": "zhoucun.capped_probe",
            "name": "上限探测",
            "measure_id": "zhoucun-2020-8/14",
            "region": "370306",
            "conditions": [{"label": "参保", "expression": "insured_employees > 0"}],
            "benefit": {"kind": "cash", "formula": "0.5 * employer_social_insurance_monthly", "cap": 50000},
        }  # fmt: skip
    )
    sim = selectors.simulate(spec, AS_OF)
    assert (sim["eligible"], sim["unknown"], sim["cost"]) == (0, 1, 0.0)


def test_department_staff_import_only_for_enterprises_in_their_region(
    textile, make_enterprise, users, tmp_path
):
    elsewhere = make_enterprise(region_code="370102", name="济南某公司")
    path = _write(tmp_path, f"uscc,insured_employees\n{textile.uscc},5\n{elsewhere.uscc},6\n")
    with pytest.raises(ValidationFailed, match="第3行：企业.*不在您的管辖区域"):
        facts_import(file=path, source="区人社局", as_of=FACTS_DAY, actor=users["department"])
    assert facts_import(file=path, source="市人社局", as_of=FACTS_DAY, actor=users["admin"]).rows == 2
