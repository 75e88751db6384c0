"""A year of daily values → the HJ 663-2013 annual evaluation (validity, means, percentiles, compliance, days).

Statistics are computed on GB/T 8170-rounded daily values and rounded again before they are compared with a
limit (修约值比较法, HJ 663-2013 §6.3).  A day can be excluded (dust / exceptional event, 环办监测〔2016〕120号,
HJ 663-2026 例外事件); every result is given both as measured and after exclusion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from .daily import DailyAQI, DailyValues, daily_aqi_by_day, decimals_of
from .editions import EditionSetting, LimitsPhase, default_setting
from .limits import limit
from .rounding import MISSING, fraction_to_decimal, round_half_even_div, round_half_even_mean

MIN_DAYS_PER_YEAR = 324  # GB 3095 表4
MIN_DAYS_PER_MONTH = 27
MIN_DAYS_FEBRUARY = 25

# HJ 663-2013 表1: which percentile of the daily series is evaluated, and whether the annual mean is
EVALUATED = {
    "so2": (98, True),
    "no2": (98, True),
    "pm10": (95, True),
    "pm2_5": (95, True),
    "co": (95, False),
    "o3_8h": (90, False),
}
LABELS = {"so2": "SO2", "no2": "NO2", "pm10": "PM10", "pm2_5": "PM2.5", "co": "CO", "o3_8h": "O3"}


@dataclass(frozen=True)
class Validity:
    """Whether a daily series supports annual statistics: ≥ 324 days, ≥ 27 every month (February ≥ 25)."""

    valid_days: int
    per_month: tuple[int, ...]
    is_valid: bool
    reason: str  # empty when valid; otherwise which rule failed, in Chinese and English


def year_validity(days: ArrayLike, valid: ArrayLike) -> Validity:
    """Count the valid days of a calendar year's series by month and apply GB 3095 表4."""
    d = np.asarray(days, dtype="datetime64[D]")
    ok = np.asarray(valid, dtype=bool)
    months = d.astype("datetime64[M]").astype(np.int64) % 12
    per_month = np.bincount(months[ok], minlength=12)
    need = np.full(12, MIN_DAYS_PER_MONTH)
    need[1] = MIN_DAYS_FEBRUARY
    total = int(ok.sum())
    problems = []
    if total < MIN_DAYS_PER_YEAR:
        problems.append(f"有效天数 {total} < {MIN_DAYS_PER_YEAR} / {total} valid days < {MIN_DAYS_PER_YEAR}")
    for m in np.flatnonzero(per_month < need):
        problems.append(f"{m + 1}月有效天数 {per_month[m]} < {need[m]} / month {m + 1}: {per_month[m]} < {need[m]}")
    return Validity(total, tuple(int(x) for x in per_month), not problems, "; ".join(problems))


def percentile(values: ArrayLike, p: int) -> Fraction:
    """HJ 663-2013 附录A.6 percentile, exact: k = 1 + (n−1)·p%, m = X(s) + (X(s+1) − X(s))·(k − s).

    `values` are integers (units); p is a whole percent.  Equal to NumPy's "linear" method, without its
    binary error (170 comes out as 170, not 169.99999999999886).
    """
    x = np.sort(np.asarray(values, dtype=np.int64))
    n = x.size
    if n == 0:
        raise ValueError("percentile of an empty series")
    s, r = divmod((n - 1) * int(p), 100)  # s is 0-based here: X(s+1) in the standard's 1-based terms
    if s + 1 >= n:
        return Fraction(int(x[-1]))
    return Fraction(100 * int(x[s]) + (int(x[s + 1]) - int(x[s])) * r, 100)


def percentile_units(values: ArrayLike, p: int) -> int:
    """The percentile GB/T 8170-rounded to the unit of the values."""
    m = percentile(values, p)
    return int(round_half_even_div(m.numerator, m.denominator))


def exceed_multiple(value: int, limit_value: int) -> Decimal:
    """超标倍数 (C − S)/S on the rounded value, to 2 decimals (HJ 663-2013 §5.2, 表3)."""
    return fraction_to_decimal(Fraction(value - limit_value, limit_value), 2)


def percent(part: int, whole: int) -> Decimal | None:
    """A rate in percent to 1 decimal, GB/T 8170 (达标率, 优良天数比例); None when `whole` is 0."""
    return None if whole == 0 else fraction_to_decimal(Fraction(100 * part, whole), 1)


