"""Roles given by verbs instead of label words: "A和B负责,C、D配合", "X牵头,Y参与,Z负责落实"."""

from ecotarget.plandoc import parse_text

from .helpers import units

PLAN = """某某县2023年生态环境保护任务分工
(一)加强噪声管控,城区声环境质量达标率不低于90%。(生态环境局和公安局负责,住建局、交通局配合)
(二)推进工业固废综合利用,利用率提高到80%。(工信局牵头,生态环境局参与,各乡镇负责落实)
(三)推进住房和城乡建设领域节能。
责任单位:住房和城乡建设局牵头,发展和改革局、海洋与渔业局配合
(四)加强农田退水管理。(由农业农村局牵头,水利局协助)
"""


def test_units_that_are_responsible_by_verb_lead_and_the_others_cooperate():
    plan = parse_text(PLAN)
    assert units(plan.tasks[0]) == [
        ("生态环境局", "lead"),
        ("公安局", "lead"),
        ("住建局", "co"),
        ("交通局", "co"),
    ]


def test_when_someone_leads_by_verb_those_who_implement_are_co_units():
    plan = parse_text(PLAN)
    assert units(plan.tasks[1]) == [("工信局", "lead"), ("生态环境局", "co"), ("各乡(镇)", "co")]


def test_verbs_work_inside_a_label_line_and_names_containing_he_and_yu_stay_whole():
    plan = parse_text(PLAN)
    assert units(plan.tasks[2]) == [("住房和城乡建设局", "lead"), ("发展和改革局", "co"), ("海洋与渔业局", "co")]


def test_a_leading_you_is_not_part_of_the_name():
    plan = parse_text(PLAN)
    assert units(plan.tasks[3]) == [("农业农村局", "lead"), ("水利局", "co")]


def test_the_verb_parenthesis_is_removed_from_the_task_text():
    plan = parse_text(PLAN)
    assert plan.tasks[0].text == "加强噪声管控,城区声环境质量达标率不低于90%。"


def test_a_last_sentence_or_a_line_that_only_assigns_roles_is_a_label():
    plan = parse_text(
        """1.加强噪声管控。生态环境局和公安局负责,住建局、交通局配合。
2.推进固废利用。
工信局牵头,生态环境局参与,各乡镇负责落实
"""
    )
    assert [t.text for t in plan.tasks] == ["加强噪声管控。", "推进固废利用。"]
    assert units(plan.tasks[0]) == [("生态环境局", "lead"), ("公安局", "lead"), ("住建局", "co"), ("交通局", "co")]
    assert units(plan.tasks[1]) == [("工信局", "lead"), ("生态环境局", "co"), ("各乡(镇)", "co")]


def test_a_sentence_whose_subject_is_a_unit_is_not_a_label():
    plan = parse_text("1.加强管控。生态环境局要加强督导。\n责任单位:住建局\n")
    assert plan.tasks[0].text == "加强管控。生态环境局要加强督导。"
    assert units(plan.tasks[0]) == [("住建局", "lead")]
