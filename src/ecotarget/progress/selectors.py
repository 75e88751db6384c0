"""Reads the progress pages share. Each returns everything its page needs in a fixed number of queries,
however many reports there are."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ecotarget.core import clock
from ecotarget.core.numbers import plain_number
from ecotarget.core.params import whole_number
from ecotarget.monitoring.readings import Reading, measured_readings
from ecotarget.organisation.models import Membership, Post, Tenure, Unit
from ecotarget.plans.models import Assignment, Plan, Task, TaskChange
from ecotarget.plans.selectors import plans_visible_to, tasks_with_details

from . import schedule
from .models import (
    ChangeRequest,
    Evidence,
    Instruction,
    Period,
    PeriodStatus,
    PlanSetup,
    Receipt,
    Reminder,
    Report,
    ReportEvent,
    TargetValue,
    Watch,
)
from .obligations import Duties, end_of, lead_unit_ids
from .schedule import Status
from .services import Chase, periods_close_due, setup_defaults

COUNTED = (Report.State.SUBMITTED, Report.State.ACCEPTED)


def setup_of(plan: Plan) -> PlanSetup:
    """The plan's reporting set-up, or the defaults (unsaved) before the coordinator has set it."""
    return PlanSetup.objects.filter(plan=plan).first() or setup_defaults(plan)


def current_period(plan: Plan, day: date) -> Period | None:
    return Period.objects.filter(Period.open_on(day), plan=plan).first()


def last_closed_period(plan: Plan, day: date) -> Period | None:
    return Period.objects.filter(plan=plan, due_on__lt=day).order_by("-number").first()


def period_or_current(plan: Plan, day: date, number: str | None) -> Period | None:
    """The period the page asks for by number, else the open one, else the last one that closed."""
    if whole_number(number) is not None:
        found = Period.objects.filter(plan=plan, number=whole_number(number)).first()
        if found is not None:
            return found
    return current_period(plan, day) or last_closed_period(plan, day) or plan.periods.first()


def _reports(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.select_related("unit", "period", "submitted_by", "reviewed_by", "updated_by").prefetch_related(
        Prefetch("values", queryset=TargetValue.objects.select_related("target").order_by("target__order")),
        Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)),
    )


# --- status of every task ----------------------------------------------------------------------------------------


@dataclass
class TaskProgress:
    task: Task
    status: Status
    expected: float  # expected percent today
    reported: int | None = None
    lag: float | None = None  # expected − reported, on the date of the report the status rests on
    report: Report | None = None
    missed_targets: list[str] = field(default_factory=list)
    escalated: bool = False
    watched: bool = False
    open_instruction: Instruction | None = None
    # A lead report newer than the one the status rests on waits for review: the status is not the last word.
    awaiting_review: bool = False


def _worst(reports: list[Report]) -> Report | None:
    return min(reports, key=lambda r: r.percent) if reports else None


def _missed(task: Task, values: dict[int, TargetValue], measured: dict[int, Reading]) -> list[str]:
    """The task's targets that the latest value misses: measured ones by their monitoring reading (it is the
    authoritative figure), the others by the value the unit reported."""
    missed = []
    for target in task.targets.all():
        reading = measured.get(target.pk)
        if reading is not None:
            if reading.status == "missed":
                missed.append(f"{target.describe()}（监测值 {reading.value} {reading.measure_unit}）")
            continue
        value = values.get(target.pk)
        if (
            target.value is not None
            and value is not None
            and not schedule.target_met(target.op, target.value, value.value)
        ):
            missed.append(f"{target.describe()}（当前 {plain_number(value.value)}）")
    return missed


