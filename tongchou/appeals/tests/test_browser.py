"""The whole cycle in a real browser: the enterprise submits, the leader dispatches, the department
accepts and answers, the enterprise rates; plus the public form and lookup. Screenshots are saved
in test-artifacts/screenshots/appeals_*.png."""

from __future__ import annotations

import re

import pytest

from tongchou.appeals.models import Appeal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests flush the tables, data migrations included: put the reference data back."""
    from tongchou.appeals.routing_db import clear_router_cache
    from tongchou.appeals.rules_loader import load_routing_rules
    from tongchou.regions.reference import load_reference_data

    load_reference_data()
    load_routing_rules()
    clear_router_cache()


def _switch(page, login_page, role):
    page.context.clear_cookies()
    return login_page(role)


def test_submit_dispatch_accept_answer_rate_in_browser(
    page, live_server, login_page, users, department, screenshot_dir
):
    login_page("enterprise")
    page.goto(f"{live_server.url}/appeals/new/")
    page.fill("#id_text", "我公司遇到一些困难，希望有关部门帮助协调解决。")
    page.screenshot(path=str(screenshot_dir / "appeals_1_new.png"), full_page=True)
    page.click("#appeal-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    number = re.search(r"ZB\d{8}-\d{6}", page.inner_text("h1")).group(0)
    assert "待分办" in page.inner_text("h1")

    _switch(page, login_page, "leader")
    page.goto(f"{live_server.url}/appeals/{number}/")
    page.select_option(".action-dispatch select[name=department]", str(department.pk))
    page.fill(".action-dispatch input[name=reason]", "按职责分办")
    page.screenshot(path=str(screenshot_dir / "appeals_2_dispatch.png"), full_page=True)
    page.click(".action-dispatch button")
    page.wait_for_load_state("networkidle")
    assert department.name in page.inner_text("#department")

    _switch(page, login_page, "department")
    page.goto(f"{live_server.url}/appeals/")
    assert number in page.inner_text("#appeal-list")
    page.goto(f"{live_server.url}/appeals/{number}/")
    page.click("#phone + button")
    page.wait_for_selector("#phone a")
    assert page.inner_text("#phone") == "13800001111"
    page.fill(".action-accept input[name=reason]", "已电话联系企业负责人")
    page.click(".action-accept button")
    page.wait_for_load_state("networkidle")
    page.fill(".action-answer textarea[name=answer]", "已协调相关部门解决，请企业评价。")
    page.click(".action-answer button")
    page.wait_for_load_state("networkidle")
    assert "已答复" in page.inner_text("h1")
    page.screenshot(path=str(screenshot_dir / "appeals_3_answered.png"), full_page=True)

    _switch(page, login_page, "enterprise")
    page.goto(f"{live_server.url}/appeals/{number}/")
    page.check(".action-rate input[value=satisfied]")
    page.fill(".action-rate input[name=comment]", "办理及时")
    page.click(".action-rate button")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#rating") == "满意"
    history = page.inner_text("#history")
    for label in ("提交", "分办", "受理并联系", "答复", "评价"):
        assert label in history
    page.screenshot(path=str(screenshot_dir / "appeals_4_rated.png"), full_page=True)
    assert Appeal.objects.get(number=number).status == "rated"


def test_public_form_then_lookup_by_number_and_phone(page, live_server, screenshot_dir, db):
    page.goto(f"{live_server.url}/appeals/public/new/")
    page.fill("#id_text", "小区附近药店一包口罩卖到100元，明显哄抬价格，请查处。")
    page.fill("#id_contact_name", "王女士")
    page.fill("#id_contact_phone", "13912345678")
    page.click("#appeal-form button[type=submit]")
    page.wait_for_selector("#appeal-number")
    number = page.inner_text("#appeal-number")
    page.screenshot(path=str(screenshot_dir / "appeals_5_public_done.png"), full_page=True)
    page.goto(f"{live_server.url}/appeals/lookup/")
    page.fill("#id_number", number)
    page.fill("#id_phone", "13900000000")
    page.click("form.filters button")
    page.wait_for_load_state("networkidle")
    assert "不匹配" in page.content()
    page.fill("#id_phone", "13912345678")
    page.click("form.filters button")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert number in body and "139****5678" in body and "13912345678" not in body
    page.screenshot(path=str(screenshot_dir / "appeals_6_lookup.png"), full_page=True)


def test_figures_page_draws_charts(page, live_server, login_page, users, submit, screenshot_dir):
    submit()
    login_page("leader")
    page.goto(f"{live_server.url}/appeals/figures/")
    page.wait_for_selector("#chart-departments canvas")
    assert "诉求总数" in page.inner_text("#kpis")
    page.screenshot(path=str(screenshot_dir / "appeals_7_figures.png"), full_page=True)


def test_transfer_return_merge_close_reopen_in_browser(
    page, live_server, login_page, users, department, submit, screenshot_dir
):
    from tongchou.appeals import services
    from tongchou.regions.models import Department

    other = Department.objects.filter(region_id=department.region_id).exclude(pk=department.pk).first()
    leader, dept_user, ent_user = users["leader"], users["department"], users["enterprise"]
    a = submit(text="第一件：我公司遇到困难，请协调")
    b = submit(text="第二件：同一个困难，再次反映")
    c = submit(text="第三件：需要协调的事情")
    d = submit(text="第四件：还需要协调的事情")
    for x in (a, c, d):
        services.appeal_dispatch(appeal=x, department=department, actor=leader)
    for x in (c, d):
        services.appeal_accept(appeal=x, actor=dept_user)
        services.appeal_answer(appeal=x, actor=dept_user, answer="已答复")
    services.appeal_rate(appeal=c, actor=ent_user, rating="satisfied")
    services.appeal_rate(appeal=d, actor=ent_user, rating="dissatisfied", comment="没有解决")

    # the department transfers A with a reason; it then disappears from its list
    login_page("department")
    page.goto(f"{live_server.url}/appeals/{a.number}/")
    page.select_option(".action-transfer select[name=department]", str(other.pk))
    page.fill(".action-transfer input[name=reason]", "属于对方职责")
    page.click(".action-transfer button")
    page.wait_for_load_state("networkidle")
    assert a.number not in page.inner_text("main")

    # the leader returns A to the queue, merges B into A, closes C
    _switch(page, login_page, "leader")
    page.goto(f"{live_server.url}/appeals/{a.number}/")
    assert "属于对方职责" in page.inner_text("#history")
    page.fill(".action-return input[name=reason]", "重新研判")
    page.click(".action-return button")
    page.wait_for_load_state("networkidle")
    assert "待分办" in page.inner_text("h1")
    page.goto(f"{live_server.url}/appeals/{b.number}/")
    page.fill(".action-merge input[name=into]", a.number)
    page.fill(".action-merge input[name=reason]", "重复反映")
    page.click(".action-merge button")
    page.wait_for_load_state("networkidle")
    assert "已合并" in page.inner_text("h1")
    page.goto(f"{live_server.url}/appeals/{c.number}/")
    page.click(".action-close button")
    page.wait_for_load_state("networkidle")
    assert "已办结" in page.inner_text("h1")

    # the enterprise reopens D after 不满意
    _switch(page, login_page, "enterprise")
    page.goto(f"{live_server.url}/appeals/{d.number}/")
    page.fill(".action-reopen input[name=reason]", "问题依旧")
    page.click(".action-reopen button")
    page.wait_for_load_state("networkidle")
    assert "已分办" in page.inner_text("h1")
    page.screenshot(path=str(screenshot_dir / "appeals_8_reopened.png"), full_page=True)

    statuses = {x.number: x.status for x in Appeal.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk])}
    assert statuses == {a.number: "submitted", b.number: "merged", c.number: "closed", d.number: "dispatched"}


def test_enterprise_adds_a_file_to_its_order_and_the_handler_downloads_it(
    page, live_server, login_page, users, department, screenshot_dir, tmp_path
):
    from tongchou.appeals import services

    ent = users["enterprise"]
    appeal, _ = services.appeal_submit(
        text="我公司货车在王村检查站被劝返，请协调办理通行证",
        region=ent.enterprise.region,
        submitter=ent,
        enterprise=ent.enterprise,
        contact_phone="13800001111",
        auto_dispatch=False,
    )
    services.appeal_dispatch(appeal=appeal, department=department, actor=users["leader"])
    photo = tmp_path / "劝返现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    fake = tmp_path / "通行证.pdf"
    fake.write_bytes(b"MZ this is not a pdf")

    login_page("enterprise")
    page.goto(f"{live_server.url}/appeals/{appeal.number}/")
    assert "分办建议" not in page.inner_text("body")  # routing scores are for the dispatchers
    page.set_input_files("#attach-files", str(fake))
    page.click("#attach-form button")
    page.wait_for_load_state("networkidle")
    assert "与扩展名不符" in page.inner_text("body")
    page.set_input_files("#attach-files", str(photo))
    page.click("#attach-form button")
    page.wait_for_load_state("networkidle")
    assert "劝返现场.png" in page.inner_text("#attachments")
    assert "上传附件" in page.inner_text("body")  # the history line
    page.screenshot(path=str(screenshot_dir / "appeals_9_attachment.png"), full_page=True)

    _switch(page, login_page, "department")
    page.goto(f"{live_server.url}/appeals/{appeal.number}/")
    with page.expect_download() as download:
        page.click("#attachments a")
    assert download.value.suggested_filename == "劝返现场.png"
    assert open(download.value.path(), "rb").read() == photo.read_bytes()
