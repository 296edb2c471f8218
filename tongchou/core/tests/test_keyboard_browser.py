"""Every role's main task done with the keyboard alone (Tab, Shift+Tab, typing, Enter, Space): no
click anywhere. Each step also checks that the focused control shows a focus indicator.

enterprise: file an appeal; confirm a benefit (免申即享) · department: answer an appeal ·
leader: read the figures (the chart's table alternative) · admin: publish a rule draft.
The demo's data is built once for the five tasks (it is the slow part).
"""

from __future__ import annotations

import re

import pytest

from tongchou.testing.keyboard import press_enter_and_wait, tab_to
from tongchou.testing.site import DEMO_USERS, DESKTOP, PHONE, build_demo_site, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _home(page, base: str, role: str) -> None:
    login_as(page.context, base, role)
    page.goto(base + "/")
    # the first Tab reaches the skip link, which moves focus to the main content
    tab_to(page, "a.skip-link", max_tabs=1)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto(base + "/")


def _open_section(page, label: str) -> None:
    tab_to(page, "nav.mainnav a", text=label)
    press_enter_and_wait(page)


def enterprise_files_an_appeal(page, base: str) -> None:
    from tongchou.appeals.models import Appeal

    _home(page, base, "enterprise")
    _open_section(page, "诉求办理")
    tab_to(page, "a.btn", text="我要反映问题")
    press_enter_and_wait(page)
    tab_to(page, "#id_text")
    page.keyboard.type("我公司复工后招不到熟练工人，希望人社部门帮助对接用工。")
    tab_to(page, "#appeal-form button[type=submit]")
    press_enter_and_wait(page)
    number = re.search(r"ZB\d{8}-\d{6}", page.inner_text("h1")).group(0)
    appeal = Appeal.objects.get(number=number)
    assert appeal.submitter.username == DEMO_USERS["enterprise"]
    assert "招不到熟练工人" in appeal.text


def enterprise_confirms_a_benefit(page, base: str) -> None:
    from tongchou.rules.models import Delivery

    _home(page, base, "enterprise")
    _open_section(page, "我可享受的政策")
    owner = Delivery.objects.filter(enterprise__users__username=DEMO_USERS["enterprise"])
    before = owner.filter(status="confirmed").count()
    awaiting = owner.filter(status="awaiting").count()
    assert awaiting, "the demo enterprise has a benefit waiting for its confirmation"
    tab_to(page, "button[data-action=confirm]", text="确认享受")
    press_enter_and_wait(page)
    assert owner.filter(status="confirmed").count() == before + 1
    assert owner.filter(status="awaiting").count() == awaiting - 1


def department_answers_an_appeal(page, base: str) -> None:
    from tongchou.accounts.models import User
    from tongchou.appeals.models import Appeal

    # an order the demo left accepted (the department has contacted the submitter), answered by a
    # member of the department that holds it
    appeal = Appeal.objects.filter(status="accepted").order_by("pk").first()
    assert appeal is not None, "the demo leaves some appeals accepted"
    User.objects.filter(username=DEMO_USERS["department"]).update(department=appeal.department)

    _home(page, base, "department")
    _open_section(page, "诉求办理")
    tab_to(page, "input[name=q]")
    page.keyboard.type(appeal.number)
    press_enter_and_wait(page)  # Enter in a field submits its form
    tab_to(page, "#appeal-list a", text=appeal.number)
    press_enter_and_wait(page)
    tab_to(page, "textarea[name=answer]")
    page.keyboard.type("已联系人社局就业服务中心，下周举办专场招聘会。")
    tab_to(page, ".action-answer button")
    press_enter_and_wait(page)
    appeal.refresh_from_db()
    assert appeal.status == "answered"
    assert "专场招聘会" in appeal.answer
    assert "已答复" in page.inner_text("h1")


def leader_reads_the_figures(page, base: str) -> None:
    _home(page, base, "leader")
    _open_section(page, "统计分析")
    # the period fields and the button are reached in order (the digits a date field takes
    # depend on the browser's language, so the default period is kept)
    tab_to(page, "#f-start")
    tab_to(page, "#f-end")
    tab_to(page, "button[type=submit]", text="统计")
    press_enter_and_wait(page)
    assert "start=" in page.url and "end=" in page.url
    assert "件" in page.inner_text("#kpis")  # totals read with their unit
    page.wait_for_function("() => document.querySelector('#chart-categories canvas, #chart-categories svg')")
    # the chart describes itself (ECharts aria) and its figures are a table the keyboard reaches
    assert page.get_attribute("#chart-categories", "aria-label").startswith("这是一个")
    tab_to(page, "#chart-categories-caption ~ details summary")
    rows = page.locator("#chart-categories-caption ~ details table tbody tr")
    assert rows.count() >= 3
    assert re.search(r"\d", rows.first.inner_text())


def admin_publishes_a_rule(page, base: str) -> None:
    from tongchou.accounts.models import User
    from tongchou.rules import services
    from tongchou.rules.models import RuleVersion

    admin = User.objects.get(username=DEMO_USERS["admin"])
    base_version = RuleVersion.objects.filter(status="published").order_by("rule_id").first()
    data = services.version_data(base_version)
    data["name"] = data["name"] + "（调整）"
    draft = services.rule_draft_save(data=data, actor=admin, base=base_version)
    assert draft.status == "draft"

    _home(page, base, "admin")
    _open_section(page, "政策兑现")
    tab_to(page, f'a[href$="/{draft.rule_id}/?v={draft.number}"]')
    press_enter_and_wait(page)
    tab_to(page, "button[type=submit]", text="发布")
    press_enter_and_wait(page)
    draft.refresh_from_db()
    assert draft.status == "published"


def test_main_task_of_each_role_by_keyboard_alone(browser, live_server, transactional_db):
    build_demo_site()
    base = live_server.url
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(20000)
        if viewport is DESKTOP:
            for task in (
                enterprise_files_an_appeal,
                enterprise_confirms_a_benefit,
                department_answers_an_appeal,
                leader_reads_the_figures,
                admin_publishes_a_rule,
            ):
                task(page, base)
        else:
            # on a phone the menu opens from its button, by keyboard too, and Escape closes it
            _home(page, base, "enterprise")
            tab_to(page, "button.nav-toggle")
            assert page.get_attribute("button.nav-toggle", "aria-expanded") == "false"
            page.keyboard.press("Enter")
            assert page.get_attribute("button.nav-toggle", "aria-expanded") == "true"
            assert page.evaluate("document.activeElement.closest('nav.mainnav') !== null")
            page.keyboard.press("Escape")
            assert page.get_attribute("button.nav-toggle", "aria-expanded") == "false"
            assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
            page.keyboard.press("Space")
            tab_to(page, "nav.mainnav a", text="我可享受的政策", max_tabs=10)
            press_enter_and_wait(page)
            assert "/rules/" in page.url
        context.close()