def plan_progress(
    plan: Plan, day: date, *, tasks: list[Task] | None = None, measured: dict[int, Reading] | None = None
) -> list[TaskProgress]:
    """Every task's status on `day`, using only what was known on `day` (about ten queries in all).

    Closed periods keep the status they closed with: the first read after a due date freezes it
    (`period_close`). On a past day, a task reads the status frozen at the last close on or before that day
    when the day is a due date, or when something that decides its status (the task, its bindings, the plan's
    set-up) changed after that day; otherwise it is computed from the reports known then, which gives the same.
    """
    today = clock.today()
    periods_close_due(plan=plan, day=today)
    progress = live_progress(plan, day, tasks=tasks, measured=measured)
    if day < today:
        _keep_closed(plan, day, progress)
    return progress


def _keep_closed(plan: Plan, day: date, progress: list[TaskProgress]) -> None:
    """Replace, in place, the statuses a later change would have rewritten by the ones kept at the last close on
    or before `day` (a period is frozen whole, so its snapshot has every task that existed then)."""
    after = end_of(day)
    # A task's import is its creation, not a change to it (a plan may well be imported after the day asked).
    changed = set(
        TaskChange.objects.filter(plan=plan, at__gte=after)
        .exclude(action=TaskChange.Action.IMPORT)
        .values_list("task_id", flat=True)
    )
    setup_changed = PlanSetup.objects.filter(plan=plan, updated_at__gte=after).exists()
    last = Period.objects.filter(plan=plan, due_on__lte=day, statuses__isnull=False).order_by("-number").first()
    if last is None or not (changed or setup_changed or last.due_on == day):
        return
    snapshots = {
        s.task_id: s for s in PeriodStatus.objects.filter(period=last).select_related("period", "report__period")
    }
    for i, item in enumerate(progress):
        snapshot = snapshots.get(item.task.pk)
        if snapshot is None or not (last.due_on == day or setup_changed or item.task.pk in changed):
            continue
        progress[i] = TaskProgress(
            task=item.task,
            status=Status(snapshot.status),
            expected=float(snapshot.expected),
            reported=snapshot.reported,
            lag=None if snapshot.lag is None else float(snapshot.lag),
            report=snapshot.report,
            missed_targets=list(snapshot.missed_targets),
            escalated=snapshot.escalated,
            watched=item.watched,
            open_instruction=item.open_instruction,
        )


def lead_reports(plan: Plan, *, opened_by: date | None = None) -> list[Report]:
    """Every submitted or accepted lead report of the plan (of periods opened by `opened_by`) with its values, for
    `live_progress`; read once when it computes many days."""
    reports = Report.objects.filter(period__plan=plan, is_lead=True, state__in=COUNTED)
    if opened_by is not None:
        reports = reports.filter(period__opens_on__lte=opened_by)
    return list(reports.select_related("period").prefetch_related("values").order_by("period__number"))


