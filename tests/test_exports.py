"""The breakdown table and a unit's list as .xlsx, read back with openpyxl."""

from django.urls import reverse

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
