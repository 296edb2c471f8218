"""The command centre in a real browser: charts drawn from our own ECharts, a table under each, the
drill-down by keyboard, and the phone layout."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_drills_down_from_the_city_to_a_district(
    login_page, live_server, make_enterprise, screenshot_dir
):
    for code in ("370306", "370306", "370303", "370304", "370305"):
        make_enterprise(region_code=code)
    page = login_page("leader")
    remote = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("指挥中心")
    # the registry's distribution is drawn; panels whose numbers are all zero keep only their table
    assert page.locator("[data-key='enterprises.by_region'] .panel-chart canvas").count() == 1
    assert page.locator("[data-key='appeals.by_status'] .panel-chart").count() == 0
    assert page.locator(".panel table").count() >= 3  # every panel has its table
    page.screenshot(path=screenshot_dir / "command-centre-leader.png", full_page=True)
    link = page.get_by_role("link", name="周村区", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/?region=370306")
    page.wait_for_load_state("networkidle")
    assert "丝绸路街道" in page.locator(".drill").inner_text()
    assert remote == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "command-centre-zhoucun-phone.png", full_page=True)
