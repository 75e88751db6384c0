"""Business actions on monitoring data: load stations, store measurements, bind targets to indicators."""

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import transaction

from ecotarget.core import clock
from ecotarget.core.errors import Refusal
from ecotarget.organisation.models import Region
from ecotarget.plans.models import Plan, Target, TaskChange
from ecotarget.standards.io import RowIssue, read_air, read_water

from . import indicators
from .bindings import suggest
from .models import AirHour, AnnualFigure, DayExclusion, ImportBatch, IndicatorBinding, Station, WaterSample

DATA_DIR = Path(__file__).resolve().parent / "data"


class StationFileError(Refusal):
    pass


@transaction.atomic
def stations_load(*, region: Region, path: Path) -> list[Station]:
    """Create or update the region's stations from a versioned JSON file; running it again changes nothing."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = spec["stations"]
    except (OSError, ValueError, KeyError) as exc:
        raise StationFileError(f"{path}: not a station file ({exc})") from exc
    synthetic = bool(spec.get("synthetic"))
    stations = []
    for number, row in enumerate(rows, start=1):
        missing = {"code", "name", "medium", "level"} - row.keys()
        if missing:
            raise StationFileError(f"{path}: station #{number} lacks {', '.join(sorted(missing))}")
        station, _ = Station.objects.update_or_create(
            region=region,
            code=row["code"],
            defaults={
                "name": row["name"],
                "medium": row["medium"],
                "level": row["level"],
                "water_kind": row.get("water_kind", ""),
                "drinking_scale": row.get("drinking_scale", ""),
                "basin": row.get("basin", ""),
                "evaluates_city": row.get("evaluates_city", True),
                "synthetic": synthetic,
            },
        )
        stations.append(station)
    return stations


def decimal_from(value: float) -> Decimal | None:
    """A measured value as the exact decimal it was written as (NaN = missing)."""
    if value != value:  # NaN
        return None
    return Decimal(repr(float(value)))


AIR_FIELDS = ["pm2_5", "pm10", "so2", "no2", "co", "o3"]
STORE_SLICE = 5000


def air_records_store(
    *, batch: ImportBatch, stations: list[Station], hour_ends: list[datetime], values: dict[str, np.ndarray]
) -> int:
    """Store station-hour records (one station and hour-end per record; NaN = blank) under the batch.

    A station-hour already stored is overwritten: a later file is an audited revision of the real-time one.
    Returns the number of values stored. Call inside the import's transaction.
    """
    columns = {f: values.get(f, np.full(len(stations), np.nan)) for f in AIR_FIELDS}
    present = ~np.all(np.isnan(np.stack([columns[f] for f in AIR_FIELDS])), axis=0)
    # In slices, so that a year of many stations never sits in memory as model objects all at once.
    for first in range(0, len(stations), STORE_SLICE):
        AirHour.objects.bulk_create(
            [
                AirHour(
                    station=stations[i],
                    hour_end=hour_ends[i],
                    batch=batch,
                    **{f: decimal_from(columns[f][i]) for f in AIR_FIELDS},
                )
                for i in range(first, min(first + STORE_SLICE, len(stations)))
                if present[i]
            ],
            update_conflicts=True,
            unique_fields=["station", "hour_end"],
            update_fields=[*AIR_FIELDS, "batch"],
        )
    return int(sum(np.count_nonzero(~np.isnan(c)) for c in columns.values()))


def water_records_store(
    *,
    batch: ImportBatch,
    stations: list[Station],
    days: list[date],
    values: dict[str, np.ndarray],
    below: dict[str, np.ndarray] | None = None,
) -> int:
    """Store water samples (one station and day per record, a column per parameter; NaN = not measured)."""
    below = below or {}
    rows = [
        WaterSample(
            station=station,
            sampled_on=day,
            parameter=parameter,
            value=decimal_from(column[i]),
            below_detection=bool(below.get(parameter, np.zeros(len(stations), bool))[i]),
            batch=batch,
        )
        for parameter, column in values.items()
        for i, (station, day) in enumerate(zip(stations, days, strict=True))
        if not np.isnan(column[i])
    ]
    WaterSample.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["station", "sampled_on", "parameter"],
        update_fields=["value", "below_detection", "batch"],
    )
    return len(rows)


@dataclass
class ImportOutcome:
    batch: ImportBatch | None
    records: int
    stored: int
    issues: list[RowIssue]

    @property
    def refused(self) -> bool:
        return self.batch is None


class MeasurementFileError(Refusal):
    pass


def _stations_of(region: Region, medium: str, names: np.ndarray, rows: np.ndarray, file: str, issues: list):
    """Each record's station by code or name; unknown ones become issues and their records are dropped."""
    known = {}
    for station in Station.objects.filter(region=region, medium=medium):
        known[station.code] = known[station.name] = station
    found = [known.get(str(name)) for name in names]
    for name, row, station in zip(names, rows, found, strict=True):
        if station is None:
            issues.append(RowIssue(file, int(row), "station", str(name), "未登记的监测点位 / unknown station"))
    return found


