"""The new pages make the same number of SQL queries however many tasks are watched or groups resolved."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.progress.services.handout import plan_groups_keep_with_leads
from ecotarget.progress.services.oversight import instruction_give


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_leader_page_makes_as_many_queries_for_many_watches_and_instructions_as_for_few(
    published, personas, client_for, clock
):
    clock(date(2022, 6, 10))
    client = client_for(personas.leader)
    url = reverse("progress:leader")
    tasks = list(published.tasks.order_by("number"))
    for task in tasks[:2]:
        instruction_give(task=task, user=personas.leader, text="请抓紧")
    client.get(url)
    few = count(client, url)
    for task in tasks[2:20]:
        instruction_give(task=task, user=personas.leader, text="请抓紧")
    assert count(client, url) == few


def test_the_hand_out_page_makes_as_many_queries_with_groups_kept_as_without(plan, personas, client_for, clock):
    clock(date(2022, 3, 1))
    client = client_for(personas.coordinator)
    url = reverse("progress:publish", args=[plan.pk])
    client.get(url)
    unresolved = count(client, url)
    plan_groups_keep_with_leads(plan=plan, user=personas.coordinator)
    assert count(client, url) == unresolved
