"""Plan pages make the same number of SQL queries whether the plan has 64 tasks or 640."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.core import actions
from ecotarget.plandoc import parse_text
from ecotarget.plans.services import TaskEdit, plan_import, task_update
from ecotarget.progress.services.oversight import task_watch
from ecotarget.samples import JIANGLE_2022_PLAN, scaled_plan_text


@pytest.fixture
def plans_of_two_sizes(jiangle):
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    small = plan_import(parse_text(text), region=jiangle).plan
    big_text = scaled_plan_text(text, 10).replace("2022年度", "2023年度")
    big = plan_import(parse_text(big_text), region=jiangle).plan
    assert (small.tasks.count(), big.tasks.count()) == (64, 640)
    return small, big


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = {
    "overview": lambda plan, unit: reverse("plans:overview", args=[plan.pk]),
    "filtered overview": lambda plan, unit: reverse("plans:overview", args=[plan.pk]) + f"?unit={unit}&q=水",
    "matrix": lambda plan, unit: reverse("plans:matrix", args=[plan.pk]),
    "unit list": lambda plan, unit: reverse("plans:unit", args=[plan.pk, unit]),
    "export": lambda plan, unit: reverse("plans:export", args=[plan.pk]),
    # The plan's timeline: the import logged one action per task, 64 against 640.
    "history": lambda plan, unit: reverse("plans:history", args=[plan.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_makes_as_many_queries_for_640_tasks_as_for_64(plans_of_two_sizes, personas, client_for, page):
    small, big = plans_of_two_sizes
    unit = small.tasks.get(number=15).assignments.first().unit_id
    client = client_for(personas.coordinator)
    client.get(PAGES[page](small, unit))  # warm the session and the user
    counts = [queries_for(client, PAGES[page](plan, unit)) for plan in (small, big)]
    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_the_task_page_reads_its_timeline_in_as_many_queries_for_many_actions_as_for_one(plan, personas, client_for):
    task = plan.tasks.get(number=15)
    client = client_for(personas.coordinator)
    url = reverse("plans:task", args=[task.pk])
    client.get(url)  # warm the session and the user
    one = queries_for(client, url)
    logged = actions.task_timeline(task.pk).count()  # its import and its targets' bindings
    for n in range(30):
        task_update(task=task, user=personas.coordinator, edit=replace(TaskEdit.of(task), text=f"{task.text}（{n}）"))
    assert actions.task_timeline(task.pk).count() == logged + 30
    assert queries_for(client, url) == one


def test_the_progress_task_page_reads_its_timeline_in_as_many_queries_for_many_actions_as_for_one(
    plan, personas, client_for
):
    task = plan.tasks.get(number=15)
    client = client_for(personas.leader)
    url = reverse("progress:task", args=[task.pk])
    client.get(url)  # warm the session and the user
    one = queries_for(client, url)
    logged = actions.task_timeline(task.pk).count()
    for n in range(30):
        task_watch(task=task, user=personas.leader, watch=n % 2 == 0)
    assert actions.task_timeline(task.pk).count() == logged + 30
    assert queries_for(client, url) == one
