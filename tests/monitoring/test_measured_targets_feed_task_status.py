"""A measured target that misses makes its task at least 'lagging', whatever the unit reports."""

from datetime import date

from ecotarget.progress.rules import Status
from ecotarget.progress.selectors import plan_progress

from .test_readings import CLEAN


def status_of(plan, number: int, day: date):
    return next(p for p in plan_progress(plan, day) if p.task.number == number)


def test_pm25_over_its_target_makes_task_15_lagging_with_the_measured_value(plan, bound, air_days):
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 30} for d in range(1, 11)})
    progress = status_of(plan, 15, date(2022, 1, 10))
    assert progress.status in {Status.LAGGING, Status.SERIOUS, Status.OVERDUE, Status.NOT_REPORTED}
    assert any("PM2.5浓度" in m and "监测值 30" in m for m in progress.missed_targets)


def test_clean_air_leaves_task_15_without_missed_targets(plan, bound, air_days):
    air_days({date(2022, 1, d): CLEAN | {"pm2_5": 12, "pm10": 25} for d in range(1, 11)})
    assert status_of(plan, 15, date(2022, 1, 10)).missed_targets == []
