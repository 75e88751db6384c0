"""The coordinator corrects a task (a parse is never perfect); every change is kept with who and when."""

from django.urls import reverse

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import TaskChange


def edit_form(task, **overrides) -> dict:
    """The editor's form as the browser would post it, pre-filled from the task."""
    data = {"text": task.text}
    for a in task.assignments.all():
        data[f"unit_{a.unit_id}"] = a.role
    targets = list(task.targets.all())
    data |= {"targets-TOTAL_FORMS": str(len(targets) + 1), "targets-INITIAL_FORMS": str(len(targets))}
    for i, t in enumerate(targets):
        data |= {
            f"targets-{i}-metric": t.metric,
            f"targets-{i}-op": t.op,
            f"targets-{i}-value": "" if t.value is None else str(t.value),
            f"targets-{i}-unit": t.unit,
            f"targets-{i}-baseline": t.baseline,
        }
        if t.reduction:
            data[f"targets-{i}-reduction"] = "on"
    milestones = list(task.milestones.all())
    data |= {
        "deadlines-TOTAL_FORMS": str(len(milestones) + 1),
        "deadlines-INITIAL_FORMS": str(len(milestones)),
    }
    for i, m in enumerate(milestones):
        data |= {f"deadlines-{i}-due_on": m.due_on.isoformat(), f"deadlines-{i}-what": m.what}
    return data | overrides


def test_saving_the_editor_unchanged_records_nothing(plan, personas, client_for):
    task = plan.tasks.get(number=15)
    response = client_for(personas.coordinator).post(reverse("plans:task_edit", args=[task.pk]), edit_form(task))
    assert response.status_code == 302
    assert not TaskChange.objects.filter(task=task, action=TaskChange.Action.EDIT).exists()


def test_the_coordinator_changes_text_owners_a_target_and_a_deadline_and_the_history_says_so(
    plan, personas, client_for
):
    task = plan.tasks.get(number=12)
    lin = client_for(personas.coordinator)
    sanitation = Unit.objects.get(region=plan.region, name="古镛镇")
    form = edit_form(
        task,
        text="推进城区生活垃圾分类。",
        **{
            f"unit_{sanitation.pk}": "co",
            "targets-0-metric": "城区生活垃圾分类覆盖率",
            "targets-0-op": ">=",
            "targets-0-value": "90",
            "targets-0-unit": "%",
            "deadlines-0-due_on": "2022-11-30",
            "deadlines-0-what": "完成城区小区全覆盖",
        },
    )
    response = lin.post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 302

    task.refresh_from_db()
    assert task.text == "推进城区生活垃圾分类。"
    assert [(a.unit.name, a.role) for a in task.assignments.all()] == [("住建局", "lead"), ("古镛镇", "co")]
    assert [t.describe() for t in task.targets.all()] == ["城区生活垃圾分类覆盖率 ≥ 90 %"]
    assert [(m.due_on.isoformat(), m.what) for m in task.milestones.all()] == [("2022-11-30", "完成城区小区全覆盖")]

    change = TaskChange.objects.get(task=task, action=TaskChange.Action.EDIT)
    assert change.user == personas.coordinator
    assert set(change.changes) == {"text", "units", "targets", "deadlines"}
    page = lin.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "林督查" in page and "推进生活垃圾分类。" in page and "推进城区生活垃圾分类。" in page


def test_a_task_without_a_lead_unit_is_refused_and_left_as_it_was(plan, personas, client_for):
    task = plan.tasks.get(number=12)
    lead = task.assignments.get()
    form = edit_form(task, **{f"unit_{lead.unit_id}": "co"})
    response = client_for(personas.coordinator).post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 200
    assert "至少选择一个牵头单位" in response.content.decode()
    assert task.assignments.get().role == "lead"


def test_a_target_needs_a_value_or_a_baseline(plan, personas, client_for):
    task = plan.tasks.get(number=12)
    form = edit_form(task, **{"targets-0-metric": "覆盖率", "targets-0-op": ">="})
    response = client_for(personas.coordinator).post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 200
    assert not task.targets.exists()
