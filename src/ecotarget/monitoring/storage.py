"""Storing measurements under an import batch: the write steps of a data import (`services.measurements_import`)
and of the demo loader, called inside their transaction. They record nothing themselves: the action that calls
them does."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.db.models import Count

from ecotarget.core import clock

from .models import AirHour, ImportBatch, Station, WaterSample


def decimal_from(value: float) -> Decimal | None:
    """A measured value as the exact decimal it was written as (NaN = missing)."""
    if value != value:  # NaN
        return None
    return Decimal(repr(float(value)))


AIR_FIELDS = ["pm2_5", "pm10", "so2", "no2", "co", "o3"]
STORE_SLICE = 50_000  # rows per write step: progress is told after each

Progress = Callable[[int, int], None]


def air_records_store(
    *,
    batch: ImportBatch,
    stations: list[Station],
    hour_ends: list[datetime],
    values: dict[str, np.ndarray],
    progress: Progress | None = None,
) -> int:
    """Store station-hour records (Station objects and aware hour-ends; NaN = blank) under the batch: the
    demo loader's form of `air_hours_store`."""
    zone = clock.zone()
    local = np.array([h.astimezone(zone).replace(tzinfo=None) for h in hour_ends], dtype="datetime64[m]")
    ids = np.array([s.pk for s in stations], dtype=np.int64)
    return air_hours_store(batch=batch, station_ids=ids, hour_ends=local, values=values, progress=progress)


def air_hours_store(
    *,
    batch: ImportBatch,
    station_ids: np.ndarray,
    hour_ends: np.ndarray,
    values: dict[str, np.ndarray],
    progress: Progress | None = None,
) -> int:
    """Store station-hour records under the batch: `station_ids` and `hour_ends` (datetime64, the region's local
    time) per record, a float array per pollutant (NaN = blank). Records with no value at all are skipped.

    A station-hour already stored is overwritten: a later file is an audited revision of the real-time one.
    Bulk writes, in steps of STORE_SLICE rows inside the caller's transaction (so a failure anywhere rolls the
    whole batch back): COPY into a temporary table then one INSERT … ON CONFLICT on PostgreSQL, executemany of
    one upsert on SQLite. `progress(done, total)` is called after each step. Returns the number of values stored.
    """
    n = len(station_ids)
    columns = {f: np.asarray(values.get(f, np.full(n, np.nan)), dtype=np.float64) for f in AIR_FIELDS}
    present = ~np.all(np.isnan(np.stack([columns[f] for f in AIR_FIELDS])), axis=0) if n else np.zeros(0, bool)
    frame = pl.DataFrame(
        {
            "station_id": np.asarray(station_ids, dtype=np.int64)[present],
            "hour_end": _utc_text(np.asarray(hour_ends, dtype="datetime64[m]")[present]),
            **{f: pl.Series(columns[f][present]).fill_nan(None) for f in AIR_FIELDS},
        }
    ).with_columns(batch_id=pl.lit(batch.pk, dtype=pl.Int64))
    total = frame.height
    write = _copy_upsert if connection.vendor == "postgresql" else _executemany_upsert
    with transaction.atomic():  # the caller's transaction: a savepoint, so a failed step undoes every step
        for first in range(0, total, STORE_SLICE):
            write(frame.slice(first, STORE_SLICE))
            if progress is not None:
                progress(min(first + STORE_SLICE, total), total)
    if progress is not None and not total:
        progress(0, 0)
    return int(sum(np.count_nonzero(~np.isnan(c[present])) for c in columns.values()))


