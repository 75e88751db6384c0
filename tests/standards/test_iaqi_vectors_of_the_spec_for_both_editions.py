"""standards-spec §6.2: single-pollutant IAQI, hand-checked, under HJ 633-2012 and HJ 633-2026."""

import numpy as np
import pytest

from ecotarget.standards.aqi import daily_aqi, iaqi, realtime_aqi

# (id, item, concentration in integer units (CO in 0.1 mg/m³), IAQI 2012, IAQI 2026)
VECTORS = [
    ("V1", "PM2_5_24H", 0, 0, 0),
    ("V2", "PM2_5_24H", 35, 50, 50),
    ("V3", "PM2_5_24H", 36, 52, 52),
    ("V4", "PM2_5_24H", 60, 82, 100),
    ("V5", "PM2_5_24H", 61, 83, 101),
    ("V6", "PM2_5_24H", 70, 94, 110),
    ("V7", "PM2_5_24H", 75, 100, 114),
    ("V8", "PM2_5_24H", 76, 102, 115),
    ("V9", "PM2_5_24H", 115, 150, 150),
    ("V10", "PM2_5_24H", 150, 200, 200),
    ("V11", "PM2_5_24H", 151, 201, 201),
    ("V12", "PM2_5_24H", 500, 500, 500),
    ("V14", "PM10_24H", 120, 85, 100),
    ("V15", "PM10_24H", 121, 86, 101),
    ("V16", "PM10_24H", 150, 100, 112),
    ("V17", "PM10_24H", 151, 101, 112),
    ("V18", "PM10_24H", 600, 500, 500),
    ("V19", "SO2_24H", 150, 100, 100),
    ("V20", "SO2_24H", 200, 108, 108),
    ("V21", "SO2_24H", 475, 150, 150),
    ("V22", "SO2_24H", 2620, 500, 500),
    ("V23", "NO2_24H", 80, 100, 100),
    ("V24", "NO2_24H", 81, 101, 101),
    ("V25", "CO_24H", 22, 55, 55),
    ("V26", "CO_24H", 24, 60, 60),
    ("V27", "CO_24H", 40, 100, 100),
    ("V28", "CO_24H", 41, 101, 101),
    ("V29", "O3_8H", 160, 100, 100),
    ("V30", "O3_8H", 161, 101, 101),
    ("V31", "O3_8H", 266, 201, 201),
    ("V32", "O3_8H", 800, 300, 300),
    ("V33", "O3_1H", 200, 100, 100),
    ("V34", "O3_1H", 210, 105, 105),
    ("V35", "SO2_1H", 800, 200, 200),
    ("V36", "NO2_1H", 201, 101, 101),
    ("V37", "CO_1H", 101, 101, 101),
]


@pytest.mark.parametrize(("vid", "item", "c", "v2012", "v2026"), VECTORS, ids=[v[0] for v in VECTORS])
def test_iaqi_matches_the_hand_checked_value_of_each_edition(vid, item, c, v2012, v2026):
    assert iaqi(item, [c], "2012").values.tolist() == [v2012]
    assert iaqi(item, [c], "2026").values.tolist() == [v2026]


def test_a_whole_column_of_vectors_is_computed_in_one_call():
    pm = [v for v in VECTORS if v[1] == "PM2_5_24H"]
    got = iaqi("PM2_5_24H", np.array([v[2] for v in pm]), "2026").values
    assert got.tolist() == [v[4] for v in pm]


def test_index_is_rounded_up_never_to_nearest():
    # 36 µg/m³ → 51.25 → 52; CO 2.2 mg/m³ is exactly 55 (float arithmetic gives 55.000…01 → 56)
    assert iaqi("PM2_5_24H", [36], "2012").values[0] == 52
    assert iaqi("CO_24H", [22], "2012").values[0] == 55


def test_v38_so2_hourly_above_800_uses_the_24h_index_in_2012_and_200_in_2026():
    conc = {"so2": [801], "no2": [10], "pm10": [10], "co": [0.2], "o3": [10], "pm2_5": [10], "so2_24h": [300]}
    r2012 = realtime_aqi(conc, "2012")
    assert r2012.iaqi[0, r2012.items.index("SO2_1H")] == 124
    assert r2012.aqi[0] == 124
    r2026 = realtime_aqi(conc, "2026")
    assert r2026.aqi[0] == 200


def test_v39_so2_hourly_900_without_a_24h_value_is_missing_in_2012_and_200_in_2026():
    conc = {"so2": [900], "no2": [10], "pm10": [10], "co": [0.2], "o3": [10], "pm2_5": [10]}
    r2012 = realtime_aqi(conc, "2012")
    assert r2012.missing[0, r2012.items.index("SO2_1H")]
    assert r2012.aqi[0] == -1  # the others give ≤ 100, so HJ 633-2026 §5.3 forbids publishing an AQI
    assert realtime_aqi(conc, "2026").aqi[0] == 200


def test_v40_ozone_8h_above_800_uses_the_1h_index_in_2012_and_300_in_2026():
    low = {"so2": [5], "no2": [5], "pm10": [5], "co": [0.1], "pm2_5": [5]}
    r2012 = daily_aqi({**low, "o3_8h": [801], "o3_1h_max": [700]}, "2012")
    assert r2012.aqi[0] == 275 and r2012.category[0] == "重度污染"
    assert not r2012.missing.any()
    assert r2012.primary_labels(published=True)[0] == "臭氧1小时"
    r2026 = daily_aqi({**low, "o3_8h": [801]}, "2026")
    assert r2026.aqi[0] == 300 and r2026.category[0] == "重度污染"


@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_v41_v42_above_the_top_breakpoint_is_500_and_flagged(edition):
    pm = iaqi("PM2_5_24H", [501], edition)
    co = iaqi("CO_24H", [601], edition)
    assert pm.values[0] == 500 and pm.over_range[0]
    assert co.values[0] == 500 and co.over_range[0]
    assert not iaqi("PM2_5_24H", [500], edition).over_range[0]


def test_missing_concentration_gives_no_index():
    assert iaqi("NO2_24H", [-1, 40], "2012").values.tolist() == [-1, 50]
