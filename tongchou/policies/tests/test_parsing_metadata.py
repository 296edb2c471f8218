"""Titles, issuers, document numbers and dates from every layout a policy document comes in."""

import pytest

from tongchou.policies.parsing import parse_text

BODY = "1.减免房租。对中小企业免收2个月房租。\n2.贷款贴息。对新增贷款给予50%贴息。\n"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # red header, number, title, addressee
        (
            "成都市人民政府文件\n成府发〔2020〕3号\n成都市人民政府关于支持中小企业的若干措施\n各区（市）县政府：\n",
            "成都市人民政府关于支持中小企业的若干措施",
        ),
        # number first, then the title
        (
            "成府发〔2020〕3号\n成都市人民政府关于支持中小企业的若干措施\n各区（市）县政府：\n",
            "成都市人民政府关于支持中小企业的若干措施",
        ),
        # breadcrumbs, page date line and 上一篇 around the title
        (
            "首页 > 政务公开 > 文件\n上一篇：关于做好春节期间工作的通知\n成都市人民政府关于支持中小企业的若干措施\n"
            "2020-02-10 09:00 来源：成都市人民政府\n",
            "成都市人民政府关于支持中小企业的若干措施",
        ),
        # a title broken over two lines
        (
            "成都市人民政府关于应对疫情\n支持中小企业的若干措施\n各区（市）县政府：\n",
            "成都市人民政府关于应对疫情支持中小企业的若干措施",
        ),
        # an addressee line first is never the title
        ("各区（市）县政府，市政府各部门：\n成都市支持中小企业的若干措施\n", "成都市支持中小企业的若干措施"),
    ],
)
def test_the_title_is_the_real_title(head, title):
    doc = parse_text(head + BODY)
    assert doc.title == title
    assert doc.region_code == "5101"


@pytest.mark.parametrize(
    "line",
    [
        "成府发〔2020〕3号",
        "成府发[2020]3号",
        "成府发【2020】3号",
        "成府发（2020）3号",
        "（成府发〔2020〕3号）",
        "成府发〔2020〕第3号",
    ],
)
def test_the_documents_own_number_in_any_brackets(line):
    doc = parse_text(f"成都市人民政府关于支持中小企业的若干措施\n{line}\n" + BODY)
    assert doc.doc_number == "成府发〔2020〕3号"
    assert doc.cited_doc_numbers == []


def test_issuer_and_date_from_the_signature_block_at_the_end():
    doc = parse_text("关于支持中小企业的若干措施\n" + BODY + "成都市人民政府\n二〇二〇年二月十日\n")
    assert doc.issuers == ["成都市人民政府"] and doc.date == "2020-02-10"


def test_issuers_from_a_joint_title():
    doc = parse_text("中共大邑县委 大邑县人民政府关于推进企业复工复产的若干意见\n" + BODY)
    assert doc.issuers == ["中共大邑县委", "大邑县人民政府"]
    assert doc.region_code == "510129"


def test_a_page_metadata_block_gives_issuer_number_and_date_and_leaves_the_text():
    text = (
        "索引号：123/2020-001 主题分类：综合政务\n发文机关：成都市人民政府 成文日期：2020-02-09\n"
        "发文字号：成府发〔2020〕3号 发布日期：2020-02-10\n"
        "成都市人民政府关于支持中小企业的若干措施\n" + BODY
    )
    doc = parse_text(text)
    assert (doc.issuers, doc.doc_number, doc.date) == (["成都市人民政府"], "成府发〔2020〕3号", "2020-02-09")
    assert "索引号" not in doc.text and "发文机关" not in doc.text
