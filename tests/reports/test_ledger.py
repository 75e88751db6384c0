"""The ledger (台账) read back with openpyxl: one sheet per section with frozen headers and filters, every task
with every report and its submissions and reviews; the same for one unit."""

from datetime import date

import pytest
from django.urls import reverse

from ecotarget.organisation.models import Unit
from ecotarget.progress.models import ProgressReport
from ecotarget.reports.ledger import COLUMNS, ledger_xlsx
from ecotarget.reports.selectors import ledger
from reports.files import workbook

DAY = date(2022, 7, 8)


def rows_of(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]


def all_rows(book) -> list[dict]:
    return [row for sheet in book.worksheets[1:] for row in rows_of(sheet)]


def test_one_sheet_per_section_with_frozen_headers_and_filters(half_year):
    book = workbook(ledger_xlsx(ledger(half_year, as_of=DAY)))
    sections = half_year.sections.filter(parent=None).order_by("order")
    assert book.sheetnames == ["说明"] + [f"{s.number}、{s.title}"[:28] for s in sections]
    for sheet in book.worksheets[1:]:
        assert [c.value for c in sheet[1]] == [name for name, _ in COLUMNS]
        assert sheet.freeze_panes == "C2"
        assert sheet.auto_filter.ref == f"A1:V{sheet.max_row}"
        assert sheet["A1"].font.bold


def test_every_task_appears_and_every_report_is_a_row_with_its_reviews(half_year):
    rows = all_rows(workbook(ledger_xlsx(ledger(half_year, as_of=DAY))))
    assert {r["任务序号"] for r in rows} == set(range(1, 65))
    twelve = [r for r in rows if r["任务序号"] == 12]
    assert [r["填报周期"] for r in twelve] == ["2022年3月", "2022年4月", "2022年5月", "2022年上半年"]
    june = twelve[-1]
    assert (june["报送单位"], june["角色"], june["报告状态"], june["完成比例（%）"]) == ("住建局", "牵头", "已审核", 20)
    assert june["工作进展"] == "完成3个小区雨污分流改造" and june["存在问题"] == "老旧小区改造资金尚未到位"
    assert "林督查 审核通过" in june["报送与审核记录"] and "王填报 报送" in june["报送与审核记录"]
    assert june["审核人"] == "林督查"
    late = next(r for r in rows if r["任务序号"] == 43)
    assert late["逾期报送"] == "是"
    fourteen = [r for r in rows if r["任务序号"] == 14]
    assert {r["报送单位"] for r in fourteen} == {"古镛镇"} and {r["角色"] for r in fourteen} == {"配合"}
    assert next(r for r in rows if r["任务序号"] == 17)["填报周期"] == "（无报告）"


def test_a_units_ledger_has_its_tasks_and_only_its_own_reports(half_year):
    guyong = Unit.objects.get(region=half_year.region, name="古镛镇")
    rows = all_rows(workbook(ledger_xlsx(ledger(half_year, guyong, as_of=DAY))))
    assert {r["任务序号"] for r in rows} == {14, 15, 16, 17, 60}
    assert {r["报送单位"] for r in rows if r["报送单位"]} == {"古镛镇"}


def ledger_url(plan, query: str = "") -> str:
    return reverse("reports:ledger", args=[plan.pk]) + query


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_coordinators_and_leaders_export_every_units_ledger_or_one_units(half_year, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    response = client.get(ledger_url(half_year))
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    assert len({r["任务序号"] for r in all_rows(workbook(response.content))}) == 64
    guyong = Unit.objects.get(region=half_year.region, name="古镛镇")
    response = client.get(ledger_url(half_year, f"?unit={guyong.pk}"))
    assert {r["任务序号"] for r in all_rows(workbook(response.content))} == {14, 15, 16, 17, 60}


def test_a_reporter_gets_only_its_own_units_ledger(half_year, personas, client_for):
    client = client_for(personas.guyong)
    response = client.get(ledger_url(half_year))
    assert response.status_code == 200
    assert {r["任务序号"] for r in all_rows(workbook(response.content))} == {14, 15, 16, 17, 60}
    zhujian = Unit.objects.get(region=half_year.region, name="住建局")
    assert client.get(ledger_url(half_year, f"?unit={zhujian.pk}")).status_code == 403


def test_another_county_and_users_without_a_role_get_no_ledger(half_year, personas, client_for, other_county):
    assert client_for(personas.outsider).get(ledger_url(half_year)).status_code == 404
    assert client_for(personas.nobody).get(ledger_url(half_year)).status_code == 403
    foreign = other_county.units.first()
    assert client_for(personas.coordinator).get(ledger_url(half_year, f"?unit={foreign.pk}")).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "leader", "zhujian"])
def test_the_ledger_page_offers_what_each_role_may_export(half_year, personas, client_for, persona):
    page = client_for(getattr(personas, persona)).get(reverse("reports:ledger_home")).content.decode()
    assert ("导出本单位台账（住建局）" in page) == (persona == "zhujian")
    assert ("导出全部单位台账" in page) == (persona != "zhujian")


def test_a_reporters_text_that_looks_like_a_formula_stays_text_and_numbers_stay_numbers(half_year):
    texts = {"work_done": "=1+1", "problems": "@SUM(A1)", "next_steps": "-1+2", "review_comment": "\t=HYPERLINK(1)"}
    report = ProgressReport.objects.get(task__plan=half_year, task__number=12, period__label="2022年上半年")
    ProgressReport.objects.filter(pk=report.pk).update(**texts)
    book = workbook(ledger_xlsx(ledger(half_year, as_of=DAY)))
    cells = [c for sheet in book.worksheets[1:] for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c for c in cells if c.data_type == "f"] == []
    by_value = {c.value: c for c in cells if c.value in texts.values()}
    assert set(by_value) == set(texts.values())
    assert all(c.data_type == "s" and c.quotePrefix for c in by_value.values())
    june = next(r for r in all_rows(book) if r["任务序号"] == 12 and r["填报周期"] == "2022年上半年")
    assert june["完成比例（%）"] == 20 and june["工作进展"] == "=1+1"
