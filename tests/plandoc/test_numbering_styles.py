"""Every numbering a plan may use for its tasks; headings above the task level become sections."""

from ecotarget.plandoc import parse_text

from .helpers import units


def test_tasks_numbered_with_chinese_numerals_in_parentheses_under_sections():
    plan = parse_text(
        """某某县2023年生态环境保护目标责任书分解方案
一、大气污染防治
(一)加强扬尘管控。(责任单位:住建局)
(二)推进VOCs治理。(责任单位:生态环境局)
二、水污染防治
(三)保护饮用水源。(责任单位:水利局)
"""
    )
    assert [(t.number, t.section, t.subsection) for t in plan.tasks] == [
        (1, "大气污染防治", None),
        (2, "大气污染防治", None),
        (3, "水污染防治", None),
    ]
    assert [(s.number, s.title, s.subsections) for s in plan.sections] == [
        ("一", "大气污染防治", []),
        ("二", "水污染防治", []),
    ]


def test_measures_numbered_cuo_shi_yi():
    plan = parse_text(
        """措施一:加强机动车污染防治。
责任单位:公安局、生态环境局
措施二:推进水泥行业超低排放改造。
责任单位:工信局
"""
    )
    assert [(t.number, t.label, t.text) for t in plan.tasks] == [
        (1, "措施一", "加强机动车污染防治。"),
        (2, "措施二", "推进水泥行业超低排放改造。"),
    ]


def test_unnumbered_task_paragraphs_each_followed_by_their_units():
    plan = parse_text(
        """某某县2023年生态环境保护目标责任书分解方案
为做好工作,制定本方案。
一、大气
加强扬尘管控,降尘量不高于5吨/平方公里·月。
责任单位:住建局
推进餐饮油烟治理。
责任单位:生态环境局、市场监管局
二、水
全面落实河长制。
责任单位:河长办、各乡镇
"""
    )
    assert [(t.number, t.section, t.text) for t in plan.tasks] == [
        (1, "大气", "加强扬尘管控,降尘量不高于5吨/平方公里·月。"),
        (2, "大气", "推进餐饮油烟治理。"),
        (3, "水", "全面落实河长制。"),
    ]
    assert units(plan.tasks[1]) == [("生态环境局", "lead"), ("市场监管局", "co")]


def test_sub_points_below_the_task_level_are_part_of_the_task_text():
    plan = parse_text(
        """1.加强大气治理:
(1)扬尘管控;
(2)VOCs治理。
责任单位:生态环境局
2.推进水源保护。
责任单位:水利局
"""
    )
    assert [t.text for t in plan.tasks] == ["加强大气治理:(1)扬尘管控;(2)VOCs治理。", "推进水源保护。"]


def test_a_numbered_progress_note_is_not_a_task():
    plan = parse_text(
        """1.推进生活垃圾分类。
责任单位:住建局
2.加强扬尘管控。
责任单位:住建局
进展情况:
1.截至6月底,已完成城区垃圾分类设施建设。
3.推进污水处理。
责任单位:住建局
"""
    )
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    assert all("截至" not in t.text for t in plan.tasks)


def test_a_section_of_numbered_targets_without_units_is_not_tasks():
    plan = parse_text(
        """一、主要目标
1.全县PM2.5浓度不高于25微克/立方米。
2.优良天数比例达到98%以上。
二、重点任务
1.加强扬尘管控。
责任单位:住建局
2.推进VOCs治理。
责任单位:生态环境局
三、保障措施
(一)加强组织领导。各单位要高度重视。
"""
    )
    assert [(t.number, t.section, t.text) for t in plan.tasks] == [
        (1, "重点任务", "加强扬尘管控。"),
        (2, "重点任务", "推进VOCs治理。"),
    ]
    assert [s.title for s in plan.sections] == ["主要目标", "重点任务", "保障措施"]


def test_a_paragraph_of_targets_between_tasks_is_neither_a_task_nor_part_of_one():
    plan = parse_text(
        """1.加强扬尘管控。
责任单位:住建局
到2023年底,全县PM2.5浓度不高于25微克/立方米,优良天数比例达到98%以上。
2.推进VOCs治理。
责任单位:生态环境局
"""
    )
    assert [t.text for t in plan.tasks] == ["加强扬尘管控。", "推进VOCs治理。"]
    assert all(t.targets == [] for t in plan.tasks)


def test_numbering_that_restarts_in_each_section_is_renumbered_through_the_plan():
    plan = parse_text(
        """一、大气
1.加强扬尘管控。
责任单位:住建局
2.推进VOCs治理。
责任单位:生态环境局
二、水
1.保护饮用水源。
责任单位:水利局
"""
    )
    assert [(t.number, t.label, t.section) for t in plan.tasks] == [
        (1, "1.", "大气"),
        (2, "2.", "大气"),
        (3, "1.", "水"),
    ]


def test_a_task_continued_on_the_next_line_keeps_both_lines():
    plan = parse_text("1.加强扬尘管控,\n落实六个百分之百。\n责任单位:住建局\n")
    assert plan.tasks[0].text == "加强扬尘管控,落实六个百分之百。"


def test_a_task_number_followed_by_a_month_is_not_read_as_a_decimal():
    plan = parse_text(
        """某县2023年生态环境保护目标责任书分解方案
一、水污染防治
4.推进黑臭水体治理。
责任单位:住建局
5.6月底前完成入河排污口排查,年底前完成整治。
责任单位:生态环境局、水利局
"""
    )
    assert [t.number for t in plan.tasks] == [4, 5]
    assert [d.date.isoformat() for d in plan.tasks[1].deadlines] == ["2023-06-30", "2023-12-31"]