def measurements_import(
    *,
    region: Region,
    path: Path,
    file_name: str,
    kind: str,
    user=None,
    accept_partial: bool = False,
) -> ImportOutcome:
    """Import an air or water data file in one transaction.

    Every bad row is reported (file, row, column, reason). With any issue and without `accept_partial` nothing
    is stored, so the user can fix the file; with it, the valid records are stored and the issues are kept with
    the batch.
    """
    try:
        table = read_air(path) if kind == ImportBatch.Kind.AIR else read_water(path)
    except (ValueError, OSError, KeyError) as exc:
        raise MeasurementFileError(f"{file_name}: 无法读取 / cannot read ({exc})") from exc
    # The reader only knows the temporary file the upload was saved as; the user knows their own file's name.
    issues = [replace(issue, file=file_name) for issue in table.issues]
    if kind == ImportBatch.Kind.AIR:
        names, times = table.stations, table.times
    else:
        names, times = table.sections, table.dates
    stations = _stations_of(region, kind, names, table.rows, file_name, issues)
    # A record needs a known station and a readable time; a bad value only blanks that value (reported), so the
    # row's other pollutants still count. A record without a time cannot be stored: it is reported, never guessed.
    keep = np.array([s is not None for s in stations], dtype=bool) & ~np.isnat(times)
    records = int(keep.sum())
    if issues and not accept_partial:
        return ImportOutcome(batch=None, records=records, stored=0, issues=issues)
    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            region=region,
            kind=kind,
            file_name=file_name[:255],
            sha256=sha,
            rows_read=len(table.rows),
            errors=[asdict(issue) for issue in issues],
            user=user,
        )
        kept = [s for s, k in zip(stations, keep, strict=True) if k]
        if kind == ImportBatch.Kind.AIR:
            tz = clock.zone()
            hour_ends = [t.astype(datetime).replace(tzinfo=tz) for t in times[keep]]
            stored = air_records_store(
                batch=batch, stations=kept, hour_ends=hour_ends, values={k: v[keep] for k, v in table.values.items()}
            )
        else:
            stored = water_records_store(
                batch=batch,
                stations=kept,
                days=[t.astype(date) for t in times[keep]],
                values={k: v[keep] for k, v in table.values.items()},
                below={k: v[keep] for k, v in table.below_detection.items()},
            )
        batch.values_stored = stored
        batch.save(update_fields=["values_stored"])
    return ImportOutcome(batch=batch, records=records, stored=stored, issues=issues)


class SettingError(Refusal):
    pass


def _keep_closed_periods(plans) -> None:
    """A setting that changes measured figures reaches only what comes next: freeze every closed period first."""
    from ecotarget.progress.closing import periods_close_due  # progress builds on monitoring: imported late

    for plan in plans:
        periods_close_due(plan=plan)


@transaction.atomic
def exclusion_add(*, region: Region, day: date, reason: str) -> DayExclusion:
    """Deduct a day (沙尘 / 例外事件) from the official figures; the measured ones keep it."""
    if not reason.strip():
        raise SettingError("请写明扣除原因（如沙尘天气过程、例外事件）")
    _keep_closed_periods(region.plans.all())
    exclusion, _ = DayExclusion.objects.update_or_create(region=region, day=day, defaults={"reason": reason.strip()})
    return exclusion


@transaction.atomic
def exclusion_remove(*, exclusion: DayExclusion) -> None:
    _keep_closed_periods(exclusion.region.plans.all())
    exclusion.delete()


@transaction.atomic
def annual_figure_set(
    *, region: Region, indicator: str, scope: str, year: int, value: Decimal, source: str
) -> AnnualFigure:
    """Record a past year's official figure, the baseline of targets such as 高于近三年平均值."""
    if not source.strip():
        raise SettingError("请注明数值来源（如某年环境质量公报）")
    _keep_closed_periods(region.plans.all())
    figure, _ = AnnualFigure.objects.update_or_create(
        region=region,
        indicator=indicator,
        scope=scope,
        year=year,
        defaults={"value": value, "source": source.strip(), "synthetic": False},
    )
    return figure


# --- which targets are measured: every change is one action, recorded in the task's history -----------------------


