"""Who may see and change the plan pages: every persona against every page and action."""

import pytest
from django.urls import reverse

READ_PAGES = ["overview", "matrix", "history", "export", "unit", "task"]


def url_of(name: str, plan) -> str:
    task = plan.tasks.get(number=12)
    unit = task.assignments.first().unit
    return {
        "overview": reverse("plans:overview", args=[plan.pk]),
        "matrix": reverse("plans:matrix", args=[plan.pk]),
        "history": reverse("plans:history", args=[plan.pk]),
        "export": reverse("plans:export", args=[plan.pk]),
        "unit": reverse("plans:unit", args=[plan.pk, unit.pk]),
        "task": reverse("plans:task", args=[task.pk]),
        "task_edit": reverse("plans:task_edit", args=[task.pk]),
        "upload": reverse("plans:upload"),
    }[name]


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader"])
def test_members_of_the_region_can_read_every_plan_page(plan, personas, client_for, persona, page):
    response = client_for(getattr(personas, persona)).get(url_of(page, plan))
    assert response.status_code == 200


@pytest.mark.parametrize("page", [*READ_PAGES, "task_edit"])
def test_a_coordinator_of_another_county_gets_not_found(plan, personas, client_for, page):
    assert client_for(personas.outsider).get(url_of(page, plan)).status_code == 404


@pytest.mark.parametrize("page", [*READ_PAGES, "task_edit", "upload"])
def test_a_user_without_a_role_is_forbidden(plan, personas, client_for, page):
    assert client_for(personas.nobody).get(url_of(page, plan)).status_code == 403


@pytest.mark.parametrize("page", [*READ_PAGES, "task_edit", "upload"])
def test_an_anonymous_visitor_is_sent_to_log_in(plan, client, page):
    response = client.get(url_of(page, plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["zhujian", "guyong", "leader"])
@pytest.mark.parametrize("page", ["task_edit", "upload"])
def test_only_the_coordinator_may_edit_tasks_or_import_plans(plan, personas, client_for, persona, page):
    client = client_for(getattr(personas, persona))
    assert client.get(url_of(page, plan)).status_code == 403
    assert client.post(url_of(page, plan), {"text": "改写"}).status_code == 403
    assert client.post(reverse("plans:import_confirm")).status_code == 403
    assert plan.tasks.get(number=12).text == "推进生活垃圾分类。"


def test_the_coordinator_may_open_the_editor_and_the_import_page(plan, personas, client_for):
    client = client_for(personas.coordinator)
    assert client.get(url_of("task_edit", plan)).status_code == 200
    assert client.get(url_of("upload", plan)).status_code == 200


def test_a_unit_of_another_region_is_not_found_under_this_plan(plan, personas, client_for, other_county):
    foreign = other_county.units.first()
    response = client_for(personas.coordinator).get(reverse("plans:unit", args=[plan.pk, foreign.pk]))
    assert response.status_code == 404


def test_home_sends_leaders_to_the_dashboard_and_reporters_to_their_units_page(plan, personas, client_for):
    response = client_for(personas.leader).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:plan", args=[plan.pk])
    response = client_for(personas.zhujian).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("progress:my_unit", args=[plan.pk])
