"""Importing a parsed plan: what is stored, and what a second import of the same or a changed document does."""

import dataclasses

import pytest

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment, Plan, Section, Target, Task, TaskChange
from ecotarget.plans.services import PlanImportError, plan_import


def owners(task: Task) -> list[tuple[str, str]]:
    return [(a.unit.name, a.role) for a in task.assignments.select_related("unit").order_by("order")]


def test_the_sample_plan_is_stored_with_64_tasks_in_7_sections_and_3_subsections(plan):
    assert plan.title == "将乐县2022年度党政领导生态环境保护目标责任书分解方案"
    assert plan.doc_number == "将政办〔2022〕13号"
    assert plan.year == 2022
    assert plan.tasks.count() == 64
    assert Section.objects.filter(plan=plan, parent=None).count() == 7
    assert Section.objects.filter(plan=plan, parent__isnull=False).count() == 3
    subsections = set(plan.tasks.filter(number__lte=13).values_list("subsection__title", flat=True))
    assert subsections == {"强化绿色管控", "加快绿色转型", "开展绿色创建"}
    assert not plan.tasks.filter(number__gt=13, subsection__isnull=False).exists()


def test_all_townships_expand_to_the_13_townships_of_the_region_as_co_units(plan):
    task = plan.tasks.get(number=14)
    stored = owners(task)
    assert stored[0] == ("生态环境局", "lead")
    townships = [name for name, role in stored[1:] if role == "co"]
    assert len(townships) == 13
    assert "古镛镇" in townships and "余坊乡" in townships


def test_relevant_townships_stay_a_group_beside_the_townships_named(plan):
    stored = owners(plan.tasks.get(number=16))
    assert stored == [
        ("生态环境局", "lead"),
        ("公安局", "co"),
        ("应急局", "co"),
        ("古镛镇", "co"),
        ("水南镇", "co"),
        ("有关乡(镇)", "co"),
    ]
    assert Unit.objects.get(region=plan.region, name="有关乡(镇)").kind == Unit.Kind.GROUP


def test_every_unit_of_the_sample_is_a_known_unit_of_the_region(jiangle, sample_document):
    known = set(Unit.objects.filter(region=jiangle).values_list("pk", flat=True))
    result = plan_import(sample_document, region=jiangle)
    assert result.new_units == []
    assert set(Assignment.objects.filter(task__plan=result.plan).values_list("unit", flat=True)) <= known


def test_targets_and_deadlines_are_stored_with_the_task(plan):
    pm = Target.objects.get(task__plan=plan, task__number=15, metric__contains="PM2.5")
    assert (pm.op, pm.value, pm.measure_unit) == ("<=", 15, "微克/立方米")
    dates = list(plan.tasks.get(number=32).milestones.values_list("due_on", flat=True))
    assert [d.isoformat() for d in dates] == ["2022-09-30", "2022-12-31"]


def test_importing_the_same_document_again_changes_nothing(plan, sample_document):
    history_before = TaskChange.objects.count()
    result = plan_import(sample_document, region=plan.region)
    assert result.unchanged and not result.created
    assert result.plan == plan
    assert TaskChange.objects.count() == history_before
    assert Plan.objects.count() == 1


def _with_task(document, number: int, **changes):
    tasks = [dataclasses.replace(t, **changes) if t.number == number else t for t in document.tasks]
    return dataclasses.replace(document, tasks=tasks)


def test_a_changed_document_is_refused_without_replace_and_nothing_is_written(plan, sample_document):
    changed = _with_task(sample_document, 3, text="强化水耗总量和强度双控。")
    result = plan_import(changed, region=plan.region)
    assert result.conflict and list(result.tasks_changed) == [3]
    assert plan.tasks.get(number=3).text == "强化水耗总量和强度控制。"


def test_replace_updates_the_task_in_place_and_keeps_what_changed_in_its_history(plan, sample_document, personas):
    task = plan.tasks.get(number=3)
    changed = _with_task(sample_document, 3, text="强化水耗总量和强度双控。")
    changed = dataclasses.replace(changed, tasks=[t for t in changed.tasks if t.number != 64])
    result = plan_import(changed, region=plan.region, replace=True, user=personas.coordinator)
    assert (result.tasks_changed.keys(), result.tasks_removed) == ({3}, [64])
    task.refresh_from_db()
    assert task.text == "强化水耗总量和强度双控。"
    change = TaskChange.objects.get(task=task, action=TaskChange.Action.REIMPORT)
    assert change.user == personas.coordinator
    assert change.changes["text"] == ["强化水耗总量和强度控制。", "强化水耗总量和强度双控。"]
    assert not plan.tasks.filter(number=64).exists()
    assert TaskChange.objects.filter(task_number=64, task=None).exists()


def test_a_dry_run_reports_what_it_would_do_and_stores_nothing(jiangle, sample_document):
    result = plan_import(sample_document, region=jiangle, dry_run=True)
    assert result.created and len(result.tasks_added) == 64
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_a_plan_for_a_region_that_is_not_loaded_is_refused(db, sample_document):
    with pytest.raises(PlanImportError, match="将乐县"):
        plan_import(sample_document)
    assert Plan.objects.count() == 0


def test_unknown_units_are_created_in_the_region_and_reported(jiangle, sample_document):
    ref = sample_document.tasks[0].units[0]
    renamed = _with_task(sample_document, 1, units=[dataclasses.replace(ref, name="大数据局")])
    result = plan_import(renamed, region=jiangle)
    assert result.new_units == ["大数据局"]
    assert owners(result.plan.tasks.get(number=1)) == [("大数据局", "lead")]
