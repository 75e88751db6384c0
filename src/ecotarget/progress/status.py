"""Every task's status on a day, from the lead units' reports known then (no writes: closing a period keeps
what this computes)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ecotarget.core.numbers import plain_number
from ecotarget.monitoring.readings import Reading, measured_readings
from ecotarget.plans.models import Plan, Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.targets import TargetStanding, target_met

from . import rules
from .models import Instruction, PlanSetup, ProgressReport, TargetValue, Watch
from .obligations import end_of
from .rules import Status, lead_unit_ids

COUNTED = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)


def setup_defaults(plan: Plan) -> PlanSetup:
    return PlanSetup(plan=plan, starts_on=date(plan.year, 1, 1))


def setup_of(plan: Plan) -> PlanSetup:
    """The plan's reporting set-up, or the defaults (unsaved) before the coordinator has set it."""
    return PlanSetup.objects.filter(plan=plan).first() or setup_defaults(plan)


@dataclass
class TaskProgress:
    task: Task
    status: Status
    expected: float  # expected percent today
    reported: int | None = None
    lag: float | None = None  # expected − reported, on the date of the report the status rests on
    report: ProgressReport | None = None
    missed_targets: list[str] = field(default_factory=list)
    escalated: bool = False
    watched: bool = False
    open_instruction: Instruction | None = None
    # A lead report newer than the one the status rests on waits for review: the status is not the last word.
    awaiting_review: bool = False

    @property
    def lag_words(self) -> str:
        """The lag as a reader says it: behind, ahead of or level with scheduled progress."""
        if self.lag is None:
            return ""
        if self.lag > 0:
            return f"当时滞后 {self.lag:g} 个百分点"
        if self.lag < 0:
            return f"当时超前 {-self.lag:g} 个百分点"
        return "当时与序时进度持平"


def _worst(reports: list[ProgressReport]) -> ProgressReport | None:
    return min(reports, key=lambda r: r.percent) if reports else None


def _missed(task: Task, values: dict[int, TargetValue], measured: dict[int, Reading]) -> list[str]:
    """The task's targets that the latest value misses: measured ones by their monitoring reading (it is the
    authoritative figure), the others by the value the unit reported."""
    missed = []
    for target in task.targets.all():
        reading = measured.get(target.pk)
        if reading is not None:
            if reading.status == TargetStanding.MISSED:
                missed.append(f"{target.describe()}（监测值 {reading.value} {reading.measure_unit}）")
            continue
        value = values.get(target.pk)
        if target.value is not None and value is not None and not target_met(target.op, target.value, value.value):
            missed.append(f"{target.describe()}（当前 {plain_number(value.value)}）")
    return missed


def lead_reports(plan: Plan, *, opened_by: date | None = None) -> list[ProgressReport]:
    """Every submitted or accepted lead report of the plan (of periods opened by `opened_by`), for `live_progress`;
    read once when it computes many days."""
    reports = ProgressReport.objects.filter(period__plan=plan, is_lead=True, state__in=COUNTED)
    if opened_by is not None:
        reports = reports.filter(period__opens_on__lte=opened_by)
    return list(reports.select_related("period").order_by("period__number"))


def _accepted_values(plan: Plan) -> dict[int, list[TargetValue]]:
    """The target values of the plan's accepted lead reports, by report (one query, whether there are any or not).
    Read apart from the reports: a prefetch would build a related manager for each of the year's reports, which
    costs more than the values."""
    values: dict[int, list[TargetValue]] = defaultdict(list)
    accepted = TargetValue.objects.filter(
        report__period__plan=plan, report__is_lead=True, report__state=ProgressReport.State.ACCEPTED
    )
    for value in accepted.order_by("pk"):
        values[value.report_id].append(value)
    return values


def live_progress(
    plan: Plan,
    day: date,
    *,
    tasks: list[Task] | None = None,
    measured: dict[int, Reading] | None = None,
    reports: list[ProgressReport] | None = None,
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
    accepted_values = _accepted_values(plan)

    def accepted(report: ProgressReport) -> bool:
        return report.state == ProgressReport.State.ACCEPTED and (
            report.reviewed_at is None or report.reviewed_at < after
        )

    def finishes(report: ProgressReport) -> bool:
        return report.progress == ProgressReport.Progress.DONE and (
            report.reopened_at is None or report.reopened_at >= after
        )

    by_task: dict[int, list[ProgressReport]] = defaultdict(list)
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
        final = rules.final_deadline(deadlines, year_end)
        leads = lead_unit_ids(task)
        task_reports = [r for r in by_task.get(task.pk, []) if r.unit_id in leads]

        latest_accepted: dict[int, ProgressReport] = {}
        latest_counted: dict[int, ProgressReport] = {}
        values: dict[int, TargetValue] = {}
        for report in task_reports:  # in period order: later ones win
            latest_counted[report.unit_id] = report
            if accepted(report):
                latest_accepted[report.unit_id] = report
                for value in accepted_values.get(report.pk, []):
                    if value.as_of > day:
                        continue
                    known = values.get(value.target_id)
                    if known is None or value.as_of >= known.as_of:
                        values[value.target_id] = value
        basis = _worst(list(latest_accepted.values()))
        done = rules.task_finished(leads, (unit_id for unit_id, r in latest_accepted.items() if finishes(r)))
        stale = bool(closed) and not done and all(r.period.number < closed[-1].number for r in latest_counted.values())
        missed = _missed(task, values, measured)
        as_of = min(basis.period.due_on, day) if basis else day
        expected_then = rules.expected_percent(start=setup.starts_on, deadlines=deadlines, on=as_of, year_end=year_end)
        status = rules.classify(
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
                rules.classify(
                    expected=rules.expected_percent(
                        start=setup.starts_on, deadlines=deadlines, on=period.due_on, year_end=year_end
                    ),
                    reported=worst.percent if worst else None,
                    # Finished as that period's lead reports said, reviewed or not: escalation reads the reports.
                    done=rules.task_finished(
                        {r.unit_id for r in in_period},
                        (r.unit_id for r in in_period if r.progress == ProgressReport.Progress.DONE),
                    ),
                    overdue=period.due_on > final and not (worst and worst.progress == ProgressReport.Progress.DONE),
                    thresholds=thresholds,
                )
            )
        result.append(
            TaskProgress(
                task=task,
                status=status,
                expected=rules.expected_percent(start=setup.starts_on, deadlines=deadlines, on=day, year_end=year_end),
                reported=basis.percent if basis else None,
                lag=round(expected_then - basis.percent, 1) if basis else None,
                report=basis,
                missed_targets=missed,
                escalated=len(per_period) == 2 and rules.lagging_periods_in_a_row(per_period) >= 2,
                watched=task.pk in watched,
                open_instruction=instructions.get(task.pk),
                awaiting_review=any(
                    r.state == ProgressReport.State.SUBMITTED
                    and (basis is None or r.period.number > basis.period.number)
                    for r in latest_counted.values()
                ),
            )
        )
    return result
