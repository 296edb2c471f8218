"""Golden tests on the five seed documents (read from ../shared/seeds, never copied into the repo)."""

import re

import pytest

from tongchou.policies.parsing import parse_file

from .seeds import MANIFEST, needs_seeds, seed_path

pytestmark = needs_seeds


@pytest.fixture(scope="module")
def parsed():
    return {slug: parse_file(seed_path(slug), slug=slug) for slug in MANIFEST.values()}


@pytest.mark.parametrize(
    ("slug", "count", "kind", "region"),
    [
        ("zibo-2020-forum", 0, "news", "3703"),
        ("zibo-2020-opinions", 59, "policy", "3703"),
        ("jinan-2020-opinions", 53, "policy", "3701"),
        ("zhoucun-2020-8", 55, "policy", "370306"),
        ("dezhou-press-13", 0, "news", "3714"),
    ],
)
def test_seed_measure_counts_kind_and_region(parsed, slug, count, kind, region):
    doc = parsed[slug]
    assert len(doc.measures) == count
    assert doc.kind == kind
    assert doc.region_code == region


def test_measure_ids_are_slug_and_printed_number(parsed):
    ids = [m.id for m in parsed["zhoucun-2020-8"].measures]
    assert ids[:13] == [f"zhoucun-2020-8/{n}" for n in range(1, 14)]
    assert ids[13:17] == [f"zhoucun-2020-8/13.{k}" for k in range(1, 5)]
    assert ids[-1] == "zhoucun-2020-8/51"
    assert "jinan-2020-opinions/16" in [m.id for m in parsed["jinan-2020-opinions"].measures]
    assert [m.number for m in parsed["zibo-2020-opinions"].measures] == [str(n) for n in range(1, 60)]


def _raw_blocks(raw: str) -> list[tuple[list[str], list[str]]]:
    """Independent oracle: every (责任人…；牵头/责任单位…) block of the raw file, whitespace removed."""
    flat = re.sub(r"\s+", "", raw)
    out = []
    for m in re.finditer(r"[（(]责任人[:：](.*?)[;；](?:牵头|责任)单位[:：](.*?)[)）]", flat):
        out.append((re.split(r"[、,，]", m.group(1)), re.split(r"[、,，]", m.group(2))))
    return out


def test_every_zhoucun_measure_has_persons_and_lead_units_exactly_as_written(parsed):
    doc = parsed["zhoucun-2020-8"]
    raw = seed_path("zhoucun-2020-8").read_text(encoding="utf-8")
    expected = _raw_blocks(raw)
    assert len(expected) == 55
    got = [(m.responsible_persons, m.lead_units) for m in doc.measures]
    assert got == expected
    assert all(m.responsible_persons and m.lead_units for m in doc.measures)


def test_zhoucun_metadata(parsed):
    doc = parsed["zhoucun-2020-8"]
    assert doc.doc_number == "周政字〔2020〕8号"
    assert "淄政字〔2020〕15号" in doc.cited_doc_numbers
    assert "淄金监发〔2020〕5号" in doc.cited_doc_numbers
    assert doc.date == "2020-03-06"
    assert doc.issuers == ["周村区人民政府"]


def test_zhoucun_measures_carry_the_figures_the_rules_need(parsed):
    by = {m.number: m for m in parsed["zhoucun-2020-8"].measures}
    m13_1 = by["13.1"].as_json()
    assert [x["yuan"] for x in m13_1["money"]] == [10_000_000, 5_000_000]
    assert [x["value"] for x in m13_1["percentages"]] == [20, 10]
    m14 = by["14"].as_json()
    assert [x["value"] for x in m14["percentages"]] == [50, 5.5, 20]
    m15 = by["15"].as_json()
    assert [x["yuan"] for x in m15["money"]] == [120]
    assert [x["date"] for x in m15["dates"]] == ["2020-02-04", "2020-05-03"]
    m18 = by["18"].as_json()
    assert [x["yuan"] for x in m18["money"]] == [500_000]
    assert by["14"].title == "加大稳岗返还"


def test_jinan_social_insurance_measure(parsed):
    by = {m.number: m for m in parsed["jinan-2020-opinions"].measures}
    m16 = by["16"].as_json()
    assert [(d["value"], d["unit"]) for d in m16["durations"]][:2] == [(5, "month"), (3, "month")]
    assert m16["dates"][0]["date"] == "2020-02-01"
    assert "social_insurance" in m16["topics"]
    assert parsed["jinan-2020-opinions"].date == "2020-03-02"


def test_news_figures(parsed):
    dezhou = parsed["dezhou-press-13"].as_json()["quantities"]
    by_text = {(f["text"], f["what"]) for f in dezhou}
    assert ("141家", "企业") in by_text
    assert ("431个", "物流运输问题") in by_text
    assert any(f["text"] == "8批次" for f in dezhou)
    assert any(f["value"] == 299500 and f["unit"] == "管" for f in dezhou)
    assert any(f.get("region") == "禹城市" and f["value"] == 35 for f in dezhou)
    zibo = parsed["zibo-2020-forum"].as_json()["quantities"]
    assert any(f["value"] == 45 and f["unit"] == "款" for f in zibo)
    assert any(f["value"] == 3 and f["unit"] == "大类" for f in zibo)
    assert [f["day"] for f in zibo if f.get("day")] == ["20日", "21日", "22日"]


def test_traditional_seed_comes_out_simplified_without_pinyin(parsed):
    doc = parsed["dezhou-press-13"]
    assert "统筹疫情防控和经济运行" in doc.title
    assert not re.search(r"\((?:tǒng|chóu|jì|xiàn)\)", doc.text)
    assert "統" not in doc.text and "經" not in doc.text
    assert doc.warnings  # the stray '?' of the bad conversion are flagged


def test_boilerplate_is_gone_from_web_seeds(parsed):
    for slug in ("jinan-2020-opinions", "zibo-2020-opinions", "dezhou-press-13"):
        text = parsed[slug].text
        for word in ("责任编辑", "扫码带走", "大字体", "版权与免责声明", "首页"):
            assert word not in text


def test_offset_map_shows_each_measure_in_its_source(parsed):
    from tongchou.policies.parsing.offsets import to_original

    doc = parsed["dezhou-press-13"]
    raw = doc.original
    pos = doc.text.index("统筹疫情防控")
    assert raw[to_original(doc.offset_runs, pos)] == "統"
    zc = parsed["zhoucun-2020-8"]
    for m in zc.measures:
        o = to_original(zc.offset_runs, m.start)
        assert zc.original[o] == m.text[0]
