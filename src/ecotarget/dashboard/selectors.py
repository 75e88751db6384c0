"""Everything the leaders' dashboard shows, read in a fixed number of queries whatever the size of the plan.

The task statuses come from `progress.selectors.plan_progress` and the measured targets from
`monitoring.readings`; this module only counts, ranks and shapes them into tables and chart series.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ecotarget.monitoring.indicators import section_indicators
from ecotarget.monitoring.readings import (
    Reading,
    WaterSection,
    measured_readings,
    month_names,
    water_class_counts,
    water_sections,
)
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment, Plan, Section, Target, Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.progress.models import Period, ProgressReport
from ecotarget.progress.obligations import Duties
from ecotarget.progress.rules import LAGGING, Status, is_group, lead_unit_ids
from ecotarget.progress.selectors import plan_progress
from ecotarget.progress.status import TaskProgress
from ecotarget.progress.targets import TargetRow, target_rows

# What the dashboard counts a task as "behind": lagging, seriously lagging or overdue.
BEHIND = "behind"
DUE_WINDOW_DAYS = 30


@dataclass
class SectionRow:
    section: Section
    counts: dict[Status, int]
    total: int


@dataclass
class UnitRow:
    unit: Unit
    lead_tasks: int = 0
    behind: int = 0  # tasks it leads that are lagging, seriously lagging or overdue
    expected: int = 0  # reports due in closed periods
    on_time: int = 0
    late: int = 0  # submitted after the due date
    missing: int = 0  # not submitted at all

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(100 * self.on_time) / self.expected).quantize(Decimal("0.1"))


@dataclass
class DueItem:
    day: date
    kind: str  # 任务时限 or 报送截止
    what: str
    task: Task | None = None


@dataclass
class Dashboard:
    plan: Plan
    day: date
    progress: list[TaskProgress]
    counts: list[tuple[Status, int]]
    sections: list[SectionRow]
    units: list[UnitRow]
    targets: list[TargetRow]
    due: list[DueItem]
    readings: dict[int, Reading]
    water: list[WaterSection] = field(default_factory=list)

    def reading_of(self, indicator: str) -> tuple[Reading, Target] | None:
        for row in self.targets:
            reading = self.readings.get(row.target.pk)
            if reading is not None and reading.binding.indicator == indicator:
                return reading, row.target
        return None

    @property
    def behind(self) -> int:
        return sum(1 for p in self.progress if p.status in LAGGING)

    @property
    def ranked_units(self) -> list[UnitRow]:
        """Units with something to chase, the most behind first, then the most late or missing reports."""
        chased = [u for u in self.units if u.behind or u.late or u.missing]
        return sorted(chased, key=lambda u: (-u.behind, -(u.late + u.missing), u.unit.kind, u.unit.order))

    @property
    def top_units(self) -> list[UnitRow]:
        return self.ranked_units[:10]

    @property
    def more_units(self) -> list[UnitRow]:
        return self.ranked_units[10:]

    @property
    def water_classes(self) -> list[tuple[str, int]]:
        return water_class_counts(self.water)


def _sections(plan: Plan, progress: list[TaskProgress]) -> list[SectionRow]:
    by_section: dict[int, Counter] = defaultdict(Counter)
    for item in progress:
        by_section[item.task.section_id][item.status] += 1
    rows = []
    for section in plan.sections.filter(parent=None).order_by("order"):
        counts = by_section.get(section.pk, Counter())
        rows.append(SectionRow(section, {s: counts[s] for s in Status}, sum(counts.values())))
    return rows


def _units(plan: Plan, progress: list[TaskProgress], day: date, periods: list[Period]) -> list[UnitRow]:
    """Per unit: tasks it leads that are behind, and its reports in closed periods on time, late or missing.

    Which reports a unit owes is the one rule of `progress.obligations` (from the hand-out or the day the unit
    got the task, until the task is accepted as done).
    """
    rows: dict[int, UnitRow] = {}
    owed: list[tuple[Task, Assignment]] = []
    for item in progress:
        leads = lead_unit_ids(item.task)
        for assignment in item.task.assignments.all():
            unit = assignment.unit
            if is_group(unit):
                continue
            row = rows.setdefault(unit.pk, UnitRow(unit))
            owed.append((item.task, assignment))
            if unit.pk in leads:
                row.lead_tasks += 1
                if item.status in LAGGING:
                    row.behind += 1
    duties = Duties(plan)
    closed = [p for p in periods if p.due_on < day]
    found = {
        (task_id, unit_id, period_id): (state, late)
        for task_id, unit_id, period_id, state, late in ProgressReport.objects.filter(
            period__plan=plan, period__due_on__lt=day
        ).values_list("task_id", "unit_id", "period_id", "state", "late")
    }
    for task, assignment in owed:
        row = rows[assignment.unit_id]
        for period in closed:
            if not duties.owes(task, assignment, period):
                continue
            row.expected += 1
            state, late = found.get((task.pk, assignment.unit_id, period.pk), (ProgressReport.State.DRAFT, False))
            if state == ProgressReport.State.DRAFT:
                row.missing += 1
            elif late:
                row.late += 1
            else:
                row.on_time += 1
    return sorted(rows.values(), key=lambda r: (r.unit.kind, r.unit.order, r.unit.name))


def _due(progress: list[TaskProgress], periods: list[Period], day: date) -> list[DueItem]:
    until = day + timedelta(days=DUE_WINDOW_DAYS)
    items = [DueItem(p.due_on, "报送截止", f"{p.label}进展报送截止") for p in periods if day <= p.due_on <= until]
    for item in progress:
        if item.status == Status.DONE:
            continue
        for milestone in item.task.milestones.all():
            if day <= milestone.due_on <= until:
                items.append(DueItem(milestone.due_on, "任务时限", milestone.what or item.task.text[:40], item.task))
    return sorted(items, key=lambda i: (i.day, i.task.number if i.task else 0))


def dashboard(plan: Plan, day: date) -> Dashboard:
    """The whole dashboard of a plan on `day` (a fixed number of queries)."""
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    readings = measured_readings(plan, day)
    progress = plan_progress(plan, day, tasks=tasks, measured=readings)
    periods = list(plan.periods.all())
    counts = Counter(p.status for p in progress)
    return Dashboard(
        plan=plan,
        day=day,
        progress=progress,
        counts=[(s, counts[s]) for s in Status],
        sections=_sections(plan, progress),
        units=_units(plan, progress, day, periods),
        targets=target_rows(plan, tasks, readings),
        due=_due(progress, periods, day),
        readings=readings,
        water=water_sections(plan, day),
    )


# --- the task list behind a figure -------------------------------------------------------------------------------


@dataclass
class TaskQuery:
    status: str = ""  # a Status value, or BEHIND
    section_id: int | None = None
    unit_id: int | None = None
    lead_only: bool = False
    indicator: str = ""  # an Indicator value, or "water" for the section indicators
    target_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.status or self.section_id or self.unit_id or self.indicator or self.target_id)


def _indicator_task_ids(plan: Plan, indicator: str) -> set[int]:
    from ecotarget.monitoring.models import IndicatorBinding

    wanted = section_indicators() if indicator == "water" else [indicator]
    return set(
        IndicatorBinding.objects.in_force()
        .filter(target__task__plan=plan, indicator__in=wanted)
        .values_list("target__task_id", flat=True)
    )


def filtered_progress(plan: Plan, day: date, query: TaskQuery) -> list[TaskProgress]:
    """The tasks behind a dashboard figure: by status, section, unit, measured indicator or target."""
    tasks = plan.tasks.order_by("number")
    if query.section_id:
        tasks = tasks.filter(section_id=query.section_id)
    if query.unit_id:
        assignments: dict[str, int | str] = {"assignments__unit_id": query.unit_id}
        if query.lead_only:
            assignments["assignments__role"] = "lead"
        tasks = tasks.filter(**assignments).distinct()
    if query.target_id:
        tasks = tasks.filter(targets__pk=query.target_id)
    if query.indicator:
        tasks = tasks.filter(pk__in=_indicator_task_ids(plan, query.indicator))
    progress = plan_progress(plan, day, tasks=tasks_with_details(tasks))
    if query.unit_id and query.lead_only:
        progress = [p for p in progress if query.unit_id in lead_unit_ids(p.task)]
    if query.status == BEHIND:
        return [p for p in progress if p.status in LAGGING]
    if query.status:
        return [p for p in progress if p.status == query.status]
    return progress


def month_labels() -> list[str]:
    return month_names()
