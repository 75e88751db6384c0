"""The progress rules, each in one place, as plain Python over what the caller has read (no queries).

- Which units hold a task for reporting: every unit named on it but a placeholder group such as 有关乡(镇)
  (`is_group`); whose report is the task's report (`lead_unit_ids`).
- When a task is finished: every lead unit's report accepted as 已完成, not reopened since (`task_finished`).
- Scheduled progress (序时进度, `expected_percent`): it runs in straight lines from the plan's start (0 %) through
  the task's milestones: with k deadlines the i-th is worth i/k of the task, and the last one is 100 %. A task
  without deadlines runs to the end of the plan year. Lag is expected − reported, in percentage points.
- A task's status from its latest report and the plan's thresholds (`Thresholds`, `classify`), and escalation
  (`lagging_periods_in_a_row`).

Whether a value meets a target is the plans app's (`plans.targets.target_met`): monitoring needs it too.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Assignment, Task


def is_group(unit: Unit) -> bool:
    """A placeholder such as 有关乡(镇): named on tasks, but it cannot sign, report or be chased."""
    return unit.kind == Unit.Kind.GROUP


def lead_unit_ids(task: Task) -> set[int]:
    """The units whose report is the task's report: its lead units, or every unit when the only lead is a
    placeholder group such as 有关乡(镇). Uses the task's prefetched assignments when there are any."""
    assignments = [a for a in task.assignments.all() if not is_group(a.unit)]
    leads = {a.unit_id for a in assignments if a.role == Assignment.Role.LEAD}
    return leads or {a.unit_id for a in assignments}


def task_finished(leads: set[int], finished_units: Iterable[int]) -> bool:
    """A task is finished when every one of its lead units (`lead_unit_ids`) has finished it: its own report
    accepted as 已完成 and not reopened since. The callers say what "finished" is as of their day or period."""
    return bool(leads) and leads <= set(finished_units)


class Status(enum.StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    SERIOUS = "serious"
    OVERDUE = "overdue"
    NOT_REPORTED = "not_reported"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_LABELS = {
    Status.DONE: "已完成",
    Status.ON_TRACK: "序时推进",
    Status.LAGGING: "滞后",
    Status.SERIOUS: "严重滞后",
    Status.OVERDUE: "逾期未完成",
    Status.NOT_REPORTED: "未报送",
}
STATUS_COLOURS = {
    Status.DONE: "green",
    Status.ON_TRACK: "green",
    Status.LAGGING: "yellow",
    Status.SERIOUS: "red",
    Status.OVERDUE: "red",
    Status.NOT_REPORTED: "grey",
}
# Statuses that count as lagging when escalation looks at consecutive periods.
LAGGING = frozenset({Status.LAGGING, Status.SERIOUS, Status.OVERDUE})


@dataclass(frozen=True)
class Thresholds:
    lagging: float = 10
    serious: float = 25

    def __post_init__(self) -> None:
        if not 0 < self.lagging <= self.serious <= 100:
            raise ValueError("滞后阈值须满足 0 < 滞后 ≤ 严重滞后 ≤ 100")


def deadlines_or_year_end(deadlines: Sequence[date], year_end: date) -> list[date]:
    return sorted(set(deadlines)) or [year_end]


def expected_percent(*, start: date, deadlines: Sequence[date], on: date, year_end: date) -> float:
    """Where the task should be on `on`, in percent, rounded to one decimal."""
    points = deadlines_or_year_end(deadlines, year_end)
    k = len(points)
    previous_day, previous_pct = start, 0.0
    for i, day in enumerate(points, start=1):
        pct = 100.0 * i / k
        if day <= previous_day:  # a deadline on or before the start is due at the start
            previous_pct = pct
            continue
        if on < day:
            if on <= previous_day:
                return round(previous_pct, 1)
            share = (on - previous_day).days / (day - previous_day).days
            return round(previous_pct + (pct - previous_pct) * share, 1)
        previous_day, previous_pct = day, pct
    return 100.0


def final_deadline(deadlines: Sequence[date], year_end: date) -> date:
    return deadlines_or_year_end(deadlines, year_end)[-1]


def classify(
    *,
    expected: float,
    reported: float | None,
    done: bool,
    overdue: bool,
    target_missed: bool = False,
    thresholds: Thresholds = Thresholds(),
) -> Status:
    """The status of a task from its latest report.

    `reported` is None when no report counts; `overdue` means the final deadline has passed.
    A numeric target the latest value misses makes the task at least lagging.
    """
    if done and not target_missed:
        return Status.DONE
    if overdue:
        return Status.OVERDUE
    if reported is None:
        return Status.NOT_REPORTED
    lag = expected - reported
    if lag >= thresholds.serious:
        return Status.SERIOUS
    if lag >= thresholds.lagging or target_missed:
        return Status.LAGGING
    return Status.ON_TRACK


def lagging_periods_in_a_row(statuses: Sequence[Status]) -> int:
    """How many of the latest periods (oldest first in `statuses`) were lagging, counted back from the last."""
    count = 0
    for status in reversed(statuses):
        if status not in LAGGING:
            break
        count += 1
    return count
