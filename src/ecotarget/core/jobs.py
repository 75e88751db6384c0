"""Background jobs: long work a person starts from a page and watches, and the worker's daily schedule.

django-tasks (the backport of Django 6's Tasks framework) keeps the queue in a table of this database (its
`django_tasks_db` backend); `ecotarget worker` takes jobs from it. Around that queue this module keeps what the
pages need:

- a `Job` row per job a person started: who, for which region, how far it got, what came of it or why it failed;
- `job(kind)`, the decorator that makes a feature's function (`monitoring/tasks.py`, `reports/tasks.py`) such a
  job: it is called with its Job and a `Progress` to report to, and returns the result the page shows;
- `start()`, which saves the job's files, writes the row and enqueues it in one transaction, and records who
  started it in the action log;
- `daily()` and `enqueue_due()`: scheduled work (the day's reminders) enqueued by whichever worker looks first,
  once a day however many workers run (a unique `ScheduledRun` row per name and day).

Progress goes to a small file in the job's folder rather than to the database: the work it measures runs in one
transaction (an import), whose own writes nobody else sees until it commits, and on SQLite that transaction holds
the only write lock. The folder also holds the job's input files; it is removed when the job ends.
"""

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from . import clock
from .actions import record
from .errors import Refusal
from .models import Job, ScheduledRun

logger = logging.getLogger(__name__)

PROGRESS_FILE = "progress.json"


@dataclass(frozen=True)
class Kind:
    """What the pages need to know of one kind of job."""

    name: str  # stable code, kept in Job.kind: "monitoring.import"
    # Who, besides the person who started it, may follow a job of this kind (the region's coordinators); the
    # feature decides with organisation's policies, which core cannot import.
    may_see: Callable[[AbstractBaseUser, Job], bool]
    # The template showing a finished job's result, and the context it needs from the job.
    result_template: str
    result_context: Callable[[Job], dict[str, Any]]


KINDS: dict[str, Kind] = {}
_KIND_OF_TASK: dict[str, Kind] = {}  # a task's module path -> its kind

JobFunction = Callable[..., dict[str, Any]]


def job_dir(job_id: uuid.UUID | str) -> Path:
    return Path(settings.ECOTARGET_JOBS_DIR) / str(job_id)


class Progress:
    """Handed to a job's function: call it with (done, total) as work gets done, and `step()` to name a stage.

    The file is rewritten only when the whole percentage changes: a job may report every row it reads.
    """

    def __init__(self, job_id: uuid.UUID | str) -> None:
        self.path = job_dir(job_id) / PROGRESS_FILE
        self.done, self.stage = 0, ""
        self.total: int | None = None
        self._shown: int | None = None  # the percentage last written

    def step(self, stage: str) -> None:
        self.stage, self.done, self.total, self._shown = stage, 0, None, None
        self._write()

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        percent = done * 100 // total if total else 0
        if percent != self._shown:
            self._shown = percent
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        draft = self.path.with_suffix(".draft")
        draft.write_text(json.dumps({"done": self.done, "total": self.total, "stage": self.stage}))
        os.replace(draft, self.path)  # a reader sees the old figures or the new, never half a file


def progress_of(job: Job) -> tuple[int, int | None, str]:
    """(done, total, stage) of a job: while it runs, as its worker last wrote them; after, as stored."""
    if job.status == Job.Status.RUNNING:
        try:
            data = json.loads((job_dir(job.pk) / PROGRESS_FILE).read_text())
            return int(data["done"]), data["total"], str(data["stage"])
        except (OSError, ValueError, KeyError):
            pass
    return job.done, job.total, job.stage


def job(kind: Kind) -> Callable[[JobFunction], Task]:
    """Make `function(job, progress, **kwargs) -> result` a task run by the worker as a Job of `kind`.

    The result (JSON) is kept on the Job for the page. A `Refusal` ends the job with its message as the reason; any
    other exception too, with a generic reason, and it is raised again so that the queue keeps the traceback.
    """
    KINDS[kind.name] = kind

    def decorate(function: JobFunction) -> Task:
        def run(job_id: str, **kwargs: Any) -> str:
            _run(function, job_id, kwargs)
            return job_id

        # The queue names a task by its module path; the task object takes the function's name in its module.
        run.__module__, run.__name__, run.__qualname__ = function.__module__, function.__name__, function.__qualname__
        run.__doc__ = function.__doc__
        made: Task = task(run)
        _KIND_OF_TASK[made.module_path] = kind
        return made

    return decorate


def _run(function: JobFunction, job_id: str, kwargs: dict[str, Any]) -> None:
    started = Job.objects.select_related("user").get(pk=job_id)
    started.status, started.started_at = Job.Status.RUNNING, clock.now()
    started.save(update_fields=["status", "started_at"])
    progress = Progress(started.pk)
    try:
        result = function(started, progress, **kwargs)
    except Refusal as refusal:
        _finish(started, progress, Job.Status.FAILED, error=str(refusal))
    except Exception as fault:
        logger.exception("job %s (%s) failed", started.pk, started.kind)
        _finish(started, progress, Job.Status.FAILED, error=f"处理时出错：{type(fault).__name__}: {fault}"[:2000])
        raise
    else:
        _finish(started, progress, Job.Status.DONE, result=result)
    finally:
        shutil.rmtree(job_dir(started.pk), ignore_errors=True)


def _finish(finished: Job, progress: Progress, status: str, *, result: dict | None = None, error: str = "") -> None:
    finished.status, finished.finished_at = status, clock.now()
    finished.done, finished.total, finished.stage = progress.done, progress.total, progress.stage
    finished.result, finished.error = result or {}, error
    finished.save(update_fields=["status", "finished_at", "done", "total", "stage", "result", "error"])


