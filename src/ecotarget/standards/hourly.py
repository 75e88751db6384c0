"""Hourly data → daily statistics (HJ 663-2013 附录A, GB 3095 表4 validity), over (station, day, hour) arrays.

Hours are labelled by their end (整点时刻前1小时): a natural day holds the values labelled 1:00 … 24:00, and the
value stamped 00:00 of day D+1 is hour 24:00 of day D.  Hourly arrays have shape (stations, days, 24) with index
h holding the label h+1, in integer units (µg/m³; CO 0.1 mg/m³), MISSING (-1) where absent or invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .rounding import DECIMALS, MISSING, round_half_even_mean, to_units

MIN_HOURS_PER_DAY = 20  # GB 3095 表4: ≥ 20 hourly values for a daily mean
MIN_HOURS_PER_8H = 6  # GB 3095 表4: ≥ 6 hourly values in an 8-hour window
MIN_8H_WINDOWS = 14  # HJ 663-2013 §6.1.2: ≥ 14 valid 8-hour means among 8:00–24:00, unless the maximum exceeds
O3_8H_CLASS_II = 160  # both GB 3095 editions
O3_1H_CLASS_II = 200

POLLUTANTS = ("so2", "no2", "pm10", "pm2_5", "co", "o3")


def hour_labels(times: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(day, label 1–24) of each hour-end timestamp; 00:00 belongs to the previous day as 24:00.

    Timestamps that are not on the hour raise ValueError: an hourly mean is stamped at a whole hour.
    """
    t = np.asarray(times, dtype="datetime64[m]")
    hours = t.astype("datetime64[h]")
    if np.any(hours.astype("datetime64[m]") != t):
        raise ValueError("hourly values must be stamped on the hour / 小时值的时间必须是整点")
    day = (hours - np.timedelta64(1, "h")).astype("datetime64[D]")
    label = (hours - day.astype("datetime64[h]")).astype(np.int64)
    return day, label


@dataclass(frozen=True)
class HourlyGrid:
    """Hourly values of several stations over consecutive days, one (S, D, 24) int array per pollutant."""

    stations: tuple[str, ...]
    first_day: np.datetime64
    values: dict[str, np.ndarray]
    # per pollutant: values present in the input but invalid (negative, flagged, unreadable), and duplicates
    invalid_counts: dict[str, int] = field(default_factory=dict)
    duplicate_hours: int = 0

    @property
    def n_days(self) -> int:
        return next(iter(self.values.values())).shape[1] if self.values else 0

    @property
    def days(self) -> np.ndarray:
        return self.first_day + np.arange(self.n_days)


def _day(value: np.datetime64 | str) -> np.datetime64:
    """A day from a date string or a datetime64 of any unit (numpy's stubs type the two conversions apart)."""
    return value.astype("datetime64[D]") if isinstance(value, np.datetime64) else np.datetime64(value, "D")


def build_grid(
    stations: ArrayLike,
    times: ArrayLike,
    values: Mapping[str, ArrayLike],
    *,
    flagged: ArrayLike | None = None,
    first_day: np.datetime64 | str | None = None,
    last_day: np.datetime64 | str | None = None,
    in_units: bool = False,
) -> HourlyGrid:
    """Scatter station-hour records into a grid; values are GB/T 8170-rounded before any use (HJ 663 §6.3).

    `values` maps pollutant (so2, no2, pm10, pm2_5, co, o3) to floats in µg/m³ (CO mg/m³), NaN = blank; negative
    and `flagged` records become MISSING and are counted.  A repeated station-hour keeps the later record.
    """
    st = np.asarray(stations).astype(str)
    day, label = hour_labels(times)
    names, s_idx = np.unique(st, return_inverse=True)
    d0 = _day(first_day) if first_day is not None else day.min()
    d1 = _day(last_day) if last_day is not None else day.max()
    n_days = int((d1 - d0).astype(np.int64)) + 1
    d_idx = (day - d0).astype(np.int64)
    inside = (d_idx >= 0) & (d_idx < n_days)
    flat = (s_idx * n_days + d_idx) * 24 + (label - 1)
    flat = flat[inside]
    # the last occurrence of a repeated station-hour wins: keep each flat index's final position only
    order = np.arange(flat.size)
    last = np.zeros(flat.size, dtype=bool)
    _, first_rev = np.unique(flat[::-1], return_index=True)
    last[flat.size - 1 - first_rev] = True
    duplicates = int(flat.size - last.sum())
    bad = np.zeros(st.shape, dtype=bool) if flagged is None else np.asarray(flagged, dtype=bool)
    grids, invalid = {}, {}
    for pollutant, raw in values.items():
        if in_units:
            units = np.asarray(raw, dtype=np.int64)
            present = units != MISSING
        else:
            x = np.asarray(raw, dtype=np.float64)
            units = to_units(x, DECIMALS[pollutant])
            present = ~np.isnan(x)
        units = np.where(bad, MISSING, units)
        invalid[pollutant] = int((present & (units < 0)).sum())
        grid = np.full(len(names) * n_days * 24, MISSING, dtype=np.int32)
        keep = order[last]
        grid[flat[keep]] = units[inside][keep]
        grids[pollutant] = grid.reshape(len(names), n_days, 24)
    return HourlyGrid(tuple(names.tolist()), d0, grids, invalid, duplicates)


