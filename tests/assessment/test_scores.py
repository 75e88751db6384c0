"""Scores computed from what is stored: measured items from the monitoring data, work items from the tasks'
accepted reports, the rest from the reviewer's findings; kept by `assessment_compute`, provisional until the
year is over."""

from datetime import date
from decimal import Decimal as D

import pytest

from ecotarget.assessment import selectors, services
from ecotarget.assessment.models import Assessment, ItemScore
from ecotarget.core.models import Action
from progress.helpers import accept, submit

from .conftest import assessment, item


def line(sheet, number):
    return next(line for line in sheet.lines if line.item.number == number)


def sheet_of(scheme, unit_name):
    return selectors.results(scheme).sheet_of(assessment(scheme, unit_name).pk)


def test_a_measured_item_is_scored_from_the_monitoring_data_with_its_working(scheme, air_days, clock):
    air_days({date(2022, 1, d): {"pm2_5": 17, "pm10": 30} for d in range(1, 11)})
    clock(date(2022, 1, 31))
    pm25 = line(sheet_of(scheme, "古镛镇"), "4")
    assert pm25.result.working == "PM2.5浓度 17 微克/立方米，目标 15，差 2，扣 1.0 分（监测数据截至1月31日）"
    assert (pm25.result.score, pm25.lost) == (D("7.00"), D("1.00"))


def test_a_measured_item_without_data_waits(scheme, clock):
    clock(date(2022, 1, 31))
    pm25 = line(sheet_of(scheme, "古镛镇"), "4")
    assert not pm25.result.scored
    assert pm25.result.working == "PM2.5浓度暂无监测数据，待评分"


def test_a_work_item_is_full_once_its_task_is_accepted_as_done(scheme, published, personas, clock):
    clock(date(2022, 3, 20))
    report = submit(published, personas.zhujian, 12, 3, 60, unit_name="住建局")
    accept(report, personas.coordinator)
    clock(date(2022, 3, 28))
    sorting = line(sheet_of(scheme, "住建局"), "2")
    assert sorting.result.score == D("3.00")
    assert sorting.result.working == "部分完成（60%），得 3.0 分（满分 5.0 分）（任务12，截至3月28日）"
    clock(date(2022, 4, 20))
    accept(submit(published, personas.zhujian, 12, 4, 100, unit_name="住建局"), personas.coordinator)
    assert line(sheet_of(scheme, "住建局"), "2").result.working == "全部完成，得 5.0 分（任务12，截至4月20日）"


def test_the_demo_findings_count_a_bonus_a_penalty_and_events(scheme, clock):
    clock(date(2022, 3, 1))
    zhujian = sheet_of(scheme, "住建局")
    assert line(zhujian, "19").result.working == "省生态环境保护督察通报城区污水直排问题 扣 2.0 分"
    assert line(zhujian, "14").result.working == "扬尘问题 2 次 × 1.0 分 = 2.0 分，扣 2.0 分"
    assert zhujian.total.penalty == D(2)
    assert sheet_of(scheme, "生态环境局").total.bonus == D(1)


def test_a_reviewers_score_needs_a_reason_and_replaces_the_computation(scheme, personas, clock):
    clock(date(2022, 3, 1))
    target = assessment(scheme, "古镛镇")
    with pytest.raises(services.AssessmentRefused, match="审核评分应写明理由"):
        services.item_review(assessment=target, item=item(scheme, "4"), user=personas.coordinator, score=D(6))
    with pytest.raises(services.AssessmentRefused, match=r"第4项：得分应在 0～8\.0 分之间"):
        services.item_review(
            assessment=target, item=item(scheme, "4"), user=personas.coordinator, score=D(9), reason="超分"
        )
    services.item_review(
        assessment=target, item=item(scheme, "4"), user=personas.coordinator, score=D(6), reason="扣除沙尘影响"
    )
    assert line(sheet_of(scheme, "古镛镇"), "4").result.working == "评定 6.0 分（满分 8.0 分）：扣除沙尘影响"


def test_a_veto_makes_the_unit_fail_whatever_its_score(scheme, personas, clock):
    clock(date(2022, 3, 1))
    services.item_review(
        assessment=assessment(scheme, "古镛镇"),
        item=item(scheme, "20"),
        user=personas.coordinator,
        facts={"vetoed": True, "reason": "发生较大突发环境事件"},
    )
    sheet = sheet_of(scheme, "古镛镇")
    assert sheet.total.vetoed
    assert sheet.standing.grade == "不合格"
    assert line(sheet, "20").result.working == "一票否决：发生较大突发环境事件，考核结果为不合格"


def test_findings_that_do_not_fit_the_item_are_refused(scheme, personas):
    with pytest.raises(services.AssessmentRefused, match="按次扣分条目不接受“vetoed”"):
        services.item_review(
            assessment=assessment(scheme, "住建局"),
            item=item(scheme, "14"),
            user=personas.coordinator,
            facts={"vetoed": True},
        )
    with pytest.raises(services.AssessmentRefused, match="评分规则没有情形“噪声”"):
        services.item_review(
            assessment=assessment(scheme, "住建局"),
            item=item(scheme, "14"),
            user=personas.coordinator,
            facts={"counts": {"噪声": 1}},
        )


def test_a_unit_is_scored_only_on_the_items_that_name_it_and_converted_to_a_hundred(scheme, clock):
    clock(date(2022, 3, 1))
    sheet = sheet_of(scheme, "住建局")
    assert {line.item.number for line in sheet.lines} == {"2", "13", "14", "17", "18", "19", "20"}
    assert sheet.total.base_points == D(20)
    assert "折算为百分制" in sheet.total.working


def test_departments_and_townships_are_ranked_apart(scheme, clock):
    clock(date(2022, 3, 1))
    groups = dict(selectors.results(scheme).groups())
    assert set(groups) == {"县直部门", "乡(镇)"}
    assert {s.assessment.unit.kind for s in groups["乡(镇)"]} == {"township"}
    assert groups["乡(镇)"][0].standing.rank == 1


def test_computing_keeps_scores_and_says_provisional_before_the_year_is_over(scheme, personas, clock):
    clock(date(2022, 7, 8))
    result = services.assessment_compute(scheme=scheme, user=personas.coordinator)
    assert result.provisional
    zhujian = Assessment.objects.get(scheme=scheme, unit__name="住建局")
    assert zhujian.provisional and zhujian.computed_on == date(2022, 7, 8)
    assert zhujian.total is not None and zhujian.grade and zhujian.rank
    kept = ItemScore.objects.get(assessment=zhujian, item__number="19")
    assert kept.working == "省生态环境保护督察通报城区污水直排问题 扣 2.0 分"
    action = Action.objects.get(verb="assessment.compute")
    assert "（预估）" in action.summary
    clock(date(2023, 1, 15))
    assert not services.assessment_compute(scheme=scheme, user=personas.coordinator).provisional
    assert selectors.results(scheme).day == date(2022, 12, 31)


def test_published_results_cannot_be_changed(scheme, personas):
    target = assessment(scheme, "住建局")
    Assessment.objects.filter(pk=target.pk).update(state=Assessment.State.PUBLISHED)
    target.refresh_from_db()
    with pytest.raises(services.AssessmentRefused, match="已发布，如需修改请使用“发布后变更”并写明理由"):
        services.item_review(
            assessment=target, item=item(scheme, "17"), user=personas.coordinator, score=D(5), reason="x"
        )
