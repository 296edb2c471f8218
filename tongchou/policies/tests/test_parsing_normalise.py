"""Normalisation cases, one per trap seen in real documents."""

import pytest

from tongchou.policies.parsing.normalise import is_pinyin_syllable, normalise
from tongchou.policies.parsing.offsets import to_original


def norm(text: str) -> str:
    return normalise(text).text


def test_traditional_with_tone_marked_pinyin_comes_out_simplified_and_clean():
    src = "德州市召開統(tǒng)籌疫情防控和經(jīng)濟(jì)運(yùn)行工作新聞發(fā)布會，通報最新進(jìn)展情況。"
    assert norm(src) == "德州市召开统筹疫情防控和经济运行工作新闻发布会，通报最新进展情况。"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("做好疫(yi)情防控工作，稳定生产。", "做好疫情防控工作，稳定生产。"),
        ("堅(jian)(jian)持不懈，抓好落实。", "坚持不懈，抓好落实。"),
        ("统(tong3)筹推进，全面落实。", "统筹推进，全面落实。"),
        ("加强（zhǎng）管理，全面落实。", "加强管理，全面落实。"),
    ],
)
def test_inline_pinyin_annotations_are_removed(src, expected):
    assert norm(src) == expected


@pytest.mark.parametrize(
    "src",
    [
        "（一）以政策落实为重点稳就业。",
        "各项工作落实到位。（责任人：路德芝；牵头单位：区人力资源社会保障局）",
        "市级示范基地（园区）补贴资金从专项资金中列支。",
        "吸引更多风险投资(VC)机构，加快发展。",
    ],
)
def test_real_parentheses_are_kept(src):
    out = norm(src)
    assert "（" in out and "）" in out
    assert out.replace("（", "(").replace("）", ")").count("(") == src.replace("（", "(").replace(
        "）", ")"
    ).count("(")


def test_pinyin_syllable_check_refuses_english_words():
    assert is_pinyin_syllable("tǒng") and is_pinyin_syllable("jian") and is_pinyin_syllable("yi")
    assert not is_pinyin_syllable("pdf") and not is_pinyin_syllable("xyz")


def test_stray_question_marks_from_bad_conversion_are_flagged_but_real_questions_are_not():
    result = normalise("現有確診病例11例?,F有無癥狀感染者。\n这些措施主要涉及哪些方面?\n")
    assert [w["code"] for w in result.warnings] == ["stray_question_mark"]
    assert "哪些方面？" in result.text


def test_page_broken_words_and_sentences_are_rejoined():
    src = "26.加强使用。增加区中小企业应急转贷资金\n\n3000 万元，规模扩大到 1 亿元。（责任人：路德芝；牵头单\n\n位：区地方金融监管局）\n"
    assert (
        norm(src)
        == "26.加强使用。增加区中小企业应急转贷资金3000万元，规模扩大到1亿元。（责任人：路德芝；牵头单位：区地方金融监管局）"
    )


def test_titles_and_headings_without_punctuation_are_not_joined():
    src = "周村区人民政府\n\n2020年3月6日\n\n一、确保经济平稳运行\n\n1. 加强经济运行监测分析。"
    assert norm(src).split("\n") == [
        "周村区人民政府",
        "2020年3月6日",
        "一、确保经济平稳运行",
        "1.加强经济运行监测分析。",
    ]


def test_half_width_punctuation_and_full_width_digits_are_normalised():
    assert norm("(责任人:路德芝;牵头单位:区财政局)资金１２３万元，增长５０％") == (
        "（责任人：路德芝；牵头单位：区财政局）资金123万元，增长50%"
    )


@pytest.mark.parametrize(
    "line",
    [
        "首页 > 济南频道 > 时政 > 正文",
        "2020-03-02 16:39:00 来源:鲁网 大字体 小字体 扫码带走",
        "打印",
        "责任编辑:殷会丽",
        "扫描微信二维码",
        "记者|杨鸣宇 编辑|王琳",
        "分享到：微信 微博",
        "Copyright © 2020 淄博新闻网",
    ],
)
def test_web_boilerplate_lines_are_dropped(line):
    out = norm(f"{line}\n济南出台53条意见推进疫情防控和经济社会发展。\n")
    assert out == "济南出台53条意见推进疫情防控和经济社会发展。"


def test_copyright_notice_and_everything_after_it_is_dropped():
    out = norm(
        "正文第一段，内容。\n德州新闻网版权与免责声明:\n①凡本网注明“来源:德州新闻网”的所有作品，版权均属于德州新闻网。"
    )
    assert out == "正文第一段，内容。"


def test_offset_map_points_back_into_the_original():
    src = "首页 > 时政\n德州市召開統(tǒng)籌會議，\n\n確保落實。"
    result = normalise(src)
    pos = result.text.index("统筹")
    orig = to_original(result.runs, pos)
    assert src[orig] == "統"
    pos2 = result.text.index("确保")
    assert src[to_original(result.runs, pos2)] == "確"
