"""The breakdown table and a unit's list as .xlsx, read back with openpyxl; text never becomes a formula."""

from io import BytesIO

from django.urls import reverse
from openpyxl import Workbook

from ecotarget.core.sheets import append_row
from ecotarget.organisation.models import Unit
from reports.files import workbook


def workbook_from(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return workbook(response.content)


def test_the_breakdown_table_has_every_task_with_its_owners_targets_and_deadlines(plan, personas, client_for):
    book = workbook_from(client_for(personas.leader).get(reverse("plans:export", args=[plan.pk])))
    sheet = book["任务分解表"]
    assert [c.value for c in sheet[2]] == ["序号", "任务", "牵头单位", "配合单位", "指标", "时限"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 64
    by_number = {row[0]: row for row in rows}
    assert by_number[15][2] == "生态环境局"
    assert "PM2.5浓度 ≤ 15 微克/立方米" in by_number[15][4]
    assert by_number[32][5].splitlines()[0].startswith("2022-09-30")
    assert by_number[16][3].startswith("公安局、应急局、古镛镇、水南镇")
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:F66"


def test_a_units_list_marks_what_it_leads_and_what_it_supports(plan, personas, client_for):
    unit = Unit.objects.get(region=plan.region, name="住建局")
    response = client_for(personas.zhujian).get(reverse("plans:unit", args=[plan.pk, unit.pk]) + "?format=xlsx")
    sheet = workbook_from(response)["责任清单"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    roles = {row[0]: row[2] for row in rows}
    assert roles[12] == "牵头" and roles[29] == "牵头" and roles[30] == "配合"
    assert [row[0] for row in rows] == sorted(roles)
    assert len(rows) == plan.tasks.filter(assignments__unit=unit).count()


FORMULAS = ['=HYPERLINK("http://example.org","住建局")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_append_row_keeps_text_that_looks_like_a_formula_as_text_and_numbers_as_numbers():
    sheet = Workbook().active
    append_row(sheet, [*FORMULAS, 12, 2.5, "普通文字"])
    read = workbook(_saved(sheet.parent)).active
    cells = list(read[1])
    assert [c.value for c in cells[: len(FORMULAS)]] == FORMULAS
    assert {c.data_type for c in cells[: len(FORMULAS)]} == {"s"}
    assert all(c.quotePrefix for c in cells[: len(FORMULAS)])
    number, decimal, plain = cells[len(FORMULAS) :]
    assert (number.value, number.data_type, decimal.value, decimal.data_type) == (12, "n", 2.5, "n")
    assert plain.value == "普通文字" and not plain.quotePrefix


def test_a_unit_name_from_an_imported_plan_is_text_in_the_breakdown_table_and_the_units_list(
    plan, personas, client_for
):
    unit = Unit.objects.get(region=plan.region, name="住建局")
    unit.name = FORMULAS[0]
    unit.save()
    sheet = workbook_from(client_for(personas.leader).get(reverse("plans:export", args=[plan.pk])))["任务分解表"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == 12)
    assert (row[0].value, row[0].data_type) == (12, "n")
    assert (row[2].value, row[2].data_type, row[2].quotePrefix) == (FORMULAS[0], "s", True)

    response = client_for(personas.zhujian).get(reverse("plans:unit", args=[plan.pk, unit.pk]) + "?format=xlsx")
    sheet = workbook_from(response)["责任清单"]
    assert (sheet["A1"].value, sheet["A1"].data_type) == (f"{FORMULAS[0]}责任清单（{plan.title}）", "s")
    assert sheet["A1"].quotePrefix
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def _saved(book) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
