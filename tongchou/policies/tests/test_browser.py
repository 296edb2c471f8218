"""Search and comparison in a real browser (screenshots saved under test-artifacts/screenshots)."""

import pytest

from tongchou.policies import services

from .seeds import SEEDS_DIR

pytestmark = [pytest.mark.browser]


@pytest.fixture
def seeded(transactional_db, reference_data):
    if not SEEDS_DIR.is_dir():
        pytest.skip("seed documents not available")
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


def test_a_measure_from_another_city_shows_supporting_units_and_a_money_range(
    transactional_db, reference_data, live_server, page, screenshot_dir
):
    from pathlib import Path

    corpus = Path(__file__).parent / "corpus"
    from .test_parsing_corpus import _load

    for name in ("33-kunming-units.docx.txt", "12-money-forms.txt"):
        data, filename = _load(corpus / name)
        services.document_ingest(file_bytes=data, filename=filename)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/policies/doc-2020-9-{_crc('昆政办')}/2/")
    facts = page.locator("dl.facts").inner_text()
    assert "配合单位" in facts and "市商务局" in facts and "昆明市" in facts
    assert "2,000万元" in page.locator(".q-list").first.inner_text()
    page.screenshot(path=str(screenshot_dir / "policies_measure_supporting.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/policies/doc-2020-19-{_crc('惠府')}/2/")
    q = page.locator(".q-list").first.inner_text()
    assert "1万元 – 3万元" in q and "/户" in q
    page.screenshot(path=str(screenshot_dir / "policies_measure_range.png"), full_page=True)


def _crc(prefix: str) -> str:
    import zlib

    return f"{zlib.crc32(prefix.encode()):08x}"
