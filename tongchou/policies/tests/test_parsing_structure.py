"""Headings, measures and responsibilities on small synthetic documents."""

import pytest

from tongchou.policies.parsing import ParseError, parse_text
from tongchou.policies.parsing.structure import responsibilities

DOC = """周村区人民政府
印发关于做好复工复产工作的政策措施的通知

周政字〔2020〕8号

2020年3月6日

为贯彻《淄博市人民政府关于支持企业发展的通知》（淄政字〔2020〕15号）精神，制定以下措施。

一、确保经济平稳运行

1. 加强经济运行监测分析。建立健全调度机制。（责任人：张三、李四；牵头单位：区发展改革局、区工业和信息化局）

2. 降低中小企业运营成本。减免中小企业房租3个月。（责任人：张三；牵头单位：区财政局）

加大技术改造投资补助力度。按设备投资额的20%补贴，最高不超过1000万元。

（责任人：张三；责任单位：区工业和信息化局、区财政局）

延长合同履行期限。积极协调出资企业与中小企业协商。（责任人：李四；牵头单位：区国有资产保值增值服务中心）

（一）以政策落实为重点稳就业。

3. 加大稳岗返还。对不裁员或少裁员的参保企业，返还其上年度实际缴纳失业保险费的50%。

（责任人：王五；牵头单

位：区人力资源社会保障局）

4. 扶持创业带动就业。提前下达补助专项资金。

疫情期间给予运营补贴，补贴标准为减免租金总额的30%，最高不超过50万元。

(责任人:张三;牵头单位:区人力资源社会保障局)

各部门单位要强化统筹思维，坚决扛牢政治责任。
"""


@pytest.fixture(scope="module")
def doc():
    return parse_text(DOC, filename="x.txt")


def test_metadata_of_a_policy_document(doc):
    assert doc.title == "周村区人民政府印发关于做好复工复产工作的政策措施的通知"
    assert doc.doc_number == "周政字〔2020〕8号"
    assert doc.cited_doc_numbers == ["淄政字〔2020〕15号"]
    assert doc.date == "2020-03-06"
    assert doc.region_code == "370306"
    assert doc.issuers == ["周村区人民政府"]
    assert doc.kind == "policy"
    assert doc.slug == "zhoucun-2020-8"


def test_unnumbered_measures_under_one_number_are_numbered_13_1_style(doc):
    assert [m.number for m in doc.measures] == ["1", "2", "2.1", "2.2", "3", "4"]
    assert [m.id for m in doc.measures][2] == "zhoucun-2020-8/2.1"
    assert doc.measures[2].title == "加大技术改造投资补助力度"


def test_heading_path(doc):
    assert doc.measures[0].path == ["一、确保经济平稳运行"]
    assert doc.measures[4].path == ["一、确保经济平稳运行", "（一）以政策落实为重点稳就业"]


def test_responsibility_paragraph_on_its_own_line_belongs_to_the_measure(doc):
    m = doc.measures[2]
    assert m.responsible_persons == ["张三"]
    assert m.lead_units == ["区工业和信息化局", "区财政局"]
    assert doc.measures[4].lead_units == ["区人力资源社会保障局"]


def test_continuation_paragraph_stays_in_its_measure_and_closing_text_does_not(doc):
    m = doc.measures[5]
    assert "最高不超过50万元" in m.text
    assert "各部门单位" not in m.text
    assert [q.value for q in m.quantities if q.kind == "money"] == [500_000]


def test_measure_offsets_slice_the_normalised_text(doc):
    for m in doc.measures:
        assert doc.text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "persons", "units"),
    [
        (
            "做好工作。（责任人：路德芝、耿峰；牵头单位：区发展改革局、区交通运输局）",
            ["路德芝", "耿峰"],
            ["区发展改革局", "区交通运输局"],
        ),
        (
            "做好工作。（市发展改革委、市财政局、市人力资源社会保障局分工负责）",
            [],
            ["市发展改革委", "市财政局", "市人力资源社会保障局"],
        ),
        ("做好工作。（市商务局牵头，市财政局配合）", [], ["市商务局"]),
        ("做好工作。（市工业和信息化局负责）", [], ["市工业和信息化局"]),
        ("做好工作。（责任人：刘伟、各副区长；牵头单位：各有关部门）", ["刘伟", "各副区长"], ["各有关部门"]),
        ("做好工作，无责任说明。", [], []),
    ],
)
def test_responsibility_styles(text, persons, units):
    assert responsibilities(text) == (persons, units)


def test_news_report_has_no_measures_and_keeps_its_figures():
    text = (
        "德州市召开第十三场新闻发布会\n"
        "3月23日，德州市政府新闻办公室召开新闻发布会，通报最新进展情况。\n"
        "德州市现有本土确诊病例67例，其中禹城市35例、平原县21例、武城县11例。\n"
    )
    doc = parse_text(text, filename="press.txt")
    assert doc.kind == "news" and doc.measures == []
    assert doc.region_code == "3714"
    assert doc.issuers == ["德州市政府新闻办公室"]
    figures = doc.as_json()["quantities"]
    assert [(f["value"], f.get("region")) for f in figures if f["unit"] == "例"] == [
        (67, None),
        (35, "禹城市"),
        (21, "平原县"),
        (11, "武城县"),
    ]


@pytest.mark.parametrize("text", ["", "   \n\n", "hello world, no chinese at all", "只有一行"])
def test_text_without_structure_is_refused_in_chinese(text):
    with pytest.raises(ParseError) as exc:
        parse_text(text)
    assert exc.value.code == "no_structure"
    assert "无法识别文档结构" in exc.value.message


def test_default_slug_without_doc_number_comes_from_the_file_stem():
    text = "关于做好工作的通知\n各单位要做好工作，确保落实。\n第二段内容，继续说明。"
    assert parse_text(text, filename="My Notice 2020.txt").slug == "my-notice-2020"


def test_the_level_that_carries_responsibility_blocks_is_the_measure_level():
    text = (
        "某市支持企业的若干措施\n"
        "（一）加大金融支持。具体包括：\n"
        "（1）对受疫情影响的企业新增贷款给予贴息，贴息比例为50%；\n"
        "（2）对融资担保费给予补助，补助比例为担保费的30%以内。\n"
        "（责任单位：市财政局、市金融局）\n"
        "（二）减轻企业负担。具体包括：\n"
        "（1）对承租国有资产经营用房的企业免收2个月租金；\n"
        "（2）对缓缴社会保险费的企业免收滞纳金，期限不超过6个月。\n"
        "（责任单位：市国资委、市人社局）\n"
    )
    doc = parse_text(text)
    assert [m.number for m in doc.measures] == ["1", "2"]
    assert doc.measures[0].lead_units == ["市财政局", "市金融局"]
    assert "（2）对融资担保费" in doc.measures[0].text


def test_numbering_restarting_under_each_heading_gets_qualified_numbers():
    text = (
        "某市稳就业措施\n一、支持企业稳岗\n1.稳岗返还。返还失业保险费的50%。\n2.以工代训。每人每月补贴500元。\n"
        "二、拓宽就业渠道\n1.公益岗位。开发临时公益岗位。\n2.返乡创业。给予一次性创业补贴。\n"
    )
    doc = parse_text(text)
    assert [m.number for m in doc.measures] == ["1-1", "1-2", "2-1", "2-2"]
    assert [m.path for m in doc.measures][2] == ["二、拓宽就业渠道"]
