"""Common problems: similar open appeals are grouped by shared key terms (pure)."""

from tongchou.appeals.similarity import group_similar


def test_same_checkpoint_groups_together_and_others_stay_apart():
    items = [
        (1, "货车在王村检查站被劝返，原料运不进来"),
        (2, "王村检查站不让我们的货车通行，请协调"),
        (3, "我公司车辆在王村检查站排队五个小时"),
        (4, "银行抽贷，资金周转困难"),
        (5, "小区药店口罩哄抬价格"),
    ]
    groups = group_similar(items)
    assert len(groups) == 1
    assert set(groups[0].members) == {1, 2, 3}
    assert "王村" in "".join(groups[0].key_terms)


def test_no_groups_for_unrelated_texts():
    items = [(1, "银行抽贷"), (2, "口罩涨价"), (3, "营业执照到期")]
    assert group_similar(items) == []


def test_empty_input():
    assert group_similar([]) == []
