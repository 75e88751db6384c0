"""Deadlines as dates of the plan's year, each with what is due."""

from datetime import date

import pytest

from ecotarget.plandoc.deadlines import extract_deadlines


def dates(text: str, year: int | None = 2022) -> list[tuple[str, str]]:
    return [(d.date.isoformat(), d.what) for d in extract_deadlines(text, year)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9月底前完成划定", [("2022-09-30", "完成划定")]),
        ("年底前完成整治", [("2022-12-31", "完成整治")]),
        ("6月30日前完成方案编制", [("2022-06-30", "完成方案编制")]),
        ("11月15日前报送", [("2022-11-15", "报送")]),
        ("上半年启动试点", [("2022-06-30", "启动试点")]),
        ("下半年完成验收", [("2022-12-31", "完成验收")]),
        ("三季度末完成验收", [("2022-09-30", "完成验收")]),
        ("第一季度完成排查", [("2022-03-31", "完成排查")]),
        ("二月底前完成", [("2022-02-28", "完成")]),
        ("10月前完成秋冬季方案", [("2022-09-30", "完成秋冬季方案")]),
        ("7月中旬前完成评估", [("2022-07-20", "完成评估")]),
        ("2023年6月底前完成", [("2023-06-30", "完成")]),
        ("完成整治任务(2023年6月底前)", [("2023-06-30", "完成整治任务")]),
        ("9月完成验收", [("2022-09-30", "完成验收")]),
        ("完成时限:2022年12月", [("2022-12-31", "")]),
        ("2022年12月31日前完成", [("2022-12-31", "完成")]),
        ("年内完成改造", [("2022-12-31", "完成改造")]),
    ],
)
def test_deadline_phrases_resolve_to_dates(text, expected):
    assert dates(text) == expected


def test_half_year_and_year_end_govern_the_same_clause():
    assert dates("半年和年终,县委和县政府将履行本责任书情况向市委和市政府书面报告,抄送市环保督察办。") == [
        ("2022-06-30", "县委和县政府将履行本责任书情况向市委和市政府书面报告"),
        ("2022-12-31", "县委和县政府将履行本责任书情况向市委和市政府书面报告"),
    ]


def test_several_deadlines_in_one_task_each_govern_their_own_clause():
    assert dates("加强保护,9月底前完成千人以下水源地划定,年底前完成整治。") == [
        ("2022-09-30", "完成千人以下水源地划定"),
        ("2022-12-31", "完成整治"),
    ]


def test_every_quarter_expands_to_the_four_quarter_ends():
    assert [d for d, _ in dates("每季度报送进展")] == ["2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"]


def test_without_a_plan_year_only_deadlines_with_a_written_year_are_kept():
    assert extract_deadlines("9月底前完成划定,2023年底前完成整治", None) == [
        extract_deadlines("2023年底前完成整治", None)[0]
    ]
    assert extract_deadlines("2023年底前完成整治", None)[0].date == date(2023, 12, 31)


def test_impossible_dates_are_ignored():
    assert dates("2月30日前完成") == []
