"""The shell every page lives in, in a real browser: login through the form, navigation by role,
the phone layout, and Chinese text rendered with a local font (no remote resources)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_department_user_logs_in_and_sees_staff_navigation(login_page, live_server, screenshot_dir):
    page = login_page("department")
    nav = page.locator("nav.mainnav").inner_text()
    assert "企业库" in nav
    assert "我的企业" not in nav  # enterprise-only section
    assert "测试department" in page.locator(".usermenu").inner_text()
    page.screenshot(path=screenshot_dir / "home-department.png", full_page=True)


def test_enterprise_user_on_a_phone_opens_the_menu(browser, live_server, users, screenshot_dir):
    from conftest import PASSWORD

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", users["enterprise"].username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert not page.locator("nav.mainnav").is_visible()
    page.click("button.nav-toggle")
    assert page.locator("nav.mainnav").is_visible()
    assert "我的企业" in page.locator("nav.mainnav").inner_text()
    page.screenshot(path=screenshot_dir / "home-enterprise-phone.png", full_page=True)
    context.close()


def test_pages_load_no_remote_resources(page, live_server):
    remote = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert remote == []
    assert page.evaluate("typeof htmx") == "object"  # vendored htmx loaded from our static files


def test_care_mode_switch_is_kept_across_pages_for_an_anonymous_visitor(page, live_server, screenshot_dir):
    from tongchou.testing.site import PHONE

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/policies/")
    switch = page.locator(".care-switch button")
    assert switch.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/policies/")  # back on the page the switch was on
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.locator(".care-switch button").get_attribute("aria-pressed") == "true"
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body >= 18 > normal
    page.goto(f"{live_server.url}/appeals/public/new/")  # kept on the next page
    assert page.evaluate("document.documentElement.classList.contains('care')")
    height = page.evaluate(
        "document.querySelector('#appeal-form button[type=submit]').getBoundingClientRect().height"
    )
    assert height >= 44  # touch targets of at least 44 px
    page.locator(".care-switch button").click()
    page.wait_for_load_state("load")
    assert not page.evaluate("document.documentElement.classList.contains('care')")
