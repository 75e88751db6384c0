"""A bound target reads its year-to-date value from the stored data, exactly as the standards define it."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from ecotarget.monitoring.models import AnnualFigure, DayExclusion, ImportBatch, Indicator
from ecotarget.monitoring.readings import reading_for, readings_for
from ecotarget.monitoring.services import water_records_store

CLEAN = {"so2": 5, "no2": 10, "pm10": 30, "co": 0.5, "o3": 60}


def january(first: int, last: int, **values) -> dict[date, dict]:
    return {date(2022, 1, d): CLEAN | values for d in range(first, last + 1)}


def test_pm25_is_the_gb_t_8170_rounded_mean_of_the_county_daily_values(bound, air_days):
    air_days(january(1, 5, pm2_5=10) | january(6, 10, pm2_5=23))  # mean 16.5 → 16 (half to even)
    reading = reading_for(bound["PM2.5浓度"], date(2022, 1, 10))
    assert reading.value == Decimal(16)
    assert reading.monthly[0] == Decimal(16) and reading.monthly[1] is None
    assert reading.status == "missed"  # target ≤ 15
    assert "GB 3095-2012" in reading.edition


def test_only_data_up_to_the_day_asked_count(bound, air_days):
    air_days(january(1, 5, pm2_5=10) | january(6, 10, pm2_5=23))
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 5)).value == Decimal(10)
    assert reading_for(bound["PM2.5浓度"], date(2022, 1, 5)).status == "met"


def test_good_day_ratio_compares_with_the_average_of_the_previous_three_years(jiangle, bound, air_days):
    air_days(january(1, 9, pm2_5=23) | january(10, 10, pm2_5=160))  # one heavy day (IAQI 210)
    for year, value in [(2019, "95"), (2020, "96"), (2021, "97")]:
        AnnualFigure.objects.create(
            region=jiangle, indicator=Indicator.GOOD_DAY_RATIO, year=year, value=Decimal(value), source="测试"
        )
    good, heavy = readings_for([bound["空气质量优良天数比例"], bound["重污染天气"]], date(2022, 1, 10))
    assert (good.value, good.threshold, good.status) == (Decimal("90.0"), Decimal("96.0"), "missed")
    assert "近三年平均" in good.threshold_note
    assert (heavy.value, heavy.status) == (Decimal(1), "missed")


def test_without_the_past_years_the_relative_target_has_no_baseline(bound, air_days):
    air_days(january(1, 3, pm2_5=23))
    reading = reading_for(bound["空气质量优良天数比例"], date(2022, 1, 3))
    assert reading.value == Decimal("100.0")
    assert reading.status == "no_data" and "缺少 2019、2020、2021 年数值" in reading.threshold_note


def test_a_deducted_dust_day_leaves_the_official_figure_but_not_the_measured_one(jiangle, bound, air_days):
    air_days(january(1, 9, pm2_5=23) | january(10, 10, pm2_5=160))
    DayExclusion.objects.create(region=jiangle, day=date(2022, 1, 10), reason="沙尘天气")
    reading = reading_for(bound["重污染天气"], date(2022, 1, 10))
    assert reading.value == Decimal(0) and reading.facts["实测值（不扣除）"] == 1
    assert reading.facts["扣除天数（沙尘/例外事件）"] == 1


def test_a_target_without_data_says_so(bound):
    assert reading_for(bound["PM10浓度"], date(2022, 6, 30)).status == "no_data"


def store_water(region, stations, samples: dict[str, dict[str, float]], day=date(2022, 3, 10)):
    batch = ImportBatch.objects.create(region=region, kind="water", file_name="w.csv", sha256="0" * 64)
    codes = list(samples)
    parameters = sorted({p for values in samples.values() for p in values})
    water_records_store(
        batch=batch,
        stations=[stations[c] for c in codes],
        days=[day] * len(codes),
        values={p: np.array([samples[c].get(p, np.nan) for c in codes]) for p in parameters},
    )


GOOD_RIVER = {"ph": 7.2, "do": 7.0, "codmn": 3.0, "nh3n": 0.4, "tp": 0.08}  # class Ⅱ


@pytest.mark.parametrize(
    ("nh3n", "good_ratio", "class_v"),
    [(0.4, "100.0", 0), (1.2, "50.0", 0), (1.8, "50.0", 1), (2.5, "50.0", 1)],
)
def test_river_sections_are_classed_by_their_worst_item(jiangle, stations, bound, nh3n, good_ratio, class_v):
    store_water(jiangle, stations, {"JL-W01": GOOD_RIVER, "JL-W02": GOOD_RIVER | {"nh3n": nh3n}})
    good, worst = readings_for([bound["流域水质优良比例"], bound["Ⅴ类水体"]], date(2022, 3, 31))
    assert good.value == Decimal(good_ratio)
    assert worst.value == Decimal(class_v)  # "不得出现Ⅴ类" also catches 劣Ⅴ
    assert good.facts["参与评价的断面/水源地"] == 2


def test_the_national_sections_ratio_counts_only_national_sections(jiangle, stations, bound):
    store_water(jiangle, stations, {"JL-W01": GOOD_RIVER, "JL-W02": GOOD_RIVER | {"nh3n": 1.8}})
    reading = reading_for(bound["国控断面优良比例"], date(2022, 3, 31))
    assert (reading.value, reading.status) == (Decimal("100.0"), "met")


def test_a_sample_after_the_day_asked_is_not_counted(jiangle, stations, bound):
    store_water(jiangle, stations, {"JL-W02": GOOD_RIVER | {"nh3n": 1.8}}, day=date(2022, 5, 10))
    assert reading_for(bound["Ⅴ类水体"], date(2022, 4, 30)).status == "no_data"
    assert reading_for(bound["Ⅴ类水体"], date(2022, 5, 31)).value == Decimal(1)


def test_drinking_water_sources_comply_at_class_iii(jiangle, stations, bound):
    store_water(jiangle, stations, {"JL-D01": GOOD_RIVER, "JL-D02": GOOD_RIVER | {"nh3n": 1.2}})
    reading = reading_for(bound["乡镇级及以上集中式生活饮用水水源地水质达标率"], date(2022, 3, 31))
    assert (reading.value, reading.status) == (Decimal("50.0"), "missed")


def test_year_to_date_stops_at_the_end_of_the_plan_year(bound, air_days):
    air_days(january(1, 2, pm2_5=12))
    assert reading_for(bound["PM2.5浓度"], date(2023, 3, 1)).as_of == date(2022, 12, 31)
