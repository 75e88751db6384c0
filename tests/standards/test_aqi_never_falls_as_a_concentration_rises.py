"""Property (hypothesis): raising any one concentration never lowers the AQI, under both editions.

The one exception is written into HJ 633-2012 itself: a 1-hour SO₂ above 800 µg/m³ is replaced by the 24-hour
SO₂ index, which can be lower; it has its own test.  A day's O₃ maximum 1-hour value is never below its MDA8,
so raising the MDA8 raises the 1-hour maximum with it.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecotarget.standards.aqi import daily_aqi, realtime_aqi

units = st.integers(min_value=0, max_value=3000)
EDITIONS = st.sampled_from(["2012", "2026"])


@st.composite
def daily_records(draw):
    rec = {k: draw(units) for k in ("so2", "no2", "pm10", "co", "pm2_5", "o3_8h")}
    rec["o3_1h_max"] = rec["o3_8h"] + draw(st.integers(0, 400))
    return rec


def daily(records, edition):
    return daily_aqi({k: np.array([r[k] for r in records]) for k in records[0]}, edition, in_units=True).aqi


@settings(max_examples=300, deadline=None)
@given(daily_records(), st.sampled_from(["so2", "no2", "pm10", "co", "pm2_5", "o3_8h", "o3_1h_max"]), units, EDITIONS)
def test_daily_aqi_never_falls_when_one_concentration_rises(record, key, rise, edition):
    higher = dict(record)
    higher[key] += rise
    if key == "o3_8h":
        higher["o3_1h_max"] = max(higher["o3_1h_max"], higher["o3_8h"])
    low, high = daily([record, higher], edition)
    assert high >= low


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({k: units for k in ("so2", "no2", "pm10", "co", "o3", "pm2_5")}),
    st.sampled_from(["so2", "no2", "pm10", "co", "o3", "pm2_5"]),
    units,
    EDITIONS,
)
def test_real_time_aqi_never_falls_when_one_concentration_rises(record, key, rise, edition):
    higher = dict(record)
    higher[key] += rise
    if edition == "2012":  # keep SO₂ 1h within the 2012 table (see the dedicated test below)
        record["so2"] = min(record["so2"], 800)
        higher["so2"] = min(higher["so2"], 800)
    conc = {k: np.array([record[k], higher[k]]) for k in record}
    low, high = realtime_aqi(conc, edition, in_units=True).aqi
    assert high >= low


def test_hj633_2012_lets_the_index_fall_when_hourly_so2_passes_800():
    conc = {"so2": [800, 801], "so2_24h": [300, 300], "no2": [0, 0], "pm10": [0, 0], "co": [0, 0], "o3": [0, 0]}
    conc["pm2_5"] = [0, 0]
    assert realtime_aqi(conc, "2012", in_units=True).aqi.tolist() == [200, 124]
    assert realtime_aqi(conc, "2026", in_units=True).aqi.tolist() == [200, 200]
