"""A written report says truthfully which day its data stop at and uses nothing known later; one drafted before
its period has ended is a forecast (预报稿), asked for explicitly and labelled everywhere; its 成文日期 is the
clock's today, set in the editor and printed in the Word file; its numbers read as people write them. The forms
are submitted as the pages render them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from ecotarget.reports.models import WrittenReport
from ecotarget.reports.services import written_report_generate
from progress.helpers import accept, submit
from rendered_forms import form_with
from reports.files import docx, lines_of, workbook

JULY_8 = date(2022, 7, 8)


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def plan_form(client, plan, kind: str):
    """The reports page's form that drafts a report of `kind`, as rendered."""
    url = reverse("reports:plan", args=[plan.pk])
    return form_with(html(client, url), url, "kind", kind)


def editor_form(client, report):
    url = reverse("reports:edit", args=[report.pk])
    return form_with(html(client, url), url, "signed_on")


def docx_of(client, report, number: int):
    return docx(client.get(reverse("reports:docx", args=[report.pk, number])).content)


def test_a_year_end_report_in_july_is_offered_only_as_a_forecast_and_labelled_so(half_year, personas, client_for):
    client = client_for(personas.coordinator)
    url = reverse("reports:plan", args=[half_year.pk])
    page = html(client, url)
    assert "报告期尚未结束" in page and "预报稿" in page
    year_end = form_with(page, url, "kind", "year_end")
    assert "early" in year_end.filled  # the browser asks the coordinator to tick it
    # Sent without the box (the browser would not; a script might): refused, nothing drafted.
    refused = client.post(year_end.url, year_end.data(early=None), follow=True)
    assert "报告期至2022年12月31日尚未结束" in refused.content.decode()
    assert not WrittenReport.objects.filter(plan=half_year, kind="year_end").exists()

    client.post(year_end.url, year_end.data())
    report = WrittenReport.objects.get(plan=half_year, kind="year_end")
    version = report.versions.get()
    assert version.provisional and version.as_of == JULY_8
    assert "预报稿" in html(client, reverse("reports:edit", args=[report.pk]))
    assert "预报稿" in html(client, reverse("reports:plan", args=[half_year.pk]))
    lines = lines_of(docx_of(client, report, 1))
    assert lines[0] == version.title and lines[1] == "（预报稿，数据截至2022年7月8日）"


def test_the_half_year_report_in_july_is_the_final_one_with_data_to_30_june(half_year, personas, client_for):
    client = client_for(personas.coordinator)
    half = plan_form(client, half_year, "half_year")
    assert "early" not in dict(half.controls) and "early" not in half.html  # nothing to confirm
    client.post(half.url, half.data())
    report = WrittenReport.objects.get(plan=half_year, kind="half_year")
    version = report.versions.get()
    assert not version.provisional and version.as_of == date(2022, 6, 30)
    assert "截至2022年6月30日" in version.sections[0]["text"]
    lines = lines_of(docx_of(client, report, 1))
    assert lines[0] == version.title and "预报稿" not in "".join(lines)


@pytest.fixture
def reported_in_july(half_year, personas, clock):
    """On 5 July (the July period is open since 28 June) 住建局 reports task 12 at 60 % and task 35's sewage
    treatment rate at 97 % measured on 28 June; the coordinator accepts both that day."""
    clock(date(2022, 7, 5))
    coordinator = personas.coordinator
    accept(
        submit(half_year, personas.zhujian, 12, 7, 60, unit_name="住建局", work_done="七月完成5个小区改造"), coordinator
    )
    sewage = half_year.tasks.get(number=35).targets.get(metric="城区生活污水处理率")
    values = {sewage.pk: (Decimal(97), date(2022, 6, 28))}
    accept(submit(half_year, personas.zhujian, 35, 7, 60, unit_name="住建局", values=values), coordinator)
    clock(JULY_8)
    return half_year


def test_what_was_accepted_after_30_june_stays_out_of_the_half_year_report(reported_in_july, personas):
    version, _ = written_report_generate(plan=reported_in_july, kind="half_year", user=personas.coordinator, day=JULY_8)
    sewage = next(row for row in version.tables["indicators"]["rows"] if row[1] == "城区生活污水处理率")
    assert sewage[3:5] == ["93%", "未达标"]  # June's accepted value, not July's 97
    assert not any("七月完成" in s["text"] for s in version.sections)


