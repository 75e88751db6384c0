"""The assessment pages: who sees what (a unit only its own sheet, leaders and coordinators everything, other
counties nothing), forms sent as rendered, the score sheet read back from its .xlsx, and constant queries."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ecotarget.assessment import demo, services
from ecotarget.assessment.models import Assessment, ItemScore, Scheme
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment
from rendered_forms import errors_in, the_form

from .conftest import assessment, item


def urls(scheme):
    zhujian = assessment(scheme, "住建局")
    guyong = assessment(scheme, "古镛镇")
    return {
        "plan": reverse("assessment:plan", args=[scheme.plan_id]),
        "scheme": reverse("assessment:scheme", args=[scheme.pk]),
        "ranking": reverse("assessment:ranking", args=[scheme.pk]),
        "zhujian_sheet": reverse("assessment:sheet", args=[zhujian.pk]),
        "guyong_sheet": reverse("assessment:sheet", args=[guyong.pk]),
        "zhujian_xlsx": reverse("assessment:sheet_xlsx", args=[zhujian.pk]),
    }


# persona → page → status
EXPECTED = {
    "coordinator": {"plan": 200, "scheme": 200, "ranking": 200, "zhujian_sheet": 200, "guyong_sheet": 200},
    "leader": {"plan": 200, "scheme": 200, "ranking": 200, "zhujian_sheet": 200, "guyong_sheet": 200},
    "zhujian": {"plan": 200, "scheme": 200, "ranking": 403, "zhujian_sheet": 200, "guyong_sheet": 404},
    "guyong": {"plan": 200, "scheme": 200, "ranking": 403, "zhujian_sheet": 404, "guyong_sheet": 200},
    "outsider": {"plan": 404, "scheme": 404, "ranking": 404, "zhujian_sheet": 404, "guyong_sheet": 404},
    "nobody": {"plan": 403, "scheme": 403, "ranking": 403, "zhujian_sheet": 403, "guyong_sheet": 403},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_who_sees_which_assessment_page(scheme, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    pages = urls(scheme)
    got = {name: client.get(pages[name]).status_code for name in EXPECTED[persona]}
    assert got == EXPECTED[persona]


def test_a_unit_downloads_only_its_own_sheet(scheme, personas, client_for):
    pages = urls(scheme)
    assert client_for(personas.zhujian).get(pages["zhujian_xlsx"]).status_code == 200
    assert client_for(personas.guyong).get(pages["zhujian_xlsx"]).status_code == 404


def test_a_logged_out_visitor_is_sent_to_log_in(scheme, client):
    response = client.get(urls(scheme)["ranking"])
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_only_the_coordinator_computes_reviews_and_imports(scheme, personas, client_for):
    compute = reverse("assessment:compute", args=[scheme.pk])
    review = reverse("assessment:review", args=[assessment(scheme, "住建局").pk, item(scheme, "17").pk])
    for persona in ("leader", "zhujian"):
        client = client_for(getattr(personas, persona))
        assert client.post(compute).status_code == 403
        assert client.post(review, {"score": "5", "reason": "自评满分"}).status_code == 403
        assert client.get(reverse("assessment:upload") + f"?plan={scheme.plan_id}").status_code == 403
    row = ItemScore.objects.get(assessment__unit__name="住建局", item__number="17")
    assert row.reviewed_score == Decimal("4.2")


def test_a_reporter_sees_the_working_but_no_ranking_before_publication(scheme, personas, client_for):
    html = client_for(personas.zhujian).get(urls(scheme)["zhujian_sheet"]).content.decode()
    assert "省生态环境保护督察通报城区污水直排问题 扣 2.0 分" in html
    assert "预估得分" in html
    assert "排名 第" not in html
    assert "/review/" not in html  # the unit scores itself; the office's review form is not its
    assert "审核得分" not in html


def test_the_reviewer_sets_a_score_with_the_sheets_own_form(scheme, personas, client_for):
    lin = client_for(personas.coordinator)
    url = urls(scheme)["guyong_sheet"]
    pm25 = item(scheme, "4")
    action = reverse("assessment:review", args=[assessment(scheme, "古镛镇").pk, pm25.pk])
    form = the_form(lin.get(url).content.decode(), url, action)
    response = lin.post(form.url, form.data(score="6.5", reason="扣除沙尘天气影响"), follow=True)
    assert errors_in(response.content.decode()) == []
    assert "评定 6.5 分（满分 8.0 分）：扣除沙尘天气影响" in response.content.decode()
    refused = lin.post(form.url, form.data(score="7", reason=""), follow=True)
    assert "审核评分应写明理由" in refused.content.decode()


def test_the_score_sheet_reads_back_from_its_xlsx(scheme, personas, client_for, clock):
    clock(date(2022, 7, 8))
    response = client_for(personas.coordinator).get(urls(scheme)["zhujian_xlsx"])
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == demo.TITLE
    assert "被考核单位：住建局" in rows[1][0] and "预估" in rows[1][0]
    assert list(rows[2]) == ["序号", "考核内容", "分值", "评分方式", "得分", "扣分", "计分过程", "审核理由", "佐证材料"]
    by_number = {row[0]: row for row in rows[3:] if row and row[0]}
    assert by_number["19"][2:7] == (5, "惩罚性扣分", 2, None, "省生态环境保护督察通报城区污水直排问题 扣 2.0 分")
    assert by_number["14"][4:6] == (3, 2)
    assert by_number["17"][7] == "第三方调查满意度 84%，城区噪声投诉较多"
    total = next(row for row in rows if row[0] == "总分")
    assert "惩罚性扣分 2.0 分" in total[6]


def test_text_that_looks_like_a_formula_stays_text_in_the_sheet(scheme, personas, client_for):
    row = ItemScore.objects.get(assessment__unit__name="住建局", item__number="17")
    row.review_reason = '=HYPERLINK("http://x")'
    row.save()
    response = client_for(personas.coordinator).get(urls(scheme)["zhujian_xlsx"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(r[7] for r in sheet.iter_rows() if r[0].value == "17")
    assert cell.data_type == "s" and cell.value.startswith("=")


def test_a_workbook_is_imported_through_its_preview(plan, personas, client_for):
    lin = client_for(personas.coordinator)
    page = reverse("assessment:upload") + f"?plan={plan.pk}"
    html = lin.get(page).content.decode()
    form = the_form(html, "http://testserver" + page, reverse("assessment:upload"))
    data = form.data(title="2022年度考核", level="county")
    data["workbook"] = SimpleUploadedFile("细则.xlsx", demo.demo_workbook())
    preview = lin.post(reverse("assessment:upload"), data)
    text = preview.content.decode()
    assert preview.status_code == 200 and "确认导入" in text
    assert "按差距扣分（依据“每差1微克/立方米扣0.5分”）" in text
    confirm = the_form(text, "http://testserver" + reverse("assessment:upload"), reverse("assessment:upload_confirm"))
    done = lin.post(confirm.url, confirm.data(), follow=True)
    scheme = Scheme.objects.get(plan=plan)
    assert done.redirect_chain[-1][0] == reverse("assessment:scheme", args=[scheme.pk])
    assert "已导入考核方案“2022年度考核”" in done.content.decode()


def test_a_workbook_with_errors_shows_them_and_cannot_be_confirmed(plan, personas, client_for):
    from .conftest import workbook

    lin = client_for(personas.coordinator)
    bad = workbook([["1", "PM2.5浓度", "八分", "每差1微克/立方米扣0.5分", "", ""]])
    data = {"plan": str(plan.pk), "title": "考核", "level": "county", "workbook": SimpleUploadedFile("x.xlsx", bad)}
    text = lin.post(reverse("assessment:upload"), data).content.decode()
    assert "第3行：分值“八分”不是数字" in text
    assert "确认导入" not in text
    not_xlsx = {**data, "workbook": SimpleUploadedFile("x.xlsx", b"plain text")}
    assert "不是有效的 .xlsx 文件" in lin.post(reverse("assessment:upload"), not_xlsx).content.decode()


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_take_the_same_queries_as_units_grow(scheme, personas, client_for, clock):
    clock(date(2022, 7, 8))
    lin = client_for(personas.coordinator)
    pages = urls(scheme)
    for name in ("ranking", "zhujian_sheet", "scheme"):
        _page_queries(lin, pages[name])
    before = {name: _page_queries(lin, pages[name]) for name in ("ranking", "zhujian_sheet", "scheme")}
    task = scheme.plan.tasks.get(number=14)
    for n in range(8):
        unit = Unit.objects.create(region=scheme.plan.region, name=f"新乡{n}", kind=Unit.Kind.TOWNSHIP, order=900 + n)
        Assignment.objects.create(task=task, unit=unit, role=Assignment.Role.CO, order=60 + n)
        Assessment.objects.create(scheme=scheme, unit=unit)
    after = {name: _page_queries(lin, pages[name]) for name in ("ranking", "zhujian_sheet", "scheme")}
    assert after == before


def test_the_results_report_reads_back_from_its_docx_and_says_it_is_a_forecast(scheme, personas, client_for, clock):
    from docx import Document

    clock(date(2022, 7, 8))
    url = reverse("assessment:report", args=[scheme.pk])
    assert client_for(personas.zhujian).get(url).status_code == 403
    response = client_for(personas.leader).get(url)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于2022年度党政领导生态环境保护目标责任书考核结果的报告"
    assert texts[1] == "（预估稿：数据截至2022年7月8日，尚未审批发布）"
    assert "二、县直部门考核结果" in texts and "三、乡(镇)考核结果" in texts
    departments, townships = document.tables
    assert [c.text for c in departments.rows[0].cells] == [
        "名次",
        "单位",
        "基本分",
        "折算得分",
        "加分",
        "扣分",
        "总分",
        "等次",
    ]
    assert len(townships.rows) == 1 + Assessment.objects.filter(scheme=scheme, unit__kind="township").count()
    zhujian = next(r for r in departments.rows if r.cells[1].text == "住建局")
    assert zhujian.cells[5].text == "2"  # the penalty
    assert texts[-1] == "2022年7月8日"


def test_an_unscored_item_counts_zero_and_the_sheet_says_how_high_the_unit_can_still_go(
    scheme, personas, client_for, clock
):
    clock(date(2022, 3, 1))
    zhujian = assessment(scheme, "住建局")
    survey = item(scheme, "17")
    # The office takes back its survey score: the item has nothing to be scored on.
    services.item_review(assessment=zhujian, item=survey, user=personas.coordinator, score=None, reason="")
    html = client_for(personas.zhujian).get(urls(scheme)["zhujian_sheet"]).content.decode()
    # 住建局's 20 base points on 1 March (no report yet): 3 of the other 15 scored → 15 on the hundred, less the
    # 2-point penalty = 13; the survey at its full 5 points would give 8 of 20 = 40 − 2 = 38.
    assert "<b>1 项待评分</b>（共 5 分），按 0 分计入总分；全部评定后最高可得 <b>38</b> 分" in html
    assert "总分 <b>13</b> 分" in html
    ranking = client_for(personas.coordinator).get(urls(scheme)["ranking"]).content.decode()
    assert "1 项待评分</span>（共 5 分，按 0 分计，最高可得 38 分）" in ranking
    sheet = load_workbook(io.BytesIO(client_for(personas.zhujian).get(urls(scheme)["zhujian_xlsx"]).content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "17")
    assert (row[4], row[5], row[6]) == (None, None, "待评分")
