"""Background jobs on the real queue: the database backend of django-tasks and a worker's run (`ecotarget worker`,
or its loop), as in production. The page answers at once; the worker does the work; the page shows how far it got,
then the result, or why it failed; only the one who started it and the region's coordinators see it; the day's
reminders are enqueued once a day however many workers look."""

import os
import signal
import socket
import subprocess
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ecotarget.core import jobs
from ecotarget.core.actions import for_object
from ecotarget.core.models import Action, Job, ScheduledRun
from ecotarget.core.views import job_context
from ecotarget.monitoring.models import AirHour, ImportBatch
from ecotarget.organisation.models import Membership
from ecotarget.progress.models import Reminder
from ecotarget.reports.models import WrittenReport
from progress.helpers import clock, published

__all__ = ["clock", "published"]  # fixtures

HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"
ROWS = [
    "县城站（演示）,2022-03-01 01:00,20,35,6,12,0.6,70",
    "水南站（演示）,2022-03-01 01:00,22,38,5,14,0.7,66",
    "JL-A01,2022-03-01 02:00,18,33,6,11,0.6,72",
]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def real_queue(settings, tmp_path, transactional_db):
    """The production backend (the queue is a table of the test database), and a jobs folder of the test's own.

    Committed data, as in production: the worker's loop closes a connection it finds inside a transaction (on
    PostgreSQL that would be the test's own)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ECOTARGET_JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def signals_kept():
    """The worker command installs its TERM/INT handlers in this process: pytest's own are put back after."""
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in kept.items():
        signal.signal(signum, handler)


