"""Accessibility of every page (WCAG 2.1 A and AA, GB/T 37668): axe-core from our own files runs
on every page reachable by links from each role's home page, at desktop (1366 px) and phone
(390 px) width, in the normal and the 关怀模式 (elder-friendly) display. The crawl also fails on a
dead link (404 or a server error).

New pages are covered without touching this file: link them from a page a role can reach (the
navigation, a list, a tile) and give them demo data through the app's demo step.
"""

from __future__ import annotations

import time

import pytest

from tongchou.testing.axe import axe_violations, format_violations, install_axe
from tongchou.testing.crawl import crawl, settle
from tongchou.testing.site import DESKTOP, PHONE, build_demo_site, demo_roles, login_as, set_care_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# a floor: each walk must reach its role's own sections (public pages count for anonymous only);
# other roles (new ones included, walked automatically) at least their home and notifications
MIN_PAGES = {"anonymous": 6, "enterprise": 6, "department": 12, "leader": 10, "admin": 10}


NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _checker(base_url: str, role: str, failures: list[str], checked: list[str]):
    def check(page, visit):
        context = page.context
        for care in (False, True):
            if care:
                set_care_mode(context, base_url, True)
                page.reload(wait_until="load")
                settle(page)
            for size in (DESKTOP, PHONE):
                page.set_viewport_size(size)
                page.evaluate(NEXT_FRAME)  # the page's resize handlers have run
                where = f"{role} {'关怀' if care else '标准'} {size['width']}px {visit.url}"
                violations = axe_violations(page)
                checked.append(where)
                if violations:
                    failures.append(format_violations(where, violations))
                if size is PHONE and visit.url == "/":
                    # the phone menu, opened: its links must pass too
                    page.click("button.nav-toggle")
                    violations = axe_violations(page)
                    if violations:
                        failures.append(format_violations(where + " (菜单展开)", violations))
                    page.click("button.nav-toggle")
        set_care_mode(context, base_url, False)
        page.set_viewport_size(DESKTOP)

    return check


def test_every_page_reachable_from_each_roles_home_page_passes_axe(browser, live_server, transactional_db):
    """One walk per role over the demo's data (built once: it is the slow part)."""
    build_demo_site()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    install_axe(context)
    page = context.new_page()
    page.set_default_timeout(20000)
    failures: list[str] = []
    problems: list[str] = []
    budget: dict[str, int] = {}
    summary = []
    for role in demo_roles():
        login_as(context, base, role)
        checked: list[str] = []
        started = time.monotonic()
        result = crawl(page, base, on_page=_checker(base, role, failures, checked), budget=budget)
        summary.append(
            f"{role}: {len(result.pages)} pages, {len(result.visits)} links, {time.monotonic() - started:.0f} s"
        )
        if role == "anonymous":
            # public pages do not change with the role: checked once, by the anonymous walk
            budget.update({r: 0 for r in budget})
        if result.broken:
            problems.append(f"{role}: dead links:\n" + result.describe(result.broken))
        if len(result.pages) < MIN_PAGES.get(role, 2):
            problems.append(f"{role}: only {len(result.pages)} pages reached:\n" + result.describe())
        assert len(checked) == 4 * len(result.pages)
    context.close()
    print("\n".join(summary))
    assert not problems, "\n".join(problems)
    assert not failures, f"{len(failures)} page states fail WCAG 2.1 A/AA:\n" + "\n".join(failures)


def test_form_errors_are_announced_and_tied_to_their_fields(browser, live_server, reference_data):
    """A form sent back with errors: a summary announced at once, each field marked invalid and
    described by its own error; no axe violation in either mode."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    install_axe(context)
    page = context.new_page()
    for care in (False, True):
        set_care_mode(context, live_server.url, care)
        page.goto(f"{live_server.url}/appeals/public/new/")
        page.fill("#id_text", "太短")
        page.evaluate("document.getElementById('appeal-form').noValidate = true")  # the server's check
        with page.expect_navigation():
            page.click("#appeal-form button[type=submit]")
        summary = page.locator(".error-summary[role=alert]")
        assert summary.count() == 1 and "姓名" in summary.inner_text()
        for field in ("id_text", "id_contact_name", "id_contact_phone"):
            control = page.locator(f"#{field}")
            assert control.get_attribute("aria-invalid") == "true"
            described = control.get_attribute("aria-describedby").split()
            assert f"{field}_error" in described
            assert page.locator(f"#{field}_error").inner_text().strip()
        # the summary links lead to the fields
        summary.locator("a[href='#id_contact_name']").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#id_contact_name"
        violations = axe_violations(page)
        assert not violations, format_violations("public appeal form with errors", violations)
    context.close()
