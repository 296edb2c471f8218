"""Regions for every Chinese city and county: the national table and how names resolve."""

import csv

import pytest

from tongchou.policies.parsing import parse_text
from tongchou.policies.parsing.regions_table import DATA_DIR, divisions, find_regions, name_index


def test_the_national_table_is_complete():
    levels = [d.level for d in divisions().values()]
    assert levels.count("province") == 34
    assert levels.count("city") == 333
    assert levels.count("county") == 2847
    # every parent exists, and a county's code starts with its parent's significant prefix
    divs = divisions()
    for d in divs.values():
        if d.parent:
            parent = divs[d.parent]
            assert d.code.startswith(parent.short_code), d


def test_the_platform_regions_agree_with_the_national_table():
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] != "town":
                assert divisions()[row["code"]].name == row["name"]


def test_every_prefecture_level_city_resolves_by_its_full_name():
    for d in divisions().values():
        if d.level == "city":
            assert find_regions(f"{d.name}人民政府关于支持企业发展的通知")[0][2] == d.short_code


def test_every_county_whose_name_is_unique_resolves_by_its_full_name():
    index = name_index()
    checked = 0
    for d in divisions().values():
        if d.level == "county" and len(index[d.name]) == 1:
            assert find_regions(d.name + "人民政府")[0][2] == d.code
            checked += 1
    assert checked > 2500


@pytest.mark.parametrize(
    ("text", "context", "code"),
    [
        ("市中区人民政府", "乐山市", "511102"),
        ("市中区人民政府", "济南市", "370103"),
        ("朝阳区人民政府", "北京市", "110105"),
        ("朝阳区人民政府", "长春市", "220104"),
        ("鼓楼区人民政府", "福州市", "350102"),
    ],
)
def test_a_name_several_counties_share_is_resolved_by_the_city_in_context(text, context, code):
    assert find_regions(text, context)[0][2] == code


def test_a_shared_name_without_context_is_left_unresolved():
    assert find_regions("鼓楼区人民政府") == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("恩施州", "4228"),
        ("恩施土家族苗族自治州", "4228"),
        ("广西", "45"),
        ("内蒙古", "15"),
        ("石柱县", "500240"),
        ("仙桃市", "429004"),
        ("成都", "5101"),
        ("淄博", "3703"),
        ("海门市", "320614"),  # became 海门区 in 2020: documents of 2020 still say 海门市
        ("江干区", "330102"),  # merged into 上城区 in 2021
    ],
)
def test_short_autonomous_and_former_names(name, code):
    assert find_regions(name)[0][2] == code


@pytest.mark.parametrize("word", ["振兴", "平原", "复兴", "光明", "城关", "和平", "中山"])
def test_county_short_names_and_common_words_are_not_regions(word):
    assert find_regions(f"推进乡村{word}发展") == []


def test_a_county_document_gets_the_county_and_its_city_qualifies_local_issuers():
    text = (
        "周村区人民政府关于做好复工复产工作的通知\n"
        "各镇政府、街道办事处：\n"
        "1.加大稳岗返还。返还失业保险费的50%。\n"
        "2.减免房租。减免3个月房租。\n"
    )
    doc = parse_text(text)
    assert doc.region_code == "370306" and doc.issuers == ["周村区人民政府"]
    news = parse_text(
        "宜宾出台措施\n宜宾新闻网讯 近日，市委、市政府印发《关于稳就业的措施》，主要内容如下。\n"
        "1.稳岗返还。返还失业保险费的50%。\n2.减免房租。减免3个月房租。\n"
    )
    assert news.region_code == "5115" and news.issuers == ["宜宾市委", "宜宾市政府"]
