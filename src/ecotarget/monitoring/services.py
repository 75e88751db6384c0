"""Business actions on monitoring data: load stations, store measurements, bind targets to indicators."""

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import transaction

from ecotarget.organisation.models import Region
from ecotarget.plans.models import Plan, Target
from ecotarget.standards.io import RowIssue, read_air, read_water

from .bindings import suggest
from .models import AirHour, AnnualFigure, DayExclusion, ImportBatch, IndicatorBinding, Station, WaterSample

DATA_DIR = Path(__file__).resolve().parent / "data"


class StationFileError(ValueError):
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


class MeasurementFileError(ValueError):
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
            tz = ZoneInfo(settings.TIME_ZONE)
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


@transaction.atomic
def bindings_apply(*, plan: Plan) -> list[IndicatorBinding]:
    """Bind every target of the plan whose wording names a monitored indicator; existing bindings are kept."""
    bound = []
    targets = Target.objects.filter(task__plan=plan).select_related("binding")
    for target in targets:
        suggestion = suggest(target.metric)
        if suggestion is None:
            continue
        binding, _ = IndicatorBinding.objects.get_or_create(
            target=target, defaults={"indicator": suggestion.indicator, "scope": suggestion.scope}
        )
        bound.append(binding)
    return bound


class SettingError(ValueError):
    pass


@transaction.atomic
def exclusion_add(*, region: Region, day: date, reason: str) -> DayExclusion:
    """Deduct a day (沙尘 / 例外事件) from the official figures; the measured ones keep it."""
    if not reason.strip():
        raise SettingError("请写明扣除原因（如沙尘天气过程、例外事件）")
    exclusion, _ = DayExclusion.objects.update_or_create(region=region, day=day, defaults={"reason": reason.strip()})
    return exclusion


@transaction.atomic
def exclusion_remove(*, exclusion: DayExclusion) -> None:
    exclusion.delete()


@transaction.atomic
def annual_figure_set(
    *, region: Region, indicator: str, scope: str, year: int, value: Decimal, source: str
) -> AnnualFigure:
    """Record a past year's official figure, the baseline of targets such as 高于近三年平均值."""
    if not source.strip():
        raise SettingError("请注明数值来源（如某年环境质量公报）")
    figure, _ = AnnualFigure.objects.update_or_create(
        region=region,
        indicator=indicator,
        scope=scope,
        year=year,
        defaults={"value": value, "source": source.strip(), "synthetic": False},
    )
    return figure


@transaction.atomic
def binding_set_edition(*, binding: IndicatorBinding, edition: str) -> IndicatorBinding:
    """Which air rules a target's year uses (the default follows the date; 2026 straddles the change)."""
    if edition not in IndicatorBinding.Edition.values:
        raise SettingError(f"未知的标准版本：{edition}")
    binding.edition = edition
    binding.save(update_fields=["edition"])
    return binding
