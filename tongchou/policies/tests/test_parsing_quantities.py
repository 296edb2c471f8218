"""Quantities extracted from measure text."""

import pytest

from tongchou.policies.parsing.quantities import cn_int, extract


def kinds(text, kind, **kw):
    return [q for q in extract(text, **kw) if q.kind == kind]


@pytest.mark.parametrize(
    ("text", "yuan", "words"),
    [
        ("安排5000万元财政资金用于贴息", 50_000_000, "5000万元"),
        ("充分利用20亿元中小微企业贷款风险补偿资金池", 2_000_000_000, "20亿元"),
        ("按每人1000元标准给予一次性吸纳就业补贴", 1000, "每人1000元"),
        ("按10%给予补助、最高不超过500万元。", 5_000_000, "最高不超过500万元"),
        ("全力推进总投资174.25亿元的53个区第一批重点项目", 17_425_000_000, "总投资174.25亿元"),
        ("给予每人每月1000元的补助", 1000, "每人每月1000元"),
    ],
)
def test_money_in_yuan_with_the_original_words(text, yuan, words):
    [q] = kinds(text, "money")
    assert (q.value, q.text) == (yuan, words)


@pytest.mark.parametrize(
    ("text", "value", "words"),
    [
        ("返还其上年度实际缴纳失业保险费的 50%", 50, "50%"),
        ("低于去年同期至少0.5个百分点", 0.5, "0.5个百分点"),
    ],
)
def test_percentages(text, value, words):
    from tongchou.policies.parsing.normalise import normalise

    [q] = kinds(normalise(text).text, "percentage")
    assert (q.value, q.text) == (value, words)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("免征期限不超过5个月", 5, "month"),
        ("单笔业务可延长至15天", 15, "day"),
        ("贴息期限不超过1年", 1, "year"),
        ("到期后再延长一年", 1, "year"),
    ],
)
def test_durations(text, value, unit):
    [q] = kinds(text, "duration")
    assert (q.value, q.unit) == (value, unit)


def test_years_are_not_durations():
    assert kinds("2020年内完成", "duration") == []


def test_date_range_keeps_from_and_until_words():
    text = "职业介绍补贴政策自2020年2月4日起实施，有效期至2020年5月3日。"
    qs = kinds(text, "date")
    assert [(q.value, q.text) for q in qs] == [
        ("2020-02-04", "自2020年2月4日起"),
        ("2020-05-03", "有效期至2020年5月3日"),
    ]


def test_short_dates_take_the_year_of_the_document():
    [q] = kinds("对于享受的社会保险补贴2月4日后到期的", "date", default_year=2020)
    assert q.value == "2020-02-04"


@pytest.mark.parametrize(
    ("text", "value", "unit", "what"),
    [
        ("对265个市重大项目“一企一策”制定方案", 265, "个", "市重大项目"),
        ("对列入全省1268家重点联系服务企业的", 1268, "家", "重点联系服务企业"),
        ("梳理141家企业431个物流运输问题", 141, "家", "企业"),
        ("现有检测设备368套，", 368, "套", "检测设备"),
        ("全市核酸采样人员共计1.5万人，", 15000, "人", "核酸采样人员"),
    ],
)
def test_counts_with_what_they_count(text, value, unit, what):
    q = kinds(text, "count")[0]
    assert (q.value, q.unit, q.what) == (value, unit, what)


def test_case_counts_by_district_inherit_what_they_count():
    text = "德州市现有本土确诊病例67例，其中禹城市35例、平原县21例、武城县11例。"
    qs = kinds(text, "count")
    assert [(q.value, q.region) for q in qs] == [(67, None), (35, "禹城市"), (21, "平原县"), (11, "武城县")]
    assert all("本土确诊病例" in q.what for q in qs)


def test_case_counts_by_day():
    text = "每日新增病例已经连续3天控制在个位数（20日6例、21日7例、22日3例）。"
    qs = kinds(text, "count")
    assert [(q.day, q.value, q.what) for q in qs] == [
        ("20日", 6, "每日新增病例"),
        ("21日", 7, "每日新增病例"),
        ("22日", 3, "每日新增病例"),
    ]


@pytest.mark.parametrize(
    ("s", "n"), [("一", 1), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("12", 12), ("百", None)]
)
def test_small_chinese_numerals(s, n):
    assert cn_int(s) == n
