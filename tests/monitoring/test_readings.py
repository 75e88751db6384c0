"""A bound target reads its year-to-date value from the stored data, exactly as the standards define it."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse

from ecotarget.monitoring.models import AnnualFigure, DayExclusion, ImportBatch, Indicator
from ecotarget.monitoring.readings import reading_for, readings_for
from ecotarget.monitoring.storage import water_records_store
from ecotarget.progress.services.handout import SetupData, plan_setup_save
from rendered_forms import form_with

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


# --- the year-end projection: the past years' monthly profile and the plan's risk margin ---------------------------


def days(first: date, last: date, **values) -> dict[date, dict]:
    """Every day from `first` to `last` with the same clean air and `values`."""
    count = (last - first).days + 1
    return {first + timedelta(days=i): CLEAN | values for i in range(count)}


def test_without_past_years_the_projection_assumes_the_rest_of_the_year_is_like_the_year_so_far(bound, air_days):
    air_days(days(date(2022, 1, 1), date(2022, 6, 30), pm2_5=16))
    reading = reading_for(bound["PM2.5浓度"], date(2022, 6, 30))
    assert (reading.value, reading.projection, reading.status) == (Decimal(16), Decimal(16), "missed")
    assert "按年初至今的平均浓度估算" in reading.assumption and "无往年逐日数据" in reading.assumption


def test_the_projection_weights_the_remaining_months_by_how_they_compared_in_past_years(bound, air_days):
    """2021: 20 µg/m³ every day to 30 June, 10 from July: the second half was half the first (ratio 0.5).
    2022: 16 every day to 30 June (181 days). The remaining 184 days are projected at 16 × 0.5 = 8, so the year
    ends at (16 × 181 + 8 × 184) / 365 = 4368 / 365 = 11.97 → 12 µg/m³: below the target of 15, though the
    year so far is above it — at risk, not missed."""
    air_days(days(date(2021, 1, 1), date(2021, 6, 30), pm2_5=20) | days(date(2021, 7, 1), date(2021, 12, 31), pm2_5=10))
    air_days(days(date(2022, 1, 1), date(2022, 6, 30), pm2_5=16))
    reading = reading_for(bound["PM2.5浓度"], date(2022, 6, 30))
    assert (reading.value, reading.projection, reading.status) == (Decimal(16), Decimal(12), "at_risk")
    assert "2021年同月与同期（1月1日至6月30日）平均浓度之比" in reading.assumption


def test_a_good_day_share_and_heavy_days_follow_the_past_years_months(jiangle, bound, air_days):
    """2021: every day good to 30 June; from July the odd days good and the even days not (115 µg/m³, AQI 151),
    in December the even days heavy (160 µg/m³, AQI 210). 2022 to 30 June: 181 valid days, 180 good.

    Good share so far 180/181. In 2021 the first half was all good, so each later month's ratio is its own good
    share: Jul 16/31, Aug 16/31, Sep 15/30, Oct 16/31, Nov 15/30, Dec 16/31. Expected good days in the rest of
    2022 = 180/181 × (16+16+15+16+15+16) = 93.48; the year: (180 + 93.48) / 365 = 74.9 %. Heavy days: 2021 had
    them only in December, on 15 of its 31 days, so 31 × 15/31 = 15 are expected."""
    second_half = {}
    day = date(2021, 7, 1)
    while day.year == 2021:
        bad = 160 if day.month == 12 else 115
        second_half[day] = CLEAN | {"pm2_5": bad if day.day % 2 == 0 else 20}
        day += timedelta(days=1)
    air_days(days(date(2021, 1, 1), date(2021, 6, 30), pm2_5=20) | second_half)
    air_days(days(date(2022, 1, 1), date(2022, 6, 29), pm2_5=20) | {date(2022, 6, 30): CLEAN | {"pm2_5": 115}})
    for year, value in [(2019, "90"), (2020, "90"), (2021, "90")]:
        AnnualFigure.objects.create(
            region=jiangle, indicator=Indicator.GOOD_DAY_RATIO, year=year, value=Decimal(value), source="测试"
        )
    good, heavy = readings_for([bound["空气质量优良天数比例"], bound["重污染天气"]], date(2022, 6, 30))
    assert good.value == Decimal("99.4")  # 180 / 181
    # Past good share per month: odd days good → Jul 16/31, Aug 16/31, Sep 15/30, Oct 16/31, Nov 15/30, Dec 16/31;
    # the first half was all good (1.0), so the ratios are those shares. Expected good days = Σ days × 180/181 ×
    # share = 180/181 × (16+16+15+16+15+16) = 180/181 × 94 = 93.48; (180 + 93.48) / 365 = 74.93 %.
    assert good.projection == Decimal("74.9") and good.status == "at_risk"  # 99.4 ≥ 90 now, not at year end
    assert heavy.value == Decimal(0) and heavy.projection == Decimal(15)
    assert "2021年同月重污染天出现的频率" in heavy.assumption


def setup_margin(plan, margin: int) -> None:
    plan_setup_save(plan=plan, user=None, data=SetupData(risk_margin=margin))


@pytest.mark.parametrize(
    ("pm25", "margin", "status"),
    [
        (14, 5, "met"),  # the risk line is 15 − 5 % = 14.25: 14 is clear of it
        (15, 5, "at_risk"),  # on the target: within the margin
        (14, 10, "at_risk"),  # 15 − 10 % = 13.5: 14 is within it
        (16, 10, "missed"),
    ],
)
def test_a_projection_within_the_plans_margin_of_the_target_is_at_risk(plan, bound, air_days, pm25, margin, status):
    setup_margin(plan, margin)
    air_days(january(1, 10, pm2_5=pm25))
    reading = reading_for(bound["PM2.5浓度"], date(2022, 1, 10))
    assert (reading.projection, reading.status) == (Decimal(pm25), status)
    assert reading.risk_line == Decimal(15) * (100 - margin) / 100
    assert f"距目标不足{margin}%" in reading.assumption


def test_a_share_of_100_percent_against_a_target_of_100_percent_is_met_whatever_the_margin(jiangle, stations, bound):
    store_water(jiangle, stations, {"JL-W01": GOOD_RIVER, "JL-W02": GOOD_RIVER})
    reading = reading_for(bound["流域水质优良比例"], date(2022, 3, 31))
    assert (reading.value, reading.status) == (Decimal("100.0"), "met")


def test_the_margin_is_set_on_the_setup_page_and_the_indicator_page_says_the_assumption(
    plan, bound, air_days, personas, client_for
):
    air_days(january(1, 10, pm2_5=14))
    client = client_for(personas.coordinator)
    url = reverse("progress:setup", args=[plan.pk])
    form = form_with(client.get(url).content.decode(), url, "risk_margin")
    assert dict(form.controls)["risk_margin"] == "5"
    response = client.post(form.url, form.data(risk_margin="10"))
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(reverse("monitoring:indicator", args=[bound["PM2.5浓度"].pk])).content.decode()
    assert "有风险" in detail and "距目标不足10%（越过 13.5 微克/立方米）时为有风险" in detail
