"""Storing measurements under an import batch: the write steps of a data import (`services.measurements_import`)
and of the demo loader, called inside their transaction. They record nothing themselves: the action that calls
them does."""

from datetime import date, datetime
from decimal import Decimal

import numpy as np
from django.db.models import Count

from .models import AirHour, ImportBatch, Station, WaterSample


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


def values_in(batch: ImportBatch) -> int:
    """The measured values stored under the batch (one query)."""
    if batch.kind == ImportBatch.Kind.WATER:
        return WaterSample.objects.filter(batch=batch).count()
    counts = AirHour.objects.filter(batch=batch).aggregate(**{f: Count(f) for f in AIR_FIELDS})
    return sum(counts.values())


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
            value=value,
            below_detection=bool(below.get(parameter, np.zeros(len(stations), bool))[i]),
            batch=batch,
        )
        for parameter, column in values.items()
        for i, (station, day) in enumerate(zip(stations, days, strict=True))
        if (value := decimal_from(column[i])) is not None
    ]
    WaterSample.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["station", "sampled_on", "parameter"],
        update_fields=["value", "below_detection", "batch"],
    )
    return len(rows)
