"""Import a 10 MB air data file that mixes good and bad rows: time and peak memory of the refused run (read and
report only) and of the partial run (store the valid rows), and a check that the report is complete.

Run: .venv/bin/python bench/import_bench.py   (a throw-away SQLite database, or DATABASE_URL)
"""

import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from ecotarget.monitoring.models import AirHour, Station  # noqa: E402
from ecotarget.monitoring.services import measurements_import  # noqa: E402
from ecotarget.organisation.models import Region  # noqa: E402

TARGET_BYTES = 10 * 1024 * 1024


def make_file(path: Path, stations: list[str]) -> list[int]:
    rng = np.random.default_rng(11)
    lines = ["站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"]
    start = datetime(2022, 1, 1, 1)
    size, hour = len(lines[0]), 0
    while size < TARGET_BYTES:
        stamp = (start + timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M")
        for code in stations:
            values = rng.integers(3, 90, 6)
            line = f"{code},{stamp},{values[0]},{values[1]},{values[2]},{values[3]},{values[4] / 100:.2f},{values[5]}"
            lines.append(line)
            size += len(line.encode()) + 1
        hour += 1
    bad = sorted(rng.choice(np.arange(1, len(lines)), size=len(lines) // 200, replace=False).tolist())
    for i in bad:
        cells = lines[i].split(",")
        cells[2 + i % 6] = "n/a"
        lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [i + 1 for i in bad]


def main() -> int:
    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="350428", defaults={"name": "将乐县", "short_name": "将乐"})
    codes = [f"B{n:02d}" for n in range(20)]
    for code in codes:
        Station.objects.get_or_create(
            region=region, code=code, defaults={"name": code, "medium": "air", "level": "county"}
        )
    path = Path(tempfile.mkdtemp()) / "air-10mb.csv"
    bad_rows = make_file(path, codes)
    print(f"file: {path.stat().st_size / 1e6:.1f} MB, {sum(1 for _ in path.open()) - 1} rows, {len(bad_rows)} bad")

    start = time.perf_counter()
    refused = measurements_import(region=region, path=path, file_name=path.name, kind="air")
    refused_s = time.perf_counter() - start
    complete = sorted(i.row for i in refused.issues) == bad_rows
    print(f"refused run : {refused_s:6.2f} s, stored {AirHour.objects.count()} rows, report complete: {complete}")

    start = time.perf_counter()
    partial = measurements_import(region=region, path=path, file_name=path.name, kind="air", accept_partial=True)
    partial_s = time.perf_counter() - start
    print(f"partial run : {partial_s:6.2f} s, stored {AirHour.objects.count()} rows, {partial.stored} values")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS    : {peak_mb:.0f} MB")
    return 0 if complete and refused.refused else 1


if __name__ == "__main__":
    sys.exit(main())
