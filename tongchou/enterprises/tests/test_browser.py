"""A person's path through the registry in a real browser: list, filter, open the detail page."""

import pytest

from tongchou.enterprises.uscc import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_filter_the_list_and_open_an_enterprise(
    login_page, live_server, make_enterprise, screenshot_dir
):
    make_enterprise(region_code="370306001", name="周村丝绸纺织有限公司", industry_id="C17", size_class="small",
                    employees=86, revenue_wan=4200, contact_phone="13911112222", above_designated_size=True)  # fmt: skip
    make_enterprise(region_code="370306002", name="周村区鑫华便利店", industry_id="F52", size_class="micro",
                    kind="sole_proprietor", uscc=make_uscc("370306", 31337, entity="2"))  # fmt: skip
    make_enterprise(region_code="370306", name="周村宏达物流有限公司", industry_id="G54", size_class="medium")
    page = login_page("department")
    page.goto(f"{live_server.url}/enterprises/")
    rows = page.locator("#enterprise-table tbody tr")
    assert rows.count() >= 3
    assert "139****2222" in page.inner_text("#enterprise-table")
    page.screenshot(path=str(screenshot_dir / "enterprises-list.png"), full_page=True)

    page.select_option("#f-section", "C")
    page.select_option("#f-size", "small")
    page.click("#enterprise-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    names = page.locator("#enterprise-table tbody tr td:first-child a").all_inner_texts()
    assert "周村丝绸纺织有限公司" in names
    assert "周村区鑫华便利店" not in names and "周村宏达物流有限公司" not in names
    assert "section=C" in page.get_attribute("#export-link", "href")
    page.screenshot(path=str(screenshot_dir / "enterprises-list-filtered.png"), full_page=True)

    page.click("text=周村丝绸纺织有限公司")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "周村丝绸纺织有限公司"
    body = page.inner_text("main")
    assert "139****2222" in body and "13911112222" not in body
    assert "丝绸路街道" in body and "规模以上" in body
    page.click("#reveal-link")
    page.wait_for_load_state("networkidle")
    assert "13911112222" in page.inner_text("main")
    page.screenshot(path=str(screenshot_dir / "enterprises-detail.png"), full_page=True)


def test_import_page_lists_bad_rows(login_page, live_server, tmp_path, screenshot_dir):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "名称", "所在区域代码", "行业代码", "从业人员（人）", "营业收入（万元）"])
    ws.append([make_uscc("370306", 61), "淄博甲有限公司", "370306001", "C17", 30, 500])
    ws.append([make_uscc("370306", 62)[:-1] + "I", "淄博乙有限公司", "370306001", "C17", 30, 500])
    ws.append([make_uscc("370306", 63), "淄博丙有限公司", "370306999", "C17", "三十", 500])
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    page = login_page("admin")
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "第3、4行" in page.inner_text("#import-error")
    rows = page.locator("#import-errors tbody tr").all_inner_texts()
    assert rows[0].startswith("3") and "第18位字符“I”不合法" in rows[0]
    assert any("所在区域代码" in r for r in rows) and any("从业人员" in r for r in rows)
    page.screenshot(path=str(screenshot_dir / "enterprises-import-errors.png"), full_page=True)