def start(
    job_task: Task,
    *,
    user: User,
    region_id: int | None,
    title: str,
    files: Mapping[str, IO[bytes]] | None = None,
    **kwargs: Any,
) -> Job:
    """Queue `job_task` (made by `job()`) for the worker with `kwargs` (JSON), as the user's job in the region.

    `files` are saved into the job's folder first (copied in chunks), where the job finds them by name
    (`job_file`); the folder goes when the job ends. The Job row, the action log's record of who started it and the
    queue's entry are written in one transaction: the worker never sees a job without its row.
    """
    kind = _KIND_OF_TASK[job_task.module_path]
    job_id = uuid.uuid4()
    folder = job_dir(job_id)
    folder.mkdir(parents=True)
    try:
        for name, content in (files or {}).items():
            content.seek(0)
            with (folder / name).open("wb") as out:
                shutil.copyfileobj(content, out, 1024 * 1024)
        with transaction.atomic():
            Job.objects.create(id=job_id, kind=kind.name, title=title[:200], user=user, region_id=region_id)
            record(
                user,
                "job.start",
                None,
                f"提交后台任务：{title}",
                object_type="core.job",
                label=title,
                region=region_id,
            )
            # A backend that runs tasks at once (tests) has finished the job when this returns.
            queued_as = job_task.enqueue(str(job_id), **kwargs)
            Job.objects.filter(pk=job_id).update(task_id=str(queued_as.id))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Job.objects.select_related("user").get(pk=job_id)


def job_file(of: Job, name: str) -> Path:
    return job_dir(of.pk) / name


def may_see(user: AbstractBaseUser | AnonymousUser, of: Job) -> bool:
    """The person who started the job, and whom its kind lets follow it (the region's coordinators)."""
    if not user.is_authenticated:
        return False
    if of.user_id is not None and of.user_id == user.pk:
        return True
    kind = KINDS.get(of.kind)
    return kind is not None and isinstance(user, AbstractBaseUser) and kind.may_see(user, of)


def result_context(of: Job) -> dict[str, Any]:
    """What the finished job's result template needs (empty while it runs or when it failed)."""
    kind = KINDS.get(of.kind)
    if kind is None or of.status != Job.Status.DONE:
        return {}
    return {"result_template": kind.result_template, **kind.result_context(of)}


# --- a worker that died --------------------------------------------------------------------------------------------

WORKER_GONE = "后台程序在处理时中断（进程已退出），没有写入任何数据，请重新提交"


class WorkerGone(Exception):
    """Kept in the queue as the reason of a job whose worker process ended while running it."""


def worker_id(host: str, pid: int) -> str:
    """How a worker names itself in the queue: the machine and the process (`ecotarget worker`'s default)."""
    return f"{host[:40]}:{pid}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def abandoned_fail(host: str) -> list[Job]:
    """Fail the jobs that a worker of this machine was running when its process ended (killed, out of memory, the
    machine restarted): their work was one transaction, so nothing of it was written. Called by each worker as it
    starts; without it such a job's page would wait for ever."""
    from django_tasks_db.models import DBTaskResult

    failed = []
    for result in DBTaskResult.objects.running():
        name, _, pid = (result.worker_ids or [""])[-1].rpartition(":")
        if name != host[:40] or not pid.isdigit() or _process_alive(int(pid)):
            continue
        with transaction.atomic():
            result.set_failed(WorkerGone(f"worker {name}:{pid} ended while running this task"))
            jobs = list(
                Job.objects.filter(task_id=str(result.id)).exclude(status__in=[Job.Status.DONE, Job.Status.FAILED])
            )
            for gone in jobs:
                gone.status, gone.finished_at, gone.error = Job.Status.FAILED, clock.now(), WORKER_GONE
                gone.save(update_fields=["status", "finished_at", "error"])
        for gone in jobs:
            shutil.rmtree(job_dir(gone.pk), ignore_errors=True)
        failed += jobs
    return failed


# --- the worker's schedule -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Daily:
    name: str
    task: Task
    at: Callable[[], time]  # read when the schedule is checked, so that the setting can change


SCHEDULE: dict[str, Daily] = {}


def daily(name: str, scheduled: Task, *, at: Callable[[], time]) -> None:
    """Run `scheduled` (no arguments) once a day from `at()` on, in the region's time, from whichever worker looks
    first."""
    SCHEDULE[name] = Daily(name, scheduled, at)


def parse_time(text: str, setting: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{setting}={text!r} is not a time of day (HH:MM)") from None


def claimed(name: str, day: date) -> bool:
    """Whether a worker has enqueued the day's run already (a look before the insert that decides)."""
    return ScheduledRun.objects.filter(name=name, day=day).exists()


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue the scheduled jobs due by now and not yet run today; returns their names.

    Each worker calls this at start and then every ECOTARGET_SCHEDULE_SECONDS. The day's ScheduledRun row is
    written in the same transaction as the queue's entry, and its (name, day) is unique: of two workers looking at
    once, the second one's insert fails and it enqueues nothing.
    """
    moment = timezone.localtime(now or clock.now(), clock.zone())
    day = moment.date()
    enqueued = []
    for entry in SCHEDULE.values():
        if moment.time() < entry.at() or claimed(entry.name, day):
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=entry.name, day=day, enqueued_at=moment)
                run.task_id = str(entry.task.enqueue().id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker claimed today's run between our look and our insert
        enqueued.append(entry.name)
    return enqueued
