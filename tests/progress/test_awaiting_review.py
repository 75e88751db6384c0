"""A task whose latest lead report waits for review says so beside its status, wherever leaders and the
coordinator read statuses: the status still rests on what was accepted, but 未报送 alone would mislead."""

from datetime import date

from django.urls import reverse

from ecotarget.progress.services.oversight import task_watch

from .helpers import clock, published, submit, task

__all__ = ["clock", "published"]


def test_a_submitted_report_waiting_for_review_is_named_on_the_leaders_and_coordinators_pages(
    published, personas, clock, client_for
):
    clock(date(2022, 6, 20))
    task_watch(task=task(published, 12), user=personas.leader, watch=True)
    submit(published, personas.zhujian, 12, 6, 40, unit_name="住建局")

    leader_page = client_for(personas.leader).get(reverse("progress:leader")).content.decode()
    assert "已报送待审核" in leader_page
    dashboard = client_for(personas.coordinator).get(reverse("progress:dashboard", args=[published.pk]))
    row = dashboard.content.decode().split(f'id="task-{task(published, 12).pk}"')[1].split("</tr>")[0]
    assert "已报送待审核" in row
    other = dashboard.content.decode().split(f'id="task-{task(published, 13).pk}"')[1].split("</tr>")[0]
    assert "已报送待审核" not in other
