"""The year's assessment in Chromium: 林督查 imports the 评分细则 from its template through the preview, 王填报
(住建局) scores an item and submits its 自评报告, 林督查 finishes the review, and 张县长 reads the ranking, which
says it is provisional. Each step asserts what the person sees."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ecotarget.assessment import demo, selectors
from ecotarget.assessment.models import Assessment
from progress.helpers import clock, published

__all__ = ["clock", "published"]

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_assessment_from_import_to_the_ranking(
    published, personas, clock, settings, live_server, logged_in, screenshot, tmp_path
):
    clock(date(2022, 7, 8))
    settings.ECOTARGET_TODAY = "2022-07-08"
    desk = logged_in(personas.coordinator)
    desk.goto(f"{live_server.url}/assessment/import/?plan={published.pk}")
    desk.set_input_files(
        "input[type=file]",
        files=[{"name": "评分细则.xlsx", "mimeType": "application/octet-stream", "buffer": demo.demo_workbook()}],
    )
    desk.get_by_role("button", name="上传并预览").click()
    expect(desk.get_by_text("基本分合计 100 分")).to_be_visible()
    expect(desk.get_by_text("按差距扣分（依据“每差1微克/立方米扣0.5分”）").first).to_be_visible()
    desk.get_by_role("button", name="确认导入").click()
    expect(desk.get_by_text("已导入考核方案")).to_be_visible()
    expect(desk.get_by_role("cell", name="PM2.5浓度", exact=True)).to_be_visible()

    zhujian = Assessment.objects.get(scheme__plan=published, unit__name="住建局")
    wang = logged_in(personas.zhujian)
    wang.goto(f"{live_server.url}/assessment/sheets/{zhujian.pk}/")
    expect(wang.get_by_text("预估得分：")).to_be_visible()
    wang.get_by_label("第2项自评得分").fill("4")
    wang.get_by_label("第2项自评说明").fill("城区分类收运已全覆盖")
    wang.locator(f"#item-{zhujian.scheme.parts.get(number='一').items.get(number='2').pk}").get_by_role(
        "button", name="保存自评"
    ).click()
    expect(wang.get_by_text("已保存第2项自评")).to_be_visible()
    expect(wang.get_by_text("自评 4 分")).to_be_visible()
    wang.get_by_label("自评报告").fill("全年垃圾分类、污水处理任务按计划推进。")
    wang.get_by_role("button", name="提交自评").click()
    expect(wang.get_by_text("自评已提交，等待考核办审核")).to_be_visible()
    screenshot(wang, "assessment-self-submitted")

    desk.goto(f"{live_server.url}/assessment/sheets/{zhujian.pk}/")
    expect(desk.get_by_text("全年垃圾分类、污水处理任务按计划推进。")).to_be_visible()
    waiting = [
        line.item
        for line in selectors.results(zhujian.scheme, only=zhujian).sheets[0].lines
        if not line.result.scored and line.result.applicable
    ]
    assert waiting  # the survey (17) at least: nothing found yet
    expect(desk.get_by_text(f"{len(waiting)} 项待评分", exact=True)).to_be_visible()
    desk.get_by_role("button", name="审核完成，提交审批").click()
    expect(desk.get_by_text("尚待评分，请先评定后再完成审核")).to_be_visible()
    for pending in waiting:
        row = desk.locator(f"#item-{pending.pk}")
        row.get_by_label(f"第{pending.number}项审核得分").fill(str(pending.points - 1))
        row.get_by_label(f"第{pending.number}项审核理由").fill("现场检查，基本完成")
        row.get_by_role("button", name="保存").click()
        expect(desk.get_by_text(f"已保存第{pending.number}项的审核意见")).to_be_visible()
    expect(desk.get_by_text("项待评分")).to_have_count(0)
    desk.get_by_role("button", name="审核完成，提交审批").click()
    expect(desk.get_by_text("住建局审核完成，已提交审批")).to_be_visible()

    leader = logged_in(personas.leader)
    leader.goto(f"{live_server.url}/assessment/schemes/{zhujian.scheme_id}/ranking/")
    expect(leader.get_by_role("heading", name="县直部门（21）")).to_be_visible()
    expect(leader.get_by_text("预估得分：")).to_be_visible()
    expect(leader.get_by_role("button", name="审批并发布考核结果")).to_have_count(0)  # the year is not over
    screenshot(leader, "assessment-ranking")
