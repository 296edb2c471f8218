"""Amounts of money: every numeral form, ranges, rates, caps — and never a wrong value."""

import pytest

from tongchou.policies.parsing.money import extract_money, parse_numeral


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("1,500万", 15_000_000),
        ("1,234,567", 1_234_567),
        ("五百万", 5_000_000),
        ("二十亿", 2_000_000_000),
        ("一千二百万", 12_000_000),
        ("两千万", 20_000_000),
        ("一亿五千万", 150_000_000),
        ("5千万", 50_000_000),
        ("1.6万亿", 1_600_000_000_000),
        ("174.25亿", 17_425_000_000),
        ("1万5千", 15_000),
        ("十万", 100_000),
        ("一百零五", 105),
        ("壹佰万", 1_000_000),
        ("三千", 3_000),
    ],
)
def test_numerals_in_every_form(numeral, value):
    assert parse_numeral(numeral) == (value, False)


@pytest.mark.parametrize(
    "numeral",
    [
        "1，500万",  # full-width comma: 1,500万 or the list "1, 500万"?
        "1,50万",  # malformed grouping
        "一二万",  # colloquial 1–2万
        "三万五",  # colloquial 3.5万, not 30,005
        "1万5",
        "千万",  # no digit: vague
    ],
)
def test_numerals_that_cannot_be_read_for_certain_have_no_value(numeral):
    assert parse_numeral(numeral)[0] is None


def money(text):
    return [a.as_json() for a in extract_money(text)]


def test_thousands_separator_is_never_read_as_the_last_group():
    [m] = money("市级财政安排1,500万元专项资金")
    assert m["yuan"] == 15_000_000 and m["text"] == "1,500万元"


@pytest.mark.parametrize(
    ("text", "yuan", "words"),
    [
        ("安排五百万元资金", 5_000_000, "五百万元"),
        ("出资5千万元", 50_000_000, "5千万元"),
        ("设立二十亿元基金", 2_000_000_000, "二十亿元"),
        ("总规模1.6万亿元", 1_600_000_000_000, "1.6万亿元"),
        ("安排一千二百万元", 12_000_000, "一千二百万元"),
    ],
)
def test_chinese_and_mixed_numerals(text, yuan, words):
    [m] = money(text)
    assert (m["yuan"], m["text"]) == (yuan, words)
    assert "unsure" not in m


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("每户补贴1至3万元", 10_000, 30_000),
        ("补贴1-3万元", 10_000, 30_000),
        ("补贴1万元至3万元", 10_000, 30_000),
        ("给予每人800元至1500元补贴", 800, 1_500),
        ("补助五至十万元", 50_000, 100_000),
        ("奖励1-3千万元", 10_000_000, 30_000_000),
    ],
)
def test_ranges_keep_both_ends_and_yuan_is_the_upper_end(text, low, high):
    [m] = money(text)
    assert (m["low_yuan"], m["high_yuan"], m["yuan"]) == (low, high, high)


def test_a_range_whose_ends_disagree_is_unsure():
    [m] = money("补贴3-1万元")
    assert m["unsure"] is True and m["yuan"] is None


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("运费补贴0.8元/吨", "吨"),
        ("按100元/人/月补贴", "人/月"),
        ("每人每月1000元", "人/月"),
        ("每人每课时20元", "人/课时"),
        ("单户企业最高50万元", "户"),
        ("按单位缴费的50%给予补贴，最高2万元", None),
    ],
)
def test_per_unit_rates(text, per):
    [m] = money(text)
    assert m.get("per") == per


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("最高不超过500万元", "max"),
        ("不超过50万元", "max"),
        ("最高给予1000万元", "max"),
        ("500万元以下的企业", "max"),
        ("投资100万元以上的项目", "min"),
        ("不低于200亿元", "min"),
        ("投资超过500万元", "min"),
        ("500余万元", "min"),
        ("累计发放逾10亿元", "min"),
        ("投资近5亿元", "max"),
        ("安排5000万元", None),
    ],
)
def test_caps_and_floors(text, bound):
    [m] = money(text)
    assert m.get("bound") == bound


@pytest.mark.parametrize(
    "text",
    ["数百万元", "上千万元", "几十万元", "每万元贷款", "城乡二元结构", "一元化管理", "100万美元"],
)
def test_vague_amounts_and_words_are_not_money(text):
    assert money(text) == []


def test_full_width_comma_between_digit_groups_is_unsure_not_guessed():
    [m] = money("安排1，500万元风险补偿资金")
    assert m == {"yuan": None, "text": "1，500万元", "unsure": True}
