"""An edit, a granted request or a re-import changes what it says and nothing else: every owner, target and
milestone that did not change stays the same row, so its monitoring binding, the values reported for it and the
day its unit started are kept; the history says what changed in a coordinator's words."""

from datetime import date
from decimal import Decimal

import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.organisation.models import Unit
from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Assignment, Target, TaskChange
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, plan_import, task_update
from ecotarget.progress.models import ChangeRequest, Period, ProgressReport, TargetValue
from ecotarget.progress.services.changes import change_request_decide
from ecotarget.samples import JIANGLE_2022_PLAN
from progress.helpers import clock, published
from test_task_edit import edit_form

__all__ = ["clock", "published"]  # fixtures shared with tests/progress

MEASURED_IN_TASK_15 = {
    "空气质量优良天数比例",
    "达到国家二级标准的污染物指标项数",
    "重污染天气",
    "PM2.5浓度",
    "PM10浓度",
}


def task_of(plan, number):
    return tasks_with_details(plan.tasks.filter(number=number))[0]


def edit_of(task, **changes) -> TaskEdit:
    """The task as the editor holds it (each target row carries its id, as the editor's hidden field does)."""
    edit = TaskEdit.of(task)
    for name, value in changes.items():
        setattr(edit, name, value)
    return edit


def report_value(plan, task, value="18") -> TargetValue:
    """A value of task 15's PM2.5 target in its lead unit's report of the plan's first period."""
    lead = task.assignments.get(role="lead")
    report = ProgressReport.objects.create(period=Period.objects.filter(plan=plan).first(), task=task, unit=lead.unit)
    return TargetValue.objects.create(
        report=report, target=task.targets.get(metric="PM2.5浓度"), value=value, as_of=date(2022, 3, 31)
    )


def test_the_imported_plan_binds_task_15s_five_measured_targets(plan):
    bound = IndicatorBinding.objects.filter(target__task=task_of(plan, 15))
    assert {b.target.metric for b in bound} == MEASURED_IN_TASK_15


@time_machine.travel("2022-07-08 10:00 +0800")
def test_adding_a_co_unit_keeps_the_measured_targets_their_values_and_the_owners_start(published, personas):
    plan = published
    task = task_of(plan, 15)
    bindings_before = set(IndicatorBinding.objects.filter(target__task=task).values_list("pk", "target_id"))
    value = report_value(plan, task)
    owners_before = {a.unit.name: (a.pk, a.starts_on) for a in task.assignments.all()}
    police = Unit.objects.get(region=plan.region, name="公安局")

    task_update(task=task, user=personas.coordinator, edit=edit_of(task, units=[*edit_of(task).units, (police, "co")]))

    assert set(IndicatorBinding.objects.filter(target__task=task).values_list("pk", "target_id")) == bindings_before
    assert TargetValue.objects.filter(pk=value.pk).exists()
    owners = {a.unit.name: (a.pk, a.starts_on) for a in Assignment.objects.filter(task=task).select_related("unit")}
    assert {name: owners[name] for name in owners_before} == owners_before
    assert all(starts_on is None for _, starts_on in owners_before.values())  # named by the plan: from hand-out on
    assert owners["公安局"][1] == date(2022, 7, 8)


@time_machine.travel("2022-07-08 10:00 +0800")
def test_the_task_editor_adding_a_co_unit_keeps_the_bindings(plan, personas, client_for):
    task = task_of(plan, 15)
    before = IndicatorBinding.objects.filter(target__task=task).count()
    police = Unit.objects.get(region=plan.region, name="公安局")
    client = client_for(personas.coordinator)
    response = client.post(
        reverse("plans:task_edit", args=[task.pk]), edit_form(client, task, **{f"unit_{police.pk}": "co"})
    )
    assert response.status_code == 302, response.content.decode()
    assert Assignment.objects.filter(task=task, unit=police).exists()
    assert IndicatorBinding.objects.filter(target__task=task).count() == before == 5


def test_rewording_a_bound_target_in_the_task_editor_keeps_its_binding(plan, personas, client_for):
    task = task_of(plan, 15)
    pm25 = task.targets.get(metric="PM2.5浓度")
    row = [t.pk for t in task.targets.all()].index(pm25.pk)
    client = client_for(personas.coordinator)
    typed = {f"targets-{row}-metric": "细颗粒物年均浓度", f"targets-{row}-value": "14"}
    response = client.post(reverse("plans:task_edit", args=[task.pk]), edit_form(client, task, **typed))
    assert response.status_code == 302, response.content.decode()
    reworded = Target.objects.get(pk=pm25.pk)
    assert (reworded.metric, reworded.value) == ("细颗粒物年均浓度", Decimal("14"))
    assert IndicatorBinding.objects.get(target=reworded).indicator == "pm2_5_annual"