@dataclass(frozen=True)
class PollutantYear:
    """One pollutant's year (HJ 663-2013 表1).  Concentrations are integer units (CO in 0.1 mg/m³)."""

    pollutant: str
    decimals: int
    validity: Validity
    annual_mean: int | None
    percentile_p: int
    percentile_value: int | None
    annual_limit: int | None
    daily_limit: int
    complies: bool | None  # None: the year's data do not meet the validity rule
    exceed_multiple_mean: Decimal | None
    exceed_multiple_percentile: Decimal | None
    days: int  # valid daily values used
    exceedance_days: int  # daily value above the 24-hour (O₃: 8-hour) limit in force that day
    daily_compliance_rate: Decimal | None  # 日评价达标率, %

    @property
    def label(self) -> str:
        return LABELS[self.pollutant]


@dataclass(frozen=True)
class AirYearResult:
    """The year's evaluation of one series (measured, or after exclusion)."""

    pollutants: dict[str, PollutantYear]
    complies: bool  # 综合评价: all six items comply (HJ 663-2013 §6.2)
    notes: tuple[str, ...]
    valid_days: int  # days with a published daily AQI
    good_days: int  # AQI ≤ 100
    good_ratio: Decimal | None  # 优良天数比例, %
    heavy_days: int  # AQI > 200 (重度 + 严重污染)
    level_days: tuple[int, ...]  # days per AQI level 1…6
    daily: DailyAQI


@dataclass(frozen=True)
class AnnualEvaluation:
    year: int
    setting: EditionSetting
    area_class: int
    measured: AirYearResult
    after_exclusion: AirYearResult
    excluded_days: dict[str, int]

    @property
    def setting_text(self) -> str:
        return self.setting.describe()


def _exclusion_masks(exclusions: ArrayLike | Mapping[str, ArrayLike] | None, n: int) -> dict[str, np.ndarray]:
    keys = (*EVALUATED, "o3_1h_max")
    if exclusions is None:
        return {k: np.zeros(n, dtype=bool) for k in keys}
    if isinstance(exclusions, Mapping):
        masks = {k: np.asarray(exclusions.get(k, np.zeros(n, dtype=bool)), dtype=bool) for k in keys}
        if "o3_8h" in exclusions and "o3_1h_max" not in exclusions:
            masks["o3_1h_max"] = masks["o3_8h"]
        return masks
    every = np.asarray(exclusions, dtype=bool)
    return dict.fromkeys(keys, every)


def _phase_per_day(setting: EditionSetting, editions: np.ndarray) -> list[tuple[np.ndarray, LimitsPhase]]:
    """Limits for the daily exceedance count: a straddling year judges each day by the edition of that day."""
    if setting.daily is None:
        return [(editions == 2012, LimitsPhase.GB3095_2012), (editions == 2026, setting.limits)]
    return [(np.ones(editions.shape, dtype=bool), setting.limits)]


def _evaluate(
    daily: DailyValues,
    setting: EditionSetting,
    area_class: int,
    validity: Mapping[str, Validity],
) -> AirYearResult:
    daily_aqi = daily_aqi_by_day(daily, setting)
    pollutants: dict[str, PollutantYear] = {}
    notes: list[str] = []
    for key, (p, has_mean) in EVALUATED.items():
        series = daily.values.get(key, np.full(daily.days.shape, MISSING, dtype=np.int32))
        ok = series >= 0
        used = series[ok].astype(np.int64)
        period = "8h" if key == "o3_8h" else "24h"
        pollutant = "o3" if key == "o3_8h" else key
        annual_limit = limit(setting.limits, pollutant, "annual", area_class) if has_mean else None
        daily_limit = limit(setting.limits, pollutant, period, area_class)
        assert daily_limit is not None
        exceed_days = 0
        for mask, phase in _phase_per_day(setting, daily_aqi.edition):
            day_limit = limit(phase, pollutant, period, area_class)
            exceed_days += int((ok & mask & (series > day_limit)).sum())
        v = validity[key]
        mean = int(round_half_even_mean(used.sum(), used.size)) if has_mean and used.size else None
        pct = percentile_units(used, p) if used.size else None
        complies = None
        if v.is_valid and pct is not None:
            complies = pct <= daily_limit and (mean is None or annual_limit is None or mean <= annual_limit)
        em_mean = (
            exceed_multiple(mean, annual_limit) if mean is not None and annual_limit and mean > annual_limit else None
        )
        em_pct = exceed_multiple(pct, daily_limit) if pct is not None and pct > daily_limit else None
        pollutants[key] = PollutantYear(
            key,
            decimals_of(key),
            v,
            mean,
            p,
            pct,
            annual_limit,
            daily_limit,
            complies,
            em_mean,
            em_pct,
            int(used.size),
            exceed_days,
            percent(int(used.size) - exceed_days, int(used.size)),
        )
        if complies is None:
            notes.append(f"{LABELS[key]} 数据不满足有效性 / {LABELS[key]} data do not meet the validity rule")
        elif not complies:
            notes.append(f"{LABELS[key]} 超标 / {LABELS[key]} exceeds the class {area_class} limit")
    valid = daily_aqi.valid
    good = int((valid & (daily_aqi.aqi <= 100)).sum())
    n_valid = int(valid.sum())
    levels = np.bincount(daily_aqi.level[valid], minlength=7)[1:]
    return AirYearResult(
        pollutants,
        all(py.complies for py in pollutants.values()),
        tuple(notes),
        n_valid,
        good,
        percent(good, n_valid),
        int((valid & (daily_aqi.aqi > 200)).sum()),
        tuple(int(x) for x in levels),
        daily_aqi,
    )


