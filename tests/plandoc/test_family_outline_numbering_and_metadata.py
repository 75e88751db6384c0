"""The outline's levels, every numbering style, the document's own metadata, and script and punctuation."""

from datetime import date
from decimal import Decimal

import pytest

from ecotarget.plandoc import parse_text

from .helpers import units

HEAD = "溪口县2025年度生态环境保护目标责任分解方案\n"


def test_a_target_paragraph_stays_a_plan_level_goal_and_is_not_merged_into_the_task_below():
    plan = parse_text(
        HEAD + "一、大气污染防治\n"
        "目标任务:全县PM2.5年均浓度不高于24微克/立方米,2025年11月底前完成年度降尘任务。\n"
        "1.推进燃煤锅炉淘汰。责任单位:县市场监管局\n"
        "二、水污染防治\n"
        "(一)主要目标\n"
        "国控断面水质优良比例达到100%。\n"
        "(二)重点任务\n"
        "2.完成工业园区污水管网排查。责任单位:县工信局\n"
    )
    assert [t.text for t in plan.tasks] == ["推进燃煤锅炉淘汰。", "完成工业园区污水管网排查。"]
    assert all(not t.targets and not t.deadlines for t in plan.tasks)
    air, water = plan.goals
    assert (air.section, air.line) == ("大气污染防治", 3)
    assert [(t.metric, t.op, t.value) for t in air.targets] == [("全县PM2.5年均浓度", "<=", Decimal(24))]
    assert [d.date for d in air.deadlines] == [date(2025, 11, 30)]
    assert (water.section, water.subsection) == ("水污染防治", "主要目标")
    assert [(t.metric, t.value) for t in water.targets] == [("国控断面水质优良比例", Decimal(100))]


def test_a_heading_that_carries_a_target_keeps_it_as_a_goal():
    plan = parse_text(
        HEAD + "(一)深入打好碧水保卫战。全县小流域优良水质比例达到95%以上。\n1.开展河道垃圾清理。责任单位:县水利局\n"
    )
    assert plan.tasks[0].text == "开展河道垃圾清理。"
    assert [(t.metric, t.value) for t in plan.goals[0].targets] == [("全县小流域优良水质比例", Decimal(95))]


def test_numbered_notes_under_progress_are_not_tasks():
    plan = parse_text(
        HEAD + "一、重点任务\n1.整治砂石码头扬尘。责任单位:县交通运输局\n"
        "二、整改进展\n1.已完成3个码头围挡。\n2.已安装雾炮12台。\n"
        "三、其他\n工作进展:\n1.已约谈2家企业。\n"
    )
    assert [t.text for t in plan.tasks] == ["整治砂石码头扬尘。"]
    assert not plan.flagged


@pytest.mark.parametrize(
    "first,second",
    [("1.", "2."), ("1、", "2、"), ("(1)", "(2)"), ("(一)", "(二)"), ("措施一:", "措施二:"), ("第一条", "第二条")],
)
def test_every_numbering_style_numbers_the_tasks(first, second):
    plan = parse_text(
        HEAD + f"{first}推进工业固废规范化管理。责任单位:县生态环境局\n{second}开展尾矿库隐患排查。责任单位:县应急局\n"
    )
    assert [(t.number, t.text) for t in plan.tasks] == [
        (1, "推进工业固废规范化管理。"),
        (2, "开展尾矿库隐患排查。"),
    ]


def test_numbering_restarting_in_each_section_is_renumbered_through_the_plan():
    plan = parse_text(
        HEAD + "一、水\n1.甲任务。责任单位:县水利局\n2.乙任务。责任单位:县住建局\n二、气\n1.丙任务。责任单位:县公安局\n"
    )
    assert [(t.number, t.label, t.section) for t in plan.tasks] == [(1, "1.", "水"), (2, "2.", "水"), (3, "1.", "气")]


def test_a_number_directly_followed_by_a_number_in_the_text_is_the_item_number():
    plan = parse_text(
        HEAD + "10.加强人才队伍建设。责任单位:县人社局\n11.121人才工程向环保领域倾斜。责任单位:县委人才办\n"
    )
    assert [(t.number, t.text) for t in plan.tasks] == [
        (10, "加强人才队伍建设。"),
        (11, "121人才工程向环保领域倾斜。"),
    ]


def test_items_in_a_body_without_any_line_break_and_with_roles_by_verbs():
    plan = parse_text(
        HEAD.strip() + "一、大气 1.推进工业炉窑深度治理(县工信局牵头,县生态环境局配合)。2.开展柴油货车路检路查"
        "(县公安局牵头,县交通运输局配合)。3.加强建筑工地扬尘管控(县住建局牵头)。"
    )
    assert [(t.number, units(t)[0]) for t in plan.tasks] == [
        (1, ("工信局", "lead")),
        (2, ("公安局", "lead")),
        (3, ("住建局", "lead")),
    ]


