"""SYNTHETIC monitoring data for the demo county: stations, hourly air and monthly water data up to the demo day,
past years' official figures for the baselines, and the plan's measurable targets bound to their indicators."""

import hashlib
from datetime import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from ecotarget.core import clock
from ecotarget.monitoring import demo
from ecotarget.monitoring.models import AirHour, AnnualFigure, ImportBatch, Indicator, Station, WaterSample
from ecotarget.monitoring.services import DATA_DIR, bindings_apply, stations_load
from ecotarget.monitoring.storage import AIR_FIELDS, air_records_store, water_records_store
from ecotarget.organisation.models import Region
from ecotarget.plans.models import Plan
from ecotarget.samples import DEMO_TODAY

# Invented past-year figures for the baselines (近三年平均值, 上年水平), labelled synthetic wherever they show.
PAST_FIGURES = {
    (Indicator.GOOD_DAY_RATIO, ""): {2019: "98.4", 2020: "99.2", 2021: "98.9"},
    (Indicator.SECTION_EXCELLENT_RATIO, ""): {2021: "62.5"},
}


class Command(BaseCommand):
    help = "载入演示监测数据（虚构）/ load SYNTHETIC monitoring data for the demo county"

    @transaction.atomic
    def handle(self, *args, **options):
        region = Region.objects.get(code="350428")
        stations = stations_load(region=region, path=DATA_DIR / "350428-jiangle-stations.json")
        air = [s for s in stations if s.medium == Station.Medium.AIR]
        water = [s for s in stations if s.medium == Station.Medium.WATER]
        year = DEMO_TODAY.year
        AirHour.objects.filter(station__in=air).delete()
        WaterSample.objects.filter(station__in=water).delete()
        ImportBatch.objects.filter(region=region, synthetic=True).delete()

        tz = clock.zone()
        labels, values = demo.air_year(year, len(air))
        until = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 23, 59)
        keep = [i for i, label in enumerate(labels) if label <= until]
        batch = ImportBatch.objects.create(
            region=region,
            kind=ImportBatch.Kind.AIR,
            file_name="演示数据（虚构）-空气小时值",
            sha256=hashlib.sha256(b"demo-air").hexdigest(),
            synthetic=True,
        )
        hour_ends = [labels[i].replace(tzinfo=tz) for i in keep]
        stored_air = air_records_store(
            batch=batch,
            stations=[station for station in air for _ in keep],
            hour_ends=hour_ends * len(air),
            values={f: values[:, keep, j].reshape(-1) for j, f in enumerate(AIR_FIELDS)},
        )

        days, samples, names = demo.water_year(year, len(water))
        months = [i for i, day in enumerate(days) if day <= DEMO_TODAY]
        batch = ImportBatch.objects.create(
            region=region,
            kind=ImportBatch.Kind.WATER,
            file_name="演示数据（虚构）-地表水",
            sha256=hashlib.sha256(b"demo-water").hexdigest(),
            synthetic=True,
        )
        stored_water = water_records_store(
            batch=batch,
            stations=[station for station in water for _ in months],
            days=[days[i] for i in months] * len(water),
            values={p: samples[:, months, j].reshape(-1) for j, p in enumerate(names)},
        )
        ImportBatch.objects.filter(synthetic=True, region=region, kind=ImportBatch.Kind.AIR).update(
            values_stored=stored_air
        )
        ImportBatch.objects.filter(synthetic=True, region=region, kind=ImportBatch.Kind.WATER).update(
            values_stored=stored_water
        )

        for (indicator, scope), by_year in PAST_FIGURES.items():
            for past_year, value in by_year.items():
                AnnualFigure.objects.update_or_create(
                    region=region,
                    indicator=indicator,
                    scope=scope,
                    year=past_year,
                    retired_at=None,
                    defaults={"value": Decimal(value), "source": "演示数据（虚构）", "synthetic": True},
                )
        plan = Plan.objects.filter(region=region, year=year).first()
        bound = bindings_apply(plan=plan) if plan else []
        self.stdout.write(
            f"监测演示数据（虚构）：{len(air)} 个空气点位 {stored_air} 个小时监测值，{len(water)} 个水质断面 "
            f"{stored_water} 个监测值（至 {DEMO_TODAY:%Y年%-m月%-d日}）；{len(bound)} 个指标与监测数据关联"
        )