def live_progress(
    plan: Plan,
    day: date,
    *,
    tasks: list[Task] | None = None,
    measured: dict[int, Reading] | None = None,
    reports: list[Report] | None = None,
) -> list[TaskProgress]:
    """Every task's status on `day` computed from the lead units' reports known on `day` and the task as it is
    now. For the close of a period (`period_close`); pages call `plan_progress`.

    A report counts once submitted (by `submitted_at`), as accepted once reviewed (by `reviewed_at`), both in
    the region's zone; its target values count up to their as-of date. The status rests on the latest accepted
    lead report, compared with where the schedule said the task should be on that report's date; a unit that let
    the last due date pass without submitting is 'not reported'. `reports` are `lead_reports(plan)` when the
    caller computes many days.
    """
    setup = setup_of(plan)
    thresholds = setup.thresholds
    if measured is None:  # callers that show the readings too pass them in, so they are computed once
        measured = measured_readings(plan, day)
    periods = list(plan.periods.all())
    closed = [p for p in periods if p.due_on < day]
    if tasks is None:
        tasks = tasks_with_details(plan.tasks.order_by("number"))
    after = end_of(day)
    if reports is None:
        reports = lead_reports(plan, opened_by=day)
    # Imported reports may have no time: they count.
    reports = [r for r in reports if r.period.opens_on <= day and (r.submitted_at is None or r.submitted_at < after)]

    def accepted(report: Report) -> bool:
        return report.state == Report.State.ACCEPTED and (report.reviewed_at is None or report.reviewed_at < after)

    def finishes(report: Report) -> bool:
        return report.progress == Report.Progress.DONE and (report.reopened_at is None or report.reopened_at >= after)

    by_task: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_task[report.task_id].append(report)
    watched = set(Watch.objects.filter(task__plan=plan, until__isnull=True).values_list("task_id", flat=True))
    instructions = {
        i.task_id: i
        for i in Instruction.objects.filter(task__plan=plan, answered_by__isnull=True).order_by("-created_at", "-id")
    }
    year_end = setup.year_end
    result = []
    for task in tasks:
        deadlines = [m.due_on for m in task.milestones.all()]
        final = schedule.final_deadline(deadlines, year_end)
        leads = lead_unit_ids(task)
        task_reports = [r for r in by_task.get(task.pk, []) if r.unit_id in leads]

        latest_accepted: dict[int, Report] = {}
        latest_counted: dict[int, Report] = {}
        values: dict[int, TargetValue] = {}
        for report in task_reports:  # in period order: later ones win
            latest_counted[report.unit_id] = report
            if accepted(report):
                latest_accepted[report.unit_id] = report
                for value in report.values.all():
                    if value.as_of > day:
                        continue
                    known = values.get(value.target_id)
                    if known is None or value.as_of >= known.as_of:
                        values[value.target_id] = value
        basis = _worst(list(latest_accepted.values()))
        done = (
            bool(latest_accepted)
            and set(latest_accepted) >= leads
            and all(finishes(r) for r in latest_accepted.values())
        )
        stale = bool(closed) and not done and all(r.period.number < closed[-1].number for r in latest_counted.values())
        missed = _missed(task, values, measured)
        as_of = min(basis.period.due_on, day) if basis else day
        expected_then = schedule.expected_percent(
            start=setup.starts_on, deadlines=deadlines, on=as_of, year_end=year_end
        )
        status = schedule.classify(
            expected=expected_then,
            reported=None if basis is None or stale else basis.percent,
            done=done,
            overdue=day > final and not done,
            target_missed=bool(missed),
            thresholds=thresholds,
        )

        # Escalation: the lead reports of the last two closed periods both lagging.
        per_period = []
        for period in closed[-2:]:
            in_period = [r for r in task_reports if r.period_id == period.pk]
            worst = _worst(in_period)
            per_period.append(
                schedule.classify(
                    expected=schedule.expected_percent(
                        start=setup.starts_on, deadlines=deadlines, on=period.due_on, year_end=year_end
                    ),
                    reported=worst.percent if worst else None,
                    done=bool(in_period) and all(r.progress == Report.Progress.DONE for r in in_period),
                    overdue=period.due_on > final and not (worst and worst.progress == Report.Progress.DONE),
                    thresholds=thresholds,
                )
            )
        result.append(
            TaskProgress(
                task=task,
                status=status,
                expected=schedule.expected_percent(
                    start=setup.starts_on, deadlines=deadlines, on=day, year_end=year_end
                ),
                reported=basis.percent if basis else None,
                lag=round(expected_then - basis.percent, 1) if basis else None,
                report=basis,
                missed_targets=missed,
                escalated=len(per_period) == 2 and schedule.lagging_periods_in_a_row(per_period) >= 2,
                watched=task.pk in watched,
                open_instruction=instructions.get(task.pk),
                awaiting_review=any(
                    r.state == Report.State.SUBMITTED and (basis is None or r.period.number > basis.period.number)
                    for r in latest_counted.values()
                ),
            )
        )
    return result


def status_counts(progress: list[TaskProgress]) -> list[tuple[Status, int]]:
    counts = {status: 0 for status in Status}
    for item in progress:
        counts[item.status] += 1
    return list(counts.items())


