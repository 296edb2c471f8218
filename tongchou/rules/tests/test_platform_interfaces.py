"""The platform's interfaces over the same services: CLI commands, JSON API, pages, exports."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from tongchou.rules import services
from tongchou.rules.models import Delivery, DeliveryStatus, MatchRun, RuleVersion

from .platform_fixtures import AS_OF, PACK

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def matched(pack, textile):
    return services.match_run(as_of=AS_OF, push=True)


# --------------------------------------------------------------------------- CLI
def test_cli_rules_load_is_idempotent(db):
    first = _call("rules", "load", str(PACK))
    assert "新规则 4" in first or "新规则" in first
    assert "新规则 0 条，新版本 0 条" in _call("rules", "load", str(PACK))


def test_cli_rules_run_stores_a_run(pack, textile):
    out = _call("rules", "run", "--as-of", "2020-04-15", "--no-push")
    run = MatchRun.objects.get()
    assert f"比对运行 #{run.pk}" in out and run.trigger == "cli" and run.eligible >= 2


def test_cli_explain_prints_eligible_near_misses_and_missing(pack, textile):
    out = _call("explain", "--uscc", textile.uscc, "--as-of", "2020-04-15")
    assert "稳岗返还" in out and "19,200.00 元" in out
    assert "上年末参保职工人数 82人" in out
    assert "差一点" in out and "应急贷款年利率" in out
    assert "需补充" in out and "单位社保月缴费" in out
    data = json.loads(_call("explain", "--uscc", textile.uscc, "--as-of", "2020-04-15", "--json"))
    assert any(t["rule_id"] == "zhoucun.job_retention_refund" for t in data["eligible"])


def test_cli_explain_unknown_enterprise_is_a_clear_error(db):
    with pytest.raises(CommandError, match="企业库中没有"):
        call_command("explain", "--uscc", "91370306MA00000000", "--as-of", "2020-04-15")


def test_cli_import_facts_names_the_bad_row(textile, tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text(f"uscc,employer_social_insurance_monthly\n{textile.uscc},8000\n", encoding="utf-8")
    assert "已导入 1 户企业的 1 项数据" in _call(
        "import-facts", str(good), "--source", "区人社局", "--as-of", "2020-04-01"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(f"uscc,employer_social_insurance_monthly\n{textile.uscc},八千\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("import-facts", str(bad), "--source", "区人社局", "--as-of", "2020-04-01")


# --------------------------------------------------------------------------- API
def test_api_mine_lists_decisions_with_conditions_and_delivery(matched, owner, client):
    client.force_login(owner)
    body = client.get("/api/rules/mine").json()
    jr = next(p for p in body["eligible"] if p["rule_id"] == "zhoucun.job_retention_refund")
    assert jr["amount_yuan"] == 19200.0 and jr["delivery"]["status"] == "awaiting"
    assert jr["conditions"][0]["facts"][0]["value"] == 82.0
    assert any(m["name"] == "employer_social_insurance_monthly" for m in body["missing"])
    assert any(p["rule_id"] == "zhoucun.epidemic_loan_interest_subsidy" for p in body["near_misses"])


def test_api_explain_is_scoped(matched, owner, client, users, make_enterprise):
    client.force_login(owner)
    own = client.get("/api/rules/explain", {"as_of": "2020-04-15"}).json()
    assert own["uscc"] == owner.enterprise.uscc and own["total_amount"] > 0
    other = make_enterprise(name="别家公司")
    assert client.get("/api/rules/explain", {"uscc": other.uscc}).status_code == 404
    client.force_login(users["department"])
    got = client.get("/api/rules/explain", {"uscc": owner.enterprise.uscc, "as_of": "2020-04-15"})
    assert got.status_code == 200
    jr = next(t for t in got.json()["eligible"] if t["rule_id"] == "zhoucun.job_retention_refund")
    assert jr["conditions"][0]["facts"][0]["as_of"] == "2020-03-31"


def test_api_confirm_then_confirm_again_is_refused(matched, owner, client):
    dlv = Delivery.objects.get(enterprise=owner.enterprise, rule_id="zhoucun.job_retention_refund")
    client.force_login(owner)
    ok = client.post(f"/api/rules/deliveries/{dlv.pk}/confirm", content_type="application/json")
    assert ok.json()["status"] == "confirmed"
    again = client.post(f"/api/rules/deliveries/{dlv.pk}/confirm", content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_api_simulate_a_draft_rule_against_a_budget(pack, textile, client, users):
    client.force_login(users["leader"])
    data = RuleVersion.objects.get(rule_id="zhoucun.job_retention_refund").to_dict()
    data["benefit"]["formula"] = "0.6 * unemployment_insurance_paid_prev_year"
    body = client.post(
        "/api/rules/simulate",
        {"rule": data, "as_of": "2020-04-15", "budget_wan": 1},
        content_type="application/json",
    ).json()
    assert body["eligible"] == 1 and body["cost"] == 23040.0
    assert body["budget_share"] == pytest.approx(2.304) and body["over_budget"] is True
    assert body["by_size"][0]["label"] == "小型"
    bad = client.post(
        "/api/rules/simulate",
        {"rule": {**data, "conditions": [{"label": "x", "expression": "layof_rate < 1"}]}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "layoff_rate" in bad.json()["message"]


def test_api_runs_start_and_list(pack, textile, client, users):
    client.force_login(users["department"])
    started = client.post(
        "/api/rules/runs/start", {"as_of": "2020-04-15"}, content_type="application/json"
    ).json()
    assert started["status"] == "done" and started["trigger"] == "api"
    assert client.get("/api/rules/runs").json()[0]["id"] == started["id"]


# --------------------------------------------------------------------------- pages
def test_my_policies_page_shows_eligible_near_misses_and_missing(matched, owner, client):
    client.force_login(owner)
    html = client.get(reverse("rules:my_policies")).content.decode()
    assert "稳岗返还" in html and "19,200.00" in html
    assert "上年末参保职工人数：<b>82人</b>" in html
    assert "/policies/zhoucun-2020-8/14/" in html
    assert "确认享受" in html
    assert 'data-rule="zhoucun.epidemic_loan_interest_subsidy"' in html and "差 0.25%" in html
    assert 'data-fact="employer_social_insurance_monthly"' in html


def test_confirming_on_the_page_moves_the_case_and_shows_its_status(matched, owner, client):
    dlv = Delivery.objects.get(enterprise=owner.enterprise, rule_id="zhoucun.job_retention_refund")
    client.force_login(owner)
    resp = client.post(reverse("rules:delivery_confirm", args=[dlv.pk]), follow=True)
    dlv.refresh_from_db()
    assert dlv.status == DeliveryStatus.CONFIRMED
    assert "已确认享受" in resp.content.decode()


def test_another_enterprise_cannot_confirm_my_case(matched, client, users):
    dlv = Delivery.objects.get(rule_id="zhoucun.job_retention_refund")
    client.force_login(users["enterprise"])
    client.post(reverse("rules:delivery_confirm", args=[dlv.pk]))
    dlv.refresh_from_db()
    assert dlv.status == DeliveryStatus.AWAITING_CONFIRMATION


def test_editor_preview_points_at_the_bad_spot(pack, client, users):
    client.force_login(users["admin"])
    resp = client.post(
        reverse("rules:preview"),
        {
            "id": "zhoucun.x",
            "name": "t",
            "measure_id": "zhoucun-2020-8/14",
            "region": "370306",
            "cond_label_0": "参保",
            "cond_expr_0": "insured_employees > 0 AND layof_rate < 1",
            "benefit_kind": "cash",
            "benefit_formula": "100",
        },  # fmt: skip
    ).content.decode()
    assert "第1行第27列" in resp and "layoff_rate" in resp
    assert 'id="err-conditions-0-expression" hx-swap-oob="true">条件1' in resp
    assert " " * 26 + "^" in resp


def test_editor_preview_counts_the_reach(pack, textile, client, users):
    client.force_login(users["admin"])
    resp = client.post(
        reverse("rules:preview"),
        {
            "id": "zhoucun.x",
            "name": "t",
            "measure_id": "zhoucun-2020-8/14",
            "region": "370306",
            "cond_label_0": "参保",
            "cond_expr_0": "insured_employees_prev_year_end >= 82",
            "benefit_kind": "cash",
            "benefit_formula": "100",
            "preview_as_of": "2020-04-15",
        },  # fmt: skip
    ).content.decode()
    assert 'data-reach="1"' in resp


def test_saving_an_edit_of_a_published_rule_makes_version_two(pack, client, users):
    client.force_login(users["admin"])
    v1 = RuleVersion.objects.get(rule_id="zhoucun.rent_waiver")
    post = {
        "name": v1.name, "measure_id": "zhoucun-2020-8/13", "region": "370306", "delivery": "automatic",
        "cond_label_0": "中小微企业", "cond_expr_0": "size_class IN ('medium', 'small', 'micro')",
        "cond_label_1": "承租国有房产", "cond_expr_1": "state_owned_rent_monthly > 0",
        "benefit_kind": "fee_reduction", "benefit_formula": "4 * state_owned_rent_monthly",
    }  # fmt: skip
    resp = client.post(reverse("rules:rule_edit", args=["zhoucun.rent_waiver"]), post)
    assert resp.status_code == 302 and resp["Location"].endswith("?v=2")
    assert RuleVersion.objects.get(rule_id="zhoucun.rent_waiver", number=2).status == "draft"
    assert (
        RuleVersion.objects.get(rule_id="zhoucun.rent_waiver", number=1).benefit_formula
        == "3 * state_owned_rent_monthly"
    )


def test_simulation_page_compares_two_versions_against_a_budget(pack, textile, client, users):
    v1 = RuleVersion.objects.get(rule_id="zhoucun.job_retention_refund")
    data = v1.to_dict()
    data["benefit"]["formula"] = "0.6 * unemployment_insurance_paid_prev_year"
    services.rule_draft_save(data=data, actor=users["admin"])
    client.force_login(users["leader"])
    q = {
        "a": "zhoucun.job_retention_refund@1",
        "b": "zhoucun.job_retention_refund@2",
        "budget": "5000",
        "as_of": "2020-04-15",
    }
    html = client.get(reverse("rules:simulate"), q).content.decode()
    assert html.count('class="card sim-result"') == 2
    assert 'data-cost="19200.0"' in html and 'data-cost="23040.0"' in html
    assert "预算内" in html
    xlsx = client.get(reverse("rules:simulate_export"), q)
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["测算汇总", "按区县", "按行业门类", "按企业规模"]
    assert wb["测算汇总"]["A1"].value == "方案" and wb["测算汇总"]["G3"].value == 23040.0


def test_publicity_and_ledger_exports_have_chinese_headers(matched, owner, users, client):
    dlv = Delivery.objects.get(enterprise=owner.enterprise, rule_id="zhoucun.job_retention_refund")
    services.delivery_confirm(delivery=dlv, user=owner)
    services.delivery_start_publicity(delivery=dlv, actor=users["department"])
    client.force_login(users["department"])
    wb = load_workbook(io.BytesIO(client.get(reverse("rules:export_publicity")).content))
    ws = wb.active
    assert (
        ws["B1"].value == "企业名称" and ws["B2"].value == owner.enterprise.name and ws["G2"].value == 19200.0
    )
    Delivery.objects.filter(pk=dlv.pk).update(status=DeliveryStatus.PUBLICITY_PASSED)
    services.delivery_approve_payout(delivery=dlv, actor=users["department"], account="6228480012345678")
    ws = load_workbook(io.BytesIO(client.get(reverse("rules:export_ledger")).content)).active
    assert ws["G1"].value == "拨付金额（元）" and ws["I2"].value == "**** 5678" and ws["A3"].value == "合计"


def test_the_public_can_object_on_the_publicity_page(matched, owner, users, client):
    dlv = Delivery.objects.get(enterprise=owner.enterprise, rule_id="zhoucun.job_retention_refund")
    services.delivery_confirm(delivery=dlv, user=owner)
    services.delivery_start_publicity(delivery=dlv, actor=users["department"])
    assert owner.enterprise.name in client.get(reverse("rules:publicity")).content.decode()
    resp = client.post(
        reverse("rules:objection_new", args=[dlv.pk]), {"text": "该企业已停产两个月。", "name": ""}
    )
    assert resp.status_code == 302
    dlv.refresh_from_db()
    assert dlv.status == DeliveryStatus.OBJECTED


def test_staff_upload_page_imports_a_department_file(textile, client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["department"])
    f = SimpleUploadedFile(
        "社保.csv", f"uscc,employer_social_insurance_monthly\n{textile.uscc},9000\n".encode()
    )
    resp = client.post(
        reverse("rules:facts_upload"), {"file": f, "source": "区人社局", "as_of": "2020-04-01"}, follow=True
    )
    assert "已导入 1 户企业的 1 项数据" in resp.content.decode()
    bad = SimpleUploadedFile("bad.csv", b"uscc,nonsense\nX,1\n")
    resp = client.post(
        reverse("rules:facts_upload"), {"file": bad, "source": "区人社局", "as_of": "2020-04-01"}
    )
    assert "未知的事实名“nonsense”" in resp.content.decode()


def test_run_button_starts_a_run_and_shows_it(pack, textile, client, users):
    client.force_login(users["department"])
    resp = client.post(reverse("rules:run_start"), {"as_of": "2020-04-15"}, follow=True)
    run = MatchRun.objects.get()
    assert run.triggered_by == users["department"] and f"#{run.pk}" in resp.content.decode()


def test_staff_see_an_enterprise_in_their_region_read_only(matched, owner, client, users, make_enterprise):
    client.force_login(users["department"])
    html = client.get(reverse("rules:enterprise_policies", args=[owner.enterprise.uscc])).content.decode()
    assert "稳岗返还" in html and "企业可享受的政策" in html and "确认享受" not in html
    far = make_enterprise(region_code="370102", name="济南某公司")
    assert client.get(reverse("rules:enterprise_policies", args=[far.uscc])).status_code == 404
