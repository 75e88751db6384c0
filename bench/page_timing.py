"""Shared by the page benchmarks: a plan handed out as a coordinator would, and the median time of a page with the
number of SQL queries it makes. Import it after django.setup()."""

import statistics
import time

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ecotarget.organisation.models import Membership
from ecotarget.plans.models import Plan
from ecotarget.progress.services.handout import SetupData, plan_groups_keep_with_leads, plan_publish, plan_setup_save

RUNS = 15


def median_cpu_ms(client: Client, url: str, runs: int = RUNS) -> tuple[float, float, int]:
    """The median wall time and the median CPU time of this process (the server's work, the database's too with
    SQLite: on a machine shared with other work the CPU time is the steadier figure), and the query count."""
    client.get(url)
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(walls), statistics.median(cpus), len(captured)


def median_ms(client: Client, url: str, runs: int = RUNS) -> tuple[float, int]:
    client.get(url)  # warm the session, the caches and the template loader
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times), len(captured)


def handed_out(plan: Plan, username: str, first_name: str = "") -> User:
    """Set the plan's reporting up with the defaults, add a coordinator of its region, keep every 有关乡(镇) with
    its task's lead and hand the plan out, as the coordinator would. Returns the coordinator."""
    plan_setup_save(plan=plan, user=None, data=SetupData())
    coordinator = User.objects.create(username=username, first_name=first_name)
    Membership.objects.create(user=coordinator, region=plan.region, role="coordinator")
    plan_groups_keep_with_leads(plan=plan, user=coordinator)
    plan_publish(plan=plan, user=coordinator)
    return coordinator
