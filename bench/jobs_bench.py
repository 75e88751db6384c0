"""What running an import as a background job costs: the same air data file imported straight (as
`ecotarget import-data` does) and as a job (saved for the worker, enqueued on the database queue, run by the
worker's loop, storing in parts with its progress written as it goes), each into a county of its own.

Run: .venv/bin/python bench/jobs_bench.py [--hours N]   (a throw-away SQLite database, or DATABASE_URL)
"""

import argparse
import os
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
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_tasks_db.management.commands.db_worker import Worker  # noqa: E402

from ecotarget.core import jobs  # noqa: E402
from ecotarget.core.models import Job  # noqa: E402
from ecotarget.monitoring import tasks  # noqa: E402
from ecotarget.monitoring.models import AirHour, Station  # noqa: E402
from ecotarget.monitoring.services import measurements_import  # noqa: E402
from ecotarget.organisation.models import Region  # noqa: E402

STATIONS = [f"B{n:02d}" for n in range(20)]


def make_file(path: Path, hours: int) -> int:
    rng = np.random.default_rng(7)
    start = datetime(2022, 1, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3\n")
        for hour in range(hours):
            stamp = (start + timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M")
            for code in STATIONS:
                v = rng.integers(3, 90, 6)
                out.write(f"{code},{stamp},{v[0]},{v[1]},{v[2]},{v[3]},{v[4] / 100:.2f},{v[5]}\n")
    return hours * len(STATIONS)


def county(code: str) -> Region:
    region, _ = Region.objects.get_or_create(code=code, defaults={"name": code, "short_name": code})
    for station in STATIONS:
        Station.objects.get_or_create(
            region=region, code=station, defaults={"name": station, "medium": "air", "level": "county"}
        )
    return region


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=int, default=2000, help="hours of data for 20 stations (default 2000)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench")
    path = Path(tempfile.mkdtemp()) / "air.csv"
    rows = make_file(path, args.hours)
    print(f"file: {rows:,} records, {path.stat().st_size / 1e6:.1f} MB")

    straight = county("900001")
    began = time.perf_counter()
    outcome = measurements_import(region=straight, path=path, file_name="air.csv", kind="air", user=user)
    direct = time.perf_counter() - began
    print(f"straight import:        {direct:6.2f} s  ({outcome.stored:,} values)")

    as_job = county("900002")
    writes = []
    told = jobs.Progress._write

    def counted(self):
        writes.append(self.done)
        told(self)

    jobs.Progress._write = counted  # type: ignore[method-assign]
    began = time.perf_counter()
    with path.open("rb") as upload:
        job = jobs.start(
            tasks.data_import,
            user=user,
            region_id=as_job.pk,
            title="bench",
            files={"upload.csv": upload},
            file="upload.csv",
            file_name="air.csv",
            kind="air",
            accept_partial=False,
        )
    queued = time.perf_counter() - began
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    ).run()
    total = time.perf_counter() - began
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert AirHour.objects.filter(station__region=as_job).count() == rows
    print(f"as a job: page answers  {queued:6.2f} s  (file saved, job queued)")
    print(f"as a job: done after    {total:6.2f} s  ({job.result['stored']:,} values; {len(writes)} progress writes)")
    print(f"overhead of the job:    {total - direct:+6.2f} s  ({(total - direct) / direct:+.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
