"""Pure router: keyword rules, aliases, measure texts, confidence and the labelled set."""

import pytest

from tongchou.appeals.routing import (
    CategoryProfile,
    DepartmentProfile,
    Router,
    default_categories,
    default_departments,
    evaluate,
    keyword_hits,
    labelled_appeals,
    normalise_department_name,
    should_auto_dispatch,
)


@pytest.fixture(scope="module")
def router():
    return Router(default_departments(), default_categories())


def test_labelled_set_has_at_least_100_appeals_across_all_categories():
    rows = labelled_appeals()
    assert len(rows) >= 100
    assert {r["category"] for r in rows} == {c.code for c in default_categories()}
    names = {d.name for d in default_departments()}
    assert {r["department"] for r in rows} <= names


def test_routing_accuracy_on_labelled_set_stays_high(router):
    report = evaluate(router, labelled_appeals())
    assert report["top1"] >= 0.85
    assert report["top3"] >= 0.95
    assert report["category"] >= 0.8


@pytest.mark.parametrize(
    ("text", "department", "category"),
    [
        ("货车在王村检查站被劝返，怎么办理通行证", "区交通运输局", "logistics"),
        ("银行要抽贷，请协调续贷", "区地方金融监管局", "financing"),
        ("稳岗返还什么时候到账", "区人力资源社会保障局", "social_insurance"),
        ("口罩一包卖100元，哄抬价格", "区市场监管局", "market"),
    ],
)
def test_route_picks_department_and_category(router, text, department, category):
    result = router.route(text)
    assert result.candidates[0].department == department
    assert result.category == category
    assert len(result.candidates) >= 3


def test_unknown_text_falls_to_other_with_zero_confidence(router):
    result = router.route("你好")
    assert result.category == "other"
    assert result.confidence == 0.0
    assert result.best is None
    assert not should_auto_dispatch(result, threshold=0.5, min_score=1)


def test_measure_texts_route_when_no_keyword_matches():
    depts = [
        DepartmentProfile("甲局", measure_texts=("对受疫情影响的文旅企业给予奖励，支持古商城夜间经济",)),
        DepartmentProfile("乙局", measure_texts=("加快推进重点项目建设，落实项目审批绿色通道",)),
        DepartmentProfile("丙局"),
    ]
    router = Router(depts, [CategoryProfile("other", "其他")])
    result = router.route("古商城的夜间经济奖励怎么申请")
    assert result.candidates[0].department == "甲局"
    assert result.candidates[0].score > 0


def test_alias_mention_adds_bonus():
    depts = [DepartmentProfile("区人力资源社会保障局", aliases=("人社局",)), DepartmentProfile("区财政局")]
    result = Router(depts, []).route("人社局的电话打不通")
    assert result.candidates[0].department == "区人力资源社会保障局"
    assert result.confidence == 1.0


def test_contained_keyword_not_counted_twice():
    assert keyword_hits("出口退税太慢", {"退税": 3, "出口退税": 3}) == [("出口退税", 3)]


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("周村区人力资源社会保障局", "人力资源社会保障局"),
        ("区市场监管局", "市场监管局"),
        ("市场监管局", "市场监管局"),
        ("淄博市市场监管局", "市场监管局"),
    ],
)
def test_normalise_department_name(name, normal):
    assert normalise_department_name(name) == normal


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.59, True), (0.6, True), (0.61, False)],
)
def test_auto_dispatch_threshold(threshold, expected):
    depts = [
        DepartmentProfile("甲", keywords={"a1": 3}),
        DepartmentProfile("乙", keywords={"b1": 2}),
        DepartmentProfile("丙"),
    ]
    result = Router(depts, []).route("a1 b1")
    assert result.confidence == 0.6
    assert should_auto_dispatch(result, threshold=threshold, min_score=1) is expected