def binding_words(target: Target, binding: IndicatorBinding | None) -> str:
    """How the history states a target's source, in the words of the page; kept as written at the time."""
    if binding is None:
        return f"{target.describe()}：由责任单位填报"
    words = f"{target.describe()}：由监测数据计算（{binding.indicator_name}"
    if binding.scope:
        words += f"，{binding.scope_label}"
    if binding.edition != IndicatorBinding.Edition.AUTO:
        words += f"，{binding.get_edition_display()}"
    return words + "）"


def _binding_change(target: Target, before: str, after: str, user) -> TaskChange:
    task = target.task
    return TaskChange(
        plan_id=task.plan_id,
        task=task,
        task_number=task.number,
        action=TaskChange.Action.BINDING,
        changes={"binding": [before, after]},
        user=user,
    )


@transaction.atomic
def binding_set(
    *, target: Target, indicator: str, scope: str = "", edition: str = IndicatorBinding.Edition.AUTO, user
) -> IndicatorBinding:
    """Measure `target` from monitoring data with `indicator` over `scope` (a station level or a drinking-water
    scale; empty = every station of the medium) under `edition`'s rules; binds it, or changes its binding."""
    if indicators.spec_of(indicator) is None:
        raise SettingError(f"未知的监测指标：{indicator}")
    if not indicators.allows(indicator, scope):
        if scope in indicators.SCOPE_LABELS:
            raise SettingError(f"{indicators.name_of(indicator)}不按{indicators.SCOPE_LABELS[scope]}计算")
        raise SettingError(f"未知的范围：{scope}")
    if edition not in IndicatorBinding.Edition.values:
        raise SettingError(f"未知的标准版本：{edition}")
    target = Target.objects.select_related("task__plan").get(pk=target.pk)
    _keep_closed_periods([target.task.plan])
    binding = IndicatorBinding.objects.select_for_update().filter(target=target).first()
    before = binding_words(target, binding)
    if binding is None:
        binding = IndicatorBinding(target=target)
    binding.indicator, binding.scope, binding.edition = indicator, scope, edition
    after = binding_words(target, binding)
    if before != after:
        binding.save()
        _binding_change(target, before, after, user).save()
    return binding


@transaction.atomic
def binding_remove(*, binding: IndicatorBinding, user) -> None:
    """The target is reported by its units again; what was measured stays in the history."""
    binding = IndicatorBinding.objects.select_for_update().select_related("target__task__plan").get(pk=binding.pk)
    _keep_closed_periods([binding.target.task.plan])
    _binding_change(
        binding.target, binding_words(binding.target, binding), binding_words(binding.target, None), user
    ).save()
    binding.delete()


def binding_set_edition(*, binding: IndicatorBinding, edition: str, user) -> IndicatorBinding:
    """Which air rules a target's year uses (the default follows the date; 2026 straddles the change)."""
    return binding_set(
        target=binding.target, indicator=binding.indicator, scope=binding.scope, edition=edition, user=user
    )


@transaction.atomic
def bindings_suggest(*, targets: list[Target], user) -> list[IndicatorBinding]:
    """Bind each of `targets` whose wording names a monitored indicator (`bindings.suggest`); a target already
    bound keeps its binding. Called by every plan import for the targets it creates; a fixed number of queries."""
    bound = set(IndicatorBinding.objects.filter(target__in=targets).values_list("target_id", flat=True))
    created = [
        IndicatorBinding(target=t, indicator=suggestion.indicator, scope=suggestion.scope)
        for t in targets
        if t.pk not in bound and (suggestion := suggest(t.metric)) is not None
    ]
    IndicatorBinding.objects.bulk_create(created)
    TaskChange.objects.bulk_create(
        _binding_change(b.target, binding_words(b.target, None), binding_words(b.target, b), user) for b in created
    )
    return created


def plan_bindings(plan: Plan) -> list[IndicatorBinding]:
    """The plan's measured targets in task order, with their targets and tasks."""
    return list(
        IndicatorBinding.objects.filter(target__task__plan=plan)
        .select_related("target__task")
        .order_by("target__task__number", "target__order")
    )


def bindings_apply(*, plan: Plan, user=None) -> list[IndicatorBinding]:
    """Bind every target of the plan whose wording names a monitored indicator; existing bindings are kept.
    Returns the bindings of all such targets (for a plan imported before imports bound its targets)."""
    targets = list(Target.objects.filter(task__plan=plan).select_related("task"))
    bindings_suggest(targets=targets, user=user)
    return [b for b in plan_bindings(plan) if suggest(b.target.metric) is not None]