def evaluate_year(
    daily: DailyValues,
    year: int,
    setting: EditionSetting | None = None,
    *,
    exclusions: ArrayLike | Mapping[str, ArrayLike] | None = None,
    area_class: int = 2,
) -> AnnualEvaluation:
    """Evaluate the calendar year `year` of a network's (or station's) daily values.

    `exclusions` marks excluded days: one bool array for all pollutants, or a mapping pollutant key → array
    (e.g. PM only on dust days), aligned with `daily.days`.  An excluded value is removed from every statistic
    and the day's AQI is recomputed without it (so by the missing-pollutant rule the day drops out of the
    优良天数比例 unless the others already exceed 100).  Data validity (324 / 27 / 25) is judged on the measured
    series, so an exclusion never makes a year invalid.
    """
    setting = setting or default_setting(year)
    days = np.asarray(daily.days, dtype="datetime64[D]")
    inside = (days >= np.datetime64(dt.date(year, 1, 1))) & (days <= np.datetime64(dt.date(year, 12, 31)))
    masks = _exclusion_masks(exclusions, days.size)
    measured = DailyValues(days[inside], {k: v[inside] for k, v in daily.values.items()}, daily.stations_used)
    after = DailyValues(
        days[inside],
        {
            k: np.where(masks.get(k, np.zeros(days.size, bool))[inside], MISSING, v[inside])
            for k, v in daily.values.items()
        },
        daily.stations_used,
    )
    missing = np.full(measured.days.shape, MISSING, dtype=np.int32)
    validity = {k: year_validity(measured.days, measured.values.get(k, missing) >= 0) for k in EVALUATED}
    return AnnualEvaluation(
        year,
        setting,
        area_class,
        _evaluate(measured, setting, area_class, validity),
        _evaluate(after, setting, area_class, validity),
        {k: int((m[inside] & (measured.values.get(k, missing) >= 0)).sum()) for k, m in masks.items()},
    )


# HJ 663-2013 附录B 表B.1, one-sided α = 0.05 (standards-spec §2.6)
SPEARMAN_CRITICAL = {
    5: "0.900",
    6: "0.829",
    7: "0.714",
    8: "0.643",
    9: "0.600",
    10: "0.564",
    12: "0.506",
    14: "0.456",
    16: "0.425",
    18: "0.399",
    20: "0.377",
    22: "0.359",
    24: "0.343",
    26: "0.329",
    28: "0.317",
    30: "0.306",
}


@dataclass(frozen=True)
class Trend:
    n: int
    rho: Fraction | None
    critical: Decimal | None
    significant: bool | None  # None: fewer than 5 periods
    direction: str  # "上升" rising, "下降" falling, "无显著变化" none, "" too few periods


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1…n, tied values sharing their mean rank, doubled so they stay integers."""
    order = np.argsort(values, kind="stable")
    sorted_vals = values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_vals)) + 1]
    ends = np.r_[starts[1:], values.size]
    doubled = (starts + 1) + ends  # 2 × mean of ranks starts+1 … ends
    ranks = np.empty(values.size, dtype=np.int64)
    ranks[order] = np.repeat(doubled, ends - starts)
    return ranks


def spearman_trend(values: Sequence[float] | ArrayLike) -> Trend:
    """HJ 663-2013 附录B: ρ = 1 − 6Σd²/(n(n²−1)) of period order against value ranks; needs ≥ 5 periods.

    For an n between tabulated ones the critical value of the next smaller tabulated n is used (stricter).
    """
    y = np.asarray(values, dtype=np.float64)
    n = int(y.size)
    if n < 5:
        return Trend(n, None, None, None, "")
    d2 = int(((2 * np.arange(1, n + 1) - _average_ranks(y)) ** 2).sum())  # (2d)², so divide by 4
    rho = 1 - Fraction(6 * d2, 4 * n * (n * n - 1))
    critical = Decimal(SPEARMAN_CRITICAL[max(k for k in SPEARMAN_CRITICAL if k <= n)])
    significant = abs(rho) > Fraction(critical)
    direction = ("上升" if rho > 0 else "下降") if significant else "无显著变化"
    return Trend(n, rho, critical, significant, direction)
