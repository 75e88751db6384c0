"""Import a 10 MB air data file of 258,300 station-hours that mixes good and bad rows: time (wall and CPU) and
peak memory of the refused run (read and report only) and of the partial run (store the valid rows), a check
that the report is complete, and the figures against issue 11's targets (import ≤ 3 s, peak memory ≤ 3× the
file) and against what the row-by-row import took (21.9 s, issue 11).

Run: .venv/bin/python bench/import_bench.py                       (a throw-away SQLite database)
     DATABASE_URL=postgresql:///NAME .venv/bin/python bench/import_bench.py     (an existing, empty database)
     .venv/bin/python bench/import_bench.py --both postgresql:///NAME           (one after the other)

The machine's load is printed beside the figures: on a shared machine the wall time follows it, the CPU time
does not. CPU time is this process's plus, on PostgreSQL, its server backend's (when the server runs here).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--both":
    for url in (None, sys.argv[2]):
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if url:
            env["DATABASE_URL"] = url
        print(f"--- {'PostgreSQL' if url else 'SQLite'}", flush=True)
        subprocess.run([sys.executable, __file__], env=env, check=False)
    sys.exit(0)

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ecotarget.monitoring.models import AirHour, ImportBatch, Station  # noqa: E402
from ecotarget.monitoring.services import measurements_import  # noqa: E402
from ecotarget.organisation.models import Region  # noqa: E402

TARGET_BYTES = 10 * 1024 * 1024
TARGET_SECONDS = 3.0
TARGET_MEMORY = 3.0  # × the file
ROW_BY_ROW_SECONDS = 21.9  # the import before issue 11, same file size (issue 11)


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


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (0 on SQLite, which runs in-process):
    with a database server on the same machine, its share of an import is part of the import's cost."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # a server on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(run):
    before_cpu, before_server, start = os.times(), server_cpu(), time.perf_counter()
    result = run()
    after_cpu = os.times()
    cpu = after_cpu.user + after_cpu.system - before_cpu.user - before_cpu.system + server_cpu() - before_server
    return result, time.perf_counter() - start, cpu


def main() -> int:
    call_command("migrate", verbosity=0)
    AirHour.objects.all().delete()
    ImportBatch.objects.all().delete()
    region, _ = Region.objects.get_or_create(code="350428", defaults={"name": "将乐县", "short_name": "将乐"})
    codes = [f"B{n:02d}" for n in range(20)]
    for code in codes:
        Station.objects.get_or_create(
            region=region, code=code, defaults={"name": code, "medium": "air", "level": "county"}
        )
    path = Path(tempfile.mkdtemp()) / "air-10mb.csv"
    bad_rows = make_file(path, codes)
    file_mb = path.stat().st_size / 2**20
    print(f"database    : {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"file        : {file_mb:.1f} MB, {sum(1 for _ in path.open()) - 1} rows, {len(bad_rows)} bad")
    # warm the readers once (imports of Polars' parts, Django's first queries) on a small file
    small = path.with_name("warm.csv")
    small.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:50]) + "\n", encoding="utf-8")
    measurements_import(region=region, path=small, file_name=small.name, kind="air")
    base = rss_mb()

    refused, refused_s, refused_cpu = timed(
        lambda: measurements_import(region=region, path=path, file_name=path.name, kind="air")
    )
    complete = sorted(i.row for i in refused.issues) == bad_rows
    refused_peak = peak_mb() - base
    print(
        f"refused run : {refused_s:6.2f} s wall, {refused_cpu:5.2f} s CPU, stored {AirHour.objects.count()} rows, "
        f"report complete: {complete}"
    )

    partial, partial_s, partial_cpu = timed(
        lambda: measurements_import(region=region, path=path, file_name=path.name, kind="air", accept_partial=True)
    )
    partial_peak = peak_mb() - base
    print(
        f"partial run : {partial_s:6.2f} s wall, {partial_cpu:5.2f} s CPU, stored {AirHour.objects.count()} rows, "
        f"{partial.stored} values"
    )
    print(
        f"target      : import ≤ {TARGET_SECONDS:.0f} s → {partial_s / TARGET_SECONDS:.2f} of it (wall), "
        f"{partial_cpu / TARGET_SECONDS:.2f} (CPU); {ROW_BY_ROW_SECONDS / partial_s:.1f}× faster than the "
        f"row-by-row import's {ROW_BY_ROW_SECONDS} s"
    )
    print(
        f"memory      : peak above the settled process {max(refused_peak, partial_peak):.0f} MB = "
        f"{max(refused_peak, partial_peak) / file_mb:.1f}× the file (target ≤ {TARGET_MEMORY:.0f}×); "
        f"reading only {refused_peak:.0f} MB = {refused_peak / file_mb:.1f}×; whole process {peak_mb():.0f} MB"
    )
    return 0 if complete and refused.refused else 1


if __name__ == "__main__":
    sys.exit(main())
