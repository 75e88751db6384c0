"""Time the progress pages with one county's reports, then with a hundred counties' worth in the same database.

Run: .venv/bin/python bench/progress_bench.py [--counties N]   (a throw-away SQLite database in a temp directory,
or the database named by DATABASE_URL). Each county gets the sample plan and five months of reports from every
unit on every task (written in bulk: this measures reads, not the services). Prints the time to keep the closed
periods' statuses (done once, on the first read after a due date), then the median time and the query count of the
reporter's page, the review list and the status overview at 1 county and at N.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
os.environ.setdefault("DEBUG", "1")  # pages link static files by plain name: nothing is collected here
os.environ.setdefault("ECOTARGET_TODAY", "2022-06-10")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ecotarget.organisation.models import Membership, Region, Unit  # noqa: E402
from ecotarget.organisation.services import DATA_DIR, region_load  # noqa: E402
from ecotarget.plandoc import parse_file  # noqa: E402
from ecotarget.plans.models import Assignment, Plan  # noqa: E402
from ecotarget.plans.services import plan_import  # noqa: E402
from ecotarget.progress.closing import periods_close_due  # noqa: E402
from ecotarget.progress.models import Period, ProgressReport, TargetValue  # noqa: E402
from ecotarget.samples import JIANGLE_2022_PLAN  # noqa: E402
from page_timing import handed_out, median_ms  # noqa: E402

RUNS = 11
MONTHS = range(1, 6)
STAMP = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def county(document, template: Region | None, number: int) -> Plan:
    """The sample plan in a county of its own (the first is 将乐县 itself), with five months of reports."""
    if template is None:
        region = region_load(path=DATA_DIR / "350428-jiangle.json").region
    else:
        region = Region.objects.create(code=f"99{number:04d}", name=f"测试{number}县", short_name=f"测试{number}")
        Unit.objects.bulk_create(
            Unit(region=region, name=u.name, full_name=u.full_name, kind=u.kind, aliases=u.aliases, order=u.order)
            for u in template.units.all()
        )
    plan = plan_import(document, region=region).plan
    coordinator = handed_out(plan, f"coordinator-{number}")
    periods = {p.number: p for p in Period.objects.filter(plan=plan)}
    assignments = list(Assignment.objects.filter(task__plan=plan).select_related("unit", "task"))
    reports = [
        ProgressReport(
            period=periods[month],
            task=a.task,
            unit=a.unit,
            is_lead=a.role == "lead",
            state="accepted" if month < 5 else "submitted",
            progress="in_progress",
            percent=month * 8,
            work_done=f"{month}月：按计划推进，完成阶段任务",
            problems="无",
            next_steps="继续推进",
            submitted_at=STAMP,
            created_by=coordinator,
            submitted_by=coordinator,
        )
        for month in MONTHS
        for a in assignments
        if a.unit.kind != Unit.Kind.GROUP
    ]
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    targets = {t.pk: t for a in assignments for t in a.task.targets.all() if t.value is not None}
    values = [
        TargetValue(report=r, target_id=t.pk, value=t.value, as_of=date(2022, r.period.number, 1))
        for r in ProgressReport.objects.filter(period__plan=plan, is_lead=True).select_related("period")
        for t in targets.values()
        if t.task_id == r.task_id
    ]
    TargetValue.objects.bulk_create(values, batch_size=2000)
    return plan


def measure(plan: Plan) -> dict[str, tuple[float, int]]:
    zhujian = Unit.objects.get(region=plan.region, name="住建局")
    reporter, _ = User.objects.get_or_create(username="bench-reporter")
    Membership.objects.update_or_create(
        user=reporter, defaults={"region": plan.region, "role": "reporter", "unit": zhujian}
    )
    coordinator = User.objects.get(username="coordinator-0")
    pages = {
        "reporter page": (reporter, reverse("progress:my_unit", args=[plan.pk]) + "?period=5"),
        "review list": (coordinator, reverse("progress:review", args=[plan.pk]) + "?period=5&state=all"),
        "status overview": (coordinator, reverse("progress:dashboard", args=[plan.pk])),
    }
    result = {}
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        result[name] = median_ms(client, url)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=100)
    counties = parser.parse_args().counties
    call_command("migrate", verbosity=0)
    document = parse_file(JIANGLE_2022_PLAN)
    first = county(document, None, 0)
    # The first read after due dates keeps each closed period's statuses (once); time it apart from the pages.
    started = time.perf_counter()
    kept = periods_close_due(plan=first)
    closing = time.perf_counter() - started
    one = measure(first)
    one_reports = ProgressReport.objects.count()
    started = time.perf_counter()
    for number in range(1, counties):
        county(document, first.region, number)
    loaded = time.perf_counter() - started
    many = measure(first)
    print(
        f"reports: {one_reports} at 1 county, {ProgressReport.objects.count()} at {counties} (loaded in {loaded:.0f}s)"
    )
    print(f"periods closed by {os.environ['ECOTARGET_TODAY']}: {kept} task statuses kept in {closing * 1000:.0f}ms")
    print(f"{'page':<18}{'1 county':>12}{f'{counties} counties':>16}{'queries':>12}")
    for name in one:
        (ms1, q1), (msn, qn) = one[name], many[name]
        print(f"{name:<18}{ms1:>10.1f}ms{msn:>14.1f}ms{q1:>7} / {qn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