def worker_runs(worker_id: str = "test-worker") -> None:
    """One worker's loop (django-tasks-db's, unchanged) until the queue is empty."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def upload(client: Client, content: bytes, *, name: str = "3月空气.csv", partial: bool = False):
    data = {"kind": "air", "document": SimpleUploadedFile(name, content)}
    if partial:
        data["accept_partial"] = "on"
    return client.post(reverse("monitoring:upload"), data)


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def job_status(client: Client, job: Job):
    """The fragment the page polls every second (an htmx request)."""
    return client.get(reverse("core:job", args=[job.pk]), **HTMX)


# --- the import: queued by the page, done by the worker -------------------------------------------------------------


def test_an_upload_is_saved_for_the_worker_and_imported_when_it_runs(stations, personas, client_for):
    client = client_for(personas.coordinator)
    response = upload(client, csv(*ROWS))

    job = Job.objects.get()
    page = BeautifulSoup(response.content, "html.parser")
    status = page.find(id=f"job-{job.pk}")
    assert "排队中" in status.get_text() and status["hx-trigger"] == "every 1s"
    assert status["hx-get"] == reverse("core:job", args=[job.pk])
    saved = list(jobs.job_dir(job.pk).iterdir())
    assert [p.name for p in saved] == ["upload.csv"] and saved[0].read_bytes() == csv(*ROWS)
    assert DBTaskResult.objects.get().status == "READY" and not AirHour.objects.exists()

    worker_runs()

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
    assert AirHour.objects.count() == 3 and DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not jobs.job_dir(job.pk).exists()  # the upload is gone once imported
    fragment = BeautifulSoup(job_status(client, job).content, "html.parser")
    assert "已导入 18 个监测值" in fragment.get_text() and not fragment.find(attrs={"hx-trigger": True})
    started = Action.objects.get(verb="job.start")
    assert (started.actor, started.region_id, started.summary) == (
        personas.coordinator,
        job.region_id,
        "提交后台任务：导入监测数据 3月空气.csv",
    )
    assert for_object(ImportBatch.objects.get()).get().actor == personas.coordinator


def test_a_file_with_bad_rows_reports_them_from_the_worker_and_stores_nothing(stations, personas, client_for):
    client = client_for(personas.coordinator)
    upload(client, csv(*ROWS, "不存在站,2022-03-01 01:00,20,35,6,12,0.6,70"))
    worker_runs()
    job = Job.objects.get()
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "未导入：文件有 1 处错误" in page and "未登记的监测点位" in page and "3 条记录可导入" in page
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()


# The import's own report of each part it stores: tests/monitoring/test_national_release_import.py.


# --- progress, failure, access: a job kind of the tests' own ------------------------------------------------------

seen_while_running: list[str] = []


def _starter_only(user, job) -> bool:
    return False


COUNTING = jobs.Kind(
    name="tests.counting",
    may_see=_starter_only,
    result_template="core/test_counting_result.html",
    result_context=lambda job: {"counted": job.result["counted"]},
)


@jobs.job(COUNTING)
def counting(job: Job, progress: jobs.Progress, *, to: int, fail: str = "", look_as: int | None = None):
    progress.step("数数")
    for number in range(1, to + 1):
        progress(number, to)
        if number == 3 and look_as is not None:  # the page, as its starter polls it while the job runs
            client = Client()
            client.force_login(User.objects.get(pk=look_as))
            seen_while_running.append(job_status(client, job).content.decode())
    if fail:
        raise RuntimeError(fail)
    return {"counted": to}


@pytest.fixture
def result_template(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "core").mkdir(parents=True)
    (folder / "core" / "test_counting_result.html").write_text("<p id='counted'>数到 {{ counted }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder]}]


def test_the_bar_shows_how_far_the_running_job_got_then_the_result(personas, client_for, result_template):
    coordinator = personas.coordinator
    job = jobs.start(counting, user=coordinator, region_id=None, title="数到十", to=10, look_as=coordinator.pk)
    assert job.status == Job.Status.QUEUED
    seen_while_running.clear()
    worker_runs()

    [running] = seen_while_running
    bar = BeautifulSoup(running, "html.parser").find("progress")
    assert (bar["value"], bar["max"]) == ("3", "10") and "数数" in running and "3 / 10（30%）" in running
    done = BeautifulSoup(job_status(client_for(coordinator), job).content, "html.parser")
    assert done.find(id="counted").get_text() == "数到 10" and done.find("progress") is None


def test_a_job_that_raises_shows_its_reason_and_stops_polling(personas, client_for, caplog):
    job = jobs.start(counting, user=personas.coordinator, region_id=None, title="数到五", to=5, fail="磁盘已满")
    worker_runs()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and DBTaskResult.objects.get().status == "FAILED"
    fragment = BeautifulSoup(job_status(client_for(personas.coordinator), job).content, "html.parser")
    assert "处理时出错：RuntimeError: 磁盘已满" in fragment.find(id="job-error").get_text()
    assert not fragment.find(attrs={"hx-trigger": True})
    assert "磁盘已满" in DBTaskResult.objects.get().traceback  # the queue keeps the traceback for the administrator


def test_a_refusal_in_the_worker_is_shown_in_its_own_words(published, personas, client_for, clock):
    clock(date(2022, 7, 8))
    client = client_for(personas.coordinator)
    # The year-end report before the year has ended, without confirming a forecast: the service refuses.
    response = client.post(reverse("reports:generate", args=[published.pk]), {"kind": "year_end"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    worker_runs()
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "未完成" in page and "尚未结束" in page and not WrittenReport.objects.exists()


@pytest.fixture
def second_coordinator(jiangle) -> User:
    user = User.objects.create_user(username="lin2", password="pw-lin2", first_name="林副督查")
    Membership.objects.create(user=user, region=jiangle, role=Membership.Role.COORDINATOR)
    return user


def test_a_job_is_seen_by_its_starter_and_the_regions_coordinators_only(
    stations, personas, client_for, second_coordinator
):
    upload(client_for(second_coordinator), csv(*ROWS))
    job = Job.objects.get()
    url = reverse("core:job", args=[job.pk])
    for allowed in (second_coordinator, personas.coordinator):
        assert client_for(allowed).get(url).status_code == 200
    for persona in ("leader", "zhujian", "guyong", "outsider", "nobody"):
        client = client_for(getattr(personas, persona))
        assert client.get(url).status_code == 404, persona
        assert job_status(client, job).status_code == 404, persona
    assert Client().get(url)["Location"].startswith(reverse("login"))


def test_the_polled_fragment_costs_the_same_queries_whatever_the_file_held(
    stations, personas, client_for, second_coordinator
):
    """Polled every second by everyone watching a job: a fixed number of queries, for a report of 1 or 400 bad rows."""
    bad = "不存在站,2022-03-{:02d} {:02d}:00,20,35,6,12,0.6,70"
    for rows in ([bad.format(1, 1)], [bad.format(1 + h // 24, h % 24) for h in range(400)]):
        upload(client_for(personas.coordinator), csv(*ROWS, *rows), partial=True)
    worker_runs()
    small, big = Job.objects.order_by("created_at")
    assert (small.result["issue_count"], big.result["issue_count"]) == (1, 400)
    for watcher in (personas.coordinator, second_coordinator):  # the starter; a coordinator of the region
        client = client_for(watcher)
        job_status(client, small)  # the session's first request writes it; the polls after it do not
        counts = []
        for job in (small, big):
            with CaptureQueriesContext(connection) as captured:
                assert job_status(client, job).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], watcher


def test_a_kind_that_lets_no_one_else_in_shows_the_job_to_its_starter_only(jiangle, personas, client_for):
    job = jobs.start(counting, user=personas.zhujian, region_id=jiangle.pk, title="数", to=1)
    assert client_for(personas.zhujian).get(reverse("core:job", args=[job.pk])).status_code == 200
    assert client_for(personas.coordinator).get(reverse("core:job", args=[job.pk])).status_code == 404


def test_job_context_reads_the_bar_from_the_running_jobs_file(personas):
    job = jobs.start(counting, user=personas.coordinator, region_id=None, title="数", to=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    jobs.Progress(job.pk)(40, 160)
    job.refresh_from_db()
    assert {k: job_context(job)[k] for k in ("done", "total", "percent")} == {"done": 40, "total": 160, "percent": 25}


def test_a_job_whose_worker_died_fails_with_the_reason_when_a_worker_starts(personas, client_for, signals_kept):
    job = jobs.start(counting, user=personas.coordinator, region_id=None, title="数", to=1)
    ended = subprocess.Popen(["true"])
    ended.wait()
    # What the queue and the page held when that worker was killed mid-job.
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[jobs.worker_id(socket.gethostname(), ended.pid)])
    Job.objects.update(status=Job.Status.RUNNING)
    jobs.Progress(job.pk)(1, 2)

    call_command("worker", "--batch", "--no-startup-delay", "--verbosity", "0")

    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, jobs.WORKER_GONE)
    assert DBTaskResult.objects.get(task_path="test_jobs.counting").status == "FAILED"
    assert not jobs.job_dir(job.pk).exists()
    page = job_status(client_for(personas.coordinator), job).content.decode()
    assert "请重新提交" in page and "hx-trigger" not in page


def test_a_job_of_a_worker_still_running_is_left_alone(personas, signals_kept):
    jobs.start(counting, user=personas.coordinator, region_id=None, title="数", to=1)
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[jobs.worker_id(socket.gethostname(), os.getpid())])
    Job.objects.update(status=Job.Status.RUNNING)
    assert jobs.abandoned_fail(socket.gethostname()) == []
    assert Job.objects.get().status == Job.Status.RUNNING


# --- report drafting ---------------------------------------------------------------------------------------------


def test_a_report_is_drafted_by_the_worker_and_the_page_links_to_it(published, personas, client_for, clock):
    clock(date(2022, 7, 8))
    client = client_for(personas.coordinator)
    response = client.post(reverse("reports:generate", args=[published.pk]), {"kind": "half_year"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk]) and not WrittenReport.objects.exists()
    assert "排队中" in client.get(response["Location"]).content.decode()

    worker_runs()

    report = WrittenReport.objects.get()
    result = BeautifulSoup(job_status(client, job).content, "html.parser").find(id="generate-result")
    assert "已生成第1版" in result.get_text()
    assert result.find("a")["href"] == reverse("reports:edit", args=[report.pk])
    assert report.versions.get().created_by == personas.coordinator


# --- the worker command and the day's schedule ---------------------------------------------------------------------


def test_the_worker_command_runs_what_is_queued(stations, personas, client_for, signals_kept):
    upload(client_for(personas.coordinator), csv(*ROWS))
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--verbosity", "0")
    assert Job.objects.get().status == Job.Status.DONE and AirHour.objects.count() == 3


@pytest.fixture
def reminders_at_nine(settings):
    settings.ECOTARGET_REMINDERS_AT = "09:00"


def test_the_days_reminders_are_enqueued_once_however_many_workers_look(
    published, personas, clock, reminders_at_nine, signals_kept
):
    # 26 May 2022: May's reports were due the day before; the units that sent none get an overdue notice.
    clock(date(2022, 5, 26), hour=8)
    assert jobs.enqueue_due() == [] and not ScheduledRun.objects.exists()

    clock(date(2022, 5, 26), hour=10)
    for worker in ("machine-a:1", "machine-b:1"):  # two workers, each looking at the schedule and then working
        call_command("worker", "--batch", "--no-startup-delay", "--worker-id", worker, "--verbosity", "0")
    assert ScheduledRun.objects.get().day == date(2022, 5, 26)
    [sent] = DBTaskResult.objects.filter(task_path="ecotarget.progress.tasks.send_reminders")
    assert sent.status == "SUCCESSFUL" and sent.return_value["sent"] > 0
    overdue = Reminder.objects.filter(trigger="overdue").count()
    assert overdue == sent.return_value["sent"]

    assert jobs.enqueue_due() == []  # a later look the same day
    clock(date(2022, 5, 27), hour=10)
    assert jobs.enqueue_due() == ["reminders"]
    worker_runs()
    # The next day's run sends nothing new: each reminder goes once per period, whoever runs it.
    assert Reminder.objects.filter(trigger="overdue").count() == overdue


def test_of_two_workers_looking_at_the_same_moment_only_one_enqueues(published, clock, reminders_at_nine, monkeypatch):
    clock(date(2022, 5, 26), hour=10)
    # The other worker's insert lands between this worker's look (which found nothing) and its own insert.
    monkeypatch.setattr(jobs, "claimed", lambda name, day: False)
    ScheduledRun.objects.create(name="reminders", day=date(2022, 5, 26))
    assert jobs.enqueue_due() == []
    assert ScheduledRun.objects.count() == 1 and not DBTaskResult.objects.exists()
