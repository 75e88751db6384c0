"""A timeline row says what changed, in the page's words, and nothing about fields that were and stay empty."""

from ecotarget.plans.snapshots import readable_changes


def test_a_first_report_lists_what_it_says_and_not_its_blank_fields():
    changes = {
        "工作进展": [None, "已制定工作方案"],
        "存在问题": [None, ""],
        "指标当前值": [[], []],
        "状态": ["草稿", "已报送"],
    }

    assert readable_changes(changes) == [("工作进展", "", "已制定工作方案"), ("状态", "草稿", "已报送")]


def test_a_field_emptied_by_a_change_is_still_shown():
    assert readable_changes({"存在问题": ["资金未到位", ""]}) == [("存在问题", "资金未到位", "")]
