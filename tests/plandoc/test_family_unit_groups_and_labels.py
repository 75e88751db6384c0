"""Unit groups anywhere in an item, in any bracket, several per item, with roles given by verbs; and every
label word plans use. A label word is never part of a unit's name, and text before it stays with the task."""

import pytest

from ecotarget.plandoc import parse_text

from .helpers import units

HEAD = "溪口县2025年度生态环境保护目标责任分解方案\n一、重点任务\n"


def one(item: str):
    plan = parse_text(HEAD + "1.整治餐饮油烟。责任单位:县城管局\n" + item)
    return plan.tasks[1]


def test_roles_by_verb_in_one_sentence_separated_by_commas():
    task = one("2.开展非道路移动机械编码登记,县生态环境局牵头,县住建局、县交通运输局参与,各乡镇负责落实。")
    assert task.text == "开展非道路移动机械编码登记。"
    assert units(task) == [("生态环境局", "lead"), ("住建局", "co"), ("交通运输局", "co"), ("各乡(镇)", "co")]
    assert [u.source for u in task.units] == ["动词“牵头”", "动词“参与”", "动词“参与”", "动词“负责落实”"]


def test_two_units_responsible_and_two_cooperating_separated_by_semicolons():
    task = one("2.推进矿山生态修复。县自然资源局和县林业局负责;县财政局、县应急局配合。")
    assert task.text == "推进矿山生态修复。"
    assert units(task) == [("自然资源局", "lead"), ("林业局", "lead"), ("财政局", "co"), ("应急局", "co")]


def test_a_lead_that_supervises_by_verb():
    task = one("2.落实河湖长制巡河制度(县水利局牵头督导,各乡镇落实)。")
    assert units(task) == [("水利局", "lead"), ("各乡(镇)", "co")]


@pytest.mark.parametrize(
    "opening,closing", [("(", ")"), ("（", "）"), ("〔", "〕"), ("[", "]"), ("【", "】"), ("[", ")]")]
)
def test_a_group_in_any_bracket_even_with_a_mismatched_closer(opening, closing):
    task = one(f"2.开展工业园区污水排查{opening}责任单位:县工信局、县生态环境局{closing}。")
    assert task.text == "开展工业园区污水排查。"
    assert units(task) == [("工信局", "lead"), ("生态环境局", "co")]


def test_several_groups_in_one_item_in_the_middle_and_at_the_end():
    task = one(
        "2.完成城区截污纳管(县住建局牵头),推进农村生活污水治理〔责任单位:县生态环境局、各乡镇〕;"
        "开展黑臭水体排查【牵头单位:县水利局;配合单位:县农业农村局】。"
    )
    assert task.text == "完成城区截污纳管,推进农村生活污水治理;开展黑臭水体排查。"
    assert units(task) == [
        ("住建局", "lead"),
        ("生态环境局", "co"),
        ("各乡(镇)", "co"),
        ("水利局", "lead"),
        ("农业农村局", "co"),
    ]


def test_one_group_per_sentence():
    task = one("2.建成餐厨垃圾处理厂。县城管局牵头。完成厂区周边绿化。县林业局负责,县城管局配合。")
    assert task.text == "建成餐厨垃圾处理厂。完成厂区周边绿化。"
    assert units(task) == [("城管局", "lead"), ("林业局", "co")]


@pytest.mark.parametrize(
    "label,role",
    [
        ("牵头单位", "lead"),
        ("牵头部门", "lead"),
        ("市直牵头单位", "lead"),
        ("主办单位", "lead"),
        ("配合单位", "co"),
        ("协办单位", "co"),
        ("参与单位", "co"),
        ("责任单位", "lead"),
        ("责任部门", "lead"),
        ("考核责任单位", "lead"),
        ("落实单位", "lead"),
    ],
)
def test_every_label_word_gives_its_role_and_never_enters_the_name_or_the_text(label, role):
    task = one(f"2.加强饮用水水源地巡查。{label}:县水利局")
    assert task.text == "加强饮用水水源地巡查。"
    assert units(task) == [("水利局", role)]
    assert task.units[0].source.startswith("标注“")


def test_labels_of_both_roles_on_one_line_after_the_task_text():
    task = one("2.加强饮用水水源地巡查 主办单位:县水利局 协办单位:县生态环境局、溪口镇")
    assert task.text == "加强饮用水水源地巡查"
    assert units(task) == [("水利局", "lead"), ("生态环境局", "co"), ("溪口镇", "co")]


def test_a_time_limit_written_like_a_label_is_the_tasks_deadline_not_a_unit():
    task = one("2.淘汰燃煤小锅炉。(责任单位:县市场监管局(牵头)、县生态环境局;完成时限:2025年9月底前)")
    assert units(task) == [("市场监管局", "lead"), ("生态环境局", "co")]
    assert [(d.date.isoformat(), d.what) for d in task.deadlines] == [("2025-09-30", "淘汰燃煤小锅炉")]
    assert not task.review_reasons


def test_label_lines_of_their_own_with_a_time_limit_line():
    plan = parse_text(
        HEAD + "1.严格落实能耗双控。\n牵头单位:县发改局\n配合单位:县工信局、县统计局\n完成时限:2025年12月\n"
    )
    task = plan.tasks[0]
    assert units(task) == [("发改局", "lead"), ("工信局", "co"), ("统计局", "co")]
    assert [d.date.isoformat() for d in task.deadlines] == ["2025-12-31"]
