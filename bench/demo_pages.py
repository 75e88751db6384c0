"""Time the pages people use most on the demo county (`ecotarget load-demo`), in the server's process.

Run, after loading the demo into a var directory of its own:

    ECOTARGET_VAR_DIR=/tmp/var-bench ecotarget load-demo
    ECOTARGET_VAR_DIR=/tmp/var-bench python bench/demo_pages.py [--profile dashboard]

It serves as of the demo's day (8 July 2022) and prints, per page and persona, the median server time of a
request (Django's test client: middleware, view, template; no network), its median CPU time (steadier on a
busy machine) and its number of SQL queries; and apart, the first request after the monitoring data changed (as
after an import: it computes the readings anew). `--profile NAME` prints cProfile's top functions of one page.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
os.environ.setdefault("DEBUG", "1")  # pages link static files by plain name: nothing is collected here
os.environ.setdefault("ECOTARGET_TODAY", "2022-07-08")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
if "ECOTARGET_VAR_DIR" not in os.environ and "DATABASE_URL" not in os.environ:
    sys.exit("set ECOTARGET_VAR_DIR (or DATABASE_URL) to the demo's: this reads the loaded demo county")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ecotarget.monitoring.cache import data_changed  # noqa: E402
from ecotarget.plans.models import Plan  # noqa: E402
from page_timing import median_cpu_ms  # noqa: E402


def pages(plan: Plan) -> list[tuple[str, str, str]]:
    """(name, persona, url) of the pages measured."""
    pk = plan.pk
    return [
        ("home → dashboard", "leader", reverse("home")),
        ("dashboard", "leader", reverse("dashboard:plan", args=[pk])),
        ("dashboard", "coordinator", reverse("dashboard:plan", args=[pk])),
        ("unit page", "zhujian", reverse("progress:my_unit", args=[pk])),
        ("unit page", "guyong", reverse("progress:my_unit", args=[pk])),
        ("status overview", "coordinator", reverse("progress:dashboard", args=[pk])),
        ("review", "coordinator", reverse("progress:review", args=[pk])),
        ("monitoring", "leader", reverse("monitoring:plan", args=[pk])),
        ("ledger", "coordinator", reverse("reports:ledger_home")),
        ("leader desk", "leader", reverse("progress:leader")),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--profile", help="profile a page: its name, or name:persona ('unit page:guyong')")
    args = parser.parse_args()
    plan = Plan.objects.order_by("pk").first()
    if plan is None:
        sys.exit("no plan: load the demo first (ecotarget load-demo)")
    clients: dict[str, Client] = {}
    for username in ("leader", "coordinator", "zhujian", "guyong"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))

    if args.profile:
        wanted, _, who = args.profile.partition(":")
        name, persona, url = next(p for p in pages(plan) if p[0] == wanted and who in ("", p[1]))
        clients[persona].get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            clients[persona].get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("ecotarget|template", 45)
        return 0

    print(f"{'page':<18}{'persona':<13}{'new data':>9}{'median':>10}{'cpu':>10}{'queries':>9}")
    for name, persona, url in pages(plan):
        client = clients[persona]
        data_changed(plan.region_id)  # as an import would: the first request computes the readings anew
        start = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - start) * 1000
        assert first.status_code in (200, 302), (url, first.status_code)
        if first.status_code == 302:
            url = first["Location"]
        ms, cpu, queries = median_cpu_ms(client, url, runs=args.runs)
        print(f"{name:<18}{persona:<13}{first_ms:>7.0f}ms{ms:>8.1f}ms{cpu:>8.1f}ms{queries:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
