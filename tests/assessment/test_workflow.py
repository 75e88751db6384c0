"""The year's steps: the unit scores itself with evidence from its reports and submits its 自评报告, the assessing
office returns it or finishes the review, the leaders approve once the year is over, and the results are
published and fixed."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from ecotarget.assessment import services
from ecotarget.assessment.models import Assessment, Scheme
from ecotarget.core.models import Action
from ecotarget.progress.models import Evidence
from ecotarget.progress.services.reporting import ReportData, report_save
from progress.helpers import PNG, period, task, unit
from rendered_forms import the_form

from .conftest import assessment, item


@pytest.fixture
def photo(published, personas, clock):
    """住建局's March report on task 12 (垃圾分类) with a photo."""
    clock(date(2022, 3, 20))
    report = report_save(
        period=period(published, 3),
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=40, work_done="分类收运"),
        version=0,
        submit=True,
        files=[("分类收运.png", PNG)],
    )
    return Evidence.objects.get(report=report)


@pytest.fixture
def yearly(published, personas, clock):
    """The demo scheme on the published plan."""
    from ecotarget.assessment.loading import demo_scheme_load

    clock(date(2022, 3, 1))
    return demo_scheme_load(plan=published, user=personas.coordinator)[0]


def test_a_unit_scores_itself_with_its_own_reports_evidence(yearly, photo, personas):
    zhujian = assessment(yearly, "住建局")
    row = services.self_score_save(
        assessment=zhujian,
        item=item(yearly, "2"),
        user=personas.zhujian,
        score=D("4.5"),
        note="已完成城区分类收运",
        evidence_ids=[photo.pk],
    )
    assert (row.self_score, row.self_note) == (D("4.5"), "已完成城区分类收运")
    assert [e.original_name for e in row.evidence.all()] == ["分类收运.png"]
    assert Action.objects.filter(verb="item_score.self", object_id=row.pk).exists()


def test_another_units_evidence_is_not_taken(yearly, photo, personas):
    guyong = assessment(yearly, "古镛镇")
    row = services.self_score_save(
        assessment=guyong, item=item(yearly, "17"), user=personas.guyong, score=None, note="", evidence_ids=[photo.pk]
    )
    assert list(row.evidence.all()) == []


def test_only_the_units_own_reporter_scores_and_submits_it(yearly, personas):
    zhujian = assessment(yearly, "住建局")
    for user in (personas.guyong, personas.coordinator, personas.leader):
        with pytest.raises(services.AssessmentRefused, match="只能由本单位填报员"):
            services.self_score_save(assessment=zhujian, item=item(yearly, "2"), user=user, score=D(5), note="")
        with pytest.raises(services.AssessmentRefused, match="只能由本单位填报员"):
            services.assessment_submit(assessment=zhujian, user=user, report="自评")


def test_a_unit_scores_only_the_items_it_is_assessed_on(yearly, personas):
    with pytest.raises(services.AssessmentRefused, match="第4项不考核住建局"):
        services.self_score_save(
            assessment=assessment(yearly, "住建局"), item=item(yearly, "4"), user=personas.zhujian, score=D(8), note=""
        )


def test_a_self_score_stays_within_the_items_points(yearly, personas):
    with pytest.raises(services.AssessmentRefused, match="第2项自评得分应在 0～5 分之间"):
        services.self_score_save(
            assessment=assessment(yearly, "住建局"), item=item(yearly, "2"), user=personas.zhujian, score=D(6), note=""
        )


def test_submitting_needs_the_report_and_marks_a_late_one(yearly, personas, clock):
    Scheme.objects.filter(pk=yearly.pk).update(self_due_on=date(2023, 1, 15))
    zhujian = assessment(yearly, "住建局")
    with pytest.raises(services.AssessmentRefused, match="请填写自评报告"):
        services.assessment_submit(assessment=zhujian, user=personas.zhujian, report=" ")
    clock(date(2023, 1, 20))
    submitted = services.assessment_submit(assessment=zhujian, user=personas.zhujian, report="全年完成情况良好")
    assert (submitted.state, submitted.submitted_late) == (Assessment.State.SUBMITTED, True)
    with pytest.raises(services.AssessmentRefused, match="自评已已提交"):
        services.self_score_save(assessment=zhujian, item=item(yearly, "2"), user=personas.zhujian, score=None, note="")


