"""One item the parser cannot read never costs the whole document: it is kept, flagged 需核对 with the reason,
for the coordinator to complete in the task editor. Only a document without any task is refused."""

import pytest

from ecotarget.plandoc import PlanParseError, parse_text

from .helpers import units

HEAD = "溪口县2025年度生态环境保护目标责任分解方案\n"


def test_a_file_cut_off_inside_a_unit_name_keeps_the_whole_names_and_flags_the_item():
    plan = parse_text(
        HEAD
        + "1.推进餐厨垃圾集中收运。责任单位:县城管局\n"
        + "2.完成渔船污水收集设施配备。责任单位:县海洋渔业局、县港航中心、溪口镇、县交通运"
    )
    last = plan.tasks[-1]
    assert units(last) == [("海洋渔业局", "lead"), ("港航中心", "co"), ("溪口镇", "co")]
    assert last.review_reasons == ["文件在此任务处中断：单位名称“交通运”不完整，未导入"]
    assert plan.flagged == [last]


def test_a_file_cut_off_in_the_middle_of_a_task_keeps_it_flagged_without_units():
    plan = parse_text(HEAD + "1.推进餐厨垃圾集中收运。责任单位:县城管局\n2.完成渔船污水收集设施配备,年底前实现")
    last = plan.tasks[-1]
    assert (last.number, last.text, last.units) == (2, "完成渔船污水收集设施配备,年底前实现", [])
    assert "未标注责任单位：请在任务编辑页指定牵头单位" in last.review_reasons
    assert "文件在此任务处中断：内容可能不完整" in last.review_reasons


def test_an_item_whose_units_are_words_not_units_is_kept_without_them_and_flagged():
    plan = parse_text(
        HEAD
        + "1.推进餐厨垃圾集中收运。责任单位:县城管局\n"
        + "2.开展入河排污口排查。责任单位:另行通知\n"
        + "3.建设智慧监控平台。责任单位:县大数据中心\n"
    )
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    assert plan.tasks[1].units == []
    assert plan.tasks[1].review_reasons[0] == "“另行通知”不像单位名称，未导入：请核对"
    assert plan.flagged == [plan.tasks[1]]


def test_the_items_around_a_flagged_one_are_read_as_usual():
    plan = parse_text(
        HEAD
        + "一、蓝天\n1.淘汰老旧柴油货车。责任单位:县公安局、县交通运输局\n"
        + "2.开展秸秆禁烧巡查。\n"
        + "3.加油站油气回收检测。责任单位:县商务局\n"
    )
    assert [(t.number, bool(t.review_reasons)) for t in plan.tasks] == [(1, False), (2, True), (3, False)]
    assert units(plan.tasks[0]) == [("公安局", "lead"), ("交通运输局", "co")]


def test_only_a_document_with_no_task_at_all_is_refused():
    with pytest.raises(PlanParseError, match="未找到编号任务"):
        parse_text("溪口县2025年生态环境工作总结\n今年全县空气质量持续向好。\n")


def test_a_document_whose_units_are_only_subjects_of_sentences_is_still_refused():
    with pytest.raises(PlanParseError, match="no responsibility labels found"):
        parse_text(HEAD + "1.县城管局要推进餐厨垃圾收运。\n2.县公安局加强柴油货车路检。\n")


def test_a_file_cut_off_inside_a_bracketed_group_still_reads_the_whole_names_before_the_cut():
    plan = parse_text(
        HEAD + "1.推进餐厨垃圾集中收运。(责任单位:县城管局)\n2.完成渔船污水收集设施配备。(责任单位:县海洋渔业局、县港航"
    )
    last = plan.tasks[-1]
    assert last.text == "完成渔船污水收集设施配备。"
    assert units(last) == [("海洋渔业局", "lead")]
    assert last.review_reasons == ["文件在此任务处中断：单位名称“港航”不完整，未导入"]
