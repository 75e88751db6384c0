"""Rules stated once that apply to every later item ("下同"), and level prefixes written once in a list."""

import pytest

from ecotarget.plandoc import parse_text

from .helpers import units

CITY = "溪州市2025年度生态环境保护目标责任分工方案\n"


@pytest.mark.parametrize(
    "rule",
    [
        "责任单位中列第一位者为牵头单位,下同。",
        "排名第一的为牵头单位。",
        "各项任务责任部门中排在前位的为牵头部门。",
    ],
)
def test_lead_by_position_stated_once_gives_bare_lists_their_lead_and_names_the_rule(rule):
    plan = parse_text(
        CITY + rule + "\n1.推进港口岸电建设。(市交通运输局、市发改委、国网溪州供电公司)\n"
        "2.加强船舶污染防治。(市海事局、市交通运输局)\n"
    )
    assert units(plan.tasks[0]) == [("市交通运输局", "lead"), ("市发改委", "co"), ("国网溪州供电公司", "co")]
    assert units(plan.tasks[1]) == [("市海事局", "lead"), ("市交通运输局", "co")]
    stated = plan.tasks[0].units[0].source
    assert stated.endswith("为牵头单位") or stated.endswith("为牵头部门")
    assert stated.startswith("规定：")


def test_units_that_answer_for_every_later_item_are_added_to_each_with_the_rule_as_source():
    plan = parse_text(
        "溪口县2025年度生态环境保护目标责任分解方案\n"
        "以下各项均需各乡(镇)人民政府落实,不再列出。\n"
        "1.开展秸秆综合利用。责任单位:县农业农村局\n"
        "2.推进农村厕所改造。牵头单位:县农业农村局;配合单位:县卫健局\n"
    )
    for task in plan.tasks:
        added = task.units[-1]
        assert (added.name, added.role, added.kind) == ("各乡(镇)", "co", "township_group")
        assert added.source == "规定：以下各项均需各乡(镇)人民政府落实,不再列出"
    assert units(plan.tasks[1])[:2] == [("农业农村局", "lead"), ("卫健局", "co")]


def test_a_standing_rule_does_not_reach_back_to_items_before_it():
    plan = parse_text(
        "溪口县2025年度生态环境保护目标责任分解方案\n"
        "1.开展秸秆综合利用。责任单位:县农业农村局\n"
        "二、农村环境(以下各项均由各乡镇负责落实,不再列出)\n"
        "2.推进农村厕所改造。责任单位:县农业农村局\n"
    )
    assert units(plan.tasks[0]) == [("农业农村局", "lead")]
    assert units(plan.tasks[1]) == [("农业农村局", "lead"), ("各乡(镇)", "co")]


def test_a_level_prefix_written_once_distributes_over_departments_only():
    plan = parse_text(
        CITY + "1.推进农业面源污染治理。责任单位:市农业农村局、财政局、生态环境局、市政府办公室、团市委、"
        "东湖区、各有关区、县级市、城关镇\n"
    )
    assert [u.name for u in plan.tasks[0].units] == [
        "市农业农村局",
        "市财政局",
        "市生态环境局",
        "市政府办公室",
        "团市委",
        "东湖区",
        "各有关区、县级市",
        "城关镇",
    ]


def test_groups_keep_their_whole_name_and_an_etc_ends_the_list():
    plan = parse_text(
        CITY + "1.落实河湖长制。责任单位:各县(市、区)党委和人民政府、各设区市政府、各镇街区\n"
        "2.加强湿地保护。责任单位:市林业局、水利局等相关部门\n"
        "3.开展野生动物保护执法。责任单位:市公安局、市场监管局等有关单位\n"
    )
    assert [(u.name, u.kind) for u in plan.tasks[0].units] == [
        ("各县(市、区)党委和人民政府", "township_group"),
        ("各设区市政府", "township_group"),
        ("各镇街区", "township_group"),
    ]
    assert [u.name for u in plan.tasks[1].units] == ["市林业局", "市水利局"]
    assert [u.name for u in plan.tasks[2].units] == ["市公安局", "市市场监管局"]


def test_standing_units_named_as_the_responsible_units_of_every_item_below():
    plan = parse_text(
        "溪口县2025年度生态环境保护目标责任分解方案\n"
        "以下任务各乡(镇)人民政府均为责任单位,不再一一列出。\n"
        "1.开展秸秆综合利用。责任单位:县农业农村局\n"
    )
    assert units(plan.tasks[0]) == [("农业农村局", "lead"), ("各乡(镇)", "co")]
