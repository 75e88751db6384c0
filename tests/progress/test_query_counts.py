"""The reporter's page and the review list make the same number of SQL queries with few reports or many."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.plans.models import Assignment
from ecotarget.progress.measured import measured_target_ids, reported_by_hand
from ecotarget.progress.models import ProgressReport
from ecotarget.progress.services.reporting import ReportData, report_accept, report_save

from .helpers import PNG, period, unit


def fill(plan, user, unit_name: str, months: range, *, files: bool) -> None:
    """Every task of the unit reported and accepted in each month, with values and a picture."""
    tasks = list(plan.tasks.filter(assignments__unit__name=unit_name).prefetch_related("targets"))
    coordinator = plan.region.members.get(role="coordinator").user
    measured = measured_target_ids(tasks)
    for month in months:
        for task in tasks:
            typed = [t for t in reported_by_hand(task, measured) if t.value is not None]
            values = {t.pk: (t.value, date(2022, month, 1)) for t in typed}
            report = report_save(
                period=period(plan, month),
                task=task,
                unit=unit(unit_name),
                user=user,
                data=ReportData(progress="in_progress", percent=min(90, month * 8), work_done="推进中", values=values),
                version=0,
                submit=True,
                files=[("现场.png", PNG)] if files else [],
            )
            if month < 5:
                report_accept(report=report, user=coordinator, version=report.version)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["reporter", "review", "dashboard"])
def test_a_progress_page_makes_as_many_queries_with_many_reports_as_with_few(
    published, personas, client_for, clock, page
):
    clock(date(2022, 5, 20))
    # 古镛镇 co-reports on 住建局's task 17, so the lead's page also loads co-units' parts.
    client = client_for(personas.zhujian if page == "reporter" else personas.coordinator)
    url = {
        "reporter": reverse("progress:my_unit", args=[published.pk]),
        "review": reverse("progress:review", args=[published.pk]) + "?period=5&state=all",
        "dashboard": reverse("progress:dashboard", args=[published.pk]),
    }[page]
    client.get(url)
    # Few: this month's reports of both units (every kind of row present once, so every prefetch runs).
    fill(published, personas.zhujian, "住建局", range(5, 6), files=True)
    fill(published, personas.guyong, "古镛镇", range(5, 6), files=True)
    few = count(client, url)
    # Many: four earlier months of both units, with values and pictures.
    fill(published, personas.guyong, "古镛镇", range(1, 5), files=True)
    fill(published, personas.zhujian, "住建局", range(1, 5), files=True)
    assert ProgressReport.objects.count() > 5 * Assignment.objects.filter(unit__name="住建局").count()
    many = count(client, url)
    assert few == many
    assert many <= 26  # one of them checks that every closed period has kept its statuses (period_close)
