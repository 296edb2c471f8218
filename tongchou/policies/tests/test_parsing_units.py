"""Responsibility blocks in every form: lead and supporting units kept apart, notes not split."""

import pytest

from tongchou.policies.parsing.units import normalise_units, responsibilities


@pytest.mark.parametrize(
    ("text", "persons", "lead", "supporting"),
    [
        (
            "做好工作。（责任人：路德芝、耿峰；牵头单位：区发展改革局、区交通运输局）",
            ["路德芝", "耿峰"],
            ["区发展改革局", "区交通运输局"],
            [],
        ),
        ("做好工作。（市商务局牵头，市财政局配合）", [], ["市商务局"], ["市财政局"]),
        (
            "做好工作。（市金融监管局牵头，人行某市中心支行、某银保监分局配合）",
            [],
            ["市金融监管局"],
            ["人行某市中心支行", "某银保监分局"],
        ),
        (
            "做好工作。（市发展改革委牵头负责，市财政局、市税务局按职责分工负责）",
            [],
            ["市发展改革委"],
            ["市财政局", "市税务局"],
        ),
        ("做好工作。（市发展改革委、市财政局分工负责）", [], ["市发展改革委", "市财政局"], []),
        ("做好工作。（市工业和信息化局负责）", [], ["市工业和信息化局"], []),
        ("做好工作。\n【责任单位：县税务局、县财政局】", [], ["县税务局", "县财政局"], []),
        (
            "做好工作。【牵头单位：市发改委】【配合单位：市自然资源局、市住建局】",
            [],
            ["市发改委"],
            ["市自然资源局", "市住建局"],
        ),
        (
            "做好工作。（牵头单位：市国资委；配合单位：市财政局、各县（市、区）人民政府）",
            [],
            ["市国资委"],
            ["市财政局", "各县（市、区）人民政府"],
        ),
        (
            "协调解决困难（责任单位：市工信局、市发改委），确保复工率达到80%。",
            [],
            ["市工信局", "市发改委"],
            [],
        ),
        ("给予补贴。责任单位：市人社局、市财政局。", [], ["市人社局", "市财政局"], []),
        ("给予补贴。\n牵头单位：市文旅局；配合单位：市财政局", [], ["市文旅局"], ["市财政局"]),
        (
            "推行网上办理。（责任单位：市行政服务中心管委会（牵头）、市直有关部门）",
            [],
            ["市行政服务中心管委会"],
            ["市直有关部门"],
        ),
        ("做好工作。（责任领导：张三；责任部门：市财政局）", ["张三"], ["市财政局"], []),
        ("做好工作，无责任说明。", [], [], []),
        ("对企业给予补助（由企业所在地财政负担），按季度拨付。", [], [], []),
    ],
)
def test_responsibility_forms(text, persons, lead, supporting):
    r = responsibilities(text)
    assert (r.persons, r.lead, r.supporting) == (persons, lead, supporting)


def test_a_note_after_the_units_is_not_split_into_units():
    text = (
        "建立调度机制。（责任单位：市发改委、市工信局等有关部门，各县区政府。"
        "以下各条均由各县区政府负责落实，不再逐条列出）"
    )
    r = responsibilities(text)
    assert r.lead == ["市发改委", "市工信局", "各县区政府"]


def test_an_instruction_keeps_the_organisation_it_starts_with():
    r = responsibilities("做好工作。（责任单位：市财政局，各县区政府按属地落实）")
    assert r.lead == ["市财政局", "各县区政府"]


def test_names_joined_by_he_are_split_only_between_two_organisations():
    r = responsibilities("做好工作。（责任单位：市财政局和市税务局、市发展和改革委员会）")
    assert r.lead == ["市财政局", "市税务局", "市发展和改革委员会"]


def test_units_are_normalised_against_a_departments_table_and_kept_verbatim_otherwise():
    table = {"区人社局": "周村区人力资源和社会保障局", "区财政局": "周村区财政局"}
    assert normalise_units(["区人社局", "区财政局", "周村供电中心"], table) == [
        "周村区人力资源和社会保障局",
        "周村区财政局",
        "周村供电中心",
    ]
    assert normalise_units(["区人社局"], None) == ["区人社局"]
