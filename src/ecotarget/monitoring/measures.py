"""How each built-in indicator is computed from the data `readings` gathers: pure arithmetic on arrays (no
queries, no models), so that the registry (`indicators`) can name these functions and the models can read the
registry without an import cycle.

Each function takes a `Source` (the county's air year or water samples as of a day, and the past years' monthly
profile) and gives a `Measure`: the value, the monthly series, the year-end projection with the assumption it
makes, and the facts shown beside it. `readings` compares the measure with the target.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from ecotarget.standards.annual import AnnualEvaluation
from ecotarget.standards.rounding import MISSING, round_half_even_div, units_to_decimal
from ecotarget.standards.water import drinking_water_compliance, section_classes, section_shares

MONTHS = range(1, 13)


@dataclass
class AirYear:
    """The county's air year up to a day: daily values of the evaluation stations, their annual evaluation."""

    days: np.ndarray
    daily: dict[str, np.ndarray]
    aqi: np.ndarray
    evaluation: AnnualEvaluation
    edition: str
    stations: int
    invalid_values: int
    excluded_days: int
    synthetic: bool


@dataclass
class WaterSamples:
    """One row per (station, sampling day), one column per parameter; NaN = not measured."""

    station: np.ndarray  # station code per row
    month: np.ndarray
    kind: np.ndarray  # per row, how GB 3838 evaluates the station: "river" or "lake"
    values: dict[str, np.ndarray]
    below: dict[str, np.ndarray]
    synthetic: bool


@dataclass
class Profile:
    """How each month compared, in the past years, with the part of the year up to the same day."""

    ratios: dict[int, float]  # month → mean over the past years of (that month's mean ÷ the elapsed part's mean)
    rates: dict[int, float]  # month → mean over the past years of that month's mean (for 0/1 series)
    years: list[int]


@dataclass
class Source:
    """What a reading is computed from, gathered by `readings` for the indicator's medium (the other is None)."""

    as_of: date
    air: AirYear | None = None
    water: WaterSamples | None = None
    # The rows of the water stations the binding counts: sections of its level, or (True) sources of its scale.
    water_rows: Callable[[bool], np.ndarray] | None = None
    # The past years' monthly profile of a daily series: a pollutant key, "good" or "heavy".
    profile: Callable[[str], Profile | None] = lambda series: None


@dataclass
class Measure:
    value: Decimal | None
    monthly: list[Decimal | None]
    projection: Decimal | None
    assumption: str
    edition: str
    facts: dict[str, object] = field(default_factory=dict)
    synthetic: bool = False
    with_margin: bool = True  # False: nothing lies beyond the target (six of six), so never "at risk"


# --- helpers ---------------------------------------------------------------------------------------------------


def months_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(int) % 12 + 1


def series(air: AirYear, what: str) -> np.ndarray:
    """A daily series with NaN for invalid days: a pollutant's concentration, or 1/0 for a good / heavy day."""
    if what in ("good", "heavy"):
        valid = air.aqi != MISSING
        hit = (air.aqi <= 100) if what == "good" else (air.aqi > 200)
        return np.where(valid, hit.astype(float), np.nan)
    units = air.daily[what]
    return np.where(units == MISSING, np.nan, units.astype(float))


def profile(past: list[tuple[int, np.ndarray, np.ndarray]], as_of: date) -> Profile | None:
    """From (year, days, daily values with NaN for invalid days) of the past years, the monthly profile of the
    months after `as_of`. A past year counts for a month when it has valid days both in that month and in the
    part of the year up to `as_of`'s month and day."""
    ratios: dict[int, list[float]] = {}
    rates: dict[int, list[float]] = {}
    used: set[int] = set()
    for year, days, values in past:
        months = months_of(days)
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
    return Profile(
        ratios={m: sum(v) / len(v) for m, v in ratios.items()},
        rates={m: sum(v) / len(v) for m, v in rates.items()},
        years=sorted(used),
    )


def remaining_days(as_of: date) -> dict[int, int]:
    """Days after `as_of` in each month to the year's end: {month: days}."""
    result = {}
    for month in range(as_of.month, 13):
        first = date(as_of.year, month, 1)
        last = date(as_of.year + 1, 1, 1) if month == 12 else date(as_of.year, month + 1, 1)
        start = max(first, as_of + timedelta(days=1))
        if start < last:
            result[month] = (last - start).days
    return result


def years_text(years: list[int]) -> str:
    return "、".join(str(y) for y in years) + "年"