def test_metadata_comes_from_the_documents_own_head_and_end_never_from_what_it_cites():
    plan = parse_text(
        "溪口县人民政府办公室关于印发溪口县2025年度生态环境保护目标责任分解方案的通知\n"
        "溪政办〔2025〕9号\n"
        "根据《溪州市2025年度生态环境保护目标责任分解方案》(溪市政办〔2025〕3号)要求,制定本方案。\n"
        "1.加强扬尘管控。责任单位:县住建局\n"
        "溪口县人民政府办公室\n2025年3月18日\n"
    )
    meta = plan.meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.issued_on, meta.year, meta.region) == (
        "溪口县2025年度生态环境保护目标责任分解方案",
        "溪政办〔2025〕9号",
        "溪口县人民政府办公室",
        date(2025, 3, 18),
        2025,
        "溪口县",
    )


def test_a_document_that_only_cites_others_has_no_title_or_number_of_its_own():
    plan = parse_text(
        "根据《溪州市2025年度生态环境保护目标责任分解方案》(溪市政办〔2025〕3号)要求,结合实际,分解如下。\n"
        "1.加强扬尘管控。责任单位:县住建局\n"
    )
    assert (plan.meta.title, plan.meta.doc_number, plan.meta.region) == ("", "", "")


def test_traditional_script_and_either_width_of_punctuation_read_the_same():
    simplified = HEAD + "1.加强扬尘管控。(牵头单位:县住建局;配合单位:县交通运输局、溪口镇)\n"
    traditional = (
        "溪口縣2025年度生態環境保護目標責任分解方案\n"
        "1.加強揚塵管控。（牽頭單位：縣住建局；配合單位：縣交通運輸局、溪口鎮）\n"
    )
    half_width = HEAD + "1.加强扬尘管控. (牵头单位: 县住建局; 配合单位: 县交通运输局, 溪口镇)\n"
    expected = [("住建局", "lead"), ("交通运输局", "co"), ("溪口镇", "co")]
    for text in (simplified, traditional, half_width):
        assert units(parse_text(text).tasks[0]) == expected, text


def test_numbered_targets_without_units_under_a_goals_heading_are_plan_level_goals():
    plan = parse_text(
        HEAD + "一、主要目标\n1.全县空气质量优良天数比例达到98%以上。\n2.国控断面水质优良比例保持100%。\n"
        "二、重点任务\n1.推进燃煤锅炉淘汰。责任单位:县市场监管局\n"
    )
    assert [t.text for t in plan.tasks] == ["推进燃煤锅炉淘汰。"]
    assert [(g.section, [(t.metric, t.value) for t in g.targets]) for g in plan.goals] == [
        ("主要目标", [("全县空气质量优良天数比例", Decimal(98))]),
        ("主要目标", [("国控断面水质优良比例", Decimal(100))]),
    ]


def test_sub_points_that_carry_their_own_units_stay_in_their_tasks_text():
    plan = parse_text(
        HEAD + "一、大气污染防治\n1.深化工业污染治理。\n(1)完成钢铁企业超低排放改造。责任单位:县工信局\n"
        "(2)推进VOCs综合治理,6月底前完成排查。责任单位:县生态环境局\n2.加强扬尘管控。责任单位:县住建局\n"
        "3.整治餐饮油烟。责任单位:县城管局\n"
    )
    first = plan.tasks[0]
    assert first.text == "深化工业污染治理。(1)完成钢铁企业超低排放改造。(2)推进VOCs综合治理,6月底前完成排查。"
    assert units(first) == [("工信局", "lead"), ("生态环境局", "co")]
    assert [d.date for d in first.deadlines] == [date(2025, 6, 30)]
    assert [t.number for t in plan.tasks] == [1, 2, 3]


def test_an_item_at_a_headings_level_with_units_of_its_own_is_a_task_too():
    plan = parse_text(
        HEAD + "一、大气污染防治\n1.深化工业污染治理。\n(1)完成钢铁企业超低排放改造。责任单位:县工信局\n"
        "(2)推进VOCs综合治理。责任单位:县生态环境局\n2.加强扬尘管控。责任单位:县住建局\n"
    )
    assert [(t.number, t.label, t.text, units(t)) for t in plan.tasks] == [
        (1, "(1)", "完成钢铁企业超低排放改造。", [("工信局", "lead")]),
        (2, "(2)", "推进VOCs综合治理。", [("生态环境局", "lead")]),
        (3, "2.", "加强扬尘管控。", [("住建局", "lead")]),
    ]
    assert not plan.flagged
