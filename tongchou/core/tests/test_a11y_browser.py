"""Accessibility of every page (WCAG 2.1 A and AA, GB/T 37668): axe-core from our own files runs
on every page reachable by links from each role's home page, at desktop (1366 px) and phone
(390 px) width, in the normal and the 关怀模式 (elder-friendly) display. The crawl also fails on a
dead link (404 or a server error).

New pages are covered without touching this file: link them from a page a role can reach (the
navigation, a list, a tile) and give them demo data through the app's demo step.
"""

from __future__ import annotations

import pytest

from tongchou.core.testing.axe import axe_violations, format_violations, install_axe
from tongchou.core.testing.crawl import crawl, settle
from tongchou.core.testing.site import DESKTOP, PHONE, build_demo_site, login_as, set_care_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["anonymous", "enterprise", "department", "leader", "bank", "admin"]
# a sanity floor: the crawl from each home page must actually reach the role's sections
MIN_PAGES = {"anonymous": 6, "enterprise": 8, "department": 12, "leader": 12, "bank": 3, "admin": 15}


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
    known: dict[str, int] = {}
    for role in ROLES:
        login_as(context, base, role)
        checked: list[str] = []
        result = crawl(page, base, on_page=_checker(base, role, failures, checked), known_routes=known)
        if result.broken:
            problems.append(f"{role}: dead links:\n" + result.describe(result.broken))
        if len(result.pages) < MIN_PAGES[role]:
            problems.append(f"{role}: only {len(result.pages)} pages reached:\n" + result.describe())
        assert len(checked) == 4 * len(result.pages)
    context.close()
    assert not problems, "\n".join(problems)
    assert not failures, f"{len(failures)} page states fail WCAG 2.1 A/AA:\n" + "\n".join(failures)