def test_a_percentage_accepted_in_july_is_not_the_half_year_reports(reported_in_july, personas):
    version, _ = written_report_generate(plan=reported_in_july, kind="half_year", user=personas.coordinator, day=JULY_8)
    twelve = next(row for row in version.tables["tasks"]["rows"] if row[0] == "12")
    assert twelve[5] == "20%"


def test_the_signing_date_is_the_clocks_today_set_in_the_editor_and_printed_in_word(half_year, personas, client_for):
    client = client_for(personas.coordinator)
    half = plan_form(client, half_year, "half_year")
    client.post(half.url, half.data())
    report = WrittenReport.objects.get(plan=half_year, kind="half_year")
    assert report.versions.get().signed_on == JULY_8
    assert lines_of(docx_of(client, report, 1))[-1] == "2022年7月8日"

    editor = editor_form(client, report)
    assert ("signed_on", "2022-07-08") in editor.date_values
    response = client.post(editor.url, editor.data(signed_on="2022-07-12"))
    assert response.status_code == 302
    latest = report.versions.order_by("-number").first()
    assert (latest.number, latest.signed_on) == (2, date(2022, 7, 12))
    assert lines_of(docx_of(client, report, 2))[-1] == "2022年7月12日"
    assert lines_of(docx_of(client, report, 1))[-1] == "2022年7月8日"  # the earlier version is as it was

    editor = editor_form(client, report)
    refused = client.post(editor.url, editor.data(signed_on="2022-06-01"), follow=True)
    assert "成文日期不能早于" in refused.content.decode() and report.versions.count() == 2


def test_a_value_of_100_reads_100_percent_in_the_report_in_word_and_on_the_dashboard(
    published, personas, client_for, clock, settings
):
    clock(date(2022, 6, 20))
    sewage = published.tasks.get(number=35).targets.get(metric="城区生活污水处理率")
    values = {sewage.pk: (Decimal(100), date(2022, 6, 20))}
    accept(submit(published, personas.zhujian, 35, 6, 50, unit_name="住建局", values=values), personas.coordinator)
    clock(JULY_8)
    settings.ECOTARGET_TODAY = "2022-07-08"
    client = client_for(personas.coordinator)
    half = plan_form(client, published, "half_year")
    client.post(half.url, half.data())
    report = WrittenReport.objects.get(plan=published, kind="half_year")
    page = html(client, reverse("reports:edit", args=[report.pk]))
    assert "<td>100%</td>" in page and "E+" not in page
    table = docx_of(client, report, 1).tables[1]  # 主要指标完成情况表
    row = next(r for r in table.rows if r.cells[1].text == "城区生活污水处理率")
    assert row.cells[3].text == "100%"
    dashboard = html(client, reverse("dashboard:plan", args=[published.pk]))
    assert "100%" in dashboard and "E+" not in dashboard


def ledger_of(client, plan) -> tuple[str, dict, list]:
    response = client.get(reverse("reports:ledger", args=[plan.pk]))
    book = workbook(response.content)
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    cells = [c for sheet in book.worksheets[1:] for row in sheet.iter_rows(values_only=True) for c in row]
    return response["Content-Disposition"], about, cells


def test_the_ledger_says_the_day_it_was_made_and_holds_what_was_reported_by_then(
    half_year, personas, client_for, clock, settings
):
    client = client_for(personas.coordinator)
    disposition, about, cells = ledger_of(client, half_year)
    assert "20220708" in disposition
    assert about["制表日期"] == "2022年7月8日" and about["数据截至"].startswith("2022年7月8日")
    assert about["范围"] == "全部任务、全部责任单位"
    assert "完成3个小区雨污分流改造" in cells

    clock(date(2022, 7, 20))  # the site's day moves on; a report comes in, and the next ledger says so
    settings.ECOTARGET_TODAY = "2022-07-20"
    submit(half_year, personas.zhujian, 12, 7, 40, unit_name="住建局", work_done="七月二十日报送")
    disposition, about, cells = ledger_of(client, half_year)
    assert "20220720" in disposition and about["制表日期"] == "2022年7月20日"
    assert "七月二十日报送" in cells
