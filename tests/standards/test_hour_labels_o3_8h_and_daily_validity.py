"""standards-spec §2.1 and §2.2: hour labels 1:00–24:00, daily means (≥ 20 h), O₃ 8-hour means (≥ 6 of 8),
MDA8 over 8:00–24:00 (≥ 14 windows unless above the limit), network values (75 % / 50 % of stations)."""

import numpy as np
import pytest

from ecotarget.standards.hourly import (
    build_grid,
    daily_max_1h,
    daily_means,
    enough_stations,
    hour_labels,
    mda8,
    network_mean,
    o3_8h_means,
)

M = -1


def test_the_value_stamped_midnight_is_hour_24_of_the_previous_day():
    days, labels = hour_labels(np.array(["2022-03-01T00:00", "2022-03-01T01:00", "2022-02-28T23:00"], "datetime64[m]"))
    assert days.astype(str).tolist() == ["2022-02-28", "2022-03-01", "2022-02-28"]
    assert labels.tolist() == [24, 1, 23]


def test_a_time_not_on_the_hour_is_refused():
    with pytest.raises(ValueError):
        hour_labels(np.array(["2022-03-01T00:30"], "datetime64[m]"))


def one_day(values):
    return np.array(values, dtype=np.int32).reshape(1, 1, 24)


def test_q1_a_daily_mean_needs_20_valid_hours():
    nineteen = one_day([30] * 19 + [M] * 5)
    twenty = one_day([30] * 20 + [M] * 4)
    assert daily_means(nineteen).values.tolist() == [[M]]
    assert daily_means(twenty).values.tolist() == [[30]]
    assert daily_means(twenty).n.tolist() == [[20]]


def test_q2_an_8_hour_mean_needs_6_of_its_8_hours():
    hours = np.full((1, 1, 24), M, dtype=np.int32)
    hours[0, 0, 0:5] = 100  # labels 1:00–5:00: the window ending 8:00 holds 5 values
    assert o3_8h_means(hours)[0, 0, 7] == M
    hours[0, 0, 5] = 100
    assert o3_8h_means(hours)[0, 0, 7] == 100


def test_8_hour_means_cross_midnight_from_the_previous_day():
    hours = np.zeros((1, 2, 24), dtype=np.int32)
    hours[0, 0, 17:] = 80  # 18:00–24:00 of day 1 (7 hours)
    hours[0, 1, 0] = 80  # 1:00 of day 2
    assert o3_8h_means(hours)[0, 1, 0] == 80  # window 18:00 … 1:00
    assert o3_8h_means(hours)[0, 1, 1] == 70  # window 19:00 … 2:00: 7·80/8


def test_8_hour_means_are_rounded_half_to_even():
    hours = np.zeros((1, 1, 24), dtype=np.int32)
    hours[0, 0, :8] = [1, 1, 1, 1, 0, 0, 0, 0]  # 4/8 = 0.5 → 0
    hours[0, 0, 8] = 8  # window 2:00–9:00 = (1+1+1+0+0+0+0+8)/8 = 1.375 → 1
    assert o3_8h_means(hours)[0, 0, 7:9].tolist() == [0, 1]


def mda8_day(window_maximum, valid_windows):
    """A day whose windows 8:00… hold `valid_windows` valid means, one of them `window_maximum`."""
    hours = np.full((1, 1, 24), M, dtype=np.int32)
    # with hours 1:00 … (5+n):00 present, the windows ending 8:00 … (7+n):00 hold ≥ 6 values: n windows
    hours[0, 0, : 5 + valid_windows] = 100
    hours[0, 0, 7] = 100 + 8 * (window_maximum - 100)  # lifts the window ending 8:00 to the maximum
    return hours


def test_q3_thirteen_windows_give_a_valid_mda8_only_above_the_limit():
    above = mda8(mda8_day(170, 13))
    below = mda8(mda8_day(150, 13))
    assert above.n.tolist() == [[13]] and above.values.tolist() == [[170]]
    assert below.values.tolist() == [[M]]
    assert mda8(mda8_day(150, 14)).values.tolist() == [[150]]


def test_mda8_ignores_windows_ending_before_8_00():
    hours = np.full((1, 2, 24), 50, dtype=np.int32)
    hours[0, 1, :7] = 400  # hours 1:00–7:00 of day 2 enter windows ending 1:00 … 7:00 only in full
    # window ending 8:00 of day 2 = (7·400 + 50)/8 = 356.25 → 356; the windows ending 1:00…7:00 hold less
    assert mda8(hours).values[0, 1] == 356


def test_daily_maximum_1_hour_needs_20_hours_unless_above_the_limit():
    assert daily_max_1h(one_day([150] * 19 + [M] * 5)).values.tolist() == [[M]]
    assert daily_max_1h(one_day([150] * 18 + [210] + [M] * 5)).values.tolist() == [[210]]


@pytest.mark.parametrize(
    ("valid", "stations", "ok"),
    [(2, 3, True), (1, 3, False), (5, 8, False), (6, 8, True), (3, 4, True), (2, 4, False), (1, 2, True), (1, 1, True)],
)
def test_q6_network_needs_75_percent_of_its_stations_or_50_percent_below_four(valid, stations, ok):
    assert bool(enough_stations(valid, stations)) is ok


def test_network_value_is_the_rounded_mean_of_the_valid_stations():
    stations = np.array([[30, 31, M], [41, M, 60], [M, M, 58]], dtype=np.int32)  # 3 stations × 3 days
    assert network_mean(stations).values.tolist() == [36, M, 59]  # 35.5 → 36; 1 of 3 invalid; (60+58)/2


def test_network_size_can_include_stations_that_sent_nothing():
    stations = np.array([[30], [40], [50]], dtype=np.int32)
    assert network_mean(stations, n_stations=4).values.tolist() == [40]
    assert network_mean(stations, n_stations=5).values.tolist() == [M]


def test_grid_keeps_the_last_of_repeated_hours_and_counts_invalid_values():
    grid = build_grid(
        ["A", "A", "A", "B"],
        np.array(["2022-01-01T01:00", "2022-01-01T01:00", "2022-01-02T00:00", "2022-01-01T01:00"], "datetime64[m]"),
        {"pm2_5": [10.0, 12.0, 13.4, -5.0], "co": [0.45, 0.55, np.nan, 1.0]},
        flagged=[False, False, False, True],
    )
    assert grid.stations == ("A", "B") and grid.n_days == 1 and grid.duplicate_hours == 1
    assert grid.values["pm2_5"][0, 0, [0, 23]].tolist() == [12, 13]
    assert grid.values["co"][0, 0, 0] == 6  # 0.55 → 0.6 (5 after an odd digit)
    assert grid.values["pm2_5"][1, 0, 0] == M
    assert grid.invalid_counts == {"pm2_5": 1, "co": 1}
