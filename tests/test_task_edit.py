"""The coordinator corrects a task (a parse is never perfect); every change is kept with who and when."""

from django.contrib.auth.models import User
from django.urls import reverse

from ecotarget.organisation.models import Membership, Unit
from ecotarget.plans.models import TaskChange
from rendered_forms import errors_in, the_form


def edit_form(client, task, **overrides) -> dict:
    """The editor's form as the browser posts it: read from the rendered page, then changed where a person types."""
    url = reverse("plans:task_edit", args=[task.pk])
    return the_form(client.get(url).content.decode(), url).data(**overrides)


def test_saving_the_editor_unchanged_records_nothing(plan, personas, client_for):
    task = plan.tasks.get(number=15)
    lin = client_for(personas.coordinator)
    response = lin.post(reverse("plans:task_edit", args=[task.pk]), edit_form(lin, task))
    assert response.status_code == 302
    assert not TaskChange.objects.filter(task=task, action=TaskChange.Action.EDIT).exists()


def test_the_coordinator_changes_text_owners_a_target_and_a_deadline_and_the_history_says_so(
    plan, personas, client_for
):
    task = plan.tasks.get(number=12)
    lin = client_for(personas.coordinator)
    sanitation = Unit.objects.get(region=plan.region, name="古镛镇")
    form = edit_form(
        lin,
        task,
        text="推进城区生活垃圾分类。",
        **{
            f"unit_{sanitation.pk}": "co",
            "targets-0-metric": "城区生活垃圾分类覆盖率",
            "targets-0-op": ">=",
            "targets-0-value": "90",
            "targets-0-measure_unit": "%",
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
    lin = client_for(personas.coordinator)
    form = edit_form(lin, task, **{f"unit_{lead.unit_id}": "co"})
    response = lin.post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 200
    assert "至少选择一个牵头单位" in response.content.decode()
    assert task.assignments.get().role == "lead"


def test_a_target_needs_a_value_or_a_baseline(plan, personas, client_for):
    task = plan.tasks.get(number=12)
    lin = client_for(personas.coordinator)
    form = edit_form(lin, task, **{"targets-0-metric": "覆盖率", "targets-0-op": ">="})
    response = lin.post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 200
    assert not task.targets.exists()


def test_every_task_of_the_sample_plan_saves_unchanged_as_the_editor_renders_it(plan, personas, client_for):
    lin = client_for(personas.coordinator)
    for task in plan.tasks.order_by("number"):
        response = lin.post(reverse("plans:task_edit", args=[task.pk]), edit_form(lin, task))
        assert response.status_code == 302, (task.number, errors_in(response.content.decode()))
    assert not TaskChange.objects.filter(task__plan=plan, action=TaskChange.Action.EDIT).exists()


def test_a_new_target_row_filled_in_part_is_refused_in_its_row_saying_what_is_missing(plan, personas, client_for):
    task = plan.tasks.get(number=1)
    lin = client_for(personas.coordinator)
    extra = task.targets.count()  # the blank row after the task's own targets
    form = edit_form(lin, task, **{f"targets-{extra}-value": "90"})
    response = lin.post(reverse("plans:task_edit", args=[task.pk]), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写指标名称；不需要这一行请清空或勾选删除" in errors_in(page)
    assert "未保存" in page
    rendered = the_form(page, reverse("plans:task_edit", args=[task.pk]))
    assert (f"targets-{extra}-value", "90") in rendered.controls  # what was typed stays in its row
    assert task.targets.count() == extra


def test_a_new_target_row_filled_in_full_is_added(plan, personas, client_for):
    task = plan.tasks.get(number=1)
    lin = client_for(personas.coordinator)
    extra = task.targets.count()
    row = {"metric": "绿色建筑占比", "value": "60", "measure_unit": "%"}
    form = edit_form(lin, task, **{f"targets-{extra}-{name}": value for name, value in row.items()})
    assert lin.post(reverse("plans:task_edit", args=[task.pk]), form).status_code == 302
    assert task.targets.last().describe() == "绿色建筑占比 ≤ 60 %"


def test_two_coordinators_editing_at_once_the_second_save_is_refused_keeping_what_it_typed(
    plan, personas, client_for, jiangle
):
    """Both open the editor; the first saves; the second's save would silently undo it: refused, naming who and
    when, with the typed words still on the page; saving again from that page then takes the second's words."""
    song = User.objects.create_user(username="song", first_name="宋督查")
    Membership.objects.create(user=song, region=jiangle, role=Membership.Role.COORDINATOR)
    task = plan.tasks.get(number=12)
    lin, other = client_for(personas.coordinator), client_for(song)
    url = reverse("plans:task_edit", args=[task.pk])
    first, second = edit_form(lin, task, text="林的表述。"), edit_form(other, task, text="宋的表述。")
    assert lin.post(url, first).status_code == 302
    response = other.post(url, second)
    page = response.content.decode()
    assert response.status_code == 200 and "林督查修改" in page and "您的修改未保存" in page
    assert "宋的表述。" in page  # kept for the user
    task.refresh_from_db()
    assert task.text == "林的表述。"
    assert TaskChange.objects.filter(task=task, action=TaskChange.Action.EDIT).count() == 1
    again = the_form(page, url).data()
    assert other.post(url, again).status_code == 302
    task.refresh_from_db()
    assert task.text == "宋的表述。"
