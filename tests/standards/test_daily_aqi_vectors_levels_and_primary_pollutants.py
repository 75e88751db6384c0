"""standards-spec §6.3 (daily AQI of several pollutants), §1.5 levels and §1.6 primary / exceeding pollutants."""

import numpy as np
import pytest

from ecotarget.standards.aqi import LEVELS, RuleRefused, daily_aqi, level_of, realtime_aqi


def day(**kw):
    base = {"so2": 0, "no2": 0, "pm10": 0, "co": 0, "o3_8h": 0, "o3_1h_max": 0, "pm2_5": 0}
    base.update(kw)
    return {k: [v] for k, v in base.items()}


def test_d1_ozone_8h_is_primary_under_both_editions():
    d = day(so2=10, no2=30, pm10=80, co=0.8, o3_1h_max=180, o3_8h=150, pm2_5=50)
    r12 = daily_aqi(d, "2012")
    assert r12.iaqi[0].tolist() == [10, 38, 65, 20, 75, 92, 69]
    assert (r12.aqi[0], r12.category[0], r12.primary_labels(published=True)[0]) == (92, "良", "臭氧8小时")
    r26 = daily_aqi(d, "2026")
    assert r26.iaqi[0].tolist() == [10, 38, 72, 20, 92, 80]
    assert (r26.aqi[0], r26.category[0], r26.primary_labels()[0]) == (92, "良", "o3_8h")


def test_d2_the_same_day_is_lightly_polluted_in_2012_and_good_in_2026():
    d = day(so2=5, no2=20, pm10=30, co=0.5, o3_1h_max=210, o3_8h=155, pm2_5=20)
    r12 = daily_aqi(d, "2012")
    assert r12.iaqi[0].tolist() == [5, 25, 30, 13, 105, 96, 29]
    assert (r12.aqi[0], r12.category[0], r12.primary_labels(published=True)[0]) == (105, "轻度污染", "臭氧1小时")
    r26 = daily_aqi(d, "2026")
    assert (r26.aqi[0], r26.category[0], r26.primary_labels(published=True)[0]) == (96, "良", "臭氧8小时")


def test_d3_particles_change_category_between_editions():
    d = day(pm2_5=70, pm10=100)
    assert daily_aqi(d, "2012").aqi[0] == 94
    assert daily_aqi(d, "2026").aqi[0] == 110
    assert daily_aqi(d, "2026").category[0] == "轻度污染"


@pytest.mark.parametrize(("edition", "aqi"), [("2012", 58), ("2026", 62)])
def test_d4_tied_indices_name_both_primary_pollutants(edition, aqi):
    r = daily_aqi(day(pm2_5=41, pm10=66, so2=5, no2=10, co=0.3, o3_8h=40, o3_1h_max=50), edition)
    assert r.aqi[0] == aqi
    assert r.primary_labels(published=True, sep=",")[0] == "颗粒物(PM10),细颗粒物(PM2.5)"


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_d5_aqi_of_exactly_50_has_no_primary_pollutant(edition):
    r = daily_aqi(day(pm2_5=35, pm10=20), edition)
    assert (r.aqi[0], r.category[0], r.primary_labels()[0]) == (50, "优", "")


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_d6_pm25_151_is_the_first_heavy_pollution_day(edition):
    r = daily_aqi({k: v * 2 for k, v in day(pm10=20).items()} | {"pm2_5": [150, 151]}, edition)
    assert r.aqi.tolist() == [200, 201]
    assert r.category.tolist() == ["中度污染", "重度污染"]


def test_d7_missing_pollutant_still_publishes_an_aqi_above_100():
    # O₃ 8h 182 → 100 + 50·22/55 = 120 exactly; PM2.5 missing
    r = daily_aqi({"so2": [5], "no2": [5], "pm10": [0], "co": [0.2], "o3_8h": [182], "pm2_5": [np.nan]}, "2026")
    assert r.aqi[0] == 120 and r.valid[0] and r.primary_labels()[0] == "o3_8h"


def test_d8_missing_pollutant_and_the_others_at_most_100_gives_no_aqi_and_no_valid_day():
    r = daily_aqi({"so2": [5], "no2": [5], "pm10": [0], "co": [0.2], "o3_8h": [136], "pm2_5": [np.nan]}, "2026")
    assert r.partial_aqi[0] == 80
    assert r.aqi[0] == -1 and not r.valid[0] and r.category[0] == "NA"


def test_exceeding_pollutants_are_listed_in_2012_only():
    d = day(pm2_5=80, pm10=160, o3_8h=100)
    assert daily_aqi(d, "2012").exceeding_labels()[0] == "pm10;pm2_5"
    assert daily_aqi(d, "2026").exceeding is None


def test_levels_categories_and_colours_follow_the_table():
    assert level_of([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500, -1]).tolist() == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 0,
    ]  # fmt: skip
    assert [lv.category for lv in LEVELS[1:]] == ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]
    assert LEVELS[5].rgb == (153, 0, 76) and LEVELS[6].colour == "褐红色"


def test_real_time_index_uses_daily_pm_breakpoints_of_the_edition():
    conc = {"so2": [5], "no2": [10], "pm10": [30], "co": [0.3], "o3": [50], "pm2_5": [70]}
    assert realtime_aqi(conc, "2012").aqi[0] == 94
    assert realtime_aqi(conc, "2026").aqi[0] == 110


def test_hj633_2012_own_real_time_rule_takes_24h_pm_and_8h_ozone_when_asked():
    conc = {
        "so2": [5], "no2": [10], "pm10": [30], "co": [0.3], "o3": [50], "pm2_5": [70],
        "pm2_5_24h": [40], "pm10_24h": [60], "o3_8h": [170],
    }  # fmt: skip
    r = realtime_aqi(conc, "2012", rule="hj633-2012")
    assert "O3_8H" in r.items and r.aqi[0] == 110  # O₃ 8h 170 → 100 + 50·10/55 = 109.09 → 110
    assert r.primary_labels()[0] == "o3_8h" and r.rule == "hj633-2012"
    # never chosen from the columns a file happens to have: the 1-hour values unless asked (issue 11)
    hourly = realtime_aqi(conc, "2012")
    assert hourly.rule == "hourly" and "O3_8H" not in hourly.items and hourly.aqi[0] == 94
    assert realtime_aqi(conc, "2026").aqi[0] == 110  # 2026 ignores those columns: PM2.5 1h 70 → 110
    with pytest.raises(RuleRefused):
        realtime_aqi(conc, "2026", rule="hj633-2012")


def test_concentrations_are_rounded_before_the_index():
    r = daily_aqi(day(pm2_5=75.4), "2012")
    assert r.aqi[0] == 100 and r.category[0] == "良"