# --- the reporter's page -----------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    task: Task
    role: str
    is_lead: bool
    report: Report | None
    previous: Report | None  # this unit's latest earlier report, to start a new one from
    co_parts: list[Report]
    instruction: Instruction | None
    expected: float
    refusal: str = ""  # why the unit may not report on the task in this period (obligations.Duties.refusal)

    @property
    def finished(self) -> bool:
        """Nothing to report here: the unit may not report in this period and has no report in it."""
        return bool(self.refusal) and self.report is None

    @property
    def values(self) -> dict[int, TargetValue]:
        source = self.report or self.previous
        return {v.target_id: v for v in source.values.all()} if source else {}


@dataclass
class UnitPage:
    plan: Plan
    unit: Unit
    period: Period | None
    receipt: Receipt | None
    rows: list[ReportRow]
    returned: list[Report]  # returned reports of earlier periods still to fix


def unit_page(plan: Plan, unit: Unit, period: Period | None, day: date) -> UnitPage:
    """A unit's tasks for the period with its reports, co-units' parts and open instructions (fixed queries)."""
    setup = setup_of(plan)
    tasks = tasks_with_details(plan.tasks.filter(assignments__unit=unit).order_by("number"))
    task_ids = [t.pk for t in tasks]
    mine = list(_reports(Report.objects.filter(unit=unit, task_id__in=task_ids)).order_by("period__number"))
    current = {r.task_id: r for r in mine if period and r.period_id == period.pk}
    previous: dict[int, Report] = {}
    for report in mine:
        if period and report.period.number < period.number:
            previous[report.task_id] = report
    duties = Duties(plan, setup=setup)
    kept: dict[int, PeriodStatus] = {}
    if period is not None and period.due_on < day:  # a closed period shows the schedule it closed with
        periods_close_due(plan=plan, day=day)
        kept = {s.task_id: s for s in PeriodStatus.objects.filter(period=period)}
    co_parts: dict[int, list[Report]] = defaultdict(list)
    if period is not None:
        for report in _reports(Report.objects.filter(period=period, task_id__in=task_ids).exclude(unit=unit)).filter(
            is_lead=False, state__in=COUNTED
        ):
            co_parts[report.task_id].append(report)
    instructions = {
        i.task_id: i
        for i in Instruction.objects.filter(task_id__in=task_ids, answered_by__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-id")
    }
    rows = []
    for task in tasks:
        assignment = next((a for a in task.assignments.all() if a.unit_id == unit.pk), None)
        role = assignment.role if assignment else Assignment.Role.CO
        is_lead = unit.pk in lead_unit_ids(task)
        refusal = duties.refusal(task, assignment, period, day) if period is not None else ""
        rows.append(
            ReportRow(
                task=task,
                role=role,
                is_lead=is_lead,
                report=current.get(task.pk),
                previous=previous.get(task.pk),
                co_parts=co_parts.get(task.pk, []) if is_lead else [],
                instruction=instructions.get(task.pk),
                expected=float(kept[task.pk].expected)
                if task.pk in kept
                else schedule.expected_percent(
                    start=setup.starts_on,
                    deadlines=[m.due_on for m in task.milestones.all()],
                    on=period.due_on if period else day,
                    year_end=setup.year_end,
                ),
                refusal=refusal,
            )
        )
    returned = [r for r in mine if r.state == Report.State.RETURNED and (period is None or r.period_id != period.pk)]
    receipt = Receipt.objects.filter(plan=plan, unit=unit).first()
    return UnitPage(plan=plan, unit=unit, period=period, receipt=receipt, rows=rows, returned=returned)


def report_with_details(pk: int) -> Report:
    return _reports(Report.objects.filter(pk=pk).select_related("task", "task__plan")).get()


# --- the coordinator's review list ------------------------------------------------------------------------------


def review_list(plan: Plan, period: Period, *, state: str = "", unit: Unit | None = None) -> list[Report]:
    reports = Report.objects.filter(period=period).exclude(state=Report.State.DRAFT)
    if state:
        reports = reports.filter(state=state)
    if unit is not None:
        reports = reports.filter(unit=unit)
    return list(_reports(reports.select_related("task")).order_by("task__number", "-is_lead", "unit__order"))


def with_previous(reports: list[Report], period: Period | None) -> None:
    """Give each report the same unit's latest report on the task from an earlier period, to read beside it
    (one query, however many reports)."""
    if not reports:
        return
    earlier = Report.objects.filter(
        period__plan_id=period.plan_id,
        period__number__lt=period.number,
        task_id__in={r.task_id for r in reports},
        unit_id__in={r.unit_id for r in reports},
    ).exclude(state=Report.State.DRAFT)
    latest = {}
    for report in earlier.select_related("period").order_by("period__number"):
        latest[(report.task_id, report.unit_id)] = report
    for report in reports:
        report.previous = latest.get((report.task_id, report.unit_id))


# --- reminders --------------------------------------------------------------------------------------------------


def chase_list(plan: Plan, period: Period, day: date) -> list[Chase]:
    """Units with missing, returned or lagging reports in the period, in the region's order (fixed queries)."""
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    in_period = {(r.task_id, r.unit_id): r for r in Report.objects.filter(period=period)}
    duties = Duties(plan)
    # A closed period's lagging tasks are those it closed with (plan_progress reads the kept status).
    lagging = {
        p.task.pk
        for p in plan_progress(plan, min(day, period.due_on) if day >= period.opens_on else day, tasks=tasks)
        if p.status in schedule.LAGGING and p.report is not None
    }
    chases: dict[int, Chase] = {}
    for task in tasks:
        leads = lead_unit_ids(task)
        for assignment in task.assignments.all():
            unit = assignment.unit
            if not duties.owes(task, assignment, period):
                continue
            chase = chases.setdefault(unit.pk, Chase(unit=unit))
            report = in_period.get((task.pk, unit.pk))
            if report is None or report.state == Report.State.DRAFT:
                chase.missing.append(task.number)
            elif report.state == Report.State.RETURNED:
                chase.returned.append(task.number)
            elif unit.pk in leads and task.pk in lagging:
                chase.lagging.append(task.number)
    units = sorted((c for c in chases.values() if c), key=lambda c: (c.unit.kind, c.unit.order, c.unit.name))
    return units


def period_progress(period: Period) -> list[TaskProgress]:
    """Every task's status as it stood when `period` closed (frozen on first read), or as of today while open."""
    day = clock.today()
    return plan_progress(period.plan, period.due_on if period.due_on < day else day)


def reminder_log(period: Period) -> QuerySet[Reminder]:
    return period.reminders.select_related("unit", "sent_by").order_by("-created_at", "-id")


# --- a leader's own page ----------------------------------------------------------------------------------------


def watched_progress(user: AbstractBaseUser, region_id: int, day: date) -> list[TaskProgress]:
    """The tasks the leader watches in its region, newest plan first and in task order, each with its status on
    `day` (one `plan_progress` per plan watched in)."""
    watched = [
        w.task
        for w in Watch.objects.filter(user=user, until__isnull=True, task__plan__region_id=region_id)
        .select_related("task__plan")
        .order_by("-task__plan__year", "task__number")
    ]
    by_plan: dict[int, list[Task]] = {}
    for task in watched:
        by_plan.setdefault(task.plan_id, []).append(task)
    statuses = {}
    for plan_tasks in by_plan.values():
        tasks = tasks_with_details(Task.objects.filter(pk__in=[t.pk for t in plan_tasks]).order_by("number"))
        for item in plan_progress(plan_tasks[0].plan, day, tasks=tasks):
            statuses[item.task.pk] = item
    return [statuses[t.pk] for t in watched]


def instructions_given(user: AbstractBaseUser, region_id: int) -> list[Instruction]:
    """The instructions the leader gave in its region, newest first, with the report that answered each."""
    return list(
        Instruction.objects.filter(author=user, task__plan__region_id=region_id)
        .select_related("task__plan", "answered_by__unit", "answered_by__period")
        .order_by("-created_at", "-id")
    )


# --- receipts and change requests ---------------------------------------------------------------------------------


def receipts_of(plan: Plan) -> list[Receipt]:
    return list(plan.receipts.select_related("unit", "signed_by").order_by("signed_at", "unit__kind", "unit__order"))


def change_requests_of(plan: Plan, *, unit: Unit | None = None) -> QuerySet[ChangeRequest]:
    requests = ChangeRequest.objects.filter(task__plan=plan).select_related(
        "task", "unit", "requested_by", "decided_by"
    )
    return requests.filter(unit=unit) if unit is not None else requests


# --- a task's whole history --------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    what: str
    detail: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)


