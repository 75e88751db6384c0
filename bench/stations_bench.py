"""Load station lists of a county (40 rows), a province (2,000) and the loader's limit (MAX_ROWS): the first load
(every station new), the same file again (nothing changes) and a file with every name changed, in wall seconds,
with the number of SQL queries each makes.

Run: PYTHONPATH=src .venv/bin/python bench/stations_bench.py   (a throw-away SQLite database, or DATABASE_URL)
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ecotarget.monitoring.models import Station  # noqa: E402
from ecotarget.monitoring.stations import MAX_ROWS, stations_load_file  # noqa: E402
from ecotarget.organisation.models import Region  # noqa: E402

SIZES = (40, 2_000, MAX_ROWS)


def station_list(path: Path, rows: int, region: str, suffix: str = "") -> Path:
    lines = ["点位编码,点位名称,所属区域,类别,介质,断面级别,河流,纬度,经度"]
    for n in range(rows):
        if n % 2:
            lines.append(f"S{n:05d},断面{n}{suffix},{region},,地表水,省控,河{n % 50},26.{n:04d},117.{n:04d}")
        else:
            lines.append(f"A{n:05d},站{n}{suffix},{region},县控,空气,,,26.{n:04d},117.{n:04d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(path: Path) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        stations_load_file(path=path)
        seconds = time.perf_counter() - start
    return seconds, len(queries)


def main() -> int:
    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="stations-bench-"))
    print(f"{'rows':>7} {'first load':>18} {'same file again':>18} {'every name changed':>20}")
    for rows in SIZES:
        Station.objects.all().delete()
        region, _ = Region.objects.get_or_create(code=f"99{rows:04d}"[:6], defaults={"name": f"测试县{rows}"})
        first = timed(station_list(folder / f"{rows}.csv", rows, region.code))
        again = timed(folder / f"{rows}.csv")
        renamed = timed(station_list(folder / f"{rows}-renamed.csv", rows, region.code, suffix="新"))
        print(f"{rows:>7} " + " ".join(f"{s:>8.2f} s {q:>6} q " for s, q in (first, again, renamed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
