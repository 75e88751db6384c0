"""A measured target's figures are computed once per change of the data, kept for every server process, and the
pages show a change — an import, a deducted day, a station, a binding, a target, the plan's risk margin — at once.

The pages read are the leader's dashboard (张县长) and the indicator's page, as of 10 January 2022.
"""

import pickle
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.monitoring import cache
from ecotarget.monitoring.models import ComputedMeasure, Station
from ecotarget.monitoring.readings import reading_for
from ecotarget.monitoring.services import binding_set_edition, exclusion_add, exclusion_remove, measurements_import
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.services.handout import SetupData, plan_setup_save

from .test_readings import january

HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"


@pytest.fixture
def as_of_january_10(settings):
    settings.ECOTARGET_TODAY = "2022-01-10"


@pytest.fixture
def leader(personas, client_for):
    return client_for(personas.leader)


def pm25_page(client, binding) -> str:
    return client.get(reverse("monitoring:indicator", args=[binding.pk])).content.decode()


def air_queries(client, url: str) -> int:
    """How many queries of the page read the hourly air data."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum("monitoring_airhour" in q["sql"] for q in captured)


def air_file(tmp_path, days: range, pm2_5: int):
    """An hourly air file of both stations for these January days, PM2.5 the same every hour."""
    rows = [HEADER]
    for day in days:
        for hour in range(1, 25):
            stamp = datetime(2022, 1, day) + timedelta(hours=hour)
            for station in ("JL-A01", "JL-A02"):
                rows.append(f"{station},{stamp:%Y-%m-%d %H:%M},{pm2_5},30,5,10,0.5,60")
    path = tmp_path / "air.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_dashboard_computes_the_air_year_once_and_later_pages_read_it_kept(
    plan, bound, air_days, leader, as_of_january_10
):
    air_days(january(1, 10, pm2_5=12))
    url = reverse("dashboard:plan", args=[plan.pk])
    assert air_queries(leader, url) > 0  # the first read computes
    assert ComputedMeasure.objects.filter(version=cache.data_version(plan.region_id)).exists()
    assert air_queries(leader, url) == 0
    assert air_queries(leader, reverse("monitoring:indicator", args=[bound["PM2.5浓度"].pk])) == 0


def test_what_one_server_process_computed_another_reads_from_the_database(plan, bound, air_days, as_of_january_10):
    air_days(january(1, 10, pm2_5=12))
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 10)).value == Decimal(12)
    # What a process keeps is nowhere but the database: a kept result changed there is what any process reads.
    kept = ComputedMeasure.objects.get(key__contains=":pm2_5_annual:")
    measure = cache.recall({plan.region_id: kept.version}, {kept.key: plan.region_id})[kept.key]
    cache.keep({plan.region_id: kept.version}, {kept.key: (plan.region_id, replace(measure, value=Decimal(99)))})
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 10)).value == Decimal(99)


def test_an_import_shows_on_the_pages_at_once(
    jiangle, plan, bound, stations, personas, leader, as_of_january_10, tmp_path
):
    measurements_import(
        region=jiangle, path=air_file(tmp_path, range(1, 11), 12), file_name="一月.csv", kind="air", user=None
    )
    assert "12 微克/立方米" in pm25_page(leader, bound["PM2.5浓度"])
    url = reverse("dashboard:plan", args=[plan.pk])
    leader.get(url)
    assert air_queries(leader, url) == 0
    # The audited data of the same hours: a later file revises the real-time one.
    measurements_import(
        region=jiangle,
        path=air_file(tmp_path, range(1, 11), 30),
        file_name="一月（更正）.csv",
        kind="air",
        user=personas.coordinator,
    )
    assert air_queries(leader, url) > 0  # computed anew
    assert "30 微克/立方米" in pm25_page(leader, bound["PM2.5浓度"])


def test_a_deducted_day_and_its_cancellation_show_at_once(jiangle, bound, air_days, personas, leader, as_of_january_10):
    air_days(january(1, 9, pm2_5=12) | january(10, 10, pm2_5=102))  # mean (8 × 12 + 102) / 10 = 21.6 → 21
    assert "21 微克/立方米" in pm25_page(leader, bound["PM2.5浓度"])
    exclusion = exclusion_add(region=jiangle, day=date(2022, 1, 10), reason="沙尘天气", user=personas.coordinator)
    assert "12 微克/立方米" in pm25_page(leader, bound["PM2.5浓度"])
    exclusion_remove(exclusion=exclusion, user=personas.coordinator, reason="核实非沙尘")
    assert "21 微克/立方米" in pm25_page(leader, bound["PM2.5浓度"])


def test_a_station_taken_out_of_the_county_evaluation_shows_at_once(
    bound, air_days, stations, leader, as_of_january_10
):
    air_days(january(1, 10, pm2_5=12))
    assert "<dt>评价点位数</dt><dd>2</dd>" in pm25_page(leader, bound["PM2.5浓度"])
    station = next(s for s in stations.values() if s.medium == Station.Medium.AIR)
    station.evaluates_city = False
    station.save()
    assert "<dt>评价点位数</dt><dd>1</dd>" in pm25_page(leader, bound["PM2.5浓度"])


def test_a_binding_edition_a_target_and_the_risk_margin_show_at_once(
    plan, bound, air_days, personas, leader, as_of_january_10
):
    air_days(january(1, 10, pm2_5=14))
    binding = bound["PM2.5浓度"]
    page = pm25_page(leader, binding)
    assert "达标" in page and "HJ 633-2012" in page
    # The plan's margin: 15 − 10 % = 13.5, and 14 is within it.
    plan_setup_save(plan=plan, user=personas.coordinator, data=SetupData(risk_margin=10))
    assert "有风险" in pm25_page(leader, binding)
    # The target itself: ≤ 13 is missed.
    task = binding.target.task
    edit = TaskEdit.of(task)
    edit.targets = [t | {"value": Decimal(13)} if t["id"] == binding.target_id else t for t in edit.targets]
    task_update(task=task, user=personas.coordinator, edit=edit)
    assert "未达标" in pm25_page(leader, binding)
    # The binding's edition: the 2026 standards.
    binding_set_edition(binding=binding, edition="2026", user=personas.coordinator)
    assert "HJ 633-2026" in pm25_page(leader, binding)


def test_a_kept_result_that_cannot_be_read_is_computed_again(bound, air_days, as_of_january_10):
    air_days(january(1, 10, pm2_5=12))
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 10)).value == Decimal(12)
    ComputedMeasure.objects.update(value=b"not a kept result")  # e.g. written by a release whose classes differ
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 10)).value == Decimal(12)
    assert pickle.loads(ComputedMeasure.objects.get(key__contains=":pm2_5_annual:").value).value == Decimal(12)
