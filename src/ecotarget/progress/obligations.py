"""Who owes a report, and who may report now: the one rule behind every 未报送 count, on-time rate, reminder
(催办) and the report form.

A unit owes a report on a task for a period when
- the plan had been handed out (交办) by the period's due date,
- the unit had the task by then (its assignment's `starts_on`; none = from the hand-out), and
- the task was not finished before that period: a unit's own report accepted as 已完成, or the lead units'
  reports all accepted as 已完成, end its reporting, until the coordinator reopens the task (`task_reopen`).

A unit may report on a task in a period that has opened, that it owes or that is not over for it, unless
the task is finished. Pages ask `Duties.refusal`; `report_save` refuses with the same words.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ecotarget.core import clock
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment, Plan, Task

from .models import Period, PeriodState, PlanSetup, ProgressReport
from .rules import is_group, lead_unit_ids, task_finished


def end_of(day: date) -> datetime:
    """The first moment after `day` in the region's zone: what was known 'on `day`' happened before it."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=clock.zone())


@dataclass(frozen=True)
class Finish:
    """A report accepted as done: it ends reporting from the next period on, until the task is reopened."""

    number: int  # the period it was accepted in
    reopened: date | None

    def covers(self, period: Period) -> bool:
        return self.number < period.number and (self.reopened is None or period.due_on < self.reopened)


class Duties:
    """The facts the rule needs for one plan, read once (two queries), then asked per task, unit and period."""

    def __init__(self, plan: Plan, *, setup: PlanSetup | None = None):
        if setup is None:  # pages that have read the set-up already pass it in
            setup = PlanSetup.objects.filter(plan=plan).only("published_at").first()
        self.handed_out: date | None = clock.local_date(setup.published_at) if setup and setup.published_at else None
        done = ProgressReport.objects.filter(
            period__plan=plan, state=ProgressReport.State.ACCEPTED, progress=ProgressReport.Progress.DONE
        ).values_list("task_id", "unit_id", "period__number", "reopened_at")
        self._finishes: dict[tuple[int, int], list[Finish]] = defaultdict(list)
        for task_id, unit_id, number, reopened_at in done:
            reopened = clock.local_date(reopened_at) if reopened_at else None
            self._finishes[(task_id, unit_id)].append(Finish(number, reopened))

    def unit_finished(self, task: Task, unit_id: int, period: Period) -> bool:
        """The unit's own report was accepted as done before `period` (and the task not reopened since)."""
        return any(f.covers(period) for f in self._finishes.get((task.pk, unit_id), ()))

    def task_finished(self, task: Task, period: Period) -> bool:
        """Every lead unit's report was accepted as done before `period`: the task takes no more reports."""
        leads = lead_unit_ids(task)
        return task_finished(leads, (unit_id for unit_id in leads if self.unit_finished(task, unit_id, period)))

    def finished(self, task: Task, unit_id: int, period: Period) -> bool:
        return self.unit_finished(task, unit_id, period) or self.task_finished(task, period)

    def owes(self, task: Task, assignment: Assignment, period: Period) -> bool:
        """Does this unit owe a report on this task for this period?"""
        if is_group(assignment.unit):
            return False
        if self.handed_out is None or period.due_on < self.handed_out:
            return False
        if assignment.starts_on is not None and period.due_on < assignment.starts_on:
            return False
        return not self.finished(task, assignment.unit_id, period)

    def refusal(self, task: Task, assignment: Assignment | None, period: Period, day: date) -> str:
        """Why this unit may not report on this task in this period now, or "" when it may."""
        if assignment is None or task.plan_id != period.plan_id:
            return "本单位不承担该任务"
        if is_group(assignment.unit):
            return f"“{assignment.unit.name}”不是具体单位，不能填报"
        if period.state_on(day) == PeriodState.UPCOMING:
            return f"{period.label}尚未开始填报（{period.opens_on:%-m月%-d日}开始）"
        if assignment.starts_on is not None and period.due_on < assignment.starts_on:
            return f"本单位自{assignment.starts_on:%Y年%-m月%-d日}起承担该任务，{period.label}无需填报"
        if self.finished(task, assignment.unit_id, period):
            return "该任务已审核确认完成，不再接收新的报告；如需继续填报，请管理员重新打开任务"
        return ""


def report_refusal(*, task: Task, unit: Unit, period: Period, day: date | None = None) -> str:
    """ "" when the unit may report on the task in the period now, else the reason it may not (for one task)."""
    assignment = Assignment.objects.filter(task=task, unit=unit).select_related("unit").first()
    return Duties(task.plan).refusal(task, assignment, period, day or clock.today())
