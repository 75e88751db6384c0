"""Time the dashboard, the year-end written report and the ledger for the sample plan with a year of reports.

Run: .venv/bin/python bench/reports_bench.py   (a throw-away SQLite database in a temp directory, or the
database named by DATABASE_URL). The sample plan gets every unit's accepted report on every task for all twelve
months (written in bulk: this measures reads, not the services) and the demo's synthetic monitoring data.
Prints the median time and query count of the dashboard pages, and the median time of drafting the year-end
report, exporting it as .docx and exporting the ledger of all units and of one unit.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
os.environ.setdefault("DEBUG", "1")  # pages link static files by plain name: nothing is collected here
os.environ.setdefault("ECOTARGET_TODAY", "2022-12-31")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ecotarget.organisation.models import Unit  # noqa: E402
from ecotarget.organisation.services import DATA_DIR, region_load  # noqa: E402
from ecotarget.plandoc import parse_file  # noqa: E402
from ecotarget.plans.models import Assignment, Plan  # noqa: E402
from ecotarget.plans.services import plan_import  # noqa: E402
from ecotarget.progress.models import Period, ProgressReport  # noqa: E402
from ecotarget.reports.docx import report_docx  # noqa: E402
from ecotarget.reports.ledger import ledger_xlsx  # noqa: E402
from ecotarget.reports.selectors import ledger  # noqa: E402
from ecotarget.reports.services import written_report_generate  # noqa: E402
from ecotarget.samples import JIANGLE_2022_PLAN  # noqa: E402
from page_timing import handed_out, median_ms  # noqa: E402

RUNS = 7
DAY = date(2023, 1, 10)


def sample_year() -> tuple[Plan, User]:
    region = region_load(path=DATA_DIR / "350428-jiangle.json").region
    plan = plan_import(parse_file(JIANGLE_2022_PLAN), region=region).plan
    coordinator = handed_out(plan, "bench-coordinator", "林督查")
    periods = {p.number: p for p in Period.objects.filter(plan=plan)}
    assignments = list(Assignment.objects.filter(task__plan=plan).select_related("unit", "task"))
    ProgressReport.objects.bulk_create(
        (
            ProgressReport(
                period=periods[month],
                task=a.task,
                unit=a.unit,
                is_lead=a.role == "lead",
                state="accepted",
                progress="done" if month == 12 and a.task.number % 5 else "in_progress",
                percent=min(100, month * 8 + a.task.number % 7),
                work_done=f"{month}月：按计划推进，完成阶段任务",
                problems="部分项目资金尚未到位" if month % 3 else "无",
                next_steps="继续推进",
            )
            for month in range(1, 13)
            for a in assignments
            if a.unit.kind != Unit.Kind.GROUP
        ),
        batch_size=2000,
    )
    call_command("load_demo_monitoring", verbosity=0)
    return plan, coordinator


def median_s(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    plan, coordinator = sample_year()
    print(
        f"sample plan: {plan.tasks.count()} tasks, {ProgressReport.objects.filter(task__plan=plan).count()} reports "
        f"(loaded in {time.perf_counter() - started:.1f}s)"
    )
    client = Client()
    client.force_login(coordinator)
    print(f"{'page':<28}{'median':>10}{'queries':>9}")
    for name, url in (
        ("dashboard", reverse("dashboard:plan", args=[plan.pk])),
        ("task list (behind)", reverse("dashboard:tasks", args=[plan.pk]) + "?status=behind"),
    ):
        ms, queries = median_ms(client, url, runs=RUNS)
        print(f"{name:<28}{ms:>8.0f}ms{queries:>9}")
    version, _ = written_report_generate(plan=plan, kind="year_end", user=coordinator, day=DAY)
    unit = Unit.objects.get(region=plan.region, name="住建局")
    timings = {
        "year-end report: draft": lambda: written_report_generate(
            plan=plan, kind="year_end", user=coordinator, day=DAY
        ),
        "year-end report: .docx": lambda: report_docx(version, issuer="将乐县人民政府", signed_on=DAY),
        "ledger .xlsx, all units": lambda: ledger_xlsx(ledger(plan, as_of=DAY)),
        "ledger .xlsx, 住建局": lambda: ledger_xlsx(ledger(plan, unit, as_of=DAY)),
    }
    for name, action in timings.items():
        print(f"{name:<28}{median_s(action) * 1000:>8.0f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
