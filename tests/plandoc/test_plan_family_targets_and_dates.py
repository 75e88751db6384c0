"""Targets and deadlines as other counties and cities write them."""

from decimal import Decimal

import pytest

from ecotarget.plandoc.deadlines import extract_deadlines
from ecotarget.plandoc.targets import extract_targets


def read(text: str) -> list[tuple]:
    return [(t.metric, t.op, t.value, t.measure_unit, t.baseline, t.reduction) for t in extract_targets(text, 2023)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("劣V类水体比例下降到5%以下", ("劣V类水体比例", "<=", Decimal(5), "%", None, False)),
        ("二氧化碳排放量控制在100万吨以内", ("二氧化碳排放量", "<=", Decimal(100), "万吨", None, False)),
        ("新建空气质量监测站点不少于3个", ("新建空气质量监测站点", ">=", Decimal(3), "个", None, False)),
        ("90%以上的乡镇完成整治", ("乡镇完成整治比例", ">=", Decimal(90), "%", None, False)),
        ("确保完成80%以上的年度任务", ("年度任务完成比例", ">=", Decimal(80), "%", None, False)),
        ("化肥使用量同比下降5%", ("化肥使用量", ">=", Decimal(5), "%", "previous_year", True)),
        ("单位GDP二氧化碳排放较2020年下降13.5%", ("单位GDP二氧化碳排放", ">=", Decimal("13.5"), "%", None, True)),
    ],
)
def test_target_phrases(text, expected):
    assert read(text) == [expected]


def test_a_reduction_against_a_named_older_year_keeps_the_year_in_its_text():
    (target,) = extract_targets("单位GDP二氧化碳排放较2020年下降13.5%", 2023)
    assert target.baseline is None
    assert target.text == "单位GDP二氧化碳排放较2020年下降13.5%"


def test_a_share_that_only_scopes_what_follows_is_not_a_target():
    assert extract_targets("对覆盖率达到90%以上的乡镇给予奖励", 2023) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年6月30日前完成方案编制", [("2023-06-30", "完成方案编制")]),
        ("二季度末完成整治", [("2023-06-30", "完成整治")]),
        ("10月底前完成验收", [("2023-10-31", "完成验收")]),
        ("12月10日前报送年度总结", [("2023-12-10", "报送年度总结")]),
    ],
)
def test_deadline_phrases(text, expected):
    assert [(d.date.isoformat(), d.what) for d in extract_deadlines(text, 2023)] == expected


def test_a_recurring_deadline_is_described_by_its_occurrences_in_the_plan_year():
    found = extract_deadlines("每季度报送工作进展", 2023)
    assert [d.date.isoformat() for d in found] == ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"]
    assert {d.what for d in found} == {"报送工作进展"}