def _utc_text(local: np.ndarray) -> pl.Series:
    """Local hour-ends as the UTC text Django stores ("YYYY-MM-DD HH:MM:SS"), each distinct hour converted once
    through the zone (its offsets, summer time included)."""
    zone = clock.zone()
    hours, inverse = np.unique(local, return_inverse=True)
    offsets = np.array(
        [
            int(datetime.fromisoformat(str(h)).replace(tzinfo=zone).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            for h in hours.astype("datetime64[m]")
        ],
        dtype=np.int64,
    )
    utc = local - offsets[inverse.ravel()].astype("timedelta64[m]") if local.size else local
    return pl.Series(utc.astype("datetime64[us]")).dt.strftime("%Y-%m-%d %H:%M:%S")


_AIR_COLUMNS = ["station_id", "hour_end", *AIR_FIELDS, "batch_id"]


def _split_stored(frame: pl.DataFrame, stored: list[tuple[int, str]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the rows whose station-hour is not stored yet, the rows that revise a stored one)."""
    keys = ["station_id", "hour_end"]
    if not stored:
        return frame, frame.clear()
    there = pl.DataFrame(stored, schema={"station_id": pl.Int64, "hour_end": pl.String}, orient="row")
    return frame.join(there, on=keys, how="anti"), frame.join(there, on=keys, how="semi")


def _range(frame: pl.DataFrame) -> tuple[list[int], str, str]:
    stations = sorted(set(frame.get_column("station_id").to_list()))
    return stations, str(frame.get_column("hour_end").min()), str(frame.get_column("hour_end").max())


def _executemany_upsert(frame: pl.DataFrame) -> None:
    """SQLite: the station-hours already stored are updated, the others inserted, each by one prepared statement
    run over its rows (the driver's executemany, no model objects). Not one INSERT … ON CONFLICT: SQLite runs
    that three to four times slower per row than a plain INSERT, and a first import updates nothing."""
    table = AirHour._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    stations, first, last = _range(frame)
    marks = ", ".join("?" * len(stations))
    stored = raw.execute(
        f"SELECT station_id, CAST(hour_end AS TEXT) FROM {table} "  # text as stored, not the driver's datetime
        f"WHERE station_id IN ({marks}) AND hour_end BETWEEN ? AND ?",
        [*stations, first, last],
    ).fetchall()
    new, again = _split_stored(frame, stored)
    if new.height:
        raw.executemany(
            f"INSERT INTO {table} ({', '.join(_AIR_COLUMNS)}) VALUES ({', '.join('?' * len(_AIR_COLUMNS))})",
            new.select(_AIR_COLUMNS).rows(),
        )
    if again.height:
        raw.executemany(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in [*AIR_FIELDS, 'batch_id'])} "
            "WHERE station_id = ? AND hour_end = ?",
            again.select([*AIR_FIELDS, "batch_id", "station_id", "hour_end"]).rows(),
        )


def _copy_upsert(frame: pl.DataFrame) -> None:
    """PostgreSQL: the new station-hours are COPYed (as CSV text) straight into the table; the ones already
    stored are COPYed into a temporary table and updated from it by one UPDATE … FROM."""
    table = AirHour._meta.db_table
    stations, first, last = _range(frame)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT station_id, to_char(hour_end AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM {table} "
            "WHERE station_id = ANY(%s) AND hour_end BETWEEN %s AND %s",
            [stations, f"{first}+00", f"{last}+00"],
        )
        new, again = _split_stored(frame, cursor.fetchall())
        raw = cursor.cursor  # psycopg's own cursor: COPY is not part of Django's cursor API
        if new.height:
            with raw.copy(f"COPY {table} ({', '.join(_AIR_COLUMNS)}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(_csv(new))
        if again.height:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS airhour_import (station_id bigint, hour_end timestamptz, "
                + ", ".join(f"{f} numeric" for f in AIR_FIELDS)
                + ", batch_id bigint) ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE airhour_import")
            with raw.copy(f"COPY airhour_import ({', '.join(_AIR_COLUMNS)}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(_csv(again))
            cursor.execute(
                f"UPDATE {table} AS t SET {', '.join(f'{c} = i.{c}' for c in [*AIR_FIELDS, 'batch_id'])} "
                "FROM airhour_import AS i WHERE t.station_id = i.station_id AND t.hour_end = i.hour_end"
            )


def _csv(frame: pl.DataFrame) -> bytes:
    text = frame.select(_AIR_COLUMNS).with_columns(pl.col("hour_end") + "+00").write_csv(include_header=False)
    return text.encode("utf-8")


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
