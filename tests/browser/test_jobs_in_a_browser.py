"""The coordinator uploads a month of air data in Chromium: the page answers at once with the queued job, its bar
fills as the worker stores the records, and the outcome takes its place. The worker is django-tasks-db's loop,
run in a thread on the live server's database, held halfway so that the bar is seen part full."""

import threading

from django.db import connections
from playwright.sync_api import expect

from ecotarget.core import jobs
from ecotarget.core.models import Job
from ecotarget.monitoring import storage as monitoring_storage
from ecotarget.monitoring.models import AirHour

CSV = "\n".join(
    [
        "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3",
        "县城站（演示）,2022-03-01 01:00,20,35,6,12,0.6,70",
        "水南站（演示）,2022-03-01 01:00,22,38,5,14,0.7,66",
        "县城站（演示）,2022-03-01 02:00,18,33,6,11,0.6,72",
        "水南站（演示）,2022-03-01 02:00,21,36,5,13,0.7,68",
    ]
).encode()


def worker_in_a_thread() -> tuple[threading.Thread, bool]:
    """The worker's loop in a thread of its own. An in-memory SQLite test database exists only in this test's
    connection, which the thread then shares, as the live server does; any other database it reaches with its own."""
    from django_tasks_db.management.commands.db_worker import Worker

    shared = connections["default"]
    in_memory = shared.vendor == "sqlite" and shared.is_in_memory_db()

    def run() -> None:
        if in_memory:
            connections["default"] = shared
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run()

    if in_memory:
        shared.inc_thread_sharing()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, in_memory


def test_an_upload_shows_the_bar_filling_then_the_outcome(
    stations, personas, logged_in, live_server, screenshot, settings, tmp_path, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ECOTARGET_JOBS_DIR = tmp_path / "jobs"
    monkeypatch.setattr(monitoring_storage, "STORE_SLICE", 1)  # a step of the bar per record
    halfway, go_on = threading.Event(), threading.Event()
    told = jobs.Progress.__call__

    def held_at_half(self, done: int, total: int) -> None:
        told(self, done, total)
        if done == total // 2:
            halfway.set()
            go_on.wait(60)

    monkeypatch.setattr(jobs.Progress, "__call__", held_at_half)

    page = logged_in(personas.coordinator)
    page.goto(f"{live_server.url}/monitoring/import/")
    page.select_option("select[name=kind]", "air")
    page.set_input_files("input[name=document]", files=[{"name": "3月空气.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.click("form.card button[type=submit]")
    job = page.locator("section.job")
    expect(job).to_contain_text("排队中")
    expect(job).to_contain_text("导入监测数据 3月空气.csv")
    screenshot(page, "job-queued")

    worker, shares_connection = worker_in_a_thread()
    try:
        assert halfway.wait(60)
        expect(job.locator("progress")).to_have_attribute("value", "2")
        expect(job).to_contain_text("保存监测数据")
        expect(job).to_contain_text("2 / 4（50%）")
        screenshot(page, "job-progress")
    finally:
        go_on.set()
        worker.join(60)
        if shares_connection:
            connections["default"].dec_thread_sharing()

    expect(job.locator("#import-report")).to_contain_text("已导入 24 个监测值（4 条记录）")
    expect(job.locator("progress")).to_have_count(0)
    expect(job).to_contain_text("已完成")
    screenshot(page, "job-done")
    assert AirHour.objects.count() == 4 and Job.objects.get().status == Job.Status.DONE