@dataclass(frozen=True)
class DailyStat:
    """A daily statistic per (station, day): `values` MISSING where invalid; `n` the valid inputs it used."""

    values: np.ndarray
    n: np.ndarray


def daily_means(hourly: np.ndarray) -> DailyStat:
    """24-hour means from ≥ 20 valid hourly values, GB/T 8170-rounded (exact integer division)."""
    valid = hourly >= 0
    n = valid.sum(axis=-1)
    total = np.where(valid, hourly, 0).sum(axis=-1, dtype=np.int64)
    mean = round_half_even_mean(total, n)
    return DailyStat(np.where(n >= MIN_HOURS_PER_DAY, mean, MISSING).astype(np.int32), n.astype(np.int8))


def o3_8h_means(hourly: np.ndarray) -> np.ndarray:
    """8-hour moving means labelled 1:00 … 24:00 of every day: the hours X−7 … X, across midnight.

    Valid with ≥ 6 of the 8 hours; GB/T 8170-rounded.  Before the first day the hours are unknown (missing).
    """
    lead = hourly.shape[:-2]
    flat = hourly.reshape(*lead, -1)
    pad = np.full((*lead, 7), MISSING, dtype=flat.dtype)
    padded = np.concatenate([pad, flat], axis=-1)
    valid = padded >= 0
    zero = np.zeros((*lead, 1), dtype=np.int64)
    cs = np.concatenate([zero, np.cumsum(np.where(valid, padded, 0), axis=-1, dtype=np.int64)], axis=-1)
    cn = np.concatenate([zero, np.cumsum(valid, axis=-1, dtype=np.int64)], axis=-1)
    total = cs[..., 8:] - cs[..., :-8]
    n = cn[..., 8:] - cn[..., :-8]
    mean = np.where(n >= MIN_HOURS_PER_8H, round_half_even_mean(total, n), MISSING)
    return mean.astype(np.int32).reshape(hourly.shape)


def mda8(hourly: np.ndarray, *, limit: int = O3_8H_CLASS_II) -> DailyStat:
    """Daily maximum 8-hour mean over the windows labelled 8:00 … 24:00 (HJ 663-2013 附录A).

    Valid with ≥ 14 valid windows, or with fewer when the maximum exceeds `limit` (HJ 663-2013 §6.1.2).
    """
    windows = o3_8h_means(hourly)[..., 7:]
    n = (windows >= 0).sum(axis=-1)
    top = windows.max(axis=-1)
    ok = (n >= MIN_8H_WINDOWS) | ((n > 0) & (top > limit))
    return DailyStat(np.where(ok, top, MISSING).astype(np.int32), n.astype(np.int8))


def daily_max_1h(hourly: np.ndarray, *, limit: int = O3_1H_CLASS_II) -> DailyStat:
    """Daily maximum 1-hour value (O₃, for the HJ 633-2012 daily AQI).

    No standard states its validity; by analogy with the daily mean and the MDA8 it needs ≥ 20 valid hours, or
    fewer when the maximum already exceeds the 1-hour limit (assumption, standards-spec §1.4 [U]).
    """
    n = (hourly >= 0).sum(axis=-1)
    top = hourly.max(axis=-1)
    ok = (n >= MIN_HOURS_PER_DAY) | ((n > 0) & (top > limit))
    return DailyStat(np.where(ok, top, MISSING).astype(np.int32), n.astype(np.int8))


def enough_stations(n_valid: ArrayLike, n_stations: int) -> np.ndarray:
    """HJ 663-2013 §6.1.4: valid stations ≥ 75 % of the network, or ≥ 50 % when it has fewer than 4 stations."""
    n = np.asarray(n_valid, dtype=np.int64)
    if n_stations >= 4:
        return 4 * n >= 3 * n_stations
    return 2 * n >= n_stations


def network_mean(station_values: np.ndarray, *, n_stations: int | None = None) -> DailyStat:
    """Mean over axis 0 (stations) of the valid station values, valid by the 75 % / 50 % rule, rounded.

    This is the city / county value (HJ 663-2013 附录A.2): the AQI is then computed from it, never from the
    stations' own AQIs.  `n_stations` is the size of the network when some stations sent no data at all.
    """
    total_stations = station_values.shape[0] if n_stations is None else n_stations
    valid = station_values >= 0
    n = valid.sum(axis=0)
    total = np.where(valid, station_values, 0).sum(axis=0, dtype=np.int64)
    mean = round_half_even_mean(total, n)
    ok = enough_stations(n, total_stations) & (n > 0)
    return DailyStat(np.where(ok, mean, MISSING).astype(np.int32), n.astype(np.int32))