def test_changing_a_bound_targets_wording_keeps_its_binding(plan, personas):
    task = task_of(plan, 15)
    edit = edit_of(task)
    pm25 = next(row for row in edit.targets if row["metric"] == "PM2.5浓度")
    binding = IndicatorBinding.objects.get(target_id=pm25["id"])
    pm25 |= {"metric": "细颗粒物（PM2.5）年均浓度", "value": Decimal("14")}
    task_update(task=task, user=personas.coordinator, edit=edit)
    binding.refresh_from_db()
    assert (binding.target.metric, binding.target.value) == ("细颗粒物（PM2.5）年均浓度", Decimal("14"))


def test_a_changed_target_value_without_an_id_is_still_the_same_target(plan, personas):
    task = task_of(plan, 15)
    edit = edit_of(task)
    for row in edit.targets:
        del row["id"]
    pm10 = next(row for row in edit.targets if row["metric"] == "PM10浓度")
    target_id = IndicatorBinding.objects.get(target__task=task, target__metric="PM10浓度").target_id
    pm10["value"] = Decimal("30")
    task_update(task=task, user=personas.coordinator, edit=edit)
    assert Target.objects.get(pk=target_id).value == Decimal("30")


def test_removing_a_target_removes_only_that_target(plan, personas):
    task = task_of(plan, 15)
    edit = edit_of(task)
    edit.targets = [row for row in edit.targets if row["metric"] != "重污染天气"]
    task_update(task=task, user=personas.coordinator, edit=edit)
    assert set(IndicatorBinding.objects.filter(target__task=task).values_list("target__metric", flat=True)) == (
        MEASURED_IN_TASK_15 - {"重污染天气"}
    )


def test_reimporting_a_changed_document_keeps_the_unchanged_targets_and_their_bindings(plan, bound, personas):
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    task = task_of(plan, 15)
    bindings_before = set(IndicatorBinding.objects.filter(target__task__plan=plan).values_list("pk", "target_id"))
    assert "PM2.5、PM10浓度分别不高于15、29微克/立方米" in text
    changed = parse_text(text.replace("分别不高于15、29微克", "分别不高于15、28微克"))
    result = plan_import(changed, region=plan.region, replace=True, user=personas.coordinator)
    assert list(result.tasks_changed) == [15]
    assert len(bindings_before) == len(bound) > 10
    assert (
        set(IndicatorBinding.objects.filter(target__task__plan=plan).values_list("pk", "target_id")) == bindings_before
    )
    assert task.targets.get(metric="PM10浓度").value == Decimal("28")


def history_text(client, task) -> str:
    """The text of the history table on the task's page, as the person reads it."""
    page = BeautifulSoup(client.get(reverse("plans:task", args=[task.pk])).content, "html.parser")
    return page.find("table", class_="history").get_text(" ", strip=True)


def test_the_history_reads_in_a_coordinators_words(plan, personas, client_for):
    task = task_of(plan, 32)
    police = Unit.objects.get(region=plan.region, name="公安局")
    edit = edit_of(
        task,
        units=[*edit_of(task).units, (police, "co")],
        deadlines=[(date(2022, 10, 31), "完成千人以下水源地划定"), (date(2022, 12, 31), "完成整治")],
        targets=[
            {
                "metric": "水源地划定数量",
                "op": ">=",
                "value": Decimal("12"),
                "measure_unit": "个",
                "baseline": "",
                "reduction": False,
            }
        ],
    )
    task_update(task=task, user=personas.coordinator, edit=edit)
    history = history_text(client_for(personas.leader), task)
    assert "公安局（配合）" in history
    assert "2022年9月30日 完成千人以下水源地划定" in history and "2022年10月31日 完成千人以下水源地划定" in history
    assert "水源地划定数量 ≥ 12 个" in history
    for code in ("2022-09-30", "'co'", "co）", ">=", "lead"):
        assert code not in history


def test_a_binding_change_reads_in_words_in_the_history(plan, personas, client_for):
    task = task_of(plan, 15)
    history = history_text(client_for(personas.leader), task)
    assert "监测指标绑定" in history
    assert (
        "PM2.5浓度 ≤ 15 微克/立方米：由责任单位填报 → PM2.5浓度 ≤ 15 微克/立方米：由监测数据计算（PM2.5年均浓度）"
        in history
    )


@time_machine.travel("2022-07-08 10:00 +0800")
def test_a_granted_deadline_request_is_logged_as_a_granted_request_with_its_reason(plan, personas):
    task = task_of(plan, 32)
    water = Unit.objects.get(region=plan.region, name="水利局")
    request = ChangeRequest.objects.create(
        task=task,
        unit=water,
        kind=ChangeRequest.Kind.DEADLINE,
        proposal="顺延一个月",
        new_due_on=date(2023, 1, 31),
        reason="汛期影响施工",
        requested_by=personas.coordinator,
    )
    change_request_decide(change_request=request, user=personas.coordinator, grant=True)
    change = TaskChange.objects.get(task=task, action__in=[TaskChange.Action.EDIT, TaskChange.Action.REQUEST])
    assert change.action == TaskChange.Action.REQUEST
    assert change.changes["reason"] == [None, "汛期影响施工"]
