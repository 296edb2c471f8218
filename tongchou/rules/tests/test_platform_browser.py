"""政策找人 in a real browser: the enterprise's page (policies, near misses, missing facts,
confirm), the simulation page with its charts, and the editor's live preview. Screenshots are
saved in test-artifacts/screenshots/rules_*.png."""

from __future__ import annotations

import pytest

from .platform_fixtures import AS_OF, PACK, load_population, set_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests flush the tables, data migrations included: put the reference data back."""
    from tongchou.regions.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def matched_enterprise(users):
    from tongchou.rules import services

    services.rules_load(path=PACK)
    ent = users["enterprise"].enterprise
    set_facts(
        ent,
        insured_employees_prev_year_end=48,
        insured_employees=47,
        unemployment_insurance_paid_prev_year=21600,
        state_owned_rent_monthly=8000,
        equipment_purchase=320000,
        is_epidemic_supply_producer=True,
        emergency_loan_amount=1_500_000,
        emergency_loan_rate=0.0325,
        exporter=True,
        operating_difficulty=True,
    )
    services.match_run(as_of=AS_OF)
    return ent


def test_enterprise_sees_policies_near_misses_missing_facts_and_confirms(
    page, live_server, login_page, matched_enterprise, screenshot_dir
):
    login_page("enterprise")
    page.goto(f"{live_server.url}/rules/mine/")
    card = page.locator('article.policy-card[data-rule="zhoucun.job_retention_refund"]')
    assert "10,800.00" in card.inner_text()
    assert "上年末参保职工人数：48人" in card.inner_text()
    assert card.locator("a", has_text="查看政策原文").get_attribute("href") == "/policies/zhoucun-2020-8/14/"
    near = page.locator('#near ~ .card tr[data-rule="zhoucun.epidemic_loan_interest_subsidy"]')
    assert "差 0.25%" in near.inner_text()
    assert page.locator('.missing-item[data-fact="employer_social_insurance_monthly"]').is_visible()
    page.screenshot(path=str(screenshot_dir / "rules_1_my_policies.png"), full_page=True)

    card.locator("button[data-action=confirm]").click()
    page.wait_for_load_state("networkidle")
    assert "已确认享受" in page.inner_text(".messages")
    card = page.locator('article.policy-card[data-rule="zhoucun.job_retention_refund"]')
    assert card.locator("[data-status=confirmed]").inner_text() == "已确认，待公示"
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "rules_2_confirmed.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/rules/mine/")
    page.screenshot(path=str(screenshot_dir / "rules_3_my_policies_phone.png"))


def test_simulation_page_compares_versions_against_a_budget_with_charts(
    page, live_server, login_page, users, screenshot_dir
):
    from tongchou.rules import services
    from tongchou.rules.engine.synthetic import population
    from tongchou.rules.models import RuleVersion

    services.rules_load(path=PACK)
    load_population(population(600, seed=3, missing=0.05))
    data = RuleVersion.objects.get(rule_id="zhoucun.job_retention_refund").to_dict()
    data["benefit"]["formula"] = "0.6 * unemployment_insurance_paid_prev_year"
    data["benefit"]["cap"] = 50000
    services.rule_draft_save(data=data, actor=users["admin"])

    login_page("leader")
    page.goto(
        f"{live_server.url}/rules/simulate/?a=zhoucun.job_retention_refund@1&b=zhoucun.job_retention_refund@2"
        "&budget=300&as_of=2020-04-15"
    )
    page.wait_for_selector("body[data-charts-ready='1']")
    results = page.locator(".sim-result")
    assert results.count() == 2
    cost_a, cost_b = (float(results.nth(i).get_attribute("data-cost")) for i in range(2))
    assert 0 < cost_a < cost_b
    assert page.locator("#chart-0-district canvas").count() == 1
    assert page.locator("#chart-1-size canvas").count() == 1
    assert "占预算" in results.nth(0).inner_text()
    page.screenshot(path=str(screenshot_dir / "rules_4_simulation.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.startswith("政策测算_")


def test_editor_live_preview_shows_errors_at_the_spot_and_the_reach(
    page, live_server, login_page, matched_enterprise, screenshot_dir
):
    login_page("admin")
    page.goto(f"{live_server.url}/rules/r/zhoucun.job_retention_refund/edit/")
    page.wait_for_selector("#preview-reach")
    assert page.inner_text("#preview-reach").startswith("1")
    page.fill("textarea[name=cond_expr_0]", "insured_employes_prev_year_end > 0")
    page.wait_for_selector("#err-conditions-0-expression:has-text('insured_employees_prev_year_end')")
    assert "第1行第1列" in page.inner_text("#err-conditions-0-expression")
    page.screenshot(path=str(screenshot_dir / "rules_5_editor_error.png"), full_page=True)
    page.fill("textarea[name=cond_expr_0]", "insured_employees_prev_year_end > 100")
    page.wait_for_selector("#preview-reach")
    assert page.inner_text("#preview-reach").startswith("0")


def test_department_puts_cases_on_publicity_and_the_public_objects(
    page, live_server, login_page, matched_enterprise, users, screenshot_dir
):
    from tongchou.rules import services
    from tongchou.rules.models import Delivery

    owner = users["enterprise"]
    dlv = Delivery.objects.get(enterprise=matched_enterprise, rule_id="zhoucun.job_retention_refund")
    services.delivery_confirm(delivery=dlv, user=owner)

    login_page("department")
    page.goto(f"{live_server.url}/rules/")
    assert "稳岗返还" in page.inner_text("table")
    page.screenshot(path=str(screenshot_dir / "rules_6_staff_index.png"))
    page.goto(f"{live_server.url}/rules/deliveries/?status=confirmed")
    page.click("text=全部列入公示")
    page.wait_for_load_state("networkidle")
    assert "已将 1 件已确认事项列入公示" in page.inner_text(".messages")
    page.screenshot(path=str(screenshot_dir / "rules_7_workbench.png"), full_page=True)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/rules/publicity/")
    assert matched_enterprise.name in page.inner_text("table")
    page.click('a.btn:has-text("提出异议")')
    page.fill("#id_text", "该企业裁员情况与公示不符，请核实。")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "异议已提交" in page.inner_text(".messages")

    login_page("department")
    page.goto(f"{live_server.url}/rules/deliveries/{dlv.pk}/")
    assert "该企业裁员情况与公示不符" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "rules_8_delivery_detail.png"), full_page=True)
    page.select_option("select[name=decision]", "dismissed")
    page.fill("textarea[name=resolution]", "经核实，参保人数与社保记录一致。")
    page.click("text=提交处理意见")
    page.wait_for_load_state("networkidle")
    dlv.refresh_from_db()
    assert dlv.status == "publicity"
