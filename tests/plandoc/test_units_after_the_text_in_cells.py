"""Units in cells after the task's text: a table row pasted without its header (tab or 2+ spaces apart), and
a table with a unit column and a time-limit column whose cells may say "长期坚持" instead of a date."""

import pytest

from ecotarget.plandoc import parse_text

from .helpers import units

ROWS = "某某县2023年任务分工\n1.加强扬尘管控。\t住建局、生态环境局\n2.推进秸秆禁烧。\t生态环境局、各乡镇\n"


@pytest.mark.parametrize("text", [ROWS, ROWS.replace("\t", "    "), ROWS.replace("\t", "  ")])
def test_units_after_the_text_on_the_same_line_are_the_tasks_units(text):
    plan = parse_text(text)
    assert [t.text for t in plan.tasks] == ["加强扬尘管控。", "推进秸秆禁烧。"]
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("生态环境局", "co")]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("各乡(镇)", "co")]


def test_lead_and_co_cells_and_a_deadline_cell_without_a_header():
    plan = parse_text(
        "某某县2023年任务分工\n"
        "1.加强扬尘管控。\t住建局、公安局\t生态环境局\t2023年6月底前\n"
        "2.推进秸秆禁烧。\t生态环境局\t各乡镇\t长期坚持\n"
    )
    assert units(plan.tasks[0]) == [("住建局", "lead"), ("公安局", "lead"), ("生态环境局", "co")]
    assert [(d.date.isoformat(), d.what) for d in plan.tasks[0].deadlines] == [("2023-06-30", "加强扬尘管控")]
    assert plan.tasks[1].deadlines == []


def test_a_cell_that_is_not_only_unit_names_stays_in_the_text():
    plan = parse_text("1.加强扬尘管控。\t重点是城区工地\n责任单位:住建局\n")
    assert plan.tasks[0].text == "加强扬尘管控。重点是城区工地"
    assert units(plan.tasks[0]) == [("住建局", "lead")]


HEADER_TABLE = """某某县2023年生态环境保护任务分解表
序号 工作任务 责任单位 完成时限
1\t加强扬尘管控,PM10浓度不高于40微克/立方米\t住建局\t2023年6月底前
2\t推进秸秆禁烧\t生态环境局、各乡镇\t长期坚持
3\t推进VOCs治理\t生态环境局\t持续推进
4\t完成入河排污口整治\t生态环境局、水利局\t10月底前
"""


def test_a_time_limit_column_gives_dates_and_open_ended_cells_give_none():
    plan = parse_text(HEADER_TABLE)
    assert [t.text for t in plan.tasks][1:3] == ["推进秸秆禁烧", "推进VOCs治理"]
    assert [[d.date.isoformat() for d in t.deadlines] for t in plan.tasks] == [
        ["2023-06-30"],
        [],
        [],
        ["2023-10-31"],
    ]
    assert units(plan.tasks[3]) == [("生态环境局", "lead"), ("水利局", "co")]
