"""Reads for the written reports and the ledger, each in a fixed number of queries.

`report_facts` gathers from stored data everything a written report says, as plain values, so that drafting
(`drafting.draft`) is a pure function of them and can be run again at any time.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from ecotarget.core.numbers import with_unit
from ecotarget.monitoring.readings import measured_readings
from ecotarget.organisation.models import Membership, Unit
from ecotarget.plans.models import Assignment, Plan, Task
from ecotarget.plans.selectors import plans_visible_to, tasks_with_details
from ecotarget.progress.models import ProgressReport, ReportEvent, TargetValue
from ecotarget.progress.obligations import end_of
from ecotarget.progress.rules import Status, lead_unit_ids
from ecotarget.progress.selectors import plan_progress
from ecotarget.progress.targets import target_rows

from .models import ReportVersion, WrittenReport


def period_end_of(plan: Plan, kind: str) -> date:
    return date(plan.year, 6, 30) if kind == WrittenReport.Kind.HALF_YEAR else date(plan.year, 12, 31)


def period_is_over(period_end: date, day: date) -> bool:
    """A report's period is over once its last day has passed: on 30 June the half-year is not complete yet."""
    return day > period_end


def cut_off(period_end: date, day: date) -> date:
    """The last day whose data a report drafted on `day` uses: its period's end, or `day` for a forecast."""
    return min(day, period_end)


def done_by(moment: str, day: date) -> Q:
    """Rows whose time field `moment` falls before the end of `day`; a row without a recorded time (bulk-loaded
    data) counts as done by then."""
    return Q(**{f"{moment}__lt": end_of(day)}) | Q(**{f"{moment}__isnull": True})


def accepted_by(day: date) -> Q:
    """Reports accepted by the end of `day`. A report accepted after it was, on `day`, not yet accepted: a
    half-year report does not use what was accepted in July."""
    return Q(state=ProgressReport.State.ACCEPTED) & done_by("reviewed_at", day)


@dataclass
class TaskFact:
    number: int
    text: str
    section: int  # index into Facts.sections
    lead_units: list[str]
    co_units: list[str]
    status: Status
    expected: float
    reported: int | None
    period_label: str = ""
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    missed: list[str] = field(default_factory=list)


@dataclass
class SectionFact:
    number: str
    title: str


@dataclass
class IndicatorFact:
    task_number: int
    metric: str
    target: str
    value: str  # the figure with its measure unit, or "—"
    status: str  # met, at_risk, missed, no_data
    status_zh: str
    source: str  # 监测 or 填报


@dataclass
class Facts:
    kind: str
    region: str
    plan_title: str
    doc_number: str
    year: int
    period_end: date
    as_of: date
    sections: list[SectionFact]
    tasks: list[TaskFact]
    indicators: list[IndicatorFact]


