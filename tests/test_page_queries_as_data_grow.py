"""The pages people use most make as many SQL queries after five months of reports and monitoring data as after
one: the leader's dashboard (张县长), the reporter's page (王填报 of 住建局), the coordinator's review list and
ledger (林督查), and the monitoring page. Counted as a page is served again (the readings computed for the data as
they are), and once more right after the data grew."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.monitoring.models import AirHour, WaterSample
from monitoring.test_readings import CLEAN, GOOD_RIVER, store_water
from progress.helpers import clock, published
from progress.test_query_counts import fill

__all__ = ["clock", "published"]

PAGES = {
    "dashboard": ("leader", lambda plan: reverse("dashboard:plan", args=[plan.pk])),
    "home": ("leader", lambda plan: reverse("home")),
    "reporter": ("zhujian", lambda plan: reverse("progress:my_unit", args=[plan.pk])),
    "review": ("coordinator", lambda plan: reverse("progress:review", args=[plan.pk]) + "?period=5&state=all"),
    "status overview": ("coordinator", lambda plan: reverse("progress:dashboard", args=[plan.pk])),
    "ledger": ("coordinator", lambda plan: reverse("reports:ledger_home")),
    "ledger export": ("coordinator", lambda plan: reverse("reports:ledger", args=[plan.pk])),
    "monitoring": ("leader", lambda plan: reverse("monitoring:plan", args=[plan.pk])),
}

# At most (today's counts and two to spare): the dashboard and the reporter's page each read the statuses (about
# ten queries), the readings (four: the data version, the kept measures, past figures, the risk margin) and their
# own rows.
MOST = {
    "dashboard": 32,
    "home": 6,
    "reporter": 28,
    "review": 14,
    "status overview": 27,
    "ledger": 8,
    "ledger export": 13,
    "monitoring": 15,
}


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code in (200, 302)
    return len(captured)


def monitoring_data(region, stations, air_days, months: range) -> None:
    """Every day of these months at both air stations, and a monthly sample at every water station."""
    first, last = date(2022, months.start, 1), date(2022, months.stop, 1) - timedelta(days=1)
    air_days({first + timedelta(d): CLEAN | {"pm2_5": 20 + d % 7} for d in range((last - first).days + 1)})
    water = [c for c, s in stations.items() if s.medium == "water"]
    for month in months:
        store_water(region, stations, {c: GOOD_RIVER for c in water}, day=date(2022, month, 10))


@pytest.mark.parametrize("page", PAGES)
def test_a_page_makes_as_many_queries_with_five_months_of_data_as_with_one(
    published, bound, stations, air_days, personas, client_for, clock, page
):
    clock(date(2022, 5, 20))
    persona, url_of = PAGES[page]
    client = client_for(getattr(personas, persona))
    url = url_of(published)
    # One month: May's reports of both units (every kind of row present once), May's monitoring data.
    fill(published, personas.zhujian, "住建局", range(5, 6), files=True)
    fill(published, personas.guyong, "古镛镇", range(5, 6), files=True)
    monitoring_data(published.region, stations, air_days, range(5, 6))
    client.get(url)  # computes the readings for these data
    small = count(client, url)
    # Five months: January to April too, reports and data.
    fill(published, personas.guyong, "古镛镇", range(1, 5), files=True)
    fill(published, personas.zhujian, "住建局", range(1, 5), files=True)
    monitoring_data(published.region, stations, air_days, range(1, 5))
    assert AirHour.objects.count() > 4 * 31 * 24 and WaterSample.objects.count() > 4 * 5
    first = count(client, url)  # the data changed: computed again
    grown = count(client, url)
    assert grown == small
    assert first >= grown
    assert grown <= MOST[page]
