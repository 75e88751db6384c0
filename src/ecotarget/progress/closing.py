"""Closing a period: every task's status as it stood on the due date is kept (定格), once.

A read may close what is due (the first read after a due date freezes it), so this is not a service module:
the status pages call it, and so do the actions that change what decides a status. Closing is the system's
action whoever's read or action set it off: the log records it as such, once per period closed."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from ecotarget.core.actions import record
from ecotarget.core.clock import today
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details

from .errors import ProgressError
from .models import Period, PeriodState, PeriodStatus, ProgressReport
from .status import lead_reports, live_progress


def period_close(*, period: Period, day: date | None = None) -> int:
    """Keep every task's status as it stood when `period` closed (its due date passed): status, expected and
    reported percent, lag, missed targets, from what was known on the due date. Written once: tasks already
    frozen keep theirs, so calling it again changes nothing. Returns how many tasks were frozen now."""
    if period.state_on(day or today()) != PeriodState.CLOSED:
        raise ProgressError(f"{period.label}尚未截止，不能定格")
    have = PeriodStatus.objects.filter(period=period).values_list("task_id", flat=True)
    with transaction.atomic():
        return _freeze(period, tasks_with_details(period.plan.tasks.exclude(pk__in=have).order_by("number")))


def _freeze(period: Period, tasks: list[Task], reports: list[ProgressReport] | None = None) -> int:
    if not tasks:
        return 0
    progress = live_progress(period.plan, period.due_on, tasks=tasks, reports=reports)
    PeriodStatus.objects.bulk_create(
        [
            PeriodStatus(
                period=period,
                task=item.task,
                status=item.status.value,
                expected=Decimal(str(item.expected)),
                reported=item.reported,
                lag=None if item.lag is None else Decimal(str(item.lag)),
                report=item.report,
                missed_targets=item.missed_targets,
                escalated=item.escalated,
            )
            for item in progress
        ],
        ignore_conflicts=True,  # two first readers at once: the first write wins, both wrote the same
    )
    record(
        None,
        "period.close",
        period,
        f"{period.label}截止（{period.due_on:%Y-%m-%d}），定格 {len(progress)} 项任务的状态",
        label=f"《{period.plan.title}》{period.label}",
        plan=period.plan_id,
    )
    return len(progress)


def periods_close_due(*, plan: Plan, day: date | None = None) -> int:
    """Freeze every period of the plan that has closed by `day` (default today) and has no snapshot yet.

    Called on the first read after a due date, by the daily reminder run, and before any action that changes
    what decides a status (task edit, change-request grant, set-up save, binding change), so that the change
    reaches only what comes next. One query when there is nothing to do."""
    closing = list(
        Period.objects.filter(plan=plan, due_on__lt=day or today(), statuses__isnull=True)
        .select_related("plan")
        .order_by("number")
    )
    if not closing:
        return 0
    # None of these periods has any task frozen: read the tasks and the reports once for all of them.
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    reports = lead_reports(plan) if len(closing) > 1 else None
    frozen = 0
    for period in closing:
        with transaction.atomic():
            frozen += _freeze(period, tasks, reports)
    return frozen
