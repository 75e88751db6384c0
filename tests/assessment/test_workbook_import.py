"""Importing a 评分细则 workbook: errors by row before anything is written, the rules, units, tasks and targets
the wording proposes, and one assessment per assessed unit."""

import pytest

from ecotarget.assessment import demo, services
from ecotarget.assessment.models import Assessment, Scheme, SchemeItem
from ecotarget.assessment.workbook import WorkbookRefused, read_scheme
from ecotarget.core.models import Action
from ecotarget.organisation.models import Unit

from .conftest import HEADER, workbook


def test_the_demo_workbook_reads_as_seven_parts_of_twenty_items_without_errors():
    parsed = read_scheme(demo.demo_workbook(), "演示.xlsx")
    assert parsed.errors == []
    assert [p.title for p in parsed.parts][:2] == ["坚持绿色发展", "改善环境质量"]
    assert sum(len(p.items) for p in parsed.parts) == 20


def test_problems_are_listed_by_row():
    rows = [
        ["一", "环境质量", "", "", "", ""],
        ["1", "PM2.5浓度", "八分", "每差1微克/立方米扣0.5分", "生态环境局", ""],
        ["2", "", "5", "按完成情况评分", "", ""],
        ["3", "湿地保护", "", "按完成情况评分", "", ""],
    ]
    parsed = read_scheme(workbook(rows), "细则.xlsx")
    assert parsed.errors == ["第4行：分值“八分”不是数字", "第5行：缺少考核内容", "第6行：缺少分值"]


def test_a_file_without_the_header_or_not_a_workbook_is_refused_by_name():
    with pytest.raises(WorkbookRefused, match=r"细则\.xlsx：前 10 行中找不到表头"):
        read_scheme(workbook([["1", "x", "5", "y"]], header=["编号", "内容"]), "细则.xlsx")
    with pytest.raises(WorkbookRefused, match=r"不是有效的 \.xlsx 文件"):
        read_scheme(b"not a zip", "细则.xlsx")


def test_the_header_may_name_columns_in_any_order():
    header = ["考核内容", "序号", "评分标准", "分值"]
    parsed = read_scheme(workbook([["PM10浓度", "1", "每差1微克/立方米扣0.5分", "6"]], header=header), "x.xlsx")
    assert parsed.errors == []
    assert parsed.parts[0].items[0].points == "6"


def test_the_preview_proposes_rules_units_and_measured_targets(plan, bound):
    parsed = read_scheme(demo.demo_workbook(), "演示.xlsx")
    preview = services.scheme_preview(parsed=parsed, plan=plan)
    assert preview.errors == []
    assert preview.total_points == 100
    by_number = {p.row.number: p for part in preview.proposals for p in part}
    pm25 = by_number["4"]
    assert (pm25.kind, pm25.params["step"], pm25.params["per_step"]) == ("gap", "1", "0.5")
    assert pm25.rule_text == "PM2.5浓度高于目标值的，每差1微克/立方米扣0.5分，扣完为止"
    townships = set(Unit.objects.filter(region=plan.region, kind=Unit.Kind.TOWNSHIP).values_list("pk", flat=True))
    assert townships <= set(pm25.unit_ids)
    target = plan.tasks.get(number=15).targets.get(metric="PM2.5浓度")
    assert pm25.target_ids == [target.pk]
    assert by_number["7"].kind == "events"
    assert by_number["17"].kind == "manual"
    assert (by_number["18"].kind, by_number["19"].kind, by_number["20"].kind) == ("bonus", "penalty", "veto")
    garbage = by_number["2"]
    assert garbage.task_ids[:1] == [plan.tasks.get(number=12).pk]


def test_unknown_unit_names_are_noted_not_fatal(plan):
    rows = [["1", "湿地保护", "5", "按完成情况评分", "林业局", "月球办"]]
    preview = services.scheme_preview(parsed=read_scheme(workbook(rows), "x.xlsx"), plan=plan)
    assert preview.errors == []
    assert preview.notes == ["第3行：未找到单位“月球办”，导入时不列入"]


def test_an_import_with_errors_writes_nothing(plan, personas):
    parsed = read_scheme(workbook([["1", "PM2.5浓度", "x", "每差1微克/立方米扣0.5分", "", ""]]), "x.xlsx")
    with pytest.raises(services.AssessmentRefused, match="第3行：分值“x”不是数字"):
        services.scheme_import(plan=plan, parsed=parsed, title="细则", level="county", user=personas.coordinator)
    assert not Scheme.objects.exists()
    assert not Action.objects.filter(verb="scheme.import").exists()


def test_the_import_writes_the_tree_and_one_assessment_per_unit_holding_tasks(plan, personas):
    parsed = read_scheme(demo.demo_workbook(), "演示.xlsx")
    scheme = services.scheme_import(
        plan=plan, parsed=parsed, title="2022年度考核", level="county", user=personas.coordinator
    )
    assert scheme.parts.count() == 7
    assert SchemeItem.objects.filter(part__scheme=scheme).count() == 20
    assessed = set(Assessment.objects.filter(scheme=scheme).values_list("unit__name", flat=True))
    assert {"住建局", "古镛镇", "生态环境局"} <= assessed
    assert "有关乡(镇)" not in assessed  # a placeholder group is not a party that can be assessed
    with pytest.raises(services.AssessmentRefused, match="2022年已有县对责任单位的考核方案"):
        services.scheme_import(plan=plan, parsed=parsed, title="again", level="county", user=personas.coordinator)


def test_a_city_level_scheme_assesses_the_county_itself(plan, personas):
    rows = [["1", "PM2.5浓度", "10", "每差1微克/立方米扣0.5分", "", ""]]
    scheme = services.scheme_import(
        plan=plan, parsed=read_scheme(workbook(rows), "x.xlsx"), title="市对县", level="city", user=personas.coordinator
    )
    [only] = Assessment.objects.filter(scheme=scheme)
    assert only.unit is None
    assert only.party == "将乐县"


def test_header_constant_is_the_published_layout():
    assert list(demo.HEADER) == HEADER
