"""Task tables (任务分解表) flattened to text: header then rows, by tabs, by runs of spaces, or a cell per line."""

import pytest

from ecotarget.plandoc import parse_text

from .helpers import targets, units

TABBED = """某某县2023年生态环境保护任务分解表
序号\t重点任务\t牵头单位\t配合单位\t完成时限
一、大气污染防治
1\t加强扬尘管控,PM10浓度不高于40微克/立方米\t住建局\t生态环境局、公安局\t2023年9月底前
2\t推进VOCs治理\t生态环境局\t工信局\t年底前
二、水污染防治
3\t保护饮用水源\t生态环境局\t水利局、各乡(镇)人民政府\t6月30日前
"""

VERTICAL = """某某县2023年生态环境保护任务分解表
序号
任务
牵头单位
参与单位
1
加强扬尘管控,PM10浓度不高于40微克/立方米
住建局
生态环境局、公安局
2
推进VOCs治理
生态环境局
工信局
3
保护饮用水源
生态环境局
水利局、各乡(镇)人民政府
请各单位按时报送进展。
"""


@pytest.mark.parametrize("text", [TABBED, TABBED.replace("\t", "    ")], ids=["tabs", "spaces"])
def test_rows_separated_by_tabs_or_spaces_become_tasks_with_their_columns(text):
    plan = parse_text(text)
    assert [(t.number, t.section, t.text) for t in plan.tasks] == [
        (1, "大气污染防治", "加强扬尘管控,PM10浓度不高于40微克/立方米"),
        (2, "大气污染防治", "推进VOCs治理"),
        (3, "水污染防治", "保护饮用水源"),
    ]
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("生态环境局", "co"), ("公安局", "co")]
    assert units(plan.tasks[2]) == [("生态环境局", "lead"), ("水利局", "co"), ("各乡(镇)", "co")]
    assert targets(plan.tasks[0]) == [("PM10浓度", "<=", "40", "微克/立方米")]


def test_the_deadline_column_gives_dates_with_the_task_as_what_is_due():
    plan = parse_text(TABBED)
    assert [(d.date.isoformat(), d.what) for d in plan.tasks[1].deadlines] == [("2023-12-31", "推进VOCs治理")]
    assert plan.tasks[0].deadlines[0].date.isoformat() == "2023-09-30"


def test_one_cell_per_line_rows_are_read_by_the_header_columns():
    plan = parse_text(VERTICAL)
    assert [(t.number, t.text) for t in plan.tasks] == [
        (1, "加强扬尘管控,PM10浓度不高于40微克/立方米"),
        (2, "推进VOCs治理"),
        (3, "保护饮用水源"),
    ]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("工信局", "co")]
    assert "请各单位" not in plan.tasks[2].text


def test_a_responsibility_column_makes_its_first_unit_lead():
    plan = parse_text("序号\t工作任务\t责任单位\n1\t推进垃圾分类\t住建局、各乡镇\n2\t加强宣传\t县委宣传部\n")
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("各乡(镇)", "co")]


def test_a_header_repeated_on_a_new_page_is_not_a_task():
    text = TABBED.replace("二、水污染防治", "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n二、水污染防治")
    assert [t.number for t in parse_text(text).tasks] == [1, 2, 3]


def test_a_header_with_single_spaces_still_names_the_columns():
    plan = parse_text(
        "序号 任务 牵头单位 参与单位\n"
        "1    加强扬尘管控    住建局    生态环境局\n"
        "2\t推进VOCs治理\t生态环境局\t工信局、开发区\n"
    )
    assert [(t.number, t.text) for t in plan.tasks] == [(1, "加强扬尘管控"), (2, "推进VOCs治理")]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("工信局", "co"), ("开发区", "co")]


def test_a_unit_cell_that_names_roles_itself_gives_those_roles():
    plan = parse_text("序号\t任务\t责任单位\n1\t加强扬尘管控\t牵头单位:住建局;配合单位:公安局、城管局\n")
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("公安局", "co"), ("城管局", "co")]
