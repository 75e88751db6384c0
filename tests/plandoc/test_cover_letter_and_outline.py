"""A city plan as usually published: a notice with its own numbered points, then the plan with goals,
sections, subsections, tasks and closing measures. Only the tasks are tasks."""

from datetime import date

import pytest

from ecotarget.plandoc import parse_text

from .helpers import targets, units

PLAN = """某某市人民政府办公室关于印发某某市2023年生态环境保护工作任务分工方案的通知
某政办〔2023〕21号
各县(市、区)人民政府,市直有关单位:
经市政府同意,现将《某某市2023年生态环境保护工作任务分工方案》印发给你们,请认真贯彻落实。
一、各地各部门要高度重视。
二、请于每季度末报送进展。
某某市人民政府办公室
2023年3月15日
某某市2023年生态环境保护工作任务分工方案
一、总体要求
以习近平新时代中国特色社会主义思想为指导,全面落实……
二、主要目标
到2023年底,全市PM2.5平均浓度控制在22微克/立方米以内,优良天数比例达到98%以上。
三、重点任务
(一)深入打好蓝天保卫战
1.推进工业源深度治理。完成15家企业VOCs综合治理。(牵头单位:市生态环境局;配合单位:市工信局,各县(市、区)人民政府。以下均需各县(市、区)人民政府落实,不再列出)
2.加强移动源污染防治,淘汰国三及以下排放标准柴油货车200辆。(牵头单位:市公安局、市生态环境局;配合单位:市交通运输局、商务局)
(二)深入打好碧水保卫战
3.国控断面水质优良比例达到100%,9月底前完成入河排污口整治。(牵头单位:市生态环境局;配合单位:市水利局)
四、保障措施
(一)加强组织领导。各地各部门要……
(二)强化督查考核。市委督查室、市政府督查室要……
"""


@pytest.fixture(scope="module")
def plan():
    return parse_text(PLAN)


def test_the_cover_letter_gives_the_metadata_and_its_numbered_points_are_not_sections(plan):
    meta = plan.meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.issued_on, meta.region) == (
        "某某市2023年生态环境保护工作任务分工方案",
        "某政办〔2023〕21号",
        "某某市人民政府办公室",
        date(2023, 3, 15),
        "某某市",
    )
    assert [s.title for s in plan.sections] == ["总体要求", "主要目标", "重点任务", "保障措施"]


def test_only_labelled_items_are_tasks_and_they_keep_their_section_and_subsection(plan):
    assert [(t.number, t.section, t.subsection) for t in plan.tasks] == [
        (1, "重点任务", "深入打好蓝天保卫战"),
        (2, "重点任务", "深入打好蓝天保卫战"),
        (3, "重点任务", "深入打好碧水保卫战"),
    ]
    assert [sub.title for sub in plan.sections[3].subsections] == ["加强组织领导", "强化督查考核"]


def test_a_remark_after_the_unit_list_is_not_a_unit(plan):
    assert units(plan.tasks[0]) == [("市生态环境局", "lead"), ("市工信局", "co"), ("各县(市、区)人民政府", "co")]


def test_two_lead_units_and_a_level_prefix_written_once(plan):
    assert units(plan.tasks[1])[:4] == [
        ("市公安局", "lead"),
        ("市生态环境局", "lead"),
        ("市交通运输局", "co"),
        ("市商务局", "co"),
    ]


def test_the_units_task_one_says_answer_for_every_later_task_are_added_to_them_with_that_rule_as_source(plan):
    rule = "规定：以下均需各县(市、区)人民政府落实,不再列出"
    for task in plan.tasks[1:]:
        added = task.units[-1]
        assert (added.name, added.role, added.source) == ("各县(市、区)人民政府", "co", rule)
    assert [u.source for u in plan.tasks[0].units] == ["标注“牵头单位”", "标注“配合单位”", "标注“配合单位”"]


def test_counts_targets_and_deadlines_of_the_tasks(plan):
    assert targets(plan.tasks[0]) == [("完成企业VOCs综合治理", ">=", "15", "家")]
    assert targets(plan.tasks[1]) == [("淘汰国三及以下排放标准柴油货车", ">=", "200", "辆")]
    assert [(d.date, d.what) for d in plan.tasks[2].deadlines] == [(date(2023, 9, 30), "完成入河排污口整治")]
