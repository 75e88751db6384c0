"""The monitoring pages: who may see them, what they show, and a fixed number of queries as data grow."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_readings import CLEAN


@pytest.fixture
def today_is(settings):
    def pin(day: date) -> None:
        settings.ECOTARGET_TODAY = day.isoformat()

    return pin


@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader"])
def test_members_of_the_region_see_the_measured_targets(plan, bound, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("monitoring:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("monitoring:indicator", args=[bound["PM2.5浓度"].pk])).status_code == 200


def test_another_county_sees_neither_the_plan_nor_its_indicators(plan, bound, personas, client_for):
    client = client_for(personas.outsider)
    assert client.get(reverse("monitoring:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("monitoring:indicator", args=[bound["PM2.5浓度"].pk])).status_code == 404


def test_the_indicator_page_shows_value_status_projection_and_the_monthly_table(
    bound, air_days, personas, client_for, today_is
):
    today_is(date(2022, 2, 15))
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 12} for d in range(1, 32)})
    page = client_for(personas.leader).get(reverse("monitoring:indicator", args=[bound["PM2.5浓度"].pk]))
    text = page.content.decode()
    assert "12 微克/立方米" in text and "达标" in text and "年底预计" in text
    assert '"values": [12.0, null' in text  # the chart's data, also shown as a table
    assert "vendor/echarts/echarts.min.js" in text


def test_the_plan_page_makes_as_many_queries_for_a_month_of_data_as_for_a_day(
    plan, bound, air_days, personas, client_for, today_is
):
    today_is(date(2022, 3, 31))
    client = client_for(personas.coordinator)
    url = reverse("monitoring:plan", args=[plan.pk])
    counts = []
    for days in (1, 30):
        air_days({date(2022, 3, 1) + timedelta(d): CLEAN | {"pm2_5": 12} for d in range(days)})
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 30
