"""Shared test setup: the 将乐县 region, the sample plan, and named personas for every permission test.

Personas: 林督查 the coordinator (县生态环境局), 王填报 a reporter of 住建局, 陈填报 a reporter of 古镛镇,
张县长 a leader, 外县管理员 a coordinator of another county, and 无角色 a user with no membership.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from ecotarget.monitoring.models import ImportBatch, Station
from ecotarget.monitoring.services import DATA_DIR as STATIONS_DIR
from ecotarget.monitoring.services import bindings_apply, stations_load
from ecotarget.monitoring.storage import air_records_store
from ecotarget.organisation.models import Membership, Region, Unit
from ecotarget.organisation.services import DATA_DIR, region_load
from ecotarget.plandoc import parse_file
from ecotarget.plans.models import Assignment, Plan
from ecotarget.plans.services import plan_import
from ecotarget.progress.models import Period, ProgressReport
from ecotarget.progress.services.handout import plan_groups_keep_with_leads, plan_publish
from ecotarget.samples import JIANGLE_2022_PLAN


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a fifth of a second per persona; the tests check who may do what, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sessions_outlive_the_tests_clock(settings):
    """Tests move the frozen clock by days and months under one logged-in client; a real user idle that long would
    log in again. The idle timeout itself is tested in test_sessions_idle, with its real length."""
    settings.ECOTARGET_SESSION_IDLE_SECONDS = settings.SESSION_COOKIE_AGE = 400 * 24 * 60 * 60


@pytest.fixture(autouse=True)
def plan_previews_outside_the_project(settings, tmp_path_factory):
    """Uploaded plans wait for confirmation as files under the var dir; the tests keep them in their own."""
    settings.ECOTARGET_PREVIEW_DIR = tmp_path_factory.getbasetemp() / "plan-previews"


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings, tmp_path_factory):
    """Background jobs (an upload's import, a report's drafting) run inside the request that starts them, so that
    the tests of those pages read the outcome from the answer. tests/test_jobs*.py put the real queue back (the
    database backend and a worker's run)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ECOTARGET_JOBS_DIR = tmp_path_factory.getbasetemp() / "jobs"


@pytest.fixture(scope="session", autouse=True)
def plain_static_storage(tmp_path_factory):
    """Pages link static files by their plain names, so no test depends on `collectstatic` having run.

    The real server's storage (hashed, compressed) needs the collected manifest and raises for a name missing from
    it when DEBUG is off, as in tests; tests/test_serving.py collects and serves the files for real. For the whole
    session, so the live server of the browser tests starts with it too; an empty STATIC_ROOT keeps WhiteNoise
    from warning that nothing was collected.
    """
    plain = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture(scope="session")
def sample_document():
    return parse_file(JIANGLE_2022_PLAN)


@pytest.fixture
def jiangle(db) -> Region:
    return region_load(path=DATA_DIR / "350428-jiangle.json").region


@pytest.fixture
def other_county(db) -> Region:
    region = Region.objects.create(code="350429", name="泰宁县", short_name="泰宁")
    Unit.objects.create(region=region, name="生态环境局", kind=Unit.Kind.DEPARTMENT)
    return region


@pytest.fixture
def plan(jiangle, sample_document) -> Plan:
    return plan_import(sample_document, region=jiangle, source_name=JIANGLE_2022_PLAN.name).plan


@dataclass
class Personas:
    coordinator: User
    zhujian: User
    guyong: User
    leader: User
    outsider: User
    nobody: User

    def all(self) -> dict[str, User]:
        return dict(vars(self))


def _member(username: str, full_name: str, region: Region, role: str, unit: Unit | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, first_name=full_name)
    Membership.objects.create(user=user, region=region, role=role, unit=unit)
    return user


@pytest.fixture
def personas(jiangle, other_county) -> Personas:
    unit = {u.name: u for u in Unit.objects.filter(region=jiangle)}
    return Personas(
        coordinator=_member("lin", "林督查", jiangle, Membership.Role.COORDINATOR, unit["生态环境局"]),
        zhujian=_member("wang", "王填报", jiangle, Membership.Role.REPORTER, unit["住建局"]),
        guyong=_member("chen", "陈填报", jiangle, Membership.Role.REPORTER, unit["古镛镇"]),
        leader=_member("zhang", "张县长", jiangle, Membership.Role.LEADER),
        outsider=_member(
            "taining", "外县管理员", other_county, Membership.Role.COORDINATOR, other_county.units.first()
        ),
        nobody=User.objects.create_user(username="nobody", password="pw-nobody"),
    )


@pytest.fixture
def client_for():
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# --- monitoring: 将乐县's demo stations and small hand-made data sets --------------------------------------

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def stations(jiangle) -> dict[str, Station]:
    return {s.code: s for s in stations_load(region=jiangle, path=STATIONS_DIR / "350428-jiangle-stations.json")}


@pytest.fixture
def bound(plan, stations):
    """The sample plan with its measurable targets bound to indicators."""
    return {b.target.metric: b for b in bindings_apply(plan=plan)}


@pytest.fixture
def air_days(jiangle, stations):
    """Store hourly air data for both air stations: `air_days({date: {"pm2_5": 20, ...}})`, same every hour."""

    def store(days: dict[date, dict[str, float]]) -> None:
        batch = ImportBatch.objects.create(region=jiangle, kind="air", file_name="test.csv", sha256="0" * 64)
        air = [s for s in stations.values() if s.medium == Station.Medium.AIR]
        rows_station, rows_time, columns = [], [], {p: [] for p in ("pm2_5", "pm10", "so2", "no2", "co", "o3")}
        for day, values in days.items():
            for hour in range(1, 25):
                stamp = datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(hours=hour)
                for station in air:
                    rows_station.append(station)
                    rows_time.append(stamp)
                    for p in columns:
                        columns[p].append(values.get(p, np.nan))
        air_records_store(
            batch=batch,
            stations=rows_station,
            hour_ends=rows_time,
            values={p: np.array(v, dtype=float) for p, v in columns.items()},
        )

    return store


# --- progress at scale ---------------------------------------------------------------------------------------------


@pytest.fixture
def bulk_reports():
    """`bulk_reports(plan, coordinator, months, content)`: hand the plan out and give every unit an accepted report
    on every task for each of `months`, in bulk; `content(month)` gives the report's fields. Returns the number of
    (unit, task) pairs."""

    def create(plan, coordinator, months, content) -> int:
        plan_groups_keep_with_leads(plan=plan, user=coordinator)
        plan_publish(plan=plan, user=coordinator)
        periods = {p.number: p for p in Period.objects.filter(plan=plan)}
        assignments = list(Assignment.objects.filter(task__plan=plan).select_related("unit", "task"))
        ProgressReport.objects.bulk_create(
            ProgressReport(
                period=periods[month],
                task=a.task,
                unit=a.unit,
                is_lead=a.role == "lead",
                state="accepted",
                **content(month),
            )
            for month in months
            for a in assignments
        )
        return len(assignments)

    return create
