"""Reads the progress pages share. Each returns everything its page needs in a fixed number of queries,
however many reports there are."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from ecotarget.core import clock
from ecotarget.core.params import whole_number
from ecotarget.monitoring.readings import Reading
from ecotarget.organisation.models import Membership, Tenure, Unit
from ecotarget.plans.models import Assignment, Plan, Task, TaskChange
from ecotarget.plans.selectors import plan_units, plans_visible_to, tasks_with_details

from . import rules
from .closing import periods_close_due
from .models import (
    ChangeRequest,
    Evidence,
    GroupOwner,
    HolidayYear,
    Instruction,
    Period,
    PeriodStatus,
    PlanSetup,
    ProgressReport,
    Receipt,
    Reminder,
    TargetValue,
    UnitChannel,
    Watch,
)
from .obligations import Duties, end_of
from .rules import Status, lead_unit_ids
from .status import COUNTED, TaskProgress, live_progress, setup_of
from .workdays import Arrangement, WorkCalendar


def current_period(plan: Plan, day: date) -> Period | None:
    return Period.objects.filter(Period.open_on(day), plan=plan).first()


def last_closed_period(plan: Plan, day: date) -> Period | None:
    return Period.objects.filter(plan=plan, due_on__lt=day).order_by("-number").first()


def period_or_current(plan: Plan, day: date, number: str | None) -> Period | None:
    """The period the page asks for by number, else the open one, else the last one that closed."""
    wanted = whole_number(number)
    if wanted is not None:
        found = Period.objects.filter(plan=plan, number=wanted).first()
        if found is not None:
            return found
    return current_period(plan, day) or last_closed_period(plan, day) or plan.periods.first()


def _reports(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return queryset.select_related("unit", "period", "submitted_by", "reviewed_by", "updated_by").prefetch_related(
        Prefetch("values", queryset=TargetValue.objects.select_related("target").order_by("target__order")),
        Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)),
    )


# --- status of every task ----------------------------------------------------------------------------------------


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
    report: ProgressReport | None
    previous: ProgressReport | None  # this unit's latest earlier report, to start a new one from
    co_parts: list[ProgressReport]
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
    returned: list[ProgressReport]  # returned reports of earlier periods still to fix


def unit_page(plan: Plan, unit: Unit, period: Period | None, day: date, *, with_drafts: bool) -> UnitPage:
    """A unit's tasks for the period with its reports, co-units' parts and open instructions (fixed queries).
    `with_drafts` for the unit's own reporters (`access.may_see_report`): anyone else sees a draft as no report."""
    setup = setup_of(plan)
    tasks = tasks_with_details(plan.tasks.filter(assignments__unit=unit).order_by("number"))
    task_ids = [t.pk for t in tasks]
    reports = ProgressReport.objects.filter(unit=unit, task_id__in=task_ids)
    if not with_drafts:
        reports = reports.exclude(state=ProgressReport.State.DRAFT)
    mine = list(_reports(reports).order_by("period__number"))
    current = {r.task_id: r for r in mine if period and r.period_id == period.pk}
    previous: dict[int, ProgressReport] = {}
    for report in mine:
        if period and report.period.number < period.number:
            previous[report.task_id] = report
    duties = Duties(plan, setup=setup)
    kept: dict[int, PeriodStatus] = {}
    if period is not None and period.due_on < day:  # a closed period shows the schedule it closed with
        periods_close_due(plan=plan, day=day)
        kept = {s.task_id: s for s in PeriodStatus.objects.filter(period=period)}
    co_parts: dict[int, list[ProgressReport]] = defaultdict(list)
    if period is not None:
        for report in _reports(
            ProgressReport.objects.filter(period=period, task_id__in=task_ids).exclude(unit=unit)
        ).filter(is_lead=False, state__in=COUNTED):
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
                else rules.expected_percent(
                    start=setup.starts_on,
                    deadlines=[m.due_on for m in task.milestones.all()],
                    on=period.due_on if period else day,
                    year_end=setup.year_end,
                ),
                refusal=refusal,
            )
        )
    returned = [
        r for r in mine if r.state == ProgressReport.State.RETURNED and (period is None or r.period_id != period.pk)
    ]
    receipt = Receipt.objects.filter(plan=plan, unit=unit).first()
    return UnitPage(plan=plan, unit=unit, period=period, receipt=receipt, rows=rows, returned=returned)


def report_with_details(pk: int) -> ProgressReport:
    return _reports(ProgressReport.objects.filter(pk=pk).select_related("task", "task__plan")).get()


