"""Scheduled progress (序时进度) and a task's status, without Django.

The expected percent of a task runs in straight lines from the plan's start (0 %) through its milestones: with
k deadlines the i-th is worth i/k of the task, and the last one is 100 %. A task without deadlines runs to the
end of the plan year. Lag is expected − reported, in percentage points.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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

    def __post_init__(self):
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


def target_met(op: str, goal: Decimal | float, value: Decimal | float) -> bool:
    goal, value = Decimal(str(goal)), Decimal(str(value))
    return {
        "<=": value <= goal,
        ">=": value >= goal,
        "==": value == goal,
        "<": value < goal,
        ">": value > goal,
    }[op]


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
