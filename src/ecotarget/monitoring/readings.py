"""Targets that measure themselves: the year-to-date value of a bound indicator, its standing against the
target, a year-end projection with the assumption it makes, and the monthly series for the chart.

The year-end projection of an air indicator uses the county's own past years where their data are stored: the
remaining months are weighted by how those months compared, in the past years, with the same part of the year
that has gone by (winter months are usually worse than summer ones). Without past data it assumes the rest of
the year is like the year so far. Either way the reading says which assumption it made.

A target that the projection meets only narrowly is 有风险: within the plan's margin (`PlanSetup.risk_margin`,
a percentage of the target) of it.

The arithmetic is `ecotarget.standards`'; this module only gathers the stored data into its arrays (a fixed
number of queries per reading) and compares the results with the plan's target.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from ecotarget.core.numbers import plain_number, with_unit
from ecotarget.plans.models import Target
from ecotarget.standards import setting_for
from ecotarget.standards.annual import AnnualEvaluation, evaluate_year
from ecotarget.standards.daily import network_daily
from ecotarget.standards.hourly import build_grid
from ecotarget.standards.rounding import MISSING, round_half_even_div, units_to_decimal
from ecotarget.standards.water import drinking_water_compliance, section_classes, section_shares

from .models import (
    AIR_POLLUTANTS,
    AirHour,
    AnnualFigure,
    DayExclusion,
    Indicator,
    IndicatorBinding,
    Station,
    WaterSample,
)

MONTHS = range(1, 13)


@dataclass
class Reading:
    binding: IndicatorBinding
    as_of: date
    value: Decimal | None
    unit: str
    status: str  # met, at_risk, missed, no_data
    threshold: Decimal | None
    threshold_note: str
    projection: Decimal | None
    assumption: str
    monthly: list[Decimal | None]
    edition: str
    facts: dict[str, object] = field(default_factory=dict)
    synthetic: bool = False
    risk_line: Decimal | None = None  # a projection beyond it (though meeting the target) is at risk
    risk_margin: int = 0

    STATUS_ZH = {"met": "达标", "at_risk": "有风险", "missed": "未达标", "no_data": "无数据"}

    @property
    def status_zh(self) -> str:
        return self.STATUS_ZH[self.status]

    @property
    def threshold_text(self) -> str:
        return plain_number(self.threshold)


def _compare(op: str, value: Decimal, threshold: Decimal) -> bool:
    return {
        "<=": value <= threshold,
        ">=": value >= threshold,
        "<": value < threshold,
        ">": value > threshold,
        "==": value == threshold,
    }[op]


DEFAULT_RISK_MARGIN = 5  # PlanSetup.risk_margin's default, for a plan not yet set up


def risk_line(op: str, threshold: Decimal, margin: int, unit: str) -> Decimal | None:
    """The value within `margin` % of the target, on the side that meets it: PM2.5 ≤ 35 with 5 % → 33.25.

    None when there is no such band: a zero margin or a target of 0 (no heavy-pollution day). A share cannot
    exceed 100 %: for ≥ 100 % (every section good) reaching 100 is simply met, never "at risk".
    """
    band = abs(threshold) * Decimal(margin) / 100
    if band == 0:
        return None
    if op in ("<=", "<"):
        return threshold - band
    if op in (">=", ">"):
        return min(threshold + band, Decimal(100)) if unit == "%" else threshold + band
    return None


def _standing(
    target: Target,
    value: Decimal | None,
    projection: Decimal | None,
    threshold: Decimal | None,
    line: Decimal | None = None,
) -> str:
    """met, at_risk or missed: at risk when only one of today's value and the projection meets the target, or
    when both do but the projection (today's value, without one) is beyond the risk line."""
    if value is None or threshold is None:
        return "no_data"
    now_ok = _compare(target.op, value, threshold)
    end_ok = projection is None or _compare(target.op, projection, threshold)
    if now_ok and end_ok:
        basis = value if projection is None else projection
        if line is not None and (basis > line if target.op in ("<=", "<") else basis < line):
            return "at_risk"
        return "met"
    return "at_risk" if now_ok or end_ok else "missed"


def _risk_margin(plan, cache: dict | None) -> int:
    """The plan's margin (one query, shared by a page's readings)."""
    key = ("risk_margin", plan.pk)
    if cache is not None and key in cache:
        return cache[key]
    from ecotarget.progress.models import PlanSetup  # progress reads monitoring: import here, not at the top

    margin = PlanSetup.objects.filter(plan=plan).values_list("risk_margin", flat=True).first()
    margin = DEFAULT_RISK_MARGIN if margin is None else margin
    if cache is not None:
        cache[key] = margin
    return margin


def _margin_note(line: Decimal | None, margin: int, unit: str) -> str:
    if line is None:
        return ""
    return f"；年底预计值距目标不足{margin}%（越过 {with_unit(line, unit)}）时为有风险"


def _baseline(target: Target, binding: IndicatorBinding, region_id: int, year: int) -> tuple[Decimal | None, str]:
    """The number the target compares with: its own value, or the previous year / the three-year average."""
    if target.value is not None:
        return target.value, "目标值"
    years = {"previous_year": [year - 1], "three_year_average": [year - 3, year - 2, year - 1]}.get(target.baseline)
    if not years:
        return None, "未设定目标值"
    figures = {
        f.year: f
        for f in AnnualFigure.objects.filter(
            region_id=region_id, indicator=binding.indicator, scope=binding.scope, year__in=years
        )
    }
    if len(figures) < len(years):
        missing = "、".join(str(y) for y in years if y not in figures)
        return None, f"缺少 {missing} 年数值，无法计算基准"
    mean = sum((figures[y].value for y in years), Decimal(0)) / len(years)
    note = "、".join(f"{y}年 {plain_number(figures[y].value)}" for y in years)
    synthetic = "（演示数据，虚构）" if any(f.synthetic for f in figures.values()) else ""
    label = "上年" if len(years) == 1 else "近三年平均"
    return mean.quantize(Decimal("0.1")), f"{label}：{note}{synthetic}"


# --- air -------------------------------------------------------------------------------------------------------


@dataclass
class _AirYear:
    days: np.ndarray
    daily: dict[str, np.ndarray]
    aqi: np.ndarray
    evaluation: AnnualEvaluation
    edition: str
    stations: int
    invalid_values: int
    excluded_days: int
    synthetic: bool


def _air_year(region_id: int, year: int, as_of: date, edition: str, cache: dict | None = None) -> _AirYear | None:
    """The county's air year up to `as_of`; `cache` lets several readings of one page share one computation."""
    key = (region_id, year, as_of, edition)
    if cache is not None and key in cache:
        return cache[key]
    result = _compute_air_year(region_id, year, as_of, edition)
    if cache is not None:
        cache[key] = result
    return result


def _compute_air_year(region_id: int, year: int, as_of: date, edition: str) -> _AirYear | None:
    stations = list(
        Station.objects.filter(region_id=region_id, medium=Station.Medium.AIR, evaluates_city=True).values_list(
            "code", "synthetic"
        )
    )
    if not stations:
        return None
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(date(year, 1, 1), time(1), tz)
    end = datetime.combine(as_of, time(0), tz) + timedelta(days=1)
    rows = list(
        AirHour.objects.filter(
            station__region_id=region_id,
            station__evaluates_city=True,
            station__medium=Station.Medium.AIR,
            hour_end__gte=start,
            hour_end__lte=end,
        ).values_list("station__code", "hour_end", *AIR_POLLUTANTS)
    )
    if not rows:
        return None
    columns = list(zip(*rows, strict=True))
    times = np.array([t.astimezone(tz).replace(tzinfo=None) for t in columns[1]], dtype="datetime64[m]")
    values = {
        p: np.array([np.nan if v is None else float(v) for v in columns[2 + i]]) for i, p in enumerate(AIR_POLLUTANTS)
    }
    grid = build_grid(
        np.array(columns[0]), times, values, first_day=np.datetime64(date(year, 1, 1)), last_day=np.datetime64(as_of)
    )
    setting = setting_for(year, None if edition == IndicatorBinding.Edition.AUTO else edition)
    daily = network_daily(grid, n_stations=len(stations))
    excluded = set(DayExclusion.objects.filter(region_id=region_id, day__year=year).values_list("day", flat=True))
    exclusions = np.isin(grid.days, np.array(sorted(excluded), dtype="datetime64[D]"))
    evaluation = evaluate_year(daily, year, setting, exclusions=exclusions)
    # Official (考核) figures are those after deducting dust / exceptional days; the measured ones show beside.
    official = evaluation.after_exclusion
    return _AirYear(
        days=grid.days,
        daily={k: np.where(exclusions, MISSING, v) for k, v in daily.values.items()},
        aqi=official.daily.aqi,
        evaluation=evaluation,
        edition=evaluation.setting_text,
        stations=len(stations),
        invalid_values=sum(grid.invalid_counts.values()),
        excluded_days=int(exclusions.sum()),
        synthetic=any(s for _, s in stations),
    )


def _months_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(int) % 12 + 1


PAST_YEARS = 3  # how many earlier years' data the projection looks for


def _past_air_years(region_id: int, year: int, edition: str, cache: dict | None) -> list[tuple[int, _AirYear]]:
    """The county's whole air years among the last three before `year` that have stored hourly data."""
    key = ("past-air", region_id, year, edition)
    if cache is not None and key in cache:
        return cache[key]
    tz = ZoneInfo(settings.TIME_ZONE)
    stored = (
        AirHour.objects.filter(
            station__region_id=region_id,
            station__evaluates_city=True,
            station__medium=Station.Medium.AIR,
            hour_end__gt=datetime.combine(date(year - PAST_YEARS, 1, 1), time(0), tz),
            hour_end__lte=datetime.combine(date(year, 1, 1), time(0), tz),
        )
        .dates("hour_end", "year")
        .distinct()
    )
    years = sorted({d.year for d in stored} & set(range(year - PAST_YEARS, year)))
    result = []
    for past in years:
        air = _air_year(region_id, past, date(past, 12, 31), edition, cache)
        if air is not None:
            result.append((past, air))
    if cache is not None:
        cache[key] = result
    return result


@dataclass
class _Profile:
    """How each month compared, in the past years, with the part of the year up to the same day."""

    ratios: dict[int, float]  # month → mean over the past years of (that month's mean ÷ the elapsed part's mean)
    rates: dict[int, float]  # month → mean over the past years of that month's mean (for 0/1 series)
    years: list[int]


def _profile(past: list[tuple[int, np.ndarray, np.ndarray]], as_of: date) -> _Profile | None:
    """From (year, days, daily values with NaN for invalid days) of the past years, the monthly profile of the
    months after `as_of`. A past year counts for a month when it has valid days both in that month and in the
    part of the year up to `as_of`'s month and day."""
    ratios: dict[int, list[float]] = {}
    rates: dict[int, list[float]] = {}
    used: set[int] = set()
    for year, days, values in past:
        months = _months_of(days)
        day_of_month = (days - days.astype("datetime64[M]")).astype(int) + 1
        elapsed = (months < as_of.month) | ((months == as_of.month) & (day_of_month <= as_of.day))
        before = values[elapsed & ~np.isnan(values)]
        for month in range(as_of.month, 13):
            in_month = values[(months == month) & ~elapsed & ~np.isnan(values)]
            if in_month.size == 0:
                continue
            rates.setdefault(month, []).append(float(in_month.mean()))
            if before.size and before.mean() > 0:
                ratios.setdefault(month, []).append(float(in_month.mean() / before.mean()))
            used.add(year)
    if not used:
        return None
    return _Profile(
        ratios={m: sum(v) / len(v) for m, v in ratios.items()},
        rates={m: sum(v) / len(v) for m, v in rates.items()},
        years=sorted(used),
    )


def _remaining_days(as_of: date) -> dict[int, int]:
    """Days after `as_of` in each month to the year's end: {month: days}."""
    result = {}
    for month in range(as_of.month, 13):
        first = date(as_of.year, month, 1)
        last = date(as_of.year + 1, 1, 1) if month == 12 else date(as_of.year, month + 1, 1)
        start = max(first, as_of + timedelta(days=1))
        if start < last:
            result[month] = (last - start).days
    return result


def _years_text(years: list[int]) -> str:
    return "、".join(str(y) for y in years) + "年"


def _series(air: _AirYear, what: str) -> np.ndarray:
    """A daily series with NaN for invalid days: a pollutant's concentration, or 1/0 for a good / heavy day."""
    if what in ("good", "heavy"):
        valid = air.aqi != MISSING
        hit = (air.aqi <= 100) if what == "good" else (air.aqi > 200)
        return np.where(valid, hit.astype(float), np.nan)
    units = air.daily[what]
    return np.where(units == MISSING, np.nan, units.astype(float))


def _past(region_id: int, year: int, edition: str, what: str, cache: dict | None):
    return [(y, air.days, _series(air, what)) for y, air in _past_air_years(region_id, year, edition, cache)]


def project_mean(mean: float, valid_days: int, as_of: date, profile: _Profile | None) -> float:
    """The year's mean if each remaining day has the year-to-date mean, weighted by the past years' ratio of its
    month to the part of the year gone by (1 where a month has no past data)."""
    remaining = _remaining_days(as_of)
    ratios = profile.ratios if profile else {}
    total = mean * valid_days + sum(n * mean * ratios.get(m, 1.0) for m, n in remaining.items())
    return total / (valid_days + sum(remaining.values()))


def project_share(hits: int, valid_days: int, as_of: date, profile: _Profile | None) -> float:
    """The year's share of good days (0–1) if each remaining day is good with the year-to-date share, weighted
    by the past years' ratio of its month (capped at every day good)."""
    share = hits / max(valid_days, 1)
    remaining = _remaining_days(as_of)
    ratios = profile.ratios if profile else {}
    expected = sum(n * min(1.0, share * ratios.get(m, 1.0)) for m, n in remaining.items())
    return (hits + expected) / (valid_days + sum(remaining.values()))


def _mean(units: np.ndarray, decimals: int = 0) -> Decimal | None:
    valid = units[units != MISSING]
    if valid.size == 0:
        return None
    return units_to_decimal(int(round_half_even_div(int(valid.sum()), valid.size)), decimals)


def _ratio(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, GB/T 8170-rounded on the exact fraction (HJ 663-2013 表3)."""
    if whole == 0:
        return None
    return units_to_decimal(int(round_half_even_div(part * 1000, whole)), 1)


def _validity_note(validity, as_of: date) -> str:
    if validity.is_valid:
        return "满足（≥324天，每月≥27天，2月≥25天）"
    if as_of < date(as_of.year, 12, 31):
        return f"年度未结束，至今有效 {validity.valid_days} 天：结果为暂评"
    return validity.reason


def _days_left(as_of: date) -> int:
    return (date(as_of.year, 12, 31) - as_of).days


def _air_reading(binding: IndicatorBinding, target: Target, as_of: date, cache: dict | None) -> Reading:
    plan = target.task.plan
    air = _air_year(plan.region_id, plan.year, as_of, binding.edition, cache)
    threshold, note = _baseline(target, binding, plan.region_id, plan.year)
    if air is None:
        return Reading(binding, as_of, None, target.unit, "no_data", threshold, note, None, "", [], "", {})
    months = _months_of(air.days)
    indicator = binding.indicator
    official, measured = air.evaluation.after_exclusion, air.evaluation.measured
    facts: dict[str, object] = {
        "评价点位数": air.stations,
        "无效小时值": air.invalid_values,
        "扣除天数（沙尘/例外事件）": air.excluded_days,
    }
    if indicator in (Indicator.PM2_5_ANNUAL, Indicator.PM10_ANNUAL):
        key = "pm2_5" if indicator == Indicator.PM2_5_ANNUAL else "pm10"
        year_stat = official.pollutants[key]
        value = None if year_stat.annual_mean is None else Decimal(year_stat.annual_mean)
        monthly = [_mean(air.daily[key][months == m]) for m in MONTHS]
        facts |= {
            "有效日数": year_stat.days,
            f"第{year_stat.percentile_p}百分位数": year_stat.percentile_value,
            "实测值（不扣除）": measured.pollutants[key].annual_mean,
            "全年数据有效性": _validity_note(year_stat.validity, as_of),
        }
        profile = _profile(_past(plan.region_id, plan.year, binding.edition, key, cache), as_of)
        projection = None
        if value is not None:
            projected = project_mean(float(year_stat.annual_mean), year_stat.days, as_of, profile)
            projection = Decimal(round(projected))  # like the annual mean itself, to a whole µg/m³
        if profile and profile.ratios:
            assumption = (
                f"其余各月按年初至今的平均浓度，乘以{_years_text(profile.years)}同月与同期（1月1日至"
                f"{as_of.month}月{as_of.day}日）平均浓度之比估算"
            )
        else:
            assumption = "其余天数按年初至今的平均浓度估算（无往年逐日数据；冬季浓度通常偏高）"
        unit = "微克/立方米"
    elif indicator == Indicator.GOOD_DAY_RATIO:
        valid = air.aqi != MISSING
        good = valid & (air.aqi <= 100)
        value = official.good_ratio
        monthly = [_ratio(int((good & (months == m)).sum()), int((valid & (months == m)).sum())) for m in MONTHS]
        facts |= {
            "有效天数": official.valid_days,
            "优良天数": official.good_days,
            "实测值（不扣除）": measured.good_ratio,
        }
        profile = _profile(_past(plan.region_id, plan.year, binding.edition, "good", cache), as_of)
        projection = None
        if value is not None:
            share = project_share(official.good_days, official.valid_days, as_of, profile)
            projection = Decimal(round(share * 1000)).scaleb(-1)  # a percentage with one decimal
        if profile and profile.ratios:
            assumption = (
                f"其余各月按年初至今的优良比例，乘以{_years_text(profile.years)}同月与同期优良比例之比估算"
                "（每月不超过100%）"
            )
        else:
            assumption = "其余天数按年初至今的优良比例估算（无往年逐日数据）"
        unit = "%"
    elif indicator == Indicator.HEAVY_DAYS:
        heavy = (air.aqi != MISSING) & (air.aqi > 200)
        value = Decimal(official.heavy_days)
        monthly = [Decimal(int((heavy & (months == m)).sum())) for m in MONTHS]
        profile = _profile(_past(plan.region_id, plan.year, binding.edition, "heavy", cache), as_of)
        rate = official.heavy_days / max(official.valid_days, 1)
        remaining = _remaining_days(as_of)
        if profile and profile.rates:
            expected = sum(n * profile.rates.get(m, rate) for m, n in remaining.items())
            assumption = f"其余各月按{_years_text(profile.years)}同月重污染天出现的频率估算"
        else:
            expected = rate * _days_left(as_of)
            assumption = "其余天数按年初至今重污染天出现的频率估算（无往年逐日数据）"
        projection = Decimal(official.heavy_days + round(expected))
        facts |= {"有效天数": official.valid_days, "实测值（不扣除）": measured.heavy_days}
        unit = "天"
    elif indicator == Indicator.SIX_POLLUTANTS:
        # Before the year is complete the validity rule cannot be met: judge the data so far, provisionally.
        passing = [
            py.label
            for py in official.pollutants.values()
            if py.percentile_value is not None
            and py.percentile_value <= py.daily_limit
            and (py.annual_mean is None or py.annual_limit is None or py.annual_mean <= py.annual_limit)
        ]
        value = Decimal(len(passing))
        monthly = []
        projection, assumption = value, "按年初至今数据暂评；全年有效性（324天、每月27天）满足后为正式结果"
        facts |= {"达标项目": "、".join(passing) or "无"}
        if as_of == date(as_of.year, 12, 31):
            facts["说明"] = "；".join(official.notes) or "6项均达标"
        unit = "项"
    else:
        return Reading(binding, as_of, None, target.unit, "no_data", threshold, note, None, "", [], air.edition, facts)
    # Six pollutants passing out of six is a count with nothing above it: no margin.
    margin = 0 if indicator == Indicator.SIX_POLLUTANTS else _risk_margin(plan, cache)
    line = None if threshold is None else risk_line(target.op, threshold, margin, unit)
    status = _standing(target, value, projection, threshold, line)
    return Reading(
        binding,
        as_of,
        value,
        unit,
        status,
        threshold,
        note,
        projection,
        assumption + _margin_note(line, margin, unit),
        monthly,
        air.edition,
        facts,
        synthetic=air.synthetic,
        risk_line=line,
        risk_margin=margin,
    )


# --- water -----------------------------------------------------------------------------------------------------

WATER_INDICATORS = {
    Indicator.SECTION_GOOD_RATIO,
    Indicator.SECTION_EXCELLENT_RATIO,
    Indicator.SECTION_CLASS_V,
    Indicator.DRINKING_COMPLIANCE,
}


@dataclass
class _WaterSamples:
    """One row per (station, sampling day), one column per parameter; NaN = not measured."""

    station: np.ndarray  # station code per row
    month: np.ndarray
    values: dict[str, np.ndarray]
    below: dict[str, np.ndarray]
    stations: dict[str, Station]


def _water_samples(region_id: int, year: int, as_of: date, cache: dict | None) -> _WaterSamples | None:
    key = ("water", region_id, year, as_of)
    if cache is not None and key in cache:
        return cache[key]
    stations = {s.code: s for s in Station.objects.filter(region_id=region_id, medium=Station.Medium.WATER)}
    rows = list(
        WaterSample.objects.filter(
            station__region_id=region_id, sampled_on__year=year, sampled_on__lte=as_of
        ).values_list("station__code", "sampled_on", "parameter", "value", "below_detection")
    )
    result = None
    if rows:
        keys = sorted({(code, day) for code, day, *_ in rows})
        index = {k: i for i, k in enumerate(keys)}
        values: dict[str, np.ndarray] = {}
        below: dict[str, np.ndarray] = {}
        for code, day, parameter, value, is_below in rows:
            column = values.setdefault(parameter, np.full(len(keys), np.nan))
            column[index[(code, day)]] = float(value)
            below.setdefault(parameter, np.zeros(len(keys), dtype=bool))[index[(code, day)]] = is_below
        result = _WaterSamples(
            station=np.array([code for code, _ in keys]),
            month=np.array([day.month for _, day in keys]),
            values=values,
            below=below,
            stations=stations,
        )
    if cache is not None:
        cache[key] = result
    return result


def _in_scope(samples: _WaterSamples, binding: IndicatorBinding) -> np.ndarray:
    """Rows of the stations the binding counts: sections (not sources) of its level, or sources of its scale."""
    drinking = binding.indicator == Indicator.DRINKING_COMPLIANCE
    wanted = set()
    for code, station in samples.stations.items():
        if (station.water_kind == Station.WaterKind.DRINKING) != drinking:
            continue
        if binding.scope and binding.scope not in (station.level, station.drinking_scale):
            continue
        wanted.add(code)
    return np.isin(samples.station, sorted(wanted))


def _water_value(samples: _WaterSamples, rows: np.ndarray, indicator: str) -> tuple[Decimal | None, int]:
    """The indicator over the period the rows cover (each station's mean of its samples), and the stations used."""
    if not rows.any():
        return None, 0
    kinds = {
        Station.WaterKind.LAKE: "lake",
        Station.WaterKind.RIVER: "river",
        Station.WaterKind.DRINKING: "river",
    }
    values = {p: v[rows] for p, v in samples.values.items()}
    below = {p: b[rows] for p, b in samples.below.items()}
    station_rows = samples.station[rows]
    if indicator == Indicator.DRINKING_COMPLIANCE:
        period = section_classes(station_rows, values, kind="river", below_detection=below)
        result = drinking_water_compliance({p: m for p, m in period.means.items()}, kind="river")
        return result.rate, int(period.sections.size)
    classes = []
    for kind in ("river", "lake"):
        of_kind = np.array([kinds[samples.stations[c].water_kind] == kind for c in station_rows])
        if of_kind.any():
            period = section_classes(
                station_rows[of_kind],
                {p: v[of_kind] for p, v in values.items()},
                kind=kind,
                below_detection={p: b[of_kind] for p, b in below.items()},
            )
            classes.append(period.result.water_class)
    shares = section_shares(np.concatenate(classes))
    if indicator == Indicator.SECTION_GOOD_RATIO:
        return shares.good_percent, shares.sections
    if indicator == Indicator.SECTION_EXCELLENT_RATIO:
        return shares.excellent_percent, shares.sections
    return Decimal(shares.v_or_worse), shares.sections


def _water_reading(binding: IndicatorBinding, target: Target, as_of: date, cache: dict | None) -> Reading:
    plan = target.task.plan
    threshold, note = _baseline(target, binding, plan.region_id, plan.year)
    samples = _water_samples(plan.region_id, plan.year, as_of, cache)
    unit = "个" if binding.indicator == Indicator.SECTION_CLASS_V else "%"
    if samples is None:
        return Reading(binding, as_of, None, unit, "no_data", threshold, note, None, "", [], "GB 3838-2002", {})
    rows = _in_scope(samples, binding)
    value, used = _water_value(samples, rows, binding.indicator)
    monthly = [_water_value(samples, rows & (samples.month == m), binding.indicator)[0] for m in MONTHS]
    synthetic = any(s.synthetic for s in samples.stations.values())
    facts = {"参与评价的断面/水源地": used, "样品数": int(rows.sum())}
    margin = _risk_margin(plan, cache)
    line = None if threshold is None else risk_line(target.op, threshold, margin, unit)
    status = _standing(target, value, value, threshold, line)
    return Reading(
        binding,
        as_of,
        value,
        unit,
        status,
        threshold,
        note,
        value,
        "按年初至今各断面（水源地）监测均值评价；其余月份水质与至今均值相同" + _margin_note(line, margin, unit),
        monthly,
        "GB 3838-2002 单因子评价；环办〔2011〕22号",
        facts,
        synthetic=synthetic,
        risk_line=line,
        risk_margin=margin,
    )


def readings_for(bindings: list[IndicatorBinding], as_of: date) -> list[Reading]:
    """Several targets' readings, computing each data set (the county's air year, its water year) once."""
    cache: dict = {}
    return [reading_for(b, as_of, cache=cache) for b in bindings]


def reading_for(binding: IndicatorBinding, as_of: date, *, cache: dict | None = None) -> Reading:
    """The bound target's standing as of a day (data up to and including that day)."""
    target = binding.target
    as_of = min(as_of, date(target.task.plan.year, 12, 31))
    if binding.indicator in {
        Indicator.PM2_5_ANNUAL,
        Indicator.PM10_ANNUAL,
        Indicator.GOOD_DAY_RATIO,
        Indicator.HEAVY_DAYS,
        Indicator.SIX_POLLUTANTS,
    }:
        return _air_reading(binding, target, as_of, cache)
    if binding.indicator in WATER_INDICATORS:
        return _water_reading(binding, target, as_of, cache)
    return Reading(binding, as_of, None, target.unit, "no_data", target.value, "", None, "", [], "", {})


def month_names() -> list[str]:
    return [f"{m}月" for m in MONTHS]


def measured_readings(plan, day: date) -> dict[int, Reading]:
    """Every bound target of the plan with its reading on `day`, keyed by target id (a few queries in all)."""
    bindings = list(IndicatorBinding.objects.filter(target__task__plan=plan).select_related("target__task__plan"))
    return {b.target_id: r for b, r in zip(bindings, readings_for(bindings, day), strict=True)}
