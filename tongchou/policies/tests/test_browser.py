"""Search and comparison in a real browser (screenshots saved under test-artifacts/screenshots)."""

import pytest

from tongchou.policies import services

from .seeds import SEEDS_DIR, needs_seeds

pytestmark = [pytest.mark.browser, needs_seeds]


@pytest.fixture
def seeded(transactional_db, reference_data):
    return services.seed_documents_ingest(SEEDS_DIR)


def test_public_search_highlights_and_leads_to_the_measure_in_place(
    seeded, live_server, page, screenshot_dir
):
    page.goto(f"{live_server.url}/policies/")
    assert page.locator("h1").first.inner_text() == "政策库"
    page.fill("#id_q", "稳岗返还")
    page.select_option("#id_region", "370306")
    page.click("#policy-search button[type=submit]")
    page.wait_for_selector("#results")
    assert "找到" in page.locator("#results h2").inner_text()
    first = page.locator("#results .hit").first
    assert first.locator("mark").count() >= 1
    page.screenshot(path=str(screenshot_dir / "policies_search.png"), full_page=True)
    first.locator("h3 a").click()
    page.wait_for_selector("#measure")
    assert "加大稳岗返还" in page.locator("#measure h1").inner_text()
    assert page.locator("#measure mark").count() >= 1
    assert page.locator(".context .measure-row").count() == 3  # with its neighbours 13.4 and 15
    assert page.locator(".context .measure-row.current .no").inner_text() == "14"
    page.screenshot(path=str(screenshot_dir / "policies_measure.png"), full_page=True)


def test_similar_measures_side_by_side_with_quantities(seeded, live_server, page, screenshot_dir):
    page.goto(f"{live_server.url}/policies/jinan-2020-opinions/16/")
    assert page.locator("#similar .compare .card").count() >= 1
    page.click("#similar a.btn-blue")
    page.wait_for_selector("#compare-grid")
    cards = page.locator("#compare-grid > .card")
    assert cards.count() >= 2
    assert "济南市" in cards.nth(0).inner_text()
    assert "5个月" in cards.nth(0).inner_text() or "5个月" in cards.nth(0).inner_text().replace(" ", "")
    regions = [cards.nth(i).locator(".region").inner_text() for i in range(cards.count())]
    assert "周村区" in regions
    page.screenshot(path=str(screenshot_dir / "policies_compare.png"), full_page=True)


def test_document_page_and_source_view_on_a_phone(seeded, live_server, page, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/policies/zhoucun-2020-8/")
    assert page.locator(".measure-row").count() == 55
    page.screenshot(path=str(screenshot_dir / "policies_document_phone.png"))
    page.goto(f"{live_server.url}/policies/zhoucun-2020-8/source/?m=13.1#hl")
    assert page.locator("mark#hl").inner_text().startswith("加大技术改造投资补助力度")
    page.goto(f"{live_server.url}/policies/dezhou-press-13/")
    assert "报道中的数据" in page.content()
    page.screenshot(path=str(screenshot_dir / "policies_news_phone.png"), full_page=True)
