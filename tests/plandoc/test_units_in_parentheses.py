"""Units written in parentheses at the end of a task, including a list rule stated once for all tasks (下同)."""

from ecotarget.plandoc import parse_text

from .helpers import units

PLAN = """南平市某某县2023年生态环境保护目标责任分工方案
一、大气污染防治
1.加强扬尘管控,城区PM2.5浓度不高于25微克/立方米。(责任单位:住建局、生态环境局;列第一位者为牵头单位,下同)
2.推进VOCs治理。（牵头单位：生态环境局，配合单位：工信局、开发区管委会）
二、水污染防治
3.加强饮用水源保护,6月30日前完成整治(责任单位:生态环境局、水利局,各乡镇人民政府)。
4.开展入河排污口排查【责任单位】生态环境局、水利局
"""


def test_a_parenthesised_label_is_taken_out_of_the_task_text():
    plan = parse_text(PLAN)
    assert plan.tasks[0].text == "加强扬尘管控,城区PM2.5浓度不高于25微克/立方米。"
    assert plan.tasks[2].text == "加强饮用水源保护,6月30日前完成整治。"


def test_the_list_rule_stated_once_is_not_a_unit_and_the_first_listed_leads_below_too():
    plan = parse_text(PLAN)
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("生态环境局", "co")]
    assert units(plan.tasks[2]) == [("生态环境局", "lead"), ("水利局", "co"), ("各乡(镇)", "co")]


def test_lead_and_co_units_in_one_parenthesis_with_full_width_punctuation():
    plan = parse_text(PLAN)
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("工信局", "co"), ("开发区管委会", "co")]


def test_a_bracketed_label_word_works_like_a_colon():
    plan = parse_text(PLAN)
    assert units(plan.tasks[3]) == [("生态环境局", "lead"), ("水利局", "co")]


def test_half_width_parentheses_and_semicolons_read_like_full_width_ones():
    half = parse_text("1.加强管控。(牵头单位:生态环境局;配合单位:公安局、交通局)\n2.推进治理。(责任单位:住建局)")
    full = parse_text(
        "1.加强管控。（牵头单位：生态环境局；配合单位：公安局、交通局）\n2.推进治理。（责任单位：住建局）"
    )
    assert half.to_dict() == full.to_dict()
    assert units(half.tasks[0]) == [("生态环境局", "lead"), ("公安局", "co"), ("交通局", "co")]


def test_parentheses_that_are_not_labels_stay_in_the_text():
    plan = parse_text("1.完成(含各县(市、区))整治任务(二期)。(责任单位:生态环境局)")
    assert plan.tasks[0].text == "完成(含各县(市、区))整治任务(二期)。"
    assert units(plan.tasks[0]) == [("生态环境局", "lead")]


def test_after_the_rule_is_stated_a_bare_list_in_parentheses_is_the_units():
    plan = parse_text(
        "1.加强扬尘管控。(责任单位:住建局、生态环境局;列第一位者为牵头单位,下同)\n"
        "2.推进VOCs治理(含开发区)。(生态环境局、工信局)\n"
        "3.保护水源。(水利局)\n"
    )
    assert [t.text for t in plan.tasks] == ["加强扬尘管控。", "推进VOCs治理(含开发区)。", "保护水源。"]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("工信局", "co")]


def test_tasks_that_all_end_with_a_parenthesised_list_of_units_need_no_label_word():
    plan = parse_text(
        "1.加强扬尘管控。(住建局、生态环境局)\n2.推进VOCs治理。(生态环境局)\n3.保护水源。(水利局、各乡镇)\n"
    )
    assert units(plan.tasks[2]) == [("水利局", "lead"), ("各乡(镇)", "co")]


def test_a_parenthesis_that_only_qualifies_the_task_is_not_a_unit_list():
    plan = parse_text("1.加强扬尘管控(含开发区)。\n责任单位:住建局\n")
    assert plan.tasks[0].text == "加强扬尘管控(含开发区)。"