# --- the coordinator's review list ------------------------------------------------------------------------------


def review_list(plan: Plan, period: Period, *, state: str = "", unit: Unit | None = None) -> list[ProgressReport]:
    reports = ProgressReport.objects.filter(period=period).exclude(state=ProgressReport.State.DRAFT)
    if state:
        reports = reports.filter(state=state)
    if unit is not None:
        reports = reports.filter(unit=unit)
    return list(_reports(reports.select_related("task")).order_by("task__number", "-is_lead", "unit__order"))


@dataclass
class ReviewItem:
    """A report to review, with the same unit's latest report on the task from an earlier period to read beside it."""

    report: ProgressReport
    previous: ProgressReport | None


def with_previous(reports: list[ProgressReport], period: Period) -> list[ReviewItem]:
    """Each of the period's reports with the one it follows (one query, however many reports)."""
    if not reports:
        return []
    earlier = ProgressReport.objects.filter(
        period__plan_id=period.plan_id,
        period__number__lt=period.number,
        task_id__in={r.task_id for r in reports},
        unit_id__in={r.unit_id for r in reports},
    ).exclude(state=ProgressReport.State.DRAFT)
    latest: dict[tuple[int, int], ProgressReport] = {}
    for report in earlier.select_related("period").order_by("period__number"):
        latest[(report.task_id, report.unit_id)] = report
    return [ReviewItem(report, latest.get((report.task_id, report.unit_id))) for report in reports]


# --- reminders --------------------------------------------------------------------------------------------------


@dataclass
class Chase:
    """Why a unit is chased this period: task numbers missing, returned and lagging."""

    unit: Unit
    missing: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)
    lagging: list[int] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        parts = []
        if self.missing:
            parts.append(f"未报送任务 {_numbers(self.missing)}")
        if self.returned:
            parts.append(f"退回待修改任务 {_numbers(self.returned)}")
        if self.lagging:
            parts.append(f"进度滞后任务 {_numbers(self.lagging)}")
        return parts

    def __bool__(self) -> bool:
        return bool(self.missing or self.returned or self.lagging)


def _numbers(numbers: list[int]) -> str:
    return "、".join(str(n) for n in sorted(numbers))


