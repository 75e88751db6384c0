"""交办 (hand-out) asks for confirmation on a page listing every unit and its task counts, and is refused while a
有关乡(镇)-style group on a task is unresolved: the coordinator names its townships (task editor) or keeps it with
one of the task's units answering for it."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import GroupOwner, PlanSetup, Receipt
from ecotarget.progress.services.handout import SetupData, plan_publish, plan_setup_save

from .pages import form_data, soup

GROUP_TASKS = [16, 17, 32, 33]  # the sample plan names 有关乡(镇) among the units of these four tasks


@pytest.fixture
def fresh(plan, personas, clock, settings, tmp_path):
    """The sample plan, imported and set up but not handed out."""
    clock(date(2022, 3, 1))
    plan_setup_save(plan=plan, user=personas.coordinator, data=SetupData())
    return plan


def publish_url(plan) -> str:
    return reverse("progress:publish", args=[plan.pk])


def page_of(client, plan):
    response = client.get(publish_url(plan))
    assert response.status_code == 200
    return soup(response)


def confirm_form(page):
    return next((f for f in page.select("form") if f.select_one("input[name=action][value=confirm]")), None)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_setup_page_leads_to_a_confirmation_page_that_lists_each_unit_and_its_tasks(fresh, personas, client_for):
    client = client_for(personas.coordinator)
    setup = soup(client.get(reverse("progress:setup", args=[fresh.pk])))
    assert not [f for f in setup.select("form") if f.get("action") == publish_url(fresh)]  # no one-click hand-out
    assert setup.select_one(f"a[href='{publish_url(fresh)}']").text.startswith("交办方案")

    page = page_of(client, fresh)
    rows = {tr.select("td")[0].text: [td.text for td in tr.select("td")[1:]] for tr in page.select("section tbody tr")}
    assert rows["住建局"] == ["8", "1", "本次交办"]  # leads 12, 17, 29, 35, 43, 45, 48, 58; supports 30
    assert "有关乡(镇)" not in rows  # a group signs for nothing
    assert not Receipt.objects.exists() and PlanSetup.objects.get(plan=fresh).published_at is None


def test_hand_out_is_refused_while_a_group_is_unresolved_and_the_refusal_names_the_tasks(fresh, personas, client_for):
    client = client_for(personas.coordinator)
    page = page_of(client, fresh)
    refusal = page.select_one("[role=alert]").text
    assert all(f"任务 {n}（有关乡(镇)）" in refusal for n in GROUP_TASKS)
    assert confirm_form(page) is None
    for number in GROUP_TASKS:  # each offers the task editor, to name the townships
        task = fresh.tasks.get(number=number)
        assert page.select_one(f"a[href='{reverse('plans:task_edit', args=[task.pk])}']").text == "列明具体乡(镇)"

    response = client.post(publish_url(fresh), {"action": "confirm"})  # as an old page or a script would
    assert response.status_code == 302 and not Receipt.objects.exists()
    assert "任务 16（有关乡(镇)）" in messages_of(response)[0]
    with pytest.raises(ProgressError, match=r"任务 16.*任务 17.*任务 32.*任务 33"):
        plan_publish(plan=fresh, user=personas.coordinator)


def name_townships(task: Task, names: list[str], user) -> None:
    """What the task editor saves when the coordinator replaces 有关乡(镇) by named townships."""
    task = tasks_with_details(Task.objects.filter(pk=task.pk))[0]
    units = [(a.unit, a.role) for a in task.assignments.all() if a.unit.kind != Unit.Kind.GROUP]
    units += [(Unit.objects.get(region=task.plan.region, name=name), "co") for name in names]
    targets = [
        {k: getattr(t, k) for k in ("metric", "op", "value", "measure_unit", "baseline", "reduction", "source_text")}
        for t in task.targets.all()
    ]
    deadlines = [(m.due_on, m.what) for m in task.milestones.all()]
    task_update(task=task, user=user, edit=TaskEdit(text=task.text, units=units, targets=targets, deadlines=deadlines))


def test_each_group_is_resolved_by_naming_townships_or_keeping_it_with_an_owner_then_the_plan_is_handed_out(
    fresh, personas, client_for
):
    client = client_for(personas.coordinator)
    task16, task17 = fresh.tasks.get(number=16), fresh.tasks.get(number=17)

    # Task 16: keep the group, 公安局 (a co-unit of the task) follows it up.
    page = page_of(client, fresh)
    keep16 = next(f for f in page.select("form") if f.select_one(f"input[name=task][value='{task16.pk}']"))
    owners = {o.text: o["value"] for o in keep16.select("select[name=owner] option")}
    assert next(iter(owners)) == "生态环境局"  # the lead unit is offered first
    assert "有关乡(镇)" not in owners
    response = client.post(publish_url(fresh), form_data(keep16, owner=owners["公安局"]))
    assert "任务 16：保留“有关乡(镇)”，由公安局负责落实" in messages_of(response)
    kept = GroupOwner.objects.get(task=task16)
    assert (kept.owner.name, kept.decided_by) == ("公安局", personas.coordinator)

    # Task 17: name the townships in the task editor; the group leaves the task.
    name_townships(task17, ["万安镇", "高唐镇"], personas.coordinator)

    # Tasks 32 and 33: keep the rest with each task's lead unit.
    page = page_of(client, fresh)
    assert "任务 32（有关乡(镇)）" in page.select_one("[role=alert]").text
    rest = next(f for f in page.select("form") if f.select_one("input[name=action][value=keep_leads]"))
    client.post(publish_url(fresh), form_data(rest))
    assert {g.task.number: g.owner.name for g in GroupOwner.objects.select_related("task", "owner")} == {
        16: "公安局",
        32: "生态环境局",
        33: "生态环境局",
    }

    page = page_of(client, fresh)
    assert page.select_one("[role=alert]") is None
    assert "已保留，由 公安局 负责落实" in page.select_one("#groups").text
    response = client.post(publish_url(fresh), form_data(confirm_form(page)))
    assert response["Location"] == reverse("progress:receipts", args=[fresh.pk])
    handed = set(Receipt.objects.filter(plan=fresh).values_list("unit__name", flat=True))
    assert {"万安镇", "高唐镇", "住建局", "公安局"} <= handed and "有关乡(镇)" not in handed


def test_the_owner_must_be_one_of_the_tasks_own_units(fresh, personas, client_for):
    task16 = fresh.tasks.get(number=16)
    group = Unit.objects.get(region=fresh.region, name="有关乡(镇)")
    stranger = Unit.objects.get(region=fresh.region, name="住建局")  # not on task 16
    response = client_for(personas.coordinator).post(
        publish_url(fresh), {"action": "keep", "task": task16.pk, "group": group.pk, "owner": stranger.pk}
    )
    assert messages_of(response) == ["负责单位须是任务 16 的责任单位"]
    assert not GroupOwner.objects.exists()


@pytest.mark.parametrize("persona, status", [("zhujian", 403), ("leader", 403), ("outsider", 404), ("nobody", 403)])
def test_only_the_regions_coordinator_sees_the_hand_out_page_or_resolves_groups(
    fresh, personas, client_for, persona, status
):
    client = client_for(getattr(personas, persona))
    assert client.get(publish_url(fresh)).status_code == status
    assert client.post(publish_url(fresh), {"action": "keep_leads"}).status_code == status
    assert not GroupOwner.objects.exists()
