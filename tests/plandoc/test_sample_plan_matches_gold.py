"""The 将乐县 2022 plan (将政办〔2022〕13号) parses to the hand-checked gold file, entry for entry."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ecotarget.plandoc import parse_file
from ecotarget.samples import JIANGLE_2022_PLAN

from .helpers import targets, units

GOLD = Path(__file__).parent / "gold" / "jiangle-2022.json"


@pytest.fixture(scope="module")
def plan():
    return parse_file(JIANGLE_2022_PLAN)


def test_the_sample_parses_exactly_to_the_gold_file(plan):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    parsed = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    assert parsed["meta"] == gold["meta"]
    assert parsed["sections"] == gold["sections"]
    assert len(parsed["tasks"]) == len(gold["tasks"])
    for got, want in zip(parsed["tasks"], gold["tasks"], strict=True):
        assert got == want, f"task {want['number']}"


def test_the_sample_has_64_tasks_7_sections_and_3_subsections(plan):
    assert [t.number for t in plan.tasks] == list(range(1, 65))
    assert [s.number for s in plan.sections] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [(s.number, s.title) for s in plan.sections[0].subsections] == [
        ("一", "强化绿色管控"),
        ("二", "加快绿色转型"),
        ("三", "开展绿色创建"),
    ]
    assert all(not s.subsections for s in plan.sections[1:])


def test_tasks_1_to_13_sit_in_the_subsections_of_section_one_and_later_tasks_have_none(plan):
    assert {t.subsection for t in plan.tasks[:5]} == {"强化绿色管控"}
    assert {t.subsection for t in plan.tasks[5:10]} == {"加快绿色转型"}
    assert {t.subsection for t in plan.tasks[10:13]} == {"开展绿色创建"}
    assert {t.section for t in plan.tasks[:13]} == {"坚持绿色发展"}
    assert all(t.subsection is None for t in plan.tasks[13:])
    assert plan.tasks[63].section == "落实目标责任"


def test_metadata_comes_from_the_site_block_and_the_title(plan):
    meta = plan.meta
    assert meta.title == "将乐县2022年度党政领导生态环境保护目标责任书分解方案"
    assert meta.doc_number == "将政办〔2022〕13号"
    assert meta.issuer == "将乐县人民政府办公室"
    assert meta.issued_on == date(2022, 2, 22)
    assert meta.year == 2022
    assert meta.region == "将乐县"


def test_the_first_listed_unit_leads_and_townships_and_groups_are_normalised(plan):
    assert units(plan.tasks[0]) == [("生态环境局", "lead"), ("自然资源局", "co")]
    task16 = plan.tasks[15]
    assert [(u.name, u.kind, u.group) for u in task16.units] == [
        ("生态环境局", "department", None),
        ("公安局", "department", None),
        ("应急局", "department", None),
        ("古镛镇", "township", None),
        ("水南镇", "township", None),
        ("有关乡(镇)", "township_group", "relevant"),
    ]
    all_townships = plan.tasks[13].units[1]
    assert (all_townships.name, all_townships.kind, all_townships.group) == ("各乡(镇)", "township_group", "all")
    assert [u.name for u in plan.tasks[59].units][-2:] == ["万安镇", "古镛镇"]
    assert units(plan.tasks[62]) == [("县委宣传部", "lead"), ("生态环境局", "co")]


def test_paired_lists_give_one_target_per_subject(plan):
    assert targets(plan.tasks[14])[-2:] == [
        ("PM2.5浓度", "<=", "15", "微克/立方米"),
        ("PM10浓度", "<=", "29", "微克/立方米"),
    ]
    assert targets(plan.tasks[13])[-2:] == [
        ("乡镇级及以上集中式生活饮用水水源地水质达标率", ">=", "100", "%"),
        ("农村“千吨万人”集中式生活饮用水水源地水质达标率", ">=", "95", "%"),
    ]


def test_a_shared_reduction_gives_each_subject_the_same_relative_target(plan):
    pesticide, fertiliser = plan.tasks[30].targets
    for target, metric in ((pesticide, "农药使用量"), (fertiliser, "化肥使用量")):
        assert (target.metric, target.op, target.value, target.measure_unit) == (metric, ">=", Decimal(2), "%")
        assert target.reduction is True
        assert target.baseline == "previous_year"


def test_zero_tolerance_is_a_count_that_must_be_zero(plan):
    heavy = next(t for t in plan.tasks[14].targets if "重污染" in t.metric)
    class_v = next(t for t in plan.tasks[13].targets if "Ⅴ类" in t.metric)
    assert (heavy.op, heavy.value, heavy.measure_unit) == ("==", Decimal(0), "天")
    assert (class_v.op, class_v.value, class_v.measure_unit) == ("==", Decimal(0), "个")


def test_relative_targets_have_no_value_and_name_their_baseline(plan):
    good_days = plan.tasks[14].targets[0]
    assert (good_days.metric, good_days.op, good_days.value, good_days.baseline) == (
        "空气质量优良天数比例",
        ">",
        None,
        "three_year_average",
    )
    spending = plan.tasks[61].targets[0]
    assert (spending.op, spending.value, spending.baseline) == (">=", None, "previous_year")


def test_a_count_of_things_to_create_is_an_at_least_target(plan):
    assert ("增创中级版“绿盈乡村”", ">=", "8", "个") in targets(plan.tasks[32])


def test_scope_numbers_and_plan_names_are_not_targets(plan):
    for number in (1, 5, 24, 36, 40, 51, 58):  # 三线一单, 年度目标要求, 二级及以上, 10蒸吨/小时及以下, 三级, 二期
        assert plan.tasks[number - 1].targets == [], number


def test_deadlines_fall_in_the_plan_year_with_what_is_due(plan):
    assert [(d.date, d.what) for d in plan.tasks[31].deadlines] == [
        (date(2022, 9, 30), "完成千人以下水源地划定"),
        (date(2022, 12, 31), "完成整治"),
    ]
    assert [d.date for d in plan.tasks[63].deadlines] == [date(2022, 6, 30), date(2022, 12, 31)]
    assert sum(len(t.deadlines) for t in plan.tasks) == 4


def test_site_chrome_and_the_closing_paragraph_are_not_part_of_any_task(plan):
    assert "扫一扫" not in plan.tasks[-1].text
    assert all("请各责任部门" not in t.text and "索引号" not in t.text for t in plan.tasks)
    assert plan.tasks[61].text == "年度生态环境保护投入不低于上年水平。"  # not the 各部门应本着… paragraph above it
