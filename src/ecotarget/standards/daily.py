"""Daily values of a station or a network, and their daily AQI with the edition in force on each day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aqi import PUBLISHED_NAMES, daily_aqi, level_of
from .editions import Edition, EditionSetting
from .hourly import HourlyGrid, daily_max_1h, daily_means, mda8, network_mean
from .rounding import DECIMALS, MISSING, from_units

# daily columns: the five 24-hour means, the O₃ MDA8 and (HJ 633-2012 daily AQI only) the O₃ maximum 1-hour value
DAILY_KEYS = ("so2", "no2", "pm10", "pm2_5", "co", "o3_8h", "o3_1h_max")


def decimals_of(key: str) -> int:
    return DECIMALS["co"] if key == "co" else 0


@dataclass(frozen=True)
class DailyValues:
    """One series of days (a station or a network): integer units per key of DAILY_KEYS, MISSING = invalid.

    `stations_used` (network values only) counts, per key and day, the valid stations the mean took.
    """

    days: np.ndarray
    values: dict[str, np.ndarray]
    stations_used: dict[str, np.ndarray] | None = None

    def concentrations(self) -> dict[str, np.ndarray]:
        """Floats for display (µg/m³; CO mg/m³), NaN where invalid."""
        return {k: from_units(v, decimals_of(k)) for k, v in self.values.items()}


def station_daily(grid: HourlyGrid) -> dict[str, np.ndarray]:
    """Every station's daily statistics, key → (S, D) integer units."""
    out = {}
    for pollutant, hourly in grid.values.items():
        if pollutant == "o3":
            out["o3_8h"] = mda8(hourly).values
            out["o3_1h_max"] = daily_max_1h(hourly).values
        else:
            out[pollutant] = daily_means(hourly).values
    return out


def network_daily(grid: HourlyGrid, *, n_stations: int | None = None) -> DailyValues:
    """City / county daily values: per day, the mean of the valid stations' daily values (75 % / 50 % rule).

    The network's O₃ maximum 1-hour value (2012 daily AQI) is not defined by HJ 663; it is taken as the daily
    maximum of the network-mean hourly O₃ (standards-spec §1.4 [U]).
    """
    per_station = station_daily(grid)
    values, used = {}, {}
    for key, arr in per_station.items():
        if key == "o3_1h_max":
            hourly_mean = network_mean(grid.values["o3"], n_stations=n_stations).values
            stat = daily_max_1h(hourly_mean)
            values[key], used[key] = stat.values, np.where(stat.values >= 0, stat.n, 0).astype(np.int32)
            continue
        stat = network_mean(arr, n_stations=n_stations)
        values[key], used[key] = stat.values, stat.n
    return DailyValues(grid.days, values, used)


@dataclass(frozen=True)
class DailyAQI:
    """Daily AQI of a series of days, each under its own edition (`edition`: 2012 or 2026 per day)."""

    days: np.ndarray
    edition: np.ndarray
    aqi: np.ndarray
    partial_aqi: np.ndarray
    iaqi: dict[str, np.ndarray]  # item → (D,), MISSING where absent or not part of that day's edition
    primary: np.ndarray  # CNEMC names joined by ";" ("" when AQI ≤ 50 or NA)
    exceeding: np.ndarray  # 超标污染物 (2012 days only)
    # the year's evaluation counts a day with a missing pollutant by the standard's rule (HJ 633-2026 §5.3),
    # never by the national release's habit of publishing the others' AQI
    missing_rule: str = "standard"

    @property
    def valid(self) -> np.ndarray:
        return self.aqi >= 0

    @property
    def level(self) -> np.ndarray:
        return level_of(self.aqi)


def daily_aqi_by_day(daily: DailyValues, setting: EditionSetting | Edition) -> DailyAQI:
    """Daily AQI of every day with the edition the setting gives it (per day in 2026 by default)."""
    n = daily.days.shape[0]
    if isinstance(setting, Edition):
        codes = np.full(n, int(setting.value), dtype=np.int16)
    else:
        codes = setting.editions_for_days(daily.days)
    aqi = np.full(n, MISSING, dtype=np.int32)
    partial = np.full(n, MISSING, dtype=np.int32)
    primary = np.full(n, "", dtype=object)
    exceeding = np.full(n, "", dtype=object)
    iaqi = {item: np.full(n, MISSING, dtype=np.int32) for item in PUBLISHED_NAMES if not item.endswith("_1H")}
    iaqi["O3_1H"] = np.full(n, MISSING, dtype=np.int32)
    for edition in Edition:
        mask = codes == int(edition.value)
        if not mask.any():
            continue
        missing_col = np.full(int(mask.sum()), MISSING, dtype=np.int64)
        conc = {k: v[mask] for k, v in daily.values.items()}
        for key in ("so2", "no2", "pm10", "pm2_5", "co", "o3_8h", "o3_1h_max"):
            conc.setdefault(key, missing_col)
        result = daily_aqi(conc, edition, in_units=True, missing="standard")
        aqi[mask], partial[mask] = result.aqi, result.partial_aqi
        primary[mask] = result.primary_labels(published=True)
        exceeding[mask] = result.exceeding_labels(published=True)
        for j, item in enumerate(result.items):
            iaqi[item][mask] = result.iaqi[:, j]
    return DailyAQI(daily.days, codes, aqi, partial, iaqi, primary, exceeding)
