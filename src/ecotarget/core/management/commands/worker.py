"""`ecotarget worker`: runs the background jobs queued in the database, and the daily schedule.

django-tasks-db's worker (`db_worker`) takes one job at a time from the queue table. Several workers may run, on
one machine or, with PostgreSQL, on several: each claims its next job inside a transaction with
SELECT … FOR UPDATE SKIP LOCKED, so no two run the same job. (On SQLite, one machine only: the claim takes the
database's write lock.)

A worker starting fails the jobs that a dead worker of the same machine left running (core.jobs.abandoned_fail).
Besides the queue, each worker looks at the schedule (core.jobs.daily) when it starts and then every
ECOTARGET_SCHEDULE_SECONDS, in a thread of its own; a day's run of a scheduled job is enqueued by the first worker
to look (core.jobs.enqueue_due).
"""

import logging
import os
import socket
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from ecotarget.core import jobs

logger = logging.getLogger("ecotarget.worker")


def schedule_once() -> None:
    try:
        for name in jobs.enqueue_due():
            logger.info("scheduled job %s enqueued", name)
    except DatabaseError:
        # SQLite busy past its timeout under a long import, or PostgreSQL restarting: the next look will do.
        logger.exception("could not check the schedule")
    finally:
        connection.close()  # this thread's own connection; the next look opens a fresh one


def schedule_forever(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        schedule_once()


class Command(DatabaseWorker):
    help = "运行后台任务（数据导入、报告生成）和每日计划任务（到期提醒） / run background jobs and the daily schedule"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # A worker's id names it in the queue's records: the machine and the process, unique across the pool.
        # Code changes are picked up by restarting the worker (`ecotarget run` restarts it), never mid-job.
        parser.set_defaults(worker_id=jobs.worker_id(socket.gethostname(), os.getpid()), reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("tasks")  # every app's tasks module: the jobs it runs and the schedule they add
        for gone in jobs.abandoned_fail(socket.gethostname()):
            logger.warning("job %s (%s) failed: its worker had ended while running it", gone.pk, gone.title)
        schedule_once()
        if not options["batch"]:
            stop = threading.Event()
            threading.Thread(
                target=schedule_forever,
                args=(stop, settings.ECOTARGET_SCHEDULE_SECONDS),
                name="ecotarget-schedule",
                daemon=True,
            ).start()
        super().handle(*args, **options)
