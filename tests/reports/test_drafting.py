"""The system's draft is a pure function of the facts: the same facts always give the same report."""

from datetime import date

from ecotarget.progress.rules import Status
from ecotarget.reports.drafting import draft
from ecotarget.reports.selectors import Facts, IndicatorFact, SectionFact, TaskFact


def task(number, section, status, **extra) -> TaskFact:
    fields = {"lead_units": ["住建局"], "co_units": [], "expected": 50.0, "reported": 40} | extra
    return TaskFact(number=number, text=f"任务{number}的内容", section=section, status=status, **fields)


FACTS = Facts(
    kind="half_year",
    region="将乐县",
    plan_title="将乐县2022年度党政领导生态环境保护目标责任书分解方案",
    doc_number="将政办〔2022〕13号",
    year=2022,
    period_end=date(2022, 6, 30),
    as_of=date(2022, 6, 30),
    sections=[SectionFact("一", "坚持绿色发展"), SectionFact("二", "改善环境质量")],
    tasks=[
        task(1, 0, Status.DONE, reported=100, work_done="已完成全部工作"),
        task(2, 0, Status.ON_TRACK, work_done="按计划推进"),
        task(3, 1, Status.SERIOUS, reported=5, problems="资金尚未到位", next_steps="争取专项资金"),
        task(4, 1, Status.LAGGING, lead_units=["水利局"], co_units=["古镛镇"], problems="资金尚未到位"),
        task(5, 1, Status.NOT_REPORTED, reported=None, problems="无"),
    ],
    indicators=[
        IndicatorFact(15, "PM2.5浓度", "PM2.5浓度 ≤ 15 微克/立方米", "18 微克/立方米", "missed", "未达标", "监测"),
        IndicatorFact(14, "Ⅴ类水体", "Ⅴ类水体 = 0 个", "0 个", "met", "达标", "监测"),
    ],
)


def test_the_draft_has_the_six_parts_of_a_report_to_the_city_in_order():
    result = draft(FACTS)
    assert result.title == "将乐县2022年上半年生态环境保护目标责任书落实情况的报告"
    assert [s["heading"] for s in result.sections] == [
        "一、总体情况",
        "二、各项任务推进情况",
        "三、主要指标完成情况",
        "四、存在的问题",
        "五、下步工作打算",
        "六、滞后任务清单",
    ]
    assert [s["table"] for s in result.sections] == [None, "tasks", "indicators", None, None, "lagging"]


def test_the_overview_counts_tasks_by_status_and_targets_by_standing():
    overview = draft(FACTS).sections[0]["text"]
    assert "（将政办〔2022〕13号）确定的5项目标任务" in overview
    assert (
        "截至2022年6月30日，已完成1项，按序时进度推进1项，滞后2项（其中严重滞后1项），未按期报送进展1项。" in overview
    )
    assert "2项数值指标中，达标1项，有未达标风险0项，未达标1项，暂无数据0项。" in overview


def test_each_section_gets_a_level_two_heading_and_the_units_own_words():
    text = draft(FACTS).sections[1]["text"]
    assert "（一）坚持绿色发展\n本部分共2项任务，已完成1项，按序时进度推进1项。" in text
    assert "1. 任务1（住建局）。已完成全部工作。" in text
    assert "（二）改善环境质量" in text


def test_the_same_problem_from_several_tasks_is_said_once_and_nothing_is_not_a_problem():
    problems = draft(FACTS).sections[3]["text"]
    assert problems.count("资金尚未到位") == 1
    assert "资金尚未到位（任务3、4，住建局、水利局）。" in problems
    assert "部分任务推进滞后。共有2项任务（任务3、4）" in problems
    assert "PM2.5浓度未达到目标值" in problems
    assert "无（" not in problems


def test_the_lagging_list_names_the_lead_and_supporting_units():
    result = draft(FACTS)
    rows = result.tables["lagging"]["rows"]
    assert [r[0] for r in rows] == ["3", "4"]
    assert rows[1][2:5] == ["水利局", "古镛镇", "滞后"]
    assert result.tables["indicators"]["rows"][0] == [
        "15",
        "PM2.5浓度",
        "PM2.5浓度 ≤ 15 微克/立方米",
        "18 微克/立方米",
        "未达标",
        "监测",
    ]
    assert len(result.tables["tasks"]["rows"]) == 5


def test_the_same_facts_give_the_same_draft():
    assert draft(FACTS) == draft(FACTS)


def test_a_year_end_report_looks_to_the_next_year():
    year_end = Facts(**{**vars(FACTS), "kind": "year_end", "period_end": date(2022, 12, 31)})
    result = draft(year_end)
    assert result.title == "将乐县2022年度生态环境保护目标责任书落实情况的报告"
    assert result.sections[4]["text"].startswith("2023年，")