def chase_list(plan: Plan, period: Period, day: date) -> list[Chase]:
    """Units with missing, returned or lagging reports in the period, in the region's order (fixed queries)."""
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    in_period = {(r.task_id, r.unit_id): r for r in ProgressReport.objects.filter(period=period)}
    duties = Duties(plan)
    # A closed period's lagging tasks are those it closed with (plan_progress reads the kept status).
    lagging = {
        p.task.pk
        for p in plan_progress(plan, min(day, period.due_on) if day >= period.opens_on else day, tasks=tasks)
        if p.status in rules.LAGGING and p.report is not None
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
            if report is None or report.state == ProgressReport.State.DRAFT:
                chase.missing.append(task.number)
            elif report.state == ProgressReport.State.RETURNED:
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


def watched_progress(user: User, region_id: int, day: date) -> list[TaskProgress]:
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


def instructions_given(user: User, region_id: int) -> list[Instruction]:
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


# --- a task's reports (its history is the action log's: core.actions.task_timeline) -----------------------------------


def task_reports(task: Task) -> list[ProgressReport]:
    return list(
        _reports(ProgressReport.objects.filter(task=task)).order_by("-period__number", "-is_lead", "unit__order")
    )


# --- what a member sees --------------------------------------------------------------------------------------------


def visible_tasks(membership: Membership | None) -> QuerySet[Task]:
    """Tasks a member may see, as a query: `organisation.access.may_see_task` (every task of the region; a reporter
    only its own unit's)."""
    tasks = Task.objects.filter(plan__in=plans_visible_to(membership))
    if membership is not None and membership.is_reporter:
        assert membership.unit_id is not None  # a reporter always has a unit (membership_reporter_has_unit)
        tasks = tasks.filter(assignments__unit_id=membership.unit_id)
    return tasks


def region_units(membership: Membership) -> QuerySet[Unit]:
    return Unit.objects.filter(region_id=membership.region_id).exclude(kind=Unit.Kind.GROUP)


# --- working days ------------------------------------------------------------------------------------------------


def work_calendar(region_id: int) -> WorkCalendar:
    """The region's calendar: the library's national years, and the arrangements its coordinators entered for
    later years (two queries)."""
    arrangements = []
    for year in HolidayYear.objects.filter(region_id=region_id).prefetch_related("days"):
        days = list(year.days.all())
        arrangements.append(
            Arrangement(
                year=year.year,
                holidays=frozenset(d.day for d in days if not d.is_workday),
                workdays=frozenset(d.day for d in days if d.is_workday),
            )
        )
    return WorkCalendar.of(arrangements)


# --- hand-out (交办) ------------------------------------------------------------------------------------------


def reporting_units(plan: Plan) -> list[Unit]:
    """Units that hold tasks and can report: 有关乡(镇) and other placeholders cannot sign or report."""
    return [unit for unit in plan_units(plan) if not rules.is_group(unit)]


@dataclass
class GroupOnTask:
    """A 有关乡(镇)-style group named on a task: unresolved until the coordinator names its townships (in the task
    editor, which removes the group) or keeps it with an owner, one of the task's own units."""

    task: Task
    group: Unit
    owner: Unit | None
    candidates: list[Unit]  # the task's own units that may answer for the group, lead units first


def plan_groups(plan: Plan) -> list[GroupOnTask]:
    """Every group unit on a task of the plan, in task order, with the unit that answers for it if one was named."""
    tasks = tasks_with_details(plan.tasks.filter(assignments__unit__kind=Unit.Kind.GROUP).distinct().order_by("number"))
    kept = GroupOwner.objects.filter(task__plan=plan).select_related("owner")
    owners = {(g.task_id, g.group_id): g.owner for g in kept}
    found = []
    for task in tasks:
        units = sorted(task.assignments.all(), key=lambda a: (a.role != Assignment.Role.LEAD, a.order))
        candidates = [a.unit for a in units if not rules.is_group(a.unit)]
        for assignment in units:
            if rules.is_group(assignment.unit):
                owner = owners.get((task.pk, assignment.unit_id))
                found.append(GroupOnTask(task, assignment.unit, owner if owner in candidates else None, candidates))
    return found


def publish_refusal(plan: Plan, groups: list[GroupOnTask] | None = None) -> str:
    """Why the plan cannot be handed out yet ("" when it can): the tasks whose groups nobody answers for.
    `groups` are the plan's `plan_groups` when the caller has them already."""
    unresolved = [g for g in (plan_groups(plan) if groups is None else groups) if g.owner is None]
    if not unresolved:
        return ""
    tasks = "；".join(
        f"任务 {number}（{'、'.join(dict.fromkeys(g.group.name for g in unresolved if g.task.number == number))}）"
        for number in dict.fromkeys(g.task.number for g in unresolved)
    )
    return f"尚不能交办：{tasks} 的责任单位未落实。请在任务编辑中列明具体乡(镇)，或保留并指定负责单位。"


@dataclass
class HandOut:
    """One unit's list at 交办: how many tasks it leads and supports, and whether it already has a receipt."""

    unit: Unit
    lead: int
    co: int
    handed: bool


def publish_summary(plan: Plan) -> list[HandOut]:
    """Who gets which list when the plan is handed out, in the region's order (two queries)."""
    lead: Counter[int] = Counter()
    co: Counter[int] = Counter()
    for unit_id, role in Assignment.objects.filter(task__plan=plan).values_list("unit_id", "role"):
        (lead if role == Assignment.Role.LEAD else co)[unit_id] += 1
    handed = set(Receipt.objects.filter(plan=plan).values_list("unit_id", flat=True))
    return [HandOut(u, lead=lead[u.pk], co=co[u.pk], handed=u.pk in handed) for u in reporting_units(plan)]


# --- reports and reminders ------------------------------------------------------------------------------------


def open_instruction(task: Task) -> Instruction | None:
    return Instruction.objects.filter(task=task, answered_by__isnull=True).order_by("created_at", "id").first()


def unit_emails(unit: Unit) -> list[str]:
    """The current holders of the unit's posts, and the unit's reporter accounts."""
    emails = set(
        Tenure.objects.filter(post__unit=unit, ended_on=None).exclude(email="").values_list("email", flat=True)
    )
    emails |= set(
        Membership.objects.filter(unit=unit, role=Membership.Role.REPORTER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(emails)


def unit_channel(unit: Unit) -> UnitChannel | None:
    """The unit's own group robot, if it has one."""
    return UnitChannel.objects.filter(unit=unit).first()


def unit_webhook(unit: Unit, setup: PlanSetup | None) -> tuple[str, str] | None:
    channel = unit_channel(unit)
    if channel is not None:
        return channel.webhook_kind, channel.webhook_url
    if setup is not None and setup.webhook_url:
        return setup.webhook_kind, setup.webhook_url
    return None
