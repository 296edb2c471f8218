"""The shipped reference CSVs: complete, consistent, and covering what the seed documents name."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from tongchou.enterprises import refdata

DATA = Path(refdata.__file__).resolve().parent.parent
REGIONS = list(csv.DictReader((DATA / "regions" / "data" / "regions.csv").open(encoding="utf-8")))
DEPARTMENTS = list(csv.DictReader((DATA / "regions" / "data" / "departments.csv").open(encoding="utf-8")))
INDUSTRIES = list(csv.DictReader((DATA / "enterprises" / "data" / "industries.csv").open(encoding="utf-8")))
BY_CODE = {r["code"]: r for r in REGIONS}


def test_files_keep_exactly_the_columns_the_loader_reads():
    assert list(REGIONS[0]) == ["code", "name", "level", "parent_code", "pinyin"]
    assert list(DEPARTMENTS[0]) == ["region_code", "name", "short_name", "aliases"]
    assert list(INDUSTRIES[0]) == ["code", "name", "level", "parent_code"]


def test_shandong_and_its_16_cities():
    cities = [r for r in REGIONS if r["level"] == "city"]
    assert BY_CODE["370000"]["name"] == "山东省"
    assert len(cities) == 16 and all(r["parent_code"] == "370000" for r in cities)


@pytest.mark.parametrize(
    "city,count,must",
    [("370100", 12, {"370116": "莱芜区", "370117": "钢城区", "370115": "济阳区"}),
     ("370300", 8, {"370306": "周村区", "370303": "张店区", "370323": "沂源县"}),
     ("370400", 0, {}),
     ("371400", 11, {"371403": "陵城区", "371481": "乐陵市", "371482": "禹城市"})],
)  # fmt: skip
def test_county_level_divisions(city, count, must):
    counties = {r["code"]: r["name"] for r in REGIONS if r["parent_code"] == city}
    assert len(counties) == count
    for code, name in must.items():
        assert counties[code] == name


def test_zibo_has_its_88_towns_with_nine_digit_codes_under_their_county():
    towns = [r for r in REGIONS if r["level"] == "town"]
    assert len(towns) == 88
    for t in towns:
        assert re.fullmatch(r"3703\d{5}", t["code"]) and t["code"].startswith(t["parent_code"])
        assert t["name"].endswith(("镇", "街道"))
    zhoucun = {t["name"] for t in towns if t["parent_code"] == "370306"}
    assert {
        "丝绸路街道",
        "大街街道",
        "青年路街道",
        "永安街街道",
        "城北路街道",
        "北郊镇",
        "南郊镇",
        "王村镇",
        "萌水镇",
    } <= zhoucun


def test_tree_is_consistent_and_slugs_unique():
    assert len(BY_CODE) == len(REGIONS)
    for r in REGIONS:
        assert r["parent_code"] == "" or r["parent_code"] in BY_CODE
    assert len({r["pinyin"] for r in REGIONS}) == len(REGIONS)
    assert BY_CODE["370300"]["pinyin"] == "zibo" and BY_CODE["370306"]["pinyin"] == "zhoucun"


def test_gbt4754_sections_and_divisions_are_complete():
    levels = Counter(r["level"] for r in INDUSTRIES)
    assert levels["section"] == 20 and levels["division"] == 97
    codes = {r["code"] for r in INDUSTRIES}
    for r in INDUSTRIES:
        assert r["parent_code"] == "" or r["parent_code"] in codes
        assert r["code"].startswith(r["parent_code"])
    # the classes and groups the size standard needs
    assert {"K7010", "K7020", "G591", "G5910", "I65", "G59", "G60", "H61", "H62", "F51", "F52"} <= codes


def test_department_names_and_aliases_are_unique_per_region():
    for region in {d["region_code"] for d in DEPARTMENTS}:
        names = Counter()
        for d in DEPARTMENTS:
            if d["region_code"] == region:
                names.update({d["name"], *filter(None, d["aliases"].split("|"))})
        assert not [n for n, c in names.items() if c > 1]
        assert region in BY_CODE


def _zhoucun_names():
    out = set()
    for d in DEPARTMENTS:
        if d["region_code"] == "370306":
            out.update({d["name"], d["short_name"], *d["aliases"].split("|")})
    return out


def test_every_lead_unit_of_the_zhoucun_document_is_a_department():
    seed = next(Path(settings.SEEDS_DIR).glob("003_*.txt"), None)
    if seed is None:
        pytest.skip("seed documents not available")
    text = seed.read_text(encoding="utf-8")
    units = set()
    for m in re.finditer(r"牵头单位[:：]([^）)]*)", text):
        units.update(u.strip() for u in re.split(r"[、，,]", m.group(1)) if u.strip())
    units.discard("各有关部门")
    assert len(units) > 20
    assert units <= _zhoucun_names(), units - _zhoucun_names()


@pytest.mark.parametrize("region,alias", [("370300", "市工信局"), ("370300", "市工业和信息化局"), ("370100", "市人社局"),
                                          ("370300", "市疾控中心"), ("371400", "市工信局")])  # fmt: skip
def test_city_abbreviations_resolve(region, alias):
    assert any(
        alias in {d["name"], *d["aliases"].split("|")} for d in DEPARTMENTS if d["region_code"] == region
    )


def test_known_region_codes_for_uscc_are_six_digit():
    known = refdata.known_region_codes()
    assert "370306" in known and "370300" in known and "370306001" not in known
