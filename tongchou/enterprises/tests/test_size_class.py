"""统计上大中小微型企业划分办法（2017）: every row, every bound, just below / at / just above."""

from decimal import Decimal

import pytest

from tongchou.core.errors import TongchouError
from tongchou.enterprises.size_class import ROWS, SizeClassError, classify, row_for_industry

INDUSTRY_FOR_ROW = {
    "agriculture": "A01",
    "industry": "C3562",
    "construction": "E47",
    "wholesale": "F51",
    "retail": "F52",
    "transport": "G54",
    "warehousing": "G592",
    "postal": "G60",
    "accommodation": "H61",
    "catering": "H62",
    "information_transmission": "I63",
    "software": "I65",
    "real_estate_development": "K7010",
    "property_management": "K7020",
    "leasing_business": "L72",
    "other": "M74",
}
LEVELS = ("large", "medium", "small")
NEXT_DOWN = {"large": "medium", "medium": "small", "small": "micro"}


def test_every_row_of_the_standard_has_a_test_industry():
    assert set(INDUSTRY_FOR_ROW) == set(ROWS)
    for key, code in INDUSTRY_FOR_ROW.items():
        assert row_for_industry(code).key == key


def _cases():
    for key, row in ROWS.items():
        for idx, level in enumerate(LEVELS):
            for ind in row.indicators:
                for delta, expected in ((-1, NEXT_DOWN[level]), (0, level), (1, level)):
                    values = {i: row.bounds[i][idx] for i in row.indicators}
                    values[ind] = row.bounds[ind][idx] + delta
                    yield pytest.param(key, values, expected, id=f"{key}-{level}-{ind}{delta:+d}")


@pytest.mark.parametrize("row_key,values,expected", list(_cases()))
def test_threshold(row_key, values, expected):
    result = classify(INDUSTRY_FOR_ROW[row_key], **values)
    assert result.size_class == expected
    assert result.row == ROWS[row_key].name


@pytest.mark.parametrize("row_key", [k for k, r in ROWS.items() if len(r.indicators) == 2])
def test_micro_needs_only_one_indicator_below_small(row_key):
    row = ROWS[row_key]
    first, second = row.indicators
    huge = {first: row.bounds[first][0] * 10, second: row.bounds[second][2] - 1}
    assert classify(INDUSTRY_FOR_ROW[row_key], **huge).size_class == "micro"


def test_large_needs_every_lower_bound():
    # 工业: 5000 employees but 1000万 revenue is small, not large
    assert classify("C17", employees=5000, revenue_wan=1000).size_class == "small"


@pytest.mark.parametrize(
    "code,kwargs,missing",
    [
        ("C17", {"employees": 10}, "营业收入（万元）"),
        ("E48", {"revenue_wan": 500}, "资产总额（万元）"),
        ("L72", {"employees": 50}, "资产总额（万元）"),
        ("M74", {"revenue_wan": 50}, "从业人员（人）"),
        ("K7010", {}, "营业收入（万元）、资产总额（万元）"),
    ],
)
def test_missing_input_is_an_error_naming_it(code, kwargs, missing):
    with pytest.raises(SizeClassError) as exc:
        classify(code, **kwargs)
    assert f"缺少{missing}" in exc.value.message
    assert isinstance(exc.value, TongchouError)


def test_extra_inputs_the_row_does_not_need_are_ignored():
    assert classify("M74", employees=5, revenue_wan=None, assets_wan=10**9).size_class == "micro"


@pytest.mark.parametrize(
    "code,fragment",
    [
        ("F", "批发和零售业需细化到大类"),
        ("K70", "房地产业需细化到中类"),
        ("G59", "G591 装卸搬运属交通运输业"),
        ("J66", "金融业"),
        ("P83", "教育"),
        ("Q84", "卫生"),
        ("S92", "公共管理"),
        ("X12", "门类字母与大类不符"),
        ("C99", "大类 99 不存在"),
        ("", "缺少行业代码"),
        ("C3-5", "格式不正确"),
    ],
)
def test_unusable_industry_codes_are_explained(code, fragment):
    with pytest.raises(SizeClassError) as exc:
        classify(code, employees=10, revenue_wan=10, assets_wan=10)
    assert fragment in exc.value.message


@pytest.mark.parametrize("code,row", [("G591", "交通运输业"), ("G5910", "交通运输业"), ("G5990", "仓储业"),
                                      ("Q85", "其他未列明行业"), ("K7040", "其他未列明行业"), ("c35", "工业"),
                                      ("3562", "工业"), ("B06", "工业"), ("D44", "工业"), ("I64", "信息传输业")])  # fmt: skip
def test_industry_codes_map_to_rows(code, row):
    assert row_for_industry(code).name == row


def test_decimal_and_string_inputs_are_accepted():
    assert classify("F52", employees="10", revenue_wan=Decimal("100.00")).size_class == "small"


@pytest.mark.parametrize("bad", ["-1", "abc", "nan"])
def test_bad_numbers_are_errors(bad):
    with pytest.raises(SizeClassError):
        classify("F52", employees=bad, revenue_wan=100)


def test_reason_explains_the_decision_in_chinese():
    r = classify("F52", employees=9, revenue_wan=50000)
    assert r.size_class == "micro"
    assert "从业人员（人）<10" in r.reason and "微型企业" in r.reason