def test_the_office_returns_a_self_assessment_with_a_reason_or_finishes_its_review(yearly, personas):
    zhujian = assessment(yearly, "住建局")
    services.assessment_submit(assessment=zhujian, user=personas.zhujian, report="自评")
    with pytest.raises(services.AssessmentRefused, match="请写明退回理由"):
        services.assessment_return(assessment=zhujian, user=personas.coordinator, reason="")
    with pytest.raises(services.AssessmentRefused, match="考核办（管理员）"):
        services.assessment_return(assessment=zhujian, user=personas.leader, reason="补充材料")
    returned = services.assessment_return(assessment=zhujian, user=personas.coordinator, reason="请补充垃圾分类佐证")
    assert (returned.state, returned.returned_reason) == (Assessment.State.SELF, "请补充垃圾分类佐证")
    services.assessment_submit(assessment=zhujian, user=personas.zhujian, report="已补充")
    services.item_review(
        assessment=zhujian, item=item(yearly, "2"), user=personas.coordinator, score=D(4), reason="核实部分完成"
    )
    zhujian.refresh_from_db()
    assert zhujian.state == Assessment.State.REVIEWING
    done = services.assessment_review_done(assessment=zhujian, user=personas.coordinator)
    assert done.state == Assessment.State.APPROVAL


def test_the_review_is_finished_only_when_every_item_is_scored(yearly, personas):
    guyong = assessment(yearly, "古镛镇")
    services.assessment_submit(assessment=guyong, user=personas.guyong, report="自评")
    # No monitoring data on this plan: the township's measured items wait for a score.
    with pytest.raises(services.AssessmentRefused, match=r"第4、5、6、7、8、9项尚待评分，请先评定后再完成审核"):
        services.assessment_review_done(assessment=guyong, user=personas.coordinator)
    for number in ("4", "5", "6", "7", "8", "9"):
        services.item_review(
            assessment=guyong, item=item(yearly, number), user=personas.coordinator, score=D(0), reason="无监测数据"
        )
    assert services.assessment_review_done(assessment=guyong, user=personas.coordinator).state == "approval"


def _all_reviewed(scheme, personas):
    """Every unit's review finished (the review itself, item by item, is the tests' above): the plan here has no
    monitoring data, so its measured items would wait for the office's score in each of the 34 units."""
    Assessment.objects.filter(scheme=scheme).update(state=Assessment.State.APPROVAL)


def test_leaders_approve_only_after_the_year_and_every_review(yearly, personas, clock):
    with pytest.raises(services.AssessmentRefused, match="2022年度尚未结束"):
        services.scheme_approve(scheme=yearly, user=personas.leader)
    clock(date(2023, 1, 20))
    with pytest.raises(services.AssessmentRefused, match="还有 34 个单位未完成审核"):
        services.scheme_approve(scheme=yearly, user=personas.leader)
    _all_reviewed(yearly, personas)
    with pytest.raises(services.AssessmentRefused, match="仅县领导"):
        services.scheme_approve(scheme=yearly, user=personas.coordinator)
    result = services.scheme_approve(scheme=yearly, user=personas.leader)
    assert not result.provisional
    zhujian = assessment(yearly, "住建局")
    assert zhujian.state == Assessment.State.PUBLISHED and not zhujian.provisional and zhujian.grade
    with pytest.raises(services.AssessmentRefused, match="已发布"):
        services.item_review(
            assessment=zhujian, item=item(yearly, "17"), user=personas.coordinator, score=D(5), reason="改"
        )


def test_a_unit_sees_its_rank_once_the_results_are_published(yearly, personas, client_for, clock):
    url = reverse("assessment:sheet", args=[assessment(yearly, "住建局").pk])
    wang = client_for(personas.zhujian)
    assert "排名 第" not in wang.get(url).content.decode()
    clock(date(2023, 1, 20))
    _all_reviewed(yearly, personas)
    services.scheme_approve(scheme=yearly, user=personas.leader)
    html = wang.get(url).content.decode()
    assert "县直部门排名 第" in html and "已发布" in html and "预估" not in html


def test_the_unit_submits_with_its_pages_own_forms(yearly, photo, personas, client_for):
    wang = client_for(personas.zhujian)
    zhujian = assessment(yearly, "住建局")
    url = reverse("assessment:sheet", args=[zhujian.pk])
    html = wang.get(url).content.decode()
    own = the_form(html, url, reverse("assessment:self_score", args=[zhujian.pk, item(yearly, "2").pk]))
    assert ("evidence", str(photo.pk)) not in own.controls  # offered, not ticked
    data = own.data(score="4", note="城区已全覆盖")
    data["evidence"] = [str(photo.pk)]
    wang.post(own.url, data)
    sheet = wang.get(url).content.decode()
    assert "自评 4 分" in sheet and "分类收运.png" in sheet
    send = the_form(sheet, url, reverse("assessment:submit", args=[zhujian.pk]))
    wang.post(send.url, send.data(report="全年任务基本完成"))
    zhujian.refresh_from_db()
    assert zhujian.state == Assessment.State.SUBMITTED
    assert 'name="score"' not in wang.get(url).content.decode()  # no more self-scoring once submitted
    lin = client_for(personas.coordinator)
    step = the_form(lin.get(url).content.decode(), url, reverse("assessment:step", args=[zhujian.pk]))
    lin.post(step.url, step.data())
    zhujian.refresh_from_db()
    assert zhujian.state == Assessment.State.APPROVAL
