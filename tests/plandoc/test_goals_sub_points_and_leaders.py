"""What is not a task or a unit: a numbered 工作目标 section without units, "（1）" sub-points inside a task,
and 责任领导 (a person)."""

from ecotarget.plandoc import parse_text

from .helpers import units

PLAN = """某某县2023年生态环境保护目标任务分解方案
一、工作目标
1.空气质量优良天数比例达到97%以上。
2.PM2.5浓度控制在20微克/立方米以内。
二、重点任务
1.加强扬尘管控。
（1）城区工地落实“六个百分之百”。
（2）主要道路每日洒水两次。
责任单位:住建局
责任领导：张三
2.推进秸秆禁烧。
（1）加强巡查。
（2）加强宣传。
责任领导：李四
责任单位:生态环境局、各乡镇
"""


def test_numbered_goals_without_units_are_neither_tasks_nor_errors():
    plan = parse_text(PLAN)
    assert [s.title for s in plan.sections] == ["工作目标", "重点任务"]
    assert [(t.number, t.section) for t in plan.tasks] == [(1, "重点任务"), (2, "重点任务")]


def test_bracketed_numbers_under_a_task_are_sub_points_of_its_text():
    plan = parse_text(PLAN)
    assert plan.tasks[0].text == "加强扬尘管控。(1)城区工地落实“六个百分之百”。(2)主要道路每日洒水两次。"
    assert plan.tasks[1].text == "推进秸秆禁烧。(1)加强巡查。(2)加强宣传。"


def test_leaders_named_beside_the_units_are_not_units():
    plan = parse_text(PLAN)
    assert units(plan.tasks[0]) == [("住建局", "lead")]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("各乡(镇)", "co")]
    inline = parse_text("1.加强扬尘管控。责任单位:住建局;责任领导:张三\n2.保护水源。(责任单位:水利局,责任领导:王五)\n")
    assert [units(t) for t in inline.tasks] == [[("住建局", "lead")], [("水利局", "lead")]]