REPORT_FIELDS_ZH = {
    "progress": "推进情况",
    "percent": "完成比例",
    "work_done": "工作进展",
    "problems": "存在问题",
    "next_steps": "下步打算",
    "instruction_answer": "批示落实情况",
    "values": "指标当前值",
    "state": "状态",
}


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "系统"


def task_timeline(task: Task) -> list[TimelineEntry]:
    """Every change to the task, its reports, reviews, requests, instructions and watches, newest first."""
    from ecotarget.plans.snapshots import readable_changes

    entries: list[TimelineEntry] = []
    for change in TaskChange.objects.filter(task=task).select_related("user"):
        entries.append(
            TimelineEntry(
                change.at,
                _who(change.user),
                f"任务{change.get_action_display()}",
                changes=readable_changes(change.changes),
            )
        )
    for event in ReportEvent.objects.filter(task=task).select_related("user", "report__unit", "report__period"):
        entries.append(
            TimelineEntry(
                event.at,
                _who(event.user),
                f"{event.report.unit.name} {event.report.period.label}报告 "
                f"{event.get_action_display()}（第{event.version}版）",
                detail=event.comment,
                changes=[(REPORT_FIELDS_ZH.get(k, k), old, new) for k, (old, new) in event.changes.items()],
            )
        )
    for request in ChangeRequest.objects.filter(task=task).select_related("unit", "requested_by", "decided_by"):
        entries.append(
            TimelineEntry(
                request.requested_at,
                _who(request.requested_by),
                f"{request.unit.name} 申请调整{request.get_kind_display()}",
                detail=f"调整为：{request.proposal}；理由：{request.reason}",
            )
        )
        if request.decided_at:
            entries.append(
                TimelineEntry(
                    request.decided_at,
                    _who(request.decided_by),
                    f"调整申请{request.get_state_display()}",
                    detail=request.decision_note,
                )
            )
    for instruction in Instruction.objects.filter(task=task).select_related("author"):
        entries.append(TimelineEntry(instruction.created_at, _who(instruction.author), "领导批示", instruction.text))
    for watch in Watch.objects.filter(task=task).select_related("user"):
        entries.append(TimelineEntry(watch.since, _who(watch.user), "关注任务"))
        if watch.until:
            entries.append(TimelineEntry(watch.until, _who(watch.user), "取消关注"))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def task_reports(task: Task) -> list[Report]:
    return list(_reports(Report.objects.filter(task=task)).order_by("-period__number", "-is_lead", "unit__order"))


# --- people ----------------------------------------------------------------------------------------------------


def unit_people(unit: Unit) -> list[tuple[Post, list[Tenure]]]:
    from ecotarget.organisation.services import posts_of

    posts = posts_of(unit)
    tenures = defaultdict(list)
    for tenure in Tenure.objects.filter(post__unit=unit).select_related("user", "created_by", "ended_by"):
        tenures[tenure.post_id].append(tenure)
    return [(post, tenures[post.pk]) for post in posts]


def visible_tasks(membership: Membership | None) -> QuerySet[Task]:
    """Tasks a member may see: every task of the region; a reporter only its own unit's."""
    tasks = Task.objects.filter(plan__in=plans_visible_to(membership))
    if membership is not None and membership.role == Membership.Role.REPORTER:
        tasks = tasks.filter(assignments__unit_id=membership.unit_id)
    return tasks


def region_units(membership: Membership) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id=membership.region_id).exclude(kind=Unit.Kind.GROUP)