def project_mean(mean: float, valid_days: int, as_of: date, profile: Profile | None) -> float:
    """The year's mean if each remaining day has the year-to-date mean, weighted by the past years' ratio of its
    month to the part of the year gone by (1 where a month has no past data)."""
    remaining = remaining_days(as_of)
    ratios = profile.ratios if profile else {}
    total = mean * valid_days + sum(n * mean * ratios.get(m, 1.0) for m, n in remaining.items())
    return total / (valid_days + sum(remaining.values()))


def project_share(hits: int, valid_days: int, as_of: date, profile: Profile | None) -> float:
    """The year's share of good days (0–1) if each remaining day is good with the year-to-date share, weighted
    by the past years' ratio of its month (capped at every day good)."""
    share = hits / max(valid_days, 1)
    remaining = remaining_days(as_of)
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


def _air_facts(air: AirYear) -> dict[str, object]:
    return {
        "评价点位数": air.stations,
        "无效小时值": air.invalid_values,
        "扣除天数（沙尘/例外事件）": air.excluded_days,
    }


# --- air -------------------------------------------------------------------------------------------------------


def annual_mean(key: str) -> Callable[[Source], Measure]:
    """The annual mean concentration of a pollutant (`pm2_5`, `pm10`), projected to the year's end."""

    def compute(source: Source) -> Measure:
        air, as_of = source.air, source.as_of
        assert air is not None
        official, measured = air.evaluation.after_exclusion, air.evaluation.measured
        months = months_of(air.days)
        year_stat = official.pollutants[key]
        mean = year_stat.annual_mean
        value = None if mean is None else Decimal(mean)
        past = source.profile(key)
        projection = None
        if mean is not None:
            projected = project_mean(float(mean), year_stat.days, as_of, past)
            projection = Decimal(round(projected))  # like the annual mean itself, to a whole µg/m³
        if past and past.ratios:
            assumption = (
                f"其余各月按年初至今的平均浓度，乘以{years_text(past.years)}同月与同期（1月1日至"
                f"{as_of.month}月{as_of.day}日）平均浓度之比估算"
            )
        else:
            assumption = "其余天数按年初至今的平均浓度估算（无往年逐日数据；冬季浓度通常偏高）"
        return Measure(
            value=value,
            monthly=[_mean(air.daily[key][months == m]) for m in MONTHS],
            projection=projection,
            assumption=assumption,
            edition=air.edition,
            facts=_air_facts(air)
            | {
                "有效日数": year_stat.days,
                f"第{year_stat.percentile_p}百分位数": year_stat.percentile_value,
                "实测值（不扣除）": measured.pollutants[key].annual_mean,
                "全年数据有效性": _validity_note(year_stat.validity, as_of),
            },
            synthetic=air.synthetic,
        )

    return compute


def good_day_ratio(source: Source) -> Measure:
    air, as_of = source.air, source.as_of
    assert air is not None
    official, measured = air.evaluation.after_exclusion, air.evaluation.measured
    months = months_of(air.days)
    valid = air.aqi != MISSING
    good = valid & (air.aqi <= 100)
    value = official.good_ratio
    past = source.profile("good")
    projection = None
    if value is not None:
        share = project_share(official.good_days, official.valid_days, as_of, past)
        projection = Decimal(round(share * 1000)).scaleb(-1)  # a percentage with one decimal
    if past and past.ratios:
        assumption = (
            f"其余各月按年初至今的优良比例，乘以{years_text(past.years)}同月与同期优良比例之比估算（每月不超过100%）"
        )
    else:
        assumption = "其余天数按年初至今的优良比例估算（无往年逐日数据）"
    return Measure(
        value=value,
        monthly=[_ratio(int((good & (months == m)).sum()), int((valid & (months == m)).sum())) for m in MONTHS],
        projection=projection,
        assumption=assumption,
        edition=air.edition,
        facts=_air_facts(air)
        | {"有效天数": official.valid_days, "优良天数": official.good_days, "实测值（不扣除）": measured.good_ratio},
        synthetic=air.synthetic,
    )


