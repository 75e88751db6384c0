"""Who sees the dashboard, where each role lands, the task list behind the figures, and a fixed number of
queries whatever the size of the plan."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.monitoring.services import bindings_apply
from ecotarget.organisation.models import Unit
from ecotarget.plandoc import parse_text
from ecotarget.plans.models import Target
from ecotarget.plans.services import plan_import
from ecotarget.progress.models import ProgressReport
from ecotarget.samples import JIANGLE_2022_PLAN, scaled_plan_text

from .scenario import PINNED


def dashboard_url(plan) -> str:
    return reverse("dashboard:plan", args=[plan.pk])


def tasks_url(plan, query: str = "") -> str:
    return reverse("dashboard:tasks", args=[plan.pk]) + query


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_leaders_and_coordinators_see_the_dashboard_and_its_charts(half_year, personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get(dashboard_url(half_year))
    assert response.status_code == 200
    page = response.content.decode()
    assert "目标任务总览" in page and "各章节任务状态" in page and "各单位按时报送率" in page
    assert 'id="chart-sections"' in page and "vendor/echarts/echarts.min.js" in page
    assert "http://" not in page.split("<body", 1)[1].replace("http://www.w3.org", "")  # nothing from outside


@pytest.mark.parametrize("persona", ["zhujian", "guyong"])
def test_reporters_are_sent_to_their_own_units_page(half_year, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    my_unit = reverse("progress:my_unit", args=[half_year.pk])
    for url in (dashboard_url(half_year), tasks_url(half_year), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == my_unit


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_leaders_and_coordinators_land_on_the_dashboard(half_year, personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == dashboard_url(half_year)


def test_another_county_does_not_see_the_plan(half_year, personas, client_for):
    client = client_for(personas.outsider)
    assert client.get(dashboard_url(half_year)).status_code == 404
    assert client.get(tasks_url(half_year)).status_code == 404


def test_a_user_without_a_role_is_refused_and_a_visitor_must_log_in(half_year, personas, client_for):
    assert client_for(personas.nobody).get(dashboard_url(half_year)).status_code == 403
    response = Client().get(dashboard_url(half_year))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_task_list_filters_by_status_section_and_unit(half_year, personas, client_for):
    client = client_for(personas.leader)
    done = client.get(tasks_url(half_year, "?status=done"))
    assert [p.task.number for p in done.context["progress"]] == [43]
    assert "已完成" in done.content.decode()
    zhujian = Unit.objects.get(region=half_year.region, name="住建局")
    behind = client.get(tasks_url(half_year, f"?unit={zhujian.pk}&lead=1&status=behind"))
    assert 12 in [p.task.number for p in behind.context["progress"]]
    assert "住建局（牵头）" in behind.content.decode()
    first = half_year.sections.filter(parent=None).order_by("order").first()
    section = client.get(tasks_url(half_year, f"?section={first.pk}"))
    assert {p.task.section_id for p in section.context["progress"]} == {first.pk}


def test_the_task_list_ignores_values_it_does_not_know(half_year, personas, client_for):
    response = client_for(personas.leader).get(tasks_url(half_year, "?status=nonsense&section=x&indicator=evil"))
    assert response.status_code == 200 and len(response.context["progress"]) == 64


def test_an_htmx_filter_change_gets_only_the_table(half_year, personas, client_for):
    response = client_for(personas.leader).get(tasks_url(half_year, "?status=done"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="task-rows"' in page and "<html" not in page


# --- constant queries -------------------------------------------------------------------------------------------


def _with_reports(bulk_reports, plan, coordinator) -> None:
    """Hand the plan out and give every unit an accepted report on every task for March to June (in bulk)."""
    bulk_reports(
        plan,
        coordinator,
        (3, 4, 5, 6),
        lambda month: {"progress": "in_progress", "percent": month * 8, "work_done": "按计划推进"},
    )


@pytest.fixture
def plans_of_two_sizes(jiangle, personas, settings, stations, bulk_reports):
    settings.ECOTARGET_TODAY = PINNED
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    small = plan_import(parse_text(text), region=jiangle).plan
    big = plan_import(parse_text(scaled_plan_text(text, 10).replace("2022年度", "2022年（扩大）")), region=jiangle).plan
    for plan in (small, big):
        _with_reports(bulk_reports, plan, personas.coordinator)
    # The same measured targets on both plans: the sample's bindings, copied onto the big plan's first copies.
    bindings = bindings_apply(plan=small)
    IndicatorBinding.objects.filter(target__task__plan=big).delete()  # the import bound all ten copies
    same_metric = {}
    for target in Target.objects.filter(task__plan=big).order_by("task__number", "order"):
        same_metric.setdefault((target.metric, target.source_text), target)
    IndicatorBinding.objects.bulk_create(
        IndicatorBinding(
            target=same_metric[(b.target.metric, b.target.source_text)], indicator=b.indicator, scope=b.scope
        )
        for b in bindings
    )
    assert IndicatorBinding.objects.filter(target__task__plan=big).count() == len(bindings) > 5
    assert (small.tasks.count(), big.tasks.count()) == (64, 640)
    assert (
        ProgressReport.objects.filter(task__plan=big).count()
        == 10 * ProgressReport.objects.filter(task__plan=small).count()
    )
    return small, big


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["dashboard", "task list"])
def test_the_dashboard_makes_as_many_queries_for_640_tasks_as_for_64(plans_of_two_sizes, personas, client_for, page):
    url = {"dashboard": dashboard_url, "task list": lambda plan: tasks_url(plan, "?status=behind")}[page]
    client = client_for(personas.leader)
    small, big = plans_of_two_sizes
    # Warm the session; the first read after a due date also keeps each closed period's statuses (written once).
    client.get(url(small))
    client.get(url(big))
    counts = [queries_for(client, url(plan)) for plan in (small, big)]
    assert counts[0] == counts[1] <= 40