def _lines(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def report_facts(plan: Plan, kind: str, day: date) -> Facts:
    """What a written report of `kind` drafted on `day` says, from the data known at its cut-off: monitoring data
    up to that day, reports accepted by its end."""
    period_end = period_end_of(plan, kind)
    as_of = cut_off(period_end, day)
    tasks = tasks_with_details(plan.tasks.order_by("number"))
    readings = measured_readings(plan, as_of)
    progress = plan_progress(plan, as_of, tasks=tasks, measured=readings)
    sections = list(plan.sections.filter(parent=None).order_by("order"))
    index = {s.pk: i for i, s in enumerate(sections)}
    # The latest accepted lead report of each task (in period order, later ones win).
    latest: dict[int, ProgressReport] = {}
    for lead_report in (
        ProgressReport.objects.filter(accepted_by(as_of), period__plan=plan, is_lead=True, period__opens_on__lte=as_of)
        .select_related("period", "unit")
        .order_by("period__number", "unit__order")
    ):
        latest[lead_report.task_id] = lead_report
    facts = []
    for item in progress:
        task = item.task
        leads = lead_unit_ids(task)
        assignments = list(task.assignments.all())
        report = latest.get(task.pk)
        facts.append(
            TaskFact(
                number=task.number,
                text=task.text,
                section=index.get(task.section_id, 0),
                lead_units=[a.unit.name for a in assignments if a.unit_id in leads],
                co_units=[a.unit.name for a in assignments if a.unit_id not in leads],
                status=item.status,
                expected=item.expected,
                reported=item.reported,
                period_label=report.period.label if report else "",
                work_done=_lines(report.work_done) if report else "",
                problems=_lines(report.problems) if report else "",
                next_steps=_lines(report.next_steps) if report else "",
                missed=item.missed_targets,
            )
        )
    indicators = [
        IndicatorFact(
            task_number=row.task.number,
            metric=row.target.metric,
            target=row.target.describe(),
            value=with_unit(row.value, row.measure_unit),
            status=row.status,
            status_zh=row.status_zh,
            source=row.source,
        )
        for row in target_rows(plan, tasks, readings, as_of=as_of)
    ]
    return Facts(
        kind=kind,
        region=plan.region.name,
        plan_title=plan.title,
        doc_number=plan.doc_number,
        year=plan.year,
        period_end=period_end,
        as_of=as_of,
        sections=[SectionFact(s.number, s.title) for s in sections],
        tasks=facts,
        indicators=indicators,
    )


# --- written reports ---------------------------------------------------------------------------------------------


def written_reports_of(plan: Plan) -> list[WrittenReport]:
    return list(
        plan.written_reports.prefetch_related(
            Prefetch("versions", queryset=ReportVersion.objects.select_related("created_by").order_by("-number"))
        )
    )


def written_reports_visible_to(membership: Membership) -> QuerySet[WrittenReport]:
    return WrittenReport.objects.filter(plan__in=plans_visible_to(membership)).select_related("plan", "plan__region")


# --- the ledger -------------------------------------------------------------------------------------------------

REVIEW_ACTIONS = (ReportEvent.Action.RETURN, ReportEvent.Action.ACCEPT, ReportEvent.Action.SUBMIT)


@dataclass
class LedgerTask:
    task: Task
    reports: list[ProgressReport]


@dataclass
class Ledger:
    plan: Plan
    unit: Unit | None
    sections: list[tuple[str, list[LedgerTask]]]  # (section heading, its tasks)
    events: dict[int, list[ReportEvent]]  # report id → its submissions and reviews, oldest first
    as_of: date  # the day it was made: it holds what was submitted and reviewed by the end of that day


def ledger(plan: Plan, unit: Unit | None = None, *, as_of: date) -> Ledger:
    """Every task with every report submitted by the end of `as_of` and its reviews up to then; for one unit,
    its tasks and its own reports (six queries)."""
    tasks_qs = plan.tasks.order_by("number")
    reports_qs = (
        ProgressReport.objects.filter(period__plan=plan)
        .exclude(state=ProgressReport.State.DRAFT)
        .filter(done_by("submitted_at", as_of))
    )
    if unit is not None:
        tasks_qs = tasks_qs.filter(assignments__unit=unit).distinct()
        reports_qs = reports_qs.filter(unit=unit)
    tasks = tasks_with_details(tasks_qs)
    reports = list(
        reports_qs.select_related("period", "unit", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("values", queryset=TargetValue.objects.select_related("target")))
        .order_by("task__number", "period__number", "-is_lead", "unit__order")
    )
    events: dict[int, list[ReportEvent]] = {}
    for event in (
        ReportEvent.objects.filter(report__in=[r.pk for r in reports], action__in=REVIEW_ACTIONS, at__lt=end_of(as_of))
        .select_related("user")
        .order_by("at", "id")
    ):
        events.setdefault(event.report_id, []).append(event)
    by_task: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_task.setdefault(report.task_id, []).append(report)
    sections: dict[int, tuple[str, list[LedgerTask]]] = {}
    for task in tasks:
        heading = f"{task.section.number}、{task.section.title}"
        sections.setdefault(task.section_id, (heading, []))[1].append(LedgerTask(task, by_task.get(task.pk, [])))
    ordered = sorted(sections.items(), key=lambda kv: next(t.task.section.order for t in kv[1][1]))
    return Ledger(plan=plan, unit=unit, sections=[v for _, v in ordered], events=events, as_of=as_of)


def lead_names(task: Task) -> str:
    return "、".join(a.unit.name for a in task.assignments.all() if a.role == Assignment.Role.LEAD)


def co_names(task: Task) -> str:
    return "、".join(a.unit.name for a in task.assignments.all() if a.role == Assignment.Role.CO)