def heavy_days(source: Source) -> Measure:
    air, as_of = source.air, source.as_of
    assert air is not None
    official, measured = air.evaluation.after_exclusion, air.evaluation.measured
    months = months_of(air.days)
    heavy = (air.aqi != MISSING) & (air.aqi > 200)
    past = source.profile("heavy")
    rate = official.heavy_days / max(official.valid_days, 1)
    if past and past.rates:
        expected = sum(n * past.rates.get(m, rate) for m, n in remaining_days(as_of).items())
        assumption = f"其余各月按{years_text(past.years)}同月重污染天出现的频率估算"
    else:
        expected = rate * _days_left(as_of)
        assumption = "其余天数按年初至今重污染天出现的频率估算（无往年逐日数据）"
    return Measure(
        value=Decimal(official.heavy_days),
        monthly=[Decimal(int((heavy & (months == m)).sum())) for m in MONTHS],
        projection=Decimal(official.heavy_days + round(expected)),
        assumption=assumption,
        edition=air.edition,
        facts=_air_facts(air) | {"有效天数": official.valid_days, "实测值（不扣除）": measured.heavy_days},
        synthetic=air.synthetic,
    )


def six_pollutants(source: Source) -> Measure:
    air, as_of = source.air, source.as_of
    assert air is not None
    official = air.evaluation.after_exclusion
    # Before the year is complete the validity rule cannot be met: judge the data so far, provisionally.
    passing = [
        py.label
        for py in official.pollutants.values()
        if py.percentile_value is not None
        and py.percentile_value <= py.daily_limit
        and (py.annual_mean is None or py.annual_limit is None or py.annual_mean <= py.annual_limit)
    ]
    facts = _air_facts(air) | {"达标项目": "、".join(passing) or "无"}
    if as_of == date(as_of.year, 12, 31):
        facts["说明"] = "；".join(official.notes) or "6项均达标"
    value = Decimal(len(passing))
    return Measure(
        value=value,
        monthly=[],
        projection=value,
        assumption="按年初至今数据暂评；全年有效性（324天、每月27天）满足后为正式结果",
        edition=air.edition,
        facts=facts,
        synthetic=air.synthetic,
        with_margin=False,  # six passing out of six is a count with nothing above it
    )


# --- water -----------------------------------------------------------------------------------------------------

WATER_EDITION = "GB 3838-2002 单因子评价；环办〔2011〕22号"
WATER_ASSUMPTION = "按年初至今各断面（水源地）监测均值评价；其余月份水质与至今均值相同"


def _subset(samples: WaterSamples, rows: np.ndarray) -> tuple[np.ndarray, dict, dict]:
    return (
        samples.station[rows],
        {p: v[rows] for p, v in samples.values.items()},
        {p: b[rows] for p, b in samples.below.items()},
    )


def _section_value(samples: WaterSamples, rows: np.ndarray, pick) -> tuple[Decimal | None, int]:
    """`pick` of the sections' class shares over the period the rows cover (each section's mean of its samples)."""
    if not rows.any():
        return None, 0
    classes = []
    for kind in ("river", "lake"):
        of_kind = rows & (samples.kind == kind)
        if of_kind.any():
            stations, values, below = _subset(samples, of_kind)
            period = section_classes(stations, values, kind=kind, below_detection=below)
            classes.append(period.result.water_class)
    shares = section_shares(np.concatenate(classes))
    return pick(shares), shares.sections


def _drinking_value(samples: WaterSamples, rows: np.ndarray) -> tuple[Decimal | None, int]:
    """The sources' compliance rate over the period the rows cover (each source's mean, as a river)."""
    if not rows.any():
        return None, 0
    stations, values, below = _subset(samples, rows)
    period = section_classes(stations, values, kind="river", below_detection=below)
    result = drinking_water_compliance({p: m for p, m in period.means.items()}, kind="river")
    return result.rate, int(period.sections.size)


def _water_measure(source: Source, drinking: bool, value_of) -> Measure:
    samples = source.water
    assert samples is not None and source.water_rows is not None
    rows = source.water_rows(drinking)
    value, used = value_of(samples, rows)
    return Measure(
        value=value,
        monthly=[value_of(samples, rows & (samples.month == m))[0] for m in MONTHS],
        projection=value,
        assumption=WATER_ASSUMPTION,
        edition=WATER_EDITION,
        facts={"参与评价的断面/水源地": used, "样品数": int(rows.sum())},
        synthetic=samples.synthetic,
    )


def section_share(pick: Callable) -> Callable[[Source], Measure]:
    """A figure of the sections' classes (not the drinking-water sources): `pick` takes `section_shares`'s result."""

    def compute(source: Source) -> Measure:
        return _water_measure(source, False, lambda samples, rows: _section_value(samples, rows, pick))

    return compute


def drinking_compliance(source: Source) -> Measure:
    return _water_measure(source, True, _drinking_value)
