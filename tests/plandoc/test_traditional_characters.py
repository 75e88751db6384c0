"""A plan in traditional characters reads as its simplified text does."""

from ecotarget.plandoc import parse_text

from .helpers import targets, units

TRADITIONAL = """某某縣2023年生態環境保護目標責任書分解方案
一、大氣污染防治
1.加強揚塵管控,城區PM2.5濃度不高於25微克/立方米,9月底前完成。
責任單位：住建局、生態環境局
2.推進鄉鎮污水處理,處理率達到85%以上。
責任單位：各鄉（鎮）人民政府、縣發改局
"""
SIMPLIFIED = """某某县2023年生态环境保护目标责任书分解方案
一、大气污染防治
1.加强扬尘管控,城区PM2.5浓度不高于25微克/立方米,9月底前完成。
责任单位:住建局、生态环境局
2.推进乡镇污水处理,处理率达到85%以上。
责任单位:各乡(镇)人民政府、县发改局
"""


def test_traditional_text_parses_to_the_same_plan_as_simplified():
    assert parse_text(TRADITIONAL).to_dict() == parse_text(SIMPLIFIED).to_dict()


def test_traditional_units_targets_and_titles_come_out_simplified():
    plan = parse_text(TRADITIONAL)
    assert plan.meta.title == "某某县2023年生态环境保护目标责任书分解方案"
    assert units(plan.tasks[1]) == [("各乡(镇)", "lead"), ("发改局", "co")]
    assert targets(plan.tasks[0]) == [("城区PM2.5浓度", "<=", "25", "微克/立方米")]


def test_a_simplified_text_with_a_stray_traditional_character_is_left_alone():
    plan = parse_text("1.推进乾溪流域治理。\n责任单位:水利局\n")
    assert plan.tasks[0].text == "推进乾溪流域治理。"
