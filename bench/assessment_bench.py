"""Time scoring every unit of the sample plan on the demo 评分细则, with a year of reports and monitoring data.

Run: .venv/bin/python bench/assessment_bench.py   (a throw-away SQLite database in a temp directory, or the
database named by DATABASE_URL). The sample plan gets every unit's accepted report on every task for all twelve
months (in bulk) and the demo's synthetic monitoring data; the demo scheme is imported through its workbook.
Prints the median time and query count of gathering the inputs (the monitoring readings and the task statuses,
which are the monitoring and progress apps' public reads, and the scheme's own rows), of scoring every item of
every unit from them (totals, grades, ranks: no queries), of both (`selectors.results`), of keeping the scores
(`assessment_compute`), of the ranking and score-sheet pages, and of one sheet's .xlsx. The goal (issue 12):
scoring all units ≤ 200 ms. Exit status 1 when gathering and scoring together take longer.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
os.environ.setdefault("DEBUG", "1")  # pages link static files by plain name: nothing is collected here
os.environ.setdefault("ECOTARGET_TODAY", "2023-01-10")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from ecotarget.assessment import selectors, services  # noqa: E402
from ecotarget.assessment.loading import demo_scheme_load  # noqa: E402
from ecotarget.assessment.sheets import sheet_xlsx  # noqa: E402
from ecotarget.monitoring.readings import measured_readings  # noqa: E402
from ecotarget.progress.models import ProgressReport  # noqa: E402
from ecotarget.progress.selectors import plan_progress  # noqa: E402
from page_timing import median_ms  # noqa: E402
from reports_bench import sample_year  # noqa: E402

RUNS = 9
GOAL_MS = 200


def timed(action, runs: int = RUNS) -> tuple[float, int]:
    """Median milliseconds and the query count of one run."""
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> int:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plan, coordinator = sample_year()
    scheme, _ = demo_scheme_load(plan=plan, user=coordinator)
    units = scheme.assessments.count()
    items = sum(len(p.items.all()) for p in selectors.scheme_tree(scheme))
    print(
        f"sample plan: {plan.tasks.count()} tasks, {ProgressReport.objects.filter(task__plan=plan).count()} reports; "
        f"scheme: {items} items, {units} units (loaded in {time.perf_counter() - started:.1f}s)"
    )
    selectors.results(scheme)  # the first read closes the year's periods; time the steady reads
    result = selectors.results(scheme)
    lines = sum(len(s.lines) for s in result.sheets)
    print(f"{'action':<34}{'median':>10}{'queries':>9}")
    day = selectors.as_of(scheme)
    readings_ms, readings_queries = timed(lambda: measured_readings(plan, day))
    print(f"{'  monitoring readings (monitoring)':<34}{readings_ms:>8.0f}ms{readings_queries:>9}")
    readings = measured_readings(plan, day)
    progress_ms, progress_queries = timed(lambda: plan_progress(plan, day, measured=readings))
    print(f"{'  task statuses (progress)':<34}{progress_ms:>8.0f}ms{progress_queries:>9}")
    gather_ms, gather_queries = timed(lambda: selectors.gather(scheme))
    print(f"{'gather: all of the inputs':<34}{gather_ms:>8.0f}ms{gather_queries:>9}")
    inputs = selectors.gather(scheme)
    score_ms, score_queries = timed(lambda: selectors.score(inputs))
    print(f"{'score all units (' + str(lines) + ' lines)':<34}{score_ms:>8.0f}ms{score_queries:>9}")
    total_ms, total_queries = timed(lambda: selectors.results(scheme))
    print(f"{'gather and score (results)':<34}{total_ms:>8.0f}ms{total_queries:>9}")
    keep_ms, keep_queries = timed(lambda: services.assessment_compute(scheme=scheme, user=coordinator), runs=3)
    print(f"{'compute and keep the scores':<34}{keep_ms:>8.0f}ms{keep_queries:>9}")
    sheet = result.sheets[0]
    xlsx_ms, _ = timed(lambda: sheet_xlsx(result, sheet))
    print(f"{'one score sheet .xlsx':<34}{xlsx_ms:>8.0f}ms")
    client = Client()
    client.force_login(coordinator)
    for name, url in (
        ("ranking page", reverse("assessment:ranking", args=[scheme.pk])),
        ("score sheet page", reverse("assessment:sheet", args=[sheet.assessment.pk])),
        ("scheme page", reverse("assessment:scheme", args=[scheme.pk])),
    ):
        ms, queries = median_ms(client, url, runs=RUNS)
        print(f"{name:<34}{ms:>8.0f}ms{queries:>9}")
    for name, ms in (("scoring all units from their inputs", score_ms), ("gathering and scoring", total_ms)):
        verdict = "within" if ms <= GOAL_MS else "OVER"
        print(f"{name}: {ms:.0f} ms, {verdict} the {GOAL_MS} ms goal")
    return 0 if total_ms <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
