"""Units on lines of their own: 牵头单位 / 配合单位 / 责任单位 lines, and a label at the end of the task's line."""

from ecotarget.plandoc import parse_text

from .helpers import units

PLAN = """某某县2023年生态环境保护目标任务分解方案
1、完成秸秆禁烧巡查,全年不得出现秸秆焚烧火点。
牵头单位:农业农村局
配合单位:各乡(镇)人民政府、县公安局
2、推进农村生活污水治理,治理率达到60%以上。
责任单位:住建局、生态环境局
3、开展农村黑臭水体治理。
牵头单位：生态环境局
责任单位：住建局、水利局
责任领导：张某某
4、加强船舶污染防治。责任单位:交通局、海事处
5、推进河道保洁。
责任单位:水利局、河长办、
各乡(镇)人民政府
"""


def test_separate_lead_and_co_lines_give_the_roles_they_name():
    plan = parse_text(PLAN)
    assert units(plan.tasks[0]) == [("农业农村局", "lead"), ("各乡(镇)", "co"), ("公安局", "co")]


def test_a_responsibility_line_after_a_lead_line_lists_co_units():
    plan = parse_text(PLAN)
    assert units(plan.tasks[2]) == [("生态环境局", "lead"), ("住建局", "co"), ("水利局", "co")]


def test_leaders_named_as_people_are_not_units_and_not_task_text():
    plan = parse_text(PLAN)
    assert all("张某某" not in u.name for t in plan.tasks for u in t.units)
    assert "张某某" not in plan.tasks[2].text


def test_a_label_at_the_end_of_the_task_line_is_split_off():
    plan = parse_text(PLAN)
    assert plan.tasks[3].text == "加强船舶污染防治。"
    assert units(plan.tasks[3]) == [("交通局", "lead"), ("海事处", "co")]


def test_a_unit_list_wrapped_onto_the_next_line_continues():
    plan = parse_text(PLAN)
    assert units(plan.tasks[4]) == [("水利局", "lead"), ("河长办", "co"), ("各乡(镇)", "co")]


def test_numbering_with_an_ideographic_comma_reads_like_a_full_stop():
    plan = parse_text(PLAN)
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4, 5]
