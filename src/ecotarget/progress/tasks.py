"""The day's reminders, sent by the worker (`ecotarget worker`) rather than by an outside cron: once a day from
ECOTARGET_REMINDERS_AT, by whichever worker looks first (core.jobs.enqueue_due). `reminders_due` is what the
`send-reminders` command runs too, and sends each reminder once whatever calls it."""

from django.conf import settings
from django_tasks import task

from ecotarget.core import jobs

from .models import Reminder
from .services.reminders import reminders_due


@task()
def send_reminders() -> dict[str, int]:
    sent = reminders_due()
    return {"sent": len(sent), "failed": sum(r.result == Reminder.Result.FAILED for r in sent)}


jobs.daily(
    "reminders",
    send_reminders,
    at=lambda: jobs.parse_time(settings.ECOTARGET_REMINDERS_AT, "ECOTARGET_REMINDERS_AT"),
)
