"""Targets that measure themselves: the year-to-date value of a bound indicator, its standing against the
target, a year-end projection with the assumption it makes, and the monthly series for the chart.

The year-end projection of an air indicator uses the county's own past years where their data are stored: the
remaining months are weighted by how those months compared, in the past years, with the same part of the year
that has gone by (winter months are usually worse than summer ones). Without past data it assumes the rest of
the year is like the year so far. Either way the reading says which assumption it made.

A target that the projection meets only narrowly is 有风险: within the plan's margin (a percentage of the target,
part of the plan's set-up: asked for through `signals.risk_margin_asked`) of it.

The arithmetic is `ecotarget.standards`', applied per indicator by the computation the registry
(`indicators`) declares for it (`measures`); this module only gathers the stored data of the indicator's medium
into arrays (a fixed number of queries per reading, shared by a page's readings) and compares the results with
the plan's target. It is also where other apps read the monitoring data (`measured_readings`, `water_sections`).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

import numpy as np

from ecotarget.core import clock
from ecotarget.core.numbers import plain_number, with_unit
from ecotarget.plans.models import Plan, Target
from ecotarget.plans.targets import TargetStanding, target_met
from ecotarget.standards import setting_for
from ecotarget.standards.annual import evaluate_year
from ecotarget.standards.daily import network_daily
from ecotarget.standards.hourly import build_grid
from ecotarget.standards.rounding import MISSING
from ecotarget.standards.water import CLASS_NAMES, section_classes

from . import indicators
from .cache import NOT_KEPT, Recalled, key_of
from .measures import MONTHS, AirYear, Measure, Source, WaterSamples, profile, series
from .models import AIR_POLLUTANTS, AirHour, AnnualFigure, DayExclusion, IndicatorBinding, Station, WaterSample
from .signals import risk_margin_asked


@dataclass(kw_only=True)
class Reading:
    binding: IndicatorBinding
    as_of: date
    value: Decimal | None
    measure_unit: str
    status: TargetStanding
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

    @property
    def status_zh(self) -> str:
        return TargetStanding(self.status).label

    @property
    def threshold_text(self) -> str:
        return plain_number(self.threshold)


DEFAULT_RISK_MARGIN = 5  # PlanSetup.risk_margin's default, for a plan not yet set up


def risk_line(op: str, threshold: Decimal, margin: int, measure_unit: str) -> Decimal | None:
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
        return min(threshold + band, Decimal(100)) if measure_unit == "%" else threshold + band
    return None


def _standing(
    target: Target,
    value: Decimal | None,
    projection: Decimal | None,
    threshold: Decimal | None,
    line: Decimal | None = None,
) -> TargetStanding:
    """met, at_risk or missed: at risk when only one of today's value and the projection meets the target, or
    when both do but the projection (today's value, without one) is beyond the risk line."""
    if value is None or threshold is None:
        return TargetStanding.NO_DATA
    now_ok = target_met(target.op, threshold, value)
    end_ok = projection is None or target_met(target.op, threshold, projection)
    if now_ok and end_ok:
        basis = value if projection is None else projection
        if line is not None and (basis > line if target.op in ("<=", "<") else basis < line):
            return TargetStanding.AT_RISK
        return TargetStanding.MET
    return TargetStanding.AT_RISK if now_ok or end_ok else TargetStanding.MISSED


def _risk_margin(plan, cache: dict | None) -> int:
    """The plan's margin (one query, shared by a page's readings)."""
    key = ("risk_margin", plan.pk)
    if cache is not None and key in cache:
        return cache[key]
    # The margin is part of the plan's set-up, which progress keeps (and monitoring, below it, does not read).
    answers = [margin for _, margin in risk_margin_asked.send(sender=Plan, plan=plan) if margin is not None]
    margin = int(answers[0]) if answers else DEFAULT_RISK_MARGIN
    if cache is not None:
        cache[key] = margin
    return margin


def _margin_note(line: Decimal | None, margin: int, measure_unit: str) -> str:
    if line is None:
        return ""
    return f"；年底预计值距目标不足{margin}%（越过 {with_unit(line, measure_unit)}）时为有风险"


def _past_figures(region_id: int, year: int, cache: dict | None) -> dict[tuple[str, str, int], AnnualFigure]:
    """The region's past figures in force of the three years before `year`, by (indicator, scope, year): one
    query, shared by a page's readings."""
    key = ("figures", region_id, year)
    if cache is not None and key in cache:
        return cache[key]
    figures = {
        (f.indicator, f.scope, f.year): f
        for f in AnnualFigure.objects.in_force().filter(region_id=region_id, year__in=range(year - 3, year))
    }
    if cache is not None:
        cache[key] = figures
    return figures


def _baseline(
    target: Target, binding: IndicatorBinding, region_id: int, year: int, cache: dict | None = None
) -> tuple[Decimal | None, str]:
    """The number the target compares with: its own value, or the previous year / the three-year average."""
    if target.value is not None:
        return target.value, "目标值"
    years = {"previous_year": [year - 1], "three_year_average": [year - 3, year - 2, year - 1]}.get(target.baseline)
    if not years:
        return None, "未设定目标值"
    past = _past_figures(region_id, year, cache)
    figures = {y: past[key] for y in years if (key := (binding.indicator, binding.scope, y)) in past}
    if len(figures) < len(years):
        missing = "、".join(str(y) for y in years if y not in figures)
        return None, f"缺少 {missing} 年数值，无法计算基准"
    mean = sum((figures[y].value for y in years), Decimal(0)) / len(years)
    note = "、".join(f"{y}年 {plain_number(figures[y].value)}" for y in years)
    synthetic = "（演示数据，虚构）" if any(f.synthetic for f in figures.values()) else ""
    label = "上年" if len(years) == 1 else "近三年平均"
    return mean.quantize(Decimal("0.1")), f"{label}：{note}{synthetic}"


# --- air: the county's year, gathered once per page ------------------------------------------------------------


def _air_year(region_id: int, year: int, as_of: date, edition: str, cache: dict | None = None) -> AirYear | None:
    """The county's air year up to `as_of`; `cache` lets several readings of one page share one computation."""
    key = (region_id, year, as_of, edition)
    if cache is not None and key in cache:
        return cache[key]
    result = _compute_air_year(region_id, year, as_of, edition)
    if cache is not None:
        cache[key] = result
    return result


def _compute_air_year(region_id: int, year: int, as_of: date, edition: str) -> AirYear | None:
    stations = list(
        Station.objects.filter(region_id=region_id, medium=Station.Medium.AIR, evaluates_city=True).values_list(
            "code", "synthetic"
        )
    )
    if not stations:
        return None
    tz = clock.zone()
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
    excluded = set(
        DayExclusion.objects.in_force().filter(region_id=region_id, day__year=year).values_list("day", flat=True)
    )
    exclusions = np.isin(grid.days, np.array(sorted(excluded), dtype="datetime64[D]"))
    evaluation = evaluate_year(daily, year, setting, exclusions=exclusions)
    # Official (考核) figures are those after deducting dust / exceptional days; the measured ones show beside.
    official = evaluation.after_exclusion
    return AirYear(
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


PAST_YEARS = 3  # how many earlier years' data the projection looks for


def _past_air_years(region_id: int, year: int, edition: str, cache: dict | None) -> list[tuple[int, AirYear]]:
    """The county's whole air years among the last three before `year` that have stored hourly data."""
    key = ("past-air", region_id, year, edition)
    if cache is not None and key in cache:
        return cache[key]
    tz = clock.zone()
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


def _air_source(binding: IndicatorBinding, as_of: date, cache: dict | None) -> Source | None:
    plan = binding.target.task.plan
    air = _air_year(plan.region_id, plan.year, as_of, binding.edition, cache)
    if air is None:
        return None

    def past_profile(what: str):
        past = _past_air_years(plan.region_id, plan.year, binding.edition, cache)
        return profile([(y, year.days, series(year, what)) for y, year in past], as_of)

    return Source(as_of=as_of, air=air, profile=past_profile)


# --- water: the county's samples, gathered once per page -------------------------------------------------------

# How GB 3838 evaluates each kind of station (a drinking-water source as a river).
_EVALUATED_AS: dict[str, str] = {
    Station.WaterKind.LAKE: "lake",
    Station.WaterKind.RIVER: "river",
    Station.WaterKind.DRINKING: "river",
}


def _evaluated_as(station: Station) -> str:
    return _EVALUATED_AS.get(station.water_kind, "river")


def _water_samples(
    region_id: int, year: int, as_of: date, cache: dict | None
) -> tuple[WaterSamples | None, dict[str, Station]]:
    """The year's samples up to `as_of` (None without any) and the county's water stations by code."""
    key = ("water", region_id, year, as_of)
    if cache is not None and key in cache:
        return cache[key]
    stations = {s.code: s for s in Station.objects.filter(region_id=region_id, medium=Station.Medium.WATER)}
    rows = list(
        WaterSample.objects.filter(
            station__region_id=region_id, sampled_on__year=year, sampled_on__lte=as_of
        ).values_list("station__code", "sampled_on", "parameter", "value", "below_detection")
    )
    samples = None
    if rows:
        keys = sorted({(code, day) for code, day, *_ in rows})
        index = {k: i for i, k in enumerate(keys)}
        values: dict[str, np.ndarray] = {}
        below: dict[str, np.ndarray] = {}
        for code, day, parameter, value, is_below in rows:
            column = values.setdefault(parameter, np.full(len(keys), np.nan))
            column[index[(code, day)]] = float(value)
            below.setdefault(parameter, np.zeros(len(keys), dtype=bool))[index[(code, day)]] = is_below
        samples = WaterSamples(
            station=np.array([code for code, _ in keys]),
            month=np.array([day.month for _, day in keys]),
            kind=np.array([_evaluated_as(stations[code]) for code, _ in keys]),
            values=values,
            below=below,
            synthetic=any(s.synthetic for s in stations.values()),
        )
    result = (samples, stations)
    if cache is not None:
        cache[key] = result
    return result


def _water_source(binding: IndicatorBinding, as_of: date, cache: dict | None) -> Source | None:
    plan = binding.target.task.plan
    samples, stations = _water_samples(plan.region_id, plan.year, as_of, cache)
    if samples is None:
        return None

    def in_scope(drinking: bool) -> np.ndarray:
        """Rows of the stations the binding counts: sections (not sources) of its level, or sources of its scale."""
        wanted = set()
        for code, station in stations.items():
            if (station.water_kind == Station.WaterKind.DRINKING) != drinking:
                continue
            if binding.scope and binding.scope not in (station.level, station.drinking_scale):
                continue
            wanted.add(code)
        return np.isin(samples.station, sorted(wanted))

    return Source(as_of=as_of, water=samples, water_rows=in_scope)


def _no_air_data(spec: indicators.IndicatorSpec, target: Target) -> tuple[str, str]:
    return target.measure_unit, ""


def _no_water_data(spec: indicators.IndicatorSpec, target: Target) -> tuple[str, str]:
    return spec.measure_unit, "GB 3838-2002"


# Per medium: how its data are gathered, and the measure unit and rules a reading without any data names.
_MEDIA = {
    indicators.AIR: (_air_source, _no_air_data),
    indicators.WATER: (_water_source, _no_water_data),
}


@dataclass
class WaterSection:
    code: str
    name: str
    water_class: int  # 1..6, 0 = not evaluated

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.water_class] if self.water_class else "未评价"


def water_sections(plan, day: date) -> list[WaterSection]:
    """Each surface-water section's class from its samples this year up to `day` (GB 3838 single factor, the
    mean of each item over the period), as the section indicators evaluate them; drinking sources left out.
    Computed once per change of the region's data (see `cache`)."""
    kept = Recalled()
    key = key_of("sections", plan.region_id, plan.year, day)
    kept.load({key: plan.region_id})
    found = kept.get(key)
    if found is not NOT_KEPT:
        return cast(list[WaterSection], found)
    sections = _water_sections(plan, day)
    kept.put(key, plan.region_id, sections)
    kept.flush()
    return sections


def _water_sections(plan, day: date) -> list[WaterSection]:
    samples, stations = _water_samples(plan.region_id, plan.year, day, None)
    sections = {c: s for c, s in stations.items() if s.water_kind != Station.WaterKind.DRINKING}
    classes: dict[str, int] = {}
    if samples is not None:
        for kind in ("river", "lake"):
            rows = (samples.kind == kind) & np.isin(samples.station, sorted(sections))
            if not rows.any():
                continue
            # Only the items measured at these sections (a column of another kind's items is not theirs).
            items = [p for p, v in samples.values.items() if not np.isnan(v[rows]).all()]
            result = section_classes(
                samples.station[rows],
                {p: samples.values[p][rows] for p in items},
                kind=kind,
                below_detection={p: samples.below[p][rows] for p in items},
            )
            for name, water_class in zip(result.sections, result.result.water_class, strict=True):
                classes[str(name)] = int(water_class)
    return [
        WaterSection(code, sections[code].name, classes.get(code, 0))
        for code in sorted(sections, key=lambda c: (sections[c].level, c))
    ]


def water_class_counts(sections: list[WaterSection]) -> list[tuple[str, int]]:
    """How many sections are of each class, Ⅰ to 劣Ⅴ (those not evaluated left out)."""
    counts = Counter(s.water_class for s in sections if s.water_class)
    return [(CLASS_NAMES[c], counts[c]) for c in range(1, 7)]


# --- the reading -----------------------------------------------------------------------------------------------


def _page_cache() -> dict:
    """What one page's readings share: the data sets gathered, and the measures kept (`cache.Recalled`)."""
    return {"kept": Recalled()}


def _as_of(plan: Plan, as_of: date) -> date:
    return min(as_of, date(plan.year, 12, 31))


def _measure_key(binding: IndicatorBinding, plan: Plan, as_of: date) -> str:
    """Everything a measure is computed from besides the region's data (whose version is kept beside it)."""
    return key_of("measure", plan.region_id, plan.year, as_of, binding.indicator, binding.scope, binding.edition)


def readings_for(bindings: list[IndicatorBinding], as_of: date) -> list[Reading]:
    """Several targets' readings: the measures kept for the data as they are read at once, the others computed
    (each data set — the county's air year, its water year — once) and kept for the next read."""
    cache = _page_cache()
    kept: Recalled = cache["kept"]
    keys = {}
    for binding in bindings:
        plan = binding.target.task.plan
        keys[_measure_key(binding, plan, _as_of(plan, as_of))] = plan.region_id
    kept.load(keys)
    readings = [reading_for(b, as_of, cache=cache) for b in bindings]
    kept.flush()
    return readings


def _measure(binding: IndicatorBinding, spec: indicators.IndicatorSpec, as_of: date, cache: dict) -> Measure | None:
    """The indicator's measure as of the day (None without data): the one kept for the region's data as they
    are, else computed now (and kept when the page is done)."""
    plan = binding.target.task.plan
    kept: Recalled = cache["kept"]
    key = _measure_key(binding, plan, as_of)
    found = kept.get(key)
    if found is not NOT_KEPT:
        return cast(Measure | None, found)
    kept.version(plan.region_id)  # read before the data: see `cache`
    gather, _ = _MEDIA[spec.medium]
    source = gather(binding, as_of, cache)
    measure = None if source is None else spec.compute(source)
    kept.put(key, plan.region_id, measure)
    return measure


def reading_for(binding: IndicatorBinding, as_of: date, *, cache: dict | None = None) -> Reading:
    """The bound target's standing as of a day (data up to and including that day): the registry's computation
    of its indicator, compared with the target. `cache` is `readings_for`'s, shared by a page's readings."""
    if cache is None:
        return readings_for([binding], as_of)[0]
    target = binding.target
    plan = target.task.plan
    as_of = _as_of(plan, as_of)
    spec = indicators.spec_of(binding.indicator)
    if spec is None:  # an indicator no longer declared: shown, never computed
        return Reading(
            binding=binding,
            as_of=as_of,
            value=None,
            measure_unit=target.measure_unit,
            status=TargetStanding.NO_DATA,
            threshold=target.value,
            threshold_note="",
            projection=None,
            assumption="",
            monthly=[],
            edition="",
        )
    _, no_data = _MEDIA[spec.medium]
    threshold, note = _baseline(target, binding, plan.region_id, plan.year, cache)
    measure = _measure(binding, spec, as_of, cache)
    if measure is None:
        measure_unit, edition = no_data(spec, target)
        return Reading(
            binding=binding,
            as_of=as_of,
            value=None,
            measure_unit=measure_unit,
            status=TargetStanding.NO_DATA,
            threshold=threshold,
            threshold_note=note,
            projection=None,
            assumption="",
            monthly=[],
            edition=edition,
        )
    measure_unit = spec.measure_unit
    margin = _risk_margin(plan, cache) if measure.with_margin else 0
    line = None if threshold is None else risk_line(target.op, threshold, margin, measure_unit)
    return Reading(
        binding=binding,
        as_of=as_of,
        value=measure.value,
        measure_unit=measure_unit,
        status=_standing(target, measure.value, measure.projection, threshold, line),
        threshold=threshold,
        threshold_note=note,
        projection=measure.projection,
        assumption=measure.assumption + _margin_note(line, margin, measure_unit),
        monthly=measure.monthly,
        edition=measure.edition,
        facts=measure.facts,
        synthetic=measure.synthetic,
        risk_line=line,
        risk_margin=margin,
    )


def month_names() -> list[str]:
    return [f"{m}月" for m in MONTHS]


def measured_readings(plan, day: date) -> dict[int, Reading]:
    """Every bound target of the plan with its reading on `day`, keyed by target id (a few queries in all)."""
    bindings = list(
        IndicatorBinding.objects.in_force().filter(target__task__plan=plan).select_related("target__task__plan")
    )
    return {b.target_id: r for b, r in zip(bindings, readings_for(bindings, day), strict=True)}
