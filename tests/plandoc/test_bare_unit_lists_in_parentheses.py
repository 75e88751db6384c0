"""A trailing parenthesis of unit names with no label word and no "下同" rule gives one task its units, when
every name in it is clearly a unit; parentheses that qualify the task stay in its text."""

from ecotarget.plandoc import parse_text

from .helpers import units


def test_one_task_with_a_bare_list_of_departments_among_labelled_tasks():
    plan = parse_text(
        "某某县2023年任务分工\n"
        "1.加强扬尘管控。\n责任单位:住建局\n"
        "2.推进油烟治理(县生态环境局、县住建局)\n"
        "3.保护水源。\n责任单位:水利局\n"
    )
    assert plan.tasks[1].text == "推进油烟治理"
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("住建局", "co")]


def test_groups_and_offices_count_as_clear_units():
    plan = parse_text("1.加强宣传。(县委宣传部、县委办)\n2.推进禁烧。(各乡(镇))\n3.组织督查。\n责任单位:政府办\n")
    assert units(plan.tasks[0]) == [("县委宣传部", "lead"), ("县委办", "co")]
    assert units(plan.tasks[1]) == [("各乡(镇)", "lead")]


def test_parentheses_that_qualify_the_task_are_not_units():
    plan = parse_text(
        "1.加强扬尘管控(含开发区)。\n责任单位:住建局\n"
        "2.完成污水处理厂建设(二期)。\n责任单位:水利局\n"
        "3.推进试点(中心城区)。\n责任单位:生态环境局\n"
    )
    assert [t.text for t in plan.tasks] == [
        "加强扬尘管控(含开发区)。",
        "完成污水处理厂建设(二期)。",
        "推进试点(中心城区)。",
    ]


def test_a_bare_list_does_not_add_to_a_task_that_has_a_label():
    plan = parse_text("1.推进油烟治理。(县生态环境局)\n责任单位:住建局\n")
    assert units(plan.tasks[0]) == [("住建局", "lead")]
