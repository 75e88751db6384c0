"""Business actions on monitoring data: load stations, store measurements, bind targets to indicators."""

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import models, transaction

from ecotarget.organisation.models import Region
from ecotarget.plans.models import Plan, Target

from .bindings import suggest
from .models import AirHour, ImportBatch, IndicatorBinding, Station, WaterSample

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


@transaction.atomic
def air_hours_store(
    *,
    batch: ImportBatch,
    stations: list[Station],
    hour_ends: list[datetime],
    values: np.ndarray,
) -> int:
    """Store station-hours (values shaped (stations, hours, 6), NaN = missing) in the batch's transaction.

    A station-hour already stored is overwritten: a later file is an audited revision of the real-time one.
    Returns the number of values stored.
    """
    rows = []
    for s, station in enumerate(stations):
        present = ~np.all(np.isnan(values[s]), axis=1)
        for h in np.flatnonzero(present):
            rows.append(
                AirHour(
                    station=station,
                    hour_end=hour_ends[h],
                    batch=batch,
                    **{f: decimal_from(v) for f, v in zip(AIR_FIELDS, values[s, h], strict=True)},
                )
            )
    AirHour.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["station", "hour_end"],
        update_fields=[*AIR_FIELDS, "batch"],
    )
    stored = int(np.count_nonzero(~np.isnan(values)))
    ImportBatch.objects.filter(pk=batch.pk).update(values_stored=models.F("values_stored") + stored)
    return stored


@transaction.atomic
def water_samples_store(
    *, batch: ImportBatch, stations: list[Station], days: list[date], values: np.ndarray, parameters: list[str]
) -> int:
    """Store samples shaped (stations, days, parameters), NaN = not measured; a repeated sample is overwritten."""
    rows = [
        WaterSample(
            station=station,
            sampled_on=days[d],
            parameter=parameters[p],
            value=decimal_from(values[s, d, p]),
            batch=batch,
        )
        for s, station in enumerate(stations)
        for d in range(len(days))
        for p in range(len(parameters))
        if not np.isnan(values[s, d, p])
    ]
    WaterSample.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["station", "sampled_on", "parameter"],
        update_fields=["value", "below_detection", "batch"],
    )
    ImportBatch.objects.filter(pk=batch.pk).update(values_stored=models.F("values_stored") + len(rows))
    return len(rows)


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
